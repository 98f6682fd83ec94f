// `linetwin merge SHARD.h5...`: the shards of one sweep (`linetwin sweep --shard I/N --hdf5`),
// checked to be all of one sweep (same scenario, unchanged since; same seed and settings; each
// shard once, none missing), put together and reported as the unsharded sweep would be, to the
// byte.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "core/cancellation.hpp"
#include "io/scenario_file.hpp"
#include "sweep_support.hpp"

namespace linetwin::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> shards;
  SweepOutputs outputs;
  bool quiet = false;
};

// The sweep's plan again, from the scenario and the settings the shards ran with.
SweepPlan replan(const Scenario& scenario, const SweepFileIdentity& id, const std::string& path) {
  SweepFlags flags;
  flags.seed = id.seed;
  flags.replications = id.replications;
  const auto settings = nlohmann::json::parse(id.settings, nullptr, false);
  std::optional<DetectedWarmup> warmup;
  if (settings.is_object() && settings.contains("warmup_detection")) {
    const auto& w = settings["warmup_detection"];
    const bool readable = w.is_object() && w.value("warmup_s", nlohmann::json()).is_number() &&
                          w.value("interval_s", nlohmann::json()).is_number() &&
                          w.value("batches", nlohmann::json()).is_number_unsigned() &&
                          w.value("truncated_batches", nlohmann::json()).is_number_unsigned() &&
                          w.value("reliable", nlohmann::json()).is_boolean() &&
                          w.value("pilot_replications", nlohmann::json()).is_number_unsigned();
    if (!readable) {
      throw InputError({path, 0, 0, "settings.warmup_detection"},
                       "expected warmup_s, interval_s, batches, truncated_batches, reliable and "
                       "pilot_replications");
    }
    DetectedWarmup found;
    found.warmup_s = w["warmup_s"].get<double>();
    found.interval_s = w["interval_s"].get<double>();
    found.batches = w["batches"].get<std::size_t>();
    found.truncated_batches = w["truncated_batches"].get<std::size_t>();
    found.reliable = w["reliable"].get<bool>();
    found.pilot_replications = w["pilot_replications"].get<std::uint32_t>();
    warmup = found;
    flags.warmup = "auto";  // detected as the shards did, whatever made them detect it
  }
  SweepPlan plan = plan_sweep(scenario, flags, warmup);
  const bool readable = settings.is_object() && settings.contains("variants") &&
                        settings["variants"].is_array() &&
                        settings["variants"].size() == plan.variants.size();
  if (!readable) {
    throw InputError({path, 0, 0, "settings"},
                     fmt::format("expected the settings of the {} variants of scenario '{}'",
                                 plan.variants.size(), scenario.file));
  }
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    const auto& row = settings["variants"][v];
    if (!row.contains("duration_s") || !row["duration_s"].is_number() ||
        !row.contains("warmup_s") || !row["warmup_s"].is_number()) {
      throw InputError({path, 0, 0, "settings"}, "expected each variant's duration_s and warmup_s");
    }
    plan.variants[v].run.duration_s = row["duration_s"].get<double>();
    plan.variants[v].run.warmup_s = row["warmup_s"].get<double>();
  }
  if (settings.contains("common_random_numbers") && settings["common_random_numbers"].is_boolean())
    plan.settings.common_random_numbers = settings["common_random_numbers"].get<bool>();
  return plan;
}

