#include "telemetry/calibration.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

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

std::string_view to_string(FitUse use) {
  switch (use) {
    case FitUse::kReplaced:
      return "replaced";
    case FitUse::kNoObservations:
      return "no_observations";
    case FitUse::kTooFewObservations:
      return "too_few_observations";
    case FitUse::kNoSpread:
      return "no_spread";
    case FitUse::kNotTimed:
      return "not_timed";
    case FitUse::kNotFitted:
      return "not_fitted";
    case FitUse::kNoBreakdowns:
      return "no_breakdowns";
  }
  return "unknown";
}

bool is_warning(FitUse use) {
  return use == FitUse::kTooFewObservations || use == FitUse::kNoSpread;
}

namespace {

constexpr double kMicrosecond = 1e-6;

// Seconds from `from_us` to `to_us`, which is not earlier (the samples are sorted). Unsigned
// arithmetic gives the exact difference even where the signed one would overflow: a file's
// timestamps may lie anywhere in the int64 range.
double seconds_between(std::int64_t from_us, std::int64_t to_us) {
  return static_cast<double>(static_cast<std::uint64_t>(to_us) -
                             static_cast<std::uint64_t>(from_us)) *
         kMicrosecond;
}

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
    } else if (sample.kind == SampleKind::kCounter && std::isfinite(sample.value) &&
               std::find(part_counters_.begin(), part_counters_.end(), sample.name) !=
                   part_counters_.end()) {
      // A reading that is not a number counts no parts, and must not become the base that the
      // next reading is compared with (every comparison with NaN is false).
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
    return producing_s_ + (producing ? seconds_between(since_us_, t) : 0.0);
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
                                   : seconds_between(repair_end_us_, t);
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
        record(DurationQuantity::kTimeToRepair, seconds_between(down_since_us_, t));
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

// Fits one quantity. `use` comes back kReplaced when the chosen fit may go into the scene;
// calibrate() decides whether it does.
QuantityCalibration fit_quantity(DurationQuantity q, const StationDurations& durations,
                                 const CalibrationSettings& settings) {
  QuantityCalibration out;
  out.quantity = q;
  const std::vector<double>& x = durations.of(q);
  out.observations = x.size();
  out.censored = durations.censored[static_cast<int>(q)];
  if (x.empty()) return out;
  const auto [smallest, largest] = std::minmax_element(x.begin(), x.end());
  const bool no_spread = *largest - *smallest <= settings.fit.constant_tolerance_s;
  if (x.size() < settings.min_observations) {
    out.use = FitUse::kTooFewObservations;
    out.note = fmt::format("{} observation{}, fewer than the minimum of {}", x.size(),
                           x.size() == 1 ? "" : "s", settings.min_observations);
  } else if (no_spread) {
    out.use = FitUse::kNoSpread;
    out.note = fmt::format("every one of the {} observations is {:.6g} s: no spread to fit",
                           x.size(), *smallest);
  } else {
    out.use = FitUse::kReplaced;
  }
  // A constant is no fit worth reporting: the note says what the durations were.
  if (no_spread) return out;
  FitSettings fit = settings.fit;
  // Each quantity of each station draws its own bootstrap streams.
  fit.seed = settings.fit.seed ^ stable_hash(durations.station) ^ stable_hash(to_string(q));
  out.fits = compare_families(x, fit);
  if (!out.chosen() && out.use == FitUse::kReplaced) {
    out.use = FitUse::kNotFitted;
    out.note = "no family could be fitted";
  }
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
        st.quantities[q].use = FitUse::kNotTimed;
        st.quantities[q].note = "kept: " + *untimed;
      } else {
        st.quantities[q] = fit_quantity(quantity, durations, settings);
      }
    }

    QuantityCalibration& processing = st.quantities[0];
    if (processing.replaced() && spec.quality &&
        std::any_of(spec.quality->rework.begin(), spec.quality->rework.end(),
                    [](double share) { return share > 0.0; })) {
      processing.note =
          "reworked parts count as neither good nor scrap: their processing time is added to the "
          "next part's";
    }
    QuantityCalibration& ttf = st.quantities[1];
    QuantityCalibration& ttr = st.quantities[2];
    if (!st.breakdowns_in_scene) {
      if (ttf.replaced() && ttr.replaced()) {
        st.breakdowns_added = true;
        ttf.note = "the scene had no breakdowns for this station: added, counted on operating time";
      } else {
        // Both are needed to add breakdowns; a warning already says what the other lacks.
        constexpr std::string_view kNotAdded =
            "the scene has no breakdowns for this station, and the log too few failures and "
            "repairs to add them";
        for (QuantityCalibration* q : {&ttf, &ttr}) {
          if (q->replaced()) {
            q->use = FitUse::kNoBreakdowns;
            q->note = kNotAdded;
          } else if (is_warning(q->use)) {
            q->note += fmt::format(" ({})", kNotAdded);
          }
        }
      }
    }
    report.stations.push_back(std::move(st));
  }
  report.samples_elsewhere = report.samples - matched;
  return report;
}

}  // namespace linetwin
