// Operators in a line run: pools of people with skills for processing, setup and repair. A task
// that needs one calls the nearest free operator of a pool with the skill, who walks over the
// layout distance and stays with the station (also through a breakdown or a break) until the task
// is done; with none free, requests wait first come, first served.
#pragma once

#include <cstdint>
#include <vector>

#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct Line;

// The server detail of an operator's arrival for a repair (not a server's task).
inline constexpr std::uint16_t kRepairTask = 0xFFFF;

class OperatorCrew {
 public:
  void build(const Scene& scene);

  // Calls an operator for a task of `station` (server `server`, or kRepairTask); true when one
  // was assigned at once (the operator still walks there).
  bool request(Line& line, const StationRun& station, std::uint16_t server, OperatorTask task);
  void release(Line& line, std::uint32_t op);
  void on_arrives(Line& line, StationRun& station, std::uint16_t server);
  bool belongs_to(std::uint32_t op, const std::vector<std::uint32_t>& pools) const;
  bool requests_pending() const { return !requests_.empty(); }

  void reset(double now);
  void write(double now, double observed_s, ReplicationResult& r) const;

 private:
  struct OperatorRun {
    std::uint32_t pool;
    double x_m, y_m;  // where the operator stands
    bool busy = false;
  };
  struct PoolRun {
    const OperatorPoolSpec* spec;
    std::uint32_t first_operator;
    TimeAverage walking;
    TimeAverage working;
    std::uint64_t assignments = 0;
  };
  struct Request {
    std::uint32_t station;
    std::uint16_t server;  // or kRepairTask
    OperatorTask task;
  };
  void assign(Line& line, std::uint32_t op, const Request& request, const StationRun& station);
  std::vector<OperatorRun> operators_;
  std::vector<PoolRun> pools_;
  std::vector<Request> requests_;  // waiting for an operator, first come first served
  std::vector<Pose> poses_;        // per element, where operators walk to
};

}  // namespace linetwin::line_run
