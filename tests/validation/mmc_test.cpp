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
  const double lambda = 1.0 / interarrival_s;
  const double mu = 1.0 / service_s;
  const double a = lambda / mu;  // 2.4
  const double rho = a / c;      // 0.8

  double term = 1.0;  // a^k / k!
  double below_c = 0.0;
  for (int k = 0; k < c; ++k) {
    below_c += term;
    term *= a / (k + 1);
  }
  const double waiting_term = term * c / (c - a);  // (a^c / c!) (c / (c - a))
  const double erlang_c = waiting_term / (below_c + waiting_term);
  const double wq = erlang_c / (c * mu - lambda);
  const double w = wq + 1.0 / mu;

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

  check_exact_inside_interval(
      "M/M/3 W [s]", w, per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }), 0.03);
  check_exact_inside_interval("M/M/3 L", lambda * w,
                              per_replication(reps, [](auto& r) { return r.wip_mean; }), 0.03);
  check_exact_inside_interval(
      "M/M/3 Lq = C(c,a) rho/(1-rho)", erlang_c * rho / (1.0 - rho),
      per_replication(reps, [](auto& r) { return r.buffers[0].occupancy_mean; }), 0.05);
}
