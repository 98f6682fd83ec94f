// Physics belts that feed each other end to end (docs/physics.md, "Transfers between belts"): a
// part crosses the junction as the same body, in the time the belts' lengths and speeds give; a
// faster belt downstream opens the gaps by v2 / v1; a blocked end makes one queue by contact over
// both belts; the chain scene agrees with the event model (the acceptance: throughput
// within 2%, head-blocked share within 0.02 over ten replications of an hour); and the same seed
// gives the same run, to the bit.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/scene_file.hpp"
#include "physics/conveyor_checks.hpp"
#include "physics/physics_conveyor.hpp"
#include "plant/line_run.hpp"
#include "test_scenes.hpp"

namespace linetwin {
namespace {

using test::physics_belt;
using test::step_until;

constexpr double kStep = kConveyorStepS;
constexpr double kExitEye = 0.01;  // the exit's beam before the stop, as physics.md gives it
// How fast friction changes a part's speed: Bullet's friction between two bodies is the product of
// theirs, 0.6 for the part and the belt alike.
constexpr double kFrictionAccel = 0.6 * 0.6 * 9.81;
// Belt 0 feeds belt 1 end to end.
constexpr std::array<std::uint32_t, 2> kChain = {1, kNoPhysicsBelt};

// The belts' model, stepped as a run drives it: a part offered to belt 1 whenever belt 0's head
// is at the junction, taken over if belt 1's entry is clear and held there otherwise; belt 1's
// head refused for good when `blocked_end` (else left to run off the end of the belt).
struct Chain {
  std::array<ConveyorSpec, 2> specs;
  std::unique_ptr<ConveyorPhysics> world;
  bool head_held = false;
  bool end_refused = false;

  Chain(const ConveyorSpec& first, const ConveyorSpec& second)
      : specs{first, second}, world(make_bullet_conveyors(specs, kChain)) {}

