#include "plant/run/station_stops.hpp"

#include <algorithm>

#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"

namespace linetwin::line_run {

void StationStops::start(Line& line) {
  for (StationRun& station : line.stations.all()) {
    if (!station.spec->breakdowns) continue;
    station.time_to_failure_s =
        station.spec->breakdowns->time_to_failure.sample(station.failure_rng);
    if (station.failure_mode == FailureMode::kOnCalendarTime) {
      line.deadlocks.passive_scheduled();
      station.failure_event = line.kernel.schedule_at(station.time_to_failure_s,
                                                      event(RunEvent::kFailure, station.index));
      station.failure_pending = true;
    }
  }
}

void StationStops::add_state_integrals(double now, StationRun& station, double sign) {
  if (!station.stopped()) {
    for (int s = 0; s < kServerStates; ++s) {
      if (is_timed(static_cast<ServerState>(s)))
        station.in_state[s].add(now, sign * station.count[s]);
    }
  } else if (station.off_shift) {
    station.off_shift_servers.add(now, sign * station.servers);
  } else {
    station.down_servers.add(now, sign * station.servers);
  }
}

void StationStops::set_stop(Line& line, StationRun& station, bool down, bool off_shift) {
  const double now = line.kernel.now();
  const bool was_stopped = station.stopped();
  add_state_integrals(now, station, -1.0);
  station.down = down;
  station.off_shift = off_shift;
  station.halted = down || off_shift;
  line.reports.touch(station);
  add_state_integrals(now, station, +1.0);
  if (!was_stopped && station.stopped()) {
    if (station.failure_mode == FailureMode::kOnOperatingTime && !station.down) {
      // Off shift: the operating time so far counts, and a failure armed for this busy spell
      // will not come.
      if (station.in(ServerState::kWorking) > 0)
        station.time_to_failure_s -= now - station.operating_since_s;
      if (station.failure_pending) cancel_failure(line, station);
    }
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      ServerRun& server = line.stations.server(station, k);
      if ((server.state != ServerState::kWorking && server.state != ServerState::kSetup) ||
          server.paused)
        continue;
      line.kernel.calendar().cancel(server.completion);
      server.remaining_s = server.end_s - now;
      server.paused = true;
    }
  } else if (was_stopped && !station.stopped()) {
    if (station.failure_mode == FailureMode::kOnOperatingTime) station.operating_since_s = now;
    station.busy_until_s = 0.0;
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      ServerRun& server = line.stations.server(station, k);
      // Work whose operator went off duty resumes when one comes (OperatorCrew).
      if (!server.paused || server.state == ServerState::kWaitingOperator) continue;
      server.paused = false;
      server.end_s = now + server.remaining_s;
      const bool working = server.state == ServerState::kWorking;
      if (working) station.busy_until_s = std::max(station.busy_until_s, server.end_s);
      server.completion = line.kernel.schedule_at(
          server.end_s, event(working ? RunEvent::kServiceEnd : RunEvent::kSetupEnd, station.index,
                              static_cast<std::uint16_t>(k)));
    }
    if (station.failure_mode == FailureMode::kOnOperatingTime) arm_failure_if_due(line, station);
    line.stations.refill_all(line, station);
  }
  if (station.spec->assembly) line.stations.update_starvation(line, station);
  line.stations.refresh_active(now, station);
}

void StationStops::arm_failure_if_due(Line& line, StationRun& station) {
  if (station.failure_pending || station.stopped() || station.in(ServerState::kWorking) == 0)
    return;
  const double due = station.operating_since_s + station.time_to_failure_s;
  if (due <= station.busy_until_s) {
    line.deadlocks.passive_scheduled();
    station.failure_event = line.kernel.schedule_at(due, event(RunEvent::kFailure, station.index));
    station.failure_pending = true;
  }
}

void StationStops::on_failure(Line& line, StationRun& station) {
  station.failure_pending = false;
  ++station.failures;
  break_down(line, station);
}

