// `linetwin replay SCENE LOG`: feeds a recorded telemetry log into the twins of a scene, as fast
// as possible or at a multiple of real time, and reports the twins' KPIs as a table, JSON
// (schema linetwin.twins/1) and CSV. docs/twins.md describes the formats and the KPIs. With
// --drift it checks the log against the model's prediction bands as `linetwin live --drift` does
// (drift_options.hpp), so that drift can be looked for offline. With --write-state it writes the
// line's state as the twins estimate it at the end (or at --state-at) as a snapshot file, which a
// what-if run starts from (docs/snapshots.md).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "core/timestamp.hpp"
#include "drift_options.hpp"
#include "io/scene_file.hpp"
#include "io/snapshot_file.hpp"
#include "recording/telemetry_log_file.hpp"
#include "telemetry/drift_report.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/twin_report.hpp"

namespace linetwin::cli {
namespace {

struct ReplayOptions {
  std::string scene;
  std::string log;
  std::string format = "auto";
  std::string machine;
  double speed = 0.0;
  std::string json_path;
  std::string csv_path;
  std::string state_path;
  std::optional<std::string> state_at;
  bool quiet = false;
  DriftOptions drift;
};

InputError no_state_known(const std::string& log_path) {
  return InputError(
      {log_path, 0, 0, "--write-state"},
      "expected samples of the scene's machines to tell the line's state, found none");
}

// --state-at: a time within the log, when the replay stops.
std::int64_t state_time_us(const std::string& text, const TelemetryLog& log,
                           const std::string& log_path) {
  const std::optional<std::int64_t> at = parse_timestamp_us(text);
  if (!at) {
    throw InputError({"", 0, 0, "--state-at"},
                     fmt::format("expected {}, found '{}'", kTimestampSyntax, text));
  }
  if (log.samples.empty() || *at < log.samples.front().timestamp_us ||
      *at > log.samples.back().timestamp_us) {
    throw InputError(
        {log_path, 0, 0, "--state-at"},
        log.samples.empty()
            ? fmt::format("expected a time within the log, which holds no samples")
            : fmt::format("expected a time within the log, from {} to {}, found {}",
                          format_timestamp_iso(log.samples.front().timestamp_us),
                          format_timestamp_iso(log.samples.back().timestamp_us), text));
  }
  return *at;
}

int replay_command(const ReplayOptions& options) {
  if (options.json_path == "-" && options.csv_path == "-") {
    throw InputError({"", 0, 0, "--csv"},
                     "expected at most one of --json and --csv to write to standard output");
  }
  const Scene scene = load_scene_file(options.scene);
  check_can_replace(options.json_path, "--json");
  check_can_replace(options.csv_path, "--csv");
  check_can_replace(options.state_path, "--write-state");
  check_one_stdout({{"--json", options.json_path},
                    {"--csv", options.csv_path},
                    {"--write-state", options.state_path}});
  check_distinct_outputs({{"--json", options.json_path},
                          {"--csv", options.csv_path},
                          {"--write-state", options.state_path}});
  const std::string format =
      options.format == "auto" ? detect_log_format(options.log, "--format") : options.format;
  TelemetryLog log = read_telemetry_log(scene, options.log, format, options.machine);
  // A recorded file is put in time order as a whole; ties keep the order of the file.
  std::stable_sort(log.samples.begin(), log.samples.end(),
                   [](const TelemetrySample& a, const TelemetrySample& b) {
                     return a.timestamp_us < b.timestamp_us;
                   });
  const std::optional<std::int64_t> state_at =
      options.state_at ? std::optional(state_time_us(*options.state_at, log, options.log))
                       : std::nullopt;

  LineTwins twins(scene);
  LogBinding binding(log.names, twins);
  const std::unique_ptr<DriftWatch> drift = make_drift_watch(
      options.drift, scene, twins.names(), "replay", options.quiet,
      log.samples.empty()
          ? std::nullopt
          : std::optional(TelemetryExtent{log.samples.front().timestamp_us,
                                          log.samples.back().timestamp_us, log.samples.size()}));
  std::size_t drift_alerts_shown = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  for (const TelemetrySample& sample : log.samples) {
    if (state_at && sample.timestamp_us > *state_at) break;
    if (options.speed > 0.0) {
      // Each sample is applied when its message time, scaled, has passed since the first.
      const double message_s =
          static_cast<double>(sample.timestamp_us - log.samples.front().timestamp_us) / 1e6;
      // At most what the clock can count: a very slow replay would otherwise overflow it.
      const double wait_s = std::min(message_s / options.speed, kMaxWallDurationS);
      std::this_thread::sleep_until(wall_start +
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(wait_s)));
    }
    TelemetrySample translated;
    if (drift && binding.translate(sample, translated)) {
      // The samples the twins applied, as `linetwin live --drift` hands them to its watch.
      if (twins.apply(translated) == ApplyOutcome::kApplied) drift->observe(translated);
      print_new_drift_alerts(*drift, drift_alerts_shown, "replay");
    } else {
      binding.apply(sample);
    }
  }
  // The twins' clock to the time asked, not only to the last sample before it.
  if (state_at) twins.advance_to(*state_at);
  if (drift) {
    drift->finish(twins.observed_until_us());
    print_new_drift_alerts(*drift, drift_alerts_shown, "replay");
  }

