#include "plant/line_run.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace linetwin {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

LineRun::LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                 RunSettings settings)
    : settings_(settings),
      replication_(replication),
      scene_file_(scene.source_file()),
      product_count_(scene.products().size()) {
  const auto& elements = scene.elements();
  nodes_.reserve(elements.size());
  for (const Element& e : elements) {
    nodes_.push_back(Node{e.type, e.type_index, kNoGate, 0});
    poses_.push_back(e.pose);
  }
  waiting_.resize(elements.size());
  for (std::size_t k = 0; k < scene.wip_limits().size(); ++k) {
    const WipLimitSpec& limit = scene.wip_limits()[k];
    nodes_[limit.from].gate = static_cast<std::uint8_t>(k);
    nodes_[limit.to].exits = static_cast<std::uint16_t>(nodes_[limit.to].exits | (1u << k));
    limits_.push_back(LimitRun{limit.from, limit.cards, {}});
  }

  for (ElementIndex index : scene.buffers()) {
    const Element& e = elements[index];
    BufferRun buffer{};
    buffer.element = index;
    buffer.output = make_output(scene, e, seed);
    buffer.capacity = scene.buffer_spec(e).capacity;
    buffer.gate = nodes_[index].gate;
    for (ElementIndex target : e.route.targets) {
      const Element& t = elements[target];
      if (t.type != ElementType::kStation) continue;
      const StationSpec& spec = scene.station_spec(t);
      buffer.feeds_puller = buffer.feeds_puller || spec.assembly || spec.batch_min > 1;
      buffer.tracks_arrival =
          buffer.tracks_arrival || (t.inputs.size() > 1 && spec.merge == MergeRule::kFirstCome);
    }
    buffer.plain_pass = !buffer.feeds_puller && buffer.output.targets.size() == 1 &&
                        buffer.output.single.type == ElementType::kStation &&
                        buffer.gate == kNoGate && nodes_[index].exits == 0;
    buffer.plain_queue = !buffer.feeds_puller && !buffer.tracks_arrival && buffer.gate == kNoGate;
    buffers_.push_back(std::move(buffer));
  }
  std::uint32_t server_count = 0;
  for (ElementIndex index : scene.stations()) {
    const Element& e = elements[index];
    const StationSpec& spec = scene.station_spec(e);
    StationRun station{};
    station.index = static_cast<std::uint32_t>(stations_.size());
    station.element = index;
    const std::vector<ElementIndex>& inputs =
        spec.merge == MergeRule::kPriority ? spec.merge_priority : e.inputs;
    for (ElementIndex input : inputs)
      station.inputs.push_back(link_to(scene, input));
    station.output = make_output(scene, e, seed);
    if (spec.quality && spec.quality->rework_to != kNoElement) {
      station.rework.single = link_to(scene, spec.quality->rework_to);
      station.rework.targets = {station.rework.single};
    }
    station.spec = &spec;
    station.failure_mode = !spec.breakdowns ? FailureMode::kNever
                           : spec.breakdowns->counted_on == FailureClock::kOperatingTime
                               ? FailureMode::kOnOperatingTime
                               : FailureMode::kOnCalendarTime;
    bool needs_operators = false;
    for (const auto& pools : spec.operator_pools)
      needs_operators = needs_operators || !pools.empty();
    station.plain = station.inputs.size() == 1 && station.output.rule == RouteRule::kSingle &&
                    spec.batch_max == 1 && spec.split_into == 1 && !spec.assembly &&
                    spec.setup_s.empty() && !spec.quality && !needs_operators &&
                    nodes_[index].gate == kNoGate && nodes_[index].exits == 0;
    station.plain_from_buffer =
        station.plain && station.inputs.front().type == ElementType::kBuffer;
    station.takes_offers = !spec.assembly && spec.batch_min == 1;
    station.gate = nodes_[index].gate;
    station.first_input = station.inputs.front();
    station.first_server = server_count;
    station.servers = spec.servers;
    station.count[static_cast<int>(ServerState::kIdle)] = spec.servers;
    station.processing_rng = RandomStream(seed, e.id, "processing", replication);
    station.failure_rng = RandomStream(seed, e.id, "failure", replication);
    station.repair_rng = RandomStream(seed, e.id, "repair", replication);
    station.quality_rng = RandomStream(seed, e.id, "quality", replication);
    if (spec.assembly) {
      station.starved_by.resize(1 + spec.assembly->components.size());
      station.short_of.assign(station.starved_by.size(), 0);
    }
    for (std::size_t p = 0; p < product_count_; ++p) {
      station.processing.push_back(&spec.processing_for(static_cast<ProductIndex>(p)));
      station.uniform_ideal =
          station.uniform_ideal &&
          (p == 0 || station.processing[p]->mean() == station.processing[0]->mean());
      ideal_s_.push_back(spec.processing_for(static_cast<ProductIndex>(p)).mean() / spec.batch_max);
    }
    server_count += spec.servers;
    stations_.push_back(std::move(station));
  }
  servers_.resize(server_count);
  loads_.resize(server_count);
  for (ElementIndex index : scene.conveyors()) {
    const Element& e = elements[index];
    conveyors_.push_back(ConveyorRun{index,
                                     make_output(scene, e, seed),
                                     ConveyorBelt(scene.conveyor_spec(e)),
                                     {},
                                     {},
                                     {},
                                     false,
                                     0,
                                     {},
                                     0.0,
                                     0});
  }
  for (ElementIndex index : scene.sources()) {
    const Element& e = elements[index];
    SourceRun source{};
    source.element = index;
    source.output = make_output(scene, e, seed);
    source.spec = &scene.source_spec(e);
    source.interarrival_rng = RandomStream(seed, e.id, "interarrival", replication);
    source.mix_rng = RandomStream(seed, e.id, "mix", replication);
    sources_.push_back(std::move(source));
  }
  for (std::uint32_t k = 0; k < scene.operator_pools().size(); ++k) {
    const OperatorPoolSpec& pool = scene.operator_pools()[k];
    const Pose home = pool.home == kNoElement ? Pose{} : elements[pool.home].pose;
    pools_.push_back(PoolRun{&pool, static_cast<std::uint32_t>(operators_.size()), {}, {}, 0});
    for (std::uint32_t i = 0; i < pool.count; ++i)
      operators_.push_back(OperatorRun{k, home.x_m, home.y_m, false});
  }
  completed_by_product_.assign(product_count_, 0);
  scrapped_by_product_.assign(product_count_, 0);
  lead_time_sum_by_product_.assign(product_count_, 0.0);
  lead_times_s_.reserve(1024);

  // Time zero: calendars set who is on shift, failure clocks start, the first arrivals are
  // scheduled, unlimited supplies fill the line's entrance.
  for (const NamedCalendar& named : scene.calendars()) {
    calendars_.push_back(CalendarRun{ShiftCalendar(named.spec), {}, true});
  }
  for (StationRun& station : stations_) {
    if (station.spec->calendar >= 0)
      calendars_[static_cast<std::size_t>(station.spec->calendar)].stations.push_back(
          station.index);
  }
  for (std::uint32_t c = 0; c < calendars_.size(); ++c) {
    CalendarRun& calendar = calendars_[c];
    if (calendar.stations.empty()) continue;
    calendar.on_shift = calendar.calendar.on_shift(0.0);
    if (!calendar.on_shift) {
      for (std::uint32_t s : calendar.stations)
        set_stop(stations_[s], false, true);
    }
    const double next = calendar.calendar.next_change_after(0.0);
    if (next <= end_time()) kernel_.schedule_at(next, {c, kShiftChange, 0});
  }
  for (StationRun& station : stations_) {
    if (!station.spec->breakdowns) continue;
    station.time_to_failure_s =
        station.spec->breakdowns->time_to_failure.sample(station.failure_rng);
    if (station.failure_mode == FailureMode::kOnCalendarTime) {
      station.failure_event =
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
  for (StationRun& station : stations_) {
    if (station.spec->assembly) update_starvation(station);
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

LineRun::Output LineRun::make_output(const Scene& scene, const Element& e, std::uint64_t seed) {
  Output out;
  out.rule = e.route.rule;
  if (out.rule == RouteRule::kFirstFree) stale_holders_possible_ = true;
  for (ElementIndex target : e.route.targets)
    out.targets.push_back(link_to(scene, target));
  if (!out.targets.empty()) out.single = out.targets.front();
  double sum = 0.0;
  for (double w : e.route.weights)
    out.cumulative.push_back(sum += w);
  out.by_product = &e.route.by_product;
  out.rng = RandomStream(seed, e.id, "route", replication_);
  return out;
}

// ---- station state, on the hot path (defined first so that they can be inlined) ----

// A part accepted by an element that starts a WIP limit takes one of its cards (the caller has
// checked that one is free). Inlined: most elements start no limit.
[[gnu::always_inline]] inline bool LineRun::take_card(std::uint8_t gate, Part& part) {
  // A part that already holds this card (reworked back into the segment) keeps it.
  if (gate == kNoGate || (part.cards & (1u << gate))) return true;
  LimitRun& limit = limits_[gate];
  if (limit.cards_free == 0) return false;
  --limit.cards_free;
  limit.in_use.add(kernel_.now(), 1.0);
  part.cards = static_cast<std::uint16_t>(part.cards | (1u << gate));
  return true;
}

[[gnu::always_inline]] inline void LineRun::set_state(StationRun& station, ServerRun& server,
                                                      ServerState state) {
  const int from = static_cast<int>(server.state);
  const int to = static_cast<int>(state);
  server.state = state;
  if (from == to) return;
  if (observer_) [[unlikely]]
    mark_changed(station);
  --station.count[from];
  ++station.count[to];
  station.busy = station.busy - (kBusy >> from & 1u) + (kBusy >> to & 1u);
  if (!stopped(station)) {
    // Idle (starved) is the rest of the time, and a hand-over takes none: neither is integrated.
    const double now = kernel_.now();
    if (kIntegrated >> from & 1u) station.in_state[from].add(now, -1.0);
    if (kIntegrated >> to & 1u) station.in_state[to].add(now, 1.0);
  }
}

[[gnu::always_inline]] inline void LineRun::refresh_active(StationRun& station) {
  // Off shift is never active, down always is (the bottleneck method counts repairs as active).
  const bool active =
      station.halted ? station.down && !station.off_shift : station.busy == station.servers;
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

// A server moves between two states known at compile time: the hot paths of plain stations.
// kRunning: the caller knows that the station is not stopped, which spares the test.
template <LineRun::ServerState kFrom, LineRun::ServerState kTo, bool kRunning>
[[gnu::always_inline]] inline void LineRun::move_server(StationRun& station, ServerRun& server) {
  assert(server.state == kFrom);
  assert(!kRunning || !stopped(station));
  server.state = kTo;
  if (observer_) [[unlikely]]
    mark_changed(station);
  --station.count[static_cast<int>(kFrom)];
  ++station.count[static_cast<int>(kTo)];
  if constexpr (kBusy >> static_cast<int>(kFrom) & 1u) --station.busy;
  if constexpr (kBusy >> static_cast<int>(kTo) & 1u) ++station.busy;
  if (kRunning || !stopped(station)) {
    const double now = kernel_.now();
    if constexpr (kIntegrated >> static_cast<int>(kFrom) & 1u)
      station.in_state[static_cast<int>(kFrom)].add(now, -1.0);
    if constexpr (kIntegrated >> static_cast<int>(kTo) & 1u)
      station.in_state[static_cast<int>(kTo)].add(now, 1.0);
  }
}

// Starts processing the part the server holds. kPlain: a plain station's idle server, on a
// station that runs (every caller has checked), which needs no setup and so no last product.
template <bool kPlain>
[[gnu::always_inline]] inline void LineRun::start_processing(StationRun& station, std::uint32_t k) {
  const double now = kernel_.now();
  ServerRun& server = servers_[station.first_server + k];
  const bool was_operating = station.count[static_cast<int>(ServerState::kWorking)] > 0;
  if constexpr (kPlain) {
    move_server<ServerState::kIdle, ServerState::kWorking, true>(station, server);
  } else {
    server.last_product = server.part.product;
    set_state(station, server, ServerState::kWorking);
  }
  const double processing_s =
      station.processing[server.part.product]->sample(station.processing_rng);
  if (!kPlain && stopped(station)) {
    server.paused = true;
    server.remaining_s = processing_s;
    return;
  }
  server.end_s = now + processing_s;
  server.completion = kernel_.schedule_at(
      server.end_s, {station.index, kServiceEnd, static_cast<std::uint16_t>(k)});
  if (station.failure_mode == FailureMode::kOnOperatingTime) {
    // The station stays busy without a break until the latest end of the processings under way
    // (whoever holds it keeps working until then), so a failure due before it is certain.
    if (was_operating) {
      station.busy_until_s = std::max(station.busy_until_s, server.end_s);
    } else {
      station.operating_since_s = now;
      station.busy_until_s = server.end_s;
    }
    if (!station.failure_pending &&
        station.operating_since_s + station.time_to_failure_s <= station.busy_until_s) {
      station.failure_event = kernel_.schedule_at(
          station.operating_since_s + station.time_to_failure_s, {station.index, kFailure, 0});
      station.failure_pending = true;
    }
  }
}

// ---- moving parts ----

void LineRun::enter_line(Part& part, ProductIndex product) {
  part.entered_s = kernel_.now();
  part.product = product;
  part.cards = 0;
  wip_.add(kernel_.now(), 1.0);
  ++ledger_.created;
}

void LineRun::complete(Part& part) {
  const double lead_time = kernel_.now() - part.entered_s;
  ++completed_;
  ++completed_by_product_[part.product];
  lead_time_sum_by_product_[part.product] += lead_time;
  lead_times_s_.push_back(lead_time);
  wip_.add(kernel_.now(), -1.0);
  ++ledger_.completed;
  drop_cards(part);
}

void LineRun::drop_cards(Part& part) {
  for (std::uint32_t k = 0; part.cards != 0; ++k) {
    if (!(part.cards & (1u << k))) continue;
    part.cards = static_cast<std::uint16_t>(part.cards & ~(1u << k));
    LimitRun& limit = limits_[k];
    ++limit.cards_free;
    limit.in_use.add(kernel_.now(), -1.0);
    kernel_.schedule_at(kernel_.now(), {k, kCardFreed, 0});
  }
}

// A part leaves `element` for good: the cards of the limits that end there come back.
void LineRun::leave(ElementIndex element, Part& part) {
  const std::uint16_t exits = nodes_[element].exits;
  if ((part.cards & exits) == 0) return;
  Part returning = part;
  returning.cards = static_cast<std::uint16_t>(part.cards & exits);
  part.cards = static_cast<std::uint16_t>(part.cards & ~exits);
  drop_cards(returning);
}

// Inlined into its few callers: one switch instead of a call that only dispatches.
[[gnu::always_inline]] inline bool LineRun::offer(const Link& to, Part& part) {
  // A buffer first: in most lines most parts go into one.
  if (to.type == ElementType::kBuffer) [[likely]]
    return offer_to_buffer(buffers_[to.index], part);
  switch (to.type) {
    case ElementType::kSink:
      complete(part);
      return true;
    case ElementType::kBuffer:
      return offer_to_buffer(buffers_[to.index], part);
    case ElementType::kStation:
      return offer_to_station(stations_[to.index], part);
    case ElementType::kConveyor:
      return offer_to_conveyor(conveyors_[to.index], part);
    case ElementType::kSource:
      break;
  }
  assert(false && "a source takes no parts");
  return false;
}

std::uint64_t LineRun::parts_at(ElementIndex element) const {
  const Node& node = nodes_[element];
  switch (node.type) {
    case ElementType::kBuffer:
      return buffers_[node.type_index].queue.size();
    case ElementType::kStation: {
      const StationRun& station = stations_[node.type_index];
      std::uint64_t parts = 0;
      for (std::uint32_t k = 0; k < station.servers; ++k) {
        const std::uint32_t s = station.first_server + k;
        if (servers_[s].state == ServerState::kIdle) continue;
        const ServerLoad& load = loads_[s];
        // A server handing over holds its finished parts (the main part among them).
        parts += station.plain           ? 1
                 : load.outgoing.empty() ? 1 + load.batch.size()
                                         : load.outgoing.size() - load.next_out + load.redo.size();
      }
      return parts;
    }
    case ElementType::kConveyor:
      return conveyors_[node.type_index].parts.size();
    default:
      return 0;
  }
}

// Parts waiting or in process at a target, for the shortest-queue rule.
std::uint64_t LineRun::load_of(const Link& target) const {
  switch (target.type) {
    case ElementType::kBuffer:
      return buffers_[target.index].queue.size() + waiting_[target.element].size();
    case ElementType::kStation: {
      const StationRun& s = stations_[target.index];
      return s.servers - s.count[static_cast<int>(ServerState::kIdle)] +
             waiting_[target.element].size();
    }
    case ElementType::kConveyor:
      return conveyors_[target.index].parts.size() + waiting_[target.element].size();
    default:
      return 0;
  }
}

// Hands `part` from the element `self` names to a target of `output`. When refused, `self` waits
// on the chosen target's list (on every target's list for first free), unless `wait` is false.
bool LineRun::hand_on(Output& output, Part& part, const Holder& self) {
  // The part leaves self only if taken: clear its ending cards on the copy that moves.
  const bool waits = self.element != kNoElement;
  Part moving = part;
  const std::uint16_t exits = waits ? nodes_[self.element].exits : std::uint16_t{0};
  moving.cards = static_cast<std::uint16_t>(moving.cards & ~exits);
  const Link* target = &output.single;
  switch (output.rule) {
    case RouteRule::kSingle:
      break;
    case RouteRule::kByProduct:
      target = &output.targets[(*output.by_product)[part.product]];
      break;
    case RouteRule::kProbability: {
      const double u = output.rng.uniform01();
      std::size_t k = 0;
      while (k + 1 < output.cumulative.size() && u >= output.cumulative[k])
        ++k;
      target = &output.targets[k];
      break;
    }
    case RouteRule::kRoundRobin:
      target = &output.targets[output.next];
      output.next = (output.next + 1) % static_cast<std::uint32_t>(output.targets.size());
      break;
    case RouteRule::kShortestQueue: {
      std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
      for (const Link& t : output.targets) {
        const std::uint64_t load = load_of(t);
        if (load < best) {
          best = load;
          target = &t;
        }
      }
      break;
    }
    case RouteRule::kFirstFree:
      for (const Link& t : output.targets) {
        if (offer(t, moving)) {
          if (waits) leave(self.element, part);
          return true;
        }
      }
      if (waits) {
        for (const Link& t : output.targets)
          wait_on(t.element, self);
      }
      return false;
  }
  if (offer(*target, moving)) {
    if (waits) leave(self.element, part);
    return true;
  }
  if (waits) wait_on(target->element, self);
  return false;
}

void LineRun::wait_on(ElementIndex element, const Holder& holder) {
  waiting_[element].push_back(holder);
}

[[gnu::always_inline]] inline void LineRun::enqueue(BufferRun& buffer, const Part& part) {
  buffer.queue.push_back(part);
  buffer.occupancy.add(kernel_.now(), 1.0);
  buffer.occupancy_max = std::max<std::uint64_t>(buffer.occupancy_max, buffer.queue.size());
}

[[gnu::always_inline]] inline bool LineRun::offer_to_buffer(BufferRun& buffer, Part& part) {
  // Pass straight through when nothing queues ahead and a station after it can start.
  if (buffer.queue.empty()) {
    if (buffer.plain_pass) {
      if (offer_to_station(stations_[buffer.output.single.index], part)) return true;
    } else if (passed_through(buffer, part)) {
      return true;
    }
  }
  if (buffer.queue.size() >= buffer.capacity) return false;
  if (buffer.plain_queue) [[likely]] {
    enqueue(buffer, part);
    return true;
  }
  if (!take_card(buffer.gate, part)) return false;
  enqueue(buffer, part);
  if (buffer.tracks_arrival) buffer.arrived_s.push_back(kernel_.now());
  if (buffer.feeds_puller) {
    for (const Link& out : buffer.output.targets) {
      if (out.type == ElementType::kStation) refill_all(stations_[out.index]);
    }
  }
  return true;
}

[[gnu::always_inline]] inline LineRun::Part LineRun::take_head(BufferRun& buffer) {
  buffer.occupancy.add(kernel_.now(), -1.0);
  if (buffer.tracks_arrival) buffer.arrived_s.pop_front();
  return buffer.queue.pop_front();
}

// The general way straight through an empty buffer (several targets, sinks, WIP limits): the
// first target that takes the part now gets it, and the part takes and gives back this buffer's
// cards on the way. Assembly and batch stations pull instead.
bool LineRun::passed_through(BufferRun& buffer, Part& part) {
  if (buffer.feeds_puller) return false;
  if (buffer.gate != kNoGate && limits_[buffer.gate].cards_free == 0) return false;
  for (const Link& out : buffer.output.targets) {
    if (out.type == ElementType::kSink) {
      take_card(buffer.gate, part);
      leave(buffer.element, part);
      complete(part);
      return true;
    }
    StationRun& station = stations_[out.index];
    if (!station_can_take(station)) continue;
    take_card(buffer.gate, part);
    leave(buffer.element, part);
    [[maybe_unused]] const bool taken = offer_to_station(station, part);
    assert(taken);
    return true;
  }
  return false;
}

// Whether an offer to the station would be taken now. Assembly and batch stations decide for
// themselves when to take parts (they pull from their buffers).
[[gnu::always_inline]] inline bool LineRun::station_can_take(const StationRun& station) const {
  if (stopped(station) || station.count[static_cast<int>(ServerState::kIdle)] == 0 ||
      !station.takes_offers)
    return false;
  return station.gate == kNoGate || limits_[station.gate].cards_free > 0;
}

[[gnu::always_inline]] inline bool LineRun::offer_to_station(StationRun& station, Part& part) {
  if (!station_can_take(station)) return false;
  take_card(station.gate, part);
  std::uint32_t k = 0;
  while (servers_[station.first_server + k].state != ServerState::kIdle)
    ++k;
  if (station.plain) {
    start_service(station, k, part);
  } else {
    load_server(station, k, part);
    begin_tasks(station, k);
  }
  refresh_active(station);
  return true;
}

bool LineRun::offer_to_conveyor(ConveyorRun& conveyor, Part& part) {
  const std::uint8_t gate = nodes_[conveyor.element].gate;
  if (gate != kNoGate && limits_[gate].cards_free == 0) return false;
  const double now = kernel_.now();
  if (conveyor.parts.size() >= conveyor.belt.capacity() || conveyor.belt.entry_free_at(now) > now) {
    schedule_entry(conveyor);
    return false;
  }
  take_card(gate, part);
  conveyor.belt.load(now);
  conveyor.parts.push_back(part);
  conveyor.occupancy.add(now, 1.0);
  if (conveyor.parts.size() == 1) schedule_head(conveyor);
  return true;
}

bool LineRun::holder_is_current(const Holder& holder) const {
  const Node& node = nodes_[holder.element];
  switch (node.type) {
    case ElementType::kSource:
      return sources_[node.type_index].ticket == holder.ticket;
    case ElementType::kStation: {
      const ServerRun& server = servers_[stations_[node.type_index].first_server + holder.server];
      return server.state == ServerState::kBlocked && server.ticket == holder.ticket;
    }
    case ElementType::kConveyor:
      return conveyors_[node.type_index].head_waiting &&
             conveyors_[node.type_index].ticket == holder.ticket;
    default:
      return false;
  }
}

// Pops the first holder whose part is still waiting (first-free holders leave stale entries).
[[gnu::always_inline]] inline bool LineRun::pop_holder(FifoQueue<Holder>& waiting, Holder& out) {
  if (stale_holders_possible_) [[unlikely]]
    return pop_current_holder(waiting, out);
  if (waiting.empty()) return false;
  out = waiting.pop_front();
  return true;
}

bool LineRun::pop_current_holder(FifoQueue<Holder>& waiting, Holder& out) {
  while (!waiting.empty()) {
    out = waiting.pop_front();
    if (holder_is_current(out)) return true;
  }
  return false;
}

[[gnu::always_inline]] inline LineRun::Part LineRun::take_from(const Holder& holder) {
  const Node& node = nodes_[holder.element];
  Part part;
  switch (node.type) {
    case ElementType::kSource: {
      SourceRun& source = sources_[node.type_index];
      ++source.ticket;
      if (source.spec->unlimited_supply) ++source.arrivals;
      // It enters the line only now, with the product it was offered with.
      enter_line(part, source.held.product);
      return part;
    }
    case ElementType::kStation: {
      const StationRun& station = stations_[node.type_index];
      ServerRun& server = servers_[station.first_server + holder.server];
      ++server.ticket;
      part = station.plain ? server.part
                           : loads_[station.first_server + holder.server]
                                 .outgoing[loads_[station.first_server + holder.server].next_out];
      break;
    }
    case ElementType::kConveyor: {
      ConveyorRun& conveyor = conveyors_[node.type_index];
      ++conveyor.ticket;
      part = conveyor.parts.front();
      break;
    }
    default:
      assert(false && "only sources, stations and conveyors hold parts for others");
  }
  leave(holder.element, part);
  return part;
}

void LineRun::release(const Holder& holder) {
  const Node& node = nodes_[holder.element];
  switch (node.type) {
    case ElementType::kSource: {
      SourceRun& source = sources_[node.type_index];
      if (source.spec->unlimited_supply) {
        supply_unlimited(source);
      } else {
        source.blocked_time.add(kernel_.now(), -1.0);
        schedule_arrival(source);
      }
      return;
    }
    case ElementType::kStation: {
      StationRun& station = stations_[node.type_index];
      ServerRun& server = servers_[station.first_server + holder.server];
      assert(server.state == ServerState::kBlocked);
      if (station.plain) {
        move_server<ServerState::kBlocked, ServerState::kIdle, false>(station, server);
        refill(station, holder.server);
      } else {
        set_state(station, server, ServerState::kHandingOver);
        ++loads_[station.first_server + holder.server].next_out;
        hand_out(station, holder.server);
      }
      refresh_active(station);
      return;
    }
    case ElementType::kConveyor: {
      ConveyorRun& conveyor = conveyors_[node.type_index];
      conveyor.parts.pop_front();
      conveyor.head_waiting = false;
      conveyor.belt.unload(kernel_.now());
      conveyor_unloaded(conveyor);
      return;
    }
    default:
      break;
  }
}

// Room (or a card) came free at `element`: let in what waits for it.
void LineRun::admit(ElementIndex element) {
  const Node& node = nodes_[element];
  switch (node.type) {
    case ElementType::kBuffer: {
      BufferRun& buffer = buffers_[node.type_index];
      admit_waiting(buffer);
      // A part waiting to pass straight through (a buffer of capacity 0, or one still full) is
      // taken by an idle station after the buffer, which pulls it through.
      if (buffer.queue.empty() && !waiting_[element].empty()) {
        for (const Link& out : buffer.output.targets) {
          if (out.type == ElementType::kStation) refill_all(stations_[out.index]);
        }
      }
      break;
    }
    case ElementType::kStation:
      refill_all(stations_[node.type_index]);
      break;
    case ElementType::kConveyor: {
      ConveyorRun& conveyor = conveyors_[node.type_index];
      FifoQueue<Holder>& waiting = waiting_[element];
      Holder holder;
      const double now = kernel_.now();
      const std::uint8_t gate = node.gate;
      while (conveyor.parts.size() < conveyor.belt.capacity() &&
             conveyor.belt.entry_free_at(now) <= now &&
             (gate == kNoGate || limits_[gate].cards_free > 0) && pop_holder(waiting, holder)) {
        Part part = take_from(holder);
        [[maybe_unused]] const bool taken = offer_to_conveyor(conveyor, part);
        assert(taken);
        release(holder);
      }
      // A closed gate opens with the next card (kCardFreed); only a full entry needs a wake-up.
      if (!waiting.empty() && (gate == kNoGate || limits_[gate].cards_free > 0))
        schedule_entry(conveyor);
      break;
    }
    default:
      break;
  }
}

void LineRun::admit_waiting(BufferRun& buffer) {
  FifoQueue<Holder>& waiting = waiting_[buffer.element];
  const std::uint8_t gate = nodes_[buffer.element].gate;
  Holder holder;
  while (buffer.queue.size() < buffer.capacity &&
         (gate == kNoGate || limits_[gate].cards_free > 0) && pop_holder(waiting, holder)) {
    Part part = take_from(holder);
    [[maybe_unused]] const bool taken = offer_to_buffer(buffer, part);
    assert(taken);
    release(holder);
  }
}

ProductIndex LineRun::next_product(SourceRun& source) {
  const std::vector<double>& mix = source.spec->mix;
  if (mix.empty()) return source.spec->product;
  const double u = source.mix_rng.uniform01();
  double sum = 0.0;
  for (std::size_t p = 0; p + 1 < mix.size(); ++p) {
    sum += mix[p];
    if (u < sum) return static_cast<ProductIndex>(p);
  }
  return static_cast<ProductIndex>(mix.size() - 1);
}

void LineRun::supply_unlimited(SourceRun& source) {
  const Holder self{source.element, 0, source.ticket, kernel_.now()};
  for (;;) {
    Part part;
    enter_line(part, next_product(source));
    // A station fed by an unlimited supply pulls from it directly (refill) and needs no place on
    // a waiting list; a buffer or conveyor admits from its list, where the supply always stands.
    const bool pulled_directly = source.output.rule == RouteRule::kSingle &&
                                 source.output.single.type == ElementType::kStation;
    if (!hand_on(source.output, part, pulled_directly ? Holder{} : self)) {
      source.held = part;             // its product was chosen (a route may depend on it): keep it
      wip_.add(kernel_.now(), -1.0);  // it did not enter after all
      --ledger_.created;
      break;
    }
    ++source.arrivals;
  }
}

void LineRun::schedule_arrival(SourceRun& source) {
  const auto target = static_cast<std::uint32_t>(&source - sources_.data());
  const std::vector<OrderRelease>& orders = source.spec->orders;
  if (!orders.empty()) {
    if (source.next_order < orders.size()) {
      kernel_.schedule_at(std::max(kernel_.now(), orders[source.next_order].release_s),
                          {target, kArrival, 0});
    }
    return;
  }
  kernel_.schedule_in(source.spec->interarrival.sample(source.interarrival_rng),
                      {target, kArrival, 0});
}

// ---- stations ----

// Inlined into its callers (it calls nothing that calls back), saving a call frame per part.
[[gnu::always_inline]] inline void LineRun::start_service(StationRun& station, std::uint32_t k,
                                                          const Part& part) {
  servers_[station.first_server + k].part = part;
  start_processing<true>(station, k);
}

void LineRun::load_server(StationRun& station, std::uint32_t k, const Part& part) {
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kIdle);
  server.part = part;
  loads_[station.first_server + k].batch.clear();
}

// Setup if the product changes, then processing; each waits for its operator if it needs one.
void LineRun::begin_tasks(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const bool needs_setup =
      !spec.setup_s.empty() && server.last_product >= 0 &&
      spec.setup_s[static_cast<std::size_t>(server.last_product) * product_count_ +
                   server.part.product] > 0.0;
  const OperatorTask task = needs_setup ? OperatorTask::kSetup : OperatorTask::kProcessing;
  if (spec.needs_operator(task) && server.operator_id == kNoOperator) {
    server.waiting_for = task;
    set_state(station, server, ServerState::kWaitingOperator);
    request_operator(station, static_cast<std::uint16_t>(k), task);
    return;
  }
  if (needs_setup) {
    start_setup(station, k);
  } else {
    start_processing<false>(station, k);
  }
}

void LineRun::start_setup(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const double setup_s =
      station.spec->setup_s[static_cast<std::size_t>(server.last_product) * product_count_ +
                            server.part.product];
  ++station.setups;
  set_state(station, server, ServerState::kSetup);
  if (stopped(station)) {
    server.paused = true;
    server.remaining_s = setup_s;
    return;
  }
  server.end_s = kernel_.now() + setup_s;
  server.completion =
      kernel_.schedule_at(server.end_s, {station.index, kSetupEnd, static_cast<std::uint16_t>(k)});
}

// Server k of the station is idle: it takes its next part. The common case, a plain station with
// a part waiting in the buffer in front, is inlined (refill_from_buffer, which says whether it
// took one); the rest is refill_other.
[[gnu::always_inline]] inline void LineRun::refill(StationRun& station, std::uint32_t k) {
  if (!refill_from_buffer(station, k)) refill_other(station, k);
}

[[gnu::always_inline]] inline bool LineRun::refill_from_buffer(StationRun& station,
                                                               std::uint32_t k) {
  if (!station.plain_from_buffer || stopped(station)) return false;
  BufferRun& buffer = buffers_[station.first_input.index];
  if (buffer.queue.empty()) return false;
  const Part part = take_head(buffer);
  start_service(station, k, part);
  if (!waiting_[buffer.element].empty()) admit_waiting(buffer);
  return true;
}

void LineRun::refill_all(StationRun& station) {
  for (std::uint32_t k = 0; k < station.servers && !stopped(station); ++k) {
    if (servers_[station.first_server + k].state == ServerState::kIdle) refill(station, k);
  }
  refresh_active(station);
}

void LineRun::refill_other(StationRun& station, std::uint32_t k) {
  if (stopped(station) || servers_[station.first_server + k].state != ServerState::kIdle) return;
  if (station.plain) {
    // One input: a buffer (empty, but a part may wait to be handed straight through it), an
    // unlimited supply, or elements waiting on this station's own list.
    Holder holder;
    const Link& input = station.first_input;
    if (input.type == ElementType::kBuffer) {
      const std::uint8_t gate = buffers_[input.index].gate;
      if ((gate == kNoGate || limits_[gate].cards_free > 0) &&
          pop_holder(waiting_[input.element], holder)) {
        Part part = take_from(holder);
        take_card(gate, part);
        leave(input.element, part);
        start_service(station, k, part);
        release(holder);
      }
      return;
    }
    if (input.type == ElementType::kSource && sources_[input.index].spec->unlimited_supply &&
        sources_[input.index].output.rule == RouteRule::kSingle) {
      Part part;
      ++sources_[input.index].arrivals;
      enter_line(part, next_product(sources_[input.index]));
      start_service(station, k, part);
      return;
    }
    if (pop_holder(waiting_[station.element], holder)) {
      start_service(station, k, take_from(holder));
      release(holder);
    }
    return;
  }
  const StationSpec& spec = *station.spec;
  if (spec.assembly) {
    try_assemble(station, k);
    return;
  }
  Part part;
  if (spec.batch_max > 1) {
    // With a minimum of 1, a part waiting to be handed over directly is a batch of its own.
    if (!pull_batch(station, k) && spec.batch_min == 1) pull_part(station, part);
    return;
  }
  pull_part(station, part);
}

// Chooses the next part among the station's inputs, by its merge rule, loads it into the first
// idle server and lets the input take in what waits for it. Returns whether a part was taken.
bool LineRun::pull_part(StationRun& station, Part& part) {
  const std::uint8_t gate = nodes_[station.element].gate;
  if (gate != kNoGate && limits_[gate].cards_free == 0) return false;
  const bool priority = station.spec->merge == MergeRule::kPriority;
  // Candidates: the head of each input buffer (or a holder waiting to hand over straight through
  // a buffer of capacity 0), an unlimited supply, and holders on this station's own list.
  enum class From : std::uint8_t { kNone, kBuffer, kBufferHolder, kSupply, kOwnList };
  From from = From::kNone;
  const Link* chosen = nullptr;
  std::size_t own_index = 0;
  double best_ready = kInfinity;
  std::size_t best_rank = std::numeric_limits<std::size_t>::max();
  auto consider = [&](From kind, const Link* link, double ready, std::size_t rank,
                      std::size_t index) {
    const bool better = priority
                            ? rank < best_rank
                            : (ready < best_ready || (ready == best_ready && rank < best_rank));
    if (!better) return;
    from = kind;
    chosen = link;
    own_index = index;
    best_ready = ready;
    best_rank = rank;
  };
  for (std::size_t rank = 0; rank < station.inputs.size(); ++rank) {
    const Link& input = station.inputs[rank];
    if (input.type == ElementType::kBuffer) {
      BufferRun& buffer = buffers_[input.index];
      if (!buffer.queue.empty()) {
        consider(From::kBuffer, &input,
                 buffer.tracks_arrival ? buffer.arrived_s.front() : kernel_.now(), rank, 0);
      } else {
        // A buffer of capacity 0 hands a waiting part straight through, if its card allows.
        FifoQueue<Holder>& waiting = waiting_[input.element];
        while (!waiting.empty() && !holder_is_current(waiting.front()))
          waiting.pop_front();
        const std::uint8_t buffer_gate = nodes_[input.element].gate;
        if (!waiting.empty() && (buffer_gate == kNoGate || limits_[buffer_gate].cards_free > 0))
          consider(From::kBufferHolder, &input, waiting.front().since_s, rank, 0);
      }
    } else if (input.type == ElementType::kSource && sources_[input.index].spec->unlimited_supply &&
               sources_[input.index].output.rule == RouteRule::kSingle) {
      consider(From::kSupply, &input, kernel_.now(), rank, 0);
    }
  }
  // Holders refused by this station itself: the earliest, or the one of the best-ranked input.
  FifoQueue<Holder>& own = waiting_[station.element];
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (!holder_is_current(own.at(i))) {
      own.erase(i--);
      continue;
    }
    std::size_t rank = 0;
    while (rank < station.inputs.size() && station.inputs[rank].element != own.at(i).element)
      ++rank;
    consider(From::kOwnList, nullptr, own.at(i).since_s, rank, i);
    if (!priority) break;  // the list is in first-come order already
  }

  const std::uint32_t k = [&] {
    std::uint32_t s = 0;
    while (servers_[station.first_server + s].state != ServerState::kIdle)
      ++s;
    return s;
  }();
  switch (from) {
    case From::kNone:
      return false;
    case From::kBuffer: {
      BufferRun& buffer = buffers_[chosen->index];
      part = take_head(buffer);
      leave(buffer.element, part);
      take_card(station.gate, part);
      load_server(station, k, part);
      begin_tasks(station, k);
      admit_waiting(buffer);
      return true;
    }
    case From::kBufferHolder: {
      Holder holder;
      pop_holder(waiting_[chosen->element], holder);
      part = take_from(holder);
      take_card(nodes_[chosen->element].gate, part);
      leave(chosen->element, part);
      take_card(station.gate, part);
      load_server(station, k, part);
      begin_tasks(station, k);
      release(holder);
      return true;
    }
    case From::kSupply: {
      SourceRun& source = sources_[chosen->index];
      ++source.arrivals;
      enter_line(part, next_product(source));
      take_card(station.gate, part);
      load_server(station, k, part);
      begin_tasks(station, k);
      return true;
    }
    case From::kOwnList: {
      const Holder holder = own.erase(own_index);
      part = take_from(holder);
      take_card(station.gate, part);
      load_server(station, k, part);
      begin_tasks(station, k);
      release(holder);
      return true;
    }
  }
  return false;
}

// A batch: from the first input (by merge order) that has at least the minimum batch waiting,
// up to the maximum batch; the server starts on it at once.
bool LineRun::pull_batch(StationRun& station, std::uint32_t k) {
  const StationSpec& spec = *station.spec;
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  for (const Link& input : station.inputs) {
    if (input.type != ElementType::kBuffer) continue;
    BufferRun& buffer = buffers_[input.index];
    if (buffer.queue.size() < spec.batch_min) continue;
    const std::uint8_t gate = nodes_[station.element].gate;
    std::size_t take = std::min<std::size_t>(buffer.queue.size(), spec.batch_max);
    if (gate != kNoGate) take = std::min<std::size_t>(take, limits_[gate].cards_free);
    if (take < spec.batch_min) return false;
    load.batch.clear();
    for (std::size_t i = 0; i < take; ++i) {
      Part part = take_head(buffer);
      leave(buffer.element, part);
      take_card(station.gate, part);
      if (i == 0) {
        server.part = part;
      } else {
        load.batch.push_back(part);
      }
    }
    begin_tasks(station, k);  // the server is busy before the buffer lets more parts in
    admit_waiting(buffer);
    return true;
  }
  return false;
}

// An assembly starts when the main part and every component are there, all taken at once. The
// components are consumed: the assembled part is the main part, carrying its product and order.
bool LineRun::try_assemble(StationRun& station, std::uint32_t k) {
  const AssemblySpec& bom = *station.spec->assembly;
  const std::uint8_t gate = nodes_[station.element].gate;
  bool ready = (gate == kNoGate || limits_[gate].cards_free > 0) &&
               !buffers_[nodes_[bom.main_from].type_index].queue.empty();
  for (const BomLine& line : bom.components) {
    ready = ready && buffers_[nodes_[line.from].type_index].queue.size() >= line.quantity;
  }
  if (!ready) {
    update_starvation(station);
    return false;
  }
  const double now = kernel_.now();
  BufferRun& main = buffers_[nodes_[bom.main_from].type_index];
  Part part = take_head(main);
  leave(main.element, part);
  take_card(station.gate, part);
  for (const BomLine& line : bom.components) {
    BufferRun& buffer = buffers_[nodes_[line.from].type_index];
    for (std::uint32_t q = 0; q < line.quantity; ++q) {
      Part component = take_head(buffer);
      wip_.add(now, -1.0);
      ++ledger_.consumed;
      drop_cards(component);
    }
  }
  load_server(station, k, part);
  begin_tasks(station, k);
  admit_waiting(main);
  for (const BomLine& line : bom.components)
    admit_waiting(buffers_[nodes_[line.from].type_index]);
  update_starvation(station);
  return true;
}

// Starvation of an assembly station, attributed to each input that is short while a server is
// idle and the station could otherwise work.
void LineRun::update_starvation(StationRun& station) {
  const AssemblySpec& bom = *station.spec->assembly;
  const bool idle = !stopped(station) && station.count[static_cast<int>(ServerState::kIdle)] > 0;
  const double now = kernel_.now();
  for (std::size_t line = 0; line < station.short_of.size(); ++line) {
    const ElementIndex from = line == 0 ? bom.main_from : bom.components[line - 1].from;
    const std::uint32_t needed = line == 0 ? 1 : bom.components[line - 1].quantity;
    const std::uint8_t short_now =
        idle && buffers_[nodes_[from].type_index].queue.size() < needed ? 1 : 0;
    if (short_now != station.short_of[line]) {
      station.starved_by[line].add(now, short_now ? 1.0 : -1.0);
      station.short_of[line] = short_now;
    }
  }
}

[[gnu::always_inline]] inline void LineRun::on_service_end(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  assert(server.state == ServerState::kWorking && !stopped(station));
  if (!station.plain) {
    finish(station, k);
    return;
  }
  ++station.processed;
  if (!station.uniform_ideal)
    station.ideal_work_s += ideal_s_[station.index * product_count_ + server.part.product];
  // Idle while it hands over: a plain station has one target, no rework and no WIP limit ending
  // here, so no cascade from this offer can come back to it.
  move_server<ServerState::kWorking, ServerState::kIdle, true>(station, server);
  if (station.count[static_cast<int>(ServerState::kWorking)] == 0 &&
      station.failure_mode == FailureMode::kOnOperatingTime) {
    station.time_to_failure_s -= kernel_.now() - station.operating_since_s;
  }
  if (offer(station.output.single, server.part)) {
    // A server that takes its next part at once leaves the station's busy servers, and so its
    // active period, as they were: nothing to refresh.
    if (refill_from_buffer(station, k)) return;
    refill_other(station, k);
  } else {
    move_server<ServerState::kIdle, ServerState::kBlocked, true>(station, server);
    wait_on(station.output.single.element,
            Holder{station.element, k, ++server.ticket, kernel_.now()});
  }
  // After the refill: a station that took its next part at once never left its active period.
  refresh_active(station);
}

// End of processing on the general path: operator released, quality decided per part, splits
// made, then the parts are handed over one by one.
void LineRun::finish(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const double now = kernel_.now();
  set_state(station, server, ServerState::kHandingOver);
  if (station.count[static_cast<int>(ServerState::kWorking)] == 0 &&
      station.failure_mode == FailureMode::kOnOperatingTime) {
    station.time_to_failure_s -= now - station.operating_since_s;
  }
  if (server.operator_id != kNoOperator) {
    const std::uint32_t op = server.operator_id;
    server.operator_id = kNoOperator;
    release_operator(op);
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
        ++scrapped_by_product_[part.product];
        ++ledger_.scrapped;
        wip_.add(now, -1.0);
        drop_cards(part);
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
      wip_.add(now, 1.0);
      ++ledger_.created;
      load.outgoing.push_back(piece);
      load.to_rework.push_back(0);
    }
  };
  judge(server.part);
  for (Part& part : load.batch)
    judge(part);
  load.batch.clear();
  hand_out(station, k);
  refresh_active(station);
}

void LineRun::hand_out(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  while (load.next_out < load.outgoing.size()) {
    Part& part = load.outgoing[load.next_out];
    const Holder self{station.element, k, ++server.ticket, kernel_.now()};
    const bool placed =
        hand_on(load.to_rework[load.next_out] ? station.rework : station.output, part, self);
    if (!placed) {
      set_state(station, server, ServerState::kBlocked);
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
    begin_tasks(station, k);
    return;
  }
  set_state(station, server, ServerState::kIdle);
  refill(station, k);
  if (station.spec->assembly) update_starvation(station);
}

// ---- stops: breakdowns and shifts ----

void LineRun::add_state_integrals(StationRun& station, double sign) {
  const double now = kernel_.now();
  if (!stopped(station)) {
    for (int s = 0; s < kCountedStates; ++s) {
      if (kIntegrated >> s & 1u) station.in_state[s].add(now, sign * station.count[s]);
    }
  } else if (station.off_shift) {
    station.off_shift_servers.add(now, sign * station.servers);
  } else {
    station.down_servers.add(now, sign * station.servers);
  }
}

// Changes why a station is stopped. Going from running to stopped interrupts setups and
// processing; coming back resumes them and lets idle servers take parts again.
void LineRun::set_stop(StationRun& station, bool down, bool off_shift) {
  const bool was_stopped = stopped(station);
  add_state_integrals(station, -1.0);
  station.down = down;
  station.off_shift = off_shift;
  station.halted = down || off_shift;
  if (observer_) [[unlikely]]
    mark_changed(station);
  add_state_integrals(station, +1.0);
  const double now = kernel_.now();
  if (!was_stopped && stopped(station)) {
    if (station.failure_mode == FailureMode::kOnOperatingTime && !station.down) {
      // Off shift: the operating time so far counts, and a failure armed for this busy spell
      // will not come.
      if (station.count[static_cast<int>(ServerState::kWorking)] > 0)
        station.time_to_failure_s -= now - station.operating_since_s;
      if (station.failure_pending) {
        kernel_.calendar().cancel(station.failure_event);
        station.failure_pending = false;
      }
    }
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      ServerRun& server = servers_[station.first_server + k];
      if ((server.state != ServerState::kWorking && server.state != ServerState::kSetup) ||
          server.paused)
        continue;
      kernel_.calendar().cancel(server.completion);
      server.remaining_s = server.end_s - now;
      server.paused = true;
    }
  } else if (was_stopped && !stopped(station)) {
    if (station.failure_mode == FailureMode::kOnOperatingTime) station.operating_since_s = now;
    station.busy_until_s = 0.0;
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      ServerRun& server = servers_[station.first_server + k];
      if (!server.paused) continue;
      server.paused = false;
      server.end_s = now + server.remaining_s;
      const bool working = server.state == ServerState::kWorking;
      if (working) station.busy_until_s = std::max(station.busy_until_s, server.end_s);
      server.completion = kernel_.schedule_at(
          server.end_s,
          {station.index, working ? kServiceEnd : kSetupEnd, static_cast<std::uint16_t>(k)});
    }
    if (station.failure_mode == FailureMode::kOnOperatingTime) arm_failure_if_due(station);
    refill_all(station);
  }
  if (station.spec->assembly) update_starvation(station);
  refresh_active(station);
}

void LineRun::arm_failure_if_due(StationRun& station) {
  if (station.failure_pending || stopped(station) ||
      station.count[static_cast<int>(ServerState::kWorking)] == 0)
    return;
  const double due = station.operating_since_s + station.time_to_failure_s;
  if (due <= station.busy_until_s) {
    station.failure_event = kernel_.schedule_at(due, {station.index, kFailure, 0});
    station.failure_pending = true;
  }
}

// ---- operators ----

// The nearest free operator of a pool with the skill comes; with none free, the request waits
// its turn.
bool LineRun::request_operator(StationRun& station, std::uint16_t server, OperatorTask task) {
  const OperatorRequest request{station.index, server, task};
  const Pose& at = pose_of(station.element);
  std::uint32_t best = kNoOperator;
  double best_distance = kInfinity;
  for (std::uint32_t pool : station.spec->operator_pools[static_cast<int>(task)]) {
    const PoolRun& p = pools_[pool];
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
    requests_.push_back(request);
    return false;
  }
  assign(best, request, station);
  return true;
}

void LineRun::assign(std::uint32_t op, const OperatorRequest& request, const StationRun& station) {
  OperatorRun& worker = operators_[op];
  PoolRun& pool = pools_[worker.pool];
  worker.busy = true;
  ++pool.assignments;
  if (request.server == kRepairTask) {
    stations_[request.station].repair_operator = op;
  } else {
    servers_[station.first_server + request.server].operator_id = op;
  }
  const Pose& at = pose_of(station.element);
  const double walk_s =
      std::hypot(worker.x_m - at.x_m, worker.y_m - at.y_m) / pool.spec->walking_speed_m_per_s;
  pool.walking.add(kernel_.now(), 1.0);
  // Always through an event, even without a walk, so that a task never starts in the middle of
  // the hand-over that freed the operator.
  kernel_.schedule_in(walk_s, {request.station, kOperatorArrives, request.server});
}

void LineRun::release_operator(std::uint32_t op) {
  OperatorRun& worker = operators_[op];
  pools_[worker.pool].working.add(kernel_.now(), -1.0);
  worker.busy = false;
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const OperatorRequest request = requests_[i];
    const StationRun& station = stations_[request.station];
    const auto& pools = station.spec->operator_pools[static_cast<int>(request.task)];
    if (std::find(pools.begin(), pools.end(), worker.pool) == pools.end()) continue;
    requests_.erase(requests_.begin() + static_cast<std::ptrdiff_t>(i));
    assign(op, request, station);
    return;
  }
}

