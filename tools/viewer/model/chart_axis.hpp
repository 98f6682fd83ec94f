// ChartAxis: where the ticks of a chart's axes go and what they say, with no drawing, so that the
// panels' charts (line charts, the state timeline, buffer levels) share one rule and a test can
// check it headless.
//
// The time axis is in the run's units: seconds for a run shorter than an hour ("45 s"), h:mm
// beyond ("7:30"), h:mm:ss where a step under a minute needs it ("1:02:30"); its step is the
// smallest of a list of steps a person counts in (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min,
// 1, 2, 3, 6, 12, 24 h, and 1-2-5 steps under a second or beyond a day) that leaves at most
// `max_ticks` ticks in the range. A value axis steps 1, 2 or 5 times a power of ten.
#pragma once

#include <string>
#include <vector>

namespace linetwin::viewer {

struct AxisTick {
  double value = 0.0;
  std::string label;
};

struct Axis {
  double step = 0.0;
  std::vector<AxisTick> ticks;  // increasing, every multiple of `step` in the range
  std::string unit;             // time axes: "s", "h:mm" or "h:mm:ss"
};

// Ticks for the times [start_s, end_s] (seconds from the start of the run), at most `max_ticks`
// of them (at least 2 are asked for; a range of one instant gets that one tick).
Axis time_axis(double start_s, double end_s, int max_ticks);

// A time as `axis` labels it: in its unit, with the decimals its step needs.
std::string time_label(double time_s, const Axis& axis);

// Ticks for the values [low, high], at most `max_ticks` of them, labelled with as many decimals
// as the step needs.
Axis value_axis(double low, double high, int max_ticks);

// The step of value_axis (1, 2 or 5 times a power of ten), for widening a range to whole steps.
double nice_step(double span, int max_ticks);

}  // namespace linetwin::viewer
