// What every validation test does: build a small line from YAML, run independent replications of
// it on all cores, and check that an exact queueing result lies inside the replications' 99%
// Student t confidence interval.
//
// The check is two-sided in a sense: the exact value must lie inside the interval, and the
// interval must be narrow (its half-width a small share of the exact value), so that a test
// cannot pass merely because the runs were too short to tell right from wrong. Run lengths are
// chosen for that, never the width of the interval or the seed.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/statistics.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin::validation {

inline constexpr double kConfidence = 0.99;

inline Scene scene_from_yaml(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "validation.yaml");
}

// The scene's own seed and run settings, on every hardware thread (results do not depend on it).
inline std::vector<ReplicationResult> replicate(const Scene& scene) {
  ExperimentSettings settings = settings_from_scene(scene);
  settings.threads = 0;
  return run_replications(scene, settings);
}

// Erlang's C formula: the probability that an arrival to an M/M/c queue waits, for c servers and
// offered load a = lambda / mu < c (Gross & Harris, Fundamentals of Queueing Theory, ch. 2, M/M/c;
// Kleinrock, Queueing Systems Vol. 1, ch. 3, M/M/m):
//   C(c, a) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a)))
inline double erlang_c(int c, double a) {
  double term = 1.0;  // a^k / k!
  double below_c = 0.0;
  for (int k = 0; k < c; ++k) {
    below_c += term;
    term *= a / (k + 1);
  }
  const double waiting_term = term * c / (c - a);  // (a^c / c!) (c / (c - a))
  return waiting_term / (below_c + waiting_term);
}

// The exact M/M/c queue: Poisson arrivals every `interarrival_s` on average, c parallel servers
// each taking an exponential `service_s` on average, an unlimited buffer. With lambda =
// 1 / interarrival_s, mu = 1 / service_s, a = lambda / mu and rho = a / c < 1 (same sources):
//   Wq = C(c, a) / (c mu - lambda),   W = Wq + 1/mu,   L = lambda W
struct MMc {
  double rho;          // the utilisation of each server
  double p_wait;       // C(c, a): the probability that an arrival waits
  double lead_time_s;  // W
  double wip;          // L
};

inline MMc mmc(int c, double interarrival_s, double service_s) {
  const double lambda = 1.0 / interarrival_s;
  const double mu = 1.0 / service_s;
  const double a = lambda / mu;
  const double p_wait = erlang_c(c, a);
  const double w = p_wait / (c * mu - lambda) + 1.0 / mu;
  return {.rho = a / c, .p_wait = p_wait, .lead_time_s = w, .wip = lambda * w};
}

template <class Get>
std::vector<double> per_replication(const std::vector<ReplicationResult>& replications, Get get) {
  std::vector<double> values;
  values.reserve(replications.size());
  for (const ReplicationResult& r : replications)
    values.push_back(get(r));
  return values;
}

// Checks that `exact` lies inside the 99% confidence interval of the per-replication values and
// that the interval's half-width is at most `max_relative_half_width` of `exact`.
inline void check_exact_inside_interval(std::string_view what, double exact,
                                        const std::vector<double>& values,
                                        double max_relative_half_width) {
  const Estimate e = estimate(values, kConfidence);
  const double half_width = (e.ci_high - e.ci_low) / 2.0;
  const std::string line = fmt::format(
      "{}: exact {:.6g}, simulated {:.6g}, 99% CI [{:.6g}, {:.6g}] (half-width {:.2f}%, {} "
      "replications)",
      what, exact, e.mean, e.ci_low, e.ci_high, 100.0 * half_width / exact, e.replications);
  MESSAGE(line);
  INFO(line);
  CHECK(e.has_interval);
  CHECK(e.ci_low <= exact);
  CHECK(exact <= e.ci_high);
  CHECK(half_width <= max_relative_half_width * exact);
}

}  // namespace linetwin::validation
