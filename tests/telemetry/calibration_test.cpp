// Calibration reads the durations a station's telemetry implies exactly as they were drawn, fits
// them back to the distributions they came from (within their confidence intervals), and writes a
// scene that loads with the fitted distributions in place of the old ones. The end-to-end case is
// the issue's acceptance test: simulate a line with known distributions, record it to HDF5,
// calibrate from the recording, recover the parameters.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "io/recording/telemetry_recording.hpp"
#include "io/scene_file.hpp"
#include "synthetic_station_log.hpp"
#include "telemetry/calibration.hpp"
#include "telemetry/calibration_report.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_files.hpp"

namespace linetwin {
namespace {

using test::synthesize_station;
using test::SyntheticStation;

// A station's scene, with placeholder distributions that calibration is to replace.
std::string one_station_scene(std::string_view breakdowns) {
  return fmt::format(R"(linetwin_scene: 1
name: calibration test
elements:
  - {{id: supply, type: source, supply: unlimited, to: OP10}}
  - id: OP10
    type: station
    processing: 45s   # a guess, to be replaced
    model: models/op10.obj
{}    to: done
  - {{id: done, type: sink}}
)",
                     breakdowns);
}

constexpr std::string_view kOperatingBreakdowns = R"(    breakdowns:
      time_to_failure: {distribution: exponential, mean: 1h}
      time_to_repair: {distribution: exponential, mean: 1min}
)";

// The same samples in another order: calibration must sort them by time itself.
void shuffle(std::vector<TelemetrySample>& samples) {
  RandomStream rng(7, "calibration test", "shuffle", 0);
  for (std::size_t i = samples.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(i));
    std::swap(samples[i - 1], samples[j]);
  }
}

void check_same(const std::vector<double>& read, const std::vector<double>& truth) {
  REQUIRE(read.size() == truth.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    // Each timestamp is rounded to the microsecond; a duration spans a few of them.
    CHECK(std::abs(read[i] - truth[i]) < 1e-5);
  }
}

const FittedParameter& param(const DistributionFit& fit, std::string_view name) {
  for (const FittedParameter& p : fit.parameters) {
    if (p.name == name) return p;
  }
  FAIL("no parameter " << name);
  return fit.parameters.front();
}

// The fit of one family among those compared.
const DistributionFit& family(const QuantityCalibration& q, DistributionKind kind) {
  REQUIRE(q.fits.has_value());
  for (const DistributionFit& fit : q.fits->fits) {
    if (fit.kind == kind) return fit;
  }
  FAIL("family not compared");
  return q.fits->fits.front();
}

void check_covers(const DistributionFit& fit, std::string_view name, double truth) {
  REQUIRE(fit.fitted());
  const FittedParameter& p = param(fit, name);
  INFO(to_string(fit.kind) << " " << name << " = " << p.value << " [" << p.ci_low << ", "
                           << p.ci_high << "], truth " << truth);
  CHECK(p.ci_low <= truth);
  CHECK(truth <= p.ci_high);
}

}  // namespace

TEST_CASE("calibration: the durations read from telemetry are the ones that were drawn") {
  for (FailureClock clock : {FailureClock::kOperatingTime, FailureClock::kCalendarTime}) {
    CAPTURE(static_cast<int>(clock));
    SyntheticStation st;
    st.processing = Distribution::gamma(4.0, 15.0);
    st.time_to_failure = Distribution::exponential(1800.0);
    st.time_to_repair = Distribution::lognormal(300.0, 150.0);
    st.counted_on = clock;
    st.idle_probability = 0.3;  // idle time is neither processing nor, on operating time, failure
    st.scrap_probability = 0.1;
    st.horizon_s = 50 * 3600.0;
    TelemetryLog log;
    const test::SyntheticTruth truth = synthesize_station(st, log);
    shuffle(log.samples);
    const std::string breakdowns =
        clock == FailureClock::kOperatingTime
            ? std::string(kOperatingBreakdowns)
            : std::string(kOperatingBreakdowns) + "      counted_on: calendar_time\n";
    const Scene scene = load_scene_text(one_station_scene(breakdowns), "test.yaml");
    const std::vector<StationDurations> durations = extract_station_durations(scene, log);
    REQUIRE(durations.size() == 1);
    const StationDurations& d = durations[0];
    CHECK(d.station == "OP10");
    CHECK(d.samples == log.samples.size());
    CHECK(d.failure_clock == clock);
    REQUIRE(truth.processing_s.size() > 2000);
    REQUIRE(truth.time_to_failure_s.size() > 50);
    check_same(d.of(DurationQuantity::kProcessing), truth.processing_s);
    check_same(d.of(DurationQuantity::kTimeToFailure), truth.time_to_failure_s);
    check_same(d.of(DurationQuantity::kTimeToRepair), truth.time_to_repair_s);
    // Left out: the part under way at the end, the first time to failure (no repair seen before
    // it) and the one under way at the end (or the repair under way).
    CHECK(d.censored[0] <= 1);
    CHECK(d.censored[1] + d.censored[2] == 2);
    CHECK(d.multi_part_readings == 0);
    CHECK(d.counter_resets == 0);
  }
}

