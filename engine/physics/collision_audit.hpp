// The collision audit: were two vehicles, or a vehicle and an element of the layout, ever in the
// same place? Vehicles are boxes (their footprint: length along the heading, width across) placed
// on the exact pose their VehicleTrack gives at each check time, checked against each other and
// against the elements' footprints in one Bullet collision world per audit (docs/physics.md).
//
// Checks are made only while something moves: in each stretch of time in which at least one
// vehicle drives, at the stretch's start and then every 1/rate seconds, and once at its end (where
// the standing set changes: the vehicles that stopped stand there until something moves again, so
// a still stretch needs no check). A contact is reported once per episode: at the first check at
// which the two footprints overlap after a check at which they did not. The same tracks give the
// same result, to the bit: nothing depends on memory addresses or threads.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "plant/run/vehicle_tracks.hpp"
#include "plant/scene.hpp"
#include "transport/vehicle_track.hpp"

namespace linetwin {

// A rectangle on the floor: its centre, the direction of its length, its length and width.
struct FloorBox {
  FloorPose centre;
  double length_m = 1.0;
  double width_m = 1.0;
};

struct AuditedVehicle {
  std::string id;  // how contacts name it: "FLEET#1" for a fleet's first vehicle
  const VehicleTrack* track = nullptr;
  double length_m = 1.0;  // along its heading
  double width_m = 1.0;
  // Its load's footprint while the track says it is loaded, a body of its own named "ID load"
  // that goes with the vehicle; 0 (either): the load is within the vehicle's footprint.
  double load_length_m = 0.0;
  double load_width_m = 0.0;
};

struct AuditedObstacle {
  std::string id;
  FloorBox footprint;
};

struct CollisionAuditSettings {
  double rate_hz = 20.0;  // checks per second while something moves; > 0 and finite
  double until_s = std::numeric_limits<double>::infinity();  // no check after this time
};

struct CollisionContact {
  double time_s = 0.0;  // the first check that found the footprints overlapping
  std::string body_a;   // a vehicle or a load ("AGV#1 load")
  std::string body_b;   // a vehicle or load after body_a in the audit's order (vehicles, then
                        // loads), or an element; never a vehicle and its own load
  double x_m = 0.0;     // where: the middle of the overlap's deepest points
  double y_m = 0.0;
};

struct CollisionAuditResult {
  std::uint64_t checks = 0;
  std::vector<CollisionContact> contacts;  // by time; at one time, vehicles in the audit's order
};

// The footprint an element of this kind stands on, centred on its pose and turned by its yaw
// (docs/physics.md): the placeholder sizes the viewer draws, a station 2.0 m x 1.5 m as
// assets/models/station.obj, a buffer 1.2 m square, a source or sink 1 m square, a conveyor its
// length (at least 0.5 m) by 0.8 m.
FloorBox element_footprint(const Scene& scene, const Element& element);
// Every element of the scene as an obstacle, in scene order.
std::vector<AuditedObstacle> element_obstacles(const Scene& scene);

// A line run's vehicles as the audit names them ("FLEET#1" for a fleet's first vehicle, numbered
// from 1 as the results number them), each with its track and footprint; `tracks` must outlive
// the result's use.
std::vector<AuditedVehicle> audited_vehicles(const Scene& scene,
                                             std::span<const TrackedVehicle> tracks);

// Audits the vehicles' tracks against each other and the obstacles. Throws std::invalid_argument
// for a rate that is not positive and finite or a vehicle without a track (the caller's mistake:
// a rate from the user is checked where it is read).
CollisionAuditResult audit_collisions(std::span<const AuditedVehicle> vehicles,
                                      std::span<const AuditedObstacle> obstacles,
                                      const CollisionAuditSettings& settings);

}  // namespace linetwin
