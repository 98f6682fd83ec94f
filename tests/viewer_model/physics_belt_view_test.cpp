// The parts on a physics conveyor (`mode: physics`) in the viewer's LineView and in a recording:
// a simulation shows each part where the run's physics world has it, a recording holds each as a
// place on the belt ("C1 part 1" the head, ...) at the recording's rate, and a replay of it shows
// what the simulation showed at a sampled instant. Expected positions come from the engine's own
// LineRun of the same scene and seed, mapped onto the floor by the conveyor's pose and length:
// its middle, the belt along its yaw, a part's front `front` metres from the entry at the back.
// Without the physics layer (-DLINETWIN_PHYSICS=OFF) there is no world to ask: skipped.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "plant/line_run.hpp"
#include "plant/station_observer.hpp"
#include "recording/belt_parts.hpp"
#include "recording/simulation_recording.hpp"
#include "recording/telemetry_recording.hpp"
#include "replay_source.hpp"
#include "simulation_source.hpp"
#include "test_files.hpp"
#include "test_skip.hpp"
#if LINETWIN_PHYSICS
#include "physics/physics_conveyor.hpp"
#endif

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenePath =
    std::string(LINETWIN_SOURCE_DIR) + "/scenes/physics_conveyor_line.yaml";
constexpr double kRateHz = 4.0;

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