void StationStops::break_down(Line& line, StationRun& station) {
  set_stop(line, station, true, station.off_shift);
  if (!station.spec->needs_operator(OperatorTask::kRepair)) {
    start_repair(line, station);
    return;
  }
  // An operator who stays with the station through the breakdown and has the skill repairs it
  // at once (otherwise a crew of one that runs and repairs a machine would wait for itself).
  const auto& repair_pools = station.spec->operator_pools[static_cast<int>(OperatorTask::kRepair)];
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    const std::uint32_t op = line.stations.server(station, k).operator_id;
    if (op == kNoOperator || !line.operators.belongs_to(op, repair_pools)) continue;
    start_repair(line, station);
    return;
  }
  line.operators.request(line, station, kRepairTask, OperatorTask::kRepair);
}

void StationStops::start_repair(Line& line, StationRun& station) {
  double repair_s = station.repair_left_s;
  if (repair_s < 0.0) {
    repair_s = station.spec->breakdowns->time_to_repair.sample(station.repair_rng);
  } else {
    station.repair_left_s = -1.0;
  }
  line.deadlocks.passive_scheduled();
  station.repair_event =
      line.kernel.schedule_in(repair_s, event(RunEvent::kRepairEnd, station.index));
}

void StationStops::on_repair(Line& line, StationRun& station) {
  if (station.repair_operator != kNoOperator) {
    const std::uint32_t op = station.repair_operator;
    station.repair_operator = kNoOperator;
    line.operators.release(line, op);
  }
  // A station put down by a snapshot's what-if may have no breakdowns of its own.
  if (!station.spec->breakdowns) {
    set_stop(line, station, false, station.off_shift);
    return;
  }
  const BreakdownSpec& breakdowns = *station.spec->breakdowns;
  station.time_to_failure_s = breakdowns.time_to_failure.sample(station.failure_rng);
  if (breakdowns.counted_on == FailureClock::kCalendarTime) {
    line.deadlocks.passive_scheduled();
    station.failure_event = line.kernel.schedule_in(station.time_to_failure_s,
                                                    event(RunEvent::kFailure, station.index));
    station.failure_pending = true;
  }
  set_stop(line, station, false, station.off_shift);
}

void StationStops::place_down(Line& line, StationRun& station, double repair_s) {
  // A clock counted on calendar time restarts when this repair ends, as after any repair.
  if (station.failure_pending) cancel_failure(line, station);
  station.repair_left_s = repair_s;
  break_down(line, station);
}

void StationStops::cancel_failure(Line& line, StationRun& station) {
  line.deadlocks.passive_gone();
  line.kernel.calendar().cancel(station.failure_event);
  station.failure_pending = false;
}

void StationStops::work_interrupted(Line& line, StationRun& station) {
  if (station.failure_mode != FailureMode::kOnOperatingTime || station.stopped()) return;
  const double now = line.kernel.now();
  if (station.in(ServerState::kWorking) == 0) {
    station.time_to_failure_s -= now - station.operating_since_s;
    if (station.failure_pending) cancel_failure(line, station);
    return;
  }
  // The busy spell now ends with the latest processing still under way.
  station.busy_until_s = 0.0;
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    const ServerRun& server = line.stations.server(station, k);
    if (server.state == ServerState::kWorking && !server.paused)
      station.busy_until_s = std::max(station.busy_until_s, server.end_s);
  }
  if (station.failure_pending &&
      line.kernel.calendar().time_of(station.failure_event) > station.busy_until_s)
    cancel_failure(line, station);
}

void StationStops::interrupt_repair(Line& line, StationRun& station) {
  if (!line.kernel.calendar().is_pending(station.repair_event)) return;
  station.repair_left_s = line.kernel.calendar().time_of(station.repair_event) - line.kernel.now();
  line.deadlocks.passive_gone();
  line.kernel.calendar().cancel(station.repair_event);
}

}  // namespace linetwin::line_run
