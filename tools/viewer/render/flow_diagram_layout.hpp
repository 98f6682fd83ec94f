// Where the material-flow diagram (Sankey-like, panels/flow_diagram.hpp) puts its nodes and
// bands. Each element is a node in a column by its depth in the flow (its longest chain of links
// from a source), moved right to the column before its nearest target (so that a kit's feeder
// stands next to the assembly it feeds), so the line reads left to right; a link is a band from one
// node's right edge to the other's left edge, one band per product where the link's flow is known
// by product, each as wide as its parts per hour at one scale for the whole diagram. A node is as
// tall as the larger of what comes in and what goes out, so a station that scraps parts is as tall
// as its input and its output bands leave a gap at the bottom: what it scrapped.
//
// No GL and no ImGui: computed from the flows and a size in pixels, so that tests check it.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include <glm/vec2.hpp>

#include "link_flows.hpp"

namespace linetwin::viewer {

inline constexpr float kFlowNodeWidthPx = 10.0f;
inline constexpr float kFlowNodeGapPx = 8.0f;  // between two nodes of a column
inline constexpr float kFlowNodeMinHeightPx = 3.0f;
inline constexpr std::size_t kNoProduct = std::numeric_limits<std::size_t>::max();

struct FlowNode {
  ElementIndex element = 0;
  int column = 0;
  glm::vec2 min_px{0.0f};
  glm::vec2 max_px{0.0f};
  double in_per_hour = 0.0;
  double out_per_hour = 0.0;
};

// A band's two ends: the top and bottom of where it leaves `from` and where it enters `to`.
struct FlowBand {
  std::size_t link = 0;     // in LinkFlows::links
  std::size_t product = 0;  // kNoProduct: the link's flow is known only in all
  double parts_per_hour = 0.0;
  float from_x = 0.0f;     // the from node's right edge
  float to_x = 0.0f;       // the to node's left edge
  glm::vec2 from_y{0.0f};  // top, bottom
  glm::vec2 to_y{0.0f};
};

struct FlowDiagramLayout {
  std::vector<FlowNode> nodes;  // one per element, in scene order
  std::vector<FlowBand> bands;
  int columns = 0;
  float px_per_part_per_hour = 0.0f;  // a band's width per part per hour
};

// Fits the diagram into a rectangle `size_px` big whose top left corner is at `origin_px`.
FlowDiagramLayout layout_flow_diagram(const Scene& scene, const LinkFlows& flows,
                                      glm::vec2 origin_px, glm::vec2 size_px);

}  // namespace linetwin::viewer
