// SinkFlow's function on the event path, inlined into the parts that call it.
#pragma once

#include "plant/run/line.hpp"
#include "plant/run/sink_flow.hpp"

namespace linetwin::line_run {

inline void SinkFlow::complete(Line& line, Part& part) {
  line.statistics.complete(line.kernel.now(), part);
  line.limits.drop_cards(line, part);
}

}  // namespace linetwin::line_run
