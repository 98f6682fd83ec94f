#include "plant/run/transport_flow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

#include "plant/fleet_energy.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_events.hpp"
#include "plant/vehicle_name.hpp"

namespace linetwin::line_run {

void TransportFlow::build(const Scene& scene, std::uint64_t seed, std::uint32_t replication) {
  scene_ = &scene;
  for (std::uint32_t f = 0; f < scene.fleets().size(); ++f) {
    const FleetSpec& spec = scene.fleets()[f];
    FleetRun fleet;
    fleet.spec = &spec;
    fleet.first_vehicle = static_cast<std::uint32_t>(vehicles_.size());
    // Streams of their own, keyed by the fleet's id: common random numbers across variants.
    fleet.load_rng = RandomStream(seed, spec.id, "load_time", replication);
    fleet.unload_rng = RandomStream(seed, spec.id, "unload_time", replication);
    fleet.charger_user.assign(spec.chargers.size(), kNoOperator);
    fleet.idle_at_stop.assign(spec.stops.size(), kNoOperator);
    fleets_.push_back(std::move(fleet));
    largest_half_diagonal_m_ =
        std::max(largest_half_diagonal_m_,
                 std::hypot(spec.vehicle.outer_length_m(), spec.vehicle.outer_width_m()) / 2);
    VehicleRun vehicle;
    vehicle.fleet = f;
    if (spec.battery) vehicle.charge_kwh = spec.battery->capacity_kwh;  // every vehicle starts full
    vehicles_.insert(vehicles_.end(), spec.vehicles, vehicle);
  }
  if (fleets_.empty()) return;
  reserved_.assign(scene.buffers().size(), 0);
  vehicle_wait_s_.assign(scene.elements().size(), 0.0);
  const std::size_t zones = zone_count(*scene.paths());
  zones_ = ZoneReservations(zones, vehicles_.size());
  congestion_.assign(zones, ZoneResult{});
}

bool TransportFlow::has_room(const Line& line, const Link& to) const {
  if (to.type == ElementType::kSink) return true;
  const BufferRun& buffer = line.buffers.at(to.index);
  return buffer.queue.size() + reserved_[to.index] < buffer.capacity;
}

void TransportFlow::request(Line& line, const Output& output, const Holder& self) {
  if (!has_room(line, output.single)) {
    line.flow.wait_on(output.single.element, self);
    return;
  }
  make_order(line, output.via, output.single, self);
}

void TransportFlow::admit(Line& line, BufferRun& buffer) {
  FifoQueue<Holder>& waiting = line.flow.waiting(buffer.element);
  const Link to = link_to(*scene_, buffer.element);
  Holder holder;
  while (has_room(line, to) && line.flow.pop_holder(line, waiting, holder))
    make_order(line, scene_->element(holder.element).route.via, to, holder);
}

void TransportFlow::make_order(Line& line, const TransportLink& link, const Link& to,
                               const Holder& holder) {
  if (to.type == ElementType::kBuffer) ++reserved_[to.index];
  const TransportOrder order{holder, link, to, line.kernel.now(), Part{}};
  FleetRun& fleet = fleets_[link.fleet];
  std::uint32_t short_of_charge = kNoOperator;
  const std::uint32_t chosen = choose(fleet, order, short_of_charge);
  if (chosen == kNoOperator) {
    queue(line, fleet, order, short_of_charge);
    return;
  }
  assign(line, chosen, order);
}

void TransportFlow::queue(Line& line, FleetRun& fleet, const TransportOrder& order,
                          std::uint32_t short_of_charge) {
  // Under priority dispatch the queue is kept in the order orders are served: behind every order
  // of the same or a higher priority, ahead of lower ones.
  auto at = fleet.queued.end();
  if (fleet.spec->dispatch == DispatchRule::kPriority) {
    at = std::find_if(fleet.queued.begin(), fleet.queued.end(), [&](const TransportOrder& o) {
      return o.link.priority < order.link.priority;
    });
  }
  fleet.queued.insert(at, order);
  if (short_of_charge != kNoOperator) go_charge(line, short_of_charge);
}

bool TransportFlow::can_do(const VehicleRun& vehicle, const TransportOrder& order) const {
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  if (!spec.battery) return true;
  return enough_charge(spec, energy_to_carry_kwh(spec, vehicle.stop, order.link),
                       vehicle.charge_kwh);
}

std::uint32_t TransportFlow::choose(const FleetRun& fleet, const TransportOrder& order,
                                    std::uint32_t& short_of_charge) const {
  const FleetSpec& spec = *fleet.spec;
  const ZoneHolder at_pick_up = spec.traffic == TrafficControl::kZones
                                    ? zones_.holder(zone_of_node(spec.stops[order.link.pick_up]))
                                    : kNoZoneHolder;
  // The idle vehicle with the smallest key; a strict comparison keeps the lowest index on ties.
  std::uint32_t chosen = kNoOperator;
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t v = fleet.first_vehicle; v < fleet.first_vehicle + spec.vehicles; ++v) {
    const VehicleRun& vehicle = vehicles_[v];
    if (vehicle.task != VehicleTask::kIdle) continue;
    if (at_pick_up != kNoZoneHolder && at_pick_up != v) continue;
    if (!can_do(vehicle, order)) {
      if (short_of_charge == kNoOperator) short_of_charge = v;
      continue;
    }
    const double key = spec.dispatch == DispatchRule::kFifo
                           ? vehicle.idle_since_s
                           : spec.travel(vehicle.stop, order.link.pick_up);
    if (key < best) {
      best = key;
      chosen = v;
    }
  }
  return chosen;
}

