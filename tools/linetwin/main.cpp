// The `linetwin` command line: headless runs for people at a terminal and for CI pipelines.
//
// Exit codes are part of the interface: 0 success, 2 bad input (scene file or flags; the message
// goes to stderr and names the file, line and field), 1 an internal error.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_file.hpp"
#include "linetwin_version.hpp"
#include "progress_bar.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

struct RunOptions {
  std::string scene;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> duration;
  std::optional<std::string> warmup;
  unsigned threads = 0;
  std::string json_path;
  std::string csv_path;
  bool quiet = false;
};

double flag_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  auto seconds = linetwin::parse_duration_seconds(text);
  if (!seconds || *seconds < 0.0 || (!allow_zero && *seconds == 0.0)) {
    throw linetwin::InputError({"", 0, 0, flag},
                               fmt::format("expected {}{}, found '{}'", linetwin::kDurationSyntax,
                                           allow_zero ? "" : " greater than zero", text));
  }
  return *seconds;
}

linetwin::InputError cannot_write(const std::string& path, const std::string& flag) {
  return linetwin::InputError(
      {path, 0, 0, flag}, fmt::format("cannot write the results file: {}", std::strerror(errno)));
}

// Fails before any simulation if a results file cannot be written. Opening for appending
// creates a missing file but leaves an existing one as it is until the results are ready.
void check_writable(const std::string& path, const std::string& flag) {
  if (path.empty() || path == "-") return;
  std::ofstream probe(path, std::ios::binary | std::ios::app);
  if (!probe) throw cannot_write(path, flag);
}

// Writes to a file, or to stdout for "-". The whole text is built first so that a failed run
// never leaves a half-written result file behind.
void write_output(const std::string& path, const std::string& flag, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw cannot_write(path, flag);
}

int run_command(const RunOptions& options) {
  using namespace linetwin;
  if (options.json_path == "-" && options.csv_path == "-") {
    throw InputError({"", 0, 0, "--csv"},
                     "expected at most one of --json and --csv to write to standard output");
  }
  const Scene scene = load_scene_file(options.scene);
  check_writable(options.json_path, "--json");
  check_writable(options.csv_path, "--csv");
  ExperimentSettings settings = settings_from_scene(scene);
  if (options.replications) settings.run.replications = *options.replications;
  if (options.seed) settings.seed = *options.seed;
  if (options.duration)
    settings.run.duration_s = flag_duration("--duration", *options.duration, false);
  if (options.warmup) settings.run.warmup_s = flag_duration("--warmup", *options.warmup, true);
  settings.threads = options.threads;

  cli::ProgressBar progress(fmt::format("simulating {}", scene.name()));
  if (!options.quiet && progress.enabled()) {
    settings.progress = [&progress](std::size_t done, std::size_t total) {
      progress.update(done, total);
    };
  }
  const std::vector<ReplicationResult> reps = run_replications(scene, settings);
  progress.finish();  // clear the bar before anything is printed
  const ExperimentSummary summary = summarize(reps);
  const RunReport report{scene, settings, summary};

  if (!options.json_path.empty()) {
    std::ostringstream text;
    write_json(text, report);
    write_output(options.json_path, "--json", text.str());
  }
  if (!options.csv_path.empty()) {
    std::ostringstream text;
    write_csv(text, report);
    write_output(options.csv_path, "--csv", text.str());
  }
  const bool stdout_taken = options.json_path == "-" || options.csv_path == "-";
  if (!options.quiet && !stdout_taken) write_table(std::cout, report);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "linetwin: simulate production lines as digital twins.\n"
      "Runs a scene file (YAML, see docs/scene-format.md) and reports throughput, WIP, lead\n"
      "time, station states and the bottleneck with 95% confidence intervals.\n"
      "Exit codes: 0 success, 2 bad input or flags, 1 internal error.",
      "linetwin"};
  app.set_version_flag("--version", std::string("linetwin ") + linetwin::kLinetwinVersion);
  app.require_subcommand(1);

  RunOptions options;
  CLI::App* run = app.add_subcommand(
      "run", "Simulate a scene: replications in parallel, KPIs with 95% confidence intervals.");
  run->add_option("SCENE", options.scene, "Scene file (YAML)")->required();
  run->add_option("--reps", options.replications,
                  "Number of replications (default: the scene's run.replications)")
      ->check(CLI::Range(1u, 1000000u));
  run->add_option("--seed", options.seed, "Random seed, a whole number >= 0 (default: the scene's)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
            return digits ? "" : "expected a whole number >= 0, found '" + text + "'";
          },
          "UINT"));
  run->add_option("--duration", options.duration,
                  "Observed period after warm-up, e.g. 8h, 90min (default: the scene's)");
  run->add_option("--warmup", options.warmup,
                  "Warm-up discarded before observing, e.g. 1h (default: the scene's)");
  run->add_option("--threads", options.threads,
                  "Worker threads; results are identical for any count (default 0: one per core)")
      ->check(CLI::Range(0u, 1024u));
  run->add_option("--json", options.json_path,
                  "Write results as JSON (schema linetwin.run/2) to FILE, or - for stdout");
  run->add_option("--csv", options.csv_path,
                  "Write results as CSV (one row per KPI) to FILE, or - for stdout");
  run->add_flag("-q,--quiet", options.quiet, "No table and no progress bar");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      // CLI11 would only say that a subcommand is required; name the word it did not know.
      fmt::print(stderr, "linetwin: unknown command '{}'; expected: run (see linetwin --help)\n",
                 argv[1]);
      return kExitBadInput;
    }
    app.exit(e);  // prints the message and a hint to stderr
    return kExitBadInput;
  }

  try {
    if (run->parsed()) return run_command(options);
  } catch (const linetwin::InputError& e) {
    fmt::print(stderr, "linetwin: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "linetwin: internal error: {}\n", e.what());
    return kExitInternal;
  }
  return kExitInternal;
}
