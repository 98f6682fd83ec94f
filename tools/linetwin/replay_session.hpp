// What `linetwin replay` computes from a scene and a telemetry log, apart from reading its flags
// and writing its files: the twins' report as JSON (with drift, when asked), CSV and a table, and
// the line's state as a snapshot file's text. The CLI (replay_command.cpp) and the Python module
// (linetwin.replay) both call replay_log, so that they give the same bytes by construction.
#pragma once

#include <optional>
#include <string>

#include "core/cancellation.hpp"
#include "core/input_error.hpp"
#include "drift_options.hpp"
#include "plant/scene.hpp"

namespace linetwin::cli {

struct ReplayRequest {
  std::string log;
  std::string format = "auto";  // csv, mtconnect, hdf5, or auto: told by the file's first bytes
  std::string machine;          // MTConnect logs: the scene element the log is about
  double speed = 0.0;           // a multiple of real time; 0: as fast as possible
  // Stop at this UTC time within the log (ISO 8601 or epoch milliseconds), and tell the state as
  // of it.
  std::optional<std::string> state_at;
  DriftOptions drift;
  // Say on stderr that the drift bands are being simulated, and announce each drift alert there
  // as it is found ("linetwin replay: drift: ..."), as the CLI does.
  bool announce_drift_bands = true;
  bool announce_drift_alerts = true;
  // Set from any thread to stop: replay_log throws RunCancelled.
  const CancelFlag* cancel = nullptr;
};

struct ReplayOutputs {
  std::string json;   // schema linetwin.twins/1, with "drift" when asked
  std::string csv;    // one row per KPI
  std::string table;  // what the CLI prints without -q
  // The line's state at the end (or at state_at) as a snapshot file (docs/snapshot-format.md);
  // nothing when the log gave no sample of the scene's machines to tell it from.
  std::optional<std::string> state_yaml;
};

// Bad input (the log, its format, --state-at outside the log, drift settings) is an InputError
// naming the flag.
ReplayOutputs replay_log(const Scene& scene, const ReplayRequest& request);

// The error for a state asked of a log that cannot tell it (ReplayOutputs::state_yaml empty).
InputError no_state_known(const std::string& log_path);

}  // namespace linetwin::cli