// Where the centre of a part `front_m` along the belt stands, worked out from the scene's numbers.
struct FloorPoint {
  double x_m;
  double y_m;
};
FloorPoint centre_on_floor(const Pose& conveyor, double length_m, double part_length_m,
                           double front_m) {
  const double yaw = conveyor.yaw_deg * std::numbers::pi / 180.0;
  const double from_middle = -length_m / 2 + front_m - part_length_m / 2;
  return {conveyor.x_m + from_middle * std::cos(yaw), conveyor.y_m + from_middle * std::sin(yaw)};
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
  CHECK(belt_part_body_id("C1", 0) == "C1 part 1");
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

TEST_CASE("a recording holds a physics belt's parts at its rate, and a replay shows them") {
  if (!physics_or_skip()) return;
  const Scene scene = load_scene_file(kScenePath);
  const ElementIndex c1 = *scene.find("C1");
  const Element& conveyor = scene.element(c1);
  const ConveyorSpec& spec = scene.conveyor_spec(conveyor);
  RunSettings settings = scene.run_settings();
  settings.duration_s = 1800.0;
  settings.warmup_s = 0.0;

  const test::TempDir dir;
  SimulationRecordingSettings recording_settings;
  recording_settings.path = dir.path() + "/belt.h5";
  recording_settings.trajectory_rate_hz = kRateHz;
  record_simulation(scene, "", scene.seed(), 0, settings, recording_settings);
  Recording recording = read_recording(recording_settings.path);

  // One place per part the belt holds at its pitch, floor(6 m / 1 m), head first, each with the
  // footprint of the belt's part.
  const std::vector<RecordedBody>& bodies = recording.metadata.bodies;
  REQUIRE(bodies.size() == 6);
  for (std::uint32_t place = 0; place < bodies.size(); ++place) {
    CHECK(bodies[place].id == "C1 part " + std::to_string(place + 1));
    CHECK(bodies[place].shape.length_m == 1.5);
    CHECK(bodies[place].shape.width_m == 0.6);
  }

  // Each place's pose at an instant is its last row at or before it: replayed row by row, it
  // equals where the run's world had the k-th part from the head at every instant k / rate.
  std::vector<const BodyPose*> last(bodies.size(), nullptr);
  std::size_t row = 0;
  LineRun run(scene, scene.seed(), 0, settings);
  std::vector<double> fronts;
  std::size_t instants_with_parts = 0;
  for (std::uint64_t k = 0; k <= static_cast<std::uint64_t>(settings.duration_s * kRateHz); ++k) {
    const double t = static_cast<double>(k) / kRateHz;
    const std::int64_t t_us = recording_settings.start_time_us + std::llround(t * 1e6);
    for (; row < recording.trajectories.size() && recording.trajectories[row].timestamp_us <= t_us;
         ++row) {
      REQUIRE(recording.trajectories[row].timestamp_us == t_us);  // only at the rate's instants
      last[recording.trajectories[row].body] = &recording.trajectories[row];
    }
    run.advance_to(t);
    run.conveyor_positions(0, fronts);
    CAPTURE(t);
    for (std::size_t place = 0; place < bodies.size(); ++place) {
      REQUIRE(last[place] != nullptr);  // every place has a row at instant 0
      const BodyPose& pose = *last[place];
      if (place >= fronts.size()) {
        CHECK(pose.state == BodyState::kParked);
        continue;
      }
      CHECK(pose.state != BodyState::kParked);
      const FloorPoint expected =
          centre_on_floor(conveyor.pose, spec.length_m, spec.part_size_m[0], fronts[place]);
      CHECK(pose.x_m == doctest::Approx(expected.x_m).epsilon(1e-12));
      CHECK(pose.y_m == doctest::Approx(expected.y_m).epsilon(1e-12));
      CHECK(pose.heading_rad == doctest::Approx(0.0));
    }
    if (!fronts.empty()) ++instants_with_parts;
  }
  CHECK(row == recording.trajectories.size());
  CHECK(instants_with_parts > 0);

  // The replay at a sampled instant shows the parts the simulation shows there.
  ReplaySource replay(scene, std::move(recording.log), bodies, recording.trajectories);
  REQUIRE(replay.start_us() == recording_settings.start_time_us);
  SimulationSource simulated(scene, scene.seed(), settings);
  LineView replayed_view = layout_view(scene, ".");
  LineView simulated_view = layout_view(scene, ".");
  for (const double t : {300.0, 900.25, 1500.0}) {
    CAPTURE(t);
    replay.seek(t);
    replay.update(replayed_view);
    simulated.run_until(t);
    simulated.update(simulated_view);
    const std::vector<double>& shown = replayed_view.elements[c1].part_positions_m;
    const std::vector<double>& expected = simulated_view.elements[c1].part_positions_m;
    REQUIRE(shown.size() == expected.size());
    for (std::size_t k = 0; k < shown.size(); ++k)
      CHECK(shown[k] == doctest::Approx(expected[k]).epsilon(1e-9));
    CHECK(replayed_view.elements[c1].parts == expected.size());
  }
}

TEST_CASE("a simulated physics line steps to the next station change without a copy of its run") {
  if (!physics_or_skip()) return;
  const Scene scene = load_scene_file(kScenePath);
  SimulationSource source(scene, scene.seed());
  // The instant each step should reach: the first report later than the step's start, as a run
  // of the same scene and seed observed from there tells it.
  struct FirstChange final : StationObserver {
    double after_s = 0.0;
    std::optional<double> at_s;
    void on_station_report(const StationReport& report) override {
      if (report.time_s > after_s && !at_s) at_s = report.time_s;
    }
  };
  LineRun reference(scene, scene.seed(), 0);
  source.run_until(3600.0);
  reference.advance_to(3600.0);
  for (int step = 0; step < 5; ++step) {
    CAPTURE(step);
    FirstChange first;
    first.after_s = reference.now();
    reference.observe(&first);
    for (double window = 1.0; !first.at_s; window *= 2.0)
      reference.advance_to(first.after_s + window);
    reference.observe(nullptr);
    source.step();
    CHECK(source.time_s() > first.after_s);
    CHECK(source.time_s() == doctest::Approx(*first.at_s).epsilon(1e-12));
    // The reference went on past the instant; the next step starts from where the source is.
    reference = LineRun(scene, scene.seed(), 0);
    reference.advance_to(source.time_s());
  }
}
