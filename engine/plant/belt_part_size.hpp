// The box a physics conveyor's part is: one rule for the physics world that moves the parts and
// for the recordings and the viewer that show them.
#pragma once

#include <algorithm>
#include <array>

#include "plant/conveyor_belt.hpp"

namespace linetwin {

// Length (along the belt), width and height, in metres: the scene's part_size_m, or by default one
// pitch long, half a pitch high and half a pitch (at most the belt's width) wide.
inline std::array<double, 3> belt_part_size(const ConveyorSpec& spec) {
  if (spec.part_size_m != std::array<double, 3>{}) return spec.part_size_m;
  return {spec.spacing_m, std::min(0.5 * spec.spacing_m, kConveyorWidth_m), 0.5 * spec.spacing_m};
}

}  // namespace linetwin
