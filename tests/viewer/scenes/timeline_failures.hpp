// What tests/viewer/scenes/timeline_failures.yaml does, from its comment: each station works
// whenever it is not down, and fails `time_to_failure` seconds after each repair (calendar time)
// for `time_to_repair` seconds. Shared by the state timeline's model and screenshot tests.
#pragma once

#include <algorithm>
#include <vector>

#include "model/line_view.hpp"

namespace linetwin::viewer::timeline_failures {

struct Span {
  double start_s;
  double end_s;
  ViewState state;
};

// A station's spans from 0 to `end_s`.
inline std::vector<Span> spans(double time_to_failure, double time_to_repair, double end_s) {
  std::vector<Span> out;
  for (double t = 0.0; t < end_s;) {
    out.push_back({t, std::min(t + time_to_failure, end_s), ViewState::kWorking});
    t += time_to_failure;
    if (t >= end_s) break;
    out.push_back({t, std::min(t + time_to_repair, end_s), ViewState::kDown});
    t += time_to_repair;
  }
  return out;
}

// OP10 fails every 300 s for 100 s, OP20 every 450 s for 150 s.
inline std::vector<Span> op10(double end_s) {
  return spans(300.0, 100.0, end_s);
}
inline std::vector<Span> op20(double end_s) {
  return spans(450.0, 150.0, end_s);
}

}  // namespace linetwin::viewer::timeline_failures
