// StationFlow's functions on the event path: the end of a processing, the hand-over and refill of
// plain stations, and server state changes. Inlined into the run loop and the parts that call
// them, so that an event of a plain line costs no calls.
#pragma once

#include <algorithm>
#include <cassert>

#include "plant/run/line.hpp"
#include "plant/run/station_flow.hpp"

namespace linetwin::line_run {

[[gnu::always_inline]] inline void StationFlow::set_state(Line& line, StationRun& station,
                                                          ServerRun& server, ServerState state) {
  const ServerState from = server.state;
  server.state = state;
  if (from == state) return;
  line.reports.touch(station);
  --station.count[index_of(from)];
  ++station.count[index_of(state)];
  station.busy = station.busy - keeps_station_busy(from) + keeps_station_busy(state);
  if (!station.stopped()) {
    const double now = line.kernel.now();
    if (is_timed(from)) station.in_state[index_of(from)].add(now, -1.0);
    if (is_timed(state)) station.in_state[index_of(state)].add(now, 1.0);
  }
}

[[gnu::always_inline]] inline void StationFlow::refresh_active(double now, StationRun& station) {
  // Off shift is never active, down always is (the bottleneck method counts repairs as active).
  const bool active =
      station.halted ? station.down && !station.off_shift : station.busy == station.servers;
  if (active == station.active) return;
  station.active = active;
  station.active_time.add(now, active ? 1.0 : -1.0);
  if (!active) {
    station.inactive_since_s = now;
  } else if (now > station.inactive_since_s) {
    ++station.active_periods;  // not a resumption at the instant the last period ended
  }
}

// A server moves between two states known at compile time: the hot paths of plain stations.
// kRunning: the caller knows that the station is not stopped, which spares the test.
template <ServerState kFrom, ServerState kTo, bool kRunning>
[[gnu::always_inline]] inline void StationFlow::move_server(Line& line, StationRun& station,
                                                            ServerRun& server) {
  assert(server.state == kFrom);
  assert(!kRunning || !station.stopped());
  server.state = kTo;
  line.reports.touch(station);
  --station.count[index_of(kFrom)];
  ++station.count[index_of(kTo)];
  if constexpr (keeps_station_busy(kFrom)) --station.busy;
  if constexpr (keeps_station_busy(kTo)) ++station.busy;
  if (kRunning || !station.stopped()) {
    const double now = line.kernel.now();
    if constexpr (is_timed(kFrom)) station.in_state[index_of(kFrom)].add(now, -1.0);
    if constexpr (is_timed(kTo)) station.in_state[index_of(kTo)].add(now, 1.0);
  }
}

// Starts processing the part the server holds. kPlain: a plain station's idle server, on a
// station that runs (every caller has checked), which needs no setup and so no last product.
template <bool kPlain>
[[gnu::always_inline]] inline void StationFlow::start_processing(Line& line, StationRun& station,
                                                                 std::uint32_t k) {
  const double now = line.kernel.now();
  ServerRun& server = servers_[station.first_server + k];
  const bool was_operating = station.in(ServerState::kWorking) > 0;
  if constexpr (kPlain) {
    move_server<ServerState::kIdle, ServerState::kWorking, true>(line, station, server);
  } else {
    server.last_product = server.part.product;
    set_state(line, station, server, ServerState::kWorking);
  }
  const double processing_s =
      station.exponential_processing_s > 0.0
          ? Distribution::exponential_draw(station.exponential_processing_s, station.processing_rng)
          : station.processing[server.part.product]->sample(station.processing_rng);
  if (!kPlain && station.stopped()) {
    server.paused = true;
    server.remaining_s = processing_s;
    return;
  }
  server.end_s = now + processing_s;
  server.completion = line.kernel.schedule_at(
      server.end_s, event(RunEvent::kServiceEnd, station.index, static_cast<std::uint16_t>(k)));
  if (station.failure_mode == FailureMode::kOnOperatingTime)
    arm_failure(line, station, was_operating, server.end_s);
}

// A processing that ends at `end_s` has started on a running station: the failure clock counted
// on operating time runs from now if nothing else was processing.
[[gnu::always_inline]] inline void StationFlow::arm_failure(Line& line, StationRun& station,
                                                            bool was_operating, double end_s) {
  // The station stays busy without a break until the latest end of the processings under way
  // (whoever holds it keeps working until then), so a failure due before it is certain.
  if (was_operating) {
    station.busy_until_s = std::max(station.busy_until_s, end_s);
  } else {
    station.operating_since_s = line.kernel.now();
    station.busy_until_s = end_s;
  }
  if (!station.failure_pending &&
      station.operating_since_s + station.time_to_failure_s <= station.busy_until_s) {
    line.deadlocks.passive_scheduled();
    station.failure_event =
        line.kernel.schedule_at(station.operating_since_s + station.time_to_failure_s,
                                event(RunEvent::kFailure, station.index));
    station.failure_pending = true;
  }
}

[[gnu::always_inline]] inline bool StationFlow::can_take(const Line& line,
                                                         const StationRun& station) const {
  if (station.stopped() || station.in(ServerState::kIdle) == 0 || !station.takes_offers)
    return false;
  return line.limits.has_card(station.gate);
}

// Inlined into its callers (it calls nothing that calls back), saving a call frame per part.
[[gnu::always_inline]] inline void StationFlow::start_service(Line& line, StationRun& station,
                                                              std::uint32_t k, const Part& part) {
  servers_[station.first_server + k].part = part;
  start_processing<true>(line, station, k);
}

[[gnu::always_inline]] inline bool StationFlow::offer(Line& line, StationRun& station, Part& part) {
  if (!can_take(line, station)) return false;
  line.limits.take_card(line.kernel.now(), station.gate, part);
  std::uint32_t k = 0;
  while (servers_[station.first_server + k].state != ServerState::kIdle)
    ++k;
  if (station.plain()) {
    start_service(line, station, k, part);
  } else {
    load_server(station, k, part);
    begin_tasks(line, station, k);
  }
  refresh_active(line.kernel.now(), station);
  return true;
}

[[gnu::always_inline]] inline void StationFlow::refill(Line& line, StationRun& station,
                                                       std::uint32_t k) {
  if (!refill_from_buffer(line, station, k)) refill_other(line, station, k);
}

[[gnu::always_inline]] inline void StationFlow::refill_other(Line& line, StationRun& station,
                                                             std::uint32_t k) {
  // Fed by a buffer with nothing in it and no one waiting to hand a part through it: nothing to
  // take. Said here, it spares a starved station the call that would find it out.
  if (station.path == StationPath::kPlainFromBuffer &&
      line.flow.waiting(station.first_input.element).empty())
    return;
  refill_elsewhere(line, station, k);
}

[[gnu::always_inline]] inline bool StationFlow::refill_from_buffer(Line& line, StationRun& station,
                                                                   std::uint32_t k) {
  if (station.path != StationPath::kPlainFromBuffer || station.stopped()) return false;
  BufferRun& buffer = line.buffers.at(station.first_input.index);
  if (buffer.queue.empty()) return false;
  const Part part = line.buffers.take_head(line.kernel.now(), buffer);
  start_service(line, station, k, part);
  if (!line.flow.waiting(buffer.element).empty()) line.buffers.admit_waiting(line, buffer);
  return true;
}

[[gnu::always_inline]] inline void StationFlow::release_held(Line& line, StationRun& station,
                                                             const Holder& holder) {
  if (!station.plain()) {
    release_general(line, station, holder);
    return;
  }
  ServerRun& server = servers_[station.first_server + holder.server];
  assert(server.state == ServerState::kBlocked);
  move_server<ServerState::kBlocked, ServerState::kIdle, false>(line, station, server);
  refill(line, station, holder.server);
  refresh_active(line.kernel.now(), station);
}

[[gnu::always_inline]] inline void StationFlow::on_service_end(Line& line, StationRun& station,
                                                               std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kWorking && !station.stopped());
  if (!station.plain()) {
    finish(line, station, k);
    line.deadlocks.after_event(line);
    return;
  }
  ++station.processed;
  if (!station.uniform_ideal)
    station.ideal_work_s += ideal_s_[station.index * product_count_ + server.part.product];
  // Idle while it hands over: a plain station has one target, no rework and no WIP limit ending
  // here, so no cascade from this offer can come back to it.
  move_server<ServerState::kWorking, ServerState::kIdle, true>(line, station, server);
  const double now = line.kernel.now();
  if (station.in(ServerState::kWorking) == 0 &&
      station.failure_mode == FailureMode::kOnOperatingTime) {
    station.time_to_failure_s -= now - station.operating_since_s;
  }
  if (line.flow.offer(line, station.output.single, server.part)) {
    // A server that takes its next part at once leaves the station's busy servers, and so its
    // active period, as they were: nothing to refresh.
    if (refill_from_buffer(line, station, k)) return;
    refill_other(line, station, k);
  } else {
    move_server<ServerState::kIdle, ServerState::kBlocked, true>(line, station, server);
    line.flow.wait_on(station.output.single.element,
                      Holder{station.element, k, ++server.ticket, now});
    if (station.in(ServerState::kBlocked) == station.servers)
      line.deadlocks.station_jammed(line, station);
  }
  // After the refill: a station that took its next part at once never left its active period.
  refresh_active(now, station);
  line.deadlocks.after_event(line);
}

}  // namespace linetwin::line_run
