// The parts on a scene's physics conveyors (`mode: physics`, docs/physics.md) as bodies on the
// shop floor: what a recording's /trajectories holds of them and what the viewer draws, from the
// positions a run reports (LineRun::conveyor_positions: each part's front, metres from the belt's
// entry, head first). Parts come and go, so a belt has a fixed set of places, as many as it can
// hold at its pitch (floor(length / spacing)): place k holds the k-th part from the head, and is
// `parked` (off the floor) while the belt holds fewer (docs/recording-format.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plant/belt_part_size.hpp"
#include "plant/scene.hpp"
#include "recording/telemetry_recording.hpp"
#include "transport/vehicle_track.hpp"

namespace linetwin {

// Where the centre of a part of `part_length_m` whose front is `front_m` from the entry of
// `conveyor` stands: on the belt's centre line (the conveyor's pose is its middle; the belt runs
// along its yaw, entry at the back), turned with the belt.
FloorPose belt_part_pose(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                         double front_m);

// The inverse along the belt: how far from the entry the front of a part centred at (x, y) is.
double belt_part_front(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                       double x_m, double y_m);

// A belt's place `place` (0 is the head) as a body id: "C1 part 1", "C1 part 2", ...
std::string belt_part_body_id(const std::string& conveyor_id, std::uint32_t place);

// Every physics conveyor's places as bodies, conveyor by conveyor in Scene::conveyors() order,
// with the footprint of the belt's part (length along the heading, width).
std::vector<RecordedBody> belt_part_bodies(const Scene& scene);

// Rows of /trajectories for the belt places: one call per sampled instant, with the run at that
// instant. A part whose pose changed since its place's last row is `moving`; one found where that
// row left it is `standing`, and a place without a part is `parked`. As for vehicles, a place
// costs a row only when its pose or state changes (and at the first instant), so a still belt
// writes nothing.
class BeltPartSampler {
 public:
  // The places are bodies `first_body`, `first_body` + 1, ... of the recording, in
  // belt_part_bodies(scene) order.
  BeltPartSampler(const Scene& scene, std::uint32_t first_body);

  // The places' rows at `timestamp_us`, from `positions`: per physics conveyor (Scene::conveyors()
  // order, event conveyors left out), its parts' fronts from the entry, head first.
  void sample(std::int64_t timestamp_us, const std::vector<std::vector<double>>& positions,
              std::vector<BodyPose>& rows);

  // The scene's physics conveyors' indices in Scene::conveyors(), whose positions sample() takes.
  const std::vector<std::size_t>& conveyors() const { return conveyors_; }

 private:
  struct Belt {
    Pose pose;
    double length_m = 0.0;
    double part_length_m = 0.0;
    std::uint32_t first_place = 0;  // index into last_
    std::uint32_t places = 0;
  };
  std::vector<std::size_t> conveyors_;
  std::vector<Belt> belts_;
  std::uint32_t first_body_ = 0;
  std::vector<std::optional<BodyPose>> last_;  // per place: its last row
};

}  // namespace linetwin
