#include "plant/line_run.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace linetwin {

LineRun::LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                 RunSettings settings)
    : settings_(settings), replication_(replication), scene_file_(scene.source_file()) {
  const auto& elements = scene.elements();
  nodes_.reserve(elements.size());
  for (const Element& e : elements)
    nodes_.push_back(Node{e.type, e.type_index});
  waiting_.resize(elements.size());

  for (ElementIndex index : scene.buffers()) {
    const Element& e = elements[index];
    BufferRun buffer{index, link_to(scene, e.downstream), scene.buffer_spec(e).capacity, {}, {}, 0};
    buffers_.push_back(std::move(buffer));
  }
  std::uint32_t server_count = 0;
  for (ElementIndex index : scene.stations()) {
    const Element& e = elements[index];
    const StationSpec& spec = scene.station_spec(e);
    StationRun station{};
    station.index = static_cast<std::uint32_t>(stations_.size());
    station.element = index;
    station.input = link_to(scene, e.upstream);
    station.output = link_to(scene, e.downstream);
    station.spec = &spec;
    station.failure_mode = !spec.breakdowns ? FailureMode::kNever
                           : spec.breakdowns->counted_on == FailureClock::kOperatingTime
                               ? FailureMode::kOnOperatingTime
                               : FailureMode::kOnCalendarTime;
    station.first_server = server_count;
    station.servers = spec.servers;
    station.processing_rng = RandomStream(seed, e.id, "processing", replication);
    station.failure_rng = RandomStream(seed, e.id, "failure", replication);
    station.repair_rng = RandomStream(seed, e.id, "repair", replication);
    server_count += spec.servers;
    stations_.push_back(std::move(station));
  }
  servers_.resize(server_count);
  for (ElementIndex index : scene.sources()) {
    const Element& e = elements[index];
    SourceRun source{};
    source.element = index;
    source.output = link_to(scene, e.downstream);
    source.spec = &scene.source_spec(e);
    source.interarrival_rng = RandomStream(seed, e.id, "interarrival", replication);
    sources_.push_back(source);
  }
  lead_times_s_.reserve(1024);

  // Time zero: failure clocks start, the first arrivals are scheduled, unlimited supplies fill
  // the line's entrance.
  for (StationRun& station : stations_) {
    if (!station.spec->breakdowns) continue;
    station.time_to_failure_s =
        station.spec->breakdowns->time_to_failure.sample(station.failure_rng);
    if (station.failure_mode == FailureMode::kOnCalendarTime) {
      kernel_.schedule_at(station.time_to_failure_s, {station.index, kFailure, 0});
      station.failure_pending = true;
    }
  }
  for (SourceRun& source : sources_) {
    if (source.spec->unlimited_supply) {
      supply_unlimited(source);
    } else {
      schedule_arrival(source);
    }
  }
  if (settings_.warmup_s > 0.0) {
    // Runs after everything else due at the same instant: the observed window is
    // (warm-up, end], so an event at exactly the warm-up time belongs to the warm-up.
    kernel_.schedule_at(settings_.warmup_s, {0, kWarmupEnd, 0}, EventCalendar::kMaxPriority);
  }
  observed_from_s_ = 0.0;
}

LineRun::Link LineRun::link_to(const Scene& scene, ElementIndex element) {
  const Element& e = scene.element(element);
  return Link{e.type, e.type_index, element};
}

// ---- moving parts ----

void LineRun::enter_line(Part& part) {
  part.entered_s = kernel_.now();
  wip_.add(kernel_.now(), 1.0);
}

void LineRun::complete(const Part& part) {
  ++completed_;
  lead_times_s_.push_back(kernel_.now() - part.entered_s);
  wip_.add(kernel_.now(), -1.0);
}

// Inlined into its few callers: one switch instead of a call that only dispatches.
[[gnu::always_inline]] inline bool LineRun::offer(const Link& to, Part part) {
  switch (to.type) {
    case ElementType::kSink:
      complete(part);
      return true;
    case ElementType::kBuffer:
      return offer_to_buffer(buffers_[to.index], part);
    case ElementType::kStation:
      return offer_to_station(stations_[to.index], part);
    case ElementType::kSource:
      break;
  }
  assert(false && "a source takes no parts");
  return false;
}

