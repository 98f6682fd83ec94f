// What `linetwin live` does once its flags are read: the scene's twins fed from an MQTT broker
// until asked to stop, a quiet spell or a sample count, the session recorded when asked, and then
// the twins' report as JSON (with drift, when asked), CSV and a table, and the line's state as a
// snapshot file's text. The CLI (live_command.cpp, which stops on SIGINT and SIGTERM) and the
// Python module (linetwin.live, which stops on Ctrl-C) both call run_live, so that they give the
// same reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "drift_options.hpp"
#include "live/mqtt_subscriber.hpp"
#include "plant/scene.hpp"

namespace linetwin::cli {

struct LiveRequest {
  MqttOptions mqtt;
  std::string scene_path;  // a recording holds the scene file's name and text
  std::chrono::milliseconds reorder_window{500};
  std::chrono::milliseconds report_every{10'000};  // status lines, and KPI snapshots recorded
  std::chrono::milliseconds until_idle{0};         // 0: not given
  std::chrono::milliseconds connect_timeout{0};    // 0: not given
  std::string connect_timeout_text;                // as given, for the message
  std::optional<std::uint64_t> max_samples;
  std::string record_path;  // an HDF5 recording of the session; empty: none
  bool count_only = false;
  // No status lines or fault details on stderr (connection changes are still shown).
  bool quiet = false;
  bool announce_drift_alerts = true;
  DriftOptions drift;
  // Asked between polls of the broker, about every 100 ms: true ends the session as its limits
  // do, with its report.
  std::function<bool()> stop_requested;
};

struct LiveOutputs {
  std::string json;   // the replay's schema plus "ingestion" (and "drift" when asked)
  std::string csv;    // one row per KPI
  std::string table;  // what the CLI prints without -q
  // The line's state at the newest sample; nothing when no sample of the scene's machines came.
  std::optional<std::string> state_yaml;
  // "N messages, N samples applied, ...": the CLI's closing line, after "stopped; ".
  std::string counts;
  // The broker refused a reconnection after the session had connected: the report is made, and
  // the error comes after it (an InputError naming --broker).
  std::optional<std::string> refused;
};

// A broker that refuses the first connection, or cannot be reached within connect_timeout, is an
// InputError naming --broker or --connect-timeout; so are bad drift settings.
LiveOutputs run_live(const Scene& scene, const LiveRequest& request);

}  // namespace linetwin::cli
