// A CONWIP loop: an unlimited supply in front of three exponential stations, with a WIP limit of
// N cards from the first buffer to the last station. A part enters as soon as a finished part
// gives its card back, so the loop always holds exactly N parts; with unlimited buffers inside it
// nothing blocks, and the line is the closed cyclic network of M = 3 single-server FCFS
// exponential stations with N customers, whose throughput mean-value analysis gives exactly
// (mean_value_analysis.hpp; Reiser & Lavenberg 1980; Hopp & Spearman, Factory Physics, ch. 10,
// CONWIP as a closed queueing network).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "validation/mean_value_analysis.hpp"
#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

TEST_CASE("CONWIP loop of three exponential stations: throughput from exact MVA") {
  // Unequal means, so that the bottleneck (60 s) is clear but not alone in shaping the result.
  const std::vector<double> mean_s = {40.0, 60.0, 50.0};

  std::uint64_t seed = 700;
  for (const int cards : {1, 3, 8}) {
    const ClosedNetworkResult exact = analyse_closed_network(mean_s, cards);
    const Scene scene =
        scene_from_yaml(fmt::format(R"(
seed: {}
run: {{duration: 1000h, warmup: 10h, replications: 20}}
wip_limits: [{{name: conwip, from: B1, to: S3, cards: {}}}]
elements:
  - {{id: supply, type: source, supply: unlimited, to: B1}}
  - {{id: B1, type: buffer, capacity: unlimited, to: S1}}
  - {{id: S1, type: station, processing: {{distribution: exponential, mean: {}s}}, to: B2}}
  - {{id: B2, type: buffer, capacity: unlimited, to: S2}}
  - {{id: S2, type: station, processing: {{distribution: exponential, mean: {}s}}, to: B3}}
  - {{id: B3, type: buffer, capacity: unlimited, to: S3}}
  - {{id: S3, type: station, processing: {{distribution: exponential, mean: {}s}}, to: out}}
  - {{id: out, type: sink}}
)",
                                    ++seed, cards, mean_s[0], mean_s[1], mean_s[2]));
    const auto reps = replicate(scene);
    check_exact_inside_interval(
        fmt::format("CONWIP N = {}, throughput [1/s]", cards), exact.throughput_per_s,
        per_replication(reps, [](auto& r) { return r.throughput_per_hour / 3600.0; }), 0.02);
    // Little's law on the loop: the cycle time N / X is the lead time of a part.
    check_exact_inside_interval(
        fmt::format("CONWIP N = {}, lead time [s]", cards), exact.cycle_time_s,
        per_replication(reps, [](auto& r) { return r.lead_time_mean_s; }), 0.02);
    // Every card is always in use, and the bottleneck is busy X s_2.
    for (const auto& r : reps) {
      CHECK(r.wip_limits[0].cards_in_use_mean == doctest::Approx(cards));
      CHECK(r.wip_mean == doctest::Approx(cards));
    }
    check_exact_inside_interval(
        fmt::format("CONWIP N = {}, utilisation of S2", cards), exact.utilisation[1],
        per_replication(reps, [](auto& r) { return r.stations[1].working; }), 0.02);
  }
}
