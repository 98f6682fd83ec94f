#include "experiment/warmup_detection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include "core/input_error.hpp"
#include "plant/line_run.hpp"

namespace linetwin {

namespace {

// A run cut finer than this would hold a series of more than 8 MB per pilot replication, and
// MSER needs nowhere near that resolution (its answer is a whole number of batches).
constexpr double kMaxIntervals = 1e6;

double default_interval_s(double duration_s) {
  return std::max(1.0, std::round(duration_s / 500.0));
}

}  // namespace

MserResult mser5(std::span<const double> series) {
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (!std::isfinite(series[i])) {
      throw InputError({"", 0, 0, fmt::format("series[{}]", i)},
                       fmt::format("a warm-up series needs finite values; found {}", series[i]));
    }
  }
  MserResult result;
  result.batches = series.size() / kMserBatchSize;
  const std::size_t m = result.batches;
  if (m < 2) {
    result.mser = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  std::vector<double> batch_means(m);
  for (std::size_t j = 0; j < m; ++j) {
    double sum = 0.0;
    for (std::size_t k = 0; k < kMserBatchSize; ++k)
      sum += series[j * kMserBatchSize + k];
    batch_means[j] = sum / static_cast<double>(kMserBatchSize);
  }

  // The sums over the batches kept (those after d) are built from the last batch backwards, one
  // batch per d, so every MSER(d) costs O(1). Welford's update in place of raw sums of Z and Z^2:
  // sum Z^2 - (sum Z)^2 / n cancels catastrophically when the spread is small beside the mean, and
  // a constant tail must give exactly 0, else rounding would decide the ties.
  const std::size_t last_d = (m - 1) / 2;  // the largest d < m / 2
  double mean = 0.0;
  double squares = 0.0;  // sum of squared deviations from `mean` of the batches kept
  result.mser = std::numeric_limits<double>::infinity();
  for (std::size_t d = m; d-- > 0;) {
    const double kept = static_cast<double>(m - d);
    const double delta = batch_means[d] - mean;
    mean += delta / kept;
    squares += delta * (batch_means[d] - mean);
    if (d > last_d) continue;
    const double mser = squares / (kept * kept);
    // Going down in d, `<=` leaves the smallest d among equal minima.
    if (mser <= result.mser) {
      result.mser = mser;
      result.truncated_batches = d;
    }
  }
  result.truncated_observations = kMserBatchSize * result.truncated_batches;
  result.reliable = result.truncated_batches < last_d;
  return result;
}

std::optional<std::string> warmup_detection_problem(const WarmupDetectionSettings& settings,
                                                    const RunSettings& run) {
  if (settings.pilot_replications == 0) {
    return "pilot_replications: expected at least 1 replication";
  }
  if (settings.interval_s) {
    const double interval = *settings.interval_s;
    if (!std::isfinite(interval) || interval <= 0.0) {
      return fmt::format("interval_s: expected a positive number of seconds, found {}", interval);
    }
    if (run.duration_s / interval > kMaxIntervals) {
      return fmt::format(
          "interval_s: {} s cuts the run of {} s into more than {:.0f} intervals; expected at "
          "least {} s",
          interval, run.duration_s, kMaxIntervals, run.duration_s / kMaxIntervals);
    }
  }
  return std::nullopt;
}

std::vector<double> record_kpi_series(const Scene& scene, std::uint64_t seed,
                                      std::uint32_t replication, const RunSettings& run,
                                      WarmupKpi kpi, double interval_s, const CancelFlag* cancel) {
  RunSettings from_empty = run;
  from_empty.warmup_s = 0.0;
  LineRun line(scene, seed, replication, from_empty);
  line.cancel_on(cancel);
  const auto intervals = static_cast<std::size_t>(std::floor(run.duration_s / interval_s));
  std::vector<double> series;
  series.reserve(intervals);
  // With no warm-up the run observes from time 0, so its results are cumulative from the start:
  // an interval's value is the difference of two readings. The clock stands at each step's time
  // (advance_to never passes the end), and the time actually reached is what divides.
  double time_before = 0.0;
  double wip_integral_before = 0.0;
  std::uint64_t completed_before = 0;
  for (std::size_t k = 1; k <= intervals; ++k) {
    // The run looks at the flag after stretches of events; an interval may hold fewer.
    if (cancel && cancel->load(std::memory_order_relaxed)) throw RunCancelled();
    line.advance_to(static_cast<double>(k) * interval_s);
    if (line.deadlock()) break;  // the interval it stopped in is incomplete
    const ReplicationResult now = line.results();
    const double span = now.observed_s - time_before;
    const double wip_integral = now.wip_mean * now.observed_s;
    switch (kpi) {
      case WarmupKpi::kWip:
        series.push_back((wip_integral - wip_integral_before) / span);
        break;
      case WarmupKpi::kThroughput:
        series.push_back(static_cast<double>(now.parts_completed - completed_before) / span *
                         3600.0);
        break;
    }
    time_before = now.observed_s;
    wip_integral_before = wip_integral;
    completed_before = now.parts_completed;
  }
  return series;
}

WarmupDetection detect_warmup(const Scene& scene, std::uint64_t seed, const RunSettings& run,
                              const WarmupDetectionSettings& settings, unsigned threads,
                              const CancelFlag* cancel) {
  if (const auto problem = warmup_detection_problem(settings, run)) {
    throw InputError({}, "warm-up detection: " + *problem);
  }
  WarmupDetection detection;
  detection.interval_s = settings.interval_s.value_or(default_interval_s(run.duration_s));

  const std::size_t pilots = settings.pilot_replications;
  std::vector<std::vector<double>> series(pilots);
  std::vector<std::exception_ptr> failures(pilots);
  auto pilot = [&](std::size_t r) {
    try {
      series[r] = record_kpi_series(scene, seed, static_cast<std::uint32_t>(r), run, settings.kpi,
                                    detection.interval_s, cancel);
    } catch (...) {
      failures[r] = std::current_exception();  // never across a thread: rethrown below
    }
  };
  unsigned workers = threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, pilots));
  if (workers <= 1) {
    for (std::size_t r = 0; r < pilots; ++r)
      pilot(r);
  } else {
    // Pilot runs are alike in length, so a fixed share per thread balances well enough.
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        for (std::size_t r = w; r < pilots; r += workers)
          pilot(r);
      });
    }
  }
  // The first failure by replication index, whichever thread met it first.
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }

  std::size_t length = series.front().size();
  for (const std::vector<double>& s : series)
    length = std::min(length, s.size());
  detection.mean_series.assign(length, 0.0);
  for (const std::vector<double>& s : series) {
    for (std::size_t i = 0; i < length; ++i)
      detection.mean_series[i] += s[i];
  }
  for (double& value : detection.mean_series)
    value /= static_cast<double>(pilots);

  detection.mser = mser5(detection.mean_series);
  detection.warmup_s =
      static_cast<double>(detection.mser.truncated_observations) * detection.interval_s;
  return detection;
}

}  // namespace linetwin
