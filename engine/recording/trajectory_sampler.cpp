#include "recording/trajectory_sampler.hpp"

#include <cassert>
#include <cmath>
#include <optional>
#include <utility>

#include "plant/vehicle_name.hpp"
#include "recording/belt_parts.hpp"

namespace linetwin {

std::vector<RecordedBody> vehicle_bodies(const Scene& scene) {
  std::vector<RecordedBody> bodies;
  for (const FleetSpec& fleet : scene.fleets()) {
    for (std::uint32_t v = 0; v < fleet.vehicles; ++v) {
      bodies.push_back({vehicle_name(fleet, v), {fleet.vehicle.length_m, fleet.vehicle.width_m}});
    }
  }
  return bodies;
}

std::string load_body_id(const std::string& vehicle_id) {
  return vehicle_id + " load";
}

RecordedBodies recorded_bodies(const Scene& scene) {
  std::vector<RecordedBody> bodies = vehicle_bodies(scene);
  for (const FleetSpec& fleet : scene.fleets()) {
    for (std::uint32_t v = 0; v < fleet.vehicles; ++v) {
      // A load without a footprint of its own stands within its vehicle's.
      const bool sized = fleet.vehicle.has_load_footprint();
      bodies.push_back({load_body_id(vehicle_name(fleet, v)),
                        sized ? BodyShape{fleet.vehicle.load_length_m, fleet.vehicle.load_width_m}
                              : BodyShape{fleet.vehicle.length_m, fleet.vehicle.width_m}});
    }
  }
  const auto first_belt_part = static_cast<std::uint32_t>(bodies.size());
  const std::vector<RecordedBody> belt_parts = belt_part_bodies(scene);
  bodies.insert(bodies.end(), belt_parts.begin(), belt_parts.end());
  return {std::move(bodies), first_belt_part};
}

TrajectorySampler::TrajectorySampler(const std::vector<TrackedVehicle>& vehicles, double rate_hz,
                                     std::int64_t start_time_us)
    : vehicles_(&vehicles), instants_{.rate_hz = rate_hz, .start_time_us = start_time_us} {
  assert(rate_hz > 0.0 && std::isfinite(rate_hz));
}

void TrajectorySampler::sample_until(double until_s, bool inclusive, std::vector<BodyPose>& rows) {
  // The bodies: every vehicle, then every vehicle's load.
  last_.resize(2 * vehicles_->size());
  for (;; ++next_instant_) {
    const double t = instants_.time_s(next_instant_);
    if (!SampleInstants::before(t, until_s, inclusive)) break;
    const std::int64_t timestamp_us = instants_.timestamp_us(t);
    for (std::uint32_t body = 0; body < last_.size(); ++body) {
      const bool load = body >= vehicles_->size();
      const VehicleTrack& track = (*vehicles_)[load ? body - vehicles_->size() : body].track;
      BodyPose pose{.timestamp_us = timestamp_us, .body = body};
      // A load is where its vehicle is while carried, and off the floor (parked) otherwise.
      if (const std::optional<FloorPose> at =
              load && !track.loaded_at(t) ? std::nullopt : track.pose_at(t)) {
        pose.state = track.moving_at(t) ? BodyState::kMoving : BodyState::kStanding;
        pose.x_m = at->x_m;
        pose.y_m = at->y_m;
        pose.heading_rad = at->heading_rad;
      }
      LastRow& last = last_[body];
      const bool same_as_last = last.written && last.pose.state == pose.state &&
                                last.pose.x_m == pose.x_m && last.pose.y_m == pose.y_m &&
                                last.pose.heading_rad == pose.heading_rad;
      if (pose.state != BodyState::kMoving && same_as_last) continue;
      rows.push_back(pose);
      last = {true, pose};
    }
  }
}

}  // namespace linetwin
