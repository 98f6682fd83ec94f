#include "plant/run/operator_crew.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

void OperatorCrew::build(const Scene& scene) {
  for (const Element& e : scene.elements())
    poses_.push_back(e.pose);
  for (std::uint32_t k = 0; k < scene.operator_pools().size(); ++k) {
    const OperatorPoolSpec& pool = scene.operator_pools()[k];
    const Pose home = pool.home == kNoElement ? Pose{} : scene.element(pool.home).pose;
    PoolRun run{.spec = &pool,
                .first_operator = static_cast<std::uint32_t>(operators_.size()),
                .walking = {},
                .working = {},
                .assignments = 0,
                .on_duty = true,
                .on_duty_operators = {}};
    run.on_duty_operators.set(0.0, pool.count);
    pools_.push_back(run);
    for (std::uint32_t i = 0; i < pool.count; ++i) {
      operators_.push_back(OperatorRun{.pool = k,
                                       .x_m = home.x_m,
                                       .y_m = home.y_m,
                                       .stands_at = pool.home,
                                       .busy = false,
                                       .present = false,
                                       .walk = {}});
    }
  }
}

bool OperatorCrew::belongs_to(std::uint32_t op, const std::vector<std::uint32_t>& pools) const {
  return std::find(pools.begin(), pools.end(), operators_[op].pool) != pools.end();
}

// The nearest free operator on duty of a pool with the skill comes; with none free, the request
// waits its turn.
bool OperatorCrew::request(Line& line, const StationRun& station, std::uint16_t server,
                           OperatorTask task, bool first) {
  const Request request{station.index, server, task};
  const Pose& at = poses_[station.element];
  std::uint32_t best = kNoOperator;
  double best_distance = std::numeric_limits<double>::infinity();
  for (std::uint32_t pool : station.spec->operator_pools[static_cast<int>(task)]) {
    const PoolRun& p = pools_[pool];
    if (!p.on_duty) continue;
    for (std::uint32_t op = p.first_operator; op < p.first_operator + p.spec->count; ++op) {
      if (operators_[op].busy) continue;
      const double distance = std::hypot(operators_[op].x_m - at.x_m, operators_[op].y_m - at.y_m);
      if (distance < best_distance) {
        best_distance = distance;
        best = op;
      }
    }
  }
  if (best == kNoOperator) {
    requests_.insert(first ? requests_.begin() : requests_.end(), request);
    return false;
  }
  assign(line, best, request, station);
  return true;
}

void OperatorCrew::assign(Line& line, std::uint32_t op, const Request& request,
                          const StationRun& station) {
  OperatorRun& worker = operators_[op];
  PoolRun& pool = pools_[worker.pool];
  worker.busy = true;
  worker.present = false;
  worker.station = request.station;
  worker.server = request.server;
  ++pool.assignments;
  if (request.server == kRepairTask) {
    line.stations.at(request.station).repair_operator = op;
  } else {
    line.stations.server(station, request.server).operator_id = op;
  }
  const Pose& at = poses_[station.element];
  const double walk_s =
      std::hypot(worker.x_m - at.x_m, worker.y_m - at.y_m) / pool.spec->walking_speed_m_per_s;
  pool.walking.add(line.kernel.now(), 1.0);
  // Always through an event, even without a walk, so that a task never starts in the middle of
  // the hand-over that freed the operator.
  worker.walk = line.kernel.schedule_in(
      walk_s, event(RunEvent::kOperatorArrives, request.station, request.server));
}

void OperatorCrew::release(Line& line, std::uint32_t op) {
  OperatorRun& worker = operators_[op];
  pools_[worker.pool].working.add(line.kernel.now(), -1.0);
  worker.busy = false;
  worker.present = false;
  worker.station = kNoStation;
  if (pools_[worker.pool].on_duty) take_waiting_task(line, op);
}

void OperatorCrew::take_waiting_task(Line& line, std::uint32_t op) {
  const OperatorRun& worker = operators_[op];
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const Request request = requests_[i];
    const StationRun& station = line.stations.at(request.station);
    const auto& pools = station.spec->operator_pools[static_cast<int>(request.task)];
    if (std::find(pools.begin(), pools.end(), worker.pool) == pools.end()) continue;
    requests_.erase(requests_.begin() + static_cast<std::ptrdiff_t>(i));
    assign(line, op, request, station);
    return;
  }
}

