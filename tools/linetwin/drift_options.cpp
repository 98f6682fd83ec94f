#include "drift_options.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "core/duration.hpp"
#include "telemetry/drift_report.hpp"

namespace linetwin::cli {

CLI::Option* add_drift_options(CLI::App& command, DriftOptions& options) {
  CLI::Option* drift = command.add_flag(
      "--drift", options.enabled,
      "Check each station's KPIs over windows of message time against the scene's prediction "
      "band, print alerts on stderr and add them to --json under \"drift\"");
  command
      .add_option("--drift-window", options.window,
                  "Drift: the window of telemetry judged, e.g. 1h (default 8h)")
      ->needs(drift);
  command
      .add_option("--drift-every", options.every,
                  "Drift: message time between checks (default: the window, so windows do not "
                  "overlap)")
      ->needs(drift);
  command
      .add_option("--drift-coverage", options.coverage,
                  "Drift: probability that a window of a line that behaves as modelled falls "
                  "inside each KPI's band (default 0.99)")
      ->needs(drift);
  command
      .add_option("--drift-replications", options.replications,
                  "Drift: simulated windows the bands are read from (default 200; at least "
                  "2 / (1 - coverage) - 1)")
      ->needs(drift);
  return drift;
}

namespace {

// Whole microseconds as seconds that the duration flags read back exactly: 6767000 as "6.767s".
std::string seconds_text(std::int64_t us) {
  std::string text = fmt::format("{}.{:06}", us / 1'000'000, us % 1'000'000);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + "s";
}

}  // namespace

std::unique_ptr<DriftWatch> make_drift_watch(const DriftOptions& options, const Scene& scene,
                                             const TelemetryNames& names, std::string_view command,
                                             bool quiet,
                                             const std::optional<TelemetryExtent>& telemetry) {
  if (!options.enabled) return nullptr;
  DriftSettings settings;
  settings.window_s = flag_duration("--drift-window", options.window, false);
  const std::optional<double> every =
      options.every ? std::optional(flag_duration("--drift-every", *options.every, false))
                    : std::nullopt;
  // The watch counts in whole microseconds, rounded to nearest: a window that rounds to none
  // judges nothing.
  if (settings.window_s * 1e6 < 0.5) {
    throw InputError({"", 0, 0, "--drift-window"},
                     fmt::format("expected at least {} (the resolution of telemetry timestamps), "
                                 "found '{}'",
                                 seconds_text(1), options.window));
  }
  // Without --drift-every the checks are a window apart: then the window is what is too short.
  const CheckSpacingBound bound = min_check_spacing(settings.window_s, telemetry);
  const double every_s = every.value_or(settings.window_s);
  if (every_s * 1e6 < static_cast<double>(bound.min_us) - 0.5) {
    throw InputError({"", 0, 0, every ? "--drift-every" : "--drift-window"},
                     fmt::format("expected checks at least {} apart ({}), found '{}'{}",
                                 seconds_text(bound.min_us), bound.reason,
                                 every ? *options.every : options.window,
                                 every ? ""
                                       : ", which --drift-every leaves as the time between "
                                         "checks"));
  }
  if (!(options.coverage > 0.0 && options.coverage < 1.0)) {
    throw InputError({"", 0, 0, "--drift-coverage"},
                     fmt::format("expected a probability between 0 and 1 (exclusive), found {}",
                                 options.coverage));
  }
  settings.coverage = options.coverage;
  settings.replications = options.replications;
  settings.threads = 0;  // the bands are the same whatever the threads (experiment/replications)
  if (!quiet) {
    fmt::print(stderr,
               "linetwin {}: drift: simulating {} windows of {} of the scene for the model's "
               "bands (this may take a moment)\n",
               command, options.replications, format_duration(settings.window_s));
  }
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<DriftWatch> watch;
  try {
    watch = std::make_unique<DriftWatch>(scene, names, settings, every);
  } catch (const InputError& error) {
    // Too few replications for the coverage: the flag to change is ours.
    if (error.where().field_path != "replications") throw;
    throw InputError({"", 0, 0, "--drift-replications"}, error.message());
  }
  if (!quiet) {
    fmt::print(stderr,
               "linetwin {}: drift: bands ready in {:.1f} s (coverage {:.4g} per KPI); checking "
               "every {} of message time\n",
               command,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
               watch->prediction().coverage, format_duration(watch->check_every_s()));
  }
  return watch;
}

void print_new_drift_alerts(const DriftWatch& watch, std::size_t& shown, std::string_view command) {
  for (; shown < watch.alerts().size(); ++shown) {
    fmt::print(stderr, "linetwin {}: drift: {}\n", command,
               drift_alert_line(watch.alerts()[shown]));
  }
}

}  // namespace linetwin::cli
