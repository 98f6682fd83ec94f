#include "timeline_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "core/duration.hpp"
#include "line_chart.hpp"
#include "model/state_colours.hpp"

namespace linetwin::viewer {
namespace {

// A mixed span is drawn at this opacity over the row's background: paler than an exact span of
// its state, so that a run of quick changes is not read as one long state.
constexpr int kMixedAlpha = 110;

ImU32 span_colour(const StateSpan& span) {
  const Rgb8 c = state_colour(span.state);
  return IM_COL32(c.r, c.g, c.b, span.mixed ? kMixedAlpha : 255);
}

// "down from 0:05:00 to 0:06:40 (1min 40s)", "mixed, mostly working, ..."
std::string describe(const StateSpan& span, double end_s) {
  std::string text = span.mixed ? "mixed, mostly " + std::string(state_name(span.state))
                                : std::string(state_name(span.state));
  return text + " from " + format_duration(span.start_s) + " to " + format_duration(end_s) + " (" +
         format_duration(end_s - span.start_s) + ")";
}

}  // namespace

float station_ids_width(const Scene& scene) {
  float width = 0.0f;
  for (const ElementIndex station : scene.stations())
    width = std::max(width, ImGui::CalcTextSize(scene.element(station).id.c_str()).x);
  return width + ImGui::GetStyle().FramePadding.x;
}

std::optional<TimelinePlot> draw_state_timeline(const Scene& scene, const StateTimeline& timeline,
                                                float ids_width,
                                                std::optional<ElementIndex>& selected) {
  bool any = false;
  for (std::size_t s = 0; s < timeline.station_count() && !any; ++s)
    any = !timeline.spans(s).empty();
  if (!any) {
    ImGui::TextUnformatted("No station has reported its state yet.");
    return std::nullopt;
  }
  const float line = ImGui::GetTextLineHeight();
  // Up to a third of the width: a very long id is cut rather than the plot squeezed.
  const float label_width = std::min(ids_width, ImGui::GetContentRegionAvail().x / 3.0f);
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // The rows scroll above the time axis, which stays in sight.
  const float axis_height = line + 6.0f;
  const ImVec2 rows_size(0.0f, std::max(line, ImGui::GetContentRegionAvail().y - axis_height -
                                                  ImGui::GetStyle().ItemSpacing.y));
  TimelinePlot plot;
  plot.end_s = timeline.end_s();
  ImGui::BeginChild("rows", rows_size);
  const ImVec2 rows_top_left = ImGui::GetCursorScreenPos();
  const float plot_x0 = rows_top_left.x + label_width + spacing;
  const float plot_x1 =
      std::max(plot_x0 + 1.0f, rows_top_left.x + ImGui::GetContentRegionAvail().x);
  const TimeScale scale{plot.start_s, plot.end_s, plot_x0, plot_x1};
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 background = ImGui::GetColorU32(ImGuiCol_FrameBg);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(scene.stations().size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto s = static_cast<std::size_t>(row);
      const ElementIndex station = scene.stations()[s];
      ImGui::PushID(row);
      if (ImGui::Selectable(scene.element(station).id.c_str(), selected == station, 0,
                            ImVec2(label_width, 0)))
        selected = station;
      ImGui::SameLine(0.0f, spacing);
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const ImVec2 bar_min(plot_x0, at.y);
      const ImVec2 bar_max(plot_x1, at.y + line);
      draw->AddRectFilled(bar_min, bar_max, background);
      const std::vector<StateSpan>& spans = timeline.spans(s);
      for (std::size_t i = 0; i < spans.size(); ++i) {
        const float x0 = scale.x_of(spans[i].start_s);
        const float x1 = scale.x_of(timeline.span_end(s, i));
        if (x1 > x0)
          draw->AddRectFilled(ImVec2(x0, bar_min.y), ImVec2(x1, bar_max.y), span_colour(spans[i]));
      }
      ImGui::Dummy(ImVec2(plot_x1 - plot_x0, line));
      if (ImGui::IsItemHovered() && !spans.empty()) {
        const double t = scale.time_at(ImGui::GetIO().MousePos.x);
        // The last span starting at or before t.
        const auto after = std::upper_bound(
            spans.begin(), spans.end(), t,
            [](double time_s, const StateSpan& span) { return time_s < span.start_s; });
        if (after != spans.begin()) {
          const auto i = static_cast<std::size_t>(after - spans.begin()) - 1;
          ImGui::SetTooltip("%s  %s", scene.element(station).id.c_str(),
                            describe(spans[i], timeline.span_end(s, i)).c_str());
        }
      }
      plot.rows.push_back({scene.element(station).id, bar_min.y, bar_max.y});
      ImGui::PopID();
    }
  }
  // The rows' part of the window, scrolled or not.
  const ImVec2 rows_pos = ImGui::GetWindowPos();
  plot.plot = {plot_x0, rows_pos.y, plot_x1, rows_pos.y + ImGui::GetWindowSize().y};
  ImGui::EndChild();
  // Tick marks under the rows (no grid lines across them, which would hide the spans' colours).
  const float axis_top = ImGui::GetCursorScreenPos().y;
  draw_time_axis(ImGui::GetWindowDrawList(), scale, axis_top, axis_top);
  ImGui::Dummy(ImVec2(plot_x1 - rows_top_left.x, axis_height));
  return plot;
}

}  // namespace linetwin::viewer
