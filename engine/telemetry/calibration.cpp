#include "telemetry/calibration.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "io/scene_file.hpp"

namespace linetwin {

std::string_view to_string(DurationQuantity quantity) {
  switch (quantity) {
    case DurationQuantity::kProcessing:
      return "processing";
    case DurationQuantity::kTimeToFailure:
      return "time_to_failure";
    case DurationQuantity::kTimeToRepair:
      return "time_to_repair";
  }
  return "unknown";
}

namespace {

constexpr double kMicrosecond = 1e-6;

bool is_working(MachineState state) {
  return state == MachineState::kProducing || state == MachineState::kIdle ||
         state == MachineState::kBlocked || state == MachineState::kSetup;
}

// Walks one station's samples in time order and collects its durations.
class DurationReader {
 public:
  DurationReader(StationDurations& out, const TelemetryNames& names) : out_(out) {
    for (std::size_t i = 0; i < names.names().size(); ++i) {
      const std::string& name = names.names()[i];
      if (name == kGoodPartsCounter || name == kScrapPartsCounter)
        part_counters_.push_back(static_cast<std::uint16_t>(i));
    }
  }

  void read(const TelemetrySample& sample) {
    if (sample.kind == SampleKind::kState) {
      on_state(sample.timestamp_us, sample.state);
    } else if (sample.kind == SampleKind::kCounter &&
               std::find(part_counters_.begin(), part_counters_.end(), sample.name) !=
                   part_counters_.end()) {
      on_counter(sample.timestamp_us, sample.name, sample.value);
    }
  }

  // The log ends: whatever is under way is cut off (right-censored).
  void finish(std::int64_t t) {
    if (part_known_ && (producing_at(t) > part_start_ || state_ == MachineState::kProducing))
      censor(DurationQuantity::kProcessing);
    if (down_) censor(DurationQuantity::kTimeToRepair);
    if (repair_end_known_) censor(DurationQuantity::kTimeToFailure);
  }

 private:
  // Producing time (seconds) from the first sample to t.
  double producing_at(std::int64_t t) const {
    const bool producing = state_ == MachineState::kProducing;
    return producing_s_ + (producing ? static_cast<double>(t - since_us_) * kMicrosecond : 0.0);
  }
  void censor(DurationQuantity q) { ++out_.censored[static_cast<int>(q)]; }
  void record(DurationQuantity q, double seconds) {
    out_.durations_s[static_cast<int>(q)].push_back(seconds);
  }

  void on_state(std::int64_t t, MachineState state) {
    if (state == state_) return;  // a new reason, or a repeat: the same period goes on
    const double producing = producing_at(t);
    const MachineState before = state_;
    producing_s_ = producing;
    state_ = state;
    since_us_ = t;

    if (state == MachineState::kUnknown) {
      // A gap: nothing under way can be timed across it.
      if (part_known_ && (producing > part_start_ || before == MachineState::kProducing))
        censor(DurationQuantity::kProcessing);
      part_known_ = false;
      if (down_) censor(DurationQuantity::kTimeToRepair);
      down_ = false;
      if (repair_end_known_) censor(DurationQuantity::kTimeToFailure);
      repair_end_known_ = false;
      return;
    }
    if (before == MachineState::kUnknown) {
      // The first state, or the first after a gap. A part can be timed from here only if none is
      // half done: the station is waiting for one, holds a finished one, or is setting up.
      part_known_ = state == MachineState::kIdle || state == MachineState::kBlocked ||
                    state == MachineState::kSetup;
      part_start_ = producing;
      if (state == MachineState::kDown) {
        down_ = true;
        down_start_known_ = false;  // down since before the log (or the gap)
        ++out_.failures;
      }
      return;
    }
    if (state == MachineState::kDown && !down_) {
      ++out_.failures;
      if (repair_end_known_) {
        const double elapsed = out_.failure_clock == FailureClock::kOperatingTime
                                   ? producing - producing_at_repair_end_
                                   : static_cast<double>(t - repair_end_us_) * kMicrosecond;
        record(DurationQuantity::kTimeToFailure, elapsed);
      } else {
        censor(DurationQuantity::kTimeToFailure);  // no repair seen since the log began
      }
      down_ = true;
      down_start_known_ = true;
      down_since_us_ = t;
      repair_end_known_ = false;
    } else if (down_ && is_working(state)) {
      if (down_start_known_) {
        record(DurationQuantity::kTimeToRepair,
               static_cast<double>(t - down_since_us_) * kMicrosecond);
      } else {
        censor(DurationQuantity::kTimeToRepair);
      }
      down_ = false;
      repair_end_known_ = true;
      repair_end_us_ = t;
      producing_at_repair_end_ = producing;
    }
  }

