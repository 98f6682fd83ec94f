// Shift calendars in a line run: each calendar that a station, a source or an operator pool
// follows changes them between on and off shift at its changes (ShiftCalendar), one event per
// change.
//
// Off shift a station stops (StationStops: setups and processing are interrupted and resumed
// after the break, preempt-resume); a source makes no arrivals (SourceFlow: its arrival clock
// stands still, orders due are released when the shift begins, an unlimited supply hands nothing
// over); an operator pool is off duty (OperatorCrew: a task in hand is interrupted and waits, with
// its work left, for an operator on duty). At a change, a shift that ends stops the sources, then
// the stations, then the operators; a shift that begins brings the operators first, then the
// stations, then the sources, so that work resumes at the instant the shift begins.
#pragma once

#include <cstdint>
#include <vector>

#include "plant/scene.hpp"
#include "plant/shift_calendar.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

class ShiftCalendars {
 public:
  void build(const Scene& scene);
  // Time zero: who is off shift, and each calendar's first change.
  void start(Line& line);
  void on_change(Line& line, std::uint32_t calendar);
  void transfer_state(StateStream& io);  // run_state.hpp

 private:
  struct CalendarRun {
    ShiftCalendar calendar;
    std::vector<std::uint32_t> stations;  // by index among the kind's elements
    std::vector<std::uint32_t> sources;
    std::vector<std::uint32_t> pools;
    bool on_shift = true;
    bool followed() const { return !stations.empty() || !sources.empty() || !pools.empty(); }
  };
  void apply(Line& line, const CalendarRun& calendar);
  void schedule_next(Line& line, std::uint32_t calendar, double after_s);
  std::vector<CalendarRun> calendars_;
};

}  // namespace linetwin::line_run
