// The replay source, fed with a simulation's own telemetry, shows at each time what the
// simulation showed at that time, scrubbing back as well as forward; its KPIs are the twins',
// which equal the simulator's for the same history. Recordings are made here with the engine (a
// CSV log and an HDF5 recording), so the test needs no data files.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <sstream>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "plant/line_run.hpp"
#include "recording/simulation_recording.hpp"
#include "recording/telemetry_log_file.hpp"
#include "replay_source.hpp"
#include "simulation_source.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_files.hpp"
#include "test_skip.hpp"
#include "view_states.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

constexpr std::uint64_t kSeed = 11;
constexpr std::int64_t kStartUs = 1'767'571'200'000'000;

// The whole run as observed (no warm-up), so that the twins and the simulator measure the same
// period.
RunSettings whole_run() {
  RunSettings run = viewer_test_scene().run_settings();
  run.duration_s += run.warmup_s;
  run.warmup_s = 0.0;
  return run;
}

void check_states_at(const ReplaySource& replay, double t_s) {
  CAPTURE(t_s);
  LineView replayed = layout_view(viewer_test_scene(), ".");
  replay.update(replayed);
  CHECK(replayed.time_s == doctest::Approx(t_s).epsilon(1e-9));
  LineRun run(viewer_test_scene(), kSeed, 0, whole_run());
  run.advance_to(t_s);
  for (std::size_t s = 0; s < viewer_test_scene().stations().size(); ++s) {
    CHECK(replayed.elements[viewer_test_scene().stations()[s]].state ==
          view_state(run.station_activity(s)));
  }
}

}  // namespace

TEST_CASE("a replayed simulation log shows the simulation's states at every time, both ways") {
  ReplaySource replay(viewer_test_scene(),
                      simulate_telemetry(viewer_test_scene(), kSeed, 0, whole_run(), kStartUs));
  CHECK(replay.start_us() == kStartUs);
  CHECK(replay.duration_s() <= whole_run().duration_s);
  for (double t : {0.0, 777.7, 2400.3, 5000.1, 1234.5, 100.25}) {  // forward, then back
    replay.seek(t);
    check_states_at(replay, t);
  }
  replay.seek(-5.0);
  CHECK(replay.time_s() == 0.0);
  replay.seek(1e9);
  CHECK(replay.time_s() == replay.duration_s());
  CHECK(replay.samples_applied() == replay.sample_count());
}

TEST_CASE("replayed KPIs equal the simulator's over the same period") {
  TelemetryLog log = simulate_telemetry(viewer_test_scene(), kSeed, 0, whole_run(), kStartUs);
  ReplaySource replay(viewer_test_scene(), std::move(log));
  replay.seek(replay.duration_s());
  LineRun run(viewer_test_scene(), kSeed, 0, whole_run());
  run.advance_to(replay.duration_s());
  const ReplicationResult simulated = run.results();
  const std::optional<ReplicationResult> replayed = replay.kpis();
  REQUIRE(replayed);
  REQUIRE(replayed->stations.size() == simulated.stations.size());
  for (std::size_t s = 0; s < simulated.stations.size(); ++s) {
    CHECK(replayed->stations[s].working == doctest::Approx(simulated.stations[s].working));
    CHECK(replayed->stations[s].down == doctest::Approx(simulated.stations[s].down));
    CHECK(replayed->stations[s].parts_good == simulated.stations[s].parts_good);
  }
  // The line's output is what the last station passed on, as the simulator counts completions.
  CHECK(replayed->parts_completed == simulated.parts_completed);
}

TEST_CASE("replay plays at its speed and stops at the end") {
  ReplaySource replay(viewer_test_scene(),
                      simulate_telemetry(viewer_test_scene(), kSeed, 0, whole_run(), kStartUs));
  replay.advance(10.0);
  CHECK(replay.time_s() == 0.0);  // paused
  replay.play();
  replay.set_speed(30.0);
  replay.advance(10.0);
  CHECK(replay.time_s() == doctest::Approx(300.0));
  replay.set_speed(1e6);
  CHECK(replay.speed() == ReplaySource::kMaxSpeed);
  replay.advance(1e6);
  CHECK(replay.time_s() == replay.duration_s());
  CHECK(!replay.playing());
}

