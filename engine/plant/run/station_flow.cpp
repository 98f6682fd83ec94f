#include "plant/run/station_flow.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void StationFlow::build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
                        std::uint32_t replication) {
  product_count_ = scene.products().size();
  std::uint32_t server_count = 0;
  for (ElementIndex index : scene.stations()) {
    const Element& e = scene.element(index);
    const StationSpec& spec = scene.station_spec(e);
    StationRun station{};
    station.index = static_cast<std::uint32_t>(stations_.size());
    station.element = index;
    const std::vector<ElementIndex>& inputs =
        spec.merge == MergeRule::kPriority ? spec.merge_priority : e.inputs;
    for (ElementIndex input : inputs)
      station.inputs.push_back(link_to(scene, input));
    station.output = make_output(scene, e, seed, replication);
    if (spec.quality && spec.quality->rework_to != kNoElement)
      station.rework = make_rework_output(scene, spec.quality->rework_to);
    station.spec = &spec;
    station.failure_mode = !spec.breakdowns ? FailureMode::kNever
                           : spec.breakdowns->counted_on == FailureClock::kOperatingTime
                               ? FailureMode::kOnOperatingTime
                               : FailureMode::kOnCalendarTime;
    station.path = classify_station(spec, station.inputs, station.output, nodes[index]);
    station.takes_offers = !spec.assembly && spec.batch_min == 1;
    station.gate = nodes[index].gate;
    station.first_input = station.inputs.front();
    station.first_server = server_count;
    station.servers = spec.servers;
    station.count[index_of(ServerState::kIdle)] = spec.servers;
    station.processing_rng = RandomStream(seed, e.id, "processing", replication);
    station.failure_rng = RandomStream(seed, e.id, "failure", replication);
    station.repair_rng = RandomStream(seed, e.id, "repair", replication);
    station.quality_rng = RandomStream(seed, e.id, "quality", replication);
    if (spec.assembly) {
      station.starved_by.resize(1 + spec.assembly->components.size());
      station.short_of.assign(station.starved_by.size(), 0);
    }
    for (std::size_t p = 0; p < product_count_; ++p) {
      const Distribution& processing = spec.processing_for(static_cast<ProductIndex>(p));
      station.processing.push_back(&processing);
      station.uniform_ideal =
          station.uniform_ideal && (p == 0 || processing.mean() == station.processing[0]->mean());
      ideal_s_.push_back(processing.mean() / spec.batch_max);
    }
    const Distribution& first = *station.processing.front();
    const bool same_exponential = std::all_of(
        station.processing.begin(), station.processing.end(), [&](const Distribution* d) {
          return d->kind() == DistributionKind::kExponential && d->mean() == first.mean();
        });
    if (same_exponential) station.exponential_processing_s = first.mean();
    server_count += spec.servers;
    stations_.push_back(std::move(station));
  }
  servers_.resize(server_count);
  loads_.resize(server_count);
}

std::uint32_t StationFlow::first_idle_server(const StationRun& station) const {
  std::uint32_t k = 0;
  while (servers_[station.first_server + k].state != ServerState::kIdle)
    ++k;
  return k;
}

void StationFlow::refill_all(Line& line, StationRun& station) {
  for (std::uint32_t k = 0; k < station.servers && !station.stopped(); ++k) {
    if (servers_[station.first_server + k].state == ServerState::kIdle) refill(line, station, k);
  }
  refresh_active(line.kernel.now(), station);
}

void StationFlow::load_server(StationRun& station, std::uint32_t k, const Part& part) {
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kIdle);
  server.part = part;
  loads_[station.first_server + k].batch.clear();
}

// Setup if the product changes, then processing; each waits for its operator if it needs one.
void StationFlow::begin_tasks(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const bool needs_setup =
      !spec.setup_s.empty() && server.last_product >= 0 &&
      spec.setup_s[static_cast<std::size_t>(server.last_product) * product_count_ +
                   server.part.product] > 0.0;
  const OperatorTask task = needs_setup ? OperatorTask::kSetup : OperatorTask::kProcessing;
  if (spec.needs_operator(task) && server.operator_id == kNoOperator) {
    server.waiting_for = task;
    set_state(line, station, server, ServerState::kWaitingOperator);
    line.operators.request(line, station, static_cast<std::uint16_t>(k), task);
    return;
  }
  if (needs_setup) {
    start_setup(line, station, k);
  } else {
    start_processing<false>(line, station, k);
  }
}