void OperatorCrew::on_arrives(Line& line, StationRun& station, std::uint16_t k) {
  const std::uint32_t op =
      k == kRepairTask ? station.repair_operator : line.stations.server(station, k).operator_id;
  OperatorRun& worker = operators_[op];
  PoolRun& pool = pools_[worker.pool];
  const double now = line.kernel.now();
  worker.present = true;
  pool.walking.add(now, -1.0);
  pool.working.add(now, 1.0);
  worker.x_m = poses_[station.element].x_m;
  worker.y_m = poses_[station.element].y_m;
  worker.stands_at = station.element;
  if (k == kRepairTask) {
    line.stops.start_repair(line, station);
    return;
  }
  const ServerRun& server = line.stations.server(station, k);
  if (server.paused) {
    line.stations.resume_work(line, station, k);  // left by an operator who went off duty
  } else if (server.waiting_for == OperatorTask::kSetup) {
    line.stations.start_setup(line, station, k);
  } else {
    line.stations.start_processing<false>(line, station, k);
  }
  line.stations.refresh_active(now, station);
}

void OperatorCrew::set_on_duty(Line& line, std::uint32_t pool, bool on_duty) {
  PoolRun& p = pools_[pool];
  if (p.on_duty == on_duty) return;
  p.on_duty = on_duty;
  p.on_duty_operators.set(line.kernel.now(), on_duty ? p.spec->count : 0.0);
  for (std::uint32_t op = p.first_operator; op < p.first_operator + p.spec->count; ++op) {
    if (on_duty) {
      if (!operators_[op].busy) take_waiting_task(line, op);
    } else {
      go_off_duty(line, op);
    }
  }
}

void OperatorCrew::go_off_duty(Line& line, std::uint32_t op) {
  OperatorRun& worker = operators_[op];
  if (!worker.busy) return;
  PoolRun& pool = pools_[worker.pool];
  StationRun& station = line.stations.at(worker.station);
  const std::uint16_t k = worker.server;
  const double now = line.kernel.now();
  const bool was_present = worker.present;
  worker.busy = false;
  worker.present = false;
  worker.station = kNoStation;
  if (!was_present) {
    // Turns back on the way (it stays where it set off from): the task waits, first in line.
    line.kernel.calendar().cancel(worker.walk);
    pool.walking.add(now, -1.0);
    if (k == kRepairTask) {
      station.repair_operator = kNoOperator;
      request(line, station, kRepairTask, OperatorTask::kRepair, true);
    } else {
      ServerRun& server = line.stations.server(station, k);
      server.operator_id = kNoOperator;
      request(line, station, k, server.waiting_for, true);
    }
    return;
  }
  pool.working.add(now, -1.0);
  if (k == kRepairTask) {
    station.repair_operator = kNoOperator;
    line.stops.interrupt_repair(line, station);
    request(line, station, kRepairTask, OperatorTask::kRepair, true);
    return;
  }
  ServerRun& server = line.stations.server(station, k);
  server.operator_id = kNoOperator;
  // A repair this operator was doing as the station's own (StationStops::on_failure) stops too.
  if (station.down && station.repair_operator == kNoOperator &&
      station.spec->needs_operator(OperatorTask::kRepair) &&
      line.kernel.calendar().is_pending(station.repair_event)) {
    line.stops.interrupt_repair(line, station);
    request(line, station, kRepairTask, OperatorTask::kRepair, true);
  }
  if (server.state == ServerState::kWorking || server.state == ServerState::kSetup)
    line.stations.operator_left(line, station, k);
}

// A walk's end is its pending event's time, and its length the distance it was scheduled for,
// so its start and the share done follow without anything kept on the event path.
void OperatorCrew::positions(const Line& line, double now,
                             std::vector<OperatorPosition>& out) const {
  out.clear();
  for (std::uint32_t k = 0; k < pools_.size(); ++k) {
    const PoolRun& pool = pools_[k];
    for (std::uint32_t i = 0; i < pool.spec->count; ++i) {
      const OperatorRun& worker = operators_[pool.first_operator + i];
      OperatorPosition& p = out.emplace_back();
      p.pool = k;
      p.number = i;
      p.on_duty = pool.on_duty;
      p.element = worker.stands_at;
      p.x_m = worker.x_m;
      p.y_m = worker.y_m;
      if (!worker.busy) continue;
      const ElementIndex station = line.stations.at(worker.station).element;
      if (worker.present) {
        p.activity = OperatorActivity::kAtStation;
        p.element = station;
        continue;
      }
      p.activity = OperatorActivity::kWalking;
      p.walking_to = station;
      const Pose& to = poses_[station];
      const double walk_s =
          std::hypot(worker.x_m - to.x_m, worker.y_m - to.y_m) / pool.spec->walking_speed_m_per_s;
      const double left_s = line.kernel.calendar().time_of(worker.walk) - now;
      p.fraction = walk_s > 0.0 ? std::clamp(1.0 - left_s / walk_s, 0.0, 1.0) : 1.0;
      p.x_m = worker.x_m + p.fraction * (to.x_m - worker.x_m);
      p.y_m = worker.y_m + p.fraction * (to.y_m - worker.y_m);
    }
  }
}

