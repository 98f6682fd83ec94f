// The tracks a line run writes for its vehicles when asked (LineRun::record_vehicle_tracks): one
// per vehicle, with what a reader needs to place its body on the floor without the run's state.
#pragma once

#include <cstdint>

#include "transport/vehicle_track.hpp"

namespace linetwin {

struct TrackedVehicle {
  std::uint32_t fleet = 0;    // index into Scene::fleets()
  std::uint32_t vehicle = 0;  // its number within the fleet, from 0
  double width_m = 0.0;       // the footprint, centred on the track's pose, long along its heading
  double length_m = 0.0;
  // The footprint of its load while VehicleTrack::loaded_at, centred likewise; 0: within the
  // vehicle's own.
  double load_width_m = 0.0;
  double load_length_m = 0.0;
  VehicleTrack track;
};

}  // namespace linetwin
