#include "telemetry/drift_watch.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/duration.hpp"

namespace linetwin {

namespace {

// Microseconds rounded up to a whole number with at most four significant digits (6766654 to
// 6767000), so that a bound reads short and the value read is accepted.
std::int64_t round_up_us(double us) {
  constexpr auto kMost = std::numeric_limits<std::int64_t>::max();
  if (!(us < 1e18)) return kMost / 10 * 10;  // over 30,000 years: no spacing passes
  auto whole = static_cast<std::int64_t>(std::ceil(us));
  std::int64_t scale = 1;
  while (whole / scale >= 10'000)
    scale *= 10;
  return (whole + scale - 1) / scale * scale;
}

}  // namespace

CheckSpacingBound min_check_spacing(double window_s,
                                    const std::optional<TelemetryExtent>& telemetry) {
  CheckSpacingBound bound{1, "the resolution of telemetry timestamps"};
  auto raise = [&](double us, auto&& reason) {
    const std::int64_t rounded = round_up_us(us);
    if (rounded > bound.min_us) bound = {rounded, reason()};
  };
  raise(window_s * 1e6 / static_cast<double>(kMaxOverlappingWindows), [&] {
    return fmt::format("a thousandth of the {} window: at most {} windows overlap",
                       format_duration(window_s), kMaxOverlappingWindows);
  });
  if (telemetry && telemetry->samples > 0) {
    // Unsigned: a file's timestamps may lie anywhere in the int64 range.
    const double span_us = static_cast<double>(static_cast<std::uint64_t>(telemetry->last_us) -
                                               static_cast<std::uint64_t>(telemetry->first_us));
    raise(span_us / static_cast<double>(telemetry->samples), [&] {
      return fmt::format("the log's {} over its {} samples: at most one check per sample",
                         format_duration(span_us * 1e-6), telemetry->samples);
    });
  }
  return bound;
}

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
