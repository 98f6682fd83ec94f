#include "viewer_panels.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/duration.hpp"
#include "core/timestamp.hpp"
#include "core/whole_number.hpp"
#include "io/scene_file.hpp"
#include "line_chart.hpp"
#include "model/live_source.hpp"
#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "model/state_colours.hpp"
#include "telemetry/line_state_estimate.hpp"

namespace linetwin::viewer {
namespace {

ImU32 colour_of(ViewState state) {
  const Rgb8 c = state_colour(state);
  return IM_COL32(c.r, c.g, c.b, 255);
}

ImVec4 colour_vec(ViewState state) {
  return ImGui::ColorConvertU32ToFloat4(colour_of(state));
}

ImVec4 rgb_vec(Rgb8 c) {
  return ImGui::ColorConvertU32ToFloat4(IM_COL32(c.r, c.g, c.b, 255));
}

// Text and swatches about a deadlock, in the colour of its highlight in the 3D view.
ImVec4 deadlock_colour() {
  return rgb_vec(kDeadlockHighlight);
}

// A KPI as text: "-" when undefined.
std::string number(double value, const char* format = "%.2f") {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string interval_text(const Estimate& e) {
  if (e.replications == 0) return "-";
  if (!e.has_interval) return number(e.mean, "%.4g");
  return number(e.mean, "%.4g") + " [" + number(e.ci_low, "%.4g") + ", " +
         number(e.ci_high, "%.4g") + "]";
}

// As interval_text, saying how many of the `replications` run it covers when deadlocks (or an
// undefined KPI) left some out.
std::string interval_text(const Estimate& e, std::size_t replications) {
  if (e.replications == 0 || e.replications == replications) return interval_text(e);
  return interval_text(e) + " (" + std::to_string(e.replications) + " of " +
         std::to_string(replications) + ")";
}

// The shares of a station's time, in the order drawn, with the state whose colour draws each.
struct Share {
  ViewState state;
  double StationResult::*share;
};
constexpr Share kShares[] = {
    {ViewState::kWorking, &StationResult::working},
    {ViewState::kSetup, &StationResult::setup},
    {ViewState::kWaitingOperator, &StationResult::waiting_operator},
    {ViewState::kStarved, &StationResult::starved},
    {ViewState::kBlocked, &StationResult::blocked},
    {ViewState::kDown, &StationResult::down},
    {ViewState::kOffShift, &StationResult::off_shift},
};

void share_bar(const StationResult& station, float width, float height) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  float x = origin.x;
  double known = 0.0;
  for (const Share& s : kShares) {
    const double share = station.*s.share;
    if (!(share > 0.0)) continue;
    known += share;
    const float w = static_cast<float>(share) * width;
    draw->AddRectFilled(ImVec2(x, origin.y), ImVec2(x + w, origin.y + height), colour_of(s.state));
    x += w;
  }
  // A twin's time before its first report (or reported as unknown) is in no state: the rest of
  // the bar, in the legend's colour for unknown. A simulated station's shares add up to 1.
  const double unknown = 1.0 - known;
  if (unknown > 1e-6) {
    draw->AddRectFilled(ImVec2(x, origin.y), ImVec2(origin.x + width, origin.y + height),
                        colour_of(ViewState::kUnknown));
  }
  draw->AddRect(origin, ImVec2(origin.x + width, origin.y + height),
                ImGui::GetColorU32(ImGuiCol_Border));
  ImGui::Dummy(ImVec2(width, height));
  if (ImGui::IsItemHovered()) {
    std::string text;
    for (const Share& s : kShares) {
      const double share = station.*s.share;
      if (share > 0.0)
        text += std::string(state_name(s.state)) + ": " + number(100.0 * share, "%.1f") + "%\n";
    }
    if (unknown > 1e-6) {
      text += std::string(state_name(ViewState::kUnknown)) + ": " +
              number(100.0 * unknown, "%.1f") + "%\n";
    }
    ImGui::SetTooltip("%s", text.c_str());
  }
}

// A cell of the legend's table: a swatch of `colour`, then what it stands for.
void legend_entry(Rgb8 colour, const char* meaning) {
  ImGui::TableNextColumn();
  ImGui::ColorButton(meaning, rgb_vec(colour), ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
  ImGui::SameLine();
  ImGui::TextUnformatted(meaning);
}

void state_swatch(ViewState state) {
  ImGui::ColorButton(std::string(state_name(state)).c_str(), colour_vec(state),
                     ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
  ImGui::SameLine();
  ImGui::TextUnformatted(std::string(state_name(state)).c_str());
}

// Where a panel opens the first time (imgui.ini remembers it afterwards): the controls, KPIs and
// legend down the left, the share bars, inspector and event log down the right, the state
// timeline at the bottom between them and the what-if window above it, leaving the middle to the
// line (view_area()). Sizes in multiples of the font size, so that they scale with it on a
// high-DPI screen.
enum class Slot : std::uint8_t {
  kControls,
  kKpis,
  kLegend,
  kStateShares,
  kInspector,
  kEvents,
  kWhatIf,
  kTimeline,
  kSweep
};

// The columns' width and the gap around panels, in multiples of the font size.
constexpr float kSideEm = 30.0f;
constexpr float kPadEm = 0.7f;
constexpr float kWhatIfEm = 24.0f;    // the what-if window's height
constexpr float kTimelineEm = 12.0f;  // the state timeline's height
constexpr float kSweepEm = 22.0f;     // the sweep window's height

// The height the bottom windows take from the middle when open, with the gaps around them.
float bottom_height(float em, bool open, float height_em) {
  return open ? height_em * em + kPadEm * em : 0.0f;
}

void place(Slot slot, const PanelVisibility& open) {
  const ImGuiViewport& screen = *ImGui::GetMainViewport();
  const float em = ImGui::GetFontSize();
  const float pad = kPadEm * em;
  const float side = kSideEm * em;
  const ImVec2 at = screen.WorkPos;
  const ImVec2 size = screen.WorkSize;
  const float right = at.x + size.x - side - pad;
  ImVec2 pos;
  ImVec2 extent;
  switch (slot) {
    case Slot::kControls:
      pos = {at.x + pad, at.y + pad};
      extent = {side, 11.0f * em};
      break;
    case Slot::kKpis:
      pos = {at.x + pad, at.y + 12.0f * em};
      extent = {side, 31.0f * em};
      break;
    case Slot::kLegend:
      pos = {at.x + pad, at.y + 43.7f * em};
      extent = {0.0f, 0.0f};  // fits its contents
      break;
    case Slot::kStateShares:
      pos = {right, at.y + pad};
      extent = {side, 14.0f * em};
      break;
    case Slot::kInspector:
      pos = {right, at.y + 15.0f * em};
      extent = {side, 22.0f * em};
      break;
    case Slot::kEvents:
      pos = {right, at.y + 38.0f * em};
      extent = {side, std::max(10.0f * em, size.y - 38.0f * em - pad)};
      break;
    case Slot::kWhatIf:
      pos = {at.x + side + 2.0f * pad,
             at.y + size.y - kWhatIfEm * em - pad - bottom_height(em, open.timeline, kTimelineEm)};
      extent = {std::max(30.0f * em, size.x - 2.0f * side - 4.0f * pad), kWhatIfEm * em};
      break;
    case Slot::kTimeline:
      pos = {at.x + side + 2.0f * pad, at.y + size.y - kTimelineEm * em - pad};
      extent = {std::max(30.0f * em, size.x - 2.0f * side - 4.0f * pad), kTimelineEm * em};
      break;
    case Slot::kSweep: {
      // Between the columns that are open, or the whole width: a chart and a table side by side.
      const float left = open.source_controls || open.kpi_dashboard ? side + 2.0f * pad : pad;
      const float right_side =
          open.state_shares || open.inspector || open.event_log ? side + 2.0f * pad : pad;
      pos = {at.x + left, at.y + size.y - kSweepEm * em - pad -
                              bottom_height(em, open.what_if, kWhatIfEm) -
                              bottom_height(em, open.timeline, kTimelineEm)};
      extent = {std::max(30.0f * em, size.x - left - right_side), kSweepEm * em};
      break;
    }
  }
  ImGui::SetNextWindowPos(pos, ImGuiCond_FirstUseEver);
  if (extent.x > 0.0f) ImGui::SetNextWindowSize(extent, ImGuiCond_FirstUseEver);
}

}  // namespace

ScreenRect view_area(const PanelVisibility& open) {
  const ImGuiViewport& screen = *ImGui::GetMainViewport();
  const float em = ImGui::GetFontSize();
  const float pad = kPadEm * em;
  const float column = kSideEm * em + 2.0f * pad;
  ScreenRect area{screen.WorkPos.x, screen.WorkPos.y, screen.WorkPos.x + screen.WorkSize.x,
                  screen.WorkPos.y + screen.WorkSize.y};
  const float full_width = area.x1 - area.x0;
  // A window too narrow for both columns and a view keeps the whole width: the panels then
  // stand over the view, as they would have to anyway.
  if (full_width < 2.0f * column + 10.0f * em) return area;
  if (open.source_controls || open.kpi_dashboard) area.x0 += column;
  if (open.state_shares || open.inspector || open.event_log) area.x1 -= column;
  // The bottom windows, stacked, each with the gap below it, and a gap above the top one.
  const float bottom = bottom_height(em, open.what_if, kWhatIfEm) +
                       bottom_height(em, open.timeline, kTimelineEm) +
                       bottom_height(em, open.sweep, kSweepEm);
  if (bottom > 0.0f) area.y1 -= bottom + pad;
  return area;
}

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  if (!file) throw std::runtime_error("cannot read " + path.string());
  return text.str();
}

// The twins of a live or replayed line, which a what-if from now starts from; nothing for a
// simulation.
const LineTwins* twins_of(const ViewSource& source) {
  if (const auto* replay = dynamic_cast<const ReplaySource*>(&source)) return &replay->twins();
  if (const auto* live = dynamic_cast<const LiveSource*>(&source)) return &live->twins();
  return nullptr;
}

// The line as its twins tell it at the newest sample applied; nothing before the first sample.
std::optional<LineSnapshot> line_now(const LineTwins& twins, std::string_view origin) {
  if (twins.observed_from_us() == kNoTime) return std::nullopt;
  return estimate_line_state(twins, twins.observed_until_us(), std::string(origin));
}

constexpr const char* kNoTelemetryYet =
    "No telemetry yet: a what-if from now starts from the line as its telemetry tells it.";

// "the replayed line at 2026-01-05 02:00:00.000 UTC": what a what-if from now starts from, in
// the window and in the engine's errors about it.
std::string line_at(const LineSnapshot& now) {
  std::string when = format_timestamp_iso(*now.timestamp_us);  // 2026-01-05T02:00:00.000Z
  if (const std::size_t t = when.find('T'); t != std::string::npos) when[t] = ' ';
  if (!when.empty() && when.back() == 'Z') when.replace(when.size() - 1, 1, " UTC");
  return fmt::format("the {} line at {}", now.origin == "live" ? "live" : "replayed", when);
}

const char* parameter_label(WhatIfParameter parameter) {
  switch (parameter) {
    case WhatIfParameter::kProcessingMean:
      return "processing mean [s]";
    case WhatIfParameter::kServers:
      return "servers";
    case WhatIfParameter::kBufferCapacity:
      return "capacity";
    case WhatIfParameter::kDownFor:
      return "stays down for [h]";
  }
  return "";
}

// Adds `change` to `changes`, in place of an earlier change of the same parameter.
void add_change(std::vector<WhatIfChange>& changes, const WhatIfChange& change) {
  const auto same = std::find_if(changes.begin(), changes.end(), [&](const WhatIfChange& c) {
    return c.element == change.element && c.parameter == change.parameter;
  });
  if (same != changes.end()) {
    *same = change;
  } else {
    changes.push_back(change);
  }
}

}  // namespace

ViewerPanels::ViewerPanels(const Scene& scene, std::filesystem::path scene_path)
    : scene_(scene),
      scene_path_(std::move(scene_path)),
      log_(scene),
      timeline_(scene),
      levels_(scene),
      level_text_(scene.buffers().size()),
      given_levels_(scene.buffers().size()) {
  std::filesystem::path save = scene_path_;
  save.replace_filename(scene_path_.stem().string() + ".whatif.yaml");
  std::snprintf(save_path_, sizeof save_path_, "%s", save.string().c_str());
}

ViewerPanels::~ViewerPanels() = default;

void ViewerPanels::take(ViewSource& source) {
  from_now_offered_ = twins_of(source) != nullptr;
  reports_.clear();
  source.take_reports(reports_);
  log_.add(reports_);
  kpis_ = source.kpis();
  time_s_ = source.time_s();
  if (kpis_) history_.record(time_s_, *kpis_);
  timeline_.take(reports_, time_s_);
}

void ViewerPanels::draw(const LineView& view, ViewSource& source,
                        std::optional<ElementIndex>& selected) {
  take(source);
  // Only a simulation knows where the parts are (telemetry does not): its levels are sampled
  // from the view drawn.
  if (!from_now_offered_) levels_.record(view);

  if (visible_.source_controls) draw_source_controls(source);
  if (visible_.kpi_dashboard) draw_kpi_dashboard();
  if (visible_.state_shares) draw_state_shares(source, selected);
  if (visible_.inspector) draw_inspector(view, source, selected);
  if (visible_.event_log) draw_event_log(view, selected);
  if (visible_.what_if) draw_what_if(source);
  if (visible_.legend) draw_legend();
  timeline_plot_.reset();
  if (visible_.timeline) draw_timeline(selected);
  if (visible_.sweep) draw_sweep();
}

void ViewerPanels::draw_sweep() {
  place(Slot::kSweep, visible_);
  if (ImGui::Begin("Sweep", &visible_.sweep)) sweep_.draw();
  ImGui::End();
}

void ViewerPanels::draw_level_chart(ElementIndex element, std::uint64_t capacity) {
  const std::optional<std::size_t> k = levels_.position_of(element);
  if (!k) return;
  const std::vector<std::uint32_t>& levels = levels_.levels(*k);
  const std::vector<double> ys(levels.begin(), levels.end());
  const std::string label =
      capacity > 0 ? fmt::format("level [parts] of {}", capacity) : std::string("level [parts]");
  line_chart(label.c_str(), levels_.times_s(), ys, 0.0, time_s_,
             ImVec2(0, 6.5f * ImGui::GetFontSize()), colour_of(ViewState::kPassive));
}

void ViewerPanels::draw_timeline(std::optional<ElementIndex>& selected) {
  place(Slot::kTimeline, visible_);
  if (ImGui::Begin("State timeline", &visible_.timeline)) {
    if (timeline_ids_width_ <= 0.0f) timeline_ids_width_ = station_ids_width(scene_);
    timeline_plot_ = draw_state_timeline(scene_, timeline_, timeline_ids_width_, selected);
  }
  ImGui::End();
}

void ViewerPanels::draw_source_controls(ViewSource& source) {
  place(Slot::kControls, visible_);
  if (!ImGui::Begin("Source", &visible_.source_controls)) {
    ImGui::End();
    return;
  }
  ImGui::Text("%s  |  t = %s", std::string(source.kind()).c_str(),
              format_duration(source.time_s()).c_str());
  if (auto* sim = dynamic_cast<SimulationSource*>(&source)) {
    // A deadlocked line cannot move: the buttons stay, greyed, and the reason is written under
    // them.
    if (sim->deadlock()) ImGui::BeginDisabled();
    if (ImGui::Button(sim->playing() ? "Pause" : "Play"))
      sim->playing() ? sim->pause() : sim->play();
    ImGui::SameLine();
    if (ImGui::Button("Step")) sim->step();
    if (sim->deadlock()) {
      ImGui::EndDisabled();
      ImGui::TextColored(deadlock_colour(), "Stopped at %s: the line deadlocked.",
                         format_duration(sim->deadlock()->time_s).c_str());
    }
    auto speed = static_cast<float>(sim->speed());
    if (ImGui::SliderFloat("speed", &speed, static_cast<float>(SimulationSource::kMinSpeed),
                           static_cast<float>(SimulationSource::kMaxSpeed), "x%.0f",
                           ImGuiSliderFlags_Logarithmic))
      sim->set_speed(speed);
    const float done = static_cast<float>(sim->time_s() / sim->end_time_s());
    const std::string of_run =
        format_duration(sim->time_s()) + " of " + format_duration(sim->end_time_s());
    ImGui::ProgressBar(done, ImVec2(-1, 0), of_run.c_str());
  } else if (auto* replay = dynamic_cast<ReplaySource*>(&source)) {
    if (ImGui::Button(replay->playing() ? "Pause" : "Play"))
      replay->playing() ? replay->pause() : replay->play();
    auto speed = static_cast<float>(replay->speed());
    if (ImGui::SliderFloat("speed", &speed, static_cast<float>(ReplaySource::kMinSpeed),
                           static_cast<float>(ReplaySource::kMaxSpeed), "x%.1f",
                           ImGuiSliderFlags_Logarithmic))
      replay->set_speed(speed);
    auto t = static_cast<float>(replay->time_s());
    if (ImGui::SliderFloat("timeline", &t, 0.0f, static_cast<float>(replay->duration_s()),
                           "%.0f s"))
      replay->seek(t);
    ImGui::Text("%zu of %zu samples", replay->samples_applied(), replay->sample_count());
  } else if (auto* live = dynamic_cast<LiveSource*>(&source)) {
    ImGui::TextColored(colour_vec(live->connected() ? ViewState::kWorking : ViewState::kDown), "%s",
                       live->connected() ? "connected" : "not connected");
    ImGui::TextWrapped("%s", live->connection_status().c_str());
    const MqttFeedStats& stats = live->feed_stats();
    ImGui::Text("messages %llu, refused %llu, samples %llu",
                static_cast<unsigned long long>(stats.messages),
                static_cast<unsigned long long>(stats.faulty_messages),
                static_cast<unsigned long long>(stats.samples));
    // How far behind the plant the twins are, and whether the plant's clocks run ahead of ours.
    ImGui::TextWrapped("age %s", describe_ages(live->sample_ages()).c_str());
  }
  ImGui::End();
}

void ViewerPanels::draw_kpi_dashboard() {
  place(Slot::kKpis, visible_);
  if (!ImGui::Begin("KPI dashboard", &visible_.kpi_dashboard)) {
    ImGui::End();
    return;
  }
  if (!kpis_) {
    ImGui::TextUnformatted("No KPIs yet: the source has not reported.");
    ImGui::End();
    return;
  }
  if (kpis_->deadlock) {
    ImGui::PushStyleColor(ImGuiCol_Text, deadlock_colour());
    ImGui::TextWrapped("The line deadlocked at %s: its KPIs stop there; it makes nothing more.",
                       format_duration(kpis_->deadlock->time_s).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Text(
      "throughput %s parts/h   WIP %s\nlead time %s   OEE %s",
      number(kpis_->throughput_per_hour, "%.1f").c_str(), number(kpis_->wip_mean).c_str(),
      std::isnan(kpis_->lead_time_mean_s) ? "-" : format_duration(kpis_->lead_time_mean_s).c_str(),
      number(100.0 * line_oee(*kpis_), "%.1f%%").c_str());
  const std::vector<KpiPoint>& points = history_.points();
  std::vector<double> xs(points.size());
  std::vector<double> ys(points.size());
  for (std::size_t i = 0; i < points.size(); ++i)
    xs[i] = points[i].time_s;
  // Each chart over the run so far, from its start to the source's time.
  auto chart = [&](const char* label, double KpiPoint::*value, double scale, ViewState colour) {
    for (std::size_t i = 0; i < points.size(); ++i)
      ys[i] = points[i].*value * scale;
    line_chart(label, xs, ys, 0.0, time_s_, ImVec2(0, 6.5f * ImGui::GetFontSize()),
               colour_of(colour));
  };
  chart("throughput [parts/h]", &KpiPoint::throughput_per_hour, 1.0, ViewState::kWorking);
  chart("WIP [parts]", &KpiPoint::wip, 1.0, ViewState::kBlocked);
  chart("lead time [s]", &KpiPoint::lead_time_s, 1.0, ViewState::kWaitingOperator);
  chart("OEE [%]", &KpiPoint::oee, 100.0, ViewState::kSetup);
  ImGui::End();
}

void ViewerPanels::draw_state_shares(const ViewSource& source,
                                     std::optional<ElementIndex>& selected) {
  place(Slot::kStateShares, visible_);
  if (!ImGui::Begin("State shares", &visible_.state_shares)) {
    ImGui::End();
    return;
  }
  if (!kpis_ || kpis_->stations.size() != scene_.stations().size()) {
    ImGui::Text("No state shares yet (t = %s).", format_duration(source.time_s()).c_str());
    ImGui::End();
    return;
  }
  const float label_width = ImGui::CalcTextSize("MMMMMMMMMM").x;
  // Only the rows in sight are laid out, so a line of thousands of stations costs what a screenful
  // does.
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(scene_.stations().size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto s = static_cast<std::size_t>(row);
      const ElementIndex station = scene_.stations()[s];
      ImGui::PushID(row);
      if (ImGui::Selectable(scene_.element(station).id.c_str(), selected == station, 0,
                            ImVec2(label_width, 0)))
        selected = station;
      ImGui::SameLine();
      share_bar(kpis_->stations[s], std::max(ImGui::GetContentRegionAvail().x, 50.0f),
                ImGui::GetTextLineHeight());
      ImGui::PopID();
    }
  }
  ImGui::End();
}

void ViewerPanels::draw_inspector(const LineView& view, const ViewSource& source,
                                  std::optional<ElementIndex>& selected) {
  place(Slot::kInspector, visible_);
  if (!ImGui::Begin("Inspector", &visible_.inspector)) {
    ImGui::End();
    return;
  }
  if (!selected || *selected >= view.elements.size()) {
    ImGui::TextWrapped("Click an element in the view, the share bars or the event log.");
    ImGui::End();
    return;
  }
  const ElementView& ev = view.elements[*selected];
  const Element& e = scene_.element(*selected);
  ImGui::Text("%s  (%s)", e.id.c_str(), std::string(to_string(e.type)).c_str());
  state_swatch(ev.state);
  if (ev.deadlocked) {
    for (const DeadlockResult::Element& d : view.deadlock->result.elements) {
      if (d.element == *selected)
        ImGui::TextColored(deadlock_colour(), "in the deadlock: %s", d.state.c_str());
    }
  }
  // Telemetry says what machines do, not where the parts are: only a simulation knows.
  if (dynamic_cast<const SimulationSource*>(&source) != nullptr) {
    ImGui::Text("parts here: %llu", static_cast<unsigned long long>(ev.parts));
    draw_level_chart(*selected, ev.capacity);
  }
  ImGui::Text("at x %.1f m, y %.1f m, yaw %.0f deg", e.pose.x_m, e.pose.y_m, e.pose.yaw_deg);
  if (!ev.model.empty()) ImGui::TextWrapped("model: %s", ev.model.c_str());
  ImGui::Separator();

  // Parameters, and the ones a what-if can change.
  if (e.type == ElementType::kStation) {
    const StationSpec& spec = scene_.station_spec(e);
    ImGui::Text("servers: %u", spec.servers);
    ImGui::Text("processing: %s", spec.processing.describe().c_str());
    if (spec.breakdowns) {
      ImGui::Text("time to failure: %s", spec.breakdowns->time_to_failure.describe().c_str());
      ImGui::Text("time to repair: %s", spec.breakdowns->time_to_repair.describe().c_str());
    }
  } else if (e.type == ElementType::kBuffer) {
    const std::uint64_t capacity = scene_.buffer_spec(e).capacity;
    ImGui::Text("capacity: %s", capacity == BufferSpec::kUnlimited
                                    ? "unlimited"
                                    : std::to_string(capacity).c_str());
  } else if (e.type == ElementType::kConveyor) {
    const ConveyorSpec& spec = scene_.conveyor_spec(e);
    ImGui::Text("length %.1f m, speed %.2f m/s, spacing %.2f m, %s", spec.length_m,
                spec.speed_m_per_s, spec.spacing_m,
                spec.accumulating ? "accumulating" : "non-accumulating");
  }

  // Statistics so far, from the source's KPIs.
  if (kpis_ && e.type == ElementType::kStation) {
    const auto& stations = scene_.stations();
    const auto s = static_cast<std::size_t>(std::find(stations.begin(), stations.end(), *selected) -
                                            stations.begin());
    if (s < kpis_->stations.size()) {
      const StationResult& r = kpis_->stations[s];
      ImGui::Separator();
      ImGui::Text("good %llu, scrapped %llu, failures %llu",
                  static_cast<unsigned long long>(r.parts_good),
                  static_cast<unsigned long long>(r.parts_scrapped),
                  static_cast<unsigned long long>(r.failures));
      ImGui::TextWrapped(
          "OEE %s (availability %s, performance %s, quality %s)", number(r.oee.oee, "%.3f").c_str(),
          number(r.oee.availability, "%.3f").c_str(), number(r.oee.performance, "%.3f").c_str(),
          number(r.oee.quality, "%.3f").c_str());
      share_bar(r, std::max(ImGui::GetContentRegionAvail().x, 50.0f), ImGui::GetTextLineHeight());
    }
  }

  const std::vector<WhatIfParameter> offered = offered_parameters(e.type);
  if (!offered.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted("What-if");
    if (edited_element_ != selected ||
        std::find(offered.begin(), offered.end(), edit_parameter_) == offered.end()) {
      edited_element_ = selected;
      edit_parameter_ = offered.front();
      edit_value_ = current_value(scene_, *selected, edit_parameter_);
    }
    if (offered.size() > 1 && ImGui::BeginCombo("parameter", parameter_label(edit_parameter_))) {
      for (const WhatIfParameter parameter : offered) {
        if (ImGui::Selectable(parameter_label(parameter), parameter == edit_parameter_) &&
            parameter != edit_parameter_) {
          edit_parameter_ = parameter;
          // Down for the whole horizon unless told otherwise.
          edit_value_ = parameter == WhatIfParameter::kDownFor
                            ? horizon_h_
                            : current_value(scene_, *selected, parameter);
        }
      }
      ImGui::EndCombo();
    }
    ImGui::InputDouble(edit_parameter_ == WhatIfParameter::kDownFor ? "hours" : "new value",
                       &edit_value_, 0.0, 0.0, "%.6g");
    const WhatIfChange edited{e.id, edit_parameter_, edit_value_};
    if (ImGui::Button("Add change")) add_change(pending_, edited);
    // The changes added so far, of any elements, each with a button that takes it out again.
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      const bool remove = ImGui::SmallButton("x");
      ImGui::SameLine();
      ImGui::TextUnformatted(describe(pending_[i]).c_str());
      ImGui::PopID();
      if (remove) pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i--));
    }
    ImGui::InputInt("replications", &replications_);
    replications_ = std::clamp(replications_, 2, 1000);
    if (from_now()) {
      ImGui::TextWrapped("From the line now, over the next %s (set in the what-if window).",
                         fmt::format("{:g} h", horizon_h_).c_str());
    }
    const bool running = what_if_ && !what_if_->finished();
    if (running) ImGui::BeginDisabled();
    // The changes added, and the one being edited, which need not be added first.
    if (ImGui::Button(from_now() ? "Run what-if from now" : "Run what-if")) {
      std::vector<WhatIfChange> changes = pending_;
      add_change(changes, edited);
      if (const auto error = start_what_if(changes, source)) what_if_message_ = *error;
      visible_.what_if = true;
    }
    if (running) ImGui::EndDisabled();
  }
  ImGui::End();
}

