#include "sweep_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "model/chart_axis.hpp"

namespace linetwin::viewer {
namespace {

struct Rgb {
  int r, g, b;
};
// One colour per line, as the usual categorical palette of charting tools.
constexpr Rgb kPalette[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                            {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                            {188, 189, 34},  {23, 190, 207}};
constexpr Rgb kBestColour{255, 200, 40};
constexpr Rgb kSelectedColour{255, 255, 255};

ImU32 colour(Rgb c, int alpha = 255) {
  return IM_COL32(c.r, c.g, c.b, alpha);
}

Rgb line_colour(std::size_t series) {
  return kPalette[series % std::size(kPalette)];
}

// A band: opaque, the line's colour halfway to the chart's dark background, when it is the only
// line; translucent when several may overlap.
ImU32 band_colour(std::size_t series, std::size_t count) {
  const Rgb c = line_colour(series);
  if (count > 1) return colour(c, 80);
  return colour({(c.r + 40) / 2, (c.g + 44) / 2, (c.b + 52) / 2});
}

std::string number(double value) {
  if (std::isnan(value)) return "-";
  return fmt::format("{:.4g}", value);
}

std::string interval(const SweepEstimate& e) {
  if (!e.has_interval()) return number(e.mean);
  return fmt::format("{} [{}, {}]", number(e.mean), number(e.low), number(e.high));
}

std::string with_unit(const std::string& name, const std::string& unit) {
  return unit.empty() ? name : name + " [" + unit + "]";
}

// The interval's ends where it has one, else the mean alone.
double low_of(const SweepEstimate& e) {
  return e.has_interval() ? e.low : e.mean;
}
double high_of(const SweepEstimate& e) {
  return e.has_interval() ? e.high : e.mean;
}

void dashed_line(ImDrawList* draw, ImVec2 from, ImVec2 to, ImU32 c, float dash) {
  const float length = to.x - from.x;
  for (float x = 0.0f; x < length; x += 2.0f * dash) {
    draw->AddLine(ImVec2(from.x + x, from.y), ImVec2(from.x + std::min(x + dash, length), to.y), c,
                  1.5f);
  }
}

}  // namespace

SweepPanel::SweepPanel() = default;
SweepPanel::~SweepPanel() = default;

void SweepPanel::show(SweepView view) {
  view_ = std::move(view);
  kpi_ = view_->kpi_index(view_->ranking_kpi()).value_or(0);
  selected_.reset();
}

void SweepPanel::start(const std::string& scenario_path, cli::SweepFlags flags) {
  run_.reset();  // cancels and waits for one under way
  run_ = std::make_unique<SweepRun>(scenario_path, flags);
  run_taken_ = false;
  message_.clear();
  std::snprintf(scenario_path_, sizeof scenario_path_, "%s", scenario_path.c_str());
}

void SweepPanel::cancel() {
  if (run_) run_->cancel();
}

void SweepPanel::draw() {
  plot_.reset();
  draw_sources();
  if (!view_) {
    ImGui::TextDisabled("Open a sweep's results (linetwin sweep --json) or run a scenario.");
    return;
  }
  const SweepView& view = *view_;
  ImGui::Text("%s: %zu variants, seed %llu%s", view.name().c_str(), view.variants().size(),
              static_cast<unsigned long long>(view.seed()),
              view.common_random_numbers() ? ", common random numbers" : "");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(22.0f * ImGui::GetFontSize());
  const SweepKpi& kpi = view.kpis()[kpi_];
  if (ImGui::BeginCombo("KPI", with_unit(kpi.name, kpi.unit).c_str())) {
    for (std::size_t k = 0; k < view.kpis().size(); ++k) {
      if (ImGui::Selectable(view.kpis()[k].name.c_str(), k == kpi_)) kpi_ = k;
    }
    ImGui::EndCombo();
  }
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const bool chart = !view.series().empty();
  if (chart) {
    draw_chart(ImVec2(std::floor(0.5f * room.x), room.y));
    ImGui::SameLine();
  }
  if (ImGui::BeginChild("comparison", ImVec2(0.0f, room.y))) draw_table();
  ImGui::EndChild();
}

void SweepPanel::draw_sources() {
  // A sweep under way: its progress and a cancel; when it ends, its results or what stopped it.
  if (run_ && !run_taken_) {
    if (!run_->finished()) {
      const std::size_t total = run_->total();
      const float fraction =
          total > 0 ? static_cast<float>(run_->done()) / static_cast<float>(total) : 0.0f;
      const std::string text = total > 0 ? fmt::format("{} of {} replications", run_->done(), total)
                                         : std::string("reading the scenario");
      ImGui::ProgressBar(fraction, ImVec2(20.0f * ImGui::GetFontSize(), 0.0f), text.c_str());
      ImGui::SameLine();
      if (ImGui::Button("Cancel")) cancel();
      ImGui::SameLine();
      ImGui::TextUnformatted(run_->scenario_path().c_str());
      return;
    }
    run_taken_ = true;
    if (run_->cancelled()) {
      message_ = "cancelled";
    } else if (!run_->error().empty()) {
      message_ = run_->error();
    } else {
      show(*run_->view());
      message_.clear();
    }
  }
  ImGui::SetNextItemWidth(18.0f * ImGui::GetFontSize());
  ImGui::InputTextWithHint("##results", "results.json", results_path_, sizeof results_path_);
  ImGui::SameLine();
  if (ImGui::Button("Open")) {
    try {
      show(SweepView::read(results_path_));
      message_.clear();
    } catch (const InputError& e) {
      message_ = e.what();
    }
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(18.0f * ImGui::GetFontSize());
  ImGui::InputTextWithHint("##scenario", "scenario.yaml", scenario_path_, sizeof scenario_path_);
  ImGui::SameLine();
  if (ImGui::Button("Run sweep")) start(scenario_path_);
  if (!message_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 140, 120, 255));
    ImGui::TextWrapped("%s", message_.c_str());
    ImGui::PopStyleColor();
  }
}

void SweepPanel::draw_chart(ImVec2 size) {
  const SweepView& view = *view_;
  const SweepKpi& kpi = view.kpis()[kpi_];
  const auto estimate = [&](std::size_t variant) -> const SweepEstimate& {
    return view.variants()[variant].cells[kpi_].estimate;
  };
  const std::string& parameter = view.swept().front();
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  const ImVec2 bottom_right(top_left.x + size.x, top_left.y + size.y);
  ImGui::InvisibleButton("sweep chart", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  const ImU32 text_colour = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border, 0.6f);
  draw->AddRectFilled(top_left, bottom_right, ImGui::GetColorU32(ImGuiCol_FrameBg));
  draw->AddRect(top_left, bottom_right, ImGui::GetColorU32(ImGuiCol_Border));
  const std::string title = with_unit(kpi.name, kpi.unit) + " against " + parameter;
  draw->AddText(ImVec2(top_left.x + 4, top_left.y + 2), text_colour, title.c_str());

  // The ranges: every point's interval and the baseline's mean; the parameter's values.
  double y_low = std::numeric_limits<double>::infinity();
  double y_high = -y_low;
  double x_low = y_low;
  double x_high = -y_low;
  for (const SweepSeries& s : view.series()) {
    for (const SweepSeries::Point& p : s.points) {
      x_low = std::min(x_low, p.x);
      x_high = std::max(x_high, p.x);
      const SweepEstimate& e = estimate(p.variant);
      if (std::isnan(e.mean)) continue;
      y_low = std::min(y_low, low_of(e));
      y_high = std::max(y_high, high_of(e));
    }
  }
  const double baseline = estimate(0).mean;
  if (!std::isnan(baseline)) {
    y_low = std::min(y_low, baseline);
    y_high = std::max(y_high, baseline);
  }
  if (!std::isfinite(y_low)) {
    draw->AddText(ImVec2(top_left.x + 4, top_left.y + size.y / 2), faint, "no values");
    return;
  }
  // Whole steps at both ends of the value axis, so that its top and bottom lines are ticks. The
  // plot starts under the title and, with several lines, the line under it that tells them apart.
  const std::size_t count = view.series().size();
  const float plot_top = top_left.y + (count > 1 ? 2.5f : 1.5f) * line + 4.0f;
  const float plot_bottom = bottom_right.y - 2.0f * line - 8.0f;
  const int y_ticks = std::max(2, static_cast<int>((plot_bottom - plot_top) / (2.5f * line)) + 1);
  if (y_high <= y_low) y_high = y_low + 1.0;
  const double y_step = nice_step(y_high - y_low, y_ticks);
  y_low = std::floor(y_low / y_step) * y_step;
  y_high = std::ceil(y_high / y_step) * y_step;
  const Axis y_axis = value_axis(y_low, y_high, y_ticks);
  // The points off the plot's edges by a twentieth of the span (half a unit for a single value).
  const double x_margin = x_high > x_low ? 0.05 * (x_high - x_low) : 0.5;
  x_low -= x_margin;
  x_high += x_margin;
  float label_width = 0.0f;
  for (const AxisTick& tick : y_axis.ticks)
    label_width = std::max(label_width, ImGui::CalcTextSize(tick.label.c_str()).x);
  const float plot_left = top_left.x + label_width + 8.0f;
  const float plot_right = bottom_right.x - 8.0f;
  const auto x_of = [&](double x) {
    return plot_left +
           static_cast<float>((x - x_low) / (x_high - x_low)) * (plot_right - plot_left);
  };
  const auto y_of = [&](double y) {
    return plot_bottom -
           static_cast<float>((y - y_low) / (y_high - y_low)) * (plot_bottom - plot_top);
  };

  // Grid and axes first, the bands over them, the lines and points over the bands.
  for (const AxisTick& tick : y_axis.ticks) {
    const float y = y_of(tick.value);
    draw->AddLine(ImVec2(plot_left - 3.0f, y), ImVec2(plot_right, y), grid);
    draw->AddText(
        ImVec2(plot_left - 5.0f - ImGui::CalcTextSize(tick.label.c_str()).x, y - line / 2.0f),
        faint, tick.label.c_str());
  }
  const float label_room = ImGui::CalcTextSize("000000").x + ImGui::GetFontSize();
  const int x_ticks = std::max(2, static_cast<int>((plot_right - plot_left) / label_room) + 1);
  const Axis x_axis = value_axis(x_low, x_high, x_ticks);
  for (const AxisTick& tick : x_axis.ticks) {
    const float x = x_of(tick.value);
    draw->AddLine(ImVec2(x, plot_top), ImVec2(x, plot_bottom + 3.0f), grid);
    const float width = ImGui::CalcTextSize(tick.label.c_str()).x;
    draw->AddText(ImVec2(x - width / 2.0f, plot_bottom + 3.0f), faint, tick.label.c_str());
  }
  const std::string x_title = with_unit(parameter, SweepView::parameter_unit(parameter));
  draw->AddText(
      ImVec2(plot_right - ImGui::CalcTextSize(x_title.c_str()).x, plot_bottom + 3.0f + line), faint,
      x_title.c_str());

  SweepPlot plot{{plot_left, plot_top, plot_right, plot_bottom},
                 kpi.name,
                 parameter,
                 x_low,
                 x_high,
                 y_low,
                 y_high,
                 {}};
  draw->PushClipRect(ImVec2(plot_left, plot_top), ImVec2(plot_right, plot_bottom), true);
  for (std::size_t s = 0; s < count; ++s) {
    const auto& points = view.series()[s].points;
    const ImU32 band = band_colour(s, count);
    SweepPlot::Series drawn{view.series()[s].label, band, {}};
    for (std::size_t i = 0; i < points.size(); ++i) {
      drawn.variants.push_back(points[i].variant);
      const SweepEstimate& e = estimate(points[i].variant);
      if (!e.has_interval()) continue;
      const float x = x_of(points[i].x);
      // A lone point's interval as a bar; else the band to the next point with one.
      if (points.size() == 1) {
        draw->AddRectFilled(ImVec2(x - 4.0f, y_of(e.high)), ImVec2(x + 4.0f, y_of(e.low)), band);
      }
      if (i + 1 < points.size()) {
        const SweepEstimate& next = estimate(points[i + 1].variant);
        if (!next.has_interval()) continue;
        const float x2 = x_of(points[i + 1].x);
        draw->AddQuadFilled(ImVec2(x, y_of(e.high)), ImVec2(x2, y_of(next.high)),
                            ImVec2(x2, y_of(next.low)), ImVec2(x, y_of(e.low)), band);
      }
    }
    plot.series.push_back(std::move(drawn));
  }
  if (!std::isnan(baseline)) {
    const float y = y_of(baseline);
    dashed_line(draw, ImVec2(plot_left, y), ImVec2(plot_right, y), faint, 6.0f);
    draw->AddText(ImVec2(plot_left + 4.0f, y - line), faint, "baseline");
  }
  // A selected variant that is not a sweep point (a named one): its mean across, dotted.
  std::optional<ImVec2> selected_at;
  std::optional<ImVec2> best_at;
  const std::optional<SweepBest> best = view.best(kpi_);
  for (std::size_t s = 0; s < count; ++s) {
    const auto& points = view.series()[s].points;
    const ImU32 c = colour(line_colour(s));
    for (std::size_t i = 0; i < points.size(); ++i) {
      const SweepEstimate& e = estimate(points[i].variant);
      if (std::isnan(e.mean)) continue;
      const ImVec2 at(x_of(points[i].x), y_of(e.mean));
      if (i + 1 < points.size() && !std::isnan(estimate(points[i + 1].variant).mean)) {
        draw->AddLine(at, ImVec2(x_of(points[i + 1].x), y_of(estimate(points[i + 1].variant).mean)),
                      c, 2.0f);
      }
      draw->AddCircleFilled(at, 3.5f, c);
      if (selected_ == points[i].variant) selected_at = at;
      if (best && best->variant == points[i].variant) best_at = at;
    }
  }
  if (best_at) draw->AddCircle(*best_at, 8.0f, colour(kBestColour), 0, 2.0f);
  if (selected_at) draw->AddCircle(*selected_at, 5.5f, colour(kSelectedColour), 0, 2.0f);
  if (selected_ && !selected_at && *selected_ != 0 && !std::isnan(estimate(*selected_).mean)) {
    const float y = y_of(estimate(*selected_).mean);
    dashed_line(draw, ImVec2(plot_left, y), ImVec2(plot_right, y), colour(kSelectedColour), 2.0f);
    draw->AddText(
        ImVec2(plot_right - ImGui::CalcTextSize(view.variants()[*selected_].name.c_str()).x - 4.0f,
               y - line),
        colour(kSelectedColour), view.variants()[*selected_].name.c_str());
  }
  draw->PopClipRect();

  // Which line is which, under the title.
  if (count > 1) {
    float x = top_left.x + 4.0f;
    for (std::size_t s = 0; s < count && x < bottom_right.x; ++s) {
      const std::string& label = view.series()[s].label;
      draw->AddText(ImVec2(x, top_left.y + 2.0f + line), colour(line_colour(s)), label.c_str());
      x += ImGui::CalcTextSize(label.c_str()).x + ImGui::GetFontSize();
    }
  }

  // The point under the mouse: its variant and interval; a click selects it.
  if (hovered) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    std::optional<std::size_t> nearest;
    float nearest_d2 = 8.0f * 8.0f;
    for (const SweepSeries& s : view.series()) {
      for (const SweepSeries::Point& p : s.points) {
        const double mean = estimate(p.variant).mean;
        if (std::isnan(mean)) continue;
        const float dx = x_of(p.x) - mouse.x;
        const float dy = y_of(mean) - mouse.y;
        if (dx * dx + dy * dy < nearest_d2) {
          nearest_d2 = dx * dx + dy * dy;
          nearest = p.variant;
        }
      }
    }
    if (nearest) {
      ImGui::SetTooltip("%s: %s %s", view.variants()[*nearest].name.c_str(), kpi.name.c_str(),
                        interval(estimate(*nearest)).c_str());
      if (clicked) selected_ = nearest;
    }
  }
  plot_ = std::move(plot);
}

