// Shift calendars whose working time is worked out by hand from the shift plan: t = 0 is 00:00 on
// the calendar's start weekday, so Monday 06:00 is 6 h and Tuesday 06:00 is 30 h.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "plant/shift_calendar.hpp"

using namespace linetwin;

namespace {
constexpr double kHour_s = 3600.0;
constexpr double kDay_s = 24 * kHour_s;
constexpr double kWeek_s = 7 * kDay_s;
constexpr double kNever = std::numeric_limits<double>::infinity();

// Seconds from Monday 00:00 of the first week: at(2, 6.5) is Wednesday 06:30.
constexpr double at(int day, double hour) {
  return day * kDay_s + hour * kHour_s;
}

const std::vector<int> kMondayToFriday = {0, 1, 2, 3, 4};

// Early 06:00-14:00 with a break 10:00-10:30, late 14:00-22:00 with a break 18:00-18:30:
// 15 h of planned work a day, 75 h a week.
CalendarSpec two_shifts() {
  CalendarSpec spec;
  spec.shifts.push_back(
      {"early", kMondayToFriday, 6 * kHour_s, 14 * kHour_s, {{10 * kHour_s, 1800}}});
  spec.shifts.push_back(
      {"late", kMondayToFriday, 14 * kHour_s, 22 * kHour_s, {{18 * kHour_s, 1800}}});
  return spec;
}

CalendarProblem problem_of(const CalendarSpec& spec) {
  const auto problem = calendar_problem(spec);
  REQUIRE(problem.has_value());
  return *problem;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("shift calendar: without shifts it is always on shift") {
  const ShiftCalendar calendar;
  CHECK(calendar.on_shift(0.0));
  CHECK(calendar.on_shift(at(5, 3)));
  CHECK(calendar.next_change_after(0.0) == kNever);
  CHECK(calendar.on_shift_time_s(100.0, 100.0 + 3 * kWeek_s) == 3 * kWeek_s);
}

TEST_CASE("shift calendar: two shifts are on and off at the exact instants of the plan") {
  REQUIRE_FALSE(calendar_problem(two_shifts()));
  const ShiftCalendar calendar(two_shifts());
  CHECK_FALSE(calendar.on_shift(at(0, 0)));
  CHECK_FALSE(calendar.on_shift(at(0, 6) - 1));
  CHECK(calendar.on_shift(at(0, 6)));
  CHECK_FALSE(calendar.on_shift(at(0, 10)));
  CHECK_FALSE(calendar.on_shift(at(0, 10.5) - 1));
  CHECK(calendar.on_shift(at(0, 10.5)));
  CHECK(calendar.on_shift(at(0, 14)));
  CHECK(calendar.on_shift(at(0, 22) - 1));
  CHECK_FALSE(calendar.on_shift(at(0, 22)));
  CHECK(calendar.on_shift(at(4, 21)));  // Friday
  CHECK(calendar.on_shift(at(7, 6)));   // Monday of the next week
}

TEST_CASE("shift calendar: next_change_after walks a week of two shifts, none at 14:00") {
  const ShiftCalendar calendar(two_shifts());
  std::vector<double> expected;
  for (int day = 0; day < 5; ++day)
    for (double hour : {6.0, 10.0, 10.5, 18.0, 18.5, 22.0})
      expected.push_back(at(day, hour));
  expected.push_back(at(7, 6));  // the weekend passes without a change
  std::vector<double> changes;
  double t = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    changes.push_back(t = calendar.next_change_after(t));
  CHECK(changes == expected);
  // From inside a span and from its last instant.
  CHECK(calendar.next_change_after(at(0, 12)) == at(0, 18));
  CHECK(calendar.next_change_after(at(0, 18) - 1) == at(0, 18));
  // The same pattern a year later.
  CHECK(calendar.next_change_after(at(52 * 7 + 1, 14)) == at(52 * 7 + 1, 18));
}

TEST_CASE("shift calendar: the weekend is off and planned hours over a week are 75 h") {
  const ShiftCalendar calendar(two_shifts());
  CHECK_FALSE(calendar.on_shift(at(5, 12)));
  CHECK_FALSE(calendar.on_shift(at(6, 23)));
  CHECK(calendar.on_shift_time_s(at(5, 0), at(7, 0)) == 0.0);
  CHECK(calendar.on_shift_time_s(0.0, kWeek_s) == 75 * kHour_s);
  CHECK(calendar.on_shift_time_s(at(3, 0), at(10, 0)) == 75 * kHour_s);  // any whole week
  CHECK(calendar.on_shift_time_s(0.0, 52 * kWeek_s) == 52 * 75 * kHour_s);
  // Monday 09:00-19:00: 1 h before the break, 7.5 h to the next, 0.5 h after it.
  CHECK(calendar.on_shift_time_s(at(0, 9), at(0, 19)) == 9 * kHour_s);
  CHECK(calendar.on_shift_time_s(at(0, 19), at(0, 9)) == 0.0);
}

TEST_CASE("shift calendar: a night shift runs across midnight and from Sunday into Monday") {
  CalendarSpec spec;
  // Sunday to Thursday nights 22:00-06:00, a break 02:00-02:30 after midnight.
  spec.shifts.push_back(
      {"night", {6, 0, 1, 2, 3}, 22 * kHour_s, 6 * kHour_s, {{26 * kHour_s, 1800}}});
  REQUIRE_FALSE(calendar_problem(spec));
  const ShiftCalendar calendar(spec);
  CHECK(calendar.on_shift(at(0, 0)));  // the run starts inside Sunday's night shift
  CHECK(calendar.next_change_after(at(0, 0)) == at(0, 2));
  CHECK(calendar.next_change_after(at(0, 2)) == at(0, 2.5));
  CHECK(calendar.next_change_after(at(0, 2.5)) == at(0, 6));
  CHECK(calendar.next_change_after(at(0, 6)) == at(0, 22));
  CHECK(calendar.on_shift(at(1, 1)));           // Monday night, after midnight
  CHECK_FALSE(calendar.on_shift(at(1, 2.25)));  // its break
  CHECK_FALSE(calendar.on_shift(at(4, 22)));    // no shift on Friday night
  CHECK(calendar.next_change_after(at(4, 5)) == at(4, 6));
  CHECK(calendar.next_change_after(at(4, 6)) == at(6, 22));
  CHECK(calendar.next_change_after(at(6, 22)) == at(7, 2));
  CHECK(calendar.on_shift_time_s(0.0, kWeek_s) == 5 * 7.5 * kHour_s);
}

TEST_CASE("shift calendar: three adjacent shifts every day never change") {
  CalendarSpec spec;
  const std::vector<int> every_day = {0, 1, 2, 3, 4, 5, 6};
  spec.shifts.push_back({"night", every_day, 22 * kHour_s, 6 * kHour_s, {}});
  spec.shifts.push_back({"early", every_day, 6 * kHour_s, 14 * kHour_s, {}});
  spec.shifts.push_back({"late", every_day, 14 * kHour_s, 22 * kHour_s, {}});
  REQUIRE_FALSE(calendar_problem(spec));
  const ShiftCalendar calendar(spec);
  CHECK(calendar.on_shift(0.0));
  CHECK(calendar.on_shift(at(6, 23.5)));
  CHECK(calendar.next_change_after(0.0) == kNever);
  CHECK(calendar.on_shift_time_s(0.0, 2 * kWeek_s) == 2 * kWeek_s);
}

TEST_CASE("shift calendar: start_weekday shifts the pattern") {
  CalendarSpec spec = two_shifts();
  spec.start_weekday = 5;  // the run starts on Saturday 00:00
  const ShiftCalendar calendar(spec);
  CHECK_FALSE(calendar.on_shift(at(0, 12)));
  CHECK(calendar.next_change_after(0.0) == at(2, 6));  // Monday 06:00
  CHECK(calendar.on_shift(at(2, 7)));
  CHECK(calendar.on_shift_time_s(0.0, kWeek_s) == 75 * kHour_s);

  // A Monday night shift seen from a run that starts on Tuesday: it is on at t = 0 and its
  // next start is the last evening of the run's first week.
  CalendarSpec night;
  night.shifts.push_back({"night", {0}, 22 * kHour_s, 6 * kHour_s, {}});
  night.start_weekday = 1;
  const ShiftCalendar from_tuesday(night);
  CHECK(from_tuesday.on_shift(0.0));
  CHECK(from_tuesday.next_change_after(0.0) == at(0, 6));
  CHECK(from_tuesday.next_change_after(at(0, 6)) == at(6, 22));
  CHECK(from_tuesday.next_change_after(at(6, 22)) == at(7, 6));
}

TEST_CASE("shift calendar: a maintenance window removes planned time") {
  CalendarSpec spec = two_shifts();
  spec.maintenance.push_back({"retool", at(2, 8), at(2, 20)});  // Wednesday 08:00-20:00
  const ShiftCalendar calendar(spec);
  CHECK(calendar.on_shift(at(2, 8) - 1));
  CHECK_FALSE(calendar.on_shift(at(2, 8)));
  CHECK_FALSE(calendar.on_shift(at(2, 15)));
  CHECK(calendar.on_shift(at(2, 20)));
  CHECK(calendar.next_change_after(at(2, 7)) == at(2, 8));
  CHECK(calendar.next_change_after(at(2, 8)) == at(2, 20));  // the break inside is no change
  CHECK(calendar.on_shift(at(9, 15)));                       // one-off: next Wednesday works
  // 08:00-20:00 held 2 h + 7.5 h + 1.5 h of planned work.
  CHECK(calendar.on_shift_time_s(0.0, kWeek_s) == (75 - 11) * kHour_s);
  CHECK(calendar.on_shift_time_s(at(2, 9), at(2, 19)) == 0.0);
  CHECK(calendar.on_shift_time_s(0.0, 2 * kWeek_s) == (2 * 75 - 11) * kHour_s);
}

TEST_CASE("shift calendar: work resumes after maintenance only when the plan says so") {
  CalendarSpec spec = two_shifts();
  spec.maintenance.push_back({"service", at(1, 9), at(1, 10.25)});        // ends inside a break
  spec.maintenance.push_back({"audit", at(5, 0), at(7, 7)});              // over the weekend
  spec.maintenance.push_back({"audit, overtime", at(7, 6.5), at(7, 8)});  // overlaps the one before
  const ShiftCalendar calendar(spec);
  CHECK(calendar.next_change_after(at(1, 9)) == at(1, 10.5));
  CHECK(calendar.next_change_after(at(4, 22)) == at(7, 8));
  CHECK(calendar.on_shift_time_s(at(7, 0), at(7, 10)) == 2 * kHour_s);
}

TEST_CASE("shift calendar: each shift rule names its field, what it found and what it expects") {
  CalendarSpec spec = two_shifts();
  spec.start_weekday = 7;
  CHECK(problem_of(spec).field == "start_weekday");

  spec = two_shifts();
  spec.shifts[1].weekdays = {0, 1, 9};
  auto problem = problem_of(spec);
  CHECK(problem.field == "shifts[1].weekdays[2]");
  CHECK(contains(problem.message, "'late' starts on weekday 9; expected 0 (Monday) to 6"));

  spec.shifts[1].weekdays = {0, 1, 0};
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[1].weekdays[2]");
  CHECK(contains(problem.message, "lists Mon twice (weekdays[0] and weekdays[2])"));

  spec.shifts[1].weekdays = {};
  CHECK(problem_of(spec).field == "shifts[1].weekdays");

  spec = two_shifts();
  spec.shifts[0].start_s = -60;
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].start");
  CHECK(contains(problem.message, "expected a time of day"));

  spec = two_shifts();
  spec.shifts[0].end_s = kDay_s;
  CHECK(problem_of(spec).field == "shifts[0].end");

  spec = two_shifts();
  spec.shifts[0].end_s = spec.shifts[0].start_s;
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].end");
  CHECK(
      contains(problem.message, "'early' ends when it starts (Mon 06:00), a shift of zero length"));
}

