#include "plant/shift_calendar.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace linetwin {

namespace {

constexpr double kDay_s = 86400.0;
constexpr double kWeek_s = 7 * kDay_s;
constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr std::array<std::string_view, 7> kWeekdayNames = {"Mon", "Tue", "Wed", "Thu",
                                                           "Fri", "Sat", "Sun"};

// Seconds after midnight of the shift's start day at which it ends.
double shift_end_s(const ShiftSpec& shift) {
  return shift.end_s > shift.start_s ? shift.end_s : shift.end_s + kDay_s;
}

bool is_time_of_day(double s) {
  return s >= 0.0 && s < kDay_s;
}  // false for NaN too

// Whole seconds, for messages; nothing when the value is too far out to be a time of the week.
std::optional<long long> whole_seconds(double s) {
  if (!(std::abs(s) < 1e15)) return std::nullopt;
  return std::llround(s);
}

std::string clock_time(long long second_of_day) {
  const long long hours = second_of_day / 3600;
  const long long minutes = second_of_day / 60 % 60;
  const long long seconds = second_of_day % 60;
  if (seconds != 0) return fmt::format("{:02}:{:02}:{:02}", hours, minutes, seconds);
  return fmt::format("{:02}:{:02}", hours, minutes);
}

// "Tue 14:00" for `s` seconds after midnight of `weekday`; s may run into later days.
std::string weekday_time(int weekday, double s) {
  const auto total = whole_seconds(s);
  if (!total) return fmt::format("{} s", s);
  const long long day = *total >= 0 ? *total / 86400 : (*total - 86399) / 86400;  // floor
  const auto name = kWeekdayNames[static_cast<std::size_t>(((weekday + day) % 7 + 7) % 7)];
  return fmt::format("{} {}", name, clock_time(*total - day * 86400));
}

// "Tue 06:00-14:30", "Tue 14:00-24:00", or "Sun 22:00-Mon 06:00" when it runs past midnight.
std::string weekday_span(int weekday, double start_s, double end_s) {
  const auto start = whole_seconds(start_s);
  const auto end = whole_seconds(end_s);
  if (start && end && *start >= 0 && *end > *start) {
    const long long next_midnight = (*start / 86400 + 1) * 86400;
    if (*end <= next_midnight) {
      const std::string end_text = *end == next_midnight ? "24:00" : clock_time(*end % 86400);
      return fmt::format("{}-{}", weekday_time(weekday, start_s), end_text);
    }
  }
  return fmt::format("{}-{}", weekday_time(weekday, start_s), weekday_time(weekday, end_s));
}

// A shift as messages name it, on one of its days: "'early' (Tue 06:00-14:00)".
std::string describe_shift(const ShiftSpec& shift, int weekday) {
  return fmt::format("'{}' ({})", shift.name,
                     weekday_span(weekday, shift.start_s, shift_end_s(shift)));
}

std::string describe_break(const BreakSpec& pause, int weekday) {
  return "break " + weekday_span(weekday, pause.start_s, pause.start_s + pause.duration_s);
}

// Run time as messages show it: "Wed 08:00 (t = 201600 s)".
std::string run_time(int start_weekday, double t) {
  return fmt::format("{} (t = {} s)", weekday_time(start_weekday, t), t);
}

// Whether [a, end_a) and [b, end_b), in week time and each shorter than a week, overlap when the
// week repeats: either may run past the week's end into the next.
bool overlap_in_week(double a, double end_a, double b, double end_b) {
  for (double week_s : {-kWeek_s, 0.0, kWeek_s})
    if (a < end_b + week_s && b + week_s < end_a) return true;
  return false;
}

// Splits run time into whole weeks and the time within the week, in [0, kWeek_s).
std::pair<double, double> split_week(double t) {
  double week = std::floor(t / kWeek_s);
  double within_s = t - week * kWeek_s;
  if (within_s >= kWeek_s) {  // rounding, for t just below a week's start
    week += 1.0;
    within_s = 0.0;
  }
  return {week, std::max(within_s, 0.0)};
}

// The first of `spans`, sorted by start, that starts after t.
template <class Span>
auto first_start_after(const std::vector<Span>& spans, double t) {
  return std::upper_bound(spans.begin(), spans.end(), t,
                          [](double s, const Span& span) { return s < span.start_s; });
}

// Shift problems that need only the shift itself.
std::optional<CalendarProblem> shift_problem(const ShiftSpec& shift, const std::string& at) {
  auto problem = [&](std::string field, std::string message) {
    return std::optional<CalendarProblem>(CalendarProblem{at + field, std::move(message)});
  };
  if (shift.weekdays.empty())
    return problem(".weekdays", fmt::format("shift '{}' has no weekday; expected at least one day "
                                            "on which it starts (0 = Monday ... 6 = Sunday)",
                                            shift.name));
  for (std::size_t j = 0; j < shift.weekdays.size(); ++j) {
    const int day = shift.weekdays[j];
    const std::string field = fmt::format(".weekdays[{}]", j);
    if (day < 0 || day > 6)
      return problem(field, fmt::format("shift '{}' starts on weekday {}; expected 0 (Monday) to "
                                        "6 (Sunday)",
                                        shift.name, day));
    for (std::size_t earlier = 0; earlier < j; ++earlier)
      if (shift.weekdays[earlier] == day)
        return problem(field, fmt::format("shift '{}' lists {} twice (weekdays[{}] and "
                                          "weekdays[{}]); expected each weekday once",
                                          shift.name, kWeekdayNames[static_cast<std::size_t>(day)],
                                          earlier, j));
  }
  constexpr std::string_view kTimeOfDay =
      "expected a time of day from 0 to 86400 s, 00:00 up to but not including 24:00";
  if (!is_time_of_day(shift.start_s))
    return problem(".start", fmt::format("shift '{}' starts {} s after midnight; {}", shift.name,
                                         shift.start_s, kTimeOfDay));
  if (!is_time_of_day(shift.end_s))
    return problem(".end", fmt::format("shift '{}' ends {} s after midnight; {}", shift.name,
                                       shift.end_s, kTimeOfDay));
  const int day = shift.weekdays.front();
  if (shift.end_s == shift.start_s)
    return problem(".end", fmt::format("shift '{}' ends when it starts ({}), a shift of zero "
                                       "length; expected an end other than the start (an end "
                                       "before the start is on the next day)",
                                       shift.name, weekday_time(day, shift.start_s)));

  const double end_s = shift_end_s(shift);
  for (std::size_t k = 0; k < shift.breaks.size(); ++k) {
    const BreakSpec& pause = shift.breaks[k];
    const std::string field = fmt::format(".breaks[{}]", k);
    if (!(pause.duration_s > 0.0))
      return problem(field + ".duration",
                     fmt::format("break at {} of shift {} lasts {} s; expected a duration "
                                 "greater than 0",
                                 weekday_time(day, pause.start_s), describe_shift(shift, day),
                                 pause.duration_s));
    if (!(pause.start_s >= shift.start_s && pause.start_s + pause.duration_s <= end_s))
      return problem(field, fmt::format("{} is outside shift {}; expected a break within its "
                                        "shift (a night shift's break after midnight starts at "
                                        "86400 s or later)",
                                        describe_break(pause, day), describe_shift(shift, day)));
    for (std::size_t earlier = 0; earlier < k; ++earlier) {
      const BreakSpec& other = shift.breaks[earlier];
      if (pause.start_s < other.start_s + other.duration_s &&
          other.start_s < pause.start_s + pause.duration_s)
        return problem(field, fmt::format("{} overlaps {} (breaks[{}]) of shift {}; expected "
                                          "breaks that do not overlap",
                                          describe_break(pause, day), describe_break(other, day),
                                          earlier, describe_shift(shift, day)));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<CalendarProblem> calendar_problem(const CalendarSpec& spec) {
  if (spec.start_weekday < 0 || spec.start_weekday > 6)
    return CalendarProblem{"start_weekday",
                           fmt::format("the run starts on weekday {}; expected 0 (Monday) to 6 "
                                       "(Sunday)",
                                       spec.start_weekday)};
  for (std::size_t i = 0; i < spec.shifts.size(); ++i)
    if (auto problem = shift_problem(spec.shifts[i], fmt::format("shifts[{}]", i))) return problem;

  // Every start of one shift against every start of each shift listed before it.
  for (std::size_t i = 0; i < spec.shifts.size(); ++i) {
    const ShiftSpec& shift = spec.shifts[i];
    for (std::size_t earlier = 0; earlier < i; ++earlier) {
      const ShiftSpec& other = spec.shifts[earlier];
      for (int day : shift.weekdays) {
        for (int other_day : other.weekdays) {
          const double start = day * kDay_s + shift.start_s;
          const double other_start = other_day * kDay_s + other.start_s;
          if (overlap_in_week(start, day * kDay_s + shift_end_s(shift), other_start,
                              other_day * kDay_s + shift_end_s(other)))
            return CalendarProblem{
                fmt::format("shifts[{}]", i),
                fmt::format("{} overlaps {} (shifts[{}]); expected shifts "
                            "that do not overlap (one may start when another "
                            "ends)",
                            describe_shift(shift, day), describe_shift(other, other_day), earlier)};
        }
      }
    }
  }

  for (std::size_t m = 0; m < spec.maintenance.size(); ++m) {
    const MaintenanceWindow& window = spec.maintenance[m];
    if (!(window.start_s >= 0.0 && std::isfinite(window.start_s)))
      return CalendarProblem{fmt::format("maintenance[{}].start", m),
                             fmt::format("maintenance '{}' starts at t = {} s; expected a finite "
                                         "time at or after the start of the run (t = 0)",
                                         window.name, window.start_s)};
    if (!(window.end_s > window.start_s && std::isfinite(window.end_s)))
      return CalendarProblem{
          fmt::format("maintenance[{}].end", m),
          fmt::format("maintenance '{}' ends at {}, not after its start at {}; expected a finite "
                      "end after the start",
                      window.name, run_time(spec.start_weekday, window.end_s),
                      run_time(spec.start_weekday, window.start_s))};
  }
  return std::nullopt;
}

ShiftCalendar::ShiftCalendar() : ShiftCalendar(CalendarSpec{}) {}

ShiftCalendar::ShiftCalendar(const CalendarSpec& spec) {
  assert(!calendar_problem(spec));
  // Lays a span given in calendar week time (0 = Monday 00:00) into the week that starts at
  // t = 0, splitting it where it runs past that week's end.
  const double week_start_s = spec.start_weekday * kDay_s;
  auto add_span = [&](double start, double end) {
    const double shift_s = std::floor((start - week_start_s) / kWeek_s) * kWeek_s + week_start_s;
    start -= shift_s;
    end -= shift_s;
    week_spans_.push_back({start, std::min(end, kWeek_s)});
    if (end > kWeek_s) week_spans_.push_back({0.0, end - kWeek_s});
  };
  if (spec.shifts.empty()) week_spans_.push_back({0.0, kWeek_s});
  for (const ShiftSpec& shift : spec.shifts) {
    std::vector<BreakSpec> breaks = shift.breaks;
    std::sort(breaks.begin(), breaks.end(),
              [](const BreakSpec& a, const BreakSpec& b) { return a.start_s < b.start_s; });
    for (int day : shift.weekdays) {
      // The shift minus its breaks, which validation put inside it and apart from each other.
      const double midnight_s = day * kDay_s;
      double working_from = midnight_s + shift.start_s;
      for (const BreakSpec& pause : breaks) {
        if (midnight_s + pause.start_s > working_from)
          add_span(working_from, midnight_s + pause.start_s);
        working_from = midnight_s + pause.start_s + pause.duration_s;
      }
      if (midnight_s + shift_end_s(shift) > working_from)
        add_span(working_from, midnight_s + shift_end_s(shift));
    }
  }

  // Sort and merge spans that touch, so every boundary left is a real change.
  auto merge = [](std::vector<Span>& spans) {
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start_s < b.start_s; });
    std::vector<Span> merged;
    for (const Span& span : spans) {
      if (!merged.empty() && span.start_s <= merged.back().end_s)
        merged.back().end_s = std::max(merged.back().end_s, span.end_s);
      else
        merged.push_back(span);
    }
    spans = std::move(merged);
  };
  merge(week_spans_);
  for (const Span& span : week_spans_) {
    week_time_before_s_.push_back(week_on_shift_s_);
    week_on_shift_s_ += span.end_s - span.start_s;
    week_changes_s_.push_back(span.start_s);
    week_changes_s_.push_back(span.end_s == kWeek_s ? 0.0 : span.end_s);
  }
  // Work that runs through the end of the week into its start does not change at t = 0 mod week.
  if (!week_spans_.empty() && week_spans_.front().start_s == 0.0 &&
      week_spans_.back().end_s == kWeek_s)
    week_changes_s_.erase(std::remove(week_changes_s_.begin(), week_changes_s_.end(), 0.0),
                          week_changes_s_.end());
  std::sort(week_changes_s_.begin(), week_changes_s_.end());

  for (const MaintenanceWindow& window : spec.maintenance)
    maintenance_.push_back({window.start_s, window.end_s});
  merge(maintenance_);
}

bool ShiftCalendar::pattern_on(double t) const {
  const double within_s = split_week(t).second;
  const auto after = first_start_after(week_spans_, within_s);
  return after != week_spans_.begin() && within_s < std::prev(after)->end_s;
}

double ShiftCalendar::pattern_next_change(double t) const {
  if (week_changes_s_.empty()) return kNever;
  const auto [week, within_s] = split_week(t);
  const auto next = std::upper_bound(week_changes_s_.begin(), week_changes_s_.end(), within_s);
  if (next != week_changes_s_.end()) return week * kWeek_s + *next;
  return (week + 1.0) * kWeek_s + week_changes_s_.front();
}

double ShiftCalendar::pattern_time_before(double t) const {
  const auto [week, within_s] = split_week(t);
  const auto after = first_start_after(week_spans_, within_s);
  double time_s = week * week_on_shift_s_;
  if (after != week_spans_.begin()) {
    const auto i = static_cast<std::size_t>(std::prev(after) - week_spans_.begin());
    time_s +=
        week_time_before_s_[i] + std::min(within_s, week_spans_[i].end_s) - week_spans_[i].start_s;
  }
  return time_s;
}

const ShiftCalendar::Span* ShiftCalendar::maintenance_at(double t) const {
  const auto after = first_start_after(maintenance_, t);
  if (after == maintenance_.begin() || !(t < std::prev(after)->end_s)) return nullptr;
  return &*std::prev(after);
}

bool ShiftCalendar::on_shift(double t) const {
  assert(std::isfinite(t));
  return pattern_on(t) && maintenance_at(t) == nullptr;
}

double ShiftCalendar::next_change_after(double t) const {
  assert(std::isfinite(t));
  if (on_shift(t)) {
    // Work stops when the pattern says so or when the next maintenance starts.
    const auto window = first_start_after(maintenance_, t);
    const double maintenance_s = window == maintenance_.end() ? kNever : window->start_s;
    return std::min(pattern_next_change(t), maintenance_s);
  }
  // Off: find the first time the pattern is on outside maintenance. Each turn of the loop moves
  // past one maintenance window, so it ends after at most as many turns as there are windows.
  double x = t;
  for (;;) {
    if (const Span* window = maintenance_at(x)) {
      x = window->end_s;  // windows are merged, so x is outside maintenance now
      if (pattern_on(x)) return x;
    }
    // The pattern is off at x, so its next change is the start of work, unless maintenance.
    x = pattern_next_change(x);
    if (x == kNever || maintenance_at(x) == nullptr) return x;
  }
}

double ShiftCalendar::on_shift_time_s(double from, double to) const {
  assert(std::isfinite(from) && std::isfinite(to));
  if (!(to > from)) return 0.0;
  double time_s = pattern_time_before(to) - pattern_time_before(from);
  auto window = std::partition_point(maintenance_.begin(), maintenance_.end(),
                                     [&](const Span& span) { return span.end_s <= from; });
  for (; window != maintenance_.end() && window->start_s < to; ++window)
    time_s -= pattern_time_before(std::min(window->end_s, to)) -
              pattern_time_before(std::max(window->start_s, from));
  return time_s;
}

}  // namespace linetwin