void LineRun::on_operator_arrives(StationRun& station, std::uint16_t k) {
  const std::uint32_t op =
      k == kRepairTask ? station.repair_operator : servers_[station.first_server + k].operator_id;
  OperatorRun& worker = operators_[op];
  PoolRun& pool = pools_[worker.pool];
  pool.walking.add(kernel_.now(), -1.0);
  pool.working.add(kernel_.now(), 1.0);
  worker.x_m = pose_of(station.element).x_m;
  worker.y_m = pose_of(station.element).y_m;
  if (k == kRepairTask) {
    start_repair(station);
    return;
  }
  ServerRun& server = servers_[station.first_server + k];
  if (server.waiting_for == OperatorTask::kSetup) {
    start_setup(station, k);
  } else {
    start_processing<false>(station, k);
  }
  refresh_active(station);
}

void LineRun::on_setup_end(StationRun& station, std::uint32_t k) {
  ServerRun& server = servers_[station.first_server + k];
  const StationSpec& spec = *station.spec;
  const auto& processing_pools = spec.operator_pools[static_cast<int>(OperatorTask::kProcessing)];
  if (server.operator_id != kNoOperator) {
    // The setter stays on for processing if processing needs someone of the same pool.
    const std::uint32_t pool = operators_[server.operator_id].pool;
    if (std::find(processing_pools.begin(), processing_pools.end(), pool) ==
        processing_pools.end()) {
      const std::uint32_t op = server.operator_id;
      server.operator_id = kNoOperator;
      release_operator(op);
    }
  }
  if (!processing_pools.empty() && server.operator_id == kNoOperator) {
    server.waiting_for = OperatorTask::kProcessing;
    set_state(station, server, ServerState::kWaitingOperator);
    request_operator(station, static_cast<std::uint16_t>(k), OperatorTask::kProcessing);
  } else {
    start_processing<false>(station, k);
  }
  refresh_active(station);
}

