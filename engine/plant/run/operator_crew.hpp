// Operators in a line run: pools of people with skills for processing, setup and repair. A task
// that needs one calls the nearest free operator on duty of a pool with the skill, who walks over
// the layout distance and stays with the station (also through a breakdown or a break) until the
// task is done; with none free, requests wait first come, first served.
//
// A pool that follows a shift calendar is off duty off shift (ShiftCalendars says when). Going off
// duty, an operator walking to a task turns back (the task waits, first in line, for another) and
// one at work leaves it: setup, processing or repair are interrupted and wait, with the work left,
// for an operator on duty, who resumes them (StationFlow::operator_left, StationStops). Coming on
// duty, operators take the waiting tasks from where they stand.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/operator_position.hpp"
#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

// The server detail of an operator's arrival for a repair (not a server's task).
inline constexpr std::uint16_t kRepairTask = 0xFFFF;

class OperatorCrew {
 public:
  void build(const Scene& scene);

  // Calls an operator for a task of `station` (server `server`, or kRepairTask); true when one
  // was assigned at once (the operator still walks there). With none free the request waits,
  // last in line, or first for a task whose operator has just gone off duty.
  bool request(Line& line, const StationRun& station, std::uint16_t server, OperatorTask task,
               bool first = false);
  void release(Line& line, std::uint32_t op);
  void on_arrives(Line& line, StationRun& station, std::uint16_t server);
  bool belongs_to(std::uint32_t op, const std::vector<std::uint32_t>& pools) const;
  bool requests_pending() const { return !requests_.empty(); }
  void set_on_duty(Line& line, std::uint32_t pool, bool on_duty);

  void reset(double now);
  void write(double now, double observed_s, ReplicationResult& r) const;
  // Operators, pools and waiting requests (run_state.hpp); the stations a task names are checked
  // against `line` as built.
  void transfer_state(StateStream& io, const Line& line);
  std::size_t size() const { return operators_.size(); }
  // Where each operator is at `now`, pool by pool (LineRun::operator_positions).
  void positions(const Line& line, double now, std::vector<OperatorPosition>& out) const;

 private:
  static constexpr std::uint32_t kNoStation = 0xFFFFFFFF;
  struct OperatorRun {
    std::uint32_t pool;
    double x_m, y_m;         // where the operator stands, or set off from: the pose of `stands_at`
    ElementIndex stands_at;  // for the viewer only (kNoElement: a pool without a home)
    bool busy = false;
    bool present = false;  // at the station of its task (else walking there)
    std::uint32_t station = kNoStation;
    std::uint16_t server = 0;  // or kRepairTask
    EventHandle walk;
  };
  struct PoolRun {
    const OperatorPoolSpec* spec;
    std::uint32_t first_operator;
    TimeAverage walking;
    TimeAverage working;
    std::uint64_t assignments = 0;
    bool on_duty = true;
    TimeAverage on_duty_operators;  // kept only for a pool that follows a calendar
  };
  struct Request {
    std::uint32_t station;
    std::uint16_t server;  // or kRepairTask
    OperatorTask task;
  };
  void assign(Line& line, std::uint32_t op, const Request& request, const StationRun& station);
  // A free operator on duty takes the first waiting task its pool has the skill for.
  void take_waiting_task(Line& line, std::uint32_t op);
  void go_off_duty(Line& line, std::uint32_t op);
  std::vector<OperatorRun> operators_;
  std::vector<PoolRun> pools_;
  std::vector<Request> requests_;  // waiting for an operator, first come first served
  std::vector<Pose> poses_;        // per element, where operators walk to
};

}  // namespace linetwin::line_run