TEST_CASE("shift calendar: overlapping shifts are named both, with day and hours") {
  CalendarSpec spec = two_shifts();
  spec.shifts[0].end_s = 14.5 * kHour_s;
  auto problem = problem_of(spec);
  CHECK(problem.field == "shifts[1]");
  CHECK(contains(problem.message, "'late' (Mon 14:00-22:00) overlaps 'early' (Mon 06:00-14:30)"));

  // A night shift runs into the next morning's shift.
  spec = two_shifts();
  spec.shifts.push_back({"night", {1}, 22 * kHour_s, 6.5 * kHour_s, {}});
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[2]");
  CHECK(contains(problem.message,
                 "'night' (Tue 22:00-Wed 06:30) overlaps 'early' (Wed 06:00-14:00)"));

  // Sunday night runs into Monday morning of the next week.
  spec = two_shifts();
  spec.shifts.push_back({"night", {6}, 23 * kHour_s, 7 * kHour_s, {}});
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[2]");
  CHECK(contains(problem.message,
                 "'night' (Sun 23:00-Mon 07:00) overlaps 'early' (Mon 06:00-14:00)"));
  spec.shifts[2].end_s = 6 * kHour_s;  // ends when early starts: fine
  CHECK_FALSE(calendar_problem(spec));
}