// ---- conveyors ----

void LineRun::schedule_head(ConveyorRun& conveyor) {
  kernel_.calendar().cancel(conveyor.head_event);
  if (conveyor.parts.empty() || conveyor.head_waiting) return;
  const double at = conveyor.belt.head_at_exit_at(kernel_.now());
  if (at == kInfinity) return;
  conveyor.head_event = kernel_.schedule_at(
      std::max(at, kernel_.now()),
      {static_cast<std::uint32_t>(&conveyor - conveyors_.data()), kConveyorHead, 0});
}

void LineRun::schedule_entry(ConveyorRun& conveyor) {
  if (kernel_.calendar().is_pending(conveyor.entry_event)) return;
  const double at = conveyor.belt.entry_free_at(kernel_.now());
  if (at == kInfinity || conveyor.parts.size() >= conveyor.belt.capacity()) return;
  conveyor.entry_event = kernel_.schedule_at(
      std::max(at, kernel_.now()),
      {static_cast<std::uint32_t>(&conveyor - conveyors_.data()), kConveyorEntry, 0});
}

void LineRun::on_conveyor_head(ConveyorRun& conveyor) {
  Part head = conveyor.parts.front();
  const Holder self{conveyor.element, 0, ++conveyor.ticket, kernel_.now()};
  if (hand_on(conveyor.output, head, self)) {
    conveyor.parts.pop_front();
    conveyor.belt.unload(kernel_.now());
    conveyor_unloaded(conveyor);
  } else {
    conveyor.head_waiting = true;
    conveyor.belt.head_blocked(kernel_.now());
  }
}

