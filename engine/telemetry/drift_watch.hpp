// Drift checks on a stream of telemetry: a DriftMonitor (drift_monitor.hpp) that is handed every
// sample the twins applied, in timestamp order, and checks itself at the end of each window of
// message time. `linetwin live --drift` and `linetwin replay --drift` both use it, so that a live
// session and a replay of the same telemetry flag the same stations in the same windows.
//
// Checks run in message time, not wall-clock time: the first window starts at the first sample
// observed, and a check at time t runs when the first sample newer than t arrives (or at the end
// of the stream, finish()), after every sample up to t has been observed and before any newer
// one, which is what DriftMonitor::evaluate needs. With the checks one window apart (the
// default) the windows are back to back and disjoint, so each KPI of each station is flagged in
// a window of a line that behaves as modelled with probability 1 - coverage.
//
// A window in which no machine sent anything is not checked: the line's telemetry was silent (a
// link down, a gateway stopped), and judging the states it last reported as if they had held
// would flag a healthy line, or, after a sample stamped years ahead by a wrong clock, run a check
// for every window in between. Such windows are skipped and counted.
//
// It keeps every alert (a few per window at most: the stations times six KPIs) and, per station,
// the checks of the last window in which it was judged.
//
// Checks closer together cost more and tell no more: min_check_spacing() gives the least time
// between them that a command accepts (docs/calibration.md, "Drift").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plant/scene.hpp"
#include "telemetry/drift_monitor.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

// The telemetry a watch will be handed, where it is known beforehand (a recorded log).
struct TelemetryExtent {
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
  std::size_t samples = 0;
};

// Checks closer than a thousandth of the window would judge each moment of telemetry in more than
// this many windows that barely differ, at a cost that grows without bound as they close in.
inline constexpr std::int64_t kMaxOverlappingWindows = 1000;

struct CheckSpacingBound {
  std::int64_t min_us = 1;  // rounded up to four significant digits, so that it reads as checked
  std::string reason;       // which bound binds, e.g. "the log's 44h over its 23414 samples: ..."
};

// The least message time between checks: 1 us (the resolution of timestamps); a thousandth of
// the window (kMaxOverlappingWindows); and for telemetry known beforehand, its span over its
// samples, so that checks are no more than samples: a check between two samples judges no new
// telemetry, and a long log checked every millisecond would take billions of them.
CheckSpacingBound min_check_spacing(double window_s,
                                    const std::optional<TelemetryExtent>& telemetry = std::nullopt);

class DriftWatch {
 public:
  // Simulates the model's windows now (predict_station_windows), which takes a moment for a few
  // hundred replications. `check_every_s` (> 0; default: the window) is the message time between
  // checks; shorter than the window, the windows overlap; at least 1 us (commands hold it to
  // min_check_spacing). The scene and the names (the twins') must outlive the watch.
  DriftWatch(const Scene& scene, const TelemetryNames& names, const DriftSettings& settings,
             std::optional<double> check_every_s = std::nullopt);

  // A sample the twins applied; samples come in timestamp order. Runs the checks due before it.
  void observe(const TelemetrySample& sample);
  // The end of the stream at `end_us` (the newest sample's time): runs the checks due up to it.
  void finish(std::int64_t end_us);

  const ModelPrediction& prediction() const { return monitor_.prediction(); }
  const DriftSettings& settings() const { return settings_; }
  double check_every_s() const { return static_cast<double>(check_every_us_) * 1e-6; }
  std::uint64_t checks_run() const { return checks_run_; }
  // Checks skipped because no sample at all arrived within their window.
  std::uint64_t silent_windows() const { return silent_windows_; }
  // Every check outside its band so far, in the order found: by window, then station, then KPI.
  const std::vector<DriftAlert>& alerts() const { return alerts_; }
  // Per station (Scene::stations() order): the checks of the last window in which it was judged;
  // empty while it has not been.
  const std::vector<std::vector<DriftCheck>>& last_checks() const { return last_checks_; }
  std::uint64_t samples_out_of_order() const { return monitor_.samples_out_of_order(); }

 private:
  // Runs the checks due before `until_us` (and at it, with `through`), skipping silent windows.
  void run_checks(std::int64_t until_us, bool through);
  void check_at(std::int64_t now_us);

  DriftSettings settings_;
  DriftMonitor monitor_;
  std::int64_t window_us_ = 0;
  std::int64_t check_every_us_ = 0;
  std::int64_t next_check_us_ = 0;
  std::int64_t newest_us_ = 0;  // the newest sample observed
  bool started_ = false;
  std::uint64_t checks_run_ = 0;
  std::uint64_t silent_windows_ = 0;
  std::vector<DriftAlert> alerts_;
  std::vector<std::vector<DriftCheck>> last_checks_;
};

}  // namespace linetwin