[[gnu::always_inline]] inline bool LineRun::offer_to_buffer(BufferRun& buffer, Part part) {
  // Pass straight through when nothing queues ahead and the next element can start. A buffer
  // feeds a station or a sink (the scene builder rejects anything else).
  if (buffer.queue.empty()) {
    if (buffer.output.type == ElementType::kSink) {
      complete(part);
      return true;
    }
    if (offer_to_station(stations_[buffer.output.index], part)) return true;
  }
  if (buffer.queue.size() >= buffer.capacity) return false;
  buffer.queue.push_back(part);
  buffer.occupancy.add(kernel_.now(), 1.0);
  buffer.occupancy_max = std::max<std::uint64_t>(buffer.occupancy_max, buffer.queue.size());
  return true;
}

bool LineRun::offer_to_station(StationRun& station, Part part) {
  if (station.down || station.working + station.blocked >= station.servers) return false;
  std::uint32_t k = 0;
  while (servers_[station.first_server + k].state != ServerState::kIdle)
    ++k;
  start_service(station, k, part);
  refresh_active(station);
  return true;
}

// Starts processing; the caller refreshes the station's active period once it is done with it.
// Inlined into its callers (it calls nothing that calls back), saving a call frame per part.
[[gnu::always_inline]] inline void LineRun::start_service(StationRun& station, std::uint32_t k,
                                                          Part part) {
  const double now = kernel_.now();
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kIdle);
  server.state = ServerState::kWorking;
  server.part = part;
  const bool was_operating = station.working > 0;
  count_working(station, +1);
  server.end_s = now + station.spec->processing.sample(station.processing_rng);
  server.completion = kernel_.schedule_at(
      server.end_s, {station.index, kServiceEnd, static_cast<std::uint16_t>(k)});
  if (station.failure_mode == FailureMode::kOnOperatingTime) {
    if (!was_operating) station.operating_since_s = now;
    // The station stays busy without a break until the latest end of the processings under way
    // (whoever holds it keeps working until then), so a failure due before it is certain.
    station.busy_until_s =
        was_operating ? std::max(station.busy_until_s, server.end_s) : server.end_s;
    if (!station.failure_pending &&
        station.operating_since_s + station.time_to_failure_s <= station.busy_until_s) {
      kernel_.schedule_at(station.operating_since_s + station.time_to_failure_s,
                          {station.index, kFailure, 0});
      station.failure_pending = true;
    }
  }
}

// Server k of the station is idle: it takes the next part from its input, if there is one. The
// common case, a part waiting in the buffer in front, is inlined; the rest is refill_other.
[[gnu::always_inline]] inline void LineRun::refill(StationRun& station, std::uint32_t k) {
  if (station.down) return;
  if (station.input.type == ElementType::kBuffer) {
    BufferRun& buffer = buffers_[station.input.index];
    if (!buffer.queue.empty()) {
      const Part part = buffer.queue.pop_front();
      buffer.occupancy.add(kernel_.now(), -1.0);
      start_service(station, k, part);
      if (!waiting_[buffer.element].empty()) admit_waiting(buffer);
      return;
    }
  }
  refill_other(station, k);
}

void LineRun::refill_other(StationRun& station, std::uint32_t k) {
  switch (station.input.type) {
    case ElementType::kBuffer: {
      // An empty buffer can still have holders waiting: a direct hand-over (capacity 0).
      FifoQueue<Holder>& waiting = waiting_[station.input.element];
      if (!waiting.empty()) {
        const Holder holder = waiting.pop_front();
        start_service(station, k, take_from(holder));
        release(holder);
      }
      return;
    }
    case ElementType::kSource: {
      SourceRun& source = sources_[station.input.index];
      if (source.spec->unlimited_supply) {
        // A part is always ready: no waiting list in between.
        Part part;
        enter_line(part);
        ++source.arrivals;
        start_service(station, k, part);
        return;
      }
      break;
    }
    default:
      break;
  }
  // Fed directly by a source or a station: they wait on this station's own list.
  FifoQueue<Holder>& waiting = waiting_[station.element];
  if (!waiting.empty()) {
    const Holder holder = waiting.pop_front();
    start_service(station, k, take_from(holder));
    release(holder);
  }
}

