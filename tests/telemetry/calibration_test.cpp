// Calibration reads the durations a station's telemetry implies exactly as they were drawn, fits
// them back to the distributions they came from (within their confidence intervals), and writes a
// scene that loads with the fitted distributions in place of the old ones. The end-to-end case is
// the issue's acceptance test: simulate a line with known distributions, record it to HDF5,
// calibrate from the recording, recover the parameters.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "io/scene_file.hpp"
#include "recording/telemetry_recording.hpp"
#include "synthetic_station_log.hpp"
#include "telemetry/calibration.hpp"
#include "telemetry/calibration_report.hpp"
#include "telemetry/calibration_scene.hpp"
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

// The text written for a fit, read back as YAML (indented as it stands in the scene, for a block
// mapping): the fit's family and its parameters to the six significant digits written.
void check_fit_text(const std::string& text, const DistributionFit& fit, std::size_t indent = 0) {
  INFO("written: '" << text << "'");
  const YAML::Node node = YAML::Load(std::string(indent, ' ') + text);
  REQUIRE(node.IsMap());
  CHECK(node["distribution"].as<std::string>() == to_string(fit.kind));
  CHECK(node.size() == fit.parameters.size() + 1);
  for (const FittedParameter& p : fit.parameters)
    CHECK(node[std::string(p.name)].as<double>() == doctest::Approx(p.value).epsilon(1e-5));
}

// The calibrated scene's text after its header (the lines that begin with the prefix).
std::string without_header(const std::string& text) {
  std::size_t at = 0;
  while (text.compare(at, kCalibrationHeaderPrefix.size(), kCalibrationHeaderPrefix) == 0)
    at = text.find('\n', at) + 1;
  return text.substr(at);
}

std::vector<std::string> header_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0;
       text.compare(at, kCalibrationHeaderPrefix.size(), kCalibrationHeaderPrefix) == 0;) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

// Splits `text` at the pieces of `kept` (in order, each found after the one before it): every
// piece must be there, the text must begin with the first and end with the last, and what lies
// between two pieces is returned.
std::vector<std::string> between_kept(const std::string& text,
                                      const std::vector<std::string>& kept) {
  std::vector<std::string> between;
  REQUIRE(text.starts_with(kept.front()));
  std::size_t at = kept.front().size();
  for (std::size_t i = 1; i < kept.size(); ++i) {
    const std::size_t found = text.find(kept[i], at);
    INFO("piece " << i << ": '" << kept[i] << "'");
    REQUIRE(found != std::string::npos);
    between.push_back(text.substr(at, found - at));
    at = found + kept[i].size();
  }
  CHECK(at == text.size());
  return between;
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
  CHECK(processing.replaced());
  check_covers(*processing.chosen(), "shape", 4.0);
  check_covers(*processing.chosen(), "scale", 15.0);
  CHECK(processing.chosen()->ks_resamples == 50);

  const QuantityCalibration& ttf = op10.of(DurationQuantity::kTimeToFailure);
  const QuantityCalibration& ttr = op10.of(DurationQuantity::kTimeToRepair);
  CHECK(ttf.observations > 300);
  CHECK(ttf.replaced());
  CHECK(ttr.replaced());
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
  CHECK(text.starts_with(kCalibrationHeaderPrefix));

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
  CHECK_FALSE(op10.of(DurationQuantity::kProcessing).replaced());
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
      CHECK(q.replaced());
  }
  const std::string out_path = dir.path() + "/calibrated.yaml";
  const Scene calibrated =
      load_scene_text(calibrated_scene_yaml(scene_path, report, out_path), out_path);
  CHECK(calibrated.stations().size() == 2);
}