TEST_CASE("a replay reports the state changes the simulation reported, at their times") {
  ReplaySource replay(viewer_test_scene(),
                      simulate_telemetry(viewer_test_scene(), kSeed, 0, whole_run(), kStartUs));
  SimulationSource simulation(viewer_test_scene(), kSeed, whole_run());
  std::vector<StationReport> replayed;
  std::vector<StationReport> simulated;
  for (double t : {700.0, 3000.0}) {  // in two takes
    replay.seek(t);
    replay.take_reports(replayed);
    simulation.run_until(t);
    simulation.take_reports(simulated);
  }
  auto changes = [](const std::vector<StationReport>& reports) {
    std::vector<StationReport> out;
    for (const StationReport& r : reports)
      if (r.activity_changed) out.push_back(r);
    return out;
  };
  replayed = changes(replayed);
  simulated = changes(simulated);
  REQUIRE(replayed.size() == simulated.size());
  CHECK(replayed.size() > 20);
  for (std::size_t i = 0; i < simulated.size(); ++i) {
    CAPTURE(i);
    CHECK(replayed[i].station == simulated[i].station);
    CHECK(replayed[i].activity == simulated[i].activity);
    // Telemetry stamps whole microseconds.
    CHECK(std::abs(replayed[i].time_s - simulated[i].time_s) <= 0.5e-6);
  }
}

TEST_CASE("a replay reads CSV logs and HDF5 recordings alike (read_telemetry_log)") {
  const TelemetryLog log = simulate_telemetry(viewer_test_scene(), kSeed, 0, whole_run(), kStartUs);
  const test::TempDir dir;
  std::ostringstream csv;
  write_telemetry_csv(csv, log);
  const std::string csv_path = dir.write("log.csv", csv.str());
  const std::string h5_path = dir.path() + "/run.h5";
  SimulationRecordingSettings settings;
  settings.path = h5_path;
  settings.start_time_us = kStartUs;
  record_simulation(viewer_test_scene(), std::string(kViewerTestScene), kSeed, 0, whole_run(),
                    settings);
  for (const auto& path : {csv_path, h5_path}) {
    CAPTURE(path);
    CHECK(detect_log_format(path) == (path == csv_path ? "csv" : "hdf5"));
    ReplaySource replay(viewer_test_scene(), read_telemetry_log(viewer_test_scene(), path));
    CHECK(replay.sample_count() == log.samples.size());
    replay.seek(2400.3);
    check_states_at(replay, 2400.3);
  }
}

TEST_CASE("a replay reads a real MTConnect export, as linetwin replay does (needs shared data)") {
  const auto nist_log =
      test::shared_data_or_skip("telemetry/nist_dtl_pocketnc/pocketnc_mtconnect_2023-07-24.csv");
  if (!nist_log) return;
  const std::string log_path = nist_log->string();
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/pocketnc_cell.yaml");
  CHECK(detect_log_format(log_path) == "mtconnect");
  // The cell's only station is the machine the export is about.
  ReplaySource replay(scene, read_telemetry_log(scene, log_path));
  REQUIRE(replay.sample_count() > 1000);
  CHECK(replay.duration_s() > 600.0);
  replay.seek(replay.duration_s());
  const std::optional<ReplicationResult> kpis = replay.kpis();
  REQUIRE(kpis);
  REQUIRE(kpis->stations.size() == 1);
  CHECK(kpis->stations[0].working > 0.5);  // the log is mostly the machine cutting
  // A scene with several stations must be told which one the export is about.
  CHECK_THROWS_AS(read_telemetry_log(viewer_test_scene(), log_path), InputError);
}
