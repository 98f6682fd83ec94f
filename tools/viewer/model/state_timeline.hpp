// StateTimeline: each station's states across the run, as spans of time, for the state timeline
// (Gantt) panel. It is fed the station reports the panels take from any source (a simulation, a
// replay, a live stream), so the spans start and end exactly at the reported changes.
//
// Memory is bounded whatever the run's length. The timeline has a resolution: the run so far
// divided into at most `columns` cells (the resolution doubles whenever the run outgrows them, so
// it is between a half and a whole of end_s() / columns, about a pixel column of a panel as wide
// as `columns`). A span narrower than the resolution is folded into a "mixed" span with the narrow
// spans around it, drawn in the state that the largest of its parts had; a station changing state
// every few seconds over a week shows as mixed rather than as thousands of slivers. Every exact
// span is at least one resolution wide and no two mixed spans are adjacent, so a station holds at
// most 2 * columns + 2 spans of 16 bytes: 33 KB for the default 1,024 columns, 100 MB for 3,000
// stations only if every one of them changes state in every column; a station that changes state
// a few times an hour holds a few spans an hour.
//
// A time earlier than the last one taken (a replay scrubbed back, which replays its log from the
// start) starts the timeline afresh.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "line_view.hpp"
#include "plant/scene.hpp"
#include "plant/station_observer.hpp"

namespace linetwin::viewer {

struct StateSpan {
  double start_s = 0.0;
  // Seconds of `state` in the span: its whole width when exact; when mixed, as far as the spans
  // folded into it tell (each counts its own state's time).
  float state_s = 0.0f;
  ViewState state = ViewState::kUnknown;
  bool mixed = false;  // spans narrower than the resolution folded together
};

class StateTimeline {
 public:
  static constexpr std::size_t kColumns = 1024;
  // The resolution of a run's first instants; it doubles as the run outgrows `columns` of them.
  static constexpr double kFirstResolutionS = 1.0 / 1024.0;

  // The scene (its stations) must outlive the timeline. `columns` >= 2.
  explicit StateTimeline(const Scene& scene, std::size_t columns = kColumns);

  // Takes the reports of the source since the last call (oldest first) and moves the timeline's
  // end to `now_s`, the source's time: every station's last span reaches it. A `now_s` earlier
  // than end_s() clears the timeline first.
  void take(const std::vector<StationReport>& reports, double now_s);
  void clear();

  double end_s() const { return end_s_; }
  double resolution_s() const { return resolution_s_; }
  // The spans of the station at `station` (Scene::stations() order), in time order, each ending
  // where the next starts and the last at end_s(); none before the station's first report.
  const std::vector<StateSpan>& spans(std::size_t station) const { return spans_[station]; }
  double span_end(std::size_t station, std::size_t span) const;
  std::size_t station_count() const { return spans_.size(); }

 private:
  void add(const StationReport& report);
  void reach(double time_s);
  // Folds the closed span at `i` of `spans` into the mixed span before it, or makes it mixed, when
  // it is narrower than the resolution.
  void settle(std::vector<StateSpan>& spans, std::size_t i) const;

  std::size_t columns_;
  std::vector<std::int64_t> station_of_;  // per element: its position in stations(), or -1
  std::vector<std::vector<StateSpan>> spans_;
  double end_s_ = 0.0;
  double resolution_s_ = kFirstResolutionS;
};

}  // namespace linetwin::viewer