void TransportFlow::dispatch_queued(Line& line) {
  for (FleetRun& fleet : fleets_) {
    for (auto order = fleet.queued.begin(); order != fleet.queued.end();) {
      std::uint32_t short_of_charge = kNoOperator;
      const std::uint32_t chosen = choose(fleet, *order, short_of_charge);
      if (chosen == kNoOperator) {
        if (short_of_charge != kNoOperator) go_charge(line, short_of_charge);
        ++order;
        continue;
      }
      const TransportOrder taken = *order;
      order = fleet.queued.erase(order);
      assign(line, chosen, taken);
    }
  }
}

bool TransportFlow::take_queued(Line& line, std::uint32_t v) {
  FleetRun& fleet = fleets_[vehicles_[v].fleet];
  const bool zoned = fleet.spec->traffic == TrafficControl::kZones;
  bool short_of_charge = false;
  for (auto order = fleet.queued.begin(); order != fleet.queued.end(); ++order) {
    const ZoneHolder at =
        zoned ? zones_.holder(zone_of_node(fleet.spec->stops[order->link.pick_up])) : kNoZoneHolder;
    if (at != kNoZoneHolder && at != v) continue;
    if (!can_do(vehicles_[v], *order)) {
      short_of_charge = true;
      continue;
    }
    const TransportOrder taken = *order;
    fleet.queued.erase(order);
    assign(line, v, taken);
    return true;
  }
  if (short_of_charge) go_charge(line, v);
  return short_of_charge;
}

void TransportFlow::go_charge(Line& line, std::uint32_t v) {
  leave_idle_stop(v);
  VehicleRun& vehicle = vehicles_[v];
  FleetRun& fleet = fleets_[vehicle.fleet];
  const FleetSpec& spec = *fleet.spec;
  // The nearest free charger it can reach; ties to the one listed first.
  std::size_t best = spec.chargers.size();
  double best_kwh = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < spec.chargers.size(); ++c) {
    const double kwh = spec.energy_kwh(vehicle.stop, spec.chargers[c]);
    if (fleet.charger_user[c] == kNoOperator && enough_charge(spec, kwh, vehicle.charge_kwh) &&
        kwh < best_kwh) {
      best = c;
      best_kwh = kwh;
    }
  }
  if (best < spec.chargers.size()) {
    fleet.charger_user[best] = v;
    travel(line, v, spec.chargers[best], VehicleTask::kToCharger);
    return;
  }
  // Where it stands, on a spur or parked off the aisles: it keeps no aisle from other vehicles.
  switch_task(line, v, VehicleTask::kWaitingForCharger);
  fleet.waiting_for_charger.push_back(v);
}

void TransportFlow::free_charger(Line& line, FleetRun& fleet, std::size_t c) {
  fleet.charger_user[c] = kNoOperator;
  const FleetSpec& spec = *fleet.spec;
  for (auto it = fleet.waiting_for_charger.begin(); it != fleet.waiting_for_charger.end(); ++it) {
    const std::uint32_t v = *it;
    if (!enough_charge(spec, spec.energy_kwh(vehicles_[v].stop, spec.chargers[c]),
                       vehicles_[v].charge_kwh))
      continue;
    fleet.waiting_for_charger.erase(it);
    fleet.charger_user[c] = v;
    travel(line, v, spec.chargers[c], VehicleTask::kToCharger);
    return;
  }
}

