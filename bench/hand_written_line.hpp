// A serial production line simulated by a minimal hand-written event loop, as the yardstick for
// what linetwin's general engine costs on the same model (bench/serial_line_bench.cpp).
//
// The model is the one linetwin runs for a line of single-server stations with buffers between
// them: an unlimited supply in front of the first station, blocking after service (a finished
// part keeps its station until there is room downstream), a part passing straight on to an idle
// next station, exponential processing, and breakdowns counted on operating time that interrupt
// processing and resume it after the repair (preempt-resume). It draws its random numbers from
// linetwin::RandomStream with the engine's keys (element id and purpose), so both see the same
// numbers; nothing else of the engine is used.
#pragma once

#include <cstdint>

namespace linetwin::bench {

struct HandWrittenLine {
  int stations = 10;
  int buffer_capacity = 5;  // between consecutive stations; at least 1
  double processing_mean_s = 1.0;
  double time_to_failure_mean_s = 100.0;  // operating time
  double time_to_repair_mean_s = 5.0;
  double duration_s = 1e6;
  std::uint64_t seed = 1;
};

struct HandWrittenLineResult {
  std::uint64_t parts_completed = 0;
  std::uint64_t events = 0;
};

// Station k (0-based) draws as the element "S<k+1>" of replication 0.
HandWrittenLineResult run_hand_written_line(const HandWrittenLine& line);

}  // namespace linetwin::bench
