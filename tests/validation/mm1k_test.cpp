// M/M/1/K: Poisson arrivals that are lost when the system is full, one exponential station, at
// most K parts in the system counting the one in service.
//
// The number in system is a truncated geometric, and by PASTA an arrival finds the system full
// with the time-stationary probability (Gross & Harris, Fundamentals of Queueing Theory, ch. 2;
// Kleinrock, Queueing Systems Vol. 1, ch. 3):
//   P_K = (1 - rho) rho^K / (1 - rho^(K+1))   (rho != 1), valid for rho < 1 and rho > 1 alike.
//
// In linetwin, K places are a buffer of capacity K - 1 in front of the station plus the station's
// own place: an arriving part passes straight through the buffer to an idle station, so the
// buffer only holds the parts that wait. A source with `when_full: lose` turns an arrival away
// when neither has room. K = 1 is Erlang's loss system M/M/1/1, P_1 = rho / (1 + rho), made of a
// buffer of capacity 0 (a direct hand-over).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("M/M/1/K: the share of arrivals lost is (1-rho) rho^K / (1-rho^(K+1))") {
  const double service_s = 60.0;
  struct Case {
    int k;
    double interarrival_s;
  };
  // rho = 0.8 and 1.25, with K = 1, 5 and 10. Each case has its own seed, so that the cases
  // are independent checks rather than the same random numbers seen through different systems.
  const Case cases[] = {{1, 75.0}, {5, 75.0}, {5, 48.0}, {10, 48.0}};
  std::uint64_t seed = 200;
  for (const Case& c : cases) {
    const double rho = service_s / c.interarrival_s;
    const double exact = (1.0 - rho) * std::pow(rho, c.k) / (1.0 - std::pow(rho, c.k + 1));
    // The system is small and forgets its start within a few dozen services: 2 h of warm-up.
    const Scene scene = scene_from_yaml(fmt::format(R"(
seed: {}
run: {{duration: 2000h, warmup: 2h, replications: 20}}
elements:
  - {{id: in, type: source, interarrival: {{distribution: exponential, mean: {}s}}, when_full: lose, to: Q}}
  - {{id: Q, type: buffer, capacity: {}, to: M}}
  - {{id: M, type: station, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                                    ++seed, c.interarrival_s, c.k - 1, service_s));
    const auto reps = replicate(scene);
    check_exact_inside_interval(
        fmt::format("M/M/1/{} rho={} P_K", c.k, rho), exact,
        per_replication(reps, [](auto& r) { return r.sources[0].loss_probability; }), 0.03);
  }
}
