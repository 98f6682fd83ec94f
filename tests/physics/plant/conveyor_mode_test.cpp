// A conveyor's `mode` key in the plant and io layers alone, without the physics layer: a program
// that gives a run no physics model (as this one, which does not link physics) refuses a scene
// with `mode: physics` at the run's first event, naming the file, the line and the field; the
// default and `mode: event` run as before, and a mode that is neither is refused when loaded.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

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

TEST_CASE("Scene::physics_conveyors lists the physics belts as positions in conveyors()") {
  CHECK(load_scene_text(scene_with_mode("event"), "cell.yaml").physics_conveyors().empty());
  CHECK(load_scene_text(scene_with_mode("physics"), "cell.yaml").physics_conveyors() ==
        std::vector<std::size_t>{0});
  // Three belts, the middle one event: the first and the last, by their places among conveyors.
  const Scene mixed = load_scene_text(
      "linetwin_scene: 1\n"
      "name: mixed belts\n"
      "seed: 3\n"
      "run: {duration: 1h, warmup: 0s}\n"
      "elements:\n"
      "  - {id: in, type: source, supply: unlimited, to: C1}\n"
      "  - {id: C1, type: conveyor, length_m: 5, speed_m_per_s: 0.5, spacing_m: 1, mode: physics,\n"
      "     to: OP10}\n"
      "  - {id: OP10, type: station, processing: 10s, to: C2}\n"
      "  - {id: C2, type: conveyor, length_m: 5, speed_m_per_s: 0.5, spacing_m: 1, to: C3}\n"
      "  - {id: C3, type: conveyor, length_m: 5, speed_m_per_s: 0.5, spacing_m: 1, mode: physics,\n"
      "     to: out}\n"
      "  - {id: out, type: sink}\n",
      "mixed.yaml");
  REQUIRE(mixed.conveyors().size() == 3);
  CHECK(mixed.physics_conveyors() == std::vector<std::size_t>{0, 2});
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

// The error a scene with `mode` (line 9, after the key) gives when loaded.
InputError load_error(const std::string& mode) {
  try {
    load_scene_text(scene_with_mode(mode), "cell.yaml");
  } catch (const InputError& error) {
    return error;
  }
  FAIL("expected an InputError for mode: " << mode);
  return InputError({}, "");
}

TEST_CASE("part_size_m: one edge for a cube or [length, width, height], with mode: physics only") {
  const Scene cube = load_scene_text(scene_with_mode("physics, part_size_m: 0.4"), "cell.yaml");
  const std::array<double, 3> cube_edges = {0.4, 0.4, 0.4};
  CHECK(cube.conveyor_spec(cube.element(cube.conveyors().at(0))).part_size_m == cube_edges);
  const Scene box =
      load_scene_text(scene_with_mode("physics, part_size_m: [1.2, 0.5, 0.3]"), "cell.yaml");
  const std::array<double, 3> box_edges = {1.2, 0.5, 0.3};
  CHECK(box.conveyor_spec(box.element(box.conveyors().at(0))).part_size_m == box_edges);
  // Without the key: all zero, the default (a pitch long, half a pitch wide and high).
  const Scene plain = load_scene_text(scene_with_mode("physics"), "cell.yaml");
  CHECK(plain.conveyor_spec(plain.element(plain.conveyors().at(0))).part_size_m ==
        std::array<double, 3>{});

  struct Bad {
    std::string mode, field, message;
  };
  // The belt is 5 m long (length_m) and kConveyorWidth_m, 0.8 m, wide.
  const Bad bad[] = {
      {"event, part_size_m: 0.4", "elements[C1].part_size_m",
       "part_size_m is the size of a physics conveyor's parts; expected mode: physics, or no "
       "part_size_m"},
      {"physics, part_size_m: 0", "elements[C1].part_size_m",
       "expected a part's length > 0 m, found 0"},
      {"physics, part_size_m: [1, 0.5, -0.2]", "elements[C1].part_size_m[2]",
       "expected a part's height > 0 m, found -0.2"},
      {"physics, part_size_m: [1, 0.5]", "elements[C1].part_size_m",
       "expected [length, width, height] in metres, found 2 numbers"},
      {"physics, part_size_m: [1, wide, 0.5]", "elements[C1].part_size_m[1]",
       "expected a number, found 'wide'"},
      {"physics, part_size_m: [6, 0.5, 0.5]", "elements[C1].part_size_m[0]",
       "expected a part no longer than its belt (length_m 5 m), found 6 m"},
      {"physics, part_size_m: [1, 0.9, 0.5]", "elements[C1].part_size_m[1]",
       "expected a part no wider than the belt (0.8 m), found 0.9 m"},
      {"physics, part_size_m: 0.9", "elements[C1].part_size_m",
       "expected a part no wider than the belt (0.8 m), found 0.9 m"},
      {"physics, part_size: 0.4", "elements[C1].part_size", ""},
  };
  for (const Bad& b : bad) {
    CAPTURE(b.mode);
    const InputError error = load_error(b.mode);
    CHECK(error.where().file == "cell.yaml");
    CHECK(error.where().line == 9);
    CHECK(error.where().field_path == b.field);
    if (!b.message.empty()) CHECK(error.message() == b.message);
  }
}

}  // namespace
}  // namespace linetwin
