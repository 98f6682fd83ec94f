// The telemetry a simulated line sends must tell the same story as the simulator's own results:
// integrating the reported states over time gives the station state shares, and the last counter
// readings give the good and scrapped parts. Checked on the bundled scenes, which between them
// have breakdowns, shifts, setups, operators, batches and scrap.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "telemetry/simulated_telemetry.hpp"

using namespace linetwin;

namespace {

// Seconds each machine spent in each state, from the state samples alone, up to `end_us`.
std::vector<std::map<MachineState, double>> state_seconds(const TelemetryLog& log,
                                                          std::int64_t end_us) {
  std::vector<std::map<MachineState, double>> seconds(log.names.machines().size());
  std::vector<const TelemetrySample*> last(log.names.machines().size(), nullptr);
  for (const TelemetrySample& s : log.samples) {
    if (s.kind != SampleKind::kState) continue;
    if (const TelemetrySample* before = last[s.machine])
      seconds[s.machine][before->state] +=
          1e-6 * static_cast<double>(s.timestamp_us - before->timestamp_us);
    last[s.machine] = &s;
  }
  for (std::size_t m = 0; m < last.size(); ++m) {
    if (last[m])
      seconds[m][last[m]->state] += 1e-6 * static_cast<double>(end_us - last[m]->timestamp_us);
  }
  return seconds;
}

void check_against_results(const std::string& scene_path) {
  INFO("scene: " << scene_path);
  const Scene scene = load_scene_file(scene_path);
  RunSettings settings = scene.run_settings();
  settings.warmup_s = 0.0;  // the counters and states cover the whole run
  settings.duration_s = std::min(settings.duration_s, 24 * 3600.0);
  const std::int64_t start_us = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
  const TelemetryLog log = simulate_telemetry(scene, scene.seed(), 0, settings, start_us);
  LineRun run(scene, scene.seed(), 0, settings);
  const ReplicationResult result = run.run_to_end();

  REQUIRE(log.names.machines().size() == scene.elements().size());
  const std::int64_t end_us = start_us + static_cast<std::int64_t>(settings.duration_s * 1e6);
  const auto seconds = state_seconds(log, end_us);
  std::vector<std::uint64_t> last_sequence(log.names.machines().size(), 0);
  std::int64_t last_time = start_us;
  std::vector<double> good(log.names.machines().size(), 0.0);
  std::vector<double> scrap(log.names.machines().size(), 0.0);
  for (const TelemetrySample& s : log.samples) {
    CHECK(s.sequence > last_sequence[s.machine]);  // every machine numbers its messages
    last_sequence[s.machine] = s.sequence;
    CHECK(s.timestamp_us >= last_time);  // emitted in time order
    last_time = s.timestamp_us;
    if (s.kind != SampleKind::kCounter) continue;
    (log.names.names()[s.name] == kGoodPartsCounter ? good : scrap)[s.machine] = s.value;
  }

  for (std::size_t k = 0; k < scene.stations().size(); ++k) {
    const ElementIndex element = scene.stations()[k];
    const StationSpec& spec = scene.station_spec(scene.elements()[element]);
    if (spec.servers != 1) continue;  // one state per station: exact for single servers only
    INFO("station " << scene.elements()[element].id);
    const StationResult& r = result.stations[k];
    auto share = [&](MachineState state) {
      auto it = seconds[element].find(state);
      return it == seconds[element].end() ? 0.0 : it->second / settings.duration_s;
    };
    CHECK(share(MachineState::kProducing) == doctest::Approx(r.working).epsilon(1e-9));
    CHECK(share(MachineState::kSetup) == doctest::Approx(r.setup).epsilon(1e-9));
    CHECK(share(MachineState::kBlocked) == doctest::Approx(r.blocked).epsilon(1e-9));
    CHECK(share(MachineState::kDown) == doctest::Approx(r.down).epsilon(1e-9));
    CHECK(share(MachineState::kOffShift) == doctest::Approx(r.off_shift).epsilon(1e-9));
    CHECK(share(MachineState::kIdle) ==
          doctest::Approx(r.starved + r.waiting_operator).epsilon(1e-9));
    CHECK(good[element] == static_cast<double>(r.parts_good));
    CHECK(scrap[element] == static_cast<double>(r.parts_scrapped));
  }
}

}  // namespace

TEST_CASE("simulated telemetry: state time and counters equal the simulator's station results") {
  check_against_results(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  check_against_results(std::string(LINETWIN_SOURCE_DIR) + "/scenes/final_assembly.yaml");
}

TEST_CASE("simulated telemetry: same seed, same samples, and observing changes nothing") {
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  RunSettings settings = scene.run_settings();
  settings.duration_s = 4 * 3600.0;
  const TelemetryLog a = simulate_telemetry(scene, 7, 0, settings, 0);
  const TelemetryLog b = simulate_telemetry(scene, 7, 0, settings, 0);
  REQUIRE(a.samples.size() == b.samples.size());
  CHECK(std::memcmp(a.samples.data(), b.samples.data(),
                    a.samples.size() * sizeof(TelemetrySample)) == 0);

  LineRun plain(scene, 7, 0, settings);
  LineRun observed(scene, 7, 0, settings);
  TelemetryLog log;
  SimulatedTelemetry telemetry(scene, log, 0);
  observed.observe(&telemetry);
  const ReplicationResult r1 = plain.run_to_end();
  const ReplicationResult r2 = observed.run_to_end();
  CHECK(r1.parts_completed == r2.parts_completed);
  CHECK(r1.lead_time_mean_s == r2.lead_time_mean_s);
  for (std::size_t k = 0; k < r1.stations.size(); ++k)
    CHECK(r1.stations[k].working == r2.stations[k].working);
}

TEST_CASE("simulated telemetry: counters run on through the end of the warm-up") {
  // The warm-up end resets the simulator's own counts but draws nothing, so a run with a warm-up
  // follows the same path as one without: its counter readings must be the same.
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  RunSettings with_warmup;
  with_warmup.warmup_s = 2 * 3600.0;
  with_warmup.duration_s = 6 * 3600.0;
  RunSettings without = with_warmup;
  without.warmup_s = 0.0;
  without.duration_s = 8 * 3600.0;
  const TelemetryLog a = simulate_telemetry(scene, 5, 0, with_warmup, 0);
  const TelemetryLog b = simulate_telemetry(scene, 5, 0, without, 0);
  auto counters = [](const TelemetryLog& log) {
    std::vector<std::pair<std::int64_t, double>> readings;
    for (const TelemetrySample& s : log.samples) {
      if (s.kind == SampleKind::kCounter) readings.emplace_back(s.timestamp_us, s.value);
    }
    return readings;
  };
  const auto ca = counters(a);
  CHECK(ca.size() > 100);
  CHECK(ca == counters(b));
}
