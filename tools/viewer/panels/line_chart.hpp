// A small line chart drawn with ImGui's draw list, for the KPI dashboard: Debian ships no ImPlot,
// and a time series of a few thousand points needs little more than a frame, a polyline and the
// value under the mouse. NaN values (a KPI not yet defined) break the line instead of pulling it
// to zero; a series with no value at all says so.
#pragma once

#include <imgui.h>

#include <span>

namespace linetwin::viewer {

// Draws `ys` against `xs` (same length, xs increasing) in a frame of `size` (width 0: the whole
// available width), with the y range from the data (0 included when all values are positive, so
// that a change is not exaggerated), the latest value in the corner and the nearest point's value
// in a tooltip. `label` is shown and identifies the chart.
void line_chart(const char* label, std::span<const double> xs, std::span<const double> ys,
                ImVec2 size, ImU32 colour);

}  // namespace linetwin::viewer
