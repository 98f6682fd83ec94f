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