TEST_CASE("calibration: what cannot be timed whole is left out and counted") {
  // One station, by hand. Times in seconds from t0.
  TelemetryLog log;
  const std::uint32_t m = log.names.intern_machine("OP10");
  const std::uint16_t good = log.names.intern_name(kGoodPartsCounter);
  const std::uint16_t reason = log.names.intern_name("breakdown");
  std::uint64_t seq = 0;
  auto state = [&](double t, MachineState s) {
    log.samples.push_back({test::kSyntheticStartUs + std::llround(t * 1e6), ++seq, 0.0, m,
                           s == MachineState::kDown ? reason : std::uint16_t{0}, SampleKind::kState,
                           s});
  };
  auto count = [&](double t, double value) {
    log.samples.push_back({test::kSyntheticStartUs + std::llround(t * 1e6), ++seq, value, m, good,
                           SampleKind::kCounter, MachineState::kUnknown});
  };
  state(0, MachineState::kDown);  // down when the log begins: its repair is censored
  count(0, 100);                  // a first reading: the base
  state(5, MachineState::kProducing);
  count(20, 101);  // the station was down with this part when the log began: censored
  count(50, 102);  // 30 s: observed
  state(50, MachineState::kIdle);
  state(60, MachineState::kProducing);
  count(100, 104);                  // two parts in one reading: left out
  count(140, 105);                  // 40 s: observed
  state(150, MachineState::kDown);  // failure: 150 - 5 - 10 idle = 135 s producing since repair
  state(170, MachineState::kProducing);  // repair of 20 s: observed
  count(180, 3);                         // a reset: the part under way is not timed
  count(200, 4);                         // censored
  count(230, 5);                         // 30 s: observed
  state(240, MachineState::kUnknown);    // a gap cuts the part under way and the failure clock
  state(300, MachineState::kIdle);
  state(310, MachineState::kProducing);
  count(335, 6);                    // 25 s: observed
  state(340, MachineState::kDown);  // no repair seen since the gap: censored
  // the log ends down: the repair is censored

  const Scene scene = load_scene_text(one_station_scene(kOperatingBreakdowns), "test.yaml");
  const StationDurations d = extract_station_durations(scene, log).at(0);
  CHECK(d.of(DurationQuantity::kProcessing) == std::vector<double>{30.0, 40.0, 30.0, 25.0});
  CHECK(d.censored[0] == 4);  // at 20, at 200, the part cut by the gap, the one cut at the end
  CHECK(d.multi_part_readings == 1);
  CHECK(d.counter_resets == 1);
  CHECK(d.of(DurationQuantity::kTimeToFailure) == std::vector<double>{135.0});
  CHECK(d.censored[1] == 2);  // cut by the gap; and the one ending at 340
  CHECK(d.of(DurationQuantity::kTimeToRepair) == std::vector<double>{20.0});
  CHECK(d.censored[2] == 2);  // the first and the last
  CHECK(d.failures == 3);
}

