// The state timeline (Gantt) window's contents: one row per station across the run so far, each
// span in its state's colour (model/state_colours.hpp), mixed spans (changes quicker than the
// timeline's resolution, model/state_timeline.hpp) paler in the colour of the state that held
// most of them; the station's id left of its row (a click selects it), the time axis under the
// rows, the state and the span's times under the mouse. Only the rows in sight are drawn, so a
// line of thousands of stations costs what a screenful does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/state_timeline.hpp"
#include "plant/scene.hpp"
#include "screen_rect.hpp"

namespace linetwin::viewer {

// Where a frame drew the timeline, for --screenshot-info and its tests: the plot (time start_s at
// its left edge, end_s at its right, linearly between) and each row drawn, in window pixels.
struct TimelinePlot {
  struct Row {
    std::string id;  // the station's
    float y0 = 0.0f;
    float y1 = 0.0f;
  };
  ScreenRect plot;
  double start_s = 0.0;
  double end_s = 0.0;
  std::vector<Row> rows;  // those in sight, top to bottom
};

// The width the rows' labels take so that every station's id is whole (needs an ImGui frame; it
// changes only with the font, so a caller measures it once rather than every frame).
float station_ids_width(const Scene& scene);

// Draws into the current ImGui window, the labels `ids_width` wide (station_ids_width()); nothing
// is drawn (nullopt) before any station reported.
std::optional<TimelinePlot> draw_state_timeline(const Scene& scene, const StateTimeline& timeline,
                                                float ids_width,
                                                std::optional<ElementIndex>& selected);

}  // namespace linetwin::viewer