void LineRun::conveyor_unloaded(ConveyorRun& conveyor) {
  ++conveyor.transported;
  conveyor.occupancy.add(kernel_.now(), -1.0);
  schedule_head(conveyor);
  admit(conveyor.element);
}

// ---- events ----

[[gnu::always_inline]] inline void LineRun::operator()(const ScheduledEvent& event) {
  const std::uint32_t target = event.payload.target;
  // Processing ends first: in most lines most events are.
  if (event.payload.kind == kServiceEnd) [[likely]] {
    on_service_end(stations_[target], event.payload.detail);
  } else {
    dispatch_other(event);
  }
  if (observer_ && !changed_stations_.empty()) [[unlikely]]
    report_changes(false);
}

void LineRun::dispatch_other(const ScheduledEvent& event) {
  const std::uint32_t target = event.payload.target;
  switch (event.payload.kind) {
    case kArrival:
      on_arrival(sources_[target]);
      break;
    case kServiceEnd:  // handled by operator()
      break;
    case kSetupEnd:
      on_setup_end(stations_[target], event.payload.detail);
      break;
    case kOperatorArrives:
      on_operator_arrives(stations_[target], event.payload.detail);
      break;
    case kFailure:
      on_failure(stations_[target]);
      break;
    case kRepairEnd:
      on_repair(stations_[target]);
      break;
    case kShiftChange:
      on_shift_change(calendars_[target]);
      break;
    case kConveyorHead:
      on_conveyor_head(conveyors_[target]);
      break;
    case kConveyorEntry:
      admit(conveyors_[target].element);
      break;
    case kCardFreed:
      on_card_freed(target);
      break;
    case kWarmupEnd:
      on_warmup_end();
      break;
  }
}

