// Sinks in a line run: they take every part, which leaves the line complete.
#pragma once

#include "plant/run/flow_types.hpp"

namespace linetwin::line_run {

struct Line;

class SinkFlow {
 public:
  // The part leaves the line: counted, and its WIP cards given back.
  void complete(Line& line, Part& part);
};

}  // namespace linetwin::line_run
