// `linetwin replay SCENE LOG`: feeds a recorded telemetry log into the twins of a scene, as fast
// as possible or at a multiple of real time, and reports the twins' KPIs as a table, JSON
// (schema linetwin.twins/1) and CSV. docs/twins.md describes the formats and the KPIs. With
// --drift it checks the log against the model's prediction bands as `linetwin live --drift` does
// (drift_options.hpp), so that drift can be looked for offline. With --write-state it writes the
// line's state as the twins estimate it at the end (or at --state-at) as a snapshot file, which a
// what-if run starts from (docs/snapshots.md).
#include <iostream>
#include <memory>
#include <string>

#include "cli_support.hpp"
#include "commands.hpp"
#include "drift_options.hpp"
#include "io/scene_file.hpp"
#include "replay_session.hpp"

namespace linetwin::cli {
namespace {

struct ReplayOptions {
  std::string scene;
  ReplayRequest request;
  std::string json_path;
  std::string csv_path;
  std::string state_path;
  bool quiet = false;
};

int replay_command(ReplayOptions& options) {
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
  ReplayRequest& request = options.request;
  request.announce_drift_bands = !options.quiet;
  const ReplayOutputs outputs = replay_log(scene, request);
  if (!options.state_path.empty() && !outputs.state_yaml) throw no_state_known(request.log);
  if (!options.json_path.empty()) write_whole(options.json_path, "--json", outputs.json);
  if (!options.csv_path.empty()) write_whole(options.csv_path, "--csv", outputs.csv);
  if (!options.state_path.empty())
    write_whole(options.state_path, "--write-state", *outputs.state_yaml);
  const bool stdout_taken =
      options.json_path == "-" || options.csv_path == "-" || options.state_path == "-";
  if (!options.quiet && !stdout_taken) std::cout << outputs.table;
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
  replay
      ->add_option("LOG", options->request.log,
                   "Telemetry log: linetwin CSV, MTConnect CSV or HDF5")
      ->required();
  add_log_format_flags(*replay, options->request.format, options->request.machine);
  replay
      ->add_option("--speed", options->request.speed,
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
      ->add_option("--state-at", options->request.state_at,
                   "Stop the replay at this UTC time within the log (ISO 8601, e.g. "
                   "2026-01-05T06:30:00Z) and write the state as of it")
      ->needs(write_state);
  add_drift_options(*replay, options->request.drift);
  replay->add_flag("-q,--quiet", options->quiet, "No table (drift alerts are still shown)");
  return {replay, [options] { return replay_command(*options); }};
}

}  // namespace linetwin::cli