TEST_CASE("calibration: the calibrated scene is the original text with only the fitted values") {
  // Pieces of the scene that calibration must leave as they are, byte for byte; between them the
  // values it replaces (OP10's processing as a block mapping, its breakdowns in a flow mapping,
  // the model path, OP30's processing) and where it adds breakdowns (to OP20 in flow style, to
  // OP30 in block style). OP20's two servers keep its processing.
  const std::vector<std::string> kept = {
      "# A line as an engineer keeps it: comments, blank lines and both YAML styles.\n"
      "linetwin_scene: 1\n"
      "name: \"text kept: every byte but the calibrated values\"\n"
      "\n"
      "elements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: OP10}   # parts never run out\n"
      "\n"
      "  # The first station, its processing as a block mapping.\n"
      "  - id: OP10\n"
      "    type: station\n"
      "    processing:\n"
      "      ",
      "   # from the datasheet\n    model: ",
      "\n    breakdowns: {time_to_failure: ",
      ", time_to_repair: ",
      "}\n"
      "    to: B1\n"
      "  - {id: B1, type: buffer, capacity: 5, to: OP20}\n"
      "  - {id: OP20, type: station, servers: 2, processing: 10s, ",
      "to: OP30}   # a flow mapping\n"
      "  - id: OP30\n"
      "    type: station\n"
      "    processing: ",
      "   # a guess\n    ",
      "to: done\n"
      "  - {id: done, type: sink}\n"};
  const std::vector<std::string> replaced = {
      "distribution: exponential   # a first guess\n      mean: 45s",
      "models/op10.obj",
      "{distribution: exponential, mean: 1h}",
      "1min",
      "",
      "30s",
      ""};
  std::string original = kept.front();
  for (std::size_t i = 0; i < replaced.size(); ++i)
    original += replaced[i] + kept[i + 1];

  TelemetryLog log;
  for (const char* id : {"OP10", "OP20", "OP30"}) {
    SyntheticStation st;
    st.id = id;
    st.processing = Distribution::gamma(4.0, 15.0);
    st.horizon_s = 100 * 3600.0;
    synthesize_station(st, log);
  }
  const test::TempDir dir;
  const std::string scene_path = dir.write("line.yaml", original);
  const Scene scene = load_scene_file(scene_path);
  CalibrationSettings settings;
  settings.fit.bootstrap_resamples = 20;
  const CalibrationReport report = calibrate(scene, log, settings);
  const StationCalibration& op10 = report.stations.at(0);
  const StationCalibration& op20 = report.stations.at(1);
  const StationCalibration& op30 = report.stations.at(2);
  REQUIRE(op10.of(DurationQuantity::kProcessing).replaced());
  REQUIRE(op10.of(DurationQuantity::kTimeToFailure).replaced());
  REQUIRE(op10.of(DurationQuantity::kTimeToRepair).replaced());
  REQUIRE_FALSE(op20.of(DurationQuantity::kProcessing).replaced());
  REQUIRE(op20.breakdowns_added);
  REQUIRE(op30.of(DurationQuantity::kProcessing).replaced());
  REQUIRE(op30.breakdowns_added);

  std::filesystem::create_directories(dir.path() + "/out");
  const std::string out_path = dir.path() + "/out/calibrated.yaml";
  const std::string text = calibrated_scene_yaml(scene_path, report, out_path, "a test log");
  const std::vector<std::string> header = header_lines(text);
  REQUIRE(header.size() == 1);  // no warnings: every quantity had enough observations
  CHECK(header[0] == std::string(kCalibrationHeaderPrefix) + " calibrated from " + scene_path +
                         " and a test log; the calibration report gives each fit's intervals");

  const std::vector<std::string> written = between_kept(without_header(text), kept);
  REQUIRE(written.size() == replaced.size());
  const auto fit = [](const StationCalibration& st, DurationQuantity q) -> const DistributionFit& {
    return *st.of(q).chosen();
  };
  // A block mapping stays one, its lines at the column of its first key.
  CHECK(written[0].find('\n') != std::string::npos);
  check_fit_text(written[0], fit(op10, DurationQuantity::kProcessing), 6);
  // The model, from the output's folder one level down.
  CHECK(written[1] == "\"../models/op10.obj\"");
  check_fit_text(written[2], fit(op10, DurationQuantity::kTimeToFailure));
  check_fit_text(written[3], fit(op10, DurationQuantity::kTimeToRepair));
  // Breakdowns added to a flow mapping: an entry and its separator, before the key after
  // processing; to a block mapping: lines at the mapping's column, its values two further in.
  REQUIRE(written[4].ends_with(", "));
  const YAML::Node added_flow = YAML::Load("{" + written[4].substr(0, written[4].size() - 2) + "}");
  const YAML::Node added_block = YAML::Load("    " + written[6]);
  CHECK(written[6].starts_with("breakdowns:\n      time_to_failure: "));
  CHECK(written[6].ends_with("\n    "));
  for (const auto& [added, st] : {std::pair{added_flow, &op20}, std::pair{added_block, &op30}}) {
    const YAML::Node b = added["breakdowns"];
    REQUIRE(b.IsMap());
    CHECK(b.size() == 3);
    check_fit_text(YAML::Dump(b["time_to_failure"]), fit(*st, DurationQuantity::kTimeToFailure));
    check_fit_text(YAML::Dump(b["time_to_repair"]), fit(*st, DurationQuantity::kTimeToRepair));
    CHECK(b["counted_on"].as<std::string>() == "operating_time");
  }
  check_fit_text(written[5], fit(op30, DurationQuantity::kProcessing));

  // The calibrated scene, calibrated again from the same log in the same folder: the same fits
  // in the same places, and one header, the new one.
  const std::string first = dir.write("out/calibrated.yaml", text);
  const CalibrationReport again = calibrate(load_scene_file(first), log, settings);
  CHECK(again.stations.at(1).of(DurationQuantity::kTimeToFailure).replaced());
  const std::string second_path = dir.path() + "/out/again.yaml";
  const std::string second = calibrated_scene_yaml(first, again, second_path, "a test log");
  CHECK(header_lines(second).size() == 1);
  CHECK(header_lines(second)[0].find("calibrated from " + first) != std::string::npos);
  CHECK(without_header(second) == without_header(text));
}