void StationFlow::start_setup(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const double setup_s =
      station.spec->setup_s[static_cast<std::size_t>(server.last_product) * product_count_ +
                            server.part.product];
  ++station.setups;
  set_state(line, station, server, ServerState::kSetup);
  if (station.stopped()) {
    server.paused = true;
    server.remaining_s = setup_s;
    return;
  }
  server.end_s = line.kernel.now() + setup_s;
  server.completion = line.kernel.schedule_at(
      server.end_s, event(RunEvent::kSetupEnd, station.index, static_cast<std::uint16_t>(k)));
}

void StationFlow::on_setup_end(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const auto& processing_pools = spec.operator_pools[static_cast<int>(OperatorTask::kProcessing)];
  if (server.operator_id != kNoOperator) {
    // The setter stays on for processing if processing needs someone of the same pool.
    if (!line.operators.belongs_to(server.operator_id, processing_pools)) {
      const std::uint32_t op = server.operator_id;
      server.operator_id = kNoOperator;
      line.operators.release(line, op);
    }
  }
  if (!processing_pools.empty() && server.operator_id == kNoOperator) {
    server.waiting_for = OperatorTask::kProcessing;
    set_state(line, station, server, ServerState::kWaitingOperator);
    line.operators.request(line, station, static_cast<std::uint16_t>(k), OperatorTask::kProcessing);
  } else {
    start_processing<false>(line, station, k);
  }
  refresh_active(line.kernel.now(), station);
}

void StationFlow::operator_left(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const bool working = server.state == ServerState::kWorking;
  if (!server.paused) {  // under way (else a stop has already interrupted it)
    line.kernel.calendar().cancel(server.completion);
    server.remaining_s = server.end_s - line.kernel.now();
    server.paused = true;
  }
  server.waiting_for = working ? OperatorTask::kProcessing : OperatorTask::kSetup;
  set_state(line, station, server, ServerState::kWaitingOperator);
  if (working) line.stops.work_interrupted(line, station);
  line.operators.request(line, station, static_cast<std::uint16_t>(k), server.waiting_for,
                         /*first=*/true);
  refresh_active(line.kernel.now(), station);
}

void StationFlow::resume_work(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const bool working = server.waiting_for == OperatorTask::kProcessing;
  const bool was_operating = station.in(ServerState::kWorking) > 0;
  set_state(line, station, server, working ? ServerState::kWorking : ServerState::kSetup);
  if (station.stopped()) return;  // still paused: the stop's end resumes it
  server.paused = false;
  server.end_s = line.kernel.now() + server.remaining_s;
  server.completion = line.kernel.schedule_at(
      server.end_s, event(working ? RunEvent::kServiceEnd : RunEvent::kSetupEnd, station.index,
                          static_cast<std::uint16_t>(k)));
  if (working && station.failure_mode == FailureMode::kOnOperatingTime)
    arm_failure(line, station, was_operating, server.end_s);
}

// End of processing on the general path: operator released, quality decided per part, splits
// made, then the parts are handed over one by one.
void StationFlow::finish(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const double now = line.kernel.now();
  set_state(line, station, server, ServerState::kHandingOver);
  if (station.in(ServerState::kWorking) == 0 &&
      station.failure_mode == FailureMode::kOnOperatingTime) {
    station.time_to_failure_s -= now - station.operating_since_s;
  }
  if (server.operator_id != kNoOperator) {
    const std::uint32_t op = server.operator_id;
    server.operator_id = kNoOperator;
    line.operators.release(line, op);
  }
  load.outgoing.clear();
  load.to_rework.clear();
  load.next_out = 0;
  auto judge = [&](Part& part) {
    ++station.processed;
    if (!station.uniform_ideal)
      station.ideal_work_s += ideal_s_[station.index * product_count_ + part.product];
    if (spec.quality) {
      const double u = station.quality_rng.uniform01();
      const double scrap = spec.quality->scrap[part.product];
      if (u < scrap) {
        ++station.scrapped;
        line.statistics.scrap(now, part);
        line.limits.drop_cards(line, part);
        return;
      }
      if (u < scrap + spec.quality->rework[part.product]) {
        ++station.reworked;
        // Reworked where it is: the server does it again once it has handed over the rest.
        if (spec.quality->rework_to == station.element) {
          load.redo.push_back(part);
          return;
        }
        load.outgoing.push_back(part);
        load.to_rework.push_back(1);
        return;
      }
    }
    load.outgoing.push_back(part);
    load.to_rework.push_back(0);
    for (std::uint32_t copy = 1; copy < spec.split_into; ++copy) {
      Part piece = part;
      piece.cards = 0;  // the cards stay with the first piece
      line.statistics.split_off(now);
      load.outgoing.push_back(piece);
      load.to_rework.push_back(0);
    }
  };
  judge(server.part);
  for (Part& part : load.batch)
    judge(part);
  load.batch.clear();
  hand_out(line, station, k);
  refresh_active(now, station);
}

