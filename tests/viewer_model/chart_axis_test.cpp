// The charts' axes: time in the run's units with steps a person counts in, values in 1-2-5 steps,
// never more ticks than asked for and never a coarser step than needed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "chart_axis.hpp"

using namespace linetwin::viewer;

namespace {

std::vector<std::string> labels(const Axis& axis) {
  std::vector<std::string> out;
  for (const AxisTick& tick : axis.ticks)
    out.push_back(tick.label);
  return out;
}

using Labels = std::vector<std::string>;

}  // namespace

TEST_CASE("time axis: an eight-hour shift in whole hours, h:mm") {
  // Half-hour steps would make 17 ticks; hourly ones make 9: 0:00 to 8:00.
  const Axis axis = time_axis(0.0, 8 * 3600.0, 9);
  CHECK(axis.step == 3600.0);
  CHECK(axis.unit == "h:mm");
  CHECK(labels(axis) ==
        Labels{"0:00", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00"});
}

TEST_CASE("time axis: an hour from 10:30 in quarter hours, on the clock's quarters") {
  // 10-minute steps would make 7 ticks (10:30 to 11:30); 15-minute ones make 5.
  const Axis axis = time_axis(37800.0, 41400.0, 5);
  CHECK(axis.step == 900.0);
  CHECK(labels(axis) == Labels{"10:30", "10:45", "11:00", "11:15", "11:30"});
  // Shifted by ten minutes, the ticks stay on the quarters: 10:45 to 11:30.
  CHECK(labels(time_axis(38400.0, 42000.0, 5)) == Labels{"10:45", "11:00", "11:15", "11:30"});
}

TEST_CASE("time axis: a short run in seconds, a very short one in tenths") {
  const Axis minute = time_axis(0.0, 60.0, 7);  // 5 s steps would make 13 ticks
  CHECK(minute.step == 10.0);
  CHECK(minute.unit == "s");
  CHECK(labels(minute) == Labels{"0 s", "10 s", "20 s", "30 s", "40 s", "50 s", "60 s"});
  const Axis half_second = time_axis(0.0, 0.5, 6);
  CHECK(half_second.step == doctest::Approx(0.1));
  CHECK(labels(half_second) == Labels{"0.0 s", "0.1 s", "0.2 s", "0.3 s", "0.4 s", "0.5 s"});
}

TEST_CASE("time axis: a minute late in a long run in h:mm:ss; weeks in whole days") {
  const Axis minute = time_axis(3600.0, 3660.0, 5);
  CHECK(minute.step == 15.0);
  CHECK(minute.unit == "h:mm:ss");
  CHECK(labels(minute) == Labels{"1:00:00", "1:00:15", "1:00:30", "1:00:45", "1:01:00"});
  // Twenty days, five ticks: daily steps would make 21, so 5 days (120 h).
  const Axis days = time_axis(0.0, 20 * 86400.0, 5);
  CHECK(days.step == 5 * 86400.0);
  CHECK(labels(days) == Labels{"0:00", "120:00", "240:00", "360:00", "480:00"});
}

TEST_CASE("time axis: never more ticks than asked, and the next finer step would give more") {
  const std::vector<double> steps = {1,   2,   5,    10,   15,   30,    60,    120,   300,
                                     600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
  for (const double end : {90.0, 700.0, 4000.0, 28800.0, 100000.0, 500000.0}) {
    for (const int max_ticks : {3, 5, 8, 12}) {
      CAPTURE(end);
      CAPTURE(max_ticks);
      const Axis axis = time_axis(0.0, end, max_ticks);
      CHECK(static_cast<int>(axis.ticks.size()) <= max_ticks);
      CHECK(axis.ticks.front().value == 0.0);
      for (std::size_t i = 1; i < axis.ticks.size(); ++i)
        CHECK(axis.ticks[i].value - axis.ticks[i - 1].value == doctest::Approx(axis.step));
      // The finer step of the list (where there is one) gives too many: the step is the finest.
      for (std::size_t i = 1; i < steps.size(); ++i) {
        if (steps[i] != axis.step) continue;
        CHECK(static_cast<int>(end / steps[i - 1]) + 1 > max_ticks);
      }
    }
  }
}

TEST_CASE("time axis: a range of one instant has that one tick") {
  const Axis axis = time_axis(0.0, 0.0, 5);
  REQUIRE(axis.ticks.size() == 1);
  CHECK(axis.ticks[0].label == "0 s");
}

TEST_CASE("value axis: 1, 2 or 5 times a power of ten, as many decimals as the step needs") {
  // 100 in at most 5 ticks: steps of 25 are not 1-2-5, so 50.
  CHECK(labels(value_axis(0.0, 100.0, 5)) == Labels{"0", "50", "100"});
  CHECK(labels(value_axis(0.0, 100.0, 6)) == Labels{"0", "20", "40", "60", "80", "100"});
  CHECK(labels(value_axis(0.0, 1.0, 6)) == Labels{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  CHECK(labels(value_axis(-0.3, 0.3, 4)) == Labels{"-0.2", "0.0", "0.2"});
  CHECK(nice_step(97.0, 5) == 50.0);
  CHECK(nice_step(0.0, 5) == 1.0);
}