void TransportFlow::go_idle(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  FleetRun& fleet = fleets_[vehicle.fleet];
  const FleetSpec& spec = *fleet.spec;
  const std::uint32_t to = idle_stop(v);
  if (spec.battery) {
    // Charges first when it would arrive unable to reach a charger, or (unless it has just
    // charged) below its threshold.
    const double arrival_kwh = vehicle.charge_kwh - spec.energy_kwh(vehicle.stop, to);
    const bool at_charger = vehicle.stop >= spec.chargers.front();
    if (!enough_charge(spec, energy_to_drive_kwh(spec, vehicle.stop, to), vehicle.charge_kwh) ||
        (!at_charger && arrival_kwh < spec.battery->charge_below * spec.battery->capacity_kwh)) {
      go_charge(line, v);
      return;
    }
  }
  if (to != 0) {
    // The stop is this vehicle's from now on, as a pick-up is for a vehicle bound there.
    fleet.idle_at_stop[to] = v;
    vehicle.idle_stop = to;
    hold_stop(v, to);  // idle_stop() picks a stop the vehicle can hold
  }
  if (vehicle.stop != to) {
    travel(line, v, to, VehicleTask::kDrivingHome);
  } else if (to == 0) {
    park(line, v);
  } else {
    stand_idle(line, v);
  }
}

std::uint32_t TransportFlow::idle_stop(std::uint32_t v) const {
  const VehicleRun& vehicle = vehicles_[v];
  const FleetRun& fleet = fleets_[vehicle.fleet];
  const FleetSpec& spec = *fleet.spec;
  if (spec.idle_at != IdlePlace::kPickUp) return 0;
  // The nearest free one; ties to the lower stop.
  std::uint32_t best = 0;
  double best_s = std::numeric_limits<double>::infinity();
  for (std::uint32_t stop : spec.pick_ups) {
    // Not where vehicles drop parts off: each delivery there would send it away.
    if (std::binary_search(spec.drop_offs.begin(), spec.drop_offs.end(), stop)) continue;
    const std::uint32_t there = fleet.idle_at_stop[stop];
    if (there != kNoOperator && there != v) continue;
    const ZoneHolder holder =
        zoned(vehicle) ? zones_.holder(zone_of_node(spec.stops[stop])) : kNoZoneHolder;
    if (holder != kNoZoneHolder && holder != v) continue;
    const double s = spec.travel(vehicle.stop, stop);
    if (s < best_s) {
      best = stop;
      best_s = s;
    }
  }
  return best;
}

void TransportFlow::stand_idle(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  switch_task(line, v, VehicleTask::kIdle);
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  if (zoned(vehicle) && zones_.wanted_by_waiter(zone_of_node(spec.stops[vehicle.stop]))) {
    move_home(line, v);
    return;
  }
  take_queued(line, v);
}

void TransportFlow::leave_idle_stop(std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  if (vehicle.idle_stop == kNoStop) return;
  fleets_[vehicle.fleet].idle_at_stop[vehicle.idle_stop] = kNoOperator;
  vehicle.idle_stop = kNoStop;
}

void TransportFlow::clear_way(Line& line, std::uint32_t v) {
  for (ZoneIndex z : vehicles_[v].zones.zones) {
    const ZoneHolder h = zones_.holder(z);
    if (h == kNoZoneHolder || h == v) continue;
    const VehicleRun& other = vehicles_[h];
    // Standing idle at its pick-up stop, not merely bound there (that one arrives first).
    if (other.task != VehicleTask::kIdle || other.idle_stop != other.stop) continue;
    move_home(line, h);
  }
}

void TransportFlow::move_home(Line& line, std::uint32_t v) {
  leave_idle_stop(v);
  travel(line, v, 0, VehicleTask::kDrivingHome);
}