void LineRun::admit_waiting(BufferRun& buffer) {
  FifoQueue<Holder>& waiting = waiting_[buffer.element];
  if (waiting.empty() || buffer.queue.size() >= buffer.capacity) return;
  const Holder holder = waiting.pop_front();
  [[maybe_unused]] const bool taken = offer_to_buffer(buffer, take_from(holder));
  assert(taken);
  release(holder);
}

LineRun::Part LineRun::take_from(const Holder& holder) {
  const Node& node = nodes_[holder.element];
  if (node.type == ElementType::kSource) {
    SourceRun& source = sources_[node.type_index];
    Part part = source.held;
    if (source.spec->unlimited_supply) ++source.arrivals;
    enter_line(part);
    return part;
  }
  assert(node.type == ElementType::kStation);
  const StationRun& station = stations_[node.type_index];
  return servers_[station.first_server + holder.server].part;
}

void LineRun::release(const Holder& holder) {
  const Node& node = nodes_[holder.element];
  if (node.type == ElementType::kSource) {
    SourceRun& source = sources_[node.type_index];
    if (source.spec->unlimited_supply) {
      supply_unlimited(source);
    } else {
      source.blocked_time.add(kernel_.now(), -1.0);
      schedule_arrival(source);
    }
    return;
  }
  StationRun& station = stations_[node.type_index];
  ServerRun& server = servers_[station.first_server + holder.server];
  assert(server.state == ServerState::kBlocked);
  server.state = ServerState::kIdle;
  count_blocked(station, -1);
  refill(station, holder.server);
  refresh_active(station);
}

void LineRun::supply_unlimited(SourceRun& source) {
  for (;;) {
    Part part;
    enter_line(part);
    if (!offer(source.output, part)) {
      wip_.add(kernel_.now(), -1.0);  // it did not enter after all
      break;
    }
    ++source.arrivals;
  }
  // A station pulls from an unlimited supply directly (refill); a buffer admits from its waiting
  // list, where the supply always stands with a part ready.
  if (source.output.type == ElementType::kBuffer) {
    waiting_[source.output.element].push_back(Holder{source.element, 0});
  }
}

void LineRun::schedule_arrival(SourceRun& source) {
  kernel_.schedule_in(source.spec->interarrival.sample(source.interarrival_rng),
                      {static_cast<std::uint32_t>(&source - sources_.data()), kArrival, 0});
}

// ---- breakdowns ----

void LineRun::arm_failure_if_due(StationRun& station) {
  if (station.failure_pending || station.down || station.working == 0) return;
  const double due = station.operating_since_s + station.time_to_failure_s;
  if (due <= station.busy_until_s) {
    kernel_.schedule_at(due, {station.index, kFailure, 0});
    station.failure_pending = true;
  }
}

// ---- accounting ----

void LineRun::count_working(StationRun& station, int delta) {
  station.working = static_cast<std::uint32_t>(static_cast<int>(station.working) + delta);
  if (!station.down) station.working_servers.add(kernel_.now(), delta);
}

void LineRun::count_blocked(StationRun& station, int delta) {
  station.blocked = static_cast<std::uint32_t>(static_cast<int>(station.blocked) + delta);
  if (!station.down) station.blocked_servers.add(kernel_.now(), delta);
}

void LineRun::refresh_active(StationRun& station) {
  const bool active = station.down || station.working == station.servers;
  if (active == station.active) return;
  station.active = active;
  const double now = kernel_.now();
  station.active_time.add(now, active ? 1.0 : -1.0);
  if (!active) {
    station.inactive_since_s = now;
  } else if (now > station.inactive_since_s) {
    ++station.active_periods;  // not a resumption at the instant the last period ended
  }
}

// ---- events ----

