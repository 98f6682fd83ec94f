// Physics conveyors on Bullet: the physics layer's ConveyorPhysics (plant/conveyor_physics.hpp),
// one btDiscreteDynamicsWorld per run holding every `mode: physics` belt of the run.
//
// Each chain of belts (a belt alone, or belts that feed each other end to end) lies along x in a
// lane of its own. A belt is a static box whose top surface drives the parts by friction (a
// part's contacts are given its belt's speed as the friction's target relative velocity, right
// after each step's collision detection), a static stop at the exit of a chain's last belt, and
// two photo-eyes as ghost objects: one at the exit (the head is at the exit, or at the junction
// with the next belt) and one over the entry (room for the next part). Parts are rigid boxes (the
// scene's part_size_m, by default one pitch long) that slide without turning, queue against the
// stop and each other by contact, and cross from one belt of a chain to the next as the same body.
// docs/physics.md ("Physics conveyors", "Transfers between belts") argues each choice and gives the
// sizes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "plant/conveyor_physics.hpp"

namespace linetwin {

// The fixed step: the photo-eyes' time resolution.
inline constexpr double kConveyorStepS = 1.0 / 240.0;

// A run's model of its physics belts, in order, with the belt each feeds end to end (feeds, as
// ConveyorPhysicsFactory says; empty: every belt alone): what LineRun::simulate_conveyors_with and
// install_conveyor_physics take. Each call makes a world of its own; nothing is shared or global,
// and the same calls in the same order give the same world, to the bit.
std::unique_ptr<ConveyorPhysics> make_bullet_conveyors(std::span<const ConveyorSpec> belts,
                                                       std::span<const std::uint32_t> feeds = {});

}  // namespace linetwin
