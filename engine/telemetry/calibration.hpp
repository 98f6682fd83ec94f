// Calibration: the processing, failure and repair times of a scene's stations fitted to a
// telemetry log, so that a what-if starts from the line as it really runs; calibration_scene.hpp
// writes them into the scene file. `linetwin calibrate` is these files on the command line;
// docs/calibration.md describes the method and the report.
//
// From each station's samples (its machine id is the element id; samples sorted by timestamp,
// then sequence) three kinds of durations are read, the way the simulator produces them
// (engine/plant/line_run.hpp):
//   - processing: the producing time accumulated between consecutive increments of the station's
//     cumulative `good` + `scrap` counters. A breakdown or a break interrupts processing and the
//     part resumes afterwards (preempt-resume), so only producing time counts; blocked and idle
//     time never does.
//   - time to failure: from the end of one down period to the start of the next, counted as the
//     station's failure mode counts it: producing time (operating_time, the default) or elapsed
//     time (calendar_time).
//   - time to repair: the length of a down period, from entering `down` until the station is
//     producing, idle, blocked or in setup again (a break during a repair is part of it, since the
//     engine repairs in calendar time).
// Censored durations are left out: one cut by the start of the log (the part or the down period
// or the time since the last repair began before the first sample), by its end, or by a gap where
// the machine reported itself `unknown`; so is the time taken by a counter reading that counted
// several parts at once, and the part in progress when a counter is reset or first read. All of
// them are counted in the report. Leaving out the right-censored time to failure biases it low
// when a log holds only a few failures; docs/calibration.md says by how much. A counter reading
// that is not a finite number (an HDF5 file may hold one) is ignored, and timestamps anywhere in
// the int64 range are differenced without overflow, so every duration is finite and >= 0.
//
// Durations with no spread (all equal, all 0 s included) are not fitted: a constant read from a
// log is an artefact of how it was stamped far more often than a machine without variation, and
// a zero processing or repair time would make the model meaningless. They are kept, with a
// warning, as are fits from fewer than CalibrationSettings::min_observations durations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plant/scene.hpp"
#include "telemetry/distribution_fit.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

enum class DurationQuantity : std::uint8_t { kProcessing, kTimeToFailure, kTimeToRepair };
inline constexpr int kDurationQuantities = 3;
// The scene file's key: "processing", "time_to_failure", "time_to_repair".
std::string_view to_string(DurationQuantity quantity);

// What one station's telemetry says about its durations, before any fitting.
struct StationDurations {
  ElementIndex element = kNoElement;
  std::string station;
  std::size_t samples = 0;  // of this station's machine in the log
  // How time to failure was measured: the scene's failure mode, operating time if it has none.
  FailureClock failure_clock = FailureClock::kOperatingTime;
  std::vector<double> durations_s[kDurationQuantities];  // indexed by DurationQuantity
  std::size_t censored[kDurationQuantities] = {};        // left out, as described above
  std::size_t multi_part_readings = 0;                   // a counter step of more than one part
  std::size_t counter_resets = 0;                        // a counter reading below the one before
  std::size_t failures = 0;  // down periods begun (censored ones included)

  const std::vector<double>& of(DurationQuantity q) const {
    return durations_s[static_cast<int>(q)];
  }
};

// The durations of every station of the scene, in Scene::stations() order; a station whose id no
// machine in the log has comes back with no samples.
std::vector<StationDurations> extract_station_durations(const Scene& scene,
                                                        const TelemetryLog& log);

struct CalibrationSettings {
  FitSettings fit;
  // Fewer durations than this leave the scene's distribution as it is, with a warning (the fits
  // are still made and reported, so that a reviewer sees what the few observations suggest).
  std::size_t min_observations = 10;
};

// What became of a quantity in the calibrated scene.
enum class FitUse : std::uint8_t {
  kReplaced,            // the chosen fit is in the calibrated scene
  kNoObservations,      // nothing was timed: nothing to say
  kTooFewObservations,  // fewer than min_observations: kept, with a warning
  kNoSpread,            // every duration the same (all 0 s included): no fit, kept, with a warning
  kNotTimed,            // processing at a station whose counters cannot time one part: kept
  kNotFitted,           // no family fits these durations: kept
  kNoBreakdowns,        // failures of a station the scene gives no breakdowns: too few to add them
};
// "replaced", "no_observations", "too_few_observations", "no_spread", "not_timed",
// "not_fitted", "no_breakdowns": the report's `status`.
std::string_view to_string(FitUse use);
// Too few observations or no spread: the calibrated scene keeps a value the log does not support.
bool is_warning(FitUse use);

struct QuantityCalibration {
  DurationQuantity quantity = DurationQuantity::kProcessing;
  std::size_t observations = 0;
  std::size_t censored = 0;
  // Every family fitted to the observations; none when there were none or they have no spread.
  std::optional<FamilyComparison> fits;
  FitUse use = FitUse::kNoObservations;
  std::string note;  // why it was not replaced, or what else to know; empty if nothing

  const DistributionFit* chosen() const { return fits ? fits->best() : nullptr; }
  bool replaced() const { return use == FitUse::kReplaced; }
};

struct StationCalibration {
  ElementIndex element = kNoElement;
  std::string station;
  std::size_t samples = 0;
  FailureClock failure_clock = FailureClock::kOperatingTime;
  bool breakdowns_in_scene = false;
  bool breakdowns_added = false;  // the scene had none; telemetry showed enough to fit them
  std::size_t failures = 0;
  std::size_t multi_part_readings = 0;
  std::size_t counter_resets = 0;
  QuantityCalibration quantities[kDurationQuantities];  // indexed by DurationQuantity

  const QuantityCalibration& of(DurationQuantity q) const {
    return quantities[static_cast<int>(q)];
  }
};

struct CalibrationReport {
  std::string scene_file;
  std::size_t samples = 0;            // in the log
  std::size_t samples_elsewhere = 0;  // of machines that are not stations of the scene
  std::int64_t first_timestamp_us = 0;
  std::int64_t last_timestamp_us = 0;
  CalibrationSettings settings;
  std::vector<StationCalibration> stations;  // Scene::stations() order
};

// Extracts, fits (every family, chosen by AIC) and decides what the calibrated scene takes.
// A station's processing is replaced only when the station makes one part at a time from one
// processing distribution (one server, no batches, splits or per-product processing times): the
// counters of any other station do not time single parts. Its breakdowns are replaced (time to
// failure and time to repair each on its own), or added when the scene has none and the log holds
// enough failures and repairs, counted on operating time.
CalibrationReport calibrate(const Scene& scene, const TelemetryLog& log,
                            const CalibrationSettings& settings = {});

}  // namespace linetwin
