// Stops of stations in a line run: breakdowns and shift calendars.
//
// A station stops when it breaks down or goes off shift. Both interrupt setups and processing
// (preempt-resume: the remaining work is done after the repair or the break). A failure clock
// counted on operating time only advances while the station processes at least one part. Its
// failure event is scheduled only once it is certain to fall inside the current processing (the
// station is busy without a break until its latest service end; StationFlow::start_processing
// arms it), so stations that toggle between working and waiting thousands of times never schedule
// and cancel failures.
#pragma once

#include <cstdint>
#include <vector>

#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"
#include "plant/shift_calendar.hpp"

namespace linetwin::line_run {

struct Line;

class StationStops {
 public:
  void build(const Scene& scene, std::vector<StationRun>& stations);
  // Time zero: calendars set who is on shift, failure clocks start.
  void start(Line& line);

  void on_failure(Line& line, StationRun& station);
  void on_repair(Line& line, StationRun& station);
  void start_repair(Line& line, StationRun& station);
  void on_shift_change(Line& line, std::uint32_t calendar);

 private:
  struct CalendarRun {
    ShiftCalendar calendar;
    std::vector<std::uint32_t> stations;
    bool on_shift = true;
  };
  // Changes why a station is stopped. Going from running to stopped interrupts setups and
  // processing; coming back resumes them and lets idle servers take parts again.
  void set_stop(Line& line, StationRun& station, bool down, bool off_shift);
  void add_state_integrals(double now, StationRun& station, double sign);
  void arm_failure_if_due(Line& line, StationRun& station);
  std::vector<CalendarRun> calendars_;
};

}  // namespace linetwin::line_run
