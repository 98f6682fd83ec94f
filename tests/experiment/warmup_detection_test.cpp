// MSER-5 on series whose truncation point is known, checked against its definition computed the
// slow way; the KPI series a run records; and detect_warmup's independence of the thread count.
//
// How far MSER-5 may land from the end of a transient. Where the transient is followed by a
// constant, every d past the transient's last batch gives MSER(d) = 0 and every earlier d a
// positive value, so the answer is exactly the first batch boundary at or after the transient's
// end L: within one batch (5 observations), never before L. Where noise follows, two sides differ:
// - Early: keeping one batch whose bias is b raises the sum of squares by about b^2 while the
//   divisor (m - d)^2 changes by a factor of about 1 + 2 / (m - d), so a batch is kept only if b^2
//   is below about twice the variance of a batch mean. The transients below end with a bias of at
//   least 10 noise standard deviations (22 of a batch mean of 5): cutting early would take a
//   20-sigma draw. Never.
// - Late: past the transient the series is i.i.d., and dropping k more batches lowers MSER when
//   their squared deviations add up to more than about 2k batch variances (the divisor shrinks by
//   about 2k / (m - d)): a chi-square with k degrees of freedom above 2k, so the walk
//   S_k = sum (chi2_1 - 2) must climb above 0. exp(S_k / 4) is a supermartingale with
//   E exp(S_k / 4) = (sqrt(2) / e^(1/2))^k = 0.858^k (Chernoff), so by the maximal inequality
//   P(late by k batches or more) <= 0.858^k: at most 4.7% for 20 batches, and a mean lateness of at
//   most sum_k 0.858^k = 6.0 batches. That bounds a share of series, not one series: a single
//   noisy series is two batches late with a probability of the order of P(chi2_2 > 4) = 13.5%, so
//   no test of one seed can honestly demand "within one batch" of noisy data. The noisy tests
//   check the shares over 200 series.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/input_error.hpp"
#include "core/random_stream.hpp"
#include "experiment/warmup_detection.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

constexpr std::size_t kSeries = 200;           // noisy series per ensemble
constexpr std::size_t kObservations = 1000;    // 200 batches: MSER searches d in [0, 100)
constexpr std::size_t kTransient = 103;        // ends inside batch 20 (observations 100..104)
constexpr std::size_t kTransientBatches = 21;  // ceil(103 / 5): the first batch wholly after it

// The Chernoff bound above: P(late by >= 20 batches) <= 0.858^20 = 4.7%. Asserting at most 10%
// of 200 series leaves room for the binomial spread: P(Binomial(200, 0.047) > 20) < 1e-3.
constexpr std::size_t kFarLateBatches = 20;
constexpr std::size_t kMaxFarLate = kSeries / 10;
constexpr double kMaxMeanLateBatches = 6.0;

// MSER(d) straight from its definition, O(m^2): the batch means, then for every d the mean and
// the sum of squared deviations of the batches kept.
MserResult mser5_by_definition(const std::vector<double>& series) {
  MserResult r;
  r.batches = series.size() / 5;
  std::vector<double> z(r.batches);
  for (std::size_t j = 0; j < r.batches; ++j) {
    z[j] = (series[5 * j] + series[5 * j + 1] + series[5 * j + 2] + series[5 * j + 3] +
            series[5 * j + 4]) /
           5.0;
  }
  r.mser = std::numeric_limits<double>::infinity();
  std::size_t last_d = 0;
  for (std::size_t d = 0; 2 * d < r.batches; ++d) {
    double mean = 0.0;
    for (std::size_t j = d; j < r.batches; ++j)
      mean += z[j];
    mean /= static_cast<double>(r.batches - d);
    double squares = 0.0;
    for (std::size_t j = d; j < r.batches; ++j)
      squares += (z[j] - mean) * (z[j] - mean);
    const double n = static_cast<double>(r.batches - d);
    if (squares / (n * n) < r.mser) {
      r.mser = squares / (n * n);
      r.truncated_batches = d;
    }
    last_d = d;
  }
  r.truncated_observations = 5 * r.truncated_batches;
  r.reliable = r.truncated_batches < last_d;
  return r;
}