  void on_counter(std::int64_t t, std::uint16_t name, double value) {
    const double producing = producing_at(t);
    auto reading = std::find_if(readings_.begin(), readings_.end(),
                                [&](const auto& r) { return r.first == name; });
    if (reading == readings_.end() || value < reading->second) {
      // A first reading, or a reset: whether it also counted the part in progress is unknown,
      // unless no part is in progress.
      if (reading == readings_.end()) {
        readings_.emplace_back(name, value);
      } else {
        ++out_.counter_resets;
        reading->second = value;
      }
      if (producing > part_start_ || state_ == MachineState::kProducing) part_known_ = false;
      return;
    }
    const double parts = std::round(value - reading->second);
    reading->second = value;
    if (parts < 1.0) return;
    if (!part_known_) {
      censor(DurationQuantity::kProcessing);
    } else if (parts > 1.0) {
      ++out_.multi_part_readings;
    } else {
      record(DurationQuantity::kProcessing, producing - part_start_);
    }
    part_known_ = state_ != MachineState::kUnknown;
    part_start_ = producing;
  }

  StationDurations& out_;
  std::vector<std::uint16_t> part_counters_;                // name indices of "good" and "scrap"
  std::vector<std::pair<std::uint16_t, double>> readings_;  // last reading per counter

  MachineState state_ = MachineState::kUnknown;
  std::int64_t since_us_ = 0;
  double producing_s_ = 0.0;  // producing time up to since_us_

  bool part_known_ = false;  // the part in progress began (or will begin) in view
  double part_start_ = 0.0;  // producing time when it began

  bool down_ = false;
  bool down_start_known_ = false;
  std::int64_t down_since_us_ = 0;
  bool repair_end_known_ = false;
  std::int64_t repair_end_us_ = 0;
  double producing_at_repair_end_ = 0.0;
};

FailureClock clock_of(const StationSpec& spec) {
  return spec.breakdowns ? spec.breakdowns->counted_on : FailureClock::kOperatingTime;
}

// Why a station's counters cannot time its processing distribution, if they cannot.
std::optional<std::string> processing_not_timed(const StationSpec& spec) {
  if (spec.servers > 1)
    return fmt::format("{} servers work in parallel: the counters do not say whose part finished",
                       spec.servers);
  if (spec.batch_max > 1) return std::string("batches: one processing time makes several parts");
  if (spec.split_into > 1) return std::string("splits: one processing time makes several parts");
  for (const auto& own : spec.processing_by_product) {
    if (own) {
      return std::string(
          "products have their own processing times, and telemetry does not say which product a "
          "part was");
    }
  }
  return std::nullopt;
}

QuantityCalibration fit_quantity(DurationQuantity q, const StationDurations& durations,
                                 const CalibrationSettings& settings) {
  QuantityCalibration out;
  out.quantity = q;
  const std::vector<double>& x = durations.of(q);
  out.observations = x.size();
  out.censored = durations.censored[static_cast<int>(q)];
  if (x.size() < settings.min_observations) {
    out.note = fmt::format("{} observations, fewer than the {} needed to fit", x.size(),
                           settings.min_observations);
    return out;
  }
  FitSettings fit = settings.fit;
  // Each quantity of each station draws its own bootstrap streams.
  fit.seed = settings.fit.seed ^ stable_hash(durations.station) ^ stable_hash(to_string(q));
  out.fits = compare_families(x, fit);
  if (!out.chosen()) out.note = "no family could be fitted";
  return out;
}

}  // namespace

std::vector<StationDurations> extract_station_durations(const Scene& scene,
                                                        const TelemetryLog& log) {
  std::vector<StationDurations> out(scene.stations().size());
  // Machine index in the log -> position among the scene's stations.
  std::vector<std::int64_t> station_of(log.names.machines().size(), -1);
  for (std::size_t s = 0; s < scene.stations().size(); ++s) {
    const Element& e = scene.element(scene.stations()[s]);
    out[s].element = scene.stations()[s];
    out[s].station = e.id;
    out[s].failure_clock = clock_of(scene.station_spec(e));
    const std::int64_t machine = log.names.find_machine(e.id);
    if (machine >= 0) station_of[static_cast<std::size_t>(machine)] = static_cast<std::int64_t>(s);
  }
  std::vector<std::vector<TelemetrySample>> per_station(out.size());
  for (const TelemetrySample& sample : log.samples) {
    if (sample.machine >= station_of.size() || station_of[sample.machine] < 0) continue;
    per_station[static_cast<std::size_t>(station_of[sample.machine])].push_back(sample);
  }
  for (std::size_t s = 0; s < out.size(); ++s) {
    std::vector<TelemetrySample>& samples = per_station[s];
    out[s].samples = samples.size();
    if (samples.empty()) continue;
    // Time order; at one instant, the machine's sequence numbers, then the log's order.
    std::stable_sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) {
      return a.timestamp_us != b.timestamp_us ? a.timestamp_us < b.timestamp_us
                                              : a.sequence < b.sequence;
    });
    DurationReader reader(out[s], log.names);
    for (const TelemetrySample& sample : samples)
      reader.read(sample);
    reader.finish(samples.back().timestamp_us);
  }
  return out;
}

