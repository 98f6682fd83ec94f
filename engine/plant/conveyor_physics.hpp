// ConveyorPhysics: what a line run needs of a physics simulation of its `mode: physics` conveyors
// (docs/physics.md, "Physics conveyors"). The plant layer owns this interface and never includes
// the physics layer; physics/physics_conveyor.hpp implements it on Bullet, and a program that
// links it gives a run the factory before the run's first event (LineRun::simulate_conveyors_with,
// or install_conveyor_physics for every run of the process).
//
// One model per run holds every physics belt of that run (belt b is the run's b-th physics
// conveyor in Scene::conveyors() order). Belts that feed each other directly form chains that lie
// end to end, and a part goes from one to the next as a body crossing the junction: the run offers
// the head at the junction's photo-eye to the next belt as to any target, and that belt's load()
// takes the body over (docs/physics.md, "Transfers between belts"). Time moves in fixed steps of
// step_s(): the run calls step() at the end time of each step while awake() says a part moves, and
// reads the photo-eyes after it, so a photo-eye's change is an event of the run at the step where
// it happens. A change the run makes (a load, an unload, a head refused) takes effect at the run's
// clock, which is at most one step ahead of the world: the world never runs past the run's next
// event.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "plant/conveyor_belt.hpp"

namespace linetwin {

// No physics belt: an event conveyor's, or the belt a belt feeds when it feeds none end to end.
inline constexpr std::uint32_t kNoPhysicsBelt = std::numeric_limits<std::uint32_t>::max();

class ConveyorPhysics {
 public:
  virtual ~ConveyorPhysics() = default;

  // The fixed step, in seconds: the time resolution of the photo-eyes.
  virtual double step_s() const = 0;
  // Advances the world one step. Called only while awake().
  virtual void step() = 0;
  // Whether a part on any belt moves or may move: false once every part has come to rest and
  // sleeps, or no belt carries one. A run steps the world only while this is true.
  virtual bool awake() const = 0;

  // The photo-eyes of belt `belt` as of the last step or change: the head (the part loaded first)
  // has reached the exit; the entry has room for the next part (the part loaded last has moved a
  // pitch, spacing_m, and the belt holds fewer parts than its capacity).
  virtual bool head_at_exit(std::uint32_t belt) const = 0;
  virtual bool entry_clear(std::uint32_t belt) const = 0;

  // A part put on the belt at its entry, moving with the belt. Precondition: entry_clear(belt).
  // On a belt that another feeds end to end, the part is that belt's head, at the junction: the
  // same body goes on, now this belt's (precondition: head_at_exit of the feeding belt), and the
  // feeding belt's unload() follows.
  virtual void load(std::uint32_t belt) = 0;
  // The head leaves at the exit (precondition: head_at_exit(belt), or the next belt in its chain
  // took it over); a stopped belt runs again.
  virtual void unload(std::uint32_t belt, double now) = 0;
  // The head at the exit was refused downstream: a non-accumulating belt stops until the next
  // unload; on an accumulating one the parts behind it queue up against it. The head stands
  // against the stop, or, at a junction, is held where it is.
  virtual void head_blocked(std::uint32_t belt, double now) = 0;
  // Total time the belt has stood still up to `now` (0 for an accumulating belt).
  virtual double stopped_time_s(std::uint32_t belt, double now) const = 0;
  // Where each part's front is, metres from the entry, head first: what a viewer draws.
  virtual void positions(std::uint32_t belt, std::vector<double>& out) const = 0;

  // What the simulation cost: steps taken, parts that were bodies in the world, and the most
  // bodies at once.
  virtual std::uint64_t steps() const = 0;
  virtual std::uint64_t bodies() const = 0;
  virtual std::uint64_t most_bodies() const = 0;
};

// Makes one run's model for its physics belts, in order; feeds[b] is the belt that belt b feeds end
// to end, or kNoPhysicsBelt (empty feeds: none does). The chains are paths: a belt feeds at most
// one and is fed by at most one, and no chain comes back to a belt it left. Called once per run,
// on the thread that runs it; each model is independent of every other.
using ConveyorPhysicsFactory = std::function<std::unique_ptr<ConveyorPhysics>(
    std::span<const ConveyorSpec> belts, std::span<const std::uint32_t> feeds)>;

// The factory every run uses that was given none: a program that links the physics layer installs
// it once, before it starts any run (runs made by the experiment layer, on its threads, then
// simulate physics conveyors too). Not synchronised: install before runs start, never during.
void install_conveyor_physics(ConveyorPhysicsFactory factory);

}  // namespace linetwin
