// The --drift options that `linetwin live` and `linetwin replay` share, and the DriftWatch they
// ask for: the model's prediction bands, simulated once at the start, and every sample the twins
// apply checked against them at the end of each window (docs/calibration.md, "Drift").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "plant/scene.hpp"
#include "telemetry/drift_watch.hpp"

namespace linetwin::cli {

struct DriftOptions {
  bool enabled = false;
  std::string window = "8h";
  std::optional<std::string> every;  // default: the window
  double coverage = 0.99;
  std::uint32_t replications = 200;
};

// --drift, --drift-window, --drift-every, --drift-coverage, --drift-replications; the others need
// --drift. Returns the --drift flag, for commands that exclude it from other modes.
CLI::Option* add_drift_options(CLI::App& command, DriftOptions& options);

// Null without --drift. Otherwise simulates the model's windows now, saying so on stderr unless
// `quiet` ("linetwin COMMAND: ..."). Bad values are an InputError naming the flag, checks closer
// than min_check_spacing (for `telemetry`, a log known beforehand) among them, before anything is
// simulated.
std::unique_ptr<DriftWatch> make_drift_watch(
    const DriftOptions& options, const Scene& scene, const TelemetryNames& names,
    std::string_view command, bool quiet,
    const std::optional<TelemetryExtent>& telemetry = std::nullopt);

// Prints the alerts found since the first `shown` on stderr, one line each, and counts them in.
void print_new_drift_alerts(const DriftWatch& watch, std::size_t& shown, std::string_view command);

}  // namespace linetwin::cli
