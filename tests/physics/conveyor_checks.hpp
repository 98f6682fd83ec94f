// What the physics conveyor tests share: a physics belt's spec, stepping a model until something
// holds, the tests' scenes, a scene with its physics conveyors made event conveyors, and the
// means over a scene's replications of what the agreement checks compare.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "io/scene_file.hpp"
#include "physics/physics_conveyor.hpp"
#include "plant/line_run.hpp"

namespace linetwin::test {

inline ConveyorSpec physics_belt(double length_m, double speed, double spacing_m,
                                 bool accumulating) {
  ConveyorSpec spec;
  spec.length_m = length_m;
  spec.speed_m_per_s = speed;
  spec.spacing_m = spacing_m;
  spec.accumulating = accumulating;
  spec.mode = ConveyorMode::kPhysics;
  return spec;
}

// Steps until `done` holds (at most `most` steps); the steps taken.
template <class Done>
std::uint64_t step_until(ConveyorPhysics& world, Done done, std::uint64_t most) {
  std::uint64_t steps = 0;
  while (!done() && steps < most) {
    world.step();
    ++steps;
  }
  return steps;
}

inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string physics_scene_path(const std::string& name) {
  return std::string(LINETWIN_SOURCE_DIR) + "/tests/physics/scenes/" + name;
}

// The scene with its physics conveyors turned into event conveyors, and nothing else changed.
inline Scene as_event_scene(const std::string& path) {
  std::string text = file_text(path);
  for (std::size_t at = text.find("mode: physics"); at != std::string::npos;
       at = text.find("mode: physics"))
    text.replace(at, 13, "mode: event");
  return load_scene_text(text, path);
}

// Physics against events: the mean over the replications of throughput, and of one conveyor's
// head-blocked share (a non-accumulating belt stands still exactly while its head is refused).
struct ConveyorMeans {
  double throughput_per_hour = 0.0;
  double head_blocked = 0.0;
  std::uint64_t steps = 0;
  std::uint64_t bodies = 0;
};

// Replications 0 to reps - 1 (by default, as many as the scene asks for).
inline ConveyorMeans run_all(const Scene& scene, bool physics, std::size_t conveyor = 0,
                             std::uint32_t reps = 0) {
  ConveyorMeans means;
  if (reps == 0) reps = scene.run_settings().replications;
  for (std::uint32_t r = 0; r < reps; ++r) {
    LineRun run(scene, scene.seed(), r);
    if (physics) run.simulate_conveyors_with(make_bullet_conveyors);
    const ReplicationResult result = run.run_to_end();
    means.throughput_per_hour += result.throughput_per_hour / reps;
    means.head_blocked += result.conveyors.at(conveyor).stopped / reps;
    if (physics) {
      means.steps += run.conveyor_physics()->steps();
      means.bodies += run.conveyor_physics()->bodies();
    }
  }
  return means;
}

// The acceptance for the scene at `path` (ten replications of its hour, whatever number its
// run settings give the command line), as it is and with
// its physics conveyors made event conveyors: throughput within 2%, and the head-blocked share of
// `conveyor`, a non-accumulating belt the scene blocks a good share of the time (so that agreeing
// is not agreeing on 0), within 0.02. The physics runs' means.
inline ConveyorMeans check_agreement(const std::string& path, std::size_t conveyor) {
  const Scene physics_scene = load_scene_file(path);
  const Scene event_scene = as_event_scene(path);
  REQUIRE(physics_scene.run_settings().duration_s == 3600.0);
  const ConveyorMeans physics = run_all(physics_scene, true, conveyor, 10);
  const ConveyorMeans events = run_all(event_scene, false, conveyor, 10);
  MESSAGE(fmt::format(
      "{}, 10 x 1 h: throughput {:.3f} (physics) and {:.3f} (event) parts/h; conveyor {} head "
      "blocked {:.4f} and {:.4f}; {} physics steps, {} bodies",
      path.substr(path.rfind('/') + 1), physics.throughput_per_hour, events.throughput_per_hour,
      conveyor, physics.head_blocked, events.head_blocked, physics.steps, physics.bodies));
  CHECK(events.throughput_per_hour > 0.0);
  CHECK(std::abs(physics.throughput_per_hour - events.throughput_per_hour) <=
        0.02 * events.throughput_per_hour);
  CHECK(events.head_blocked > 0.1);
  CHECK(std::abs(physics.head_blocked - events.head_blocked) <= 0.02);
  return physics;
}

}  // namespace linetwin::test
