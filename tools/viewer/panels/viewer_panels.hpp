// ViewerPanels: the Dear ImGui windows around the 3D view: the source's controls, the KPI
// dashboard with its charts, the stations' state shares, the element inspector (with a buffer's or
// conveyor's level over time), the event log, the stations' state timeline, the what-if
// window and a sweep's results (sweep_panel.hpp). Every chart has a time axis from the start of the
// run to the source's time. It issues ImGui calls only (no GL), between the application's NewFrame
// and Render, and reads the LineView and the source the renderer reads, so one frame shows one
// state.
//
// Each draw() takes the source's station reports (ViewSource::take_reports) into the event log
// and the state timeline, samples its KPIs into the history and (a simulation) the levels of the
// view into theirs: the panels are the one reader of the reports. The
// inspector edits a copy of the selected element's parameters and collects changes of several
// elements; "Run what-if" starts replications of the changed scene against the baseline in the
// background (model/what_if.hpp), and the what-if window shows their progress, then the
// comparison table, and saves the changed scene. For a live or replayed line the what-if runs
// from now by default: both lines start from the line's state as its twins tell it when the
// what-if starts, for a horizon; the window shows that state (each buffer's level and how it was
// found), takes the levels the telemetry cannot tell, and only then may a run start, and the
// inspector offers to keep a station down.
// A deadlock shows where it fits: the controls grey out and say so, the inspector gives a listed
// element's part in it, the event log shows it above its list, and the what-if window counts
// deadlocked replications above a table that leaves them out.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/event_log.hpp"
#include "model/kpi_history.hpp"
#include "model/level_history.hpp"
#include "model/line_view.hpp"
#include "model/state_timeline.hpp"
#include "model/view_source.hpp"
#include "model/what_if.hpp"
#include "plant/scene.hpp"
#include "screen_rect.hpp"
#include "sweep_panel.hpp"
#include "timeline_panel.hpp"

namespace linetwin::viewer {

struct PanelVisibility {
  bool source_controls = true;
  bool kpi_dashboard = true;
  bool state_shares = true;
  bool inspector = true;
  bool event_log = true;
  bool what_if = false;  // opened by "Run what-if" in the inspector
  bool legend = true;
  bool timeline = true;  // the stations' state timeline
  bool sweep = false;    // a sweep's results, opened by --sweep, --scenario or --panels sweep
};

// The part of the window the 3D view gets, with the panels docked around it where they open the
// first time: right of the left column (source controls, KPI dashboard) when one of its panels is
// open, left of the right column (state shares, inspector, event log) likewise, and above the
// sweep, what-if and timeline windows, stacked at the bottom, when they are open (the legend is in
// the left column, under the KPI dashboard). The whole window when no panel is open. Needs an ImGui
// frame (the sizes are multiples of the font size).
ScreenRect view_area(const PanelVisibility& open);

class ViewerPanels {
 public:
  // `scene_path` is the scene's YAML file: what-if changes are made on its text. The scene must
  // outlive the panels.
  ViewerPanels(const Scene& scene, std::filesystem::path scene_path);
  ~ViewerPanels();
  ViewerPanels(const ViewerPanels&) = delete;
  ViewerPanels& operator=(const ViewerPanels&) = delete;

  // Draws the visible panels, after take(source). `selected` is the element picked in the 3D
  // view (the inspector shows it; picking in the event log or the share bars sets it).
  void draw(const LineView& view, ViewSource& source, std::optional<ElementIndex>& selected);
  // Takes the source's station reports into the event log and samples its KPIs into the
  // history, without drawing: for an application that moves a source on without frames (up to
  // --time before a screenshot), in steps, so that the charts and the log cover that span.
  void take(ViewSource& source);

