#include "physics/collision_audit.hpp"

#include <btBulletCollisionCommon.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "plant/vehicle_name.hpp"

// Headers and libraries of one build: the layer links bullet-float64 (engine/CMakeLists.txt).
static_assert(sizeof(btScalar) == sizeof(double), "linetwin uses Bullet's double build");

namespace linetwin {

namespace {

// Every footprint is a box of this height centred on the floor plane, so that two footprints that
// overlap on the floor always meet side to side: a box's height exceeds any overlap on the floor,
// so Bullet never finds the shallowest way out through a top or bottom face.
constexpr double kBoxHeightM = 100.0;

// A moving stretch: from the first instant some vehicle drives to the last.
struct Stretch {
  double start_s = 0.0;
  double end_s = 0.0;
};

// The stretches in which at least one vehicle drives, in time order, none overlapping or touching.
std::vector<Stretch> moving_stretches(std::span<const AuditedVehicle> vehicles, double until_s) {
  std::vector<Stretch> drives;
  for (const AuditedVehicle& vehicle : vehicles) {
    for (const TrackDrive& drive : vehicle.track->drives()) {
      if (drive.start_s > until_s) break;  // drives come in time order
      drives.push_back(
          {drive.start_s, std::min(drive.start_s + drive.profile.total_time_s(), until_s)});
    }
  }
  std::sort(drives.begin(), drives.end(), [](const Stretch& a, const Stretch& b) {
    return a.start_s < b.start_s || (a.start_s == b.start_s && a.end_s < b.end_s);
  });
  std::vector<Stretch> merged;
  for (const Stretch& drive : drives) {
    if (!merged.empty() && drive.start_s <= merged.back().end_s) {
      merged.back().end_s = std::max(merged.back().end_s, drive.end_s);
    } else {
      merged.push_back(drive);
    }
  }
  return merged;
}

btTransform floor_transform(const FloorPose& pose) {
  btTransform transform;
  transform.setIdentity();
  transform.setOrigin(btVector3(pose.x_m, pose.y_m, 0.0));
  transform.setRotation(btQuaternion(btVector3(0, 0, 1), pose.heading_rad));
  return transform;
}

// The size of a body that moves: a vehicle, or a vehicle's load.
struct MoverSize {
  double length_m = 0.0;
  double width_m = 0.0;
};

// One audit's Bullet world: the bodies that move first (user index = their index: the vehicles,
// then the loads), then the obstacles'. Movers are kinematic bodies, in the world while they are
// on the floor; obstacles are static and never collide with each other (the broadphase filters
// static against static).
class AuditWorld {
 public:
  AuditWorld(std::span<const MoverSize> movers, std::span<const AuditedObstacle> obstacles)
      : dispatcher_(&configuration_),
        world_(&dispatcher_, &broadphase_, &configuration_),
        in_world_(movers.size(), false),
        last_pose_(movers.size()) {
    // Only moved bodies need their bounding boxes recomputed; obstacles never move.
    world_.setForceUpdateAllAabbs(false);
    bodies_.reserve(movers.size() + obstacles.size());
    for (const MoverSize& mover : movers) {
      btCollisionObject& body = add_body(mover.length_m, mover.width_m);
      body.setCollisionFlags(btCollisionObject::CF_KINEMATIC_OBJECT);
      body.setActivationState(DISABLE_DEACTIVATION);
    }
    for (const AuditedObstacle& obstacle : obstacles) {
      btCollisionObject& body = add_body(obstacle.footprint.length_m, obstacle.footprint.width_m);
      body.setCollisionFlags(btCollisionObject::CF_STATIC_OBJECT);
      body.setWorldTransform(floor_transform(obstacle.footprint.centre));
      // Asleep: its box is never recomputed, and a pair needs one awake body (a vehicle).
      body.setActivationState(ISLAND_SLEEPING);
      world_.addCollisionObject(&body, btBroadphaseProxy::StaticFilter,
                                btBroadphaseProxy::AllFilter ^ btBroadphaseProxy::StaticFilter);
    }
  }
  AuditWorld(const AuditWorld&) = delete;
  AuditWorld& operator=(const AuditWorld&) = delete;

