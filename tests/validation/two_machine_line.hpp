// The exact model of a two-machine line, as a continuous-time Markov chain: an unlimited supply in
// front of machine M1, a buffer of finite capacity between M1 and M2, M2 delivering to a sink.
// Processing times, operating times to failure and repair times are all exponential; a finished
// part that finds the buffer full keeps M1 blocked until M2 takes a part (blocking after
// service); a machine fails only while it processes (operation-dependent failures: M1 not while
// blocked, M2 not while starved), and a failure preempts the part, which resumes after the repair.
// With exponential times every remaining time is memoryless, so this chain is the line's exact
// behaviour, not an approximation (Gershwin, Manufacturing Systems Engineering, ch. 3; Buzacott &
// Shanthikumar, Stochastic Models of Manufacturing Systems, two-stage lines).
//
// State: the parts downstream of M1 (in the buffer and at M2, 0 .. capacity + 1), whether M1 holds
// a finished part it cannot pass on, and whether each machine is down. M1 always has a part to
// work on when it is not blocked (the supply never runs out).
#pragma once

#include <compare>

#include "validation/markov_chain.hpp"

namespace linetwin::validation {

struct MachineRates {
  double processing = 0.0;  // 1 / mean processing time
  double failure = 0.0;     // 1 / mean operating time to failure; 0: the machine never fails
  double repair = 0.0;      // 1 / mean time to repair
};

struct TwoMachineState {
  int parts = 0;  // in the buffer and at M2
  bool m1_blocked = false;
  bool m1_down = false;
  bool m2_down = false;
  auto operator<=>(const TwoMachineState&) const = default;
};

inline StationaryChain<TwoMachineState> two_machine_line_chain(const MachineRates& m1,
                                                               const MachineRates& m2,
                                                               int buffer_capacity) {
  const int full = buffer_capacity + 1;  // the buffer's places and M2's
  auto transitions = [&](const TwoMachineState& s, auto emit) {
    if (!s.m1_blocked) {  // M1 holds a part in process
      if (s.m1_down) {
        TwoMachineState repaired = s;
        repaired.m1_down = false;
        emit(repaired, m1.repair);
      } else {
        TwoMachineState done = s;
        if (s.parts < full) {
          ++done.parts;  // into the buffer, or straight to M2 when it is idle
        } else {
          done.m1_blocked = true;
        }
        emit(done, m1.processing);
        TwoMachineState failed = s;
        failed.m1_down = true;
        emit(failed, m1.failure);
      }
    }
    if (s.parts > 0) {  // M2 holds a part in process
      if (s.m2_down) {
        TwoMachineState repaired = s;
        repaired.m2_down = false;
        emit(repaired, m2.repair);
      } else {
        TwoMachineState done = s;
        if (s.m1_blocked) {
          done.m1_blocked = false;  // M1's finished part moves up; the count stays at full
        } else {
          --done.parts;
        }
        emit(done, m2.processing);
        TwoMachineState failed = s;
        failed.m2_down = true;
        emit(failed, m2.failure);
      }
    }
  };
  return solve_stationary(TwoMachineState{}, transitions);
}

// Parts per unit of time: M2's completion rate, mu2 * P(M2 holds a part and is up).
inline double two_machine_line_throughput(const MachineRates& m1, const MachineRates& m2,
                                          int buffer_capacity) {
  const auto chain = two_machine_line_chain(m1, m2, buffer_capacity);
  return chain.expectation(
      [&](const TwoMachineState& s) { return s.parts > 0 && !s.m2_down ? m2.processing : 0.0; });
}

}  // namespace linetwin::validation