void LineRun::observe(StationObserver* observer) {
  observer_ = observer;
  changed_stations_.clear();
  reported_.assign(observer ? stations_.size() : 0, ReportedState{});
  if (!observer) return;
  for (ReportedState& r : reported_)
    r.dirty = true;
  report_changes(true);
}

void LineRun::mark_changed(const StationRun& station) {
  ReportedState& r = reported_[station.index];
  if (!r.dirty) {
    r.dirty = true;
    changed_stations_.push_back(station.index);
  }
}

void LineRun::absorb_counts(const StationRun& station) {
  ReportedState& r = reported_[station.index];
  r.good_total += good_parts(station) - r.good_seen;
  r.scrapped_total += station.scrapped - r.scrapped_seen;
  r.good_seen = good_parts(station);
  r.scrapped_seen = station.scrapped;
}

StationActivity LineRun::activity_of(const StationRun& station) const {
  if (station.off_shift) return StationActivity::kOffShift;
  if (station.down) return StationActivity::kDown;
  auto count = [&](ServerState state) { return station.count[static_cast<int>(state)]; };
  if (count(ServerState::kWorking) > 0) return StationActivity::kWorking;
  if (count(ServerState::kSetup) > 0) return StationActivity::kSetup;
  if (count(ServerState::kWaitingOperator) > 0) return StationActivity::kWaitingOperator;
  if (count(ServerState::kBlocked) > 0 && count(ServerState::kIdle) == 0)
    return StationActivity::kBlocked;
  return StationActivity::kIdle;
}

