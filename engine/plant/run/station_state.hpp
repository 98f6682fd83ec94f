// The run state of stations and their servers. StationFlow moves parts through them,
// StationStops stops and restarts them, OperatorCrew brings their operators; the fields each part
// owns are grouped below. One struct per station keeps what the event path touches together.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/random_stream.hpp"
#include "core/statistics.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

enum class ServerState : std::uint8_t {
  kIdle,             // starved
  kWaitingOperator,  // holds its parts; the operator is requested or walking here
  kSetup,
  kWorking,
  kBlocked,      // its finished parts were refused downstream
  kHandingOver,  // handing its finished parts over, at one instant (takes no time)
};
inline constexpr int kServerStates = 6;

// A server in these states keeps its station active (working on it or about to).
constexpr bool keeps_station_busy(ServerState state) {
  switch (state) {
    case ServerState::kWaitingOperator:
    case ServerState::kSetup:
    case ServerState::kWorking:
      return true;
    case ServerState::kIdle:
    case ServerState::kBlocked:
    case ServerState::kHandingOver:
      return false;
  }
  return false;
}

// Server time in these states is integrated; idle (starved) is the rest of the time, and a
// hand-over takes none.
constexpr bool is_timed(ServerState state) {
  switch (state) {
    case ServerState::kWaitingOperator:
    case ServerState::kSetup:
    case ServerState::kWorking:
    case ServerState::kBlocked:
      return true;
    case ServerState::kIdle:
    case ServerState::kHandingOver:
      return false;
  }
  return false;
}

constexpr int index_of(ServerState state) {
  return static_cast<int>(state);
}

struct ServerRun {
  ServerState state = ServerState::kIdle;
  // Setup or processing interrupted by a stop, or by its operator going off duty (then the
  // server waits for an operator, kWaitingOperator, with remaining_s still to do).
  bool paused = false;
  OperatorTask waiting_for = OperatorTask::kProcessing;
  Part part;  // the part in process (the main part of a batch)
  EventHandle completion;
  double end_s = 0.0;        // when the current setup or processing ends (while running)
  double remaining_s = 0.0;  // work left when a stop interrupted it
  std::uint32_t ticket = 0;
  std::uint32_t operator_id = kNoOperator;
  std::int32_t last_product = -1;  // for setups
};

// What a server holds beyond one part, kept apart from ServerRun so that the hot state of plain
// stations stays small.
struct ServerLoad {
  std::vector<Part> batch;     // the other parts of a batch
  std::vector<Part> outgoing;  // finished parts still to hand over (general path)
  std::vector<std::uint8_t> to_rework;
  std::size_t next_out = 0;
  std::vector<Part> redo;  // reworked at this very station: processed again by this server
};

enum class FailureMode : std::uint8_t { kNever, kOnOperatingTime, kOnCalendarTime };

// How a station takes in and hands on parts, decided once when the run is built
// (StationFlow::classify). Each path is a special case of the next.
enum class StationPath : std::uint8_t {
  // One buffer in front, one target, one part at a time: no setups, operators, quality, WIP
  // limit, batch, split or assembly. The shortest path of all.
  kPlainFromBuffer,
  // As above, fed by anything else (a source, a conveyor, a station).
  kPlain,
  // Everything else.
  kGeneral,
};

struct StationRun {
  // Identity and connections.
  std::uint32_t index;  // in the stations array, the target of its events
  ElementIndex element;
  std::vector<Link> inputs;  // in merge order (priority) or scene order
  Output output;
  Output rework;  // where reworked parts go (single target)
  const StationSpec* spec;
  std::vector<const Distribution*> processing;  // per product
  // > 0 when every product's processing is exponential with this one mean: the event path then
  // draws it without looking up the part's product and its distribution (most stations).
  double exponential_processing_s = 0.0;
  StationPath path;
  bool takes_offers;  // not an assembly or batch station (those pull)
  std::uint8_t gate;
  Link first_input;
  std::uint32_t first_server;
  std::uint32_t servers;
  RandomStream processing_rng;
  RandomStream quality_rng;

  // Server states (StationFlow): servers per state, and those in a busy state.
  std::uint32_t count[kServerStates] = {};
  std::uint32_t busy = 0;

  // Stops (StationStops): down or off shift, kept as one flag for the event path too.
  bool down = false;
  bool off_shift = false;
  bool halted = false;
  std::uint32_t repair_operator = kNoOperator;  // called for the repair (not one already here)
  EventHandle repair_event;
  double repair_left_s = -1.0;  // of a repair its technician left (going off duty); < 0: none
  // Failure clock (StationStops).
  FailureMode failure_mode;
  RandomStream failure_rng;
  RandomStream repair_rng;
  double time_to_failure_s = 0.0;  // operating time: what is left when operating_since_s began
  double operating_since_s = 0.0;
  double busy_until_s = 0.0;  // while operating: the latest end of the processings under way
  bool failure_pending = false;
  EventHandle failure_event;

  // Statistics (StationFlow, StationStops). Server time per state, integrated (server-seconds);
  // while the station is stopped its servers count as down or off shift only. Starved (idle) is
  // the rest.
  TimeIntegral in_state[kServerStates];  // of timed_servers()
  TimeAverage down_servers;
  TimeAverage off_shift_servers;
  // Active periods: the time spent active, and the number of periods begun. A station that goes
  // inactive and active again at the same instant stays in the same period.
  bool active = false;
  double inactive_since_s = -std::numeric_limits<double>::infinity();
  TimeIntegral active_time;  // of `active`
  std::uint64_t active_periods = 0;
  std::uint64_t processed = 0;
  std::uint64_t scrapped = 0;
  std::uint64_t reworked = 0;
  std::uint64_t failures = 0;
  std::uint64_t setups = 0;
  // Sum of the mean processing time of each part processed; with one mean for every product
  // (uniform_ideal), it is processed times that mean and is computed at the end instead.
  double ideal_work_s = 0.0;
  bool uniform_ideal = true;
  // Assembly: per component line (main first), 1 while an idle server waits for it.
  std::vector<TimeAverage> starved_by;
  std::vector<std::uint8_t> short_of;

  bool plain() const { return path != StationPath::kGeneral; }
  bool stopped() const { return halted; }
  std::uint32_t in(ServerState state) const { return count[index_of(state)]; }
  // The servers whose time in `state` is being integrated: none while the station is stopped.
  double timed_servers(int state) const { return halted ? 0.0 : count[state]; }
  // Every part processed leaves good, scrapped or reworked; the good ones are not counted apart.
  std::uint64_t good_parts() const { return processed - scrapped - reworked; }
};

}  // namespace linetwin::line_run
