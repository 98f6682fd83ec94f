// The shift calendar: when a station, or the whole line, is planned to work.
//
// A calendar is a weekly pattern of shifts with their breaks, plus one-off planned maintenance
// windows. Simulation time is seconds from the start of the run, and t = 0 is 00:00 on the
// calendar's `start_weekday`. Weekends are simply days without shifts; a shift whose end is not
// after its start runs past midnight into the next day (a night shift), and Sunday's night shift
// runs into Monday of the following week, so at t = 0 on a Monday it is already on.
//
// At construction the pattern is laid out once as the sorted, merged working spans of one week,
// already rotated so that the week starts at t = 0. Merging is what makes back-to-back shifts
// (06-14 and 14-22) one uninterrupted span: no change happens at 14:00, so a station does not
// see a spurious end and start of shift. Queries split t into whole weeks and the time within
// the week and binary-search the spans, so they cost O(log n) whatever the length of the run;
// maintenance windows, sorted and merged, are cut out of the pattern the same way.
//
// calendar_problem() checks a spec at the edge (scene file, Python) and names the offending
// item, what it found and what it expected; the constructor asserts that it found nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace linetwin {

struct BreakSpec {
  // Seconds after midnight of the day the shift starts: a night shift's break after midnight
  // starts at 86400 or later.
  double start_s = 0.0;
  double duration_s = 0.0;
};

struct ShiftSpec {
  std::string name;
  std::vector<int> weekdays;  // 0 = Monday ... 6 = Sunday: the days on which this shift starts
  double start_s = 0.0;       // seconds after midnight
  double end_s = 0.0;         // seconds after midnight; end <= start: it ends the next day
  std::vector<BreakSpec> breaks;
};

// Planned maintenance, in absolute run time: off shift for [start, end).
struct MaintenanceWindow {
  std::string name;
  double start_s = 0.0;
  double end_s = 0.0;
};

struct CalendarSpec {
  std::vector<ShiftSpec> shifts;  // empty: always on shift (except during maintenance)
  std::vector<MaintenanceWindow> maintenance;
  int start_weekday = 0;  // the weekday at t = 0
};

struct CalendarProblem {
  std::string field;  // relative to the calendar, e.g. "shifts[1].breaks[0]"
  std::string message;
};

// The first rule the spec breaks, or nothing when it is a valid calendar.
std::optional<CalendarProblem> calendar_problem(const CalendarSpec& spec);

class ShiftCalendar {
 public:
  ShiftCalendar();  // always on shift
  // Precondition: calendar_problem(spec) finds nothing.
  explicit ShiftCalendar(const CalendarSpec& spec);

  // Whether t is planned working time; every span is [start, end).
  bool on_shift(double t) const;
  // The first time after t at which on_shift changes; +infinity if it never does.
  double next_change_after(double t) const;
  // Planned working time in [from, to); 0 when to <= from.
  double on_shift_time_s(double from, double to) const;

 private:
  struct Span {
    double start_s;
    double end_s;
  };

  bool pattern_on(double t) const;
  double pattern_next_change(double t) const;
  double pattern_time_before(double t) const;  // pattern working time in [0, t)
  // The maintenance window that contains t, or nullptr.
  const Span* maintenance_at(double t) const;

  std::vector<Span> week_spans_;            // working time within the week [0, 604800) after t = 0
  std::vector<double> week_time_before_s_;  // pattern working time before week_spans_[i]
  double week_on_shift_s_ = 0.0;
  std::vector<double> week_changes_s_;  // the span boundaries where on_shift really changes
  std::vector<Span> maintenance_;       // sorted, merged, absolute run time
};

}  // namespace linetwin
