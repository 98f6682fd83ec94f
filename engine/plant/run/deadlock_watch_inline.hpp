// DeadlockWatch's test at the end of an event, inlined into the paths that leave a station idle.
#pragma once

#include "plant/run/deadlock_watch.hpp"
#include "plant/run/line.hpp"

namespace linetwin::line_run {

[[gnu::always_inline]] inline void DeadlockWatch::after_event(Line& line) {
  // Only passive events pending (or none): nothing is under way, so look whether anything can be.
  if (line.kernel.calendar().size() <= passive_pending_) [[unlikely]]
    look_for_stuck_parts(line);
}

}  // namespace linetwin::line_run
