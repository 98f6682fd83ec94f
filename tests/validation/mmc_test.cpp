// M/M/c: Poisson arrivals, one station with c parallel exponential servers, unlimited buffer.
//
// With offered load a = lambda / mu and rho = a / c < 1, Erlang's C formula gives the probability
// that an arrival waits (Gross & Harris, Fundamentals of Queueing Theory, ch. 2, M/M/c; Kleinrock,
// Queueing Systems Vol. 1, ch. 3, M/M/m):
//   C(c, a) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a)))
//   Wq = C(c, a) / (c mu - lambda),   W = Wq + 1/mu,   L = lambda W
//   Lq = lambda Wq = C(c, a) rho / (1 - rho)   (the buffer's occupancy: it checks C(c, a))
#include <doctest/doctest.h>

#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/M/3: Erlang C wait, lead time and WIP") {
  const int c = 3;
  const double interarrival_s = 75.0;
  const double service_s = 180.0;
  const MMc exact = mmc(c, interarrival_s, service_s);  // a = 2.4, rho = 0.8

  const Scene scene = scene_from_yaml(fmt::format(R"(
seed: 404
run: {{duration: 5000h, warmup: 30h, replications: 20}}
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, to: Q}}
  - {{id: Q, type: buffer, capacity: unlimited, to: M}}
  - {{id: M, type: station, servers: {}, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                                  interarrival_s, c, service_s));
  const auto reps = replicate(scene);

  check_exact_inside_interval("M/M/3 W [s]", exact.lead_time_s,
                              per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }),
                              0.03);
  check_exact_inside_interval("M/M/3 L", exact.wip,
                              per_replication(reps, [](auto& r) { return r.wip_mean; }), 0.03);
  check_exact_inside_interval(
      "M/M/3 Lq = C(c,a) rho/(1-rho)", exact.p_wait * exact.rho / (1.0 - exact.rho),
      per_replication(reps, [](auto& r) { return r.buffers[0].occupancy_mean; }), 0.05);
}
