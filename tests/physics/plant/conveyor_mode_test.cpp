// A conveyor's `mode` key in the plant and io layers alone, without the physics layer: a program
// that gives a run no physics model (as this one, which does not link physics) refuses a scene
// with `mode: physics` at the run's first event, naming the file, the line and the field; the
// default and `mode: event` run as before, and a mode that is neither is refused when loaded.
#include <doctest/doctest.h>

#include <string>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_scenes.hpp"

namespace linetwin {
namespace {

// Line 9 holds the conveyor's mode.
std::string scene_with_mode(const std::string& mode) {
  return "linetwin_scene: 1\n"
         "name: conveyor mode\n"
         "seed: 3\n"
         "run: {duration: 1h, warmup: 0s}\n"
         "elements:\n"
         "  - {id: in, type: source, supply: unlimited, to: OP10}\n"
         "  - {id: OP10, type: station, processing: 10s, to: C1}\n"
         "  - {id: C1, type: conveyor, length_m: 5, speed_m_per_s: 0.5, spacing_m: 1,\n"
         "     mode: " +
         mode +
         ", to: OP20}\n"
         "  - {id: OP20, type: station, processing: 10s, to: out}\n"
         "  - {id: out, type: sink}\n";
}

TEST_CASE("a run given no physics model refuses mode: physics, naming file, line and field") {
  const Scene scene = load_scene_text(scene_with_mode("physics"), "cell.yaml");
  LineRun run(scene, 1, 0, test::from_start(3600.0));
  try {
    run.run_to_end();
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().file == "cell.yaml");
    CHECK(error.where().line == 9);
    CHECK(error.where().field_path == "elements[C1].mode");
    CHECK(error.message().find("mode: physics needs a build with Bullet (LINETWIN_PHYSICS=ON)") ==
          0);
  }
  // Nothing ran before the refusal: the model is made at the first event.
  CHECK(run.conveyor_physics() == nullptr);
}

TEST_CASE("mode: event is the default, and runs as a conveyor without the key") {
  const Scene with_key = load_scene_text(scene_with_mode("event"), "cell.yaml");
  std::string without = scene_with_mode("event");
  without.replace(without.find("     mode: event,"), 17, "    ");
  const Scene without_key = load_scene_text(without, "cell.yaml");
  const ReplicationResult a = LineRun(with_key, 1, 0, test::from_start(3600.0)).run_to_end();
  const ReplicationResult b = LineRun(without_key, 1, 0, test::from_start(3600.0)).run_to_end();
  CHECK(a.parts_completed == b.parts_completed);
  CHECK(a.conveyors.at(0).parts_transported == b.conveyors.at(0).parts_transported);
  // 10 s stations and a 10 s belt that takes a part every 2 s: the belt hands a part on every
  // 10 s from 20 s, the last station finishes one every 10 s from 30 s (the one due at the end
  // itself may or may not count).
  CHECK(a.conveyors.at(0).parts_transported >= (3600 - 20) / 10);
  CHECK(a.conveyors.at(0).parts_transported <= (3600 - 20) / 10 + 1);
  CHECK(a.parts_completed >= (3600 - 30) / 10);
  CHECK(a.parts_completed <= (3600 - 30) / 10 + 1);
}

TEST_CASE("a conveyor mode that is neither event nor physics is refused when loaded") {
  try {
    load_scene_text(scene_with_mode("bullet"), "cell.yaml");
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().line == 9);
    CHECK(error.where().field_path == "elements[C1].mode");
    CHECK(error.message() == "expected event or physics, found 'bullet'");
  }
}

}  // namespace
}  // namespace linetwin