int merge_command(const MergeOptions& options, const CancelFlag* cancel) {
  // Reading shards and loading the scenario are what takes time here: checked between them.
  const auto stop_if_cancelled = [cancel] {
    if (cancel && cancel->load()) throw RunCancelled();
  };
  check_sweep_outputs(options.outputs);
  std::vector<SweepFile> files;
  for (const std::string& path : options.shards) {
    stop_if_cancelled();
    files.push_back(read_sweep_file(path));
  }
  const SweepFileIdentity& first = files.front().identity;
  const std::string& first_path = options.shards.front();
  std::map<std::uint32_t, std::string> seen;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const SweepFileIdentity& id = files[f].identity;
    const std::string& path = options.shards[f];
    const bool same = id.scenario_fingerprint == first.scenario_fingerprint &&
                      id.seed == first.seed && id.replications == first.replications &&
                      id.settings == first.settings && id.shard_count == first.shard_count;
    if (!same) {
      throw InputError(
          {path, 0, 0, "shard"},
          fmt::format("expected a shard of the same sweep as {} (scenario {}, seed {}, {} "
                      "replications, {} shards), found scenario {}, seed {}, {} replications, "
                      "{} shards{}",
                      first_path, first.scenario, first.seed, first.replications, first.shard_count,
                      id.scenario, id.seed, id.replications, id.shard_count,
                      id.scenario_fingerprint != first.scenario_fingerprint
                          ? " (another scenario, or the scenario changed between the shards)"
                          : (id.settings != first.settings ? " (other settings)" : "")));
    }
    if (const auto [where, inserted] = seen.emplace(id.shard_index, path); !inserted) {
      throw InputError({path, 0, 0, "shard"},
                       fmt::format("shard {} of {} is given twice: {} and {}", id.shard_index,
                                   id.shard_count, where->second, path));
    }
  }
  for (std::uint32_t i = 1; i <= first.shard_count; ++i) {
    if (!seen.contains(i)) {
      throw InputError({"", 0, 0, "SHARD"},
                       fmt::format("expected all {} shard{} of the sweep of {}, missing shard {} "
                                   "of {}",
                                   first.shard_count, first.shard_count == 1 ? "" : "s",
                                   first.scenario, i, first.shard_count));
    }
  }

  // The shards name the scenario as it was given to them, so merge reads it from the same folder.
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(first.scenario, ignored)) {
    throw InputError({first_path, 0, 0, "scenario"},
                     fmt::format("expected the scenario the shards ran, '{}', from the current "
                                 "folder (the shards name it as it was given to them): run merge "
                                 "in the folder the shards ran in",
                                 first.scenario));
  }
  const Scenario scenario = load_scenario_file(first.scenario);
  stop_if_cancelled();
  SweepPlan plan = replan(scenario, first, first_path);
  plan.settings.shard = SweepShard{first.shard_index, first.shard_count};
  if (sweep_identity(scenario, plan).scenario_fingerprint != first.scenario_fingerprint) {
    throw InputError({first_path, 0, 0, "scenario_fingerprint"},
                     fmt::format("expected the scenario {} as the shards ran it: it (or its base "
                                 "scene) has changed since",
                                 first.scenario));
  }
  std::vector<SweepItem> items;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (SweepItem& item : items_of(files[f], plan, options.shards[f]))
      items.push_back(std::move(item));
  }
  SweepResults results;
  try {
    results.replications =
        merge_sweep_items(std::move(items), plan.variants.size(), first.replications);
  } catch (const std::invalid_argument& e) {
    throw InputError({"", 0, 0, "SHARD"}, fmt::format("expected every replication of the sweep "
                                                      "once in the shards: {}",
                                                      e.what()));
  }
  plan.settings.shard = SweepShard{};
  return finish_sweep(scenario, plan, results, options.outputs, options.quiet);
}

}  // namespace

Command add_merge_command(CLI::App& app, const CancelFlag* cancel) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* merge = app.add_subcommand(
      "merge", "Join the shards of a sweep (linetwin sweep --shard I/N --hdf5) and report it.");
  merge->add_option("SHARD", options->shards, "The shards' HDF5 files, every one of the sweep")
      ->required();
  add_sweep_output_options(*merge, options->outputs);
  merge->add_flag("-q,--quiet", options->quiet, "No table");
  return {merge, [options, cancel] { return merge_command(*options, cancel); }};
}

}  // namespace linetwin::cli