CalibrationReport calibrate(const Scene& scene, const TelemetryLog& log,
                            const CalibrationSettings& settings) {
  CalibrationReport report;
  report.scene_file = scene.source_file();
  report.settings = settings;
  report.samples = log.samples.size();
  if (!log.samples.empty()) {
    const auto [first, last] = std::minmax_element(
        log.samples.begin(), log.samples.end(),
        [](const auto& a, const auto& b) { return a.timestamp_us < b.timestamp_us; });
    report.first_timestamp_us = first->timestamp_us;
    report.last_timestamp_us = last->timestamp_us;
  }
  std::size_t matched = 0;
  for (const StationDurations& durations : extract_station_durations(scene, log)) {
    const StationSpec& spec = scene.station_spec(scene.element(durations.element));
    StationCalibration st;
    st.element = durations.element;
    st.station = durations.station;
    st.samples = durations.samples;
    st.failure_clock = durations.failure_clock;
    st.breakdowns_in_scene = spec.breakdowns.has_value();
    st.failures = durations.failures;
    st.multi_part_readings = durations.multi_part_readings;
    st.counter_resets = durations.counter_resets;
    matched += durations.samples;
    const auto untimed = processing_not_timed(spec);
    for (int q = 0; q < kDurationQuantities; ++q) {
      const auto quantity = static_cast<DurationQuantity>(q);
      if (quantity == DurationQuantity::kProcessing && untimed) {
        // What such counters measure is not one part's processing time: not worth a fit.
        st.quantities[q].observations = durations.of(quantity).size();
        st.quantities[q].censored = durations.censored[q];
        st.quantities[q].note = "kept: " + *untimed;
      } else {
        st.quantities[q] = fit_quantity(quantity, durations, settings);
      }
    }

    QuantityCalibration& processing = st.quantities[0];
    if (!untimed && processing.chosen()) {
      processing.replaced = true;
      if (spec.quality && std::any_of(spec.quality->rework.begin(), spec.quality->rework.end(),
                                      [](double share) { return share > 0.0; })) {
        processing.note =
            "reworked parts count as neither good nor scrap: their processing time is added to "
            "the next part's";
      }
    }
    QuantityCalibration& ttf = st.quantities[1];
    QuantityCalibration& ttr = st.quantities[2];
    if (st.breakdowns_in_scene) {
      ttf.replaced = ttf.chosen() != nullptr;
      ttr.replaced = ttr.chosen() != nullptr;
    } else if (ttf.chosen() && ttr.chosen()) {
      ttf.replaced = ttr.replaced = st.breakdowns_added = true;
      ttf.note = "the scene had no breakdowns for this station: added, counted on operating time";
    } else if (st.failures > 0) {
      ttf.note =
          "the scene has no breakdowns for this station, and the log too few failures and "
          "repairs to add them";
    } else {
      ttf.note.clear();  // no breakdowns in the scene and none in the log: nothing to say
      ttr.note.clear();
    }
    report.stations.push_back(std::move(st));
  }
  report.samples_elsewhere = report.samples - matched;
  return report;
}

