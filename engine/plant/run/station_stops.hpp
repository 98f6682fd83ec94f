// Stops of stations in a line run: breakdowns, and going off shift (ShiftCalendars says when).
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

namespace linetwin::line_run {

struct Line;

class StationStops {
 public:
  // Time zero: failure clocks start.
  void start(Line& line);

  void on_failure(Line& line, StationRun& station);
  void on_repair(Line& line, StationRun& station);
  // The repair starts (its technician is there): for the time drawn, or for the time left when a
  // technician going off duty interrupted it.
  void start_repair(Line& line, StationRun& station);
  // A technician going off duty leaves a repair: the time left waits for the next one.
  void interrupt_repair(Line& line, StationRun& station);
  void set_off_shift(Line& line, StationRun& station, bool off_shift) {
    set_stop(line, station, station.down, off_shift);
  }
  // The station is down from now (a run from a snapshot at time zero, or a failure a user
  // injects), its repair (already under way, or waiting for its technician) ending `repair_s`
  // after the technician starts. A failure pending on its clock is cancelled.
  void place_down(Line& line, StationRun& station, double repair_s);
  // A working server left its work (its operator went off duty): a failure armed for the busy
  // spell may no longer be certain.
  void work_interrupted(Line& line, StationRun& station);

 private:
  // Changes why a station is stopped. Going from running to stopped interrupts setups and
  // processing; coming back resumes them and lets idle servers take parts again.
  void set_stop(Line& line, StationRun& station, bool down, bool off_shift);
  // The station stops for a repair, which starts at once or when its technician comes.
  void break_down(Line& line, StationRun& station);
  void add_state_integrals(double now, StationRun& station, double sign);
  void arm_failure_if_due(Line& line, StationRun& station);
  void cancel_failure(Line& line, StationRun& station);
};

}  // namespace linetwin::line_run
