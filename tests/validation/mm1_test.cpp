// M/M/1: Poisson arrivals, one exponential station, unlimited buffer.
//
// With rho = lambda / mu < 1, the number in system is geometric (Gross & Harris, Fundamentals of
// Queueing Theory, section 2.2; Kleinrock, Queueing Systems Vol. 1, section 3.2):
//   L  = rho / (1 - rho)            mean number in system (the line's WIP)
//   W  = 1 / (mu - lambda)          mean time in system (the lead time), W = L / lambda (Little)
#include <doctest/doctest.h>

#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/M/1: WIP is rho/(1-rho) and lead time 1/(mu-lambda)") {
  const double interarrival_s = 75.0;
  const double service_s = 60.0;
  const double lambda = 1.0 / interarrival_s;
  const double mu = 1.0 / service_s;
  const double rho = lambda / mu;  // 0.8

  // The queue relaxes in about 1 / (mu (1 - sqrt(rho))^2) = 90 services (1.5 h): a 20 h warm-up
  // starts the observation in steady state. WIP at rho = 0.8 is strongly autocorrelated, hence
  // the long observed period.
  const Scene scene = scene_from_yaml(fmt::format(R"(
seed: 101
run: {{duration: 5000h, warmup: 20h, replications: 25}}
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, to: Q}}
  - {{id: Q, type: buffer, capacity: unlimited, to: M}}
  - {{id: M, type: station, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                                  interarrival_s, service_s));
  const auto reps = replicate(scene);

  check_exact_inside_interval("M/M/1 L", rho / (1.0 - rho),
                              per_replication(reps, [](auto& r) { return r.wip_mean; }), 0.03);
  check_exact_inside_interval("M/M/1 W [s]", 1.0 / (mu - lambda),
                              per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }),
                              0.03);
}