void StationFlow::hand_out(Line& line, StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  while (load.next_out < load.outgoing.size()) {
    Part& part = load.outgoing[load.next_out];
    const Holder self{station.element, k, ++server.ticket, line.kernel.now()};
    const bool placed = line.flow.hand_on(
        line, load.to_rework[load.next_out] ? station.rework : station.output, part, self);
    if (!placed) {
      set_state(line, station, server, ServerState::kBlocked);
      if (station.in(ServerState::kBlocked) == station.servers)
        line.deadlocks.station_jammed(line, station);
      return;
    }
    ++load.next_out;
  }
  load.outgoing.clear();
  load.to_rework.clear();
  load.next_out = 0;
  if (!load.redo.empty()) {
    server.part = load.redo.front();
    load.batch.assign(load.redo.begin() + 1, load.redo.end());
    load.redo.clear();
    begin_tasks(line, station, k);
    return;
  }
  set_state(line, station, server, ServerState::kIdle);
  refill(line, station, k);
  if (station.spec->assembly) update_starvation(line, station);
}

Part StationFlow::take_held(StationRun& station, const Holder& holder) {
  ServerRun& server = servers_[station.first_server + holder.server];
  ++server.ticket;
  if (station.plain()) return server.part;
  const ServerLoad& load = loads_[station.first_server + holder.server];
  return load.outgoing[load.next_out];
}

void StationFlow::release_general(Line& line, StationRun& station, const Holder& holder) {
  ServerRun& server = servers_[station.first_server + holder.server];
  assert(server.state == ServerState::kBlocked);
  set_state(line, station, server, ServerState::kHandingOver);
  ++loads_[station.first_server + holder.server].next_out;
  hand_out(line, station, holder.server);
  refresh_active(line.kernel.now(), station);
}

std::size_t StationFlow::parts_of_server(const StationRun& station, std::uint32_t k) const {
  const std::uint32_t s = station.first_server + k;
  if (servers_[s].state == ServerState::kIdle) return 0;
  if (station.plain()) return 1;
  // A server handing over holds its finished parts (the main part among them).
  const ServerLoad& load = loads_[s];
  return load.outgoing.empty() ? 1 + load.batch.size()
                               : load.outgoing.size() - load.next_out + load.redo.size();
}

std::uint64_t StationFlow::parts_at(const StationRun& station) const {
  std::uint64_t parts = 0;
  for (std::uint32_t k = 0; k < station.servers; ++k)
    parts += parts_of_server(station, k);
  return parts;
}

void StationFlow::held_parts(const StationRun& station, std::vector<HeldPart>& out) const {
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    const ServerState state = servers_[station.first_server + k].state;
    const bool finished = state == ServerState::kBlocked || state == ServerState::kHandingOver;
    out.insert(out.end(), parts_of_server(station, k),
               HeldPart{finished, std::numeric_limits<double>::quiet_NaN()});
  }
}

void StationFlow::place_in_process(Line& line, StationRun& station, std::uint32_t k,
                                   const Part& part, double remaining_s) {
  ServerRun& server = servers_[station.first_server + k];
  load_server(station, k, part);
  server.last_product = part.product;
  server.waiting_for = OperatorTask::kProcessing;
  if (station.spec->needs_operator(OperatorTask::kProcessing)) {
    // Its operator was with it; here one is called and walks there first, as after a break.
    server.paused = true;
    server.remaining_s = remaining_s;
    set_state(line, station, server, ServerState::kWaitingOperator);
    line.operators.request(line, station, static_cast<std::uint16_t>(k), OperatorTask::kProcessing,
                           /*first=*/true);
    return;
  }
  const bool was_operating = station.in(ServerState::kWorking) > 0;
  set_state(line, station, server, ServerState::kWorking);
  if (station.stopped()) {  // off shift from the start: the work waits for the shift
    server.paused = true;
    server.remaining_s = remaining_s;
    return;
  }
  server.paused = false;
  server.end_s = line.kernel.now() + remaining_s;
  server.completion = line.kernel.schedule_at(
      server.end_s, event(RunEvent::kServiceEnd, station.index, static_cast<std::uint16_t>(k)));
  if (station.failure_mode == FailureMode::kOnOperatingTime)
    arm_failure(line, station, was_operating, server.end_s);
}

