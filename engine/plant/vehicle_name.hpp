// How results, recordings, the collision audit and the viewer name a fleet's vehicle: the
// fleet's id and the vehicle's number from 1 ("AGV#1"), one spelling for all of them.
#pragma once

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "plant/scene.hpp"

namespace linetwin {

// `vehicle` counts from 0 within the fleet.
inline std::string vehicle_name(const FleetSpec& fleet, std::uint32_t vehicle) {
  return fmt::format("{}#{}", fleet.id, vehicle + 1);
}

}  // namespace linetwin