  const TwinReport report{twins, options.log, format, binding.unknown_machines()};
  if (!options.json_path.empty()) {
    std::ostringstream text;
    write_twins_json(text, report);
    write_whole(options.json_path, "--json",
                drift ? add_drift_json(text.str(), *drift) : text.str());
  }
  if (!options.csv_path.empty()) {
    std::ostringstream text;
    write_twins_csv(text, report);
    write_whole(options.csv_path, "--csv", text.str());
  }
  if (!options.state_path.empty()) {
    if (twins.observed_until_us() == kNoTime) throw no_state_known(options.log);
    write_whole(options.state_path, "--write-state",
                snapshot_yaml(estimate_line_state(twins, twins.observed_until_us(), "replay")));
  }
  const bool stdout_taken =
      options.json_path == "-" || options.csv_path == "-" || options.state_path == "-";
  if (!options.quiet && !stdout_taken) write_twins_table(std::cout, report);
  return 0;
}

}  // namespace

Command add_replay_command(CLI::App& app) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Feed a recorded telemetry log into the twins of a scene and report their KPIs (state "
      "shares, OEE, throughput) as the simulator computes them.");
  replay->add_option("SCENE", options->scene, "Scene file (YAML); machine ids are its element ids")
      ->required();
  replay->add_option("LOG", options->log, "Telemetry log: linetwin CSV, MTConnect CSV or HDF5")
      ->required();
  replay
      ->add_option("--format", options->format,
                   "Log format: csv, mtconnect, hdf5, or auto (default: told by the file's "
                   "first bytes)")
      ->check(CLI::IsMember({"auto", "csv", "mtconnect", "hdf5"}));
  replay->add_option("--machine", options->machine,
                     "MTConnect logs: the scene element the log is about (default: the scene's "
                     "only station)");
  replay
      ->add_option("--speed", options->speed,
                   "Replay at this multiple of real time, e.g. 60 (default 0: as fast as possible)")
      ->check(finite_validator())
      ->check(CLI::Range(0.0, 1e12));
  replay->add_option("--json", options->json_path,
                     "Write the twins' KPIs as JSON (schema linetwin.twins/1) to FILE, or - for "
                     "stdout");
  replay->add_option("--csv", options->csv_path,
                     "Write the twins' KPIs as CSV (one row per KPI) to FILE, or - for stdout");
  CLI::Option* write_state = replay->add_option(
      "--write-state", options->state_path,
      "Write the line's state at the end of the log (or at --state-at) as the twins estimate it, "
      "as a snapshot file (docs/snapshots.md), or - for stdout");
  replay
      ->add_option("--state-at", options->state_at,
                   "Stop the replay at this UTC time within the log (ISO 8601, e.g. "
                   "2026-01-05T06:30:00Z) and write the state as of it")
      ->needs(write_state);
  add_drift_options(*replay, options->drift);
  replay->add_flag("-q,--quiet", options->quiet, "No table (drift alerts are still shown)");
  return {replay, [options] { return replay_command(*options); }};
}

}  // namespace linetwin::cli