TEST_CASE("calibration: fits recover the distributions of a synthetic log and write them") {
  SyntheticStation st;
  st.processing = Distribution::gamma(4.0, 15.0);
  st.time_to_failure = Distribution::exponential(1800.0);
  st.time_to_repair = Distribution::lognormal(300.0, 150.0);
  st.idle_probability = 0.2;
  st.horizon_s = 300 * 3600.0;
  st.seed = 2;
  TelemetryLog log;
  synthesize_station(st, log);
  // A machine the scene does not have is not used.
  SyntheticStation other = st;
  other.id = "elsewhere";
  other.horizon_s = 3600.0;
  synthesize_station(other, log);

  const test::TempDir dir;
  const std::string scene_path = dir.write("line.yaml", one_station_scene(kOperatingBreakdowns));
  const Scene scene = load_scene_file(scene_path);
  CalibrationSettings settings;
  settings.fit.confidence = 0.99;  // seven intervals checked at once below
  settings.fit.bootstrap_resamples = 50;
  const CalibrationReport report = calibrate(scene, log, settings);
  CHECK(report.samples == log.samples.size());
  CHECK(report.samples_elsewhere > 0);
  REQUIRE(report.stations.size() == 1);
  const StationCalibration& op10 = report.stations[0];

  const QuantityCalibration& processing = op10.of(DurationQuantity::kProcessing);
  REQUIRE(processing.chosen() != nullptr);
  CHECK(processing.observations > 10000);
  CHECK(processing.chosen()->kind == DistributionKind::kGamma);  // 10,000 parts leave no doubt
  CHECK(processing.replaced);
  check_covers(*processing.chosen(), "shape", 4.0);
  check_covers(*processing.chosen(), "scale", 15.0);
  CHECK(processing.chosen()->ks_resamples == 50);

  const QuantityCalibration& ttf = op10.of(DurationQuantity::kTimeToFailure);
  const QuantityCalibration& ttr = op10.of(DurationQuantity::kTimeToRepair);
  CHECK(ttf.observations > 300);
  CHECK(ttf.replaced);
  CHECK(ttr.replaced);
  check_covers(family(ttf, DistributionKind::kExponential), "mean", 1800.0);
  check_covers(family(ttr, DistributionKind::kLognormal), "mean", 300.0);
  check_covers(family(ttr, DistributionKind::kLognormal), "sd", 150.0);
  // The exponential nests in gamma and Weibull (shape 1): AIC may prefer them by a hair, and then
  // their shape must hold 1.
  const DistributionFit* ttf_fit = ttf.chosen();
  REQUIRE(ttf_fit != nullptr);
  if (ttf_fit->kind != DistributionKind::kExponential) check_covers(*ttf_fit, "shape", 1.0);

  // The calibrated scene, written next to the original: it loads, with the fitted distributions.
  std::filesystem::create_directories(dir.path() + "/out");
  const std::string out_path = dir.path() + "/out/calibrated.yaml";
  const std::string text = calibrated_scene_yaml(scene_path, report, out_path, "test log");
  const Scene calibrated = load_scene_text(text, out_path);
  const StationSpec& spec = calibrated.station_spec(calibrated.element(*calibrated.find("OP10")));
  CHECK(spec.processing.kind() == processing.chosen()->kind);
  CHECK(spec.processing.mean() ==
        doctest::Approx(processing.chosen()->distribution().mean()).epsilon(1e-5));
  REQUIRE(spec.breakdowns.has_value());
  CHECK(spec.breakdowns->time_to_failure.kind() == ttf.chosen()->kind);
  CHECK(spec.breakdowns->time_to_repair.kind() == ttr.chosen()->kind);
  CHECK(spec.breakdowns->time_to_repair.mean() ==
        doctest::Approx(ttr.chosen()->distribution().mean()).epsilon(1e-5));
  CHECK(spec.breakdowns->counted_on == FailureClock::kOperatingTime);
  // Everything else as it was, and the model path still pointing at the same file.
  const YAML::Node root = YAML::Load(text);
  CHECK(root["elements"][1]["model"].as<std::string>() == "../models/op10.obj");
  CHECK(root["elements"][1]["to"].as<std::string>() == "done");
  CHECK(text.rfind("# Calibrated by linetwin calibrate", 0) == 0);

  // The report names every family compared.
  const std::string json = calibration_report_json(report);
  const auto parsed = nlohmann::json::parse(json);
  CHECK(parsed["schema"] == "linetwin.calibration/1");
  CHECK(parsed["stations"][0]["processing"]["chosen"]["distribution"] == "gamma");
  CHECK(parsed["stations"][0]["processing"]["alternatives"].size() ==
        fittable_families().size() - 1);
}

TEST_CASE("calibration: stations whose counters cannot time a part keep their processing") {
  SyntheticStation st;
  st.horizon_s = 100 * 3600.0;
  TelemetryLog log;
  synthesize_station(st, log);
  // Two servers; no breakdowns in the scene although the log has many: they are added.
  const std::string yaml = R"(linetwin_scene: 1
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, servers: 2, processing: 45s, to: done}
  - {id: done, type: sink}
)";
  const test::TempDir dir;
  const std::string path = dir.write("two.yaml", yaml);
  const CalibrationReport report = calibrate(load_scene_file(path), log);
  const StationCalibration& op10 = report.stations.at(0);
  CHECK_FALSE(op10.of(DurationQuantity::kProcessing).replaced);
  CHECK(op10.of(DurationQuantity::kProcessing).note.find("2 servers") != std::string::npos);
  CHECK(op10.breakdowns_added);
  const Scene calibrated = load_scene_text(calibrated_scene_yaml(path, report, path), path);
  const StationSpec& spec = calibrated.station_spec(calibrated.element(*calibrated.find("OP10")));
  CHECK(spec.processing.kind() == DistributionKind::kConstant);
  CHECK(spec.processing.mean() == 45.0);
  REQUIRE(spec.breakdowns.has_value());
  CHECK(spec.breakdowns->counted_on == FailureClock::kOperatingTime);
}

