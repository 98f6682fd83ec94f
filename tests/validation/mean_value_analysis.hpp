// Exact mean-value analysis (MVA) of a closed cyclic network: the reference against which the
// validation of a CONWIP loop compares the simulation.
//
// The network: M single-server FCFS stations with exponential service times, visited in a cycle,
// and N customers that never leave. A CONWIP loop with an unlimited supply in front of its first
// station is exactly this: a part enters as soon as a finished part frees its card, so N is the
// number of cards. The buffers in the loop must hold all N parts (no blocking), or the network is
// no longer product form and this is not its exact result.
//
// The recursion (Reiser & Lavenberg 1980, "Mean-value analysis of closed multichain queuing
// networks", J. ACM 27(2); Lazowska et al., Quantitative System Performance, ch. 6): by the arrival
// theorem a customer arriving at station i sees the network in equilibrium with one customer fewer,
// so with Q_i(0) = 0 and for n = 1 .. N
//   R_i(n) = s_i (1 + Q_i(n - 1))     mean time at station i, waiting and in service
//   X(n)   = n / sum_i R_i(n)          Little's law for the whole cycle
//   Q_i(n) = X(n) R_i(n)               Little's law for station i
// Every station is visited once per cycle, so no visit ratios appear. The cost is O(N M).
#pragma once

#include <cassert>
#include <cstddef>
#include <vector>

namespace linetwin::validation {

struct ClosedNetworkResult {
  double throughput_per_s = 0.0;          // X(N): cycles completed per second
  double cycle_time_s = 0.0;              // N / X(N): mean time for one round of the loop
  std::vector<double> mean_time_s;        // R_i(N): mean time per visit, waiting + service
  std::vector<double> mean_queue_length;  // Q_i(N): mean number at station i, in service too
  std::vector<double> utilisation;        // X(N) s_i: share of time station i is busy
};

// `mean_service_s[i]` is station i's mean service time (> 0), in the order of the cycle (the order
// does not change the result); `customers` is N >= 1, the cards of a CONWIP loop.
inline ClosedNetworkResult analyse_closed_network(const std::vector<double>& mean_service_s,
                                                  int customers) {
  assert(!mean_service_s.empty());
  assert(customers >= 1);
  const std::size_t stations = mean_service_s.size();
  std::vector<double> queue(stations, 0.0);  // Q_i(n - 1), starting from the empty network
  std::vector<double> time(stations, 0.0);
  double throughput = 0.0;
  for (int n = 1; n <= customers; ++n) {
    double cycle = 0.0;
    for (std::size_t i = 0; i < stations; ++i) {
      assert(mean_service_s[i] > 0.0);
      time[i] = mean_service_s[i] * (1.0 + queue[i]);
      cycle += time[i];
    }
    throughput = n / cycle;
    for (std::size_t i = 0; i < stations; ++i)
      queue[i] = throughput * time[i];
  }

  ClosedNetworkResult result;
  result.throughput_per_s = throughput;
  result.cycle_time_s = customers / throughput;
  result.mean_time_s = time;
  result.mean_queue_length = queue;
  for (double s : mean_service_s)
    result.utilisation.push_back(throughput * s);
  return result;
}

inline double closed_network_throughput(const std::vector<double>& mean_service_s, int customers) {
  return analyse_closed_network(mean_service_s, customers).throughput_per_s;
}

}  // namespace linetwin::validation
