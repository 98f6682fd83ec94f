#include "recording/belt_parts.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace linetwin {

std::array<double, 3> belt_part_size(const ConveyorSpec& spec) {
  if (spec.part_size_m != std::array<double, 3>{}) return spec.part_size_m;
  return {spec.spacing_m, std::min(0.5 * spec.spacing_m, kConveyorWidth_m), 0.5 * spec.spacing_m};
}

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

}  // namespace linetwin