void StationFlow::place_unstarted(Line& line, StationRun& station, std::uint32_t k,
                                  const Part& part) {
  load_server(station, k, part);
  begin_tasks(line, station, k);
}

void StationFlow::place_finished(Line& line, StationRun& station, std::uint32_t k,
                                 const Part& part) {
  ServerRun& server = servers_[station.first_server + k];
  load_server(station, k, part);
  server.last_product = part.product;
  if (station.plain()) {
    // As at the end of a plain processing: passed on if there is room after all, else blocked
    // holding the part itself (take_held).
    if (line.flow.offer(line, station.output.single, server.part)) return;
    set_state(line, station, server, ServerState::kBlocked);
    line.flow.wait_on(station.output.single.element,
                      Holder{station.element, k, ++server.ticket, line.kernel.now()});
    if (station.in(ServerState::kBlocked) == station.servers)
      line.deadlocks.station_jammed(line, station);
    return;
  }
  ServerLoad& load = loads_[station.first_server + k];
  load.outgoing.assign(1, part);
  load.to_rework.assign(1, 0);
  load.next_out = 0;
  set_state(line, station, server, ServerState::kHandingOver);
  hand_out(line, station, k);
}

void StationFlow::reset(double now) {
  for (StationRun& station : stations_) {
    for (int s = 0; s < kServerStates; ++s)
      station.in_state[s].reset(now, station.timed_servers(s));
    station.down_servers.reset(now);
    station.off_shift_servers.reset(now);
    for (TimeAverage& t : station.starved_by)
      t.reset(now);
    station.processed = station.scrapped = station.reworked = 0;
    station.failures = station.setups = 0;
    station.ideal_work_s = 0.0;
    station.active_time.reset(now, station.active ? 1.0 : 0.0);
    station.active_periods = station.active ? 1 : 0;  // one still running is observed from here
  }
}

void StationFlow::write(double now, double observed_from_s, ReplicationResult& r) const {
  double longest_active = 0.0;  // a station never active is nobody's bottleneck
  std::uint64_t scrapped = 0;
  for (const StationRun& s : stations_) {
    StationResult out;
    const double total = s.servers * (now - observed_from_s);
    if (total > 0.0) {
      auto share = [&](ServerState state) {
        const int k = index_of(state);
        return s.in_state[k].integral(now, s.timed_servers(k)) / total;
      };
      out.working = share(ServerState::kWorking);
      out.setup = share(ServerState::kSetup);
      out.waiting_operator = share(ServerState::kWaitingOperator);
      out.blocked = share(ServerState::kBlocked);
      out.down = s.down_servers.integral(now) / total;
      out.off_shift = s.off_shift_servers.integral(now) / total;
      // The rest of the time, with the rounding residue of the subtraction snapped to zero.
      const double starved = 1.0 - out.working - out.setup - out.waiting_operator - out.blocked -
                             out.down - out.off_shift;
      out.starved = starved > 1e-12 ? starved : 0.0;
      const double planned = (1.0 - out.off_shift) * total;
      const double run = planned - (out.down + out.setup) * total;
      out.oee.availability = planned > 0.0 ? run / planned : kNaN;
      const double ideal_work_s =
          s.uniform_ideal ? s.processed * ideal_s_[s.index * product_count_] : s.ideal_work_s;
      out.oee.performance = run > 0.0 ? ideal_work_s / run : kNaN;
      out.oee.quality = s.processed > 0 ? static_cast<double>(s.good_parts()) / s.processed : kNaN;
      out.oee.oee = out.oee.availability * out.oee.performance * out.oee.quality;
    }
    out.parts_processed = s.processed;
    out.parts_good = s.good_parts();
    out.parts_scrapped = s.scrapped;
    out.parts_reworked = s.reworked;
    out.failures = s.failures;
    out.setups = s.setups;
    scrapped += s.scrapped;
    for (const TimeAverage& t : s.starved_by)
      out.starved_by.push_back(total > 0.0 ? t.integral(now) / total * s.servers : kNaN);
    // A period still running at the end counts with its length so far (censored).
    out.active_periods = s.active_periods;
    out.active_period_mean_s = s.active_periods > 0
                                   ? s.active_time.integral(now, s.active ? 1.0 : 0.0) /
                                         static_cast<double>(s.active_periods)
                                   : 0.0;
    if (out.active_period_mean_s > longest_active) {
      longest_active = out.active_period_mean_s;
      r.bottleneck_station = static_cast<std::int64_t>(r.stations.size());
    }
    r.stations.push_back(std::move(out));
  }
  const std::uint64_t finished = r.parts_completed + scrapped;
  r.scrap_rate = finished > 0 ? static_cast<double>(scrapped) / finished : kNaN;
}