void SweepPanel::draw_table() {
  const SweepView& view = *view_;
  const SweepKpi& kpi = view.kpis()[kpi_];
  const std::optional<SweepBest> best = view.best(kpi_);
  if (best) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colour(kBestColour)), "Best on %s: %s (%s)",
                       kpi.name.c_str(), view.variants()[best->variant].name.c_str(),
                       best->by_selection  ? "the sweep's selection of the best"
                       : kpi.direction > 0 ? "highest mean, no selection ran on it"
                                           : "lowest mean, no selection ran on it");
    if (best->by_selection && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", view.selection_statement().c_str());
  } else {
    ImGui::TextDisabled("%s: which way is better is not known; no best is named", kpi.name.c_str());
  }
  const int columns = 4 + static_cast<int>(view.swept().size());
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_SizingFixedFit;
  const float gates_height =
      static_cast<float>(view.gates().size()) * ImGui::GetTextLineHeightWithSpacing();
  if (ImGui::BeginTable("variants", columns, flags, ImVec2(0.0f, -gates_height - 2.0f))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("variant");
    for (const std::string& path : view.swept())
      ImGui::TableSetupColumn(path.c_str());
    ImGui::TableSetupColumn(with_unit(kpi.name, kpi.unit).c_str());
    ImGui::TableSetupColumn("difference to baseline");
    ImGui::TableSetupColumn("reps");
    ImGui::TableHeadersRow();
    for (std::size_t v = 0; v < view.variants().size(); ++v) {
      const SweepVariantRow& row = view.variants()[v];
      const SweepCell& cell = row.cells[kpi_];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(v));
      const bool is_best = best && best->variant == v;
      if (is_best) ImGui::PushStyleColor(ImGuiCol_Text, colour(kBestColour));
      const std::string name = is_best ? row.name + "  (best)" : row.name;
      if (ImGui::Selectable(name.c_str(), selected_ == v, ImGuiSelectableFlags_SpanAllColumns))
        selected_ = selected_ == v ? std::nullopt : std::optional<std::size_t>(v);
      if (is_best) ImGui::PopStyleColor();
      ImGui::PopID();
      for (const std::string& path : view.swept()) {
        ImGui::TableNextColumn();
        const auto it = std::find_if(row.parameters.begin(), row.parameters.end(),
                                     [&](const auto& p) { return p.first == path; });
        if (it != row.parameters.end()) ImGui::Text("%g", it->second);
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(interval(cell.estimate).c_str());
      ImGui::TableNextColumn();
      if (cell.difference) {
        const std::string text =
            (cell.difference->mean >= 0.0 ? "+" : "") + interval(*cell.difference);
        if (cell.differs) {
          ImGui::TextUnformatted(text.c_str());
        } else {
          // An interval that holds 0: no difference shown.
          ImGui::TextDisabled("%s", text.c_str());
        }
      } else {
        ImGui::TextDisabled("baseline");
      }
      ImGui::TableNextColumn();
      ImGui::Text("%zu", row.replications);
    }
    ImGui::EndTable();
  }
  for (const SweepGate& gate : view.gates()) {
    if (gate.passed) {
      ImGui::Text("gate passed: %s", gate.text.c_str());
    } else {
      ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "gate FAILED: %s (%zu variants)",
                         gate.text.c_str(), gate.failures.size());
      if (ImGui::IsItemHovered()) {
        std::string failures;
        for (const std::string& f : gate.failures)
          failures += f + "\n";
        ImGui::SetTooltip("%s", failures.c_str());
      }
    }
  }
}

}  // namespace linetwin::viewer