void TransportFlow::hold_stop(std::uint32_t v, std::uint32_t stop) {
  const VehicleRun& vehicle = vehicles_[v];
  if (!zoned(vehicle)) return;
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  [[maybe_unused]] const bool held =
      zones_.try_reserve(std::vector<ZoneIndex>{zone_of_node(spec.stops[stop])}, v);
  assert(held && "the caller picks a stop the vehicle can hold");
}

void TransportFlow::assign(Line& line, std::uint32_t v, const TransportOrder& order) {
  leave_idle_stop(v);
  VehicleRun& vehicle = vehicles_[v];
  vehicle.order = order;
  vehicle.fetching = true;
  // choose() and take_queued() send a vehicle only to a pick-up node it can hold (docs/
  // transport.md, "Why it cannot deadlock").
  hold_stop(v, order.link.pick_up);
  travel(line, v, order.link.pick_up, VehicleTask::kEmptyTravel);
}

void TransportFlow::switch_task(Line& line, std::uint32_t v, VehicleTask task) {
  VehicleRun& vehicle = vehicles_[v];
  const double now = line.kernel.now();
  vehicle.task_s[static_cast<int>(vehicle.task)] += now - vehicle.since_s;
  vehicle.task = task;
  vehicle.since_s = now;
  if (task == VehicleTask::kIdle) vehicle.idle_since_s = now;
}

void TransportFlow::begin(Line& line, std::uint32_t v, VehicleTask task, double duration_s) {
  switch_task(line, v, task);
  line.kernel.schedule_in(duration_s, event(RunEvent::kVehicleLegEnd, v));
}

void TransportFlow::travel(Line& line, std::uint32_t v, std::uint32_t to, VehicleTask task) {
  VehicleRun& vehicle = vehicles_[v];
  vehicle.travel_to = to;
  vehicle.travel_task = task;
  if (!zoned(vehicle)) {
    depart(line, v);
    return;
  }
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  vehicle.zones =
      route_zones(*scene_->paths(), spec.leg(vehicle.stop, to).route, spec.stops[vehicle.stop]);
  if (zones_.try_reserve(vehicle.zones.zones, v)) {
    depart(line, v);
    return;
  }
  // It waits where it stands, keeping its node (or in the depot, holding none).
  vehicle.waited_zone = zones_.first_blocked(vehicle.zones.zones, v);
  switch_task(line, v, VehicleTask::kWaitingForZone);
  zones_.wait(v, vehicle.zones.zones);
  const std::vector<ZoneHolder> cycle = zones_.wait_cycle(v);
  if (!cycle.empty()) {
    report_cycle(line, cycle);
    return;
  }
  clear_way(line, v);
}

void TransportFlow::depart(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  const FleetLeg& leg = spec.leg(vehicle.stop, vehicle.travel_to);
  const double now = line.kernel.now();
  const double arrival_s = now + leg.profile.total_time_s();
  const bool was_parked = std::exchange(vehicle.parked, false);
  const std::uint32_t from = vehicle.stop;
  if (spec.battery) {
    const double kwh = spec.energy_kwh(from, vehicle.travel_to);
    vehicle.charge_kwh -= kwh;
    vehicle.energy_kwh += kwh;
  }
  if (!tracks_.empty()) {
    VehicleTrack& track = tracks_[v].track;
    const PathNetwork& network = *scene_->paths();
    if (was_parked) track.stand(now, spec.stops[vehicle.stop], network);
    if (vehicle.travel_to != vehicle.stop) track.drive(now, leg.route, leg.profile, network);
  }
  switch_task(line, v, vehicle.travel_task);
  if (zoned(vehicle)) {
    // Each zone goes back at the instant the body has left it (zone_release_past_m); zones not
    // left before the arrival go back then, but for the last node, where the vehicle stands.
    const double past_m =
        zone_release_past_m(spec.vehicle.outer_length_m(), largest_half_diagonal_m_);
    vehicle.release_s.clear();
    vehicle.next_release = 0;
    for (double end_m : vehicle.zones.end_m) {
      const double at_s = now + leg.profile.time_at(end_m + past_m);
      if (!(end_m + past_m < leg.profile.total_length_m()) || !(at_s < arrival_s)) break;
      vehicle.release_s.push_back(at_s);
    }
    if (!vehicle.release_s.empty())
      line.kernel.schedule_at(vehicle.release_s.front(), event(RunEvent::kZoneRelease, v));
  }
  line.kernel.schedule_at(arrival_s, event(RunEvent::kVehicleLegEnd, v));
  // A vehicle that leaves its charger frees it (chargers are the fleet's last stops).
  if (spec.battery && from >= spec.chargers.front() && vehicle.travel_to != from)
    free_charger(line, fleets_[vehicle.fleet], from - spec.chargers.front());
}

