// The vehicles in the viewer's LineView: a simulation puts each where its exact track says at the
// run's time, a replay of an HDF5 recording where its last /trajectories row at or before the time
// says, and a scene without fleets has none. The expected poses come from the engine's own
// LineRun of the same scene and seed, not from the viewer.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "layout_view.hpp"
#include "plant/line_run.hpp"
#include "recording/simulation_recording.hpp"
#include "recording/telemetry_recording.hpp"
#include "replay_source.hpp"
#include "simulation_source.hpp"
#include "test_files.hpp"
#include "test_scenes.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

constexpr std::uint64_t kSeed = 5;
constexpr double kRateHz = 5.0;
constexpr double kObservedS = 1800.0;

struct MovingInstant {
  std::size_t vehicle = 0;
  double t_s = 0.0;  // an instant k / kRateHz, so that a recording has a row there
};

// The instant of the recording's rate nearest the middle of the first drive of the run.
MovingInstant first_moving_instant(const std::vector<TrackedVehicle>& tracks) {
  std::optional<MovingInstant> first;
  for (std::size_t v = 0; v < tracks.size(); ++v) {
    const auto drives = tracks[v].track.drives();
    if (drives.empty()) continue;
    const double middle = drives.front().start_s + drives.front().profile.total_time_s() / 2.0;
    const double t = std::round(middle * kRateHz) / kRateHz;
    if (!first || t < first->t_s) first = MovingInstant{v, t};
  }
  REQUIRE(first);
  return *first;
}

void check_vehicles(const LineView& view, const std::vector<TrackedVehicle>& tracks, double t_s) {
  REQUIRE(view.vehicles.size() == tracks.size());
  for (std::size_t v = 0; v < tracks.size(); ++v) {
    CAPTURE(v);
    const VehicleView& vehicle = view.vehicles[v];
    const VehicleTrack& track = tracks[v].track;
    CHECK(vehicle.length_m == tracks[v].length_m);
    CHECK(vehicle.width_m == tracks[v].width_m);
    const std::optional<FloorPose> pose = track.pose_at(t_s);
    if (!pose) {
      CHECK(vehicle.state == BodyState::kParked);
      continue;
    }
    CHECK(vehicle.state == (track.moving_at(t_s) ? BodyState::kMoving : BodyState::kStanding));
    CHECK(vehicle.pose.x_m == pose->x_m);
    CHECK(vehicle.pose.y_m == pose->y_m);
    CHECK(vehicle.pose.heading_rad == pose->heading_rad);
    CHECK(vehicle.loaded == track.loaded_at(t_s));
  }
}

}  // namespace

TEST_CASE("the AGV cell's vehicles are where their tracks put them, simulated and replayed") {
  const Scene scene = test::bundled_scene("scenes/agv_cell.yaml");
  const RunSettings settings = test::from_start(kObservedS);
  LineRun run(scene, kSeed, 0, settings);
  run.record_vehicle_tracks();
  run.advance_to(kObservedS);
  const std::vector<TrackedVehicle>& tracks = run.vehicle_tracks();
  const MovingInstant moving = first_moving_instant(tracks);
  REQUIRE(tracks[moving.vehicle].track.moving_at(moving.t_s));
  // The middle of the first drive that carries a part, on a whole sample instant.
  MovingInstant loaded{.vehicle = 0, .t_s = kObservedS};
  for (std::size_t v = 0; v < tracks.size(); ++v) {
    for (const TrackDrive& drive : tracks[v].track.drives()) {
      const double middle =
          std::round((drive.start_s + drive.profile.total_time_s() / 2) * kRateHz) / kRateHz;
      if (tracks[v].track.loaded_at(middle) && middle < loaded.t_s) loaded = {v, middle};
    }
  }
  REQUIRE(loaded.t_s < kObservedS);

  LineView layout = layout_view(scene, ".");
  REQUIRE(layout.vehicles.size() == 2);
  CHECK(layout.vehicles[0].id == "AGV#1");
  CHECK(layout.vehicles[1].id == "AGV#2");
  for (const VehicleView& vehicle : layout.vehicles)
    CHECK(vehicle.state == BodyState::kParked);  // until a source says otherwise

  SUBCASE("simulated") {
    SimulationSource source(scene, kSeed, settings);
    std::vector<double> times{moving.t_s / 2.0, moving.t_s, moving.t_s + 60.0, loaded.t_s,
                              kObservedS};
    std::sort(times.begin(), times.end());  // a simulation runs forward only
    for (const double t : times) {
      CAPTURE(t);
      source.run_until(t);
      source.update(layout);
      check_vehicles(layout, tracks, t);
      if (t == moving.t_s) CHECK(layout.vehicles[moving.vehicle].state == BodyState::kMoving);
      if (t == loaded.t_s) CHECK(layout.vehicles[loaded.vehicle].loaded);
    }
  }
  SUBCASE("replayed from a recording with trajectories") {
    const test::TempDir dir;
    SimulationRecordingSettings recording_settings;
    recording_settings.path = dir.path() + "/agv.h5";
    recording_settings.trajectory_rate_hz = kRateHz;
    record_simulation(scene, "", kSeed, 0, settings, recording_settings);
    Recording recording = read_recording(recording_settings.path);
    ReplaySource replay(scene, std::move(recording.log), recording.metadata.bodies,
                        recording.trajectories);
    // The replay's time 0 is its first sample, the run's time 0.
    REQUIRE(replay.start_us() == recording_settings.start_time_us);
    for (const double t : {moving.t_s, moving.t_s / 2.0, moving.t_s + 60.0}) {
      CAPTURE(t);
      const double instant = std::round(t * kRateHz) / kRateHz;
      replay.seek(instant);
      replay.update(layout);
      check_vehicles(layout, tracks, instant);
    }
    replay.seek(moving.t_s);
    replay.update(layout);
    CHECK(layout.vehicles[moving.vehicle].state == BodyState::kMoving);
    // The recording holds each vehicle's load as a body: carried where the track says.
    replay.seek(loaded.t_s);
    replay.update(layout);
    check_vehicles(layout, tracks, loaded.t_s);
    CHECK(layout.vehicles[loaded.vehicle].loaded);
  }
  SUBCASE("replayed from a log without trajectories: every vehicle stays parked") {
    const test::TempDir dir;
    SimulationRecordingSettings recording_settings;
    recording_settings.path = dir.path() + "/cell.h5";
    record_simulation(scene, "", kSeed, 0, settings, recording_settings);
    Recording recording = read_recording(recording_settings.path);
    CHECK(recording.trajectories.empty());
    ReplaySource replay(scene, std::move(recording.log), recording.metadata.bodies,
                        recording.trajectories);
    replay.seek(moving.t_s);
    replay.update(layout);
    for (const VehicleView& vehicle : layout.vehicles)
      CHECK(vehicle.state == BodyState::kParked);
  }
}

TEST_CASE("a scene without fleets has no vehicles in its view") {
  LineView view = layout_view(viewer_test_scene(), ".");
  CHECK(view.vehicles.empty());
  SimulationSource source(viewer_test_scene(), kSeed);
  source.run_until(600.0);
  source.update(view);
  CHECK(view.vehicles.empty());
}
