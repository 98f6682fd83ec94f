// What is drawn over the 3D view with Dear ImGui: element labels, the selection outline and a
// deadlock's banner (the state legend is one of the panels). Labels are drawn on ImGui's
// background list, under every window, so panels stay readable over a crowded floor; the banner
// on the foreground list, over every window, since a line that cannot move is the news.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <glm/vec2.hpp>

#include "label_layout.hpp"
#include "line_renderer.hpp"
#include "model/line_view.hpp"

namespace linetwin::viewer {

// The id of each element on screen, above its marker or model, decluttered (label_layout.hpp): a
// name that would cover another moves up or below its element, or is left out; the selected one
// (in the selection's colour) and those of a deadlock are always named; vehicles are named after
// every element, and only at close zoom (kVehicleLabelMinPx) or when selected (`selected_vehicle`,
// an index in LineView::vehicles). An element whose model
// did not load says so ("no model" boxes are labelled boxes). The 3D view is `viewport_px` big,
// its top left corner at `origin_px` in the window. Returns the boxes drawn, in window pixels.
std::vector<LabelBox> draw_labels(const LineView& view, const LineRenderer& renderer,
                                  glm::vec2 viewport_px, glm::vec2 origin_px,
                                  std::optional<std::size_t> selected,
                                  std::optional<std::size_t> selected_vehicle);
// The twelve edges of the selected element's or vehicle's box, in a colour no state uses.
void draw_selection_outline(const LineRenderer& renderer, glm::vec2 viewport_px,
                            glm::vec2 origin_px, const OrientedBox& box);
// A band across the top of the view in kDeadlockBanner (model/state_colours.hpp): that the run
// stopped, then the deadlock's report (its kind, time and elements), wrapped to the width.
void draw_deadlock_banner(const DeadlockView& deadlock, glm::vec2 viewport_px);

}  // namespace linetwin::viewer
