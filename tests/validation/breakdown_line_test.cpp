// Machines that break down while they operate (operation-dependent failures, `counted_on:
// operating_time`), with exponential times to failure, repair and processing, and preempt-resume:
// a failure interrupts the part, which is finished after the repair.
//
// One saturated machine alternates between operating (mean MTTF) and repair (mean MTTR), so by
// the renewal-reward theorem its throughput is mu MTTF / (MTTF + MTTR) (Buzacott & Shanthikumar,
// Stochastic Models of Manufacturing Systems, single-stage systems with failures; Gershwin,
// Manufacturing Systems Engineering, ch. 3, "isolated efficiency").
//
// Two such machines with a finite buffer between them, saturated supply, blocking after service:
// exponential times are memoryless, so the continuous-time Markov chain of two_machine_line.hpp
// (parts in the buffer and at M2, M1 blocked or not, each machine up or down; M1 cannot fail while
// blocked, nor M2 while starved) is exact (Gershwin, ch. 3, the exponential two-machine line). The
// chain is built and solved in the test with Eigen.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "validation/two_machine_line.hpp"
#include "validation/validation_support.hpp"

using namespace linetwin;
using namespace linetwin::validation;

namespace {
// A station with exponential processing that fails on operating time, as a scene-file element.
std::string failing_machine(const char* id, double mean_s, double mttf_s, double mttr_s,
                            const char* to) {
  return fmt::format(R"(  - id: {}
    type: station
    processing: {{distribution: exponential, mean: {}s}}
    breakdowns:
      time_to_failure: {{distribution: exponential, mean: {}s}}
      time_to_repair: {{distribution: exponential, mean: {}s}}
      counted_on: operating_time
    to: {}
)",
                     id, mean_s, mttf_s, mttr_s, to);
}
}  // namespace

TEST_CASE("a saturated machine with failures produces mu MTTF / (MTTF + MTTR)") {
  const double mean_s = 50.0, mttf_s = 1800.0, mttr_s = 300.0;
  const Scene scene = scene_from_yaml(
      "seed: 601\nrun: {duration: 2000h, warmup: 10h, replications: 20}\nelements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: M}\n" +
      failing_machine("M", mean_s, mttf_s, mttr_s, "out") + "  - {id: out, type: sink}\n");
  const auto reps = replicate(scene);
  check_exact_inside_interval(
      "one machine with failures, throughput [1/s]", mttf_s / (mttf_s + mttr_s) / mean_s,
      per_replication(reps, [](auto& r) { return r.throughput_per_hour / 3600.0; }), 0.01);
}

TEST_CASE("two-machine line with failures and a finite buffer: throughput from the CTMC") {
  const double m1_mean_s = 50.0, m1_mttf_s = 1800.0, m1_mttr_s = 300.0;
  const double m2_mean_s = 45.0, m2_mttf_s = 3600.0, m2_mttr_s = 600.0;
  const MachineRates m1{1.0 / m1_mean_s, 1.0 / m1_mttf_s, 1.0 / m1_mttr_s};
  const MachineRates m2{1.0 / m2_mean_s, 1.0 / m2_mttf_s, 1.0 / m2_mttr_s};

  std::uint64_t seed = 610;
  for (const int capacity : {0, 2, 8}) {
    const double throughput = two_machine_line_throughput(m1, m2, capacity);

    const Scene scene = scene_from_yaml(
        fmt::format("seed: {}\nrun: {{duration: 5000h, warmup: 20h, replications: 20}}\n"
                    "elements:\n  - {{id: supply, type: source, supply: unlimited, to: M1}}\n",
                    ++seed) +
        failing_machine("M1", m1_mean_s, m1_mttf_s, m1_mttr_s, "B") +
        fmt::format("  - {{id: B, type: buffer, capacity: {}, to: M2}}\n", capacity) +
        failing_machine("M2", m2_mean_s, m2_mttf_s, m2_mttr_s, "out") +
        "  - {id: out, type: sink}\n");
    const auto reps = replicate(scene);
    check_exact_inside_interval(
        fmt::format("line with failures, buffer {}, throughput [1/s]", capacity), throughput,
        per_replication(reps, [](auto& r) { return r.throughput_per_hour / 3600.0; }), 0.01);
  }
}