void LineRun::report_changes(bool all) {
  const auto report = [&](StationRun& station) {
    ReportedState& r = reported_[station.index];
    r.dirty = false;
    StationReport out;
    out.time_s = kernel_.now();
    out.station = station.element;
    out.activity = activity_of(station);
    out.activity_changed = all || out.activity != r.activity;
    r.activity = out.activity;
    out.counters_changed =
        all || good_parts(station) != r.good_seen || station.scrapped != r.scrapped_seen;
    absorb_counts(station);
    out.good_total = r.good_total;
    out.scrapped_total = r.scrapped_total;
    if (out.activity_changed || out.counters_changed) observer_->on_station_report(out);
  };
  if (all) {
    for (StationRun& station : stations_)
      report(station);
  } else {
    // In station order, so that reports at one instant come out the same way every run.
    std::sort(changed_stations_.begin(), changed_stations_.end());
    for (std::uint32_t index : changed_stations_)
      report(stations_[index]);
  }
  changed_stations_.clear();
}

void LineRun::on_arrival(SourceRun& source) {
  ++source.arrivals;
  Part part;
  const std::vector<OrderRelease>& orders = source.spec->orders;
  const ProductIndex product =
      orders.empty() ? next_product(source) : orders[source.next_order++].product;
  enter_line(part, product);
  const bool lose = source.spec->when_output_full == WhenOutputFull::kLose;
  const Holder self{lose ? kNoElement : source.element, 0, ++source.ticket, kernel_.now()};
  if (hand_on(source.output, part, self)) {
    schedule_arrival(source);
    return;
  }
  wip_.add(kernel_.now(), -1.0);  // refused: it has not entered yet
  --ledger_.created;
  if (lose) {
    ++source.lost;
    schedule_arrival(source);
    return;
  }
  source.held = part;
  source.blocked_time.add(kernel_.now(), 1.0);
}

