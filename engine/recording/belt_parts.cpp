#include "recording/belt_parts.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plant/conveyor_belt.hpp"

namespace linetwin {

namespace {

double heading_of(const Pose& conveyor) {
  return conveyor.yaw_deg * std::numbers::pi / 180.0;
}

}  // namespace

FloorPose belt_part_pose(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                         double front_m) {
  const double heading = heading_of(conveyor);
  const double along = front_m - 0.5 * part_length_m - 0.5 * conveyor_length_m;
  return {conveyor.x_m + along * std::cos(heading), conveyor.y_m + along * std::sin(heading),
          heading};
}

double belt_part_front(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                       double x_m, double y_m) {
  const double heading = heading_of(conveyor);
  const double along =
      (x_m - conveyor.x_m) * std::cos(heading) + (y_m - conveyor.y_m) * std::sin(heading);
  return along + 0.5 * conveyor_length_m + 0.5 * part_length_m;
}

std::string belt_part_body_id(const std::string& conveyor_id, std::uint32_t place) {
  return conveyor_id + " part " + std::to_string(place + 1);
}

std::vector<RecordedBody> belt_part_bodies(const Scene& scene) {
  std::vector<RecordedBody> bodies;
  for (const std::size_t c : scene.physics_conveyors()) {
    const Element& e = scene.element(scene.conveyors()[c]);
    const ConveyorSpec& spec = scene.conveyor_spec(e);
    const std::array<double, 3> size = belt_part_size(spec);
    // Never more parts than the pitch allows: the run refuses a part on a belt that holds as
    // many as its event twin would.
    const std::uint32_t places = ConveyorBelt(spec).capacity();
    for (std::uint32_t place = 0; place < places; ++place)
      bodies.push_back({belt_part_body_id(e.id, place), {size[0], size[1]}});
  }
  return bodies;
}

BeltPartSampler::BeltPartSampler(const Scene& scene, std::uint32_t first_body)
    : first_body_(first_body) {
  conveyors_ = scene.physics_conveyors();
  for (const std::size_t c : conveyors_) {
    const Element& e = scene.element(scene.conveyors()[c]);
    const ConveyorSpec& spec = scene.conveyor_spec(e);
    belts_.push_back({e.pose, spec.length_m, belt_part_size(spec)[0],
                      static_cast<std::uint32_t>(last_.size()), ConveyorBelt(spec).capacity()});
    last_.resize(last_.size() + belts_.back().places);
  }
}

void BeltPartSampler::sample(std::int64_t timestamp_us,
                             const std::vector<std::vector<double>>& positions,
                             std::vector<BodyPose>& rows) {
  for (std::size_t b = 0; b < belts_.size(); ++b) {
    const Belt& belt = belts_[b];
    for (std::uint32_t place = 0; place < belt.places; ++place) {
      const std::uint32_t body = belt.first_place + place;
      std::optional<BodyPose>& last = last_[body];
      BodyPose pose{.timestamp_us = timestamp_us, .body = first_body_ + body};
      if (place < positions[b].size()) {
        const FloorPose at =
            belt_part_pose(belt.pose, belt.length_m, belt.part_length_m, positions[b][place]);
        pose.x_m = at.x_m;
        pose.y_m = at.y_m;
        pose.heading_rad = at.heading_rad;
        const bool still = last && last->state != BodyState::kParked && last->x_m == pose.x_m &&
                           last->y_m == pose.y_m;
        pose.state = still ? BodyState::kStanding : BodyState::kMoving;
      }
      // A moving part has a row at every instant; a standing part or an empty place only when it
      // becomes so.
      if (pose.state != BodyState::kMoving && last && last->state == pose.state) continue;
      rows.push_back(pose);
      last = pose;
    }
  }
}

}  // namespace linetwin
