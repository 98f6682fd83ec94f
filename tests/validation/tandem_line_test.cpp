// Two exponential machines in tandem with a finite buffer between them, an unlimited supply in
// front of the first (a saturated line) and blocking after service: a part finished by M1 that
// finds the buffer full stays on M1 until M2 takes the next part.
//
// The exact throughput is that of the continuous-time Markov chain in two_machine_line.hpp (state:
// parts in the buffer and at M2, M1 blocked or not), built and solved in the test with Eigen; see
// Buzacott & Shanthikumar, Stochastic Models of Manufacturing Systems, two-stage lines with
// exponential stations, and Gershwin, Manufacturing Systems Engineering, ch. 3. markov_chain_test
// checks that chain against its closed form mu1 mu2 (mu1^N - mu2^N) / (mu1^(N+1) - mu2^(N+1)),
// N = capacity + 2.
#include <doctest/doctest.h>

#include <cstdint>

#include "validation/two_machine_line.hpp"
#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("two-machine line with a finite buffer: throughput from the CTMC") {
  const double m1_mean_s = 55.0;
  const double m2_mean_s = 60.0;
  const MachineRates m1{1.0 / m1_mean_s, 0.0, 0.0};
  const MachineRates m2{1.0 / m2_mean_s, 0.0, 0.0};

  std::uint64_t seed = 500;
  for (const int capacity : {0, 1, 3}) {
    const double throughput = two_machine_line_throughput(m1, m2, capacity);

    const Scene scene = scene_from_yaml(fmt::format(R"(
seed: {}
run: {{duration: 2000h, warmup: 10h, replications: 20}}
elements:
  - {{id: supply, type: source, supply: unlimited, to: M1}}
  - {{id: M1, type: station, processing: {{distribution: exponential, mean: {}s}}, to: B}}
  - {{id: B, type: buffer, capacity: {}, to: M2}}
  - {{id: M2, type: station, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                                    ++seed, m1_mean_s, capacity, m2_mean_s));
    const auto reps = replicate(scene);
    check_exact_inside_interval(
        fmt::format("tandem, buffer {}, throughput [1/s]", capacity), throughput,
        per_replication(reps, [](auto& r) { return r.throughput_per_hour / 3600.0; }), 0.01);
  }
}