void LineRun::on_failure(StationRun& station) {
  station.failure_pending = false;
  ++station.failures;
  set_stop(station, true, station.off_shift);
  if (!station.spec->needs_operator(OperatorTask::kRepair)) {
    start_repair(station);
    return;
  }
  // An operator who stays with the station through the breakdown and has the skill repairs it
  // at once (otherwise a crew of one that runs and repairs a machine would wait for itself).
  const auto& repair_pools = station.spec->operator_pools[static_cast<int>(OperatorTask::kRepair)];
  for (std::uint32_t k = 0; k < station.servers; ++k) {
    const std::uint32_t op = servers_[station.first_server + k].operator_id;
    if (op == kNoOperator || std::find(repair_pools.begin(), repair_pools.end(),
                                       operators_[op].pool) == repair_pools.end())
      continue;
    start_repair(station);
    return;
  }
  request_operator(station, kRepairTask, OperatorTask::kRepair);
}

void LineRun::start_repair(StationRun& station) {
  kernel_.schedule_in(station.spec->breakdowns->time_to_repair.sample(station.repair_rng),
                      {station.index, kRepairEnd, 0});
}

void LineRun::on_repair(StationRun& station) {
  if (station.repair_operator != kNoOperator) {
    const std::uint32_t op = station.repair_operator;
    station.repair_operator = kNoOperator;
    release_operator(op);
  }
  const BreakdownSpec& breakdowns = *station.spec->breakdowns;
  station.time_to_failure_s = breakdowns.time_to_failure.sample(station.failure_rng);
  if (breakdowns.counted_on == FailureClock::kCalendarTime) {
    station.failure_event =
        kernel_.schedule_in(station.time_to_failure_s, {station.index, kFailure, 0});
    station.failure_pending = true;
  }
  set_stop(station, false, station.off_shift);
}

