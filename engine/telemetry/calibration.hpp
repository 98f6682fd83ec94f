// Calibration: the processing, failure and repair times of a scene's stations fitted to a
// telemetry log, and the scene file rewritten with them, so that a what-if starts from the line
// as it really runs. `linetwin calibrate` is this file on the command line; docs/calibration.md
// describes the method and the report.
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
// when a log holds only a few failures; docs/calibration.md says by how much.
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
  // Fewer durations than this leave the scene's distribution as it is.
  std::size_t min_observations = 10;
};

struct QuantityCalibration {
  DurationQuantity quantity = DurationQuantity::kProcessing;
  std::size_t observations = 0;
  std::size_t censored = 0;
  std::optional<FamilyComparison> fits;  // when there were enough observations
  bool replaced = false;                 // the calibrated scene takes the chosen fit
  std::string note;  // why it was not replaced, or what else to know; empty if nothing

  const DistributionFit* chosen() const { return fits ? fits->best() : nullptr; }
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

// The scene file at `scene_path` with the distributions that calibration replaced written in, as
// YAML text for `output_path`: the original is loaded with yaml-cpp and only those fields change
// (yaml-cpp does not keep comments, so the original's comments are lost; a header comment says
// where the numbers came from). Relative paths in it (order files, models) are rewritten to stay
// valid from the output's folder. The text is checked to load as a scene before it is returned;
// a problem is an InputError.
std::string calibrated_scene_yaml(const std::string& scene_path, const CalibrationReport& report,
                                  const std::string& output_path, std::string_view provenance = {});

}  // namespace linetwin