// Standard normal noise with mean `level`: the normal truncated at zero, 100 standard deviations
// away, is the normal.
std::vector<double> noise(std::uint64_t index, double level) {
  const Distribution normal = Distribution::normal(100.0, 1.0);
  RandomStream rng(2024, "warm-up test", "noise", index);
  std::vector<double> values(kObservations);
  for (double& v : values)
    v = normal.sample(rng) - 100.0 + level;
  return values;
}

// A linear transient from 30 down to 20 above the level over the first kTransient observations.
void add_linear_transient(std::vector<double>& series) {
  for (std::size_t i = 0; i < kTransient; ++i)
    series[i] += 30.0 - 10.0 * static_cast<double>(i) / kTransient;
}

// Checks mser5 against the definition on `series` and returns how many batches late it cut.
std::size_t batches_late(const std::vector<double>& series, std::size_t transient_batches) {
  const MserResult fast = mser5(series);
  const MserResult slow = mser5_by_definition(series);
  CHECK(fast.truncated_batches == slow.truncated_batches);
  CHECK(fast.reliable == slow.reliable);
  CHECK(fast.mser == doctest::Approx(slow.mser).epsilon(1e-10));
  REQUIRE(fast.truncated_batches >= transient_batches);  // never early: see the top of the file
  return fast.truncated_batches - transient_batches;
}

void check_lateness(const std::vector<std::size_t>& late) {
  const auto far_late = static_cast<std::size_t>(
      std::count_if(late.begin(), late.end(), [](std::size_t k) { return k >= kFarLateBatches; }));
  double mean = 0.0;
  for (std::size_t k : late)
    mean += static_cast<double>(k);
  mean /= static_cast<double>(late.size());
  const auto within_one = static_cast<std::size_t>(
      std::count_if(late.begin(), late.end(), [](std::size_t k) { return k <= 1; }));
  MESSAGE(within_one << " of " << late.size() << " series within one batch, " << far_late
                     << " late by " << kFarLateBatches << " batches or more, mean lateness " << mean
                     << " batches");
  CHECK(far_late <= kMaxFarLate);
  CHECK(mean <= kMaxMeanLateBatches);
}

Scene scene_from_yaml(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "warmup.yaml");
}

// M/M/1 with an arrival every 1.25 s and a service of 1 s on average: rho = 0.8.
const char* const kQueue = R"(
seed: 7
run: {duration: 2000s}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 1.25s}, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: {distribution: exponential, mean: 1s}, to: out}
  - {id: out, type: sink}
)";

}  // namespace

TEST_CASE("MSER-5: a transient followed by a constant is cut at the first batch after it") {
  std::vector<double> linear(kObservations, 10.0);
  add_linear_transient(linear);
  std::vector<double> exponential(kObservations, 10.0);
  for (std::size_t i = 0; i < kTransient; ++i)
    exponential[i] += 50.0 * std::exp(-static_cast<double>(i) / 20.0);
  for (const std::vector<double>* series : {&linear, &exponential}) {
    const MserResult r = mser5(*series);
    CHECK(r.batches == kObservations / 5);
    CHECK(r.truncated_batches == kTransientBatches);
    CHECK(r.truncated_observations == 5 * kTransientBatches);
    CHECK(r.truncated_observations >= kTransient);
    CHECK(r.truncated_observations < kTransient + kMserBatchSize);
    CHECK(r.mser == 0.0);
    CHECK(r.reliable);
  }
}

TEST_CASE("MSER-5: a transient followed by noise is never cut early, and rarely much late") {
  std::vector<std::size_t> late;
  for (std::size_t s = 0; s < kSeries; ++s) {
    std::vector<double> series = noise(s, 10.0);
    add_linear_transient(series);
    late.push_back(batches_late(series, kTransientBatches));
  }
  check_lateness(late);
}

TEST_CASE("MSER-5: a stationary series is cut near its start") {
  std::vector<std::size_t> late;
  std::size_t reliable = 0;
  for (std::size_t s = 0; s < kSeries; ++s) {
    const std::vector<double> series = noise(kSeries + s, 10.0);
    late.push_back(batches_late(series, 0));
    reliable += mser5(series).reliable ? 1 : 0;
  }
  check_lateness(late);
  // Cut at the last d searched (99 of 200 batches) needs a lateness of 99: P <= 0.858^99 = 3e-7.
  CHECK(reliable == kSeries);
}