TEST_CASE("calibration: too few observations and durations without spread are kept and marked") {
  // OP10 makes a few parts in the log; every part of OP20 takes 30 s; OP30 counts parts without
  // ever producing (a counter that runs while the state says idle), so each takes 0 s.
  TelemetryLog log;
  SyntheticStation few;
  few.id = "OP10";
  few.breakdowns = false;
  few.horizon_s = 300.0;
  const test::SyntheticTruth few_truth = synthesize_station(few, log);
  SyntheticStation constant;
  constant.id = "OP20";
  constant.breakdowns = false;
  constant.processing = Distribution::constant(30.0);
  constant.horizon_s = 3600.0;
  const test::SyntheticTruth constant_truth = synthesize_station(constant, log);
  const std::uint32_t counting = log.names.intern_machine("OP30");
  const std::uint16_t good = log.names.intern_name(kGoodPartsCounter);
  log.samples.push_back(
      {test::kSyntheticStartUs, 1, 0.0, counting, 0, SampleKind::kState, MachineState::kIdle});
  for (std::uint64_t part = 0; part <= 20; ++part) {
    log.samples.push_back({test::kSyntheticStartUs + static_cast<std::int64_t>(part) * 1'000'000,
                           2 + part, static_cast<double>(part), counting, good,
                           SampleKind::kCounter, MachineState::kUnknown});
  }
  REQUIRE(few_truth.processing_s.size() >= 2);
  REQUIRE(few_truth.processing_s.size() < 10);
  REQUIRE(constant_truth.processing_s.size() >= 10);

  const std::string yaml = R"(linetwin_scene: 1
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 45s, to: OP20}   # kept: too few parts
  - {id: OP20, type: station, processing: {distribution: exponential, mean: 10s}, to: OP30}
  - {id: OP30, type: station, processing: 20s, to: done}
  - {id: done, type: sink}
)";
  const test::TempDir dir;
  const std::string path = dir.write("line.yaml", yaml);
  CalibrationSettings settings;
  settings.fit.bootstrap_resamples = 20;
  const CalibrationReport report = calibrate(load_scene_file(path), log, settings);
  const QuantityCalibration& op10 = report.stations.at(0).of(DurationQuantity::kProcessing);
  const QuantityCalibration& op20 = report.stations.at(1).of(DurationQuantity::kProcessing);
  const QuantityCalibration& op30 = report.stations.at(2).of(DurationQuantity::kProcessing);

  // Too few: fitted, for what the few observations suggest, but kept.
  CHECK(op10.use == FitUse::kTooFewObservations);
  CHECK(op10.observations == few_truth.processing_s.size());
  CHECK(op10.chosen() != nullptr);
  CHECK(op10.note == fmt::format("{} observations, fewer than the minimum of 10",
                                 few_truth.processing_s.size()));
  // No spread: nothing fitted, not even a constant.
  CHECK(op20.use == FitUse::kNoSpread);
  CHECK_FALSE(op20.fits.has_value());
  CHECK(op20.note == fmt::format("every one of the {} observations is 30 s: no spread to fit",
                                 constant_truth.processing_s.size()));
  CHECK(op30.use == FitUse::kNoSpread);
  CHECK(op30.observations == 20);
  CHECK(op30.note == "every one of the 20 observations is 0 s: no spread to fit");
  for (const QuantityCalibration* q : {&op10, &op20, &op30}) {
    CHECK_FALSE(q->replaced());
    CHECK(is_warning(q->use));
  }

  // The scene: the same text under a header that names each value kept.
  const std::string text = calibrated_scene_yaml(path, report, path);
  CHECK(without_header(text) == yaml);
  const std::vector<std::string> header = header_lines(text);
  REQUIRE(header.size() == 4);
  CHECK(header[1] == std::string(kCalibrationHeaderPrefix) + " not calibrated: OP10 processing (" +
                         op10.note + ")");
  CHECK(header[2].find("not calibrated: OP20 processing (every one of") != std::string::npos);
  CHECK(header[3].find("not calibrated: OP30 processing (every one of the 20") !=
        std::string::npos);

  // The report: the status, and a warning in the table.
  const auto json = nlohmann::json::parse(calibration_report_json(report));
  CHECK(json["stations"][0]["processing"]["status"] == "too_few_observations");
  CHECK(json["stations"][0]["processing"]["replaced"] == false);
  CHECK(json["stations"][0]["processing"]["chosen"].is_object());
  CHECK(json["stations"][1]["processing"]["status"] == "no_spread");
  CHECK(json["stations"][1]["processing"]["chosen"].is_null());
  CHECK(json["stations"][2]["processing"]["status"] == "no_spread");
  std::ostringstream table;
  write_calibration_table(table, report);
  CHECK(table.str().find("    warning: not calibrated, " + op10.note + "\n") != std::string::npos);
}

