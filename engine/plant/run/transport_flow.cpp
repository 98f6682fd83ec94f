#include "plant/run/transport_flow.hpp"

#include <cassert>
#include <limits>
#include <utility>

#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_events.hpp"

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
    fleets_.push_back(std::move(fleet));
    VehicleRun vehicle;
    vehicle.fleet = f;
    vehicles_.insert(vehicles_.end(), spec.vehicles, vehicle);
  }
  if (!fleets_.empty()) reserved_.assign(scene.buffers().size(), 0);
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
  const FleetSpec& spec = *fleet.spec;
  // The idle vehicle with the smallest key; a strict comparison keeps the lowest index on ties.
  std::uint32_t chosen = kNoOperator;
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t v = fleet.first_vehicle; v < fleet.first_vehicle + spec.vehicles; ++v) {
    const VehicleRun& vehicle = vehicles_[v];
    if (vehicle.task != VehicleTask::kIdle) continue;
    const double key = spec.dispatch == DispatchRule::kNearestIdle
                           ? spec.travel(vehicle.stop, link.pick_up)
                           : vehicle.since_s;
    if (key < best) {
      best = key;
      chosen = v;
    }
  }
  if (chosen == kNoOperator) {
    fleet.queued.push_back(order);
    return;
  }
  assign(line, chosen, order);
}

void TransportFlow::assign(Line& line, std::uint32_t v, const TransportOrder& order) {
  VehicleRun& vehicle = vehicles_[v];
  vehicle.order = order;
  set_off(line, v, order.link.pick_up);
  begin(line, v, VehicleTask::kEmptyTravel,
        fleets_[vehicle.fleet].spec->travel(vehicle.stop, order.link.pick_up));
}

void TransportFlow::set_off(const Line& line, std::uint32_t v, std::uint32_t to) {
  VehicleRun& vehicle = vehicles_[v];
  const bool was_parked = std::exchange(vehicle.parked, false);
  if (tracks_.empty()) return;
  const FleetSpec& spec = *fleets_[vehicle.fleet].spec;
  const PathNetwork& network = *scene_->paths();
  const double now = line.kernel.now();
  VehicleTrack& track = tracks_[v].track;
  if (was_parked) track.stand(now, spec.stops[vehicle.stop], network);
  if (to == vehicle.stop) return;  // it loads where it stands
  const FleetLeg& leg = spec.leg(vehicle.stop, to);
  track.drive(now, leg.route, leg.profile, network);
}

void TransportFlow::record_tracks() {
  tracks_.clear();
  for (const VehicleRun& vehicle : vehicles_) {
    const FleetRun& fleet = fleets_[vehicle.fleet];
    tracks_.push_back({.fleet = vehicle.fleet,
                       .vehicle = static_cast<std::uint32_t>(tracks_.size() - fleet.first_vehicle),
                       .width_m = fleet.spec->vehicle.width_m,
                       .length_m = fleet.spec->vehicle.length_m,
                       .track = {}});
  }
}

void TransportFlow::begin(Line& line, std::uint32_t v, VehicleTask task, double duration_s) {
  VehicleRun& vehicle = vehicles_[v];
  const double now = line.kernel.now();
  vehicle.task_s[static_cast<int>(vehicle.task)] += now - vehicle.since_s;
  vehicle.task = task;
  vehicle.since_s = now;
  if (task != VehicleTask::kIdle)
    line.kernel.schedule_in(duration_s, event(RunEvent::kVehicleLegEnd, v));
}

void TransportFlow::on_leg_end(Line& line, std::uint32_t v) {
  VehicleRun& vehicle = vehicles_[v];
  FleetRun& fleet = fleets_[vehicle.fleet];
  const FleetSpec& spec = *fleet.spec;
  switch (vehicle.task) {
    case VehicleTask::kEmptyTravel:
      vehicle.stop = vehicle.order.link.pick_up;
      begin(line, v, VehicleTask::kLoading, spec.vehicle.load_time.sample(fleet.load_rng));
      return;
    case VehicleTask::kLoading: {
      // The vehicle is under way before the station it unblocks hands over its next part, which
      // may make an order of its own.
      const Holder holder = vehicle.order.holder;
      vehicle.order.part = line.flow.take_from(line, holder);
      set_off(line, v, vehicle.order.link.drop_off);
      begin(line, v, VehicleTask::kLoadedTravel,
            spec.travel(vehicle.order.link.pick_up, vehicle.order.link.drop_off));
      line.flow.release(line, holder);
      return;
    }
    case VehicleTask::kLoadedTravel:
      vehicle.stop = vehicle.order.link.drop_off;
      begin(line, v, VehicleTask::kUnloading, spec.vehicle.unload_time.sample(fleet.unload_rng));
      return;
    case VehicleTask::kUnloading: {
      Part part = vehicle.order.part;
      const Link to = vehicle.order.to;
      ++vehicle.orders;
      ++fleet.delivered;
      fleet.lead_time_sum_s += line.kernel.now() - vehicle.order.created_s;
      // The next order first: the delivery may free places that make orders of their own.
      if (!fleet.queued.empty()) {
        assign(line, v, fleet.queued.pop_front());
      } else {
        begin(line, v, VehicleTask::kIdle, 0.0);
      }
      if (to.type == ElementType::kBuffer) --reserved_[to.index];
      [[maybe_unused]] const bool taken = line.flow.offer(line, to, part);
      assert(taken && "a place was reserved");
      // A part that passed straight through to a station leaves its reserved place free.
      if (to.type == ElementType::kBuffer && !line.flow.waiting(to.element).empty())
        admit(line, line.buffers.at(to.index));
      return;
    }
    case VehicleTask::kIdle:
      break;
  }
  assert(false && "an idle vehicle has no leg to end");
}

void TransportFlow::reset(double now) {
  for (VehicleRun& vehicle : vehicles_) {
    for (double& s : vehicle.task_s)
      s = 0.0;
    vehicle.since_s = now;
    vehicle.orders = 0;
  }
  for (FleetRun& fleet : fleets_) {
    fleet.delivered = 0;
    fleet.lead_time_sum_s = 0.0;
  }
}

void TransportFlow::write(double now, ReplicationResult& r) const {
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
      const double scale = total_s > 0.0 ? 1.0 / total_s : 0.0;
      VehicleResult shares;
      shares.idle = task_s[static_cast<int>(VehicleTask::kIdle)] * scale;
      shares.empty_travel = task_s[static_cast<int>(VehicleTask::kEmptyTravel)] * scale;
      shares.loaded_travel = task_s[static_cast<int>(VehicleTask::kLoadedTravel)] * scale;
      shares.handling = (task_s[static_cast<int>(VehicleTask::kLoading)] +
                         task_s[static_cast<int>(VehicleTask::kUnloading)]) *
                        scale;
      shares.orders = vehicle.orders;
      result.vehicles.push_back(shares);
      const double n = fleet.spec->vehicles;
      result.fleet.idle += shares.idle / n;
      result.fleet.empty_travel += shares.empty_travel / n;
      result.fleet.loaded_travel += shares.loaded_travel / n;
      result.fleet.handling += shares.handling / n;
      result.fleet.orders += shares.orders;
    }
    result.order_lead_time_mean_s =
        fleet.delivered > 0 ? fleet.lead_time_sum_s / static_cast<double>(fleet.delivered)
                            : std::numeric_limits<double>::quiet_NaN();
    r.fleets.push_back(std::move(result));
  }
}

}  // namespace linetwin::line_run