void LineRun::on_shift_change(CalendarRun& calendar) {
  const double now = kernel_.now();
  calendar.on_shift = calendar.calendar.on_shift(now);
  for (std::uint32_t s : calendar.stations) {
    StationRun& station = stations_[s];
    set_stop(station, station.down, !calendar.on_shift);
  }
  const double next = calendar.calendar.next_change_after(now);
  if (next <= end_time()) {
    kernel_.schedule_at(
        next, {static_cast<std::uint32_t>(&calendar - calendars_.data()), kShiftChange, 0});
  }
}

void LineRun::on_card_freed(std::uint32_t limit) {
  admit(limits_[limit].from);
}

void LineRun::on_warmup_end() {
  const double now = kernel_.now();
  observed_from_s_ = now;
  for (StationRun& station : stations_) {
    for (TimeAverage& t : station.in_state)
      t.reset(now);
    station.down_servers.reset(now);
    station.off_shift_servers.reset(now);
    for (TimeAverage& t : station.starved_by)
      t.reset(now);
    if (observer_) {
      // Reported totals run on from the warm-up; only the baseline of the counts reset here moves.
      absorb_counts(station);
      reported_[station.index].good_seen = reported_[station.index].scrapped_seen = 0;
    }
    station.processed = station.scrapped = station.reworked = 0;
    station.failures = station.setups = 0;
    station.ideal_work_s = 0.0;
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
  for (ConveyorRun& conveyor : conveyors_) {
    conveyor.occupancy.reset(now);
    conveyor.transported = 0;
    conveyor.stopped_at_warmup_s = conveyor.belt.stopped_time_s(now);
  }
  for (PoolRun& pool : pools_) {
    pool.walking.reset(now);
    pool.working.reset(now);
    pool.assignments = 0;
  }
  for (LimitRun& limit : limits_)
    limit.in_use.reset(now);
  wip_.reset(now);
  completed_ = 0;
  std::fill(completed_by_product_.begin(), completed_by_product_.end(), 0);
  std::fill(scrapped_by_product_.begin(), scrapped_by_product_.end(), 0);
  std::fill(lead_time_sum_by_product_.begin(), lead_time_sum_by_product_.end(), 0.0);
  lead_times_s_.clear();
}

// ---- running and results ----

StopReason LineRun::advance_to(double time) {
  // The clock never goes back: a time already passed leaves the run where it is.
  if (time <= kernel_.now()) return StopReason::kTimeReached;
  RunLimits limits;
  limits.until = std::min(time, end_time());
  // A model whose clock stops advancing would run forever: the scene builder rules out the known
  // causes, and this guard turns any other into an error instead of a hang. It runs in stretches
  // of kStuckEvents events and checks between them, so that the events pay nothing for it: a
  // stretch that ends at the instant it began was spent at that instant.
  limits.max_events = kStuckEvents;
  for (;;) {
    const double began_s = kernel_.now();
    const StopReason stop = kernel_.run(*this, limits);
    if (stop != StopReason::kEventLimit) return stop;
    if (kernel_.now() == began_s) {
      throw InputError({scene_file_, 0, 0, ""},
                       fmt::format("the simulation is stuck at t = {} s: {} events without the "
                                   "clock advancing; look for processing, inter-arrival or "
                                   "repair times that are almost always zero",
                                   began_s, kStuckEvents));
    }
  }
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
  r.parts_in_line_at_end = static_cast<std::uint64_t>(std::llround(wip_.value()));
  r.events = kernel_.events_executed();
  const double observed = r.observed_s > 0.0 ? r.observed_s : kNaN;
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
  std::uint64_t scrapped = 0;
  std::uint64_t finished = 0;
  for (const StationRun& s : stations_) {
    StationResult out;
    const double total = s.servers * (now - observed_from_s_);
    if (total > 0.0) {
      auto share = [&](ServerState state) {
        return s.in_state[static_cast<int>(state)].integral(now) / total;
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
      out.oee.quality = s.processed > 0 ? static_cast<double>(good_parts(s)) / s.processed : kNaN;
      out.oee.oee = out.oee.availability * out.oee.performance * out.oee.quality;
    }
    out.parts_processed = s.processed;
    out.parts_good = good_parts(s);
    out.parts_scrapped = s.scrapped;
    out.parts_reworked = s.reworked;
    out.failures = s.failures;
    out.setups = s.setups;
    scrapped += s.scrapped;
    for (const TimeAverage& t : s.starved_by)
      out.starved_by.push_back(total > 0.0 ? t.integral(now) / total * s.servers : kNaN);
    // A period still running at the end counts with its length so far (censored).
    out.active_periods = s.active_periods;
    out.active_period_mean_s =
        s.active_periods > 0 ? s.active_time.integral(now) / static_cast<double>(s.active_periods)
                             : 0.0;
    if (out.active_period_mean_s > longest_active) {
      longest_active = out.active_period_mean_s;
      r.bottleneck_station = static_cast<std::int64_t>(r.stations.size());
    }
    r.stations.push_back(std::move(out));
  }
  finished = completed_ + scrapped;
  r.scrap_rate = finished > 0 ? static_cast<double>(scrapped) / finished : kNaN;
  for (const BufferRun& buffer : buffers_) {
    r.buffers.push_back(BufferResult{buffer.occupancy.mean(now), buffer.occupancy_max});
  }
  for (const SourceRun& source : sources_) {
    SourceResult out{source.arrivals, source.lost, 0.0, 0.0};
    // An unlimited supply always has a part ready, so being blocked means nothing for it.
    out.blocked =
        source.spec->unlimited_supply ? kNaN : source.blocked_time.integral(now) / observed;
    out.loss_probability = source.arrivals > 0 ? static_cast<double>(source.lost) /
                                                     static_cast<double>(source.arrivals)
                                               : kNaN;
    r.sources.push_back(out);
  }
  for (const ConveyorRun& conveyor : conveyors_) {
    r.conveyors.push_back(ConveyorResult{
        conveyor.transported, conveyor.occupancy.mean(now),
        (conveyor.belt.stopped_time_s(now) - conveyor.stopped_at_warmup_s) / observed});
  }
  for (const PoolRun& pool : pools_) {
    const double total = pool.spec->count * r.observed_s;
    OperatorPoolResult out;
    out.walking = total > 0.0 ? pool.walking.integral(now) / total : kNaN;
    out.working = total > 0.0 ? pool.working.integral(now) / total : kNaN;
    out.utilisation = out.walking + out.working;
    out.assignments = pool.assignments;
    r.operators.push_back(out);
  }
  for (std::size_t p = 0; p < product_count_; ++p) {
    ProductResult out;
    out.completed = completed_by_product_[p];
    out.scrapped = scrapped_by_product_[p];
    out.throughput_per_hour = static_cast<double>(out.completed) / observed * 3600.0;
    out.lead_time_mean_s = out.completed > 0
                               ? lead_time_sum_by_product_[p] / static_cast<double>(out.completed)
                               : kNaN;
    r.products.push_back(out);
  }
  for (const LimitRun& limit : limits_)
    r.wip_limits.push_back(WipLimitResult{limit.in_use.mean(now)});
  r.ledger = ledger_;
  r.ledger.in_line = static_cast<std::uint64_t>(std::llround(wip_.value()));
  return r;
}

}  // namespace linetwin