TEST_CASE("calibration acceptance: simulate with known distributions, record, calibrate, recover") {
  // OP10 feeds OP20 through a small buffer, so both wait and block at times; OP10 fails on
  // operating time, OP20 on calendar time.
  const std::string yaml = R"(linetwin_scene: 1
name: calibration acceptance
seed: 2026
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 60s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 30min}
      time_to_repair: {distribution: lognormal, mean: 5min, sd: 2.5min}
      counted_on: operating_time
    to: B1
  - {id: B1, type: buffer, capacity: 3, to: OP20}
  - id: OP20
    type: station
    processing: {distribution: weibull, shape: 2, scale: 60s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 1h}
      time_to_repair: {distribution: gamma, shape: 2, mean: 4min}
      counted_on: calendar_time
    to: done
  - {id: done, type: sink}
)";
  const test::TempDir dir;
  const std::string scene_path = dir.write("line.yaml", yaml);
  const Scene scene = load_scene_file(scene_path);
  RunSettings run;
  run.duration_s = 300 * 3600.0;
  const std::int64_t start_us = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
  const TelemetryLog simulated = simulate_telemetry(scene, scene.seed(), 0, run, start_us);

  // Recorded to HDF5 and read back, as `linetwin calibrate` reads a recording.
  const std::string recording = dir.path() + "/run.h5";
  {
    RecordingMetadata metadata;
    metadata.scene_file = scene_path;
    metadata.seed = scene.seed();
    metadata.start_time_us = start_us;
    RecordingWriter writer(recording, metadata, simulated.names);
    writer.append(simulated.samples);
    writer.close();
  }
  const TelemetryLog log = read_telemetry_hdf5(recording);
  REQUIRE(log.samples.size() == simulated.samples.size());

  CalibrationSettings settings;
  settings.fit.confidence = 0.99;  // twelve intervals checked at once
  settings.fit.bootstrap_resamples = 50;
  const CalibrationReport report = calibrate(scene, log, settings);
  REQUIRE(report.stations.size() == 2);
  const StationCalibration& op10 = report.stations[0];
  const StationCalibration& op20 = report.stations[1];
  check_covers(family(op10.of(DurationQuantity::kProcessing), DistributionKind::kGamma), "shape",
               4.0);
  check_covers(family(op10.of(DurationQuantity::kProcessing), DistributionKind::kGamma), "scale",
               15.0);
  check_covers(family(op10.of(DurationQuantity::kTimeToFailure), DistributionKind::kExponential),
               "mean", 1800.0);
  check_covers(family(op10.of(DurationQuantity::kTimeToRepair), DistributionKind::kLognormal),
               "mean", 300.0);
  check_covers(family(op10.of(DurationQuantity::kTimeToRepair), DistributionKind::kLognormal), "sd",
               150.0);
  check_covers(family(op20.of(DurationQuantity::kProcessing), DistributionKind::kWeibull), "shape",
               2.0);
  check_covers(family(op20.of(DurationQuantity::kProcessing), DistributionKind::kWeibull), "scale",
               60.0);
  check_covers(family(op20.of(DurationQuantity::kTimeToFailure), DistributionKind::kExponential),
               "mean", 3600.0);
  check_covers(family(op20.of(DurationQuantity::kTimeToRepair), DistributionKind::kGamma), "shape",
               2.0);
  check_covers(family(op20.of(DurationQuantity::kTimeToRepair), DistributionKind::kGamma), "scale",
               120.0);
  // With thousands of parts, AIC finds the processing families themselves.
  CHECK(op10.of(DurationQuantity::kProcessing).chosen()->kind == DistributionKind::kGamma);
  CHECK(op20.of(DurationQuantity::kProcessing).chosen()->kind == DistributionKind::kWeibull);
  for (const StationCalibration& st : report.stations) {
    for (const QuantityCalibration& q : st.quantities)
      CHECK(q.replaced);
  }
  const std::string out_path = dir.path() + "/calibrated.yaml";
  const Scene calibrated =
      load_scene_text(calibrated_scene_yaml(scene_path, report, out_path), out_path);
  CHECK(calibrated.stations().size() == 2);
}

}  // namespace linetwin