  // Puts mover i where it is now, or takes it off the floor.
  void place(std::size_t vehicle, const std::optional<FloorPose>& pose) {
    btCollisionObject& body = *bodies_[vehicle];
    if (!pose) {
      if (in_world_[vehicle]) world_.removeCollisionObject(&body);
      in_world_[vehicle] = false;
      return;
    }
    const FloorPose& last = last_pose_[vehicle];
    const bool moved =
        pose->x_m != last.x_m || pose->y_m != last.y_m || pose->heading_rad != last.heading_rad;
    if (moved || !in_world_[vehicle]) body.setWorldTransform(floor_transform(*pose));
    last_pose_[vehicle] = *pose;
    if (!in_world_[vehicle]) {
      world_.addCollisionObject(&body, btBroadphaseProxy::KinematicFilter,
                                btBroadphaseProxy::AllFilter);
      in_world_[vehicle] = true;
    }
  }

  struct Overlap {
    std::uint32_t a = 0;  // body indices, a < b
    std::uint32_t b = 0;
    double x_m = 0.0;
    double y_m = 0.0;
    bool operator<(const Overlap& other) const {
      return a < other.a || (a == other.a && b < other.b);
    }
  };

  // The pairs of bodies whose footprints overlap now, in body order.
  const std::vector<Overlap>& overlaps() {
    world_.performDiscreteCollisionDetection();
    overlaps_.clear();
    const int manifolds = dispatcher_.getNumManifolds();
    for (int m = 0; m < manifolds; ++m) {
      const btPersistentManifold& manifold = *dispatcher_.getManifoldByIndexInternal(m);
      double x = 0.0;
      double y = 0.0;
      int points = 0;
      for (int p = 0; p < manifold.getNumContacts(); ++p) {
        const btManifoldPoint& point = manifold.getContactPoint(p);
        if (point.getDistance() >= 0.0) continue;  // touching or apart: no overlap
        const btVector3 middle = (point.getPositionWorldOnA() + point.getPositionWorldOnB()) / 2;
        x += middle.x();
        y += middle.y();
        ++points;
      }
      if (points == 0) continue;
      const auto first = static_cast<std::uint32_t>(manifold.getBody0()->getUserIndex());
      const auto second = static_cast<std::uint32_t>(manifold.getBody1()->getUserIndex());
      overlaps_.push_back({.a = std::min(first, second),
                           .b = std::max(first, second),
                           .x_m = x / points,
                           .y_m = y / points});
    }
    std::sort(overlaps_.begin(), overlaps_.end());
    return overlaps_;
  }

 private:
  btCollisionObject& add_body(double length_m, double width_m) {
    shapes_.push_back(
        std::make_unique<btBoxShape>(btVector3(length_m / 2, width_m / 2, kBoxHeightM / 2)));
    auto body = std::make_unique<btCollisionObject>();
    body->setCollisionShape(shapes_.back().get());
    body->setUserIndex(static_cast<int>(bodies_.size()));
    bodies_.push_back(std::move(body));
    return *bodies_.back();
  }

