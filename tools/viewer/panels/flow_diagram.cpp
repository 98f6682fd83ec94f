#include "flow_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImRect

namespace linetwin::viewer {

namespace {

constexpr ImU32 kNodeColour = IM_COL32(215, 218, 222, 255);
constexpr ImU32 kNameColour = IM_COL32(235, 238, 242, 255);
// Straight segments per band: enough for a smooth S at any width the window has.
constexpr int kBandSegments = 24;

ImU32 im_colour(Rgb8 c) {
  return IM_COL32(c.r, c.g, c.b, 255);
}

// A band's edge at `t` (0 at the node it leaves, 1 at the node it enters): an S-curve that
// leaves and enters level.
float band_edge(float from, float to, float t) {
  return from + (to - from) * t * t * (3.0f - 2.0f * t);
}

// The band's top and bottom at window x `x`, where it spans it.
std::optional<glm::vec2> band_at(const FlowBand& band, float x) {
  if (x < band.from_x || x > band.to_x || band.to_x <= band.from_x) return std::nullopt;
  const float t = (x - band.from_x) / (band.to_x - band.from_x);
  return glm::vec2(band_edge(band.from_y.x, band.to_y.x, t),
                   band_edge(band.from_y.y, band.to_y.y, t));
}

void draw_band(ImDrawList& list, const FlowBand& band) {
  const ImU32 colour = im_colour(product_colour(band.product));
  // Quads side by side, each convex, as ImGui fills them.
  for (int k = 0; k < kBandSegments; ++k) {
    const float t0 = static_cast<float>(k) / kBandSegments;
    const float t1 = static_cast<float>(k + 1) / kBandSegments;
    const float x0 = band.from_x + (band.to_x - band.from_x) * t0;
    const float x1 = band.from_x + (band.to_x - band.from_x) * t1;
    list.AddQuadFilled({x0, band_edge(band.from_y.x, band.to_y.x, t0)},
                       {x1, band_edge(band.from_y.x, band.to_y.x, t1)},
                       {x1, band_edge(band.from_y.y, band.to_y.y, t1)},
                       {x0, band_edge(band.from_y.y, band.to_y.y, t0)}, colour);
  }
}

void draw_swatch(Rgb8 colour, const char* name) {
  const float swatch = ImGui::GetTextLineHeight();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(at, {at.x + swatch, at.y + swatch}, im_colour(colour));
  ImGui::Dummy({swatch, swatch});
  ImGui::SameLine();
  ImGui::TextUnformatted(name);
}

// The products' colours, where there are several, and the grey of links known only in all.
void draw_legend(const Scene& scene, const LinkFlows& flows) {
  const bool unsplit = std::any_of(flows.links.begin(), flows.links.end(), [](const LinkFlow& l) {
    return std::isfinite(l.parts_per_hour) &&
           std::any_of(l.by_product_per_hour.begin(), l.by_product_per_hour.end(),
                       [](double v) { return !std::isfinite(v); });
  });
  if (scene.products().size() > 1) {
    for (std::size_t p = 0; p < scene.products().size(); ++p) {
      if (p > 0) ImGui::SameLine();
      draw_swatch(product_colour(p), scene.products()[p].c_str());
    }
    if (unsplit) ImGui::SameLine();
  }
  if (unsplit) draw_swatch(kAllProductsColour, "not by product");
}

}  // namespace

void draw_flow_diagram(const Scene& scene, const std::optional<LinkFlows>& flows, glm::vec2 min_px,
                       glm::vec2 max_px, bool& open) {
  ImGui::SetNextWindowPos({min_px.x, min_px.y}, ImGuiCond_Always);
  ImGui::SetNextWindowSize({max_px.x - min_px.x, max_px.y - min_px.y}, ImGuiCond_Always);
  if (!ImGui::Begin(
          "Material flow", &open,
          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoScrollbar)) {
    ImGui::End();
    return;
  }
  if (!flows) {
    ImGui::TextWrapped(
        "No flows yet: parts per hour along each link appear once the run has measured some.");
    ImGui::End();
    return;
  }
  ImGui::Text("Parts per hour between the elements (widest %.0f/h)", flows->max_parts_per_hour);
  draw_legend(scene, *flows);
  // The names stand right of their nodes: room for the longest at the right.
  float name_px = 0.0f;
  for (const Element& e : scene.elements())
    name_px = std::max(name_px, ImGui::CalcTextSize(e.id.c_str()).x);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const glm::vec2 size{std::max(1.0f, room.x - name_px - 4.0f), std::max(1.0f, room.y)};
  const FlowDiagramLayout layout = layout_flow_diagram(scene, *flows, {origin.x, origin.y}, size);
  ImDrawList& list = *ImGui::GetWindowDrawList();
  // Without the anti-aliased fringe, the quads of a band meet without a seam and fill in exactly
  // the product's colour.
  const ImDrawListFlags flags = list.Flags;
  list.Flags &= ~ImDrawListFlags_AntiAliasedFill;
  // The longest bands first, so that those between neighbouring columns are drawn over them.
  std::vector<const FlowBand*> by_span;
  for (const FlowBand& band : layout.bands)
    by_span.push_back(&band);
  std::stable_sort(by_span.begin(), by_span.end(), [](const FlowBand* a, const FlowBand* b) {
    return a->to_x - a->from_x > b->to_x - b->from_x;
  });
  for (const FlowBand* band : by_span)
    draw_band(list, *band);
  list.Flags = flags;
  // Names right of their nodes, the tallest node's first; a name that would cover one already
  // drawn is left out (the tooltip still names the band).
  std::vector<std::size_t> by_height(layout.nodes.size());
  std::iota(by_height.begin(), by_height.end(), std::size_t{0});
  const auto height = [&](std::size_t i) {
    return layout.nodes[i].max_px.y - layout.nodes[i].min_px.y;
  };
  std::stable_sort(by_height.begin(), by_height.end(),
                   [&](std::size_t a, std::size_t b) { return height(a) > height(b); });
  std::vector<ImRect> names;
  for (const std::size_t i : by_height) {
    const FlowNode& node = layout.nodes[i];
    list.AddRectFilled({node.min_px.x, node.min_px.y}, {node.max_px.x, node.max_px.y}, kNodeColour);
    const std::string& id = scene.element(node.element).id;
    const ImVec2 text = ImGui::CalcTextSize(id.c_str());
    const ImVec2 at{node.max_px.x + 2.0f, (node.min_px.y + node.max_px.y - text.y) / 2};
    const ImRect box(at, {at.x + text.x, at.y + text.y});
    if (std::any_of(names.begin(), names.end(), [&](const ImRect& r) { return r.Overlaps(box); }))
      continue;
    names.push_back(box);
    list.AddText(at, kNameColour, id.c_str());
  }
  ImGui::Dummy(room);
  // The band under the mouse: where it goes and how much.
  if (ImGui::IsWindowHovered()) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (auto band = layout.bands.rbegin(); band != layout.bands.rend(); ++band) {
      const auto span = band_at(*band, mouse.x);
      if (!span || mouse.y < span->x || mouse.y > span->y) continue;
      const LinkFlow& link = flows->links[band->link];
      ImGui::SetTooltip(
          "%s", fmt::format("{} > {}: {:.1f} parts/h{}", scene.element(link.from).id,
                            scene.element(link.to).id, band->parts_per_hour,
                            band->product == kNoProduct ? std::string()
                                                        : " of " + scene.products()[band->product])
                    .c_str());
      break;
    }
  }
  ImGui::End();
}

}  // namespace linetwin::viewer
