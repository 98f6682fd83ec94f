#include "flow_diagram_layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace linetwin::viewer {

namespace {

float centre_y(const FlowNode& node) {
  return (node.min_px.y + node.max_px.y) / 2;
}

}  // namespace

FlowDiagramLayout layout_flow_diagram(const Scene& scene, const LinkFlows& flows,
                                      glm::vec2 origin_px, glm::vec2 size_px) {
  FlowDiagramLayout layout;
  const std::size_t count = scene.elements().size();
  layout.nodes.resize(count);
  for (ElementIndex i = 0; i < count; ++i)
    layout.nodes[i].element = i;
  // Depth: the longest chain of links from an element that nothing feeds; then each element
  // moves right up to the column before its nearest target, so that a feeder (a kit's source
  // and store) stands next to what it feeds instead of a band crossing the diagram.
  const std::vector<ElementIndex> order = flow_order(scene);
  for (const ElementIndex i : order) {
    for (const ElementIndex target : scene.element(i).route.targets)
      layout.nodes[target].column =
          std::max(layout.nodes[target].column, layout.nodes[i].column + 1);
    layout.columns = std::max(layout.columns, layout.nodes[i].column + 1);
  }
  for (auto i = order.rbegin(); i != order.rend(); ++i) {
    const auto& targets = scene.element(*i).route.targets;
    if (targets.empty()) continue;
    int nearest = layout.columns;
    for (const ElementIndex target : targets)
      nearest = std::min(nearest, layout.nodes[target].column);
    layout.nodes[*i].column = nearest - 1;
  }
  for (const LinkFlow& link : flows.links) {
    if (!std::isfinite(link.parts_per_hour)) continue;
    layout.nodes[link.from].out_per_hour += link.parts_per_hour;
    layout.nodes[link.to].in_per_hour += link.parts_per_hour;
  }
  const auto through = [](const FlowNode& node) {
    return std::max(node.in_per_hour, node.out_per_hour);
  };

  // One scale for the whole diagram: the fullest column fills the height.
  std::vector<std::vector<ElementIndex>> columns(static_cast<std::size_t>(layout.columns));
  for (const FlowNode& node : layout.nodes)
    columns[static_cast<std::size_t>(node.column)].push_back(node.element);
  float scale = std::numeric_limits<float>::max();
  for (const auto& column : columns) {
    const auto n = static_cast<float>(column.size());
    const float room = size_px.y - (n - 1.0f) * kFlowNodeGapPx - n * kFlowNodeMinHeightPx;
    double total = 0.0;
    for (const ElementIndex i : column)
      total += through(layout.nodes[i]);
    if (total > 0.0) scale = std::min(scale, std::max(room, 0.0f) / static_cast<float>(total));
  }
  layout.px_per_part_per_hour = scale == std::numeric_limits<float>::max() ? 0.0f : scale;

  // Columns left to right; in each, the nodes in the order of the middle of what feeds them (the
  // first column in scene order), so that bands cross as little as they can; centred vertically.
  const float step = layout.columns > 1
                         ? (size_px.x - kFlowNodeWidthPx) / static_cast<float>(layout.columns - 1)
                         : 0.0f;
  std::vector<float> fed_from(count, 0.0f);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<ElementIndex>& column = columns[c];
    if (c > 0) {
      for (const ElementIndex i : column) {
        const auto& inputs = scene.element(i).inputs;
        float sum = 0.0f;
        for (const ElementIndex input : inputs)
          sum += centre_y(layout.nodes[input]);
        fed_from[i] = inputs.empty() ? 0.0f : sum / static_cast<float>(inputs.size());
      }
      std::stable_sort(column.begin(), column.end(),
                       [&](ElementIndex a, ElementIndex b) { return fed_from[a] < fed_from[b]; });
    }
    float height = -kFlowNodeGapPx;
    for (const ElementIndex i : column)
      height += std::max(kFlowNodeMinHeightPx, static_cast<float>(through(layout.nodes[i])) *
                                                   layout.px_per_part_per_hour) +
                kFlowNodeGapPx;
    float y = origin_px.y + std::max(0.0f, (size_px.y - height) / 2);
    const float x = origin_px.x + static_cast<float>(c) * step;
    for (const ElementIndex i : column) {
      FlowNode& node = layout.nodes[i];
      const float h = std::max(kFlowNodeMinHeightPx,
                               static_cast<float>(through(node)) * layout.px_per_part_per_hour);
      node.min_px = {x, y};
      node.max_px = {x + kFlowNodeWidthPx, y + h};
      y += h + kFlowNodeGapPx;
    }
  }

  // A band per product of each link where the link's flow is known by product, else one for it
  // all.
  for (std::size_t k = 0; k < flows.links.size(); ++k) {
    const LinkFlow& link = flows.links[k];
    if (!std::isfinite(link.parts_per_hour) || link.parts_per_hour <= 0.0) continue;
    const bool by_product =
        std::all_of(link.by_product_per_hour.begin(), link.by_product_per_hour.end(),
                    [](double v) { return std::isfinite(v); });
    FlowBand band;
    band.link = k;
    band.from_x = layout.nodes[link.from].max_px.x;
    band.to_x = layout.nodes[link.to].min_px.x;
    if (!by_product) {
      band.product = kNoProduct;
      band.parts_per_hour = link.parts_per_hour;
      layout.bands.push_back(band);
      continue;
    }
    for (std::size_t p = 0; p < link.by_product_per_hour.size(); ++p) {
      if (link.by_product_per_hour[p] <= 0.0) continue;
      band.product = p;
      band.parts_per_hour = link.by_product_per_hour[p];
      layout.bands.push_back(band);
    }
  }
  // Each node's bands stacked from its top: leaving in the order of where they go, entering in
  // the order of where they come from.
  const auto stack = [&](bool leaving) {
    std::vector<std::size_t> sorted(layout.bands.size());
    std::iota(sorted.begin(), sorted.end(), std::size_t{0});
    const auto key = [&](std::size_t b) {
      const LinkFlow& link = flows.links[layout.bands[b].link];
      const ElementIndex at = leaving ? link.from : link.to;
      const ElementIndex other = leaving ? link.to : link.from;
      return std::tuple(at, centre_y(layout.nodes[other]), b);
    };
    std::sort(sorted.begin(), sorted.end(),
              [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    std::vector<float> filled(count, 0.0f);
    for (const std::size_t b : sorted) {
      FlowBand& band = layout.bands[b];
      const LinkFlow& link = flows.links[band.link];
      const ElementIndex at = leaving ? link.from : link.to;
      const float width = static_cast<float>(band.parts_per_hour) * layout.px_per_part_per_hour;
      const float top = layout.nodes[at].min_px.y + filled[at];
      (leaving ? band.from_y : band.to_y) = {top, top + width};
      filled[at] += width;
    }
  };
  stack(true);
  stack(false);
  return layout;
}

}  // namespace linetwin::viewer
