// Drift: telemetry of a station that behaves as its model stays inside the model's prediction
// bands; a station slowed by 30% is flagged. The bands are prediction intervals for one window
// (order statistics of simulated windows), so their coverage is known exactly.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "synthetic_station_log.hpp"
#include "telemetry/drift_monitor.hpp"

namespace linetwin {
namespace {

constexpr double kWindow = 8 * 3600.0;

DriftSettings settings() {
  DriftSettings s;
  s.window_s = kWindow;
  s.coverage = 0.998;  // with 999 windows: the 1st smallest to the 1st largest, 998/1000
  s.replications = 999;
  return s;
}

test::SyntheticStation station(double processing_scale, std::uint64_t seed) {
  test::SyntheticStation st;
  st.processing = Distribution::gamma(4.0, 15.0 * processing_scale);
  st.time_to_failure = Distribution::exponential(4 * 3600.0);
  st.time_to_repair = Distribution::lognormal(360.0, 180.0);
  st.horizon_s = 6 * kWindow + 60.0;
  st.seed = seed;
  return st;
}

// Feeds the log in time order and checks at the end of each of its six windows; returns the
// alerts of each window.
std::vector<std::vector<DriftCheck>> alerts_per_window(DriftMonitor& monitor,
                                                       const TelemetryLog& log,
                                                       std::size_t* judged = nullptr) {
  std::vector<std::vector<DriftCheck>> out;
  std::size_t next = 0;
  for (int w = 1; w <= 6; ++w) {
    const std::int64_t end = test::kSyntheticStartUs + std::llround(w * kWindow * 1e6);
    while (next < log.samples.size() && log.samples[next].timestamp_us <= end)
      monitor.observe(log.samples[next++]);
    if (judged) *judged += monitor.evaluate(end).size();
    out.push_back(monitor.check(end));
  }
  return out;
}

}  // namespace

TEST_CASE("drift: the model's bands are prediction intervals for one window") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "drift.yaml");
  const ModelPrediction prediction = predict_station_windows(scene, settings());
  CHECK(prediction.replications == 999);
  CHECK(prediction.coverage == doctest::Approx(998.0 / 1000.0));
  CHECK(prediction.window_s == kWindow);
  REQUIRE(prediction.stations.size() == 1);
  const StationPrediction& op10 = prediction.stations[0];
  CHECK(op10.station == "OP10");
  CHECK(op10.shares_judged);
  auto band = [&](DriftKpi kpi) { return op10.bands[static_cast<std::size_t>(kpi)]; };
  // Never starved, never blocked, no setups: those bands are the single point 0.
  for (DriftKpi kpi : {DriftKpi::kIdleShare, DriftKpi::kBlockedShare, DriftKpi::kSetupShare}) {
    CHECK(band(kpi).low == 0.0);
    CHECK(band(kpi).high == 0.0);
  }
  // Up 4 h, down 6 min on average: availability 240 / 246; a part a minute while up.
  const double availability = 240.0 / 246.0;
  CHECK(band(DriftKpi::kProducingShare).mean == doctest::Approx(availability).epsilon(0.005));
  CHECK(band(DriftKpi::kDownShare).mean == doctest::Approx(1 - availability).epsilon(0.1));
  CHECK(band(DriftKpi::kGoodPartsPerHour).mean ==
        doctest::Approx(60.0 * availability).epsilon(0.01));
  for (const KpiBand& b : op10.bands) {
    CHECK(b.low <= b.mean);
    CHECK(b.mean <= b.high);
  }
  // A prediction band is much wider than the confidence interval of the mean: the parts made in
  // 8 hours vary by tens around 470.
  CHECK(band(DriftKpi::kGoodPartsPerHour).high - band(DriftKpi::kGoodPartsPerHour).low > 5.0);
}

TEST_CASE("drift: windows of a station that behaves as modelled are not flagged") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "drift.yaml");
  const ModelPrediction prediction = predict_station_windows(scene, settings());
  TelemetryLog log;
  test::synthesize_station(station(1.0, 3), log);
  DriftMonitor monitor(scene, log.names, prediction, settings());
  std::size_t judged = 0;
  const auto alerts = alerts_per_window(monitor, log, &judged);
  CHECK(judged == 6 * kDriftKpiCount);  // every window covered, every KPI judged
  // Six KPIs per window, each outside its band with probability 0.2%: of six windows, at most
  // one may be flagged by chance (all six clean with probability about 93%).
  int flagged = 0;
  for (const auto& window : alerts)
    flagged += window.empty() ? 0 : 1;
  CHECK(flagged <= 1);
  CHECK(monitor.samples_out_of_order() == 0);
}

TEST_CASE("drift: a station slowed by 30% is flagged in every window") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "drift.yaml");
  const ModelPrediction prediction = predict_station_windows(scene, settings());
  TelemetryLog log;
  test::synthesize_station(station(1.3, 4), log);
  DriftMonitor monitor(scene, log.names, prediction, settings());
  for (const auto& window : alerts_per_window(monitor, log)) {
    REQUIRE(window.size() >= 1);
    bool slow = false;
    for (const DriftCheck& alert : window) {
      CHECK(alert.outside);
      CHECK(alert.station == "OP10");
      if (alert.kpi == DriftKpi::kGoodPartsPerHour) {
        slow = true;
        CHECK(alert.observed < alert.band.low);
        CHECK(alert.window_end_us - alert.window_start_us == std::llround(kWindow * 1e6));
      }
    }
    CHECK(slow);
  }
}

TEST_CASE("drift: machines are found by id, late samples are ignored, short logs not judged") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "drift.yaml");
  const ModelPrediction prediction = predict_station_windows(scene, settings());
  TelemetryLog log;
  log.names.intern_machine("somewhere else");  // OP10 is machine 1 of this log, not element 1
  test::synthesize_station(station(1.0, 5), log);
  DriftMonitor monitor(scene, log.names, prediction, settings());
  for (const TelemetrySample& sample : log.samples) {
    if (sample.timestamp_us > test::kSyntheticStartUs + std::llround(kWindow * 1e6)) break;
    monitor.observe(sample);
  }
  // Half a window of telemetry: nothing to judge yet.
  CHECK(monitor.evaluate(test::kSyntheticStartUs + std::llround(kWindow * 0.5e6)).empty());
  CHECK(monitor.evaluate(test::kSyntheticStartUs + std::llround(kWindow * 1e6)).size() ==
        kDriftKpiCount);
  TelemetrySample late = log.samples.front();
  monitor.observe(late);
  CHECK(monitor.samples_out_of_order() == 1);
}

TEST_CASE("drift: too few replications for the coverage asked are an input error") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "drift.yaml");
  DriftSettings s = settings();
  s.replications = 100;  // a 99.8% band needs at least 999
  CHECK_THROWS_AS(predict_station_windows(scene, s), InputError);
}

}  // namespace linetwin
