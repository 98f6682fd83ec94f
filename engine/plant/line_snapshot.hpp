// A line as it stands at one instant, in the terms its telemetry can give: each station's activity,
// how long it has been in it and the parts it holds, and each buffer's level. A snapshot is what
// "what-if from now" starts from (LineRun::from_snapshot): taken exactly from a simulated run
// (LineRun::snapshot), or estimated from the twins of a live or replayed line
// (telemetry/line_state_estimate.hpp). Unlike a saved state (LineRun::save_state), it holds no
// event calendar and no random streams: the work still to do is drawn again when a run starts
// from it. docs/snapshots.md tells how snapshots are taken and used, docs/snapshot-format.md has
// the file format (io/snapshot_file.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "plant/station_observer.hpp"

namespace linetwin {

// A part a station holds.
struct HeldPart {
  // Processed, and waiting to be handed over (its server is blocked).
  bool finished = false;
  // Processing done on it so far, in seconds (paused by a stop or not); NaN when not known, and
  // then its remaining processing is drawn whole.
  double work_done_s = std::numeric_limits<double>::quiet_NaN();
};

struct StationSnapshot {
  std::string id;
  StationActivity activity = StationActivity::kIdle;
  // How long the station has been in `activity`; NaN when not known. A down station's time in
  // state is the age of its repair, from which the repair time left is drawn.
  double in_state_s = std::numeric_limits<double>::quiet_NaN();
  // At most one per server: the parts in process (under way, paused by a stop, or waiting for
  // setup or an operator) and the finished parts waiting to be handed over.
  std::vector<HeldPart> parts;
  // A what-if ("OP30 stays down for the next 4 h"): the station is down from the snapshot on for
  // exactly this long, whatever its activity was, instead of for a repair time drawn.
  std::optional<double> down_for_s;
};

struct BufferSnapshot {
  std::string id;
  // Parts queued; nothing when it could not be told (no level signal, and counters that do not
  // add up to it), and then no run can start from the snapshot until it is given.
  std::optional<std::uint64_t> level;
  // How the level was found: "simulation", "level signal", "counters", or why it is unknown.
  std::string source;
};

struct LineSnapshot {
  // When the line was in this state: UTC microseconds since the Unix epoch, for a snapshot of
  // telemetry; nothing for one of a simulation, which has only its own clock.
  std::optional<std::int64_t> timestamp_us;
  // A simulation's clock when it was taken (seconds from the run's start); NaN for telemetry.
  double simulated_time_s = std::numeric_limits<double>::quiet_NaN();
  // "simulation", "live" or "replay".
  std::string origin;
  // The scene it is a snapshot of (its file, as given), for messages.
  std::string scene;
  // Every station and buffer of the scene, in scene order.
  std::vector<StationSnapshot> stations;
  std::vector<BufferSnapshot> buffers;
};

}  // namespace linetwin
