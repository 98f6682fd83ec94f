// One conveyor belt's timing worked out by hand. Most cases use a 10 m belt at 0.5 m/s with a 1 m
// pitch: 20 s from entry to exit, 2 s to move one spacing, room for 10 parts. These numbers are
// exact in binary, so times compare with ==.
#include <doctest/doctest.h>

#include <limits>
#include <optional>
#include <string>

#include "plant/conveyor_belt.hpp"

using namespace linetwin;

namespace {
constexpr double kNever = ConveyorBelt::kNever;

ConveyorSpec belt_10m(bool accumulating) {
  return ConveyorSpec{
      .length_m = 10.0, .speed_m_per_s = 0.5, .spacing_m = 1.0, .accumulating = accumulating};
}
ConveyorSpec geometry(double length_m, double spacing_m) {
  return ConveyorSpec{.length_m = length_m, .speed_m_per_s = 0.5, .spacing_m = spacing_m};
}
}  // namespace

TEST_CASE("conveyor belt: transit time is length over speed") {
  ConveyorBelt belt(belt_10m(true));
  CHECK(belt.transit_s() == 20.0);
  CHECK(belt.head_at_exit_at(0.0) == kNever);  // empty
  belt.load(3.0);
  CHECK(belt.parts() == 1);
  CHECK(belt.head_at_exit_at(3.0) == 23.0);

  ConveyorBelt odd(ConveyorSpec{.length_m = 7.0, .speed_m_per_s = 0.3, .spacing_m = 0.7});
  CHECK(odd.transit_s() == doctest::Approx(70.0 / 3.0));
  odd.load(1.0);
  CHECK(odd.head_at_exit_at(1.0) == doctest::Approx(1.0 + 70.0 / 3.0));
}

TEST_CASE("conveyor belt: capacity is the number of whole pitches on the belt") {
  CHECK(ConveyorBelt(geometry(10.0, 1.0)).capacity() == 10);
  CHECK(ConveyorBelt(geometry(10.0, 0.1)).capacity() == 100);
  CHECK(ConveyorBelt(geometry(2.5, 1.0)).capacity() == 2);
  CHECK(ConveyorBelt(geometry(0.3, 0.1)).capacity() == 3);  // 0.3 / 0.1 is just below 3 in binary
  CHECK(ConveyorBelt(geometry(1.0, 1.0)).capacity() == 1);
}

TEST_CASE("conveyor belt: the spacing limits the loading rate") {
  for (const bool accumulating : {true, false}) {
    CAPTURE(accumulating);
    ConveyorBelt belt(belt_10m(accumulating));
    CHECK(belt.entry_free_at(0.0) == 0.0);
    belt.load(0.0);
    // The part must move one spacing (1 m at 0.5 m/s) before the next may be loaded.
    CHECK(belt.entry_free_at(0.0) == 2.0);
    CHECK(belt.entry_free_at(1.5) == 2.0);
    CHECK(belt.entry_free_at(5.0) == 5.0);
    belt.load(5.0);
    CHECK(belt.entry_free_at(5.0) == 7.0);
    CHECK(belt.head_at_exit_at(5.0) == 20.0);
  }
}

TEST_CASE("conveyor belt: the belt holds at most its capacity") {
  for (const bool accumulating : {true, false}) {
    CAPTURE(accumulating);
    ConveyorBelt belt(belt_10m(accumulating));
    double now = 0.0;
    while (belt.entry_free_at(now) != kNever && belt.parts() < 20) {
      now = belt.entry_free_at(now);
      belt.load(now);
    }
    // Loaded every 2 s from 0 to 18 s, before the head reaches the exit at 20 s.
    CHECK(belt.parts() == 10);
    CHECK(now == 18.0);
    CHECK(belt.entry_free_at(100.0) == kNever);
    CHECK(belt.head_at_exit_at(now) == 20.0);
    belt.unload(20.0);
    CHECK(belt.entry_free_at(20.0) == 20.0);
  }
}

TEST_CASE("conveyor belt: accumulating, parts queue at the blocked exit at the spacing") {
  ConveyorBelt belt(belt_10m(true));
  belt.load(0.0);
  belt.load(2.0);
  belt.load(4.0);
  CHECK(belt.head_at_exit_at(4.0) == 20.0);
  belt.head_blocked(20.0);
  // The belt keeps running under the waiting head.
  CHECK_FALSE(belt.stopped());
  CHECK(belt.stopped_time_s(30.0) == 0.0);
  CHECK(belt.head_at_exit_at(30.0) == 20.0);  // still standing at the exit
  belt.unload(30.0);
  // The second part queued one spacing behind the head: it reaches the exit 2 s after the head
  // left, not at its free-running time of 22 s.
  CHECK(belt.head_at_exit_at(30.0) == 32.0);
  belt.unload(32.0);
  // The third queued one spacing behind the second, and follows it out 2 s later.
  CHECK(belt.head_at_exit_at(32.0) == 34.0);
  belt.unload(34.0);
  CHECK(belt.parts() == 0);
  // A part loaded later does not queue behind anything.
  belt.load(40.0);
  CHECK(belt.head_at_exit_at(40.0) == 60.0);
}