TEST_CASE("shift calendar: a break must lie inside its shift, last, and not overlap another") {
  CalendarSpec spec = two_shifts();
  spec.shifts[0].breaks[0].duration_s = 0.0;
  auto problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].breaks[0].duration");
  CHECK(contains(problem.message, "expected a duration greater than 0"));

  spec = two_shifts();
  spec.shifts[0].breaks[0] = {13.75 * kHour_s, 1800};
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].breaks[0]");
  CHECK(contains(problem.message,
                 "break Mon 13:45-14:15 is outside shift 'early' (Mon 06:00-14:00)"));

  spec = two_shifts();
  spec.shifts[0].breaks.push_back({10.25 * kHour_s, 1800});
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].breaks[1]");
  CHECK(contains(problem.message, "break Mon 10:15-10:45 overlaps break Mon 10:00-10:30"));

  // A night shift's break after midnight is given from the midnight before the shift starts.
  spec = CalendarSpec{};
  spec.shifts.push_back({"night", {0}, 22 * kHour_s, 6 * kHour_s, {{2 * kHour_s, 1800}}});
  problem = problem_of(spec);
  CHECK(problem.field == "shifts[0].breaks[0]");
  CHECK(contains(problem.message, "outside shift 'night' (Mon 22:00-Tue 06:00)"));
  spec.shifts[0].breaks[0].start_s += kDay_s;
  CHECK_FALSE(calendar_problem(spec));
}

TEST_CASE("shift calendar: a maintenance window must start in the run and end after it starts") {
  CalendarSpec spec = two_shifts();
  spec.maintenance.push_back({"retool", -kHour_s, kHour_s});
  auto problem = problem_of(spec);
  CHECK(problem.field == "maintenance[0].start");
  CHECK(contains(problem.message, "'retool' starts at t = -3600 s"));

  spec.maintenance[0] = {"retool", at(2, 8), at(2, 8)};
  problem = problem_of(spec);
  CHECK(problem.field == "maintenance[0].end");
  CHECK(contains(problem.message, "ends at Wed 08:00 (t = 201600 s), not after its start"));
}
