// The material-flow diagram: a Sankey-like window of parts per hour between the elements, drawn
// with Dear ImGui's draw lists. The nodes and bands are laid out by layout_flow_diagram()
// (render/flow_diagram_layout.hpp, GL-free and tested); this file only draws them: a band per
// product in the product's colour, with a legend where the scene has several products, the
// elements' names beside their nodes, and the flow of the band under the mouse in a tooltip.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include <glm/vec2.hpp>

#include "flow_diagram_layout.hpp"
#include "link_flows.hpp"
#include "model/state_colours.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

// Okabe and Ito's colour-blind-safe palette, product by product in the scene's order (the ninth
// product takes the first colour again); a band whose flow is known only in all is grey.
inline constexpr std::array<Rgb8, 7> kProductColours = {{
    {86, 180, 233},   // sky blue
    {230, 159, 0},    // orange
    {0, 158, 115},    // bluish green
    {204, 121, 167},  // reddish purple
    {240, 228, 66},   // yellow
    {213, 94, 0},     // vermilion
    {0, 114, 178},    // blue
}};
inline constexpr Rgb8 kAllProductsColour{175, 180, 186};

constexpr Rgb8 product_colour(std::size_t product) {
  return product == kNoProduct ? kAllProductsColour
                               : kProductColours[product % kProductColours.size()];
}

// The window "Material flow" over the rectangle `min_px` to `max_px` of the window; `open` is
// cleared when it is closed. Without flows (the run has measured none yet) it says so.
void draw_flow_diagram(const Scene& scene, const std::optional<LinkFlows>& flows, glm::vec2 min_px,
                       glm::vec2 max_px, bool& open);

}  // namespace linetwin::viewer
