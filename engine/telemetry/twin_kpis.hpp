// A twin's KPIs over an observed period, computed from its telemetry exactly as the simulator
// computes a station's from its simulated events (LineRun::results, docs/element-library.md
// "KPIs: OEE and per product"), and returned in the simulator's own StationResult, so that a
// report can put twin and simulation side by side, field by field.
//
// The twin's states map onto the simulator's: producing -> working, idle -> starved, blocked,
// down, setup and off_shift as named. A real machine reports one state for the whole machine, so
// a twin is a one-server station, and waiting_operator (the simulator's state for a server whose
// operator is on the way) is always 0: a machine reports that wait as idle. What the simulator
// never has is kUnknown, time in which the twin does not know what the machine did (before its
// first message, or while it reports itself unavailable): it is reported as its own share, and
// is neither planned time nor a loss in the OEE. Without unknown time the shares and the OEE
// equal the simulator's up to floating-point rounding.
//
// OEE, with T the observed period and ideal the station's ideal time per part (the mean of its
// processing-time distribution in the scene, divided by its batch size):
//   planned = T - off_shift - unknown;  run = planned - down - setup
//   availability = run / planned;  performance = ideal * parts processed / run;
//   quality = good / parts processed;  oee = availability * performance * quality
// where parts processed = good + scrap (the increases of the cumulative counters). A factor whose
// denominator is zero is NaN. A machine that never reported a part counter has unknown output:
// its performance, quality and OEE are NaN rather than 0.
#pragma once

#include <cstdint>

#include "plant/replication_result.hpp"
#include "telemetry/machine_twin.hpp"

namespace linetwin {

struct TwinKpis {
  double observed_s = 0.0;
  // The simulator's per-station KPIs: state shares (working, setup, starved, blocked, down,
  // off_shift; waiting_operator 0) of the observed period, which add up to 1 - unknown; part
  // counts, failures, setups, OEE, active periods.
  StationResult station;
  double unknown = 0.0;              // share of the observed period with the state unknown
  double throughput_per_hour = 0.0;  // good parts per hour of observed time; NaN without counter
  // Producing time per part processed (good + scrap), the twin's measure of the processing time
  // that the scene's processing-time distribution describes; NaN when no part was counted.
  double cycle_time_mean_s = 0.0;
  double last_cycle_s = 0.0;   // MachineTwin::last_cycle_s
  double ideal_cycle_s = 0.0;  // what the OEE's performance compares with; NaN when none
};

// KPIs of `twin` over [its observation start, until_us]. `ideal_cycle_s` is NaN for a machine
// that is not a station (a buffer, a conveyor): its performance and OEE are then NaN.
TwinKpis compute_twin_kpis(const MachineTwin& twin, std::int64_t until_us, double ideal_cycle_s);

}  // namespace linetwin