TEST_CASE("conveyor belt: accumulating, parts that did not catch up with the queue run freely") {
  ConveyorBelt belt(belt_10m(true));
  belt.load(0.0);
  belt.load(10.0);  // 5 m behind the head
  belt.head_blocked(20.0);
  belt.unload(21.0);
  // At 21 s the second part is at 5.5 m, far behind: it arrives at its free-running time.
  CHECK(belt.head_at_exit_at(21.0) == 30.0);
}

TEST_CASE("conveyor belt: accumulating, a queue that fills the belt blocks the entry") {
  // 2.5 m at 0.5 m/s, 1 m pitch: room for 2 parts, 5 s transit.
  ConveyorBelt belt(ConveyorSpec{.length_m = 2.5, .speed_m_per_s = 0.5, .spacing_m = 1.0});
  belt.load(0.0);
  CHECK(belt.entry_free_at(0.0) == 2.0);
  belt.load(2.0);
  CHECK(belt.entry_free_at(2.0) == kNever);
  belt.head_blocked(5.0);
  // The second part stands 1 m behind the head, at 1.5 m; the belt is full until an unload.
  CHECK(belt.entry_free_at(9.0) == kNever);
  belt.unload(10.0);
  CHECK(belt.entry_free_at(10.0) == 10.0);
  CHECK(belt.head_at_exit_at(10.0) == 12.0);
  belt.load(10.0);
  CHECK(belt.entry_free_at(10.0) == kNever);  // full again
  belt.unload(12.0);
  // The part loaded at 10 s has ridden 1 m by 12 s: the entry is free at once.
  CHECK(belt.entry_free_at(12.0) == 12.0);
}

TEST_CASE("conveyor belt: non-accumulating, a blocked head stops the whole belt") {
  ConveyorBelt belt(belt_10m(false));
  belt.load(0.0);
  belt.load(2.0);
  CHECK(belt.head_at_exit_at(2.0) == 20.0);
  belt.head_blocked(20.0);
  CHECK(belt.stopped());
  CHECK(belt.head_at_exit_at(20.0) == kNever);
  CHECK(belt.stopped_time_s(23.0) == 3.0);
  belt.unload(25.0);
  CHECK_FALSE(belt.stopped());
  CHECK(belt.stopped_time_s(25.0) == 5.0);
  CHECK(belt.stopped_time_s(40.0) == 5.0);
  // The second part stood still with the belt: it arrives 5 s after its free-running 22 s.
  CHECK(belt.head_at_exit_at(25.0) == 27.0);
  belt.head_blocked(27.0);
  belt.unload(28.0);
  CHECK(belt.stopped_time_s(28.0) == 6.0);
}

TEST_CASE("conveyor belt: non-accumulating, a stopped belt blocks the entry near a part") {
  ConveyorBelt belt(belt_10m(false));
  belt.load(0.0);
  belt.load(19.0);
  CHECK(belt.entry_free_at(19.0) == 21.0);
  belt.head_blocked(20.0);
  // The last part moved 0.5 m before the belt stopped: the entry stays blocked while it stands.
  CHECK(belt.entry_free_at(20.0) == kNever);
  CHECK(belt.entry_free_at(24.0) == kNever);
  belt.unload(25.0);
  // It needs 1 s more of moving belt to be 1 m in.
  CHECK(belt.entry_free_at(25.0) == 26.0);
  CHECK(belt.head_at_exit_at(25.0) == 44.0);  // 19 + 20 + 5 s stopped
}

TEST_CASE("conveyor belt: non-accumulating, parts may be loaded onto a stopped belt with room") {
  ConveyorBelt belt(belt_10m(false));
  belt.load(0.0);
  belt.load(10.0);
  belt.head_blocked(20.0);
  // The last part stands 5 m in: there is room at the entry though the belt stands.
  CHECK(belt.entry_free_at(21.0) == 21.0);
  belt.load(21.0);
  CHECK(belt.entry_free_at(21.0) == kNever);  // the new part stands at the entry
  belt.unload(25.0);
  CHECK(belt.entry_free_at(25.0) == 27.0);    // it rides 1 m once the belt moves again
  CHECK(belt.head_at_exit_at(25.0) == 35.0);  // 10 + 20 + 5 s stopped
  belt.unload(35.0);
  CHECK(belt.head_at_exit_at(35.0) == 45.0);  // loaded at belt time 20, so 20 + 20 + 5
}

TEST_CASE("conveyor belt: conveyor_problem names what is wrong") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_FALSE(conveyor_problem(ConveyorSpec{}).has_value());
  CHECK_FALSE(conveyor_problem(geometry(10.0, 10.0)).has_value());

  const std::optional<std::string> too_wide = conveyor_problem(geometry(10.0, 12.0));
  REQUIRE(too_wide.has_value());
  CHECK(*too_wide == "expected spacing_m > 0 and <= length_m (10 m), found 12");

  for (const double bad : {0.0, -1.0, nan, inf}) {
    CAPTURE(bad);
    CHECK(conveyor_problem(geometry(bad, 1.0)).value_or("").find("length_m > 0") !=
          std::string::npos);
    ConveyorSpec slow;
    slow.speed_m_per_s = bad;
    CHECK(conveyor_problem(slow).value_or("").find("speed_m_per_s > 0") != std::string::npos);
    CHECK(conveyor_problem(geometry(10.0, bad)).value_or("").find("spacing_m > 0") !=
          std::string::npos);
  }
}