void OperatorCrew::reset(double now) {
  for (PoolRun& pool : pools_) {
    pool.walking.reset(now);
    pool.working.reset(now);
    pool.on_duty_operators.reset(now);
    pool.assignments = 0;
  }
}

void OperatorCrew::write(double now, double observed_s, ReplicationResult& r) const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (const PoolRun& pool : pools_) {
    const double all = pool.spec->count * observed_s;
    // Off shift is no operator time: utilisation is over the time on duty.
    const double total = pool.spec->calendar >= 0 ? pool.on_duty_operators.integral(now) : all;
    OperatorPoolResult out;
    out.walking = total > 0.0 ? pool.walking.integral(now) / total : kNaN;
    out.working = total > 0.0 ? pool.working.integral(now) / total : kNaN;
    out.utilisation = out.walking + out.working;
    out.assignments = pool.assignments;
    out.on_shift = pool.spec->calendar >= 0 ? (all > 0.0 ? total / all : kNaN) : 1.0;
    r.operators.push_back(out);
  }
}

void OperatorCrew::transfer_state(StateStream& io, const Line& line) {
  io.tag("OPER");
  const std::size_t stations = line.stations.size();
  // A task of a station: one of its servers, or its repair.
  auto task_of = [&](std::uint32_t station, std::uint16_t& server) {
    io.value(server);
    if (io.reading() && server != kRepairTask && server >= line.stations.at(station).servers)
      io.fail_value("server", "a server of the station, or its repair", server);
  };
  // An operator stands where its pool's home or its last task put it: that home or a station
  // (the first of several at one place: the same position), or the origin for a pool without a
  // home that has had no task.
  std::map<std::pair<double, double>, ElementIndex> station_at;
  if (io.reading()) {
    for (std::size_t s = 0; s < stations; ++s) {
      const ElementIndex e = line.stations.at(static_cast<std::uint32_t>(s)).element;
      station_at.emplace(std::pair{poses_[e].x_m, poses_[e].y_m}, e);
    }
  }
  auto element_at = [&](const PoolRun& pool, double x_m, double y_m) {
    const ElementIndex home = pool.spec->home;
    if (home != kNoElement && poses_[home].x_m == x_m && poses_[home].y_m == y_m) return home;
    if (const auto found = station_at.find({x_m, y_m}); found != station_at.end())
      return found->second;
    io.check(x_m == 0.0 && y_m == 0.0, "position",
             "the position of the pool's home or of a station");
    return kNoElement;
  };
  for (PoolRun& pool : pools_) {
    const StateStream::Section section(io, "operators", pool.spec->name);
    pool.walking.transfer_state(io);
    pool.working.transfer_state(io);
    io.value(pool.assignments);
    io.value(pool.on_duty);
    pool.on_duty_operators.transfer_state(io);
    for (std::uint32_t i = 0; i < pool.spec->count; ++i) {
      const StateStream::Section one(io, "operator", i);
      OperatorRun& worker = operators_[pool.first_operator + i];
      io.value(worker.x_m);
      io.value(worker.y_m);
      if (io.reading()) worker.stands_at = element_at(pool, worker.x_m, worker.y_m);
      io.value(worker.busy);
      io.value(worker.present);
      io.index(worker.station, stations, "station", kNoStation);
      if (worker.station != kNoStation) {
        task_of(worker.station, worker.server);
      } else {
        io.value(worker.server);
      }
      transfer(io, worker.walk);
    }
  }
  // Each server waits for one operator at most, and each station for one repair.
  std::uint64_t most_requests = stations;
  for (std::size_t s = 0; s < stations; ++s)
    most_requests += line.stations.at(static_cast<std::uint32_t>(s)).servers;
  constexpr std::size_t kRequestBytes = 7;
  transfer(io, requests_, most_requests, kRequestBytes, "requests", [&](Request& request) {
    io.index(request.station, stations, "station");
    task_of(request.station, request.server);
    io.enumerator(request.task, OperatorTask::kRepair, "task");
  });
}

}  // namespace linetwin::line_run
