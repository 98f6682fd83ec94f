// The parts on a scene's physics conveyors (`mode: physics`, docs/physics.md) as boxes on the
// shop floor: what the viewer draws, from the positions a run reports
// (LineRun::conveyor_positions: each part's front, metres from the belt's entry, head first).
#pragma once

#include <array>

#include "plant/scene.hpp"
#include "transport/vehicle_track.hpp"

namespace linetwin {

// A physics conveyor's part as a box: length along the belt, width, height. The scene's
// part_size_m, or where it gives none the physics layer's default: one pitch long, half a pitch
// high, half a pitch (at most the belt's width) wide.
std::array<double, 3> belt_part_size(const ConveyorSpec& spec);

// Where the centre of a part of `part_length_m` whose front is `front_m` from the entry of
// `conveyor` stands: on the belt's centre line (the conveyor's pose is its middle; the belt runs
// along its yaw, entry at the back), turned with the belt.
FloorPose belt_part_pose(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                         double front_m);

// The inverse along the belt: how far from the entry the front of a part centred at (x, y) is.
double belt_part_front(const Pose& conveyor, double conveyor_length_m, double part_length_m,
                       double x_m, double y_m);

}  // namespace linetwin
