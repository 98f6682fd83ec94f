// Physics conveyors on Bullet: the physics layer's ConveyorPhysics (plant/conveyor_physics.hpp),
// one btDiscreteDynamicsWorld per run holding every `mode: physics` belt of the run.
//
// Each belt lies along x in a lane of its own: a static box whose top surface drives the parts by
// friction (its contacts with parts are given the belt's speed as the friction's target relative
// velocity, right after each step's collision detection), a static stop at the exit, and two
// photo-eyes as ghost objects: one just before the stop (the head is at the exit) and one over the
// entry (room for the next part). Parts are rigid boxes, one pitch long, that slide without turning
// and queue against the stop and each other by contact. docs/physics.md ("Physics conveyors")
// argues each choice and gives the sizes.
#pragma once

#include <memory>
#include <span>

#include "plant/conveyor_physics.hpp"

namespace linetwin {

// The fixed step: the photo-eyes' time resolution.
inline constexpr double kConveyorStepS = 1.0 / 240.0;

// A run's model of its physics belts, in order: what LineRun::simulate_conveyors_with and
// install_conveyor_physics take. Each call makes a world of its own; nothing is shared or global,
// and the same calls in the same order give the same world, to the bit.
std::unique_ptr<ConveyorPhysics> make_bullet_conveyors(std::span<const ConveyorSpec> belts);

}  // namespace linetwin
