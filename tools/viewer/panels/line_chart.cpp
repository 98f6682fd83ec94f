#include "line_chart.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>

namespace linetwin::viewer {

void line_chart(const char* label, std::span<const double> xs, std::span<const double> ys,
                ImVec2 size, ImU32 colour) {
  assert(xs.size() == ys.size());
  if (size.x <= 0.0f) size.x = ImGui::GetContentRegionAvail().x;
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  const ImVec2 bottom_right(top_left.x + size.x, top_left.y + size.y);
  ImGui::InvisibleButton(label, size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(top_left, bottom_right, ImGui::GetColorU32(ImGuiCol_FrameBg));
  draw->AddRect(top_left, bottom_right, ImGui::GetColorU32(ImGuiCol_Border));
  draw->AddText(ImVec2(top_left.x + 4, top_left.y + 2), ImGui::GetColorU32(ImGuiCol_Text), label);

  double y_min = std::numeric_limits<double>::infinity();
  double y_max = -y_min;
  for (double y : ys) {
    if (std::isnan(y)) continue;
    y_min = std::min(y_min, y);
    y_max = std::max(y_max, y);
  }
  if (xs.empty() || !std::isfinite(y_min)) {
    // A KPI the source cannot know (WIP and lead time from telemetry) or has not measured yet.
    draw->AddText(ImVec2(top_left.x + 4, top_left.y + size.y / 2),
                  ImGui::GetColorU32(ImGuiCol_TextDisabled), "no values");
    return;
  }
  if (y_min > 0.0) y_min = 0.0;
  if (y_max <= y_min) y_max = y_min + 1.0;
  const double x_min = xs.front();
  const double x_span = std::max(xs.back() - x_min, 1e-9);
  // Room for the label above and a margin below, so the line never touches the frame.
  const float plot_top = top_left.y + ImGui::GetTextLineHeight() + 4.0f;
  const float plot_bottom = bottom_right.y - 3.0f;
  auto at = [&](std::size_t i) {
    const float fx = static_cast<float>((xs[i] - x_min) / x_span);
    const float fy = static_cast<float>((ys[i] - y_min) / (y_max - y_min));
    return ImVec2(top_left.x + 2.0f + fx * (size.x - 4.0f),
                  plot_bottom - fy * (plot_bottom - plot_top));
  };
  for (std::size_t i = 1; i < xs.size(); ++i) {
    if (std::isnan(ys[i - 1]) || std::isnan(ys[i])) continue;
    draw->AddLine(at(i - 1), at(i), colour, 1.5f);
  }
  char text[64];
  std::snprintf(text, sizeof text, "max %.4g", y_max);
  const float right = bottom_right.x - ImGui::CalcTextSize(text).x - 4.0f;
  draw->AddText(ImVec2(right, top_left.y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
  if (!std::isnan(ys.back())) {
    std::snprintf(text, sizeof text, "%.4g", ys.back());
    draw->AddText(ImVec2(bottom_right.x - ImGui::CalcTextSize(text).x - 4.0f,
                         plot_bottom - ImGui::GetTextLineHeight()),
                  colour, text);
  }

  if (ImGui::IsItemHovered()) {
    const float mouse = ImGui::GetIO().MousePos.x;
    const double x = x_min + (mouse - top_left.x) / std::max(size.x, 1.0f) * x_span;
    const auto it = std::lower_bound(xs.begin(), xs.end(), x);
    const std::size_t i =
        it == xs.end() ? xs.size() - 1 : static_cast<std::size_t>(it - xs.begin());
    ImGui::SetTooltip("t = %.0f s: %.4g", xs[i], ys[i]);
    if (!std::isnan(ys[i])) draw->AddCircleFilled(at(i), 3.0f, colour);
  }
}

}  // namespace linetwin::viewer