void StationFlow::transfer_state(StateStream& io, const Scene& scene, std::size_t operators) {
  io.tag("STNS");
  auto part = [&](Part& p) { transfer(io, p, scene); };
  for (StationRun& station : stations_) {
    const StateStream::Section section(io, "stations", scene.element(station.element).id);
    const StationSpec& spec = *station.spec;
    transfer(io, station.output);
    transfer(io, station.rework);
    station.processing_rng.transfer_state(io);
    station.quality_rng.transfer_state(io);
    io.value(station.down);
    io.value(station.off_shift);
    io.index(station.repair_operator, operators, "repair_operator", kNoOperator);
    transfer(io, station.repair_event);
    io.value(station.repair_left_s);
    station.failure_rng.transfer_state(io);
    station.repair_rng.transfer_state(io);
    io.value(station.time_to_failure_s);
    io.value(station.operating_since_s);
    io.value(station.busy_until_s);
    io.value(station.failure_pending);
    transfer(io, station.failure_event);
    for (TimeIntegral& t : station.in_state)
      t.transfer_state(io);
    station.down_servers.transfer_state(io);
    station.off_shift_servers.transfer_state(io);
    io.value(station.active);
    io.value(station.inactive_since_s);
    station.active_time.transfer_state(io);
    io.value(station.active_periods);
    io.value(station.processed);
    io.value(station.scrapped);
    io.value(station.reworked);
    io.value(station.failures);
    io.value(station.setups);
    io.value(station.ideal_work_s);
    for (TimeAverage& t : station.starved_by)
      t.transfer_state(io);
    for (std::uint8_t& short_of : station.short_of) {
      io.value(short_of);
      if (short_of > 1) io.fail_value("short_of", "0 or 1", short_of);
    }

    // A batch holds at most batch_max parts, and each leaves as split_into parts.
    const std::uint64_t most_parts = spec.batch_max;
    const std::uint64_t most_out = most_parts * spec.split_into;
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      const StateStream::Section server_section(io, "servers", k);
      ServerRun& server = servers_[station.first_server + k];
      ServerLoad& load = loads_[station.first_server + k];
      io.enumerator(server.state, ServerState::kHandingOver, "state");
      io.value(server.paused);
      io.enumerator(server.waiting_for, OperatorTask::kRepair, "waiting_for");
      part(server.part);
      transfer(io, server.completion);
      io.value(server.end_s);
      io.value(server.remaining_s);
      io.value(server.ticket);
      io.index(server.operator_id, operators, "operator_id", kNoOperator);
      io.value(server.last_product);
      if (io.reading() && (server.last_product < -1 ||
                           server.last_product >= static_cast<std::int64_t>(product_count_)))
        io.fail("last_product", "-1 (none) or a product index");
      transfer(io, load.batch, most_parts, kPartBytes, "batch", part);
      transfer(io, load.outgoing, most_out, kPartBytes, "outgoing", part);
      transfer(io, load.to_rework, load.outgoing.size(), 1, "to_rework", [&](std::uint8_t& b) {
        io.value(b);
        if (b > 1) io.fail_value("to_rework", "0 or 1", b);
      });
      std::uint64_t next_out = load.next_out;
      io.value(next_out);
      transfer(io, load.redo, most_parts, kPartBytes, "redo", part);
      if (!io.reading()) continue;
      if (load.to_rework.size() != load.outgoing.size())
        io.fail_value("to_rework", "a flag for each outgoing part", load.to_rework.size());
      // A blocked server of the general path holds the outgoing part it could not hand over.
      const bool holds_one = server.state == ServerState::kBlocked && !station.plain();
      if (next_out > load.outgoing.size() || (holds_one && next_out == load.outgoing.size()))
        io.fail_value("next_out", "the outgoing part handed over next", next_out);
      load.next_out = static_cast<std::size_t>(next_out);
    }
    if (!io.reading()) continue;
    // What the event path keeps up to date as the servers change, derived once here.
    std::fill(std::begin(station.count), std::end(station.count), 0);
    station.busy = 0;
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      const ServerState state = servers_[station.first_server + k].state;
      ++station.count[index_of(state)];
      station.busy += keeps_station_busy(state) ? 1 : 0;
    }
    station.halted = station.down || station.off_shift;
  }
}

}  // namespace linetwin::line_run
