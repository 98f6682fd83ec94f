// A simulation recorded to HDF5 goes through the whole telemetry path: stations report, samples
// are written, twins compute KPI snapshots from them. The last snapshot must say what the
// simulator itself measured over the same run, and the samples must read back unchanged.
#include <doctest/doctest.h>

#include <string>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "recording/simulation_recording.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_files.hpp"

using namespace linetwin;

TEST_CASE("simulation recording: the last KPI snapshot equals the simulator's station results") {
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  RunSettings run = scene.run_settings();
  run.warmup_s = 0.0;
  run.duration_s = 10 * 3600.0;
  test::TempDir dir;
  SimulationRecordingSettings settings;
  settings.path = dir.path() + "/run.h5";
  settings.kpi_interval_s = 3600.0;
  const std::uint64_t written = record_simulation(scene, "scene text", 11, 0, run, settings);

  const Recording recording = read_recording(settings.path);
  CHECK(recording.closed);
  CHECK(recording.metadata.source == RecordingSource::kSimulation);
  CHECK(recording.metadata.seed == 11u);
  CHECK(recording.metadata.scene_text == "scene text");
  CHECK(recording.log.samples.size() == written);
  const TelemetryLog direct = simulate_telemetry(scene, 11, 0, run, settings.start_time_us);
  REQUIRE(direct.samples.size() == recording.log.samples.size());
  for (std::size_t i = 0; i < direct.samples.size(); ++i) {
    CHECK(direct.samples[i].timestamp_us == recording.log.samples[i].timestamp_us);
    CHECK(direct.samples[i].value == recording.log.samples[i].value);
  }

  // Ten hourly snapshots of each station; the last covers the whole run.
  REQUIRE(recording.kpis.size() == 10 * scene.stations().size());
  LineRun line(scene, 11, 0, run);
  const ReplicationResult result = line.run_to_end();
  for (std::size_t k = 0; k < scene.stations().size(); ++k) {
    const KpiSnapshot& last = recording.kpis[9 * scene.stations().size() + k];
    INFO("station " << scene.elements()[scene.stations()[k]].id);
    CHECK(last.machine == scene.stations()[k]);
    CHECK(last.observed_s == doctest::Approx(run.duration_s));
    CHECK(last.working == doctest::Approx(result.stations[k].working).epsilon(1e-9));
    CHECK(last.blocked == doctest::Approx(result.stations[k].blocked).epsilon(1e-9));
    CHECK(last.down == doctest::Approx(result.stations[k].down).epsilon(1e-9));
    CHECK(last.starved == doctest::Approx(result.stations[k].starved).epsilon(1e-9));
    CHECK(last.parts_good == result.stations[k].parts_good);
  }
}

TEST_CASE("simulation recording: stations with ids of 300 bytes replay as themselves") {
  // Version 1 of the format cut names at 256 bytes, so such a station's own recording replayed as
  // an unknown machine.
  const std::string station(300, 'S');
  const std::string sink(1024, 'k');  // the longest id a recording holds
  const Scene scene = load_scene_text(
      "linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: " + station +
          "}\n  - {id: " + station + ", type: station, processing: 30s, to: " + sink +
          "}\n  - {id: " + sink + ", type: sink}\n",
      "long_ids.yaml");
  RunSettings run = scene.run_settings();
  run.warmup_s = 0.0;
  run.duration_s = 3600.0;
  test::TempDir dir;
  SimulationRecordingSettings settings;
  settings.path = dir.path() + "/long_ids.h5";
  const std::uint64_t written = record_simulation(scene, "scene text", 1, 0, run, settings);

  const TelemetryLog log = read_telemetry_hdf5(settings.path);
  REQUIRE(log.samples.size() == written);
  LineTwins twins(scene);
  LogBinding binding(log.names, twins);
  for (const TelemetrySample& sample : log.samples)
    binding.apply(sample);
  CHECK(twins.counts().unknown_machine == 0);
  CHECK(twins.counts().applied == written);
  // The station's twin counts what the simulator counted: a part every 30 s for an hour, the
  // 120th at the very end.
  const ElementIndex index = scene.stations().front();
  CHECK(scene.element(index).id == station);
  LineRun line(scene, 1, 0, run);
  const std::uint64_t simulated = line.run_to_end().stations[0].parts_good;
  CHECK(simulated >= 119);
  CHECK(twins.kpis(index).station.parts_good == simulated);
}