void TransportFlow::release_zones(std::uint32_t v, std::size_t end) {
  VehicleRun& vehicle = vehicles_[v];
  for (; vehicle.next_release < end; ++vehicle.next_release)
    zones_.release(vehicle.zones.zones[vehicle.next_release], v);
}

void TransportFlow::on_zone_release(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  const double now = line.kernel.now();
  std::size_t end = vehicle.next_release;
  while (end < vehicle.release_s.size() && vehicle.release_s[end] <= now)
    ++end;
  release_zones(v, end);
  // One pending release per vehicle: the next zone's, at its own instant.
  if (end < vehicle.release_s.size())
    line.kernel.schedule_at(vehicle.release_s[end], event(RunEvent::kZoneRelease, v));
  admit_waiters(line);
}

void TransportFlow::admit_waiters(Line& line) {
  zones_.admit_waiters(served_);
  const double now = line.kernel.now();
  for (ZoneHolder v : served_) {
    ZoneResult& zone = congestion_[vehicles_[v].waited_zone];
    ++zone.waits;
    zone.wait_s += now - vehicles_[v].since_s;
    depart(line, v);
  }
  // A pick-up node given back lets an idle vehicle take the orders queued for it.
  dispatch_queued(line);
}

void TransportFlow::arrive(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  vehicle.stop = vehicle.travel_to;
  if (!zoned(vehicle)) return;
  // Everything but the node it stands on, then to the waiters first, in their order.
  release_zones(v, vehicle.zones.zones.size() - 1);
  admit_waiters(line);
}

void TransportFlow::park(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  vehicle.parked = true;
  if (!tracks_.empty()) tracks_[v].track.park(line.kernel.now());
  switch_task(line, v, VehicleTask::kIdle);
  if (!zoned(vehicle)) {
    take_queued(line, v);
    return;
  }
  // Off the aisles it holds no zone: its node goes back, to the waiters first, and the orders
  // queued go to idle vehicles (this one among them).
  release_zones(v, vehicle.zones.zones.size());
  admit_waiters(line);
}

void TransportFlow::on_leg_end(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  FleetRun& fleet = fleets_[vehicle.fleet];
  const FleetSpec& spec = *fleet.spec;
  switch (vehicle.task) {
    case VehicleTask::kEmptyTravel:
      arrive(line, v);
      begin(line, v, VehicleTask::kLoading, spec.vehicle.load_time.sample(fleet.load_rng));
      return;
    case VehicleTask::kLoading: {
      // The vehicle is under way (or waits for its zones) before the station it unblocks hands
      // over its next part, which may make an order of its own.
      const Holder holder = vehicle.order.holder;
      vehicle.fetching = false;
      vehicle_wait_s_[holder.element] += observed_wait_s(vehicle.order, line.kernel.now());
      vehicle.order.part = line.flow.take_from(line, holder);
      if (!tracks_.empty()) tracks_[v].track.carry(line.kernel.now(), true);
      travel(line, v, vehicle.order.link.drop_off, VehicleTask::kLoadedTravel);
      line.flow.release(line, holder);
      return;
    }
    case VehicleTask::kLoadedTravel:
      arrive(line, v);
      begin(line, v, VehicleTask::kUnloading, spec.vehicle.unload_time.sample(fleet.unload_rng));
      return;
    case VehicleTask::kUnloading: {
      if (!tracks_.empty()) tracks_[v].track.carry(line.kernel.now(), false);
      Part part = vehicle.order.part;
      const Link to = vehicle.order.to;
      ++vehicle.orders;
      ++fleet.delivered;
      fleet.lead_time_sum_s += line.kernel.now() - vehicle.order.created_s;
      // The next order first: the delivery may free places that make orders of their own, which
      // a vehicle without one, standing here, may take. One left without drives home (stop 0)
      // to park, or parks where it is if that is home. One low on charge charges first.
      const bool low = spec.battery &&
                       vehicle.charge_kwh < spec.battery->charge_below * spec.battery->capacity_kwh;
      if (low) {
        go_charge(line, v);
      } else if (!take_queued(line, v)) {
        switch_task(line, v, VehicleTask::kIdle);
      }
      if (to.type == ElementType::kBuffer) --reserved_[to.index];
      [[maybe_unused]] const bool taken = line.flow.offer(line, to, part);
      assert(taken && "a place was reserved");
      // A part that passed straight through to a station leaves its reserved place free.
      if (to.type == ElementType::kBuffer && !line.flow.waiting(to.element).empty())
        admit(line, line.buffers.at(to.index));
      if (vehicle.task == VehicleTask::kIdle) go_idle(line, v);
      return;
    }
    case VehicleTask::kToCharger: {
      arrive(line, v);
      const BatterySpec& battery = *spec.battery;
      const double to_kwh = battery.charge_to * battery.capacity_kwh;
      begin(line, v, VehicleTask::kCharging,
            std::max(0.0, to_kwh - vehicle.charge_kwh) / battery.charge_rate_kw * 3600.0);
      return;
    }
    case VehicleTask::kCharging:
      vehicle.charge_kwh =
          std::max(vehicle.charge_kwh, spec.battery->charge_to * spec.battery->capacity_kwh);
      ++vehicle.charges;
      if (!take_queued(line, v)) go_idle(line, v);
      return;
    case VehicleTask::kDrivingHome:
      arrive(line, v);
      if (vehicle.stop == 0) {
        park(line, v);
      } else {
        stand_idle(line, v);
      }
      return;
    case VehicleTask::kIdle:
    case VehicleTask::kWaitingForZone:
    case VehicleTask::kWaitingForCharger:
      break;
  }
  assert(false && "an idle or waiting vehicle has no leg to end");
}

