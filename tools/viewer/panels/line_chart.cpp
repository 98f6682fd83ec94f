#include "line_chart.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/duration.hpp"
#include "model/chart_axis.hpp"

namespace linetwin::viewer {
namespace {

ImU32 grid_colour() {
  return ImGui::GetColorU32(ImGuiCol_Border, 0.6f);
}

// The value axis's ticks on the plot's height: one per three text lines at most.
int value_ticks_fitting(float height) {
  return std::max(2, static_cast<int>(height / (3.0f * ImGui::GetTextLineHeight())) + 1);
}

}  // namespace

float TimeScale::x_of(double time_s) const {
  const double span = end_s - start_s;
  if (!(span > 0.0)) return x0;
  return x0 + static_cast<float>((time_s - start_s) / span) * (x1 - x0);
}

double TimeScale::time_at(float x) const {
  if (!(x1 > x0)) return start_s;
  return start_s + static_cast<double>((x - x0) / (x1 - x0)) * (end_s - start_s);
}

void draw_time_axis(ImDrawList* draw, const TimeScale& scale, float top, float bottom) {
  // A label is at most "100:00:00" wide; two em between labels keep them apart.
  const float em = ImGui::GetFontSize();
  const float label_width = ImGui::CalcTextSize("100:00:00").x + 2.0f * em;
  const int fitting = std::max(2, static_cast<int>((scale.x1 - scale.x0) / label_width) + 1);
  const Axis axis = time_axis(scale.start_s, scale.end_s, fitting);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // The unit at the right end; a tick's label that would run into it (or into the label before
  // it) is left out, its line kept.
  const std::string unit = "[" + axis.unit + "]";
  const float unit_left = scale.x1 - ImGui::CalcTextSize(unit.c_str()).x;
  draw->AddText(ImVec2(unit_left, bottom + 3.0f), text, unit.c_str());
  float free_from = scale.x0;
  for (const AxisTick& tick : axis.ticks) {
    const float x = scale.x_of(tick.value);
    draw->AddLine(ImVec2(x, top), ImVec2(x, bottom + 3.0f), grid_colour());
    const float width = ImGui::CalcTextSize(tick.label.c_str()).x;
    // Centred under its tick, kept inside the plot's width at the left end.
    const float left = std::max(x - width / 2.0f, scale.x0);
    if (left < free_from || left + width + 0.5f * em > unit_left) continue;
    draw->AddText(ImVec2(left, bottom + 3.0f), text, tick.label.c_str());
    free_from = left + width + 0.5f * em;
  }
}

void line_chart(const char* label, std::span<const double> xs, std::span<const double> ys,
                double start_s, double end_s, ImVec2 size, ImU32 colour) {
  assert(xs.size() == ys.size());
  if (size.x <= 0.0f) size.x = ImGui::GetContentRegionAvail().x;
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  const ImVec2 bottom_right(top_left.x + size.x, top_left.y + size.y);
  ImGui::InvisibleButton(label, size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
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
  // The plot: under the title, above the time axis's labels, right of the value axis's.
  // Half a line more under the title than the top tick's label needs above its line, so that
  // label and title never touch.
  const float plot_top = top_left.y + 1.5f * line + 4.0f;
  const float plot_bottom = bottom_right.y - line - 5.0f;
  if (y_min > 0.0) y_min = 0.0;
  if (y_max <= y_min) y_max = y_min + 1.0;
  // Whole steps at both ends, so that the top and bottom lines are ticks.
  const int max_ticks = value_ticks_fitting(plot_bottom - plot_top);
  const double step = nice_step(y_max - y_min, max_ticks);
  y_min = std::floor(y_min / step) * step;
  y_max = std::ceil(y_max / step) * step;
  const Axis values = value_axis(y_min, y_max, max_ticks);
  float label_width = 0.0f;
  for (const AxisTick& tick : values.ticks)
    label_width = std::max(label_width, ImGui::CalcTextSize(tick.label.c_str()).x);
  const TimeScale scale{start_s, std::max(end_s, start_s), top_left.x + label_width + 8.0f,
                        bottom_right.x - 6.0f};
  auto y_of = [&](double y) {
    return plot_bottom -
           static_cast<float>((y - y_min) / (y_max - y_min)) * (plot_bottom - plot_top);
  };
  for (const AxisTick& tick : values.ticks) {
    const float y = y_of(tick.value);
    draw->AddLine(ImVec2(scale.x0 - 3.0f, y), ImVec2(scale.x1, y), grid_colour());
    const float width = ImGui::CalcTextSize(tick.label.c_str()).x;
    draw->AddText(ImVec2(scale.x0 - 5.0f - width, y - line / 2.0f),
                  ImGui::GetColorU32(ImGuiCol_TextDisabled), tick.label.c_str());
  }
  draw_time_axis(draw, scale, plot_top, plot_bottom);

  auto at = [&](std::size_t i) { return ImVec2(scale.x_of(xs[i]), y_of(ys[i])); };
  for (std::size_t i = 1; i < xs.size(); ++i) {
    if (std::isnan(ys[i - 1]) || std::isnan(ys[i])) continue;
    draw->AddLine(at(i - 1), at(i), colour, 1.5f);
  }
  char text[64];
  if (!std::isnan(ys.back())) {
    std::snprintf(text, sizeof text, "now %.4g", ys.back());
    draw->AddText(ImVec2(bottom_right.x - ImGui::CalcTextSize(text).x - 4.0f, top_left.y + 2),
                  colour, text);
  }

  if (ImGui::IsItemHovered()) {
    const double t = scale.time_at(ImGui::GetIO().MousePos.x);
    const auto it = std::lower_bound(xs.begin(), xs.end(), t);
    const std::size_t i =
        it == xs.end() ? xs.size() - 1 : static_cast<std::size_t>(it - xs.begin());
    ImGui::SetTooltip("%s at %s: %.4g", label, format_duration(xs[i]).c_str(), ys[i]);
    if (!std::isnan(ys[i])) draw->AddCircleFilled(at(i), 3.0f, colour);
  }
}

}  // namespace linetwin::viewer
