// Where an operator of a line run is at one instant (LineRun::operator_positions), for a viewer:
// read from the crew's state when asked, so that a run pays nothing for it on the event path.
#pragma once

#include <cstdint>

#include "plant/scene.hpp"

namespace linetwin {

enum class OperatorActivity : std::uint8_t {
  kIdle,       // free, or off duty, where its last task (or its pool's home) left it
  kWalking,    // on the way to the station of its task
  kAtStation,  // at the station of its task (setup, processing or repair)
};

struct OperatorPosition {
  std::uint32_t pool = 0;    // index into Scene::operator_pools()
  std::uint32_t number = 0;  // within its pool, from 0
  OperatorActivity activity = OperatorActivity::kIdle;
  bool on_duty = true;
  // Where it stands, or set off from when walking: its pool's home or the station of its last
  // task; kNoElement for a pool without a home that has had no task yet (the floor's origin).
  ElementIndex element = kNoElement;
  // Walking: the station it walks to, and the share of the walk done (0 to 1) at the walking
  // speed between the two poses; otherwise kNoElement and 0.
  ElementIndex walking_to = kNoElement;
  double fraction = 0.0;
  double x_m = 0.0;  // on the floor now: linear between the two poses while walking
  double y_m = 0.0;
};

}  // namespace linetwin