void LineRun::operator()(const ScheduledEvent& event) {
  // A model whose clock stops advancing would run forever: the scene builder rules out the
  // known causes, and this guard turns any other into an error instead of a hang.
  if (event.time != last_event_time_s_) {
    last_event_time_s_ = event.time;
    events_at_this_instant_ = 0;
  } else if (++events_at_this_instant_ > kMaxEventsPerInstant) {
    throw InputError({scene_file_, 0, 0, ""},
                     fmt::format("the simulation is stuck at t = {} s: more than {} events without "
                                 "the clock advancing; look for processing, inter-arrival or "
                                 "repair times that are almost always zero",
                                 event.time, kMaxEventsPerInstant));
  }
  switch (event.payload.kind) {
    case kArrival:
      on_arrival(sources_[event.payload.target]);
      break;
    case kServiceEnd:
      on_service_end(stations_[event.payload.target], event.payload.detail);
      break;
    case kFailure:
      on_failure(stations_[event.payload.target]);
      break;
    case kRepairEnd:
      on_repair(stations_[event.payload.target]);
      break;
    case kWarmupEnd:
      on_warmup_end();
      break;
  }
}

void LineRun::on_arrival(SourceRun& source) {
  ++source.arrivals;
  Part part;
  enter_line(part);
  if (offer(source.output, part)) {
    schedule_arrival(source);
    return;
  }
  wip_.add(kernel_.now(), -1.0);  // refused: it never entered
  if (source.spec->when_output_full == WhenOutputFull::kLose) {
    ++source.lost;
    schedule_arrival(source);
    return;
  }
  source.held = part;
  source.blocked_time.add(kernel_.now(), 1.0);
  waiting_[source.output.element].push_back(Holder{source.element, 0});
}

[[gnu::always_inline]] inline void LineRun::on_service_end(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kWorking && !station.down);
  ++station.processed;
  count_working(station, -1);
  if (station.working == 0 && station.failure_mode == FailureMode::kOnOperatingTime) {
    station.time_to_failure_s -= kernel_.now() - station.operating_since_s;
  }
  // The graph has no loops, so this offer cannot come back to this station.
  server.state = ServerState::kIdle;
  if (offer(station.output, server.part)) {
    refill(station, k);
  } else {
    server.state = ServerState::kBlocked;
    count_blocked(station, +1);
    waiting_[station.output.element].push_back(Holder{station.element, k});
  }
  // After the refill: a station that took its next part at once never left its active period.
  refresh_active(station);
}

void LineRun::on_failure(StationRun& station) {
  const double now = kernel_.now();
  station.working_servers.add(now, -static_cast<double>(station.working));
  station.blocked_servers.add(now, -static_cast<double>(station.blocked));
  station.down_servers.add(now, station.servers);
  station.failure_pending = false;
  station.down = true;
  ++station.failures;
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    ServerRun& server = servers_[station.first_server + k];
    if (server.state != ServerState::kWorking) continue;
    kernel_.calendar().cancel(server.completion);
    server.remaining_s = server.end_s - kernel_.now();
  }
  kernel_.schedule_in(station.spec->breakdowns->time_to_repair.sample(station.repair_rng),
                      {station.index, kRepairEnd, 0});
  refresh_active(station);
}

void LineRun::on_repair(StationRun& station) {
  const double now = kernel_.now();
  station.working_servers.add(now, station.working);
  station.blocked_servers.add(now, station.blocked);
  station.down_servers.add(now, -static_cast<double>(station.servers));
  station.down = false;
  const BreakdownSpec& breakdowns = *station.spec->breakdowns;
  station.time_to_failure_s = breakdowns.time_to_failure.sample(station.failure_rng);
  const std::uint32_t index = station.index;
  if (breakdowns.counted_on == FailureClock::kCalendarTime) {
    kernel_.schedule_in(station.time_to_failure_s, {index, kFailure, 0});
    station.failure_pending = true;
  } else {
    station.operating_since_s = kernel_.now();
  }
  station.busy_until_s = 0.0;
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    ServerRun& server = servers_[station.first_server + k];
    if (server.state != ServerState::kWorking) continue;
    server.end_s = kernel_.now() + server.remaining_s;
    station.busy_until_s = std::max(station.busy_until_s, server.end_s);
    server.completion =
        kernel_.schedule_at(server.end_s, {index, kServiceEnd, static_cast<std::uint16_t>(k)});
  }
  if (breakdowns.counted_on == FailureClock::kOperatingTime) arm_failure_if_due(station);
  for (std::uint32_t k = 0; k < station.servers && !station.down; ++k) {
    if (servers_[station.first_server + k].state == ServerState::kIdle) refill(station, k);
  }
  refresh_active(station);
}