TEST_CASE("calibration: counter readings that are not numbers and extreme timestamps") {
  // An HDF5 file may hold NaN or infinite readings and any int64 timestamp: the durations stay
  // exact, finite and >= 0. Times from the smallest and to the largest int64.
  constexpr std::int64_t kFirst = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kLast = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kSecond = 1'000'000;
  TelemetryLog log;
  const std::uint32_t m = log.names.intern_machine("OP10");
  const std::uint16_t good = log.names.intern_name(kGoodPartsCounter);
  std::uint64_t seq = 0;
  auto state = [&](std::int64_t t, MachineState s) {
    log.samples.push_back({t, ++seq, 0.0, m, 0, SampleKind::kState, s});
  };
  auto count = [&](std::int64_t t, double value) {
    log.samples.push_back({t, ++seq, value, m, good, SampleKind::kCounter, MachineState::kUnknown});
  };
  state(kFirst, MachineState::kIdle);
  count(kFirst, 0);
  state(kFirst + 10 * kSecond, MachineState::kProducing);
  count(kFirst + 20 * kSecond, std::numeric_limits<double>::quiet_NaN());  // ignored
  count(kFirst + 40 * kSecond, 1);                                         // 30 s of producing
  state(kFirst + 40 * kSecond, MachineState::kIdle);
  state(kLast - 100 * kSecond, MachineState::kProducing);
  count(kLast - 75 * kSecond, std::numeric_limits<double>::infinity());  // ignored
  count(kLast - 50 * kSecond, 2);  // 50 s of producing since the last part
  state(kLast - 50 * kSecond, MachineState::kDown);
  state(kLast, MachineState::kIdle);  // a repair of 50 s

  const Scene scene = load_scene_text(one_station_scene(kOperatingBreakdowns), "test.yaml");
  const StationDurations d = extract_station_durations(scene, log).at(0);
  CHECK(d.of(DurationQuantity::kProcessing) == std::vector<double>{30.0, 50.0});
  CHECK(d.of(DurationQuantity::kTimeToRepair) == std::vector<double>{50.0});
  CHECK(d.of(DurationQuantity::kTimeToFailure).empty());  // no repair seen before the failure
  CHECK(d.counter_resets == 0);

  const CalibrationReport report = calibrate(scene, log);
  std::ostringstream table;
  write_calibration_table(table, report);
  // 2^64 - 1 us between the first and the last sample.
  CHECK(table.str().find(fmt::format("over {:.4g} h", 18446744073709551615.0 / 3.6e9)) !=
        std::string::npos);
}

TEST_CASE("calibration: a value shared through a YAML anchor is not rewritten behind its back") {
  const std::string yaml = R"(linetwin_scene: 1
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10
    type: station
    processing: &guess {distribution: exponential, mean: 45s}
    to: OP20
  - {id: OP20, type: station, processing: *guess, to: done}
  - {id: done, type: sink}
)";
  TelemetryLog log;
  SyntheticStation st;
  st.breakdowns = false;
  synthesize_station(st, log);
  const test::TempDir dir;
  const std::string path = dir.write("line.yaml", yaml);
  CalibrationSettings settings;
  settings.fit.bootstrap_resamples = 0;
  const CalibrationReport report = calibrate(load_scene_file(path), log, settings);
  REQUIRE(report.stations.at(0).of(DurationQuantity::kProcessing).replaced());
  try {
    calibrated_scene_yaml(path, report, path);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().file == path);
    CHECK(error.where().line == 6);
    CHECK(error.where().column == 17);
    CHECK(error.where().field_path == "elements[OP10].processing");
    CHECK(error.message().find("shared through a YAML anchor or alias") != std::string::npos);
  }
}

}  // namespace linetwin
