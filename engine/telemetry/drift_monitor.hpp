// Drift: while telemetry flows, each station's KPIs over a sliding window are compared with what
// the scene (the model) predicts for a window of that length, and a station whose observed KPI
// falls outside the model's prediction band is flagged: its behaviour has drifted from the model
// (a slower cycle, more breakdowns, longer repairs), so what-ifs run on the model no longer hold
// for it, and it is time to recalibrate (telemetry/calibration.hpp).
//
// The band is a prediction interval for one window, not a confidence interval of the mean: the
// scene is simulated for `replications` independent windows of the same length (after a warm-up),
// and the band runs from the j-th smallest to the j-th largest of the R simulated values. A new
// window of the same model is another exchangeable draw, so it falls inside with probability
// exactly (R + 1 - 2j) / (R + 1) whatever the KPI's distribution (Wilks 1941), skewed shares and
// counts included; j is the largest that keeps this at or above the coverage asked for.
//
// KPIs per station: the shares of the window spent producing, idle (starved or waiting for an
// operator), blocked, down and in setup, with the definitions of StationResult
// (plant/replication_result.hpp), and good parts per hour. A station with several servers reports
// one state for all of them, which does not compare with the model's per-server shares, so only
// its good parts per hour are judged. Off-shift time is not judged: the model's windows do not
// follow the plant's calendar, so a scene with shift calendars should use windows within a shift.
//
// The monitor keeps each station's state changes and part counts for the last window only, so its
// memory does not grow with the run. Samples older than their machine's newest are ignored and
// counted (the twins decide about out-of-order samples; the monitor only needs time order).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plant/scene.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

enum class DriftKpi : std::uint8_t {
  kProducingShare,
  kIdleShare,
  kBlockedShare,
  kDownShare,
  kSetupShare,
  kGoodPartsPerHour,
};
inline constexpr int kDriftKpiCount = 6;
// "producing_share", "idle_share", "blocked_share", "down_share", "setup_share",
// "good_parts_per_hour".
std::string_view to_string(DriftKpi kpi);

struct DriftSettings {
  double window_s = 8 * 3600.0;
  double coverage = 0.99;             // of each station's band for each KPI
  std::uint32_t replications = 200;   // simulated windows the band is read from
  std::optional<double> warmup_s;     // before each simulated window; default: the scene's
                                      // warm-up, or one window when the scene has none
  std::optional<std::uint64_t> seed;  // default: the scene's
  unsigned threads = 1;               // for the simulated windows; 0: one per core
  // A window with more time than this in `unknown` (no telemetry) is not judged.
  double max_unknown_share = 0.05;
};

struct KpiBand {
  double mean = 0.0;  // over the simulated windows
  double low = 0.0;
  double high = 0.0;
};

struct StationPrediction {
  ElementIndex element = kNoElement;
  std::string station;
  bool shares_judged = true;  // false for a station with several servers
  std::array<KpiBand, kDriftKpiCount> bands{};
};

struct ModelPrediction {
  double window_s = 0.0;
  std::uint32_t replications = 0;
  double coverage = 0.0;                    // achieved: (R + 1 - 2j) / (R + 1)
  std::vector<StationPrediction> stations;  // Scene::stations() order
};

// Simulates the windows and reads the bands. Throws InputError (field "replications") when there
// are too few replications for the coverage: at least 2 / (1 - coverage) - 1 are needed.
ModelPrediction predict_station_windows(const Scene& scene, const DriftSettings& settings);

struct DriftCheck {
  ElementIndex element = kNoElement;
  std::string station;
  DriftKpi kpi = DriftKpi::kProducingShare;
  double observed = 0.0;
  KpiBand band;
  bool outside = false;
  std::int64_t window_start_us = 0;
  std::int64_t window_end_us = 0;
};
// A check that came out outside its band.
using DriftAlert = DriftCheck;

class DriftMonitor {
 public:
  // Simulates the model's windows now (see predict_station_windows). `names` is the table the
  // samples' machine indices refer to (the twins' names() when live); it may grow. The scene and
  // the names must outlive the monitor.
  DriftMonitor(const Scene& scene, const TelemetryNames& names, const DriftSettings& settings = {});
  // With a prediction made before, for the same scene and window length.
  DriftMonitor(const Scene& scene, const TelemetryNames& names, ModelPrediction prediction,
               const DriftSettings& settings = {});

  void observe(const TelemetrySample& sample);
  // Every station and KPI whose window [now - window, now] is covered by telemetry. `now` is
  // meant to be at or after the newest sample observed (the monitor keeps one window of history).
  std::vector<DriftCheck> evaluate(std::int64_t now_us) const;
  // Only those outside their band: the stations that drifted.
  std::vector<DriftAlert> check(std::int64_t now_us) const;

  const ModelPrediction& prediction() const { return prediction_; }
  // Samples older than their machine's newest, ignored.
  std::uint64_t samples_out_of_order() const { return out_of_order_; }

 private:
  struct StationWindow {
    std::deque<std::pair<std::int64_t, MachineState>> states;  // changes, oldest first
    std::deque<std::pair<std::int64_t, double>> good;  // running good-part total at each reading
    std::int64_t newest_us = std::numeric_limits<std::int64_t>::min();
    double last_reading = 0.0;
    bool has_reading = false;
    double good_total = 0.0;
  };
  // Position among the scene's stations of a machine index, or -1; resolved as names grow.
  std::int64_t station_of(std::uint32_t machine);
  void forget_before(StationWindow& w, std::int64_t t) const;

  const Scene& scene_;
  const TelemetryNames& names_;
  DriftSettings settings_;
  ModelPrediction prediction_;
  std::vector<std::int64_t> station_of_machine_;
  std::vector<StationWindow> windows_;
  std::uint64_t out_of_order_ = 0;
};

}  // namespace linetwin