void LineRun::on_warmup_end() {
  const double now = kernel_.now();
  observed_from_s_ = now;
  for (StationRun& station : stations_) {
    station.working_servers.reset(now);
    station.blocked_servers.reset(now);
    station.down_servers.reset(now);
    station.processed = station.failures = 0;
    station.active_time.reset(now);
    station.active_periods = station.active ? 1 : 0;  // one still running is observed from here
  }
  for (BufferRun& buffer : buffers_) {
    buffer.occupancy.reset(now);
    buffer.occupancy_max = buffer.queue.size();
  }
  for (SourceRun& source : sources_) {
    source.arrivals = source.lost = 0;
    source.blocked_time.reset(now);
  }
  wip_.reset(now);
  completed_ = 0;
  lead_times_s_.clear();
}

// ---- running and results ----

StopReason LineRun::advance_to(double time) {
  RunLimits limits;
  limits.until = std::min(time, end_time());
  return kernel_.run(*this, limits);
}

ReplicationResult LineRun::run_to_end() {
  advance_to(end_time());
  return results();
}

ReplicationResult LineRun::results() const {
  const double now = kernel_.now();
  ReplicationResult r;
  r.replication = replication_;
  r.observed_s = now - observed_from_s_;
  r.parts_completed = completed_;
  r.parts_in_line_at_end = static_cast<std::uint64_t>(wip_.value());
  r.events = kernel_.events_executed();
  const double observed =
      r.observed_s > 0.0 ? r.observed_s : std::numeric_limits<double>::quiet_NaN();
  r.throughput_per_hour = static_cast<double>(completed_) / observed * 3600.0;
  r.wip_mean = wip_.mean(now);
  // Reordering the samples in place changes no statistic of them, and saves copying them.
  r.lead_time_mean_s = sample_mean(lead_times_s_);
  const double probabilities[] = {0.50, 0.95};
  double lead_time_quantiles[2];
  quantiles(lead_times_s_, probabilities, lead_time_quantiles);
  r.lead_time_p50_s = lead_time_quantiles[0];
  r.lead_time_p95_s = lead_time_quantiles[1];

  double longest_active = 0.0;  // a station never active is nobody's bottleneck
  for (const StationRun& s : stations_) {
    StationResult out;
    const double total = s.servers * (now - observed_from_s_);
    if (total > 0.0) {
      out.working = s.working_servers.integral(now) / total;
      out.blocked = s.blocked_servers.integral(now) / total;
      out.down = s.down_servers.integral(now) / total;
      // The rest of the time, with the rounding residue of the subtraction snapped to zero.
      const double starved = 1.0 - out.working - out.blocked - out.down;
      out.starved = starved > 1e-12 ? starved : 0.0;
    }
    out.parts_processed = s.processed;
    out.failures = s.failures;
    // A period still running at the end counts with its length so far (censored).
    out.active_periods = s.active_periods;
    out.active_period_mean_s =
        s.active_periods > 0 ? s.active_time.integral(now) / static_cast<double>(s.active_periods)
                             : 0.0;
    if (out.active_period_mean_s > longest_active) {
      longest_active = out.active_period_mean_s;
      r.bottleneck_station = static_cast<std::int64_t>(r.stations.size());
    }
    r.stations.push_back(out);
  }
  for (const BufferRun& buffer : buffers_) {
    r.buffers.push_back(BufferResult{buffer.occupancy.mean(now), buffer.occupancy_max});
  }
  for (const SourceRun& source : sources_) {
    SourceResult out{source.arrivals, source.lost, 0.0, 0.0};
    // An unlimited supply always has a part ready, so being blocked means nothing for it.
    out.blocked = source.spec->unlimited_supply ? std::numeric_limits<double>::quiet_NaN()
                                                : source.blocked_time.integral(now) / observed;
    out.loss_probability = source.arrivals > 0 ? static_cast<double>(source.lost) /
                                                     static_cast<double>(source.arrivals)
                                               : std::numeric_limits<double>::quiet_NaN();
    r.sources.push_back(out);
  }
  return r;
}

}  // namespace linetwin