  PanelVisibility& visibility() { return visible_; }
  const KpiHistory& kpi_history() const { return history_; }
  const EventLog& event_log() const { return log_; }
  const StateTimeline& state_timeline() const { return timeline_; }
  const LevelHistory& level_history() const { return levels_; }
  // Where the last frame drew the state timeline; nullopt when it was not drawn (closed,
  // collapsed, or no station had reported).
  const std::optional<TimelinePlot>& timeline_plot() const { return timeline_plot_; }
  // The sweep window's results, chart and sweep run.
  SweepPanel& sweep() { return sweep_; }
  const SweepPanel& sweep() const { return sweep_; }
  // The what-if run under way or last finished, if any.
  const WhatIfRun* what_if() const { return what_if_.get(); }
  // Starts a what-if of `changes`, made in order (as the inspector's button does), from the line
  // as `source` has it now when a what-if from now is on for it; the error text when a change is
  // refused, or a level is not given (then nothing starts).
  std::optional<std::string> start_what_if(const std::vector<WhatIfChange>& changes,
                                           const ViewSource& source);

  // What-if from now: offered when the source last taken is a live or replayed line (its twins
  // give the line's state), and on by default there; over the next horizon_h hours.
  bool from_now_offered() const { return from_now_offered_; }
  bool from_now() const { return from_now_offered_ && from_now_; }
  void set_from_now(bool on) { from_now_ = on; }
  double horizon_h() const { return horizon_h_; }
  void set_horizon_h(double hours) { horizon_h_ = hours; }
  // A level for the buffer at `buffer` (Scene::buffers() order), as typed in the what-if window
  // for one whose level the telemetry cannot tell.
  void give_level(std::size_t buffer, std::uint64_t level);
  // What the inspector offers to change for an element of `type`, in the order it lists them: a
  // station kept down only from now.
  std::vector<WhatIfParameter> offered_parameters(ElementType type) const;

 private:
  void draw_source_controls(ViewSource& source);
  void draw_kpi_dashboard();
  void draw_state_shares(const ViewSource& source, std::optional<ElementIndex>& selected);
  void draw_inspector(const LineView& view, const ViewSource& source,
                      std::optional<ElementIndex>& selected);
  void draw_event_log(const LineView& view, std::optional<ElementIndex>& selected);
  void draw_what_if(const ViewSource& source);
  void draw_line_now(const ViewSource& source);
  void draw_comparison(const WhatIfRun& run);
  void draw_legend();
  void draw_timeline(std::optional<ElementIndex>& selected);
  void draw_sweep();
  // A buffer's or conveyor's parts over time (the inspector, for a simulation).
  void draw_level_chart(ElementIndex element, std::uint64_t capacity);

  const Scene& scene_;
  std::filesystem::path scene_path_;
  PanelVisibility visible_;
  KpiHistory history_;
  EventLog log_;
  StateTimeline timeline_;
  LevelHistory levels_;
  std::optional<TimelinePlot> timeline_plot_;
  float timeline_ids_width_ = 0.0f;  // measured on the first frame that draws the timeline
  SweepPanel sweep_;
  std::vector<StationReport> reports_;  // reused each frame
  std::optional<ReplicationResult> kpis_;
  double time_s_ = 0.0;  // the source's time when last taken: the charts' right end
  // Inspector: the changes added so far, the parameter being edited and its value.
  std::vector<WhatIfChange> pending_;
  WhatIfParameter edit_parameter_ = WhatIfParameter::kProcessingMean;
  double edit_value_ = 0.0;
  std::optional<ElementIndex> edited_element_;
  int replications_ = 10;
  // Event log filter.
  char filter_text_[64] = {};
  int filter_state_ = -1;  // -1: any
  bool filter_selected_only_ = false;
  // What-if: the changes, the changed scene, its YAML and the run.
  std::vector<WhatIfChange> changes_;
  std::string changed_yaml_;
  std::unique_ptr<Scene> changed_scene_;
  std::unique_ptr<WhatIfRun> what_if_;
  std::string what_if_message_;
  char save_path_[512] = {};
  // What-if from now: whether the source has twins, the user's choice, the horizon, and the
  // levels typed for buffers whose level the telemetry cannot tell (Scene::buffers() order), as
  // typed and as read.
  bool from_now_offered_ = false;
  bool from_now_ = true;
  double horizon_h_ = 4.0;
  std::vector<std::array<char, 24>> level_text_;
  std::vector<std::optional<std::uint64_t>> given_levels_;
};

}  // namespace linetwin::viewer
