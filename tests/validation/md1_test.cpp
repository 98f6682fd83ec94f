// M/D/1: Poisson arrivals, one station with a constant processing time, unlimited buffer.
//
// The Pollaczek-Khinchine mean-value formula for M/G/1, Wq = lambda E[S^2] / (2 (1 - rho)), with
// E[S^2] = 1/mu^2 for a constant time gives (Gross & Harris, Fundamentals of Queueing Theory,
// ch. 5, M/G/1; Kleinrock, Queueing Systems Vol. 1, ch. 5):
//   Wq = rho / (2 mu (1 - rho))     mean wait before processing
//   W  = Wq + 1/mu                  mean lead time
// Half the M/M/1 wait at the same load: the test tells a constant time from an exponential one.
#include <doctest/doctest.h>

#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/D/1: lead time is the Pollaczek-Khinchine wait rho/(2 mu (1-rho)) plus 1/mu") {
  const double interarrival_s = 75.0;
  const double service_s = 60.0;
  const double lambda = 1.0 / interarrival_s;
  const double mu = 1.0 / service_s;
  const double rho = lambda / mu;  // 0.8
  const double wq = rho / (2.0 * mu * (1.0 - rho));
  const double w = wq + 1.0 / mu;

  const Scene scene = scene_from_yaml(fmt::format(R"(
seed: 303
run: {{duration: 5000h, warmup: 20h, replications: 20}}
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, to: Q}}
  - {{id: Q, type: buffer, capacity: unlimited, to: M}}
  - {{id: M, type: station, processing: {}s, to: out}}
  - {{id: out, type: sink}}
)",
                                                  interarrival_s, service_s));
  const auto reps = replicate(scene);

  check_exact_inside_interval(
      "M/D/1 W [s]", w, per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }), 0.03);
}
