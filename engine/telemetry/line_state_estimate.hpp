// The line's state estimated from the twins of a live or replayed line: what `linetwin live
// --write-state` and `linetwin replay --write-state` write, and what "what-if from now" starts
// from (plant/line_snapshot.hpp).
//
// Telemetry tells each station's state, since when, and its cumulative good and scrap counters;
// buffers tell nothing unless the plant sends a level signal. The estimate takes each station's
// activity and time in it from its twin, the parts it holds from its state (and the state before
// a stop), and each buffer's level from its level signal, or else from the counters of the
// stations around it: what they put in, less what they took out and still hold. Where it cannot
// tell, it says so (a buffer's `source`) instead of guessing. docs/snapshots.md gives the
// estimator exactly, with its assumptions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plant/line_snapshot.hpp"
#include "telemetry/line_twins.hpp"

namespace linetwin {

// The sensor channel of a buffer's machine that reports its level (parts queued).
inline constexpr std::string_view kBufferLevelChannel = "level";

// The line at `at_us` (normally twins.observed_until_us(), the newest sample applied; not before
// it) as its twins tell it; `origin` is "live" or "replay". Every station and buffer of the
// twins' scene, in scene order.
LineSnapshot estimate_line_state(const LineTwins& twins, std::int64_t at_us, std::string origin);

}  // namespace linetwin