void ViewerPanels::draw_event_log(const LineView& view, std::optional<ElementIndex>& selected) {
  place(Slot::kEvents, visible_);
  if (!ImGui::Begin("Event log", &visible_.event_log)) {
    ImGui::End();
    return;
  }
  // The last thing that happened, above the list where scrolling cannot hide it.
  if (view.deadlock) {
    ImGui::PushStyleColor(ImGuiCol_Text, deadlock_colour());
    ImGui::TextWrapped("%s", view.deadlock->report.front().c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##filter", "filter: id or state", filter_text_, sizeof filter_text_);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  const char* any = "any state";
  const std::string current =
      filter_state_ < 0 ? any : std::string(state_name(static_cast<ViewState>(filter_state_)));
  if (ImGui::BeginCombo("##state", current.c_str())) {
    if (ImGui::Selectable(any, filter_state_ < 0)) filter_state_ = -1;
    for (int s = 0; s < kViewStateCount; ++s) {
      if (ImGui::Selectable(std::string(state_name(static_cast<ViewState>(s))).c_str(),
                            filter_state_ == s))
        filter_state_ = s;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("selected only", &filter_selected_only_);

  EventFilter filter;
  filter.text = filter_text_;
  if (filter_state_ >= 0) filter.state = static_cast<ViewState>(filter_state_);
  if (filter_selected_only_) filter.element = selected;
  const std::vector<std::size_t> shown = log_.matching(filter);
  ImGui::Text("%zu of %zu events", shown.size(), log_.size());
  ImGui::BeginChild("events");
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(shown.size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const EventLogEntry& entry = log_.entry(shown[static_cast<std::size_t>(row)]);
      ImGui::PushID(row);
      ImGui::ColorButton("##state", colour_vec(entry.state), ImGuiColorEditFlags_NoTooltip,
                         ImVec2(10, 10));
      ImGui::SameLine();
      if (ImGui::Selectable(log_.describe(entry).c_str(), selected == entry.element))
        selected = entry.element;
      ImGui::PopID();
    }
  }
  // Follow the newest events while the list is scrolled to its end.
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::End();
}

std::vector<WhatIfParameter> ViewerPanels::offered_parameters(ElementType type) const {
  switch (type) {
    case ElementType::kStation:
      if (from_now()) {
        return {WhatIfParameter::kProcessingMean, WhatIfParameter::kServers,
                WhatIfParameter::kDownFor};
      }
      return {WhatIfParameter::kProcessingMean, WhatIfParameter::kServers};
    case ElementType::kBuffer:
      return {WhatIfParameter::kBufferCapacity};
    default:
      return {};
  }
}

void ViewerPanels::give_level(std::size_t buffer, std::uint64_t level) {
  given_levels_.at(buffer) = level;
  std::snprintf(level_text_[buffer].data(), level_text_[buffer].size(), "%llu",
                static_cast<unsigned long long>(level));
}

std::optional<std::string> ViewerPanels::start_what_if(const std::vector<WhatIfChange>& changes,
                                                       const ViewSource& source) {
  if (changes.empty()) return std::string("No change to make: add one in the inspector.");
  const LineTwins* twins = from_now_ ? twins_of(source) : nullptr;
  for (const WhatIfChange& change : changes) {
    if (acts_on_state(change.parameter) && !twins) {
      return describe(change) +
             ": a change of the line as it is now, which only a what-if from now makes (of a "
             "live or replayed line, with 'from now' on)";
    }
  }
  try {
    ExperimentSettings settings = settings_from_scene(scene_);
    settings.run.replications = static_cast<std::uint32_t>(replications_);
    // One core is left to the window, so that it stays responsive.
    settings.threads = std::max(2u, std::thread::hardware_concurrency()) - 1;
    WhatIfStarts starts;
    if (twins) {
      // The line as it is at this instant: a live line moves on while the what-if runs.
      const std::optional<LineSnapshot> now = line_now(*twins, source.kind());
      if (!now) return std::string(kNoTelemetryYet);
      starts = what_if_starts(*now, given_levels_, changes, line_at(*now));
      settings.run.duration_s = horizon_h_ * 3600.0;
      settings.run.warmup_s = 0.0;
      if (const auto problem = run_settings_problem(settings.run))
        return fmt::format("horizon of {:g} h: {}", horizon_h_, problem->message);
      settings.start = starts.baseline;
    }
    const std::string base = read_text(scene_path_);
    const std::vector<SceneOverride> overrides =
        what_if_overrides(scene_, changes, scene_path_.string());
    auto changed =
        std::make_unique<Scene>(load_scene_with_overrides(base, scene_path_.string(), overrides));
    what_if_.reset();  // it refers to the changed scene it replaces
    changed_scene_ = std::move(changed);
    changed_yaml_ = apply_overrides(base, scene_path_.string(), overrides);
    changes_ = changes;
    what_if_ = std::make_unique<WhatIfRun>(scene_, *changed_scene_, settings, starts.changed);
    what_if_message_.clear();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

void ViewerPanels::draw_line_now(const ViewSource& source) {
  const LineTwins* twins = twins_of(source);
  if (!twins) return;
  const std::optional<LineSnapshot> now = line_now(*twins, source.kind());
  if (!now) {
    ImGui::TextWrapped("%s", kNoTelemetryYet);
    return;
  }
  ImGui::Text("Now: %s, as its telemetry tells it", line_at(*now).c_str());
  // Five rows in sight at most, the rest scrolled, so that a long line leaves room for the
  // comparison. A row with an input is a frame high, the others a line.
  const int rows = static_cast<int>(now->buffers.size());
  const float padding = 2.0f * ImGui::GetStyle().CellPadding.y;
  // The header, the borders, and a row's spacing below its last item.
  float height = ImGui::GetTextLineHeight() + padding + 2.0f + ImGui::GetStyle().ItemSpacing.y;
  for (std::size_t i = 0; i < std::min<std::size_t>(now->buffers.size(), 5); ++i)
    height +=
        (now->buffers[i].level ? ImGui::GetTextLineHeight() : ImGui::GetFrameHeight()) + padding;
  if (!ImGui::BeginTable("line now", 3,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                         ImVec2(0, height)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("buffer", ImGuiTableColumnFlags_WidthFixed, 8 * ImGui::GetFontSize());
  ImGui::TableSetupColumn("level", ImGuiTableColumnFlags_WidthFixed, 8 * ImGui::GetFontSize());
  ImGui::TableSetupColumn("how it is known");
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(rows);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto i = static_cast<std::size_t>(row);
      const BufferSnapshot& buffer = now->buffers[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(buffer.id.c_str());
      ImGui::TableNextColumn();
      if (buffer.level) {
        ImGui::Text("%llu", static_cast<unsigned long long>(*buffer.level));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(buffer.source.c_str());
        continue;
      }
      // Unknown: the user gives it, and the run waits for it.
      ImGui::PushID(row);
      ImGui::SetNextItemWidth(-FLT_MIN);
      if (ImGui::InputTextWithHint("##level", "enter", level_text_[i].data(),
                                   level_text_[i].size()))
        given_levels_[i] = parse_whole_number(level_text_[i].data());
      ImGui::PopID();
      ImGui::TableNextColumn();
      if (level_text_[i][0] != '\0' && !given_levels_[i])
        ImGui::TextColored(colour_vec(ViewState::kDown), "expected a whole number;");
      ImGui::TextWrapped("%s", buffer.source.c_str());
    }
  }
  ImGui::EndTable();
}

void ViewerPanels::draw_what_if(const ViewSource& source) {
  place(Slot::kWhatIf, visible_);
  if (!ImGui::Begin("What-if", &visible_.what_if)) {
    ImGui::End();
    return;
  }
  if (from_now_offered_) {
    ImGui::Checkbox("from now", &from_now_);
    if (from_now_) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(6 * ImGui::GetFontSize());
      ImGui::InputDouble("horizon [h]", &horizon_h_, 0.0, 0.0, "%.6g");
      draw_line_now(source);
    }
    ImGui::Separator();
  }
  if (!what_if_message_.empty()) ImGui::TextWrapped("%s", what_if_message_.c_str());
  if (!what_if_) {
    ImGui::TextWrapped(from_now() ? "Choose an element and a new value in the inspector, or a "
                                    "station that stays down for some hours, and run the what-if "
                                    "from now."
                                  : "Choose an element and a new value in the inspector.");
    ImGui::End();
    return;
  }
  for (const WhatIfChange& change : changes_)
    ImGui::TextUnformatted(describe(change).c_str());
  // Where both lines started, as the run took it (a live line has moved on since).
  if (const StartingSnapshot* start = what_if_->settings().start.get()) {
    std::string levels;
    for (const BufferSnapshot& b : start->snapshot.buffers) {
      levels += fmt::format("{}{} {} ({})", levels.empty() ? "" : ", ", b.id, b.level.value_or(0),
                            b.source);
    }
    ImGui::TextWrapped("From %s, over the next %s. Buffers: %s.", start->file.c_str(),
                       format_duration(what_if_->settings().run.duration_s).c_str(),
                       levels.c_str());
  }
  const float progress = static_cast<float>(what_if_->done()) /
                         static_cast<float>(std::max<std::size_t>(what_if_->total(), 1));
  char overlay[48];
  std::snprintf(overlay, sizeof overlay, "%zu / %zu replications", what_if_->done(),
                what_if_->total());
  ImGui::ProgressBar(progress, ImVec2(-1, 0), overlay);
  if (!what_if_->finished()) {
    if (ImGui::Button("Cancel")) what_if_->cancel();
    ImGui::End();
    return;
  }
  if (what_if_->cancelled()) {
    ImGui::TextUnformatted("Cancelled.");
  } else if (!what_if_->error().empty()) {
    ImGui::TextWrapped("Failed: %s", what_if_->error().c_str());
  } else {
    draw_comparison(*what_if_);
  }
  ImGui::InputText("##save", save_path_, sizeof save_path_);
  ImGui::SameLine();
  if (ImGui::Button("Save changed scene")) {
    std::ofstream out(save_path_);
    out << changed_yaml_;
    what_if_message_ =
        out ? std::string("Saved ") + save_path_ : std::string("Cannot write ") + save_path_;
  }
  ImGui::End();
}

void ViewerPanels::draw_comparison(const WhatIfRun& run) {
  // Deadlocked replications first: a change that makes the line stop is the finding, and the
  // table leaves those replications out.
  const std::size_t replications = run.deadlocks().replications;
  const std::vector<std::string> notes = deadlock_notes(run.deadlocks());
  for (const std::string& note : notes) {
    ImGui::TextColored(deadlock_colour(), "%s: the line could no longer move.", note.c_str());
  }
  if (!notes.empty()) {
    ImGui::TextWrapped(
        "Their KPIs are left out of the table (as `linetwin run` leaves them out); a cell says "
        "how many replications it covers.");
  }
  if (!ImGui::BeginTable("comparison", 4,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                         ImVec2(0, 300)))
    return;
  ImGui::TableSetupColumn("KPI");
  ImGui::TableSetupColumn("baseline [95% CI]");
  ImGui::TableSetupColumn("changed [95% CI]");
  ImGui::TableSetupColumn("difference [95% CI]");
  ImGui::TableHeadersRow();
  for (const ComparisonRow& row : run.rows()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(row.kpi.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(interval_text(row.baseline, replications).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(interval_text(row.changed, replications).c_str());
    ImGui::TableNextColumn();
    if (row.differs) {
      ImGui::TextColored(
          colour_vec(row.difference.mean > 0 ? ViewState::kWorking : ViewState::kDown), "%s",
          interval_text(row.difference, replications).c_str());
    } else if (row.difference.replications == 0) {
      ImGui::TextDisabled("-");  // no replication to compare: not "no difference"
    } else {
      ImGui::TextDisabled("%s (no difference)",
                          interval_text(row.difference, replications).c_str());
    }
  }
  ImGui::EndTable();
}

void ViewerPanels::draw_legend() {
  place(Slot::kLegend, visible_);
  if (!ImGui::Begin("Legend", &visible_.legend, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  // Two columns, so that it fits under the KPI dashboard on a 720-pixel screen.
  if (ImGui::BeginTable("legend", 2, ImGuiTableFlags_SizingFixedFit)) {
    for (int s = 0; s < kViewStateCount; ++s) {
      ImGui::TableNextColumn();
      state_swatch(static_cast<ViewState>(s));
    }
    legend_entry(kDeadlockHighlight, "deadlock (floor pad)");
    legend_entry(kFlowArrow, "material flow (arrow)");
    // Only a scene with fleets has vehicles to explain.
    if (!scene_.fleets().empty()) {
      legend_entry(kVehicleMoving, "vehicle moving");
      legend_entry(kVehicleStanding, "vehicle standing");
      legend_entry(kPart, "load (box on a vehicle)");
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace linetwin::viewer