void TransportFlow::report_cycle(Line& line, const std::vector<ZoneHolder>& cycle) {
  const PathNetwork& network = *scene_->paths();
  std::vector<DeadlockResult::Vehicle> stuck;
  auto name = [&](ZoneHolder v) {
    const FleetRun& fleet = fleets_[vehicles_[v].fleet];
    return vehicle_name(*fleet.spec, v - fleet.first_vehicle);
  };
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const ZoneHolder v = cycle[i];
    const ZoneHolder next = cycle[(i + 1) % cycle.size()];
    const VehicleRun& vehicle = vehicles_[v];
    const FleetRun& fleet = fleets_[vehicle.fleet];
    // The first zone of its route that the next vehicle in the cycle holds.
    ZoneIndex zone = 0;
    for (ZoneIndex z : zones_.wanted(v)) {
      if (zones_.holder(z) == next) {
        zone = z;
        break;
      }
    }
    const bool loaded = vehicle.travel_task == VehicleTask::kLoadedTravel;
    stuck.push_back(
        {.fleet = vehicle.fleet,
         .vehicle = v - fleet.first_vehicle,
         .parts = loaded ? 1U : 0U,
         .state = fmt::format("{} at {}, {}, waits for {} held by {}", name(v),
                              zone_name(network, zone_of_node(fleet.spec->stops[vehicle.stop])),
                              loaded ? "loaded" : "empty", zone_name(network, zone), name(next))});
  }
  line.deadlocks.vehicles_stuck(line, std::move(stuck));
}

void TransportFlow::reset(double now) {
  observed_from_s_ = now;
  std::fill(vehicle_wait_s_.begin(), vehicle_wait_s_.end(), 0.0);
  for (VehicleRun& vehicle : vehicles_) {
    for (double& s : vehicle.task_s)
      s = 0.0;
    vehicle.since_s = now;
    vehicle.orders = 0;
    vehicle.energy_kwh = 0.0;
    vehicle.charges = 0;
  }
  for (FleetRun& fleet : fleets_) {
    fleet.delivered = 0;
    fleet.lead_time_sum_s = 0.0;
  }
  std::fill(congestion_.begin(), congestion_.end(), ZoneResult{});
}

