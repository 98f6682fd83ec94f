// VehicleTrack: where one vehicle was over a run, exactly: parked off the aisles (in its fleet's
// depot) or standing at a node, and each drive along a route as the route's motion profile. The
// line run writes it as it dispatches; the collision audit, the trajectory recording and the
// viewer read the vehicle's pose at any instant from it, without time steps and without running
// the line again.
//
// A drive's position along its route maps onto the floor edge by edge: an edge's stretch of the
// route is laid on the straight line between its nodes, at the fraction of the edge's length
// travelled (an edge longer than the straight distance, a curve, is drawn as its chord). The
// heading is the direction of the edge being driven; standing, a vehicle keeps the heading it
// arrived with.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "transport/motion_profile.hpp"
#include "transport/path_network.hpp"

namespace linetwin {

struct FloorPose {
  double x_m = 0.0;
  double y_m = 0.0;
  double heading_rad = 0.0;  // counter-clockwise from the floor's x axis
};

struct TrackDrive {
  double start_s = 0.0;  // when the vehicle leaves the route's first node
  PathRoute route;       // at least one step
  MotionProfile profile;
  std::vector<double> step_end_m;  // the distance along the route at each step's end
};

class VehicleTrack {
 public:
  // A vehicle that starts the run parked in its depot (off the aisles, at no pose).
  VehicleTrack() = default;

  // From `t_s` on the vehicle stands at `node` (it has come onto the floor there); the drive
  // before, if any, must have ended by then at that node.
  void stand(double t_s, PathNodeIndex node, const PathNetwork& network);
  // From `t_s` on the vehicle drives `route` with `profile`; it must stand at the route's first
  // node by then, and the route must have a step. It stands at the last node once the profile
  // ends, until the next entry.
  void drive(double t_s, PathRoute route, MotionProfile profile, const PathNetwork& network);
  // From `t_s` on the vehicle is parked in its depot, off the aisles; it must stand by then.
  void park(double t_s);

  // Where the vehicle is at `t_s`, or nothing while it is parked off the aisles. Times before the
  // first entry find it parked. Entries are kept in time order (each call's time at or after the
  // previous call's, and a drive's start at or after the previous drive's end).
  std::optional<FloorPose> pose_at(double t_s) const;
  // Whether the vehicle moves at `t_s` (inside a drive's profile).
  bool moving_at(double t_s) const;
  // The drives, in order of time.
  std::span<const TrackDrive> drives() const { return drives_; }

  // From `t_s` on the vehicle carries a load (`loaded`) or none; it starts the run with none.
  // Calls alternate, loaded first, each at or after the previous one's time.
  void carry(double t_s, bool loaded);
  // Whether the vehicle carries a load at `t_s`: from the instant it was loaded (the end of
  // loading) to the instant it was unloaded (the end of unloading), that one excluded.
  bool loaded_at(double t_s) const;

 private:
  enum class Kind : std::uint8_t { kParked, kStanding, kDriving };
  struct Entry {
    double start_s = 0.0;
    Kind kind = Kind::kParked;
    std::uint32_t index = 0;   // the drive (kDriving) or the node (kStanding)
    double heading_rad = 0.0;  // kStanding: the heading it arrived with
  };

  const Entry* entry_at(double t_s) const;
  FloorPose pose_on_drive(const TrackDrive& drive, double t_s) const;

  const PathNetwork* network_ = nullptr;
  std::vector<Entry> entries_;
  std::vector<TrackDrive> drives_;
  std::vector<double> load_changes_;  // loaded at the even ones, unloaded at the odd ones
};

}  // namespace linetwin
