// The sweep window's contents: a sweep's results (read from the JSON `linetwin sweep --json`
// writes, or run here from a scenario file in the background) as a chart of one KPI against the
// first swept parameter and a comparison table.
//
// The chart draws, per line (one per value of the other swept parameters), each point's 95%
// interval as a filled band along the line (ImGui draw lists: Debian ships no ImPlot), the means
// as a line with a dot at each point, the baseline's mean dashed across, the best variant ringed
// and the selected one (a click on a point or a table row) highlighted; its axes carry the KPI's
// and the parameter's units. With one line the band is opaque, so that a screenshot test finds
// its exact colour; with several it is translucent, so that none hides another. The table gives
// each variant's parameters, the KPI's mean and interval, the difference to the baseline with its
// interval, and the gates, passed or failed, under it.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/sweep_run.hpp"
#include "model/sweep_view.hpp"
#include "screen_rect.hpp"

namespace linetwin::viewer {

// Where a frame drew the chart, for --screenshot-info and its tests: the plot rectangle, the
// values at its edges (x_min at its left, y_min at its bottom, linearly between), and each
// line's band colour and points (variant positions in SweepView::variants()).
struct SweepPlot {
  struct Series {
    std::string label;
    ImU32 band = 0;
    std::vector<std::size_t> variants;
  };
  ScreenRect plot;
  std::string kpi;
  std::string parameter;
  double x_min = 0.0;
  double x_max = 0.0;
  double y_min = 0.0;
  double y_max = 0.0;
  std::vector<Series> series;
};

class SweepPanel {
 public:
  SweepPanel();
  ~SweepPanel();
  SweepPanel(const SweepPanel&) = delete;
  SweepPanel& operator=(const SweepPanel&) = delete;

  // Shows a sweep's results (replacing any shown), on its ranking KPI.
  void show(SweepView view);
  // Starts a sweep of a scenario file in the background (cancelling one under way), with
  // `linetwin sweep`'s flags; the panel shows its progress, then its results.
  void start(const std::string& scenario_path, cli::SweepFlags flags = {});
  // Cancels the sweep under way, as the window's Cancel button does: the window then says
  // "cancelled" and keeps the results it showed before.
  void cancel();
  // Draws into the current ImGui window.
  void draw();

  const std::optional<SweepView>& view() const { return view_; }
  const SweepRun* run() const { return run_.get(); }
  // The variant highlighted (a click on its point or its table row).
  std::optional<std::size_t> selected() const { return selected_; }
  void select(std::optional<std::size_t> variant) { selected_ = variant; }
  // Where the last frame drew the chart; nullopt when it drew none (no results, nothing swept).
  const std::optional<SweepPlot>& plot() const { return plot_; }

 private:
  void draw_sources();
  void draw_chart(ImVec2 size);
  void draw_table();

  std::optional<SweepView> view_;
  std::size_t kpi_ = 0;
  std::optional<std::size_t> selected_;
  std::optional<SweepPlot> plot_;
  std::unique_ptr<SweepRun> run_;
  bool run_taken_ = false;  // the finished run's results are shown (or its error kept)
  std::string message_;     // what the last open, start or cancel said
  char results_path_[512] = {};
  char scenario_path_[512] = {};
};

}  // namespace linetwin::viewer
