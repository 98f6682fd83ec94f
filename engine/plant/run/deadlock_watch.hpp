// The deadlock watch of a line run: finds the instant the line can no longer move, so that a run
// reports a deadlock instead of a plausible low throughput.
//
// Three kinds are found, each at the event that makes it:
//  - a cycle of elements each blocked on the next: a station whose every server holds a finished
//    part refused by a full buffer (or another such station, or a conveyor whose head waits)
//    whose only takers are such stations, and so on round. Only a station's last server blocking
//    can close one, and only in a scene whose flow has a loop (rework): the watch looks then.
//  - parts in the line and nothing that could ever move them: no processing, setup, walk or
//    transport under way or paused, no stopped station that could start when it resumes, no
//    arrival that could be taken. The watch looks when nothing but such events is pending, which
//    it knows from a count of them kept where they are scheduled; a line that only runs slowly
//    always has something under way, and is never reported. Nor is a line that has run dry (its
//    order sources have released their last order): what is left there is left over.
//
//  - a cycle of vehicles, each waiting for a zone of the path network that the next one holds:
//    TransportFlow finds it when the last of them begins to wait, and hands it here.
//
// The checks are out of line and cost the event path a counter comparison on the events that
// leave a station idle or blocked.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

class DeadlockWatch {
 public:
  void build(const Scene& scene);

  // Events that cannot move a part by themselves (moves_parts() is false) are counted while
  // pending: call these where such an event is scheduled, runs or is cancelled.
  void passive_scheduled() { ++passive_pending_; }
  void passive_gone() { --passive_pending_; }

  // A station's last working server has blocked: a cycle of blocked elements may have closed.
  void station_jammed(Line& line, const StationRun& station) {
    if (cycles_possible_) [[unlikely]]
      look_for_cycle(line, station.element);
  }
  void conveyor_jammed(Line& line, ElementIndex conveyor) {
    if (cycles_possible_) [[unlikely]]
      look_for_cycle(line, conveyor);
  }
  // Vehicles that each wait for a zone the next one holds, in the cycle's order.
  void vehicles_stuck(Line& line, std::vector<DeadlockResult::Vehicle> cycle);
  // The end of an event that may have left nothing under way.
  void after_event(Line& line);

  bool found() const { return report_.has_value(); }
  const std::optional<DeadlockResult>& report() const { return report_; }
  // The count of passive events and the report (run_state.hpp); `pending`: the events pending.
  void transfer_state(StateStream& io, std::size_t pending);

 private:
  [[gnu::noinline]] void look_for_cycle(Line& line, ElementIndex start);
  [[gnu::noinline]] void look_for_stuck_parts(Line& line);
  bool can_move(const Line& line) const;
  bool run_dry(const Line& line) const;
  bool could_start(const Line& line, const StationRun& station) const;
  bool can_take_arrival(const Line& line, ElementIndex source) const;
  bool jammed(const Line& line, ElementIndex element) const;
  void waits_on(const Line& line, ElementIndex element, std::vector<ElementIndex>& out) const;
  DeadlockResult::Element describe(const Line& line, ElementIndex element) const;

  const Scene* scene_ = nullptr;  // for element ids in the report; outlives the run
  bool cycles_possible_ = false;  // the scene's flow has a loop
  std::size_t passive_pending_ = 0;
  std::optional<DeadlockResult> report_;
};

}  // namespace linetwin::line_run
