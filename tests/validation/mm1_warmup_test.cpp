// M/M/1 at rho = 0.9 started empty: the warm-up MSER-5 detects on WIP, then replications that
// discard it measure the exact L = rho / (1 - rho) = 9 (Gross & Harris, Fundamentals of Queueing
// Theory, section 2.2).
//
// How much the empty start matters: with mu = 1 and lambda = rho, the bias function of the chain
// (the solution of Poisson's equation, the integral over time of E_n N(t) - L) is
// h(n) = (n^2 + n) / (2 (1 - rho)) + c, and sum_n pi(n) h(n) = 0 fixes
// c = -(E N^2 + E N) / (2 (1 - rho)) = -rho / (1 - rho)^3. A run started empty holds 900
// part-seconds fewer than one started in steady state, whatever its length, most of it early
// (E N(t) passes 7.6 at t = 200 s, from the forward equations).
//
// Why these lengths. The check below must fail with about its nominal 1% whatever warm-up MSER
// finds, so even none must leave a bias small beside the interval: over 40,000 s, 900 / 40,000 =
// 0.023 parts, a quarter of the standard error of the mean of 100 replications (WIP's time average
// over T has variance about 2 rho (1 + rho) / ((1 - rho)^4 T) = 34,200 / T), which raises the
// chance of a false failure from 1% to at most 1.2%. The detection needs the transient to span
// several batches, so its interval is set to 10 s (batches of 50 s; the default, 40,000 / 500 =
// 80 s, would fold most of it into the first batch), and it averages 20 pilot replications: WIP
// over 50 s varies from run to run almost as much as N itself (standard deviation sqrt(rho) /
// (1 - rho) = 9.5 parts), and the first batch's bias (5.4 parts, from the forward equations) must
// stand out of that average. MSER searches only the first half of the batches, so
// the warm-up it finds is below half the run.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "experiment/warmup_detection.hpp"
#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/M/1 started empty: after the warm-up MSER-5 detects, WIP is rho/(1-rho)") {
  const double lambda = 0.9;
  const double mu = 1.0;
  const double rho = lambda / mu;
  const Scene scene = scene_from_yaml(fmt::format(R"(
seed: 9
run: {{duration: 40000s, replications: 100}}
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, to: Q}}
  - {{id: Q, type: buffer, capacity: unlimited, to: M}}
  - {{id: M, type: station, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                                  1.0 / lambda, 1.0 / mu));
  WarmupDetectionSettings detection_settings;
  detection_settings.kpi = WarmupKpi::kWip;
  detection_settings.interval_s = 10.0;
  detection_settings.pilot_replications = 20;
  const WarmupDetection detection =
      detect_warmup(scene, scene.seed(), scene.run_settings(), detection_settings, 0);
  MESSAGE(fmt::format("detected warm-up {} s ({} of {} batches of {} s), {}", detection.warmup_s,
                      detection.mser.truncated_batches, detection.mser.batches,
                      kMserBatchSize * detection.interval_s,
                      detection.mser.reliable ? "reliable" : "not reliable"));
  CHECK(detection.warmup_s > 0.0);
  CHECK(detection.warmup_s < scene.run_settings().duration_s / 2.0);

  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.warmup_s = detection.warmup_s;
  settings.threads = 0;
  const auto reps = run_replications(scene, settings);
  check_exact_inside_interval("M/M/1 L after the detected warm-up", rho / (1.0 - rho),
                              per_replication(reps, [](auto& r) { return r.wip_mean; }), 0.04);
}