TEST_CASE("MSER-5: constant, too short, an incomplete batch, a trend, and values not finite") {
  SUBCASE("a constant series: every d ties at 0, and the smallest wins") {
    const MserResult r = mser5(std::vector<double>(50, 0.1));
    CHECK(r.batches == 10);
    CHECK(r.truncated_batches == 0);
    CHECK(r.mser == 0.0);
    CHECK(r.reliable);
  }
  SUBCASE("fewer than 2 batches: nothing to trade, d = 0, MSER NaN, not reliable") {
    for (std::size_t n : {0, 4, 5, 9}) {
      CAPTURE(n);
      const MserResult r = mser5(std::vector<double>(n, 1.0));
      CHECK(r.batches == n / 5);
      CHECK(r.truncated_batches == 0);
      CHECK(std::isnan(r.mser));
      CHECK_FALSE(r.reliable);
    }
  }
  SUBCASE("2 batches: d = 0 is the only one searched, so the edge, and not reliable") {
    const MserResult r = mser5(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(r.batches == 2);
    CHECK(r.truncated_batches == 0);
    CHECK(r.mser == doctest::Approx(12.5 / 4.0));  // batch means 3 and 8: squares 2 * 2.5^2
    CHECK_FALSE(r.reliable);
  }
  SUBCASE("an incomplete last batch is dropped") {
    std::vector<double> series = noise(7, 0.0);
    series.resize(52);
    const MserResult whole = mser5(std::span<const double>(series).first(50));
    series[50] = series[51] = 1e9;
    const MserResult r = mser5(series);
    CHECK(r.batches == 10);
    CHECK(r.truncated_batches == whole.truncated_batches);
    CHECK(r.mser == whole.mser);
  }
  SUBCASE("a trend through the whole series: the minimum at the edge, not reliable") {
    std::vector<double> trend(kObservations);
    for (std::size_t i = 0; i < trend.size(); ++i)
      trend[i] = static_cast<double>(i);
    const MserResult r = mser5(trend);
    CHECK(r.truncated_batches == kObservations / 5 / 2 - 1);
    CHECK_FALSE(r.reliable);
  }
  SUBCASE("NaN or an infinity is refused, naming its place") {
    std::vector<double> series(20, 1.0);
    for (double bad :
         {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity()}) {
      series[7] = bad;
      try {
        mser5(series);
        FAIL("a series with " << bad << " was accepted");
      } catch (const InputError& e) {
        CHECK(e.where().field_path == "series[7]");
        CHECK(std::string(e.what()).find("finite") != std::string::npos);
      }
    }
  }
}

TEST_CASE("KPI series: its intervals add up to what the whole run measures") {
  const Scene scene = scene_from_yaml(kQueue);
  RunSettings run = scene.run_settings();
  run.warmup_s = 600.0;  // ignored: the series starts from an empty line at time 0
  const double interval_s = 10.0;
  const std::vector<double> wip =
      record_kpi_series(scene, scene.seed(), 3, run, WarmupKpi::kWip, interval_s);
  const std::vector<double> throughput =
      record_kpi_series(scene, scene.seed(), 3, run, WarmupKpi::kThroughput, interval_s);
  REQUIRE(wip.size() == 200);
  REQUIRE(throughput.size() == 200);

  RunSettings whole_run = run;
  whole_run.warmup_s = 0.0;
  const ReplicationResult whole = LineRun(scene, scene.seed(), 3, whole_run).run_to_end();
  double wip_integral = 0.0;
  double completed = 0.0;
  for (std::size_t i = 0; i < wip.size(); ++i) {
    wip_integral += wip[i] * interval_s;
    completed += throughput[i] * interval_s / 3600.0;
    CHECK(wip[i] >= 0.0);
  }
  CHECK(wip_integral == doctest::Approx(whole.wip_mean * run.duration_s).epsilon(1e-12));
  CHECK(completed == doctest::Approx(static_cast<double>(whole.parts_completed)).epsilon(1e-12));
}

TEST_CASE("KPI series: a run that deadlocks gives the intervals complete before it stopped") {
  const Scene scene = load_scene_file(std::string(LINETWIN_SOURCE_DIR) +
                                      "/tests/plant/scenes/deadlock_rework_loop.yaml");
  const ReplicationResult whole = LineRun(scene, scene.seed(), 0).run_to_end();
  REQUIRE(whole.deadlock);
  const double interval_s = 5.0;
  const std::vector<double> series =
      record_kpi_series(scene, scene.seed(), 0, scene.run_settings(), WarmupKpi::kWip, interval_s);
  CHECK(series.size() == static_cast<std::size_t>(std::floor(whole.deadlock->time_s / interval_s)));
}

TEST_CASE("detect_warmup: the average of the pilot replications, the same on any thread count") {
  const Scene scene = scene_from_yaml(kQueue);
  WarmupDetectionSettings settings;
  settings.pilot_replications = 5;
  const WarmupDetection one = detect_warmup(scene, 11, scene.run_settings(), settings, 1);
  const WarmupDetection two = detect_warmup(scene, 11, scene.run_settings(), settings, 2);
  const WarmupDetection all = detect_warmup(scene, 11, scene.run_settings(), settings, 0);
  for (const WarmupDetection* other : {&two, &all}) {
    CHECK(other->mean_series == one.mean_series);  // bit for bit
    CHECK(other->warmup_s == one.warmup_s);
    CHECK(other->mser.mser == one.mser.mser);
  }
  // The default interval: 2000 s / 500 = 4 s.
  CHECK(one.interval_s == 4.0);
  REQUIRE(one.mean_series.size() == 500);
  CHECK(one.warmup_s == static_cast<double>(one.mser.truncated_observations) * 4.0);

  // Replications 0..4 of seed 11, averaged point by point.
  std::vector<double> sum(500, 0.0);
  for (std::uint32_t r = 0; r < 5; ++r) {
    const std::vector<double> s =
        record_kpi_series(scene, 11, r, scene.run_settings(), WarmupKpi::kWip, 4.0);
    for (std::size_t i = 0; i < sum.size(); ++i)
      sum[i] += s[i];
  }
  for (std::size_t i = 0; i < sum.size(); ++i)
    CHECK(one.mean_series[i] == sum[i] / 5.0);
}

TEST_CASE("detect_warmup: default interval, and settings it cannot use") {
  RunSettings run;
  run.duration_s = 8 * 3600.0;
  CHECK_FALSE(warmup_detection_problem({}, run));
  const Scene scene = scene_from_yaml(kQueue);
  auto interval_for = [&](double duration_s) {
    RunSettings short_run;
    short_run.duration_s = duration_s;
    WarmupDetectionSettings settings;
    settings.pilot_replications = 1;
    return detect_warmup(scene, 1, short_run, settings).interval_s;
  };
  CHECK(interval_for(28800.0) == 58.0);  // 57.6 rounded
  CHECK(interval_for(600.0) == 1.0);     // 1.2 rounded
  CHECK(interval_for(100.0) == 1.0);     // at least a second

  WarmupDetectionSettings none;
  none.pilot_replications = 0;
  CHECK(warmup_detection_problem(none, run)->starts_with("pilot_replications:"));
  for (double interval : {0.0, -5.0, std::numeric_limits<double>::quiet_NaN(), 0.01}) {
    CAPTURE(interval);
    WarmupDetectionSettings settings;
    settings.interval_s = interval;
    const auto problem = warmup_detection_problem(settings, run);
    REQUIRE(problem);
    CHECK(problem->starts_with("interval_s:"));
    CHECK_THROWS_AS(detect_warmup(scene, 1, run, settings), InputError);
  }
}

TEST_CASE("detect_warmup: a set cancel flag stops every pilot: RunCancelled") {
  const Scene scene = scene_from_yaml(kQueue);
  WarmupDetectionSettings settings;
  settings.pilot_replications = 4;
  const CancelFlag cancel{true};
  for (unsigned threads : {1u, 2u}) {
    CAPTURE(threads);
    CHECK_THROWS_AS(detect_warmup(scene, 11, scene.run_settings(), settings, threads, &cancel),
                    RunCancelled);
  }
}
