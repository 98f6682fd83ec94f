// `linetwin sweep SCENARIO`: every variant of a scenario file (docs/scenario-format.md), its
// replications on common random numbers, compared with the baseline, ranked, and checked against
// the scenario's gates: JSON, CSV, HDF5, JUnit and a table; exit 3 when a gate failed or a
// replication deadlocked. With --shard I/N, one share of the work items, to an HDF5 file that
// `linetwin merge` puts together with the others.
#include <charconv>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/scenario_file.hpp"
#include "progress_bar.hpp"
#include "sweep_support.hpp"

namespace linetwin::cli {
namespace {

struct SweepOptions {
  std::string scenario;
  SweepFlags flags;
  SweepOutputs outputs;
  std::string shard;
  bool quiet = false;
};

SweepShard parse_shard(const std::string& text) {
  SweepShard shard;
  const auto slash = text.find('/');
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  bool ok = slash != std::string::npos;
  if (ok) {
    const auto [i_end, i_error] = std::from_chars(begin, begin + slash, shard.index);
    const auto [n_end, n_error] = std::from_chars(begin + slash + 1, end, shard.count);
    ok = i_error == std::errc() && n_error == std::errc() && i_end == begin + slash &&
         n_end == end && shard.index >= 1 && shard.index <= shard.count && shard.count <= 100'000;
  }
  if (!ok) {
    throw InputError({"", 0, 0, "--shard"},
                     fmt::format("expected I/N, shard I of N with 1 <= I <= N <= 100000, found "
                                 "'{}'",
                                 text));
  }
  return shard;
}

int sweep_command(const SweepOptions& options, const CancelFlag* cancel) {
  std::optional<SweepShard> shard;
  if (!options.shard.empty()) shard = parse_shard(options.shard);
  const Scenario scenario = load_scenario_file(options.scenario);
  SweepPlan plan = plan_sweep(scenario, options.flags, std::nullopt, cancel);
  const SweepOutputs& outputs = options.outputs;
  if (shard) {
    if (plan.settings.precision || plan.settings.selection) {
      throw InputError({"", 0, 0, "--shard"},
                       "expected a scenario without a precision goal or selection: it decides "
                       "its replications as it goes and runs whole");
    }
    if (outputs.hdf5.empty() || !outputs.json.empty() || !outputs.csv.empty() ||
        !outputs.html.empty() || !outputs.junit.empty() || !outputs.replications_csv.empty()) {
      throw InputError({"", 0, 0, "--shard"},
                       "expected --hdf5 FILE, and no other output: a shard writes its "
                       "replications for `linetwin merge`, which writes the reports");
    }
    plan.settings.shard = *shard;
  }
  check_sweep_outputs(outputs);

  ProgressBar progress(fmt::format("sweeping {}", scenario.name));
  if (!options.quiet && progress.enabled()) {
    plan.settings.progress = [&progress](std::size_t done, std::size_t total) {
      progress.update(done, total);
    };
  }
  const SweepResults results = run_sweep(plan.variants, plan.settings);
  progress.finish();
  if (shard) {
    write_sweep_file(outputs.hdf5, "--hdf5", sweep_file_of(scenario, plan, results.items));
    return kExitSuccess;
  }
  return finish_sweep(scenario, plan, results, outputs, options.quiet);
}

}  // namespace

void add_sweep_output_options(CLI::App& command, SweepOutputs& outputs) {
  command.add_option("--json", outputs.json,
                     "Write results as JSON (schema linetwin.sweep/1) to FILE, or - for stdout");
  command.add_option("--csv", outputs.csv,
                     "Write results as CSV (a variant column, then one row per KPI) to FILE, or "
                     "- for stdout");
  command.add_option("--hdf5", outputs.hdf5,
                     "Write every replication and the summary to an HDF5 file "
                     "(docs/experiments.md)");
  command.add_option("--html", outputs.html,
                     "Write a one-file HTML report with charts (no script, nothing loaded) to "
                     "FILE, or - for stdout");
  command.add_option("--junit", outputs.junit,
                     "Write the gates as a JUnit XML file, one test case per gate");
  command.add_option("--replications-csv", outputs.replications_csv,
                     "Write every KPI of every replication of every variant as CSV to FILE");
}

Command add_sweep_command(CLI::App& app, const CancelFlag* cancel) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run a scenario's variants on common random numbers, compare them with the baseline, "
      "check its gates.");
  sweep->add_option("SCENARIO", options->scenario, "Scenario file (YAML, linetwin_scenario: 1)")
      ->required();
  sweep
      ->add_option("--reps", options->flags.replications,
                   "Replications per variant (default: the scenario's, else the base scene's)")
      ->check(CLI::Range(1u, 1000000u));
  sweep
      ->add_option("--seed", options->flags.seed,
                   "Random seed, a whole number from 0 to 2^64 - 1 (default: the scenario's)")
      ->check(seed_validator());
  sweep->add_option("--duration", options->flags.duration,
                    "Observed period after warm-up, e.g. 8h (default: the scenario's)");
  sweep->add_option("--warmup", options->flags.warmup,
                    "Warm-up discarded before observing, e.g. 1h, or auto: detected by MSER-5 "
                    "(default: the scenario's, else the base scene's, else auto)");
  sweep
      ->add_option("--threads", options->flags.threads,
                   "Worker threads; results are identical for any count (default 0: one per "
                   "core)")
      ->check(CLI::Range(0u, 1024u));
  add_sweep_output_options(*sweep, options->outputs);
  sweep->add_option("--shard", options->shard,
                    "Run shard I of N (I/N) of the work items, to --hdf5 only; `linetwin merge` "
                    "joins the shards");
  sweep->add_flag("-q,--quiet", options->quiet, "No table and no progress bar");
  return {sweep, [options, cancel] { return sweep_command(*options, cancel); }};
}

}  // namespace linetwin::cli