  void hand_on(bool blocked_end) {
    if (world->head_at_exit(0)) {
      if (world->entry_clear(1)) {
        world->load(1);
        world->unload(0, 0.0);
        head_held = false;
      } else if (!head_held) {
        world->head_blocked(0, 0.0);
        head_held = true;
      }
    }
    if (blocked_end && !end_refused && world->head_at_exit(1)) {
      world->head_blocked(1, 0.0);
      end_refused = true;
    }
  }
  std::vector<double> fronts(std::uint32_t belt) const {
    std::vector<double> out;
    world->positions(belt, out);
    return out;
  }
};

TEST_CASE("a part crosses two belts at one speed as one body, in (L1 + L2 - 0.01 m) / v") {
  Chain chain(physics_belt(4.0, 0.5, 1.0, true), physics_belt(3.0, 0.5, 1.0, true));
  ConveyorPhysics& world = *chain.world;
  world.load(0);
  const std::uint64_t to_junction = step_until(
      world, [&] { return world.head_at_exit(0); }, 10'000);
  // The junction's eye sees the front 0.01 m before belt 1's end, in the step it crosses it.
  const double at_junction = (4.0 - kExitEye) / 0.5;
  CHECK(static_cast<double>(to_junction) * kStep >= at_junction - kStep);
  CHECK(static_cast<double>(to_junction) * kStep <= at_junction + kStep);
  REQUIRE(world.entry_clear(1));
  world.load(1);
  world.unload(0, 0.0);
  CHECK_FALSE(world.head_at_exit(0));
  CHECK(chain.fronts(0).empty());
  CHECK(chain.fronts(1).size() == 1);
  CHECK(world.bodies() == 1);  // taken over, not made anew
  CHECK(world.most_bodies() == 1);
  const std::uint64_t to_end = step_until(
      world, [&] { return world.head_at_exit(1); }, 10'000);
  const double through = (4.0 + 3.0 - kExitEye) / 0.5;
  const double taken = static_cast<double>(to_junction + to_end) * kStep;
  CHECK(taken >= through - kStep);
  CHECK(taken <= through + kStep);
  CHECK(world.bodies() == 1);
}

TEST_CASE("at two speeds: (L1 - 0.01 m) / v1 + L2 / v2, plus friction's change of speed") {
  const double v1 = 0.5;
  const double v2 = 1.0;
  Chain chain(physics_belt(4.0, v1, 1.0, true), physics_belt(3.0, v2, 1.0, true));
  ConveyorPhysics& world = *chain.world;
  world.load(0);
  std::uint64_t steps = 0;
  while (!world.head_at_exit(1) && steps < 10'000) {
    world.step();
    ++steps;
    chain.hand_on(false);
  }
  // Taken over at the junction's eye, the part speeds up from v1 to v2 at 0.36 g, falling behind
  // a part at v2 from the junction by (v2 - v1)^2 / (2 x 0.36 g) metres, that over v2 in time.
  const double ideal = (4.0 - kExitEye) / v1 + 3.0 / v2;
  const double lag = (v2 - v1) * (v2 - v1) / (2 * kFrictionAccel * v2);
  const double taken = static_cast<double>(steps) * kStep;
  MESSAGE(
      fmt::format("through both: {:.4f} s; (L1 - 0.01) / v1 + L2 / v2 = {:.4f} s, plus {:.4f} s",
                  taken, ideal, lag));
  CHECK(taken >= ideal + lag - 2 * kStep);
  CHECK(taken <= ideal + lag + 2 * kStep);
  CHECK(world.bodies() == 1);
}

TEST_CASE("a belt twice as fast downstream opens the gaps between parts twice as wide") {
  const double v1 = 0.5;
  const double v2 = 1.0;
  // Belt 1 holds the three parts before the first reaches the junction, belt 2 after the third
  // is wholly on it and before the first reaches its exit.
  Chain chain(physics_belt(6.0, v1, 1.0, true), physics_belt(12.0, v2, 1.0, true));
  ConveyorPhysics& world = *chain.world;
  int loaded = 0;
  std::vector<double> on_first;
  std::vector<double> on_second;
  for (int steps = 0; steps < 100'000 && on_second.empty(); ++steps) {
    if (loaded < 3 && world.entry_clear(0)) {
      world.load(0);
      ++loaded;
    }
    world.step();
    chain.hand_on(false);
    const std::vector<double> first = chain.fronts(0);
    const std::vector<double> second = chain.fronts(1);
    // Three parts on belt 1, the last one 2 m in (at belt speed since loaded).
    if (on_first.empty() && first.size() == 3 && first[2] >= 2.0) on_first = first;
    // Three on belt 2, the last one's back 2 m in: well past its speed change (0.14 s, 3.5 cm).
    if (second.size() == 3 && second[2] >= 3.0) on_second = second;
  }
  REQUIRE(on_first.size() == 3);
  REQUIRE(on_second.size() == 3);
  for (std::size_t k = 0; k + 1 < 3; ++k) {
    const double gap_first = on_first[k] - on_first[k + 1];
    const double gap_second = on_second[k] - on_second[k + 1];
    CAPTURE(gap_first);
    CAPTURE(gap_second);
    // Each part is taken over in the step its front crosses the junction's eye, so up to one
    // step of its run to the eye is at v1 where the one before it had v2: v2 x step at most.
    CHECK(std::abs(gap_second - gap_first * v2 / v1) <= v2 * kStep);
    // And belt 1 loaded them a pitch apart, within the step the entry's eye took to see it.
    CHECK(gap_first >= 1.0 - 1e-6);
    CHECK(gap_first <= 1.0 + v1 * kStep + 1e-6);
  }
  CHECK(world.bodies() == 3);
}

// Fills both belts behind a refused end until every part rests: the fronts of the parts over the
// whole lane (belt 2's shifted by belt 1's length), head first.
std::vector<double> queue_behind_blocked_end(Chain& chain) {
  ConveyorPhysics& world = *chain.world;
  for (int steps = 0; steps < 200'000; ++steps) {
    if (world.entry_clear(0)) world.load(0);
    chain.hand_on(true);
    if (!world.awake()) break;
    world.step();
  }
  CHECK_FALSE(world.awake());
  std::vector<double> lane;
  for (double front : chain.fronts(1))
    lane.push_back(chain.specs[0].length_m + front);
  for (double front : chain.fronts(0))
    lane.push_back(front);
  return lane;
}

TEST_CASE("a blocked end makes one queue by contact over both belts, a part's length apart") {
  // Accumulating both: 4 parts of 1 m against belt 2's stop, and 5 behind them on belt 1, the
  // head held at the junction against belt 2's last part.
  Chain chain(physics_belt(5.0, 0.5, 1.0, true), physics_belt(4.0, 0.5, 1.0, true));
  const std::vector<double> lane = queue_behind_blocked_end(chain);
  CHECK(chain.fronts(1).size() == 4);
  CHECK(chain.fronts(0).size() == 5);
  REQUIRE(lane.size() == 9);
  // The head against belt 2's stop, at the end of the lane; every part a part's length (1 m)
  // behind the one before, touching it (no gap and no overlap beyond 1 cm).
  CHECK(std::abs(lane[0] - 9.0) < 0.01);
  for (std::size_t k = 0; k + 1 < lane.size(); ++k) {
    CAPTURE(k);
    CHECK(lane[k] - lane[k + 1] >= 1.0 - 0.01);
    CHECK(lane[k] - lane[k + 1] <= 1.0 + 0.01);
  }
  CHECK(chain.world->bodies() == 9);
  CHECK(chain.world->stopped_time_s(0, 100.0) == 0.0);
}

TEST_CASE("a blocked end stops a non-accumulating belt upstream, its head held at the junction") {
  Chain chain(physics_belt(5.0, 0.5, 1.0, false), physics_belt(4.0, 0.5, 1.0, true));
  const std::vector<double> lane = queue_behind_blocked_end(chain);
  REQUIRE(chain.fronts(1).size() == 4);
  REQUIRE_FALSE(chain.fronts(0).empty());
  // Belt 1's head stands at the junction, behind belt 2's last part, with no overlap.
  const double head = chain.fronts(0).front();
  CHECK(head >= 5.0 - kExitEye - 0.03);
  CHECK(head <= 5.0);
  for (std::size_t k = 0; k + 1 < lane.size(); ++k)
    CHECK(lane[k] - lane[k + 1] >= 1.0 - 0.01);
  // Stopped since its head was refused (at time 0 in this drive of the model).
  CHECK(chain.world->stopped_time_s(0, 100.0) == 100.0);
  // Belt 2 takes the held head once its own head leaves: same body, belt 1 runs again.
  const std::uint64_t bodies = chain.world->bodies();
  chain.world->unload(1, 100.0);
  step_until(
      *chain.world, [&] { return chain.world->entry_clear(1); }, 10'000);
  REQUIRE(chain.world->head_at_exit(0));
  chain.world->load(1);
  chain.world->unload(0, 101.0);
  CHECK(chain.world->stopped_time_s(0, 200.0) == 101.0);
  CHECK(chain.world->bodies() == bodies);
}

const std::string kChainScene = "scenes/physics_conveyor_chain.yaml";

// OP10 finishes a part every 20 s onto C1 (4 m at 0.5 m/s, a 1 m pitch), which feeds C2 (3 m at
// 0.5 m/s, a pitch of `second_pitch_m`), then OP20 takes 1 s: no part ever waits.
Scene two_belts(const std::string& second_pitch_m) {
  return load_scene_text(
      "linetwin_scene: 1\n"
      "name: two belts\n"
      "seed: 1\n"
      "run: {duration: 1h, warmup: 0s}\n"
      "elements:\n"
      "  - {id: in, type: source, supply: unlimited, to: OP10}\n"
      "  - {id: OP10, type: station, processing: 20s, to: C1}\n"
      "  - {id: C1, type: conveyor, length_m: 4, speed_m_per_s: 0.5, spacing_m: 1,\n"
      "     mode: physics, to: C2}\n"
      "  - {id: C2, type: conveyor, length_m: 3, speed_m_per_s: 0.5,\n"
      "     spacing_m: " +
          second_pitch_m +
          ", mode: physics, to: OP20}\n"
          "  - {id: OP20, type: station, processing: 1s, to: out}\n"
          "  - {id: out, type: sink}\n",
      "two_belts.yaml");
}

TEST_CASE("in a run, every part passes both belts as one body, in the belts' times") {
  // OP10 finishes a part every 20 s, far apart on the belts; OP20 takes 1 s: no part ever waits,
  // so each part's lead time is OP10's 20 s, the chain's (L1 + L2 - 0.01) / v, and OP20's 1 s.
  const Scene scene = two_belts("1");
  LineRun run(scene, 1, 0);
  run.simulate_conveyors_with(make_bullet_conveyors);
  const ReplicationResult result = run.run_to_end();
  const ConveyorPhysics& physics = *run.conveyor_physics();
  const std::uint64_t first = result.conveyors.at(0).parts_transported;
  const std::uint64_t second = result.conveyors.at(1).parts_transported;
  CHECK(first >= 3600 / 20 - 2);
  // Every part that left belt 1 went onto belt 2, and every part belt 1 took was one body.
  CHECK(first == second + run.parts_at(scene.conveyors().at(1)));
  CHECK(physics.bodies() == first + run.parts_at(scene.conveyors().at(0)));
  CHECK(physics.most_bodies() == 1);
  const double lead = 20.0 + (4.0 + 3.0 - kExitEye) / 0.5 + 1.0;
  CHECK(result.lead_time_mean_s >= lead - kStep);
  CHECK(result.lead_time_mean_s <= lead + kStep);
}

TEST_CASE("belts whose parts differ hand them on through the run, not as one body") {
  // C2's pitch is half C1's, so its default part is half as long: the body C1 carries could not be
  // C2's part. Each belt then has a stop and makes its own bodies, two per part.
  const Scene scene = two_belts("0.5");
  LineRun run(scene, 1, 0);
  run.simulate_conveyors_with(make_bullet_conveyors);
  const ReplicationResult result = run.run_to_end();
  const std::uint64_t first = result.conveyors.at(0).parts_transported;
  const std::uint64_t second = result.conveyors.at(1).parts_transported;
  CHECK(first >= 3600 / 20 - 2);
  CHECK(run.conveyor_physics()->bodies() == first + run.parts_at(scene.conveyors().at(0)) + second +
                                                run.parts_at(scene.conveyors().at(1)));
}

TEST_CASE("the chain scene: physics and event models agree within 2% and 0.02 of head blocked") {
  const std::string path = std::string(LINETWIN_SOURCE_DIR) + "/" + kChainScene;
  // C1, the belt that feeds the lane, stops exactly while its head is refused at the junction.
  const test::ConveyorMeans physics = test::check_agreement(path, 0);
  CHECK(physics.bodies > 0);
}

TEST_CASE("the chain scene: the same seed gives the same physics run, to the bit") {
  const Scene scene = test::bundled_scene(kChainScene);
  auto once = [&] {
    LineRun run(scene, scene.seed(), 2, test::from_start(1200.0));
    run.simulate_conveyors_with(make_bullet_conveyors);
    const ReplicationResult result = run.run_to_end();
    const ConveyorPhysics& physics = *run.conveyor_physics();
    return std::vector<double>{result.throughput_per_hour,
                               result.lead_time_mean_s,
                               result.conveyors.at(0).stopped,
                               result.conveyors.at(0).occupancy_mean,
                               result.conveyors.at(1).occupancy_mean,
                               static_cast<double>(result.events),
                               static_cast<double>(physics.steps()),
                               static_cast<double>(physics.bodies())};
  };
  const std::vector<double> first = once();
  const std::vector<double> second = once();
  CHECK(first.at(0) > 0.0);
  CHECK(std::memcmp(first.data(), second.data(), first.size() * sizeof(double)) == 0);
}

}  // namespace
}  // namespace linetwin
