#include "overlay.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <imgui.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include "model/state_colours.hpp"

namespace linetwin::viewer {

namespace {

// More labels than this (a zoomed-out line of thousands) would be unreadable and cost more than
// the scene; the nearest and most important are kept (label_layout.hpp).
constexpr std::size_t kMaxLabels = 400;
constexpr ImU32 kLabelText = IM_COL32(235, 238, 242, 255);
constexpr ImU32 kLabelShadow = IM_COL32(0, 0, 0, 200);
constexpr ImU32 kLeaderLine = IM_COL32(235, 238, 242, 110);
constexpr ImU32 kSelection = IM_COL32(0, 230, 255, 255);  // cyan: not a state colour
constexpr ImU32 kBannerText = IM_COL32(255, 255, 255, 255);
// Beyond this many elements a banner would hide the view: the rest are counted.
constexpr std::size_t kMaxBannerElements = 12;

ImU32 im_colour(Rgb8 c) {
  return IM_COL32(c.r, c.g, c.b, 255);
}

std::optional<glm::vec2> on_screen(const LineRenderer& renderer, glm::vec3 point,
                                   glm::vec2 viewport) {
  return project_to_pixel(point, viewport, renderer.view_projection());
}

// Which names win where labels would overlap: stations (what a plant manager asks about), then
// sources and sinks, conveyors, buffers; within a kind the larger on screen (the nearer).
float label_priority(const ElementView& element, float height_px) {
  float kind = 0.0f;
  switch (element.type) {
    case ElementType::kStation:
      kind = 4.0f;
      break;
    case ElementType::kSource:
    case ElementType::kSink:
      kind = 3.0f;
      break;
    case ElementType::kConveyor:
      kind = 2.0f;
      break;
    case ElementType::kBuffer:
      kind = 1.0f;
      break;
  }
  return kind * 1.0e5f + std::min(height_px, 9.9e4f);
}

}  // namespace

std::vector<LabelBox> draw_labels(const LineView& view, const LineRenderer& renderer,
                                  glm::vec2 viewport_px, glm::vec2 origin_px,
                                  std::optional<std::size_t> selected,
                                  std::optional<std::size_t> selected_vehicle) {
  std::vector<LabelCandidate> candidates;
  const auto& placements = renderer.placements();
  for (std::size_t i = 0; i < placements.size() && i < view.elements.size(); ++i) {
    const ElementPlacement& placed = placements[i];
    const ElementView& element = view.elements[i];
    const glm::vec3 base = placed.box.centre - glm::vec3(0, 0, placed.box.half_size.z);
    const float top_z =
        has_status_marker(element) ? placed.marker_top.z : base.z + 2.0f * placed.box.half_size.z;
    const glm::vec3 top{base.x, base.y, top_z};
    const auto low = on_screen(renderer, base, viewport_px);
    const auto high = on_screen(renderer, top, viewport_px);
    if (!low || !high) continue;
    if (high->x < 0 || high->y < 0 || high->x > viewport_px.x || high->y > viewport_px.y) continue;
    // The label stands above the highest on-screen corner of the marker's top (or the model's),
    // so from any angle it never covers the state colour; below, under the lowest corner of the
    // element's foot.
    const glm::mat4 top_to_world =
        has_status_marker(element) ? placed.marker_to_world
                                   : glm::scale(glm::rotate(glm::translate(glm::mat4(1.0f), base),
                                                            placed.box.yaw_rad, glm::vec3(0, 0, 1)),
                                                2.0f * placed.box.half_size);
    const glm::mat4 foot_to_world = glm::scale(
        glm::rotate(glm::translate(glm::mat4(1.0f), base), placed.box.yaw_rad, glm::vec3(0, 0, 1)),
        2.0f * placed.box.half_size);
    glm::vec2 above = *high;
    glm::vec2 below = *low;
    for (const glm::vec2 corner : {glm::vec2(-0.5f, -0.5f), glm::vec2(0.5f, -0.5f),
                                   glm::vec2(0.5f, 0.5f), glm::vec2(-0.5f, 0.5f)}) {
      const auto p =
          on_screen(renderer, glm::vec3(top_to_world * glm::vec4(corner, 1.0f, 1.0f)), viewport_px);
      if (p) above.y = std::min(above.y, p->y);
      const auto q = on_screen(renderer, glm::vec3(foot_to_world * glm::vec4(corner, 0.0f, 1.0f)),
                               viewport_px);
      if (q) below.y = std::max(below.y, q->y);
    }
    LabelCandidate label;
    label.element = i;
    label.text = element.id;
    if (!renderer.model_problem(i).empty()) label.text += " (no model)";
    const ImVec2 size = ImGui::CalcTextSize(label.text.c_str());
    label.size_px = {size.x, size.y};
    // A little air between the element and its name.
    label.above_px = above - glm::vec2(0.0f, 0.2f * size.y);
    label.below_px = below + glm::vec2(0.0f, 0.2f * size.y);
    label.priority = label_priority(element, std::abs(low->y - high->y));
    // The elements of a deadlock are named at any distance; their pads highlight them (a label
    // in the pad's colour would vanish where it stands over a pad).
    label.always = (selected && *selected == i) || element.deadlocked;
    candidates.push_back(std::move(label));
  }
  // Vehicles at close zoom, after every element (priority below a buffer's), never moved from
  // where a name stands above or below the box around their model.
  for (const DrawnVehicle& drawn : renderer.drawn_vehicles()) {
    const auto rect = projected_rect(drawn.placement.box, viewport_px, renderer.view_projection());
    if (!rect) continue;
    const glm::vec2 extent = rect->max_px - rect->min_px;
    const bool is_selected = selected_vehicle && *selected_vehicle == drawn.vehicle;
    if (!is_selected && std::max(extent.x, extent.y) < kVehicleLabelMinPx) continue;
    const float middle = (rect->min_px.x + rect->max_px.x) / 2;
    if (middle < 0 || middle > viewport_px.x || rect->max_px.y < 0 ||
        rect->min_px.y > viewport_px.y)
      continue;
    LabelCandidate label;
    label.element = drawn.vehicle;
    label.vehicle = true;
    label.text = view.vehicles[drawn.vehicle].id;
    const ImVec2 size = ImGui::CalcTextSize(label.text.c_str());
    label.size_px = {size.x, size.y};
    label.above_px = {middle, rect->min_px.y - 0.2f * size.y};
    label.below_px = {middle, rect->max_px.y + 0.2f * size.y};
    label.priority = std::min(extent.y, 9.9e4f);
    label.always = is_selected;
    candidates.push_back(std::move(label));
  }
  std::vector<LabelBox> labels = place_labels(std::move(candidates), viewport_px, kMaxLabels);
  ImDrawList& list = *ImGui::GetBackgroundDrawList();
  for (LabelBox& label : labels) {
    label.min_px += origin_px;
    label.max_px += origin_px;
    label.anchor_px += origin_px;
    const std::optional<std::size_t>& chosen = label.vehicle ? selected_vehicle : selected;
    const bool is_selected = chosen && *chosen == label.element;
    if (label.moved) {
      const glm::vec2 end{(label.min_px.x + label.max_px.x) / 2,
                          label.anchor_px.y < label.min_px.y ? label.min_px.y : label.max_px.y};
      list.AddLine({label.anchor_px.x, label.anchor_px.y}, {end.x, end.y}, kLeaderLine);
    }
    list.AddText({label.min_px.x + 1, label.min_px.y + 1}, kLabelShadow, label.text.c_str());
    list.AddText({label.min_px.x, label.min_px.y}, is_selected ? kSelection : kLabelText,
                 label.text.c_str());
  }
  return labels;
}

void draw_selection_outline(const LineRenderer& renderer, glm::vec2 viewport_px,
                            glm::vec2 origin_px, const OrientedBox& box) {
  const float c = std::cos(box.yaw_rad);
  const float s = std::sin(box.yaw_rad);
  std::array<std::optional<glm::vec2>, 8> corner;
  for (int k = 0; k < 8; ++k) {
    const glm::vec3 local =
        box.half_size * glm::vec3((k & 1) ? 1 : -1, (k & 2) ? 1 : -1, (k & 4) ? 1 : -1);
    const glm::vec3 world =
        box.centre + glm::vec3(c * local.x - s * local.y, s * local.x + c * local.y, local.z);
    corner[static_cast<std::size_t>(k)] = on_screen(renderer, world, viewport_px);
  }
  ImDrawList& list = *ImGui::GetBackgroundDrawList();
  for (int a = 0; a < 8; ++a) {
    for (const int bit : {1, 2, 4}) {
      const int b = a | bit;
      if (b == a) continue;
      const auto& p = corner[static_cast<std::size_t>(a)];
      const auto& q = corner[static_cast<std::size_t>(b)];
      if (p && q) {
        list.AddLine({origin_px.x + p->x, origin_px.y + p->y},
                     {origin_px.x + q->x, origin_px.y + q->y}, kSelection, 2.0f);
      }
    }
  }
}

void draw_deadlock_banner(const DeadlockView& deadlock, glm::vec2 viewport_px) {
  // The report's first line says the kind, time and parts in the line; one line per element
  // follows.
  std::string text =
      "DEADLOCK: the line can no longer move; the simulation stopped there, and playing on "
      "changes nothing.";
  const std::size_t shown = std::min(deadlock.report.size(), 1 + kMaxBannerElements);
  for (std::size_t k = 0; k < shown; ++k)
    text += "\n" + deadlock.report[k];
  if (shown < deadlock.report.size())
    text += fmt::format("\n  ... and {} more elements", deadlock.report.size() - shown);
  const float pad = 0.5f * ImGui::GetFontSize();
  const float wrap_px = std::max(1.0f, viewport_px.x - 2.0f * pad);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap_px);
  const float bottom = size.y + 2.0f * pad;
  ImDrawList& list = *ImGui::GetForegroundDrawList();
  list.AddRectFilled({0.0f, 0.0f}, {viewport_px.x, bottom}, im_colour(kDeadlockBanner));
  // Its lower edge in the highlight colour ties the banner to the pads under the elements.
  list.AddRectFilled({0.0f, bottom}, {viewport_px.x, bottom + 3.0f}, im_colour(kDeadlockHighlight));
  list.AddText(ImGui::GetFont(), ImGui::GetFontSize(), {pad, pad}, kBannerText, text.c_str(),
               nullptr, wrap_px);
}

}  // namespace linetwin::viewer
