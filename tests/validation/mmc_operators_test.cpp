// M/M/c made of operators: Poisson arrivals, an unlimited buffer, and one station with more
// servers (fixtures) than operators; each part's processing needs one of c operators. The
// operators stand at the station (their home is the station itself), so no walk ever delays a
// part, and a part is processed only while it holds an operator: the operators are the c
// servers of an M/M/c queue, whichever fixture or buffer place a waiting part occupies.
//
// Erlang's C formula (Gross & Harris, Fundamentals of Queueing Theory, ch. 2; Kleinrock, Queueing
// Systems Vol. 1, ch. 3), with offered load a = lambda / mu and rho = a / c < 1:
//   C(c, a) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a)))
//   Wq = C(c, a) / (c mu - lambda),   W = Wq + 1/mu,   L = lambda W
// and the operators' utilisation is rho = lambda / (c mu).
#include <doctest/doctest.h>

#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/M/3 with operators as the servers: Erlang C lead time, WIP and utilisation") {
  const int c = 3;
  const int fixtures = c + 3;
  const double interarrival_s = 75.0;
  const double service_s = 180.0;
  const MMc exact = mmc(c, interarrival_s, service_s);  // a = 2.4, rho = 0.8

  const Scene scene = scene_from_yaml(fmt::format(R"(
seed: 808
run: {{duration: 5000h, warmup: 30h, replications: 20}}
operators: [{{pool: crew, count: {}, skills: [run], walking_speed_m_per_s: 0.1, home: M}}]
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, to: Q}}
  - {{id: Q, type: buffer, capacity: unlimited, to: M}}
  - id: M
    type: station
    servers: {}
    processing: {{distribution: exponential, mean: {}s}}
    operators: {{processing: run}}
    pose: {{x: 12, y: 5}}
    to: out
  - {{id: out, type: sink}}
)",
                                                  c, interarrival_s, fixtures, service_s));
  const auto reps = replicate(scene);

  check_exact_inside_interval("M/M/3 by operators, W [s]", exact.lead_time_s,
                              per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }),
                              0.03);
  check_exact_inside_interval("M/M/3 by operators, L", exact.wip,
                              per_replication(reps, [](auto& r) { return r.wip_mean; }), 0.03);
  check_exact_inside_interval(
      "M/M/3 by operators, pool utilisation", exact.rho,
      per_replication(reps, [](auto& r) { return r.operators[0].utilisation; }), 0.01);
  // No walk: the operators are home at the station.
  for (const auto& r : reps)
    CHECK(r.operators[0].walking == 0.0);
  // Fixtures hold their part while it waits for an operator; the time they are busy working is
  // the operators' working time: c rho operator-hours per hour over `fixtures` servers.
  check_exact_inside_interval("M/M/3 by operators, station working share", c * exact.rho / fixtures,
                              per_replication(reps, [](auto& r) { return r.stations[0].working; }),
                              0.01);
}
