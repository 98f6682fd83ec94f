#include "telemetry/drift_watch.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace linetwin {

DriftWatch::DriftWatch(const Scene& scene, const TelemetryNames& names,
                       const DriftSettings& settings, std::optional<double> check_every_s)
    : settings_(settings),
      monitor_(scene, names, settings),
      window_us_(std::llround(settings.window_s * 1e6)),
      check_every_us_(std::llround(check_every_s.value_or(settings.window_s) * 1e6)),
      last_checks_(scene.stations().size()) {
  assert(check_every_us_ > 0 && "checks must be some time apart");
}

void DriftWatch::observe(const TelemetrySample& sample) {
  if (!started_) {
    // The first window starts with the first sample: the monitor has seen every station's state
    // from then on, so the first check judges every station that reported at the start.
    started_ = true;
    next_check_us_ = sample.timestamp_us + window_us_;
    newest_us_ = sample.timestamp_us;
  }
  run_checks(sample.timestamp_us, false);
  monitor_.observe(sample);
  newest_us_ = std::max(newest_us_, sample.timestamp_us);
}

void DriftWatch::finish(std::int64_t end_us) {
  if (started_) run_checks(end_us, true);
}

void DriftWatch::run_checks(std::int64_t until_us, bool through) {
  while (until_us > next_check_us_ || (through && until_us == next_check_us_)) {
    if (newest_us_ < next_check_us_ - window_us_) {
      // Nothing arrived in this window, nor in the later ones due now (they start later still):
      // skip them all at once.
      const std::int64_t ahead = until_us - next_check_us_;
      const std::int64_t due =
          through ? ahead / check_every_us_ + 1 : (ahead + check_every_us_ - 1) / check_every_us_;
      silent_windows_ += static_cast<std::uint64_t>(due);
      next_check_us_ += due * check_every_us_;
      return;
    }
    check_at(next_check_us_);
    next_check_us_ += check_every_us_;
  }
}

void DriftWatch::check_at(std::int64_t now_us) {
  ++checks_run_;
  std::vector<DriftCheck> checks = monitor_.evaluate(now_us);
  // evaluate() lists a station's checks together, in the order of the scene's stations.
  const std::vector<StationPrediction>& stations = monitor_.prediction().stations;
  std::size_t s = 0;
  for (std::size_t i = 0; i < checks.size();) {
    while (stations[s].element != checks[i].element)
      ++s;
    std::vector<DriftCheck>& last = last_checks_[s];
    last.clear();
    for (; i < checks.size() && checks[i].element == stations[s].element; ++i) {
      if (checks[i].outside) alerts_.push_back(checks[i]);
      last.push_back(checks[i]);
    }
  }
}

}  // namespace linetwin