void TransportFlow::write(double now, ReplicationResult& r) const {
  if (fleets_.empty()) return;
  r.zones = congestion_;
  // Orders still open wait until now: queued, or with a vehicle on its way or loading.
  std::vector<double> wait_s = vehicle_wait_s_;
  auto open = [&](const TransportOrder& order) {
    wait_s[order.holder.element] += observed_wait_s(order, now);
  };
  for (const FleetRun& fleet : fleets_)
    std::for_each(fleet.queued.begin(), fleet.queued.end(), open);
  for (const VehicleRun& vehicle : vehicles_) {
    if (vehicle.fetching) open(vehicle.order);
  }
  std::vector<double> station_wait_max(fleets_.size(), 0.0);
  for (ElementIndex e = 0; e < wait_s.size(); ++e) {
    const Element& element = scene_->element(e);
    if (element.type != ElementType::kStation || !(r.observed_s > 0.0)) continue;
    const double share = wait_s[e] / (scene_->station_spec(element).servers * r.observed_s);
    r.stations[element.type_index].waiting_for_vehicle = share;
    if (element.route.via.carried_by_fleet()) {
      double& most = station_wait_max[element.route.via.fleet];
      most = std::max(most, share);
    }
  }
  for (const FleetRun& fleet : fleets_) {
    FleetResult result;
    for (std::uint32_t v = fleet.first_vehicle; v < fleet.first_vehicle + fleet.spec->vehicles;
         ++v) {
      const VehicleRun& vehicle = vehicles_[v];
      double task_s[kVehicleTasks];
      double total_s = 0.0;
      for (int t = 0; t < kVehicleTasks; ++t) {
        task_s[t] =
            vehicle.task_s[t] + (t == static_cast<int>(vehicle.task) ? now - vehicle.since_s : 0.0);
        total_s += task_s[t];
      }
      // A wait still under way counts as one, for the time so far.
      if (vehicle.task == VehicleTask::kWaitingForZone) {
        ++r.zones[vehicle.waited_zone].waits;
        r.zones[vehicle.waited_zone].wait_s += now - vehicle.since_s;
      }
      const double scale = total_s > 0.0 ? 1.0 / total_s : 0.0;
      auto share = [&](VehicleTask t) { return task_s[static_cast<int>(t)] * scale; };
      VehicleResult shares;
      shares.idle = share(VehicleTask::kIdle);
      shares.empty_travel = share(VehicleTask::kEmptyTravel);
      shares.loaded_travel = share(VehicleTask::kLoadedTravel);
      shares.driving_home = share(VehicleTask::kDrivingHome);
      shares.waiting_for_zone = share(VehicleTask::kWaitingForZone);
      shares.handling = share(VehicleTask::kLoading) + share(VehicleTask::kUnloading);
      shares.charging = share(VehicleTask::kToCharger) + share(VehicleTask::kWaitingForCharger) +
                        share(VehicleTask::kCharging);
      shares.orders = vehicle.orders;
      shares.charges = vehicle.charges;
      shares.energy_kwh = vehicle.energy_kwh;
      result.vehicles.push_back(shares);
      const double n = fleet.spec->vehicles;
      result.fleet.idle += shares.idle / n;
      result.fleet.empty_travel += shares.empty_travel / n;
      result.fleet.loaded_travel += shares.loaded_travel / n;
      result.fleet.driving_home += shares.driving_home / n;
      result.fleet.waiting_for_zone += shares.waiting_for_zone / n;
      result.fleet.handling += shares.handling / n;
      result.fleet.charging += shares.charging / n;
      result.fleet.orders += shares.orders;
      result.fleet.charges += shares.charges;
      result.fleet.energy_kwh += shares.energy_kwh;
    }
    result.station_wait_max = station_wait_max[static_cast<std::size_t>(&fleet - fleets_.data())];
    result.order_lead_time_mean_s =
        fleet.delivered > 0 ? fleet.lead_time_sum_s / static_cast<double>(fleet.delivered)
                            : std::numeric_limits<double>::quiet_NaN();
    r.fleets.push_back(std::move(result));
  }
}

void TransportFlow::record_tracks() {
  tracks_.clear();
  for (const VehicleRun& vehicle : vehicles_) {
    const FleetRun& fleet = fleets_[vehicle.fleet];
    tracks_.push_back({.fleet = vehicle.fleet,
                       .vehicle = static_cast<std::uint32_t>(tracks_.size() - fleet.first_vehicle),
                       .width_m = fleet.spec->vehicle.width_m,
                       .length_m = fleet.spec->vehicle.length_m,
                       .load_width_m = fleet.spec->vehicle.load_width_m,
                       .load_length_m = fleet.spec->vehicle.load_length_m,
                       .track = {}});
  }
}

}  // namespace linetwin::line_run
