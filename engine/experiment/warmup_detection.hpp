// Warm-up detection: how long a run must go before its KPIs measure the line in steady state, by
// MSER-5 (White 1997; White, Cobb & Spratt 2000; Spratt 1998) on a KPI series recorded within
// pilot runs started empty.
//
// MSER-5 cuts the series into batches of 5 observations and discards the first d batches, d
// chosen to minimise the squared standard error of the mean of what is kept; it trades the bias of
// the transient against the loss of data, so a transient is cut where its bias falls below the
// noise of a batch. Replicated runs are averaged point by point and MSER-5 is applied to the
// average, the usual way of using it with replications (Hoad, Robinson & Davies 2010, "Automating
// warm-up length estimation", JORS 61:1389-1403): averaging lowers the noise, so more pilot
// replications resolve a smaller transient.
//
// "Not reliable" means the minimum lay at the edge of the search (MSER looks only at the first
// half of the batches, where the mean of what is kept still rests on enough data): the transient
// may last as long as half the run or more, or the series is too short to tell. The answer is
// then no estimate of a warm-up; run longer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cancellation.hpp"
#include "plant/scene.hpp"

namespace linetwin {

inline constexpr std::size_t kMserBatchSize = 5;

struct MserResult {
  std::size_t truncated_observations = 0;  // kMserBatchSize * truncated_batches
  std::size_t truncated_batches = 0;       // d
  std::size_t batches = 0;                 // m: complete batches; an incomplete last one dropped
  double mser = 0.0;                       // MSER(d); NaN with fewer than 2 batches
  bool reliable = false;                   // d below the last one searched; else run longer
};

// MSER-5 on `series`: d minimises MSER(d) = sum_{j>d} (Z_j - mean_{j>d} Z)^2 / (m - d)^2 over the
// batch means Z_1..Z_m, d in [0, m/2); ties go to the smallest d. With fewer than 2 batches (under
// 10 observations) there is nothing to trade: d = 0, MSER NaN, not reliable. Throws InputError
// naming the element (field "series[i]") when a value is NaN or infinite. O(size of the series).
MserResult mser5(std::span<const double> series);

// The KPIs whose series a run records, one value per interval.
enum class WarmupKpi : std::uint8_t {
  kWip,         // time-average parts in the line over the interval
  kThroughput,  // parts completed in the interval, per hour
};

struct WarmupDetectionSettings {
  WarmupKpi kpi = WarmupKpi::kWip;
  // Length of one observation of the series; none: the run's duration / 500 rounded to a whole
  // second (at least 1 s), so about 100 batches of 5 over the run.
  std::optional<double> interval_s;
  // Hoad, Robinson & Davies (2010) average 5; 10 lower the noise by a further sqrt(2), which
  // M/M/1 at rho = 0.9 needs (started empty, 5 pilots missed its warm-up in 19 of 50 seeds, 10 in
  // 2: docs/experiments.md).
  std::uint32_t pilot_replications = 10;
};

// What is wrong with `settings` for runs of `run` (a message naming the field: "interval_s" or
// "pilot_replications"); nothing when they can be used.
std::optional<std::string> warmup_detection_problem(const WarmupDetectionSettings& settings,
                                                    const RunSettings& run);

// The series of `kpi` in one replication run for run.duration_s from an empty line, its warm-up
// set to 0 whatever `run` says: the value of each complete interval, in order. The run computes
// what it would without the recording (its results are read, never changed). A run that deadlocks
// stops there, and the series holds the intervals complete by then. Once `cancel` is set, the run
// stops: RunCancelled.
std::vector<double> record_kpi_series(const Scene& scene, std::uint64_t seed,
                                      std::uint32_t replication, const RunSettings& run,
                                      WarmupKpi kpi, double interval_s,
                                      const CancelFlag* cancel = nullptr);

struct WarmupDetection {
  double warmup_s = 0.0;  // kMserBatchSize * truncated batches * interval_s
  double interval_s = 0.0;
  MserResult mser;
  // The series MSER-5 was applied to: the pilot replications' series averaged point by point,
  // as long as the shortest (a deadlocked pilot stops early).
  std::vector<double> mean_series;
};

// Runs replications 0 .. pilot_replications - 1 of `scene` (the streams a sweep with `seed` uses
// for them) as record_kpi_series does, on `threads` threads (0: one per hardware thread), and
// applies MSER-5 to their average. Results are kept by replication index, so they are
// bit-identical for any thread count. Throws InputError (no location) when
// warmup_detection_problem finds one, and whatever a run throws: RunCancelled once `cancel` is
// set, which stops every pilot.
WarmupDetection detect_warmup(const Scene& scene, std::uint64_t seed, const RunSettings& run,
                              const WarmupDetectionSettings& settings, unsigned threads = 1,
                              const CancelFlag* cancel = nullptr);

}  // namespace linetwin
