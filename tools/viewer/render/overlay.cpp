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

// Labels appear once an element's box is this many pixels tall on screen; more labels than
// kMaxLabels (a zoomed-out line of thousands) would be unreadable and cost more than the scene.
constexpr float kMinLabelHeightPx = 28.0f;
constexpr std::size_t kMaxLabels = 400;
constexpr ImU32 kLabelText = IM_COL32(235, 238, 242, 255);
constexpr ImU32 kLabelShadow = IM_COL32(0, 0, 0, 200);
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

}  // namespace

void draw_labels(const LineView& view, const LineRenderer& renderer, glm::vec2 viewport_px,
                 std::optional<std::size_t> selected) {
  ImDrawList& list = *ImGui::GetBackgroundDrawList();
  std::size_t drawn = 0;
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
    const bool is_selected = selected && *selected == i;
    // The elements of a deadlock are named at any distance; their pads highlight them (a label
    // in the pad's colour would vanish where it stands over a pad).
    const bool always = is_selected || element.deadlocked;
    if (!always && (std::abs(low->y - high->y) < kMinLabelHeightPx || drawn >= kMaxLabels)) {
      continue;
    }
    if (high->x < 0 || high->y < 0 || high->x > viewport_px.x || high->y > viewport_px.y) continue;
    // The label stands above the highest on-screen corner of the marker's top (or the model's),
    // so from any angle it never covers the state colour.
    const glm::mat4 top_to_world =
        has_status_marker(element) ? placed.marker_to_world
                                   : glm::scale(glm::rotate(glm::translate(glm::mat4(1.0f), base),
                                                            placed.box.yaw_rad, glm::vec3(0, 0, 1)),
                                                2.0f * placed.box.half_size);
    std::optional<glm::vec2> anchor = high;
    for (const glm::vec2 corner : {glm::vec2(-0.5f, -0.5f), glm::vec2(0.5f, -0.5f),
                                   glm::vec2(0.5f, 0.5f), glm::vec2(-0.5f, 0.5f)}) {
      const auto p =
          on_screen(renderer, glm::vec3(top_to_world * glm::vec4(corner, 1.0f, 1.0f)), viewport_px);
      if (p && anchor && p->y < anchor->y) anchor->y = p->y;
    }
    std::string text = element.id;
    if (!element.model.empty() && !renderer.model_problem(element.model).empty()) {
      text += " (no model)";
    }
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const ImVec2 at{anchor->x - size.x / 2, anchor->y - 1.2f * size.y};
    list.AddText({at.x + 1, at.y + 1}, kLabelShadow, text.c_str());
    list.AddText(at, is_selected ? kSelection : kLabelText, text.c_str());
    ++drawn;
  }
}

void draw_selection_outline(const LineRenderer& renderer, glm::vec2 viewport_px,
                            std::size_t selected) {
  if (selected >= renderer.pick_boxes().size()) return;
  const OrientedBox& box = renderer.pick_boxes()[selected];
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
      if (p && q) list.AddLine({p->x, p->y}, {q->x, q->y}, kSelection, 2.0f);
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