  // In the order Bullet needs them gone: the world first (it takes its bodies out of the
  // broadphase as it goes, through the dispatcher), then the bodies and shapes, then the rest.
  btDefaultCollisionConfiguration configuration_;
  btCollisionDispatcher dispatcher_;
  btDbvtBroadphase broadphase_;
  std::vector<std::unique_ptr<btBoxShape>> shapes_;
  std::vector<std::unique_ptr<btCollisionObject>> bodies_;
  btCollisionWorld world_;
  std::vector<bool> in_world_;  // per mover; obstacles are always in
  std::vector<FloorPose> last_pose_;
  std::vector<Overlap> overlaps_;
};

}  // namespace

FloorBox element_footprint(const Scene& scene, const Element& element) {
  FloorBox box{.centre = {.x_m = element.pose.x_m,
                          .y_m = element.pose.y_m,
                          .heading_rad = element.pose.yaw_deg * std::numbers::pi / 180.0}};
  switch (element.type) {
    case ElementType::kStation:
      box.length_m = 2.0;
      box.width_m = 1.5;
      break;
    case ElementType::kBuffer:
      box.length_m = 1.2;
      box.width_m = 1.2;
      break;
    case ElementType::kConveyor:
      box.length_m = std::max(0.5, scene.conveyor_spec(element).length_m);
      box.width_m = kConveyorWidth_m;
      break;
    case ElementType::kSource:
    case ElementType::kSink:
      box.length_m = 1.0;
      box.width_m = 1.0;
      break;
  }
  return box;
}

std::vector<AuditedObstacle> element_obstacles(const Scene& scene) {
  std::vector<AuditedObstacle> obstacles;
  obstacles.reserve(scene.elements().size());
  for (const Element& element : scene.elements()) {
    obstacles.push_back({.id = element.id, .footprint = element_footprint(scene, element)});
  }
  return obstacles;
}

std::vector<AuditedVehicle> audited_vehicles(const Scene& scene,
                                             std::span<const TrackedVehicle> tracks) {
  std::vector<AuditedVehicle> vehicles;
  vehicles.reserve(tracks.size());
  for (const TrackedVehicle& tracked : tracks) {
    vehicles.push_back({.id = vehicle_name(scene.fleets()[tracked.fleet], tracked.vehicle),
                        .track = &tracked.track,
                        .length_m = tracked.length_m,
                        .width_m = tracked.width_m,
                        .load_length_m = tracked.load_length_m,
                        .load_width_m = tracked.load_width_m});
  }
  return vehicles;
}

CollisionAuditResult audit_collisions(std::span<const AuditedVehicle> vehicles,
                                      std::span<const AuditedObstacle> obstacles,
                                      const CollisionAuditSettings& settings) {
  if (!(settings.rate_hz > 0.0) || !std::isfinite(settings.rate_hz)) {
    throw std::invalid_argument("audit_collisions: the rate must be positive and finite");
  }
  for (const AuditedVehicle& vehicle : vehicles) {
    if (vehicle.track == nullptr) {
      throw std::invalid_argument("audit_collisions: vehicle '" + vehicle.id + "' has no track");
    }
  }
  CollisionAuditResult result;
  const std::vector<Stretch> stretches = moving_stretches(vehicles, settings.until_s);
  if (stretches.empty()) return result;  // nothing moves: no world, no check

  // The movers: every vehicle, then the load of each vehicle whose load has a footprint.
  std::vector<MoverSize> movers;
  std::vector<std::string> load_ids;
  std::vector<std::size_t> load_vehicle;  // per load
  for (const AuditedVehicle& vehicle : vehicles)
    movers.push_back({.length_m = vehicle.length_m, .width_m = vehicle.width_m});
  for (std::size_t i = 0; i < vehicles.size(); ++i) {
    if (!load_has_footprint(vehicles[i].load_length_m, vehicles[i].load_width_m)) continue;
    movers.push_back({.length_m = vehicles[i].load_length_m, .width_m = vehicles[i].load_width_m});
    load_ids.push_back(vehicles[i].id + " load");
    load_vehicle.push_back(i);
  }
  AuditWorld world(movers, obstacles);
  const std::size_t first_obstacle = movers.size();
  const auto body_id = [&](std::uint32_t body) -> const std::string& {
    if (body < vehicles.size()) return vehicles[body].id;
    if (body < first_obstacle) return load_ids[body - vehicles.size()];
    return obstacles[body - first_obstacle].id;
  };
  const auto own_load = [&](const AuditWorld::Overlap& overlap) {
    return overlap.b >= vehicles.size() && overlap.b < first_obstacle &&
           load_vehicle[overlap.b - vehicles.size()] == overlap.a;
  };
  std::vector<std::optional<FloorPose>> poses(vehicles.size());
  std::vector<AuditWorld::Overlap> previous;
  const auto check = [&](double t_s) {
    for (std::size_t i = 0; i < vehicles.size(); ++i) {
      poses[i] = vehicles[i].track->pose_at(t_s);
      world.place(i, poses[i]);
    }
    for (std::size_t j = 0; j < load_vehicle.size(); ++j) {
      const std::size_t v = load_vehicle[j];
      world.place(vehicles.size() + j,
                  vehicles[v].track->loaded_at(t_s) ? poses[v] : std::optional<FloorPose>{});
    }
    const std::vector<AuditWorld::Overlap>& now = world.overlaps();
    // A new episode: a pair that overlaps now and did not at the previous check (both in order).
    auto before = previous.begin();
    for (const AuditWorld::Overlap& overlap : now) {
      while (before != previous.end() && *before < overlap)
        ++before;
      const bool continues = before != previous.end() && !(overlap < *before);
      if (!continues && !own_load(overlap)) {
        result.contacts.push_back({.time_s = t_s,
                                   .body_a = body_id(overlap.a),
                                   .body_b = body_id(overlap.b),
                                   .x_m = overlap.x_m,
                                   .y_m = overlap.y_m});
      }
    }
    previous = now;
    ++result.checks;
  };
  for (const Stretch& stretch : stretches) {
    // Each time from the stretch's own start, k / rate apart (no sum that drifts), then its end.
    for (std::uint64_t k = 0;; ++k) {
      const double t_s = stretch.start_s + static_cast<double>(k) / settings.rate_hz;
      if (t_s >= stretch.end_s) break;
      check(t_s);
    }
    check(stretch.end_s);
  }
  return result;
}

}  // namespace linetwin
