// Charts over time drawn with ImGui's draw list, for the KPI dashboard, the state timeline and the
// buffer levels: Debian ships no ImPlot, and a time series of a few thousand points needs little
// more than a frame, two axes, a polyline and the value under the mouse. Every chart has a time
// axis in the run's units and a value axis in 1-2-5 steps (model/chart_axis.hpp), the unit in its
// title. NaN values (a KPI not yet defined) break the line instead of pulling it to zero; a series
// with no value at all says so.
#pragma once

#include <imgui.h>

#include <span>

namespace linetwin::viewer {

// How times map to pixels across a plot: start_s at x0, end_s at x1 (window pixels).
struct TimeScale {
  double start_s = 0.0;
  double end_s = 0.0;
  float x0 = 0.0f;
  float x1 = 0.0f;
  float x_of(double time_s) const;
  double time_at(float x) const;
};

// The ticks of `scale` as many as fit its width with their labels apart, each a line from `top`
// to `bottom` in the grid's colour and its label under `bottom`; the axis's unit ("s", "h:mm")
// right of the last label. Takes a text line's height below `bottom`.
void draw_time_axis(ImDrawList* draw, const TimeScale& scale, float top, float bottom);

// Draws `ys` against the times `xs` (same length, increasing) over the times [start_s, end_s],
// in a frame of `size` (width 0: the whole available width): `label` as its title (with the
// values' unit, "WIP [parts]"), a value axis from the data's range widened to whole steps (0
// included when all values are positive, so that a change is not exaggerated), the time axis,
// the latest value in the corner and the nearest point's time and value in a tooltip. `label`
// also identifies the chart.
void line_chart(const char* label, std::span<const double> xs, std::span<const double> ys,
                double start_s, double end_s, ImVec2 size, ImU32 colour);

}  // namespace linetwin::viewer
