// The parts on a physics conveyor (`mode: physics`) in the viewer's LineView: a simulation shows
// each part where the run's physics world has it. Expected positions come from the engine's own
// LineRun of the same scene and seed, mapped onto the floor by the conveyor's pose and length:
// its middle, the belt along its yaw, a part's front `front` metres from the entry at the back.
// Without the physics layer (-DLINETWIN_PHYSICS=OFF) there is no world to ask: skipped.
#include <doctest/doctest.h>

#include <numbers>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "plant/line_run.hpp"
#include "recording/belt_parts.hpp"
#include "simulation_source.hpp"
#include "test_skip.hpp"
#if LINETWIN_PHYSICS
#include "physics/physics_conveyor.hpp"
#endif

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenePath =
    std::string(LINETWIN_SOURCE_DIR) + "/scenes/physics_conveyor_line.yaml";

// Whether this build simulates physics conveyors; installs Bullet's for every run if so.
bool physics_or_skip() {
#if LINETWIN_PHYSICS
  install_conveyor_physics(make_bullet_conveyors);
  return true;
#else
  test::skip_test("built without the physics layer (-DLINETWIN_PHYSICS=OFF)");
  return false;
#endif
}

}  // namespace

TEST_CASE("a physics belt's part size and a part's place on the floor, by the scene's numbers") {
  ConveyorSpec spec;
  spec.spacing_m = 1.2;
  // No part_size_m: one pitch long, half a pitch wide and high.
  CHECK(belt_part_size(spec) == std::array<double, 3>{1.2, 0.6, 0.6});
  spec.spacing_m = 2.0;  // half a pitch is wider than the belt: as wide as the belt
  CHECK(belt_part_size(spec)[1] == kConveyorWidth_m);
  spec.part_size_m = {1.5, 0.6, 0.4};
  CHECK(belt_part_size(spec) == spec.part_size_m);

  // A 6 m belt centred at (3, 1) running along +y: its entry is at y = -2; a 1.5 m part whose
  // front is 5 m in has its centre 4.25 m from the entry.
  const Pose conveyor{.x_m = 3.0, .y_m = 1.0, .yaw_deg = 90.0};
  const FloorPose at = belt_part_pose(conveyor, 6.0, 1.5, 5.0);
  CHECK(at.x_m == doctest::Approx(3.0));
  CHECK(at.y_m == doctest::Approx(-2.0 + 4.25));
  CHECK(at.heading_rad == doctest::Approx(std::numbers::pi / 2));
  CHECK(belt_part_front(conveyor, 6.0, 1.5, at.x_m, at.y_m) == doctest::Approx(5.0));
}

TEST_CASE("a simulated physics belt shows its parts where the run's world has them") {
  if (!physics_or_skip()) return;
  const Scene scene = load_scene_file(kScenePath);
  const ElementIndex c1 = *scene.find("C1");
  const ConveyorSpec& spec = scene.conveyor_spec(scene.element(c1));
  LineView view = layout_view(scene, ".");
  CHECK(view.elements[c1].part_size_m == std::array<double, 3>{1.5, 0.6, 0.4});
  CHECK(view.elements[c1].conveyor_length_m == spec.length_m);

  SimulationSource source(scene, scene.seed());
  LineRun run(scene, scene.seed(), 0);
  std::size_t seen_parts = 0;
  // Through the warm-up into the observed period, at instants between steps too.
  for (const double t : {600.0, 1800.5, 3600.0, 5400.25, 7200.0}) {
    CAPTURE(t);
    source.run_until(t);
    source.update(view);
    run.advance_to(t);
    std::vector<double> fronts;
    run.conveyor_positions(0, fronts);
    const ElementView& belt = view.elements[c1];
    CHECK(belt.part_positions_m == fronts);
    CHECK(belt.parts == run.parts_at(c1));
    CHECK(belt.part_positions_m.size() == belt.parts);
    // Head first, each part whole on the belt and a part's length behind the one ahead.
    for (std::size_t k = 0; k < fronts.size(); ++k) {
      CHECK(fronts[k] <= spec.length_m);
      CHECK(fronts[k] >= 0.0);
      if (k > 0) CHECK(fronts[k] <= fronts[k - 1] - spec.part_size_m[0] + 0.01);
    }
    seen_parts += fronts.size();
  }
  CHECK(seen_parts > 0);
}