namespace {

// Six significant digits: far finer than any interval calibration gives, and readable.
std::string number_text(double value) {
  return fmt::format("{}", std::stod(fmt::format("{:.6g}", value)));
}

YAML::Node distribution_node(const DistributionFit& fit) {
  YAML::Node node(YAML::NodeType::Map);
  node["distribution"] = std::string(to_string(fit.kind));
  for (const FittedParameter& p : fit.parameters)
    node[std::string(p.name)] = number_text(p.value);
  node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

// A path in the original scene, relative to its folder, made relative to the output's folder.
std::string moved_path(const std::string& path, const std::filesystem::path& from_dir,
                       const std::filesystem::path& to_dir) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  const std::filesystem::path target = std::filesystem::absolute(from_dir / p).lexically_normal();
  const std::filesystem::path relative =
      target.lexically_relative(std::filesystem::absolute(to_dir).lexically_normal());
  return relative.empty() ? target.string() : relative.string();
}

}  // namespace

std::string calibrated_scene_yaml(const std::string& scene_path, const CalibrationReport& report,
                                  const std::string& output_path, std::string_view provenance) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(scene_path);
  } catch (const YAML::BadFile&) {
    throw InputError({scene_path, 0, 0, ""},
                     fmt::format("cannot open the scene file: {}", std::strerror(errno)));
  } catch (const YAML::ParserException& e) {
    throw InputError({scene_path, e.mark.line + 1, e.mark.column + 1, ""},
                     "not valid YAML: " + e.msg);
  }
  const std::filesystem::path from_dir = std::filesystem::path(scene_path).parent_path();
  const std::filesystem::path to_dir = std::filesystem::path(output_path).parent_path();
  YAML::Node elements = root["elements"];
  for (YAML::Node element : elements) {
    if (element["orders"] && element["orders"].IsScalar())
      element["orders"] = moved_path(element["orders"].Scalar(), from_dir, to_dir);
    if (element["model"] && element["model"].IsScalar())
      element["model"] = moved_path(element["model"].Scalar(), from_dir, to_dir);
    if (!element["id"] || !element["id"].IsScalar()) continue;
    const std::string id = element["id"].Scalar();
    const auto station = std::find_if(report.stations.begin(), report.stations.end(),
                                      [&](const StationCalibration& s) { return s.station == id; });
    if (station == report.stations.end()) continue;
    const QuantityCalibration& processing = station->of(DurationQuantity::kProcessing);
    if (processing.replaced) element["processing"] = distribution_node(*processing.chosen());
    const QuantityCalibration& ttf = station->of(DurationQuantity::kTimeToFailure);
    const QuantityCalibration& ttr = station->of(DurationQuantity::kTimeToRepair);
    if (station->breakdowns_added) {
      YAML::Node breakdowns(YAML::NodeType::Map);
      breakdowns["time_to_failure"] = distribution_node(*ttf.chosen());
      breakdowns["time_to_repair"] = distribution_node(*ttr.chosen());
      breakdowns["counted_on"] = "operating_time";
      element["breakdowns"] = breakdowns;
    } else if (element["breakdowns"]) {
      YAML::Node breakdowns = element["breakdowns"];
      if (ttf.replaced) breakdowns["time_to_failure"] = distribution_node(*ttf.chosen());
      if (ttr.replaced) breakdowns["time_to_repair"] = distribution_node(*ttr.chosen());
    }
  }
  YAML::Emitter emitter;
  emitter << root;
  std::string text = "# Calibrated by linetwin calibrate from " + scene_path;
  if (!provenance.empty()) text += " and " + std::string(provenance);
  text +=
      ".\n# Comments of the original are not kept; the calibration report gives each fit's "
      "intervals.\n";
  text += emitter.c_str();
  text += '\n';
  load_scene_text(text, output_path);  // throws InputError if the result is not a valid scene
  return text;
}

}  // namespace linetwin
