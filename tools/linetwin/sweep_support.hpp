// What `linetwin sweep` and `linetwin merge` share: the sweep's variants and settings from a
// scenario and the flags, the gates, the report, the outputs, and the HDF5 file of a sweep or of
// one of its shards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/cancellation.hpp"
#include "experiment/sweep.hpp"
#include "io/scenario_file.hpp"
#include "io/sweep_report.hpp"
#include "recording/sweep_file.hpp"

namespace linetwin::cli {

// The flags that change what a sweep computes (CLI values win over the scenario's, which win over
// each variant scene's own).
struct SweepFlags {
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> duration;
  std::optional<std::string> warmup;
  unsigned threads = 0;
};

struct SweepPlan {
  std::vector<SweepVariant> variants;
  std::vector<std::vector<SweepParameter>> parameters;
  SweepSettings settings;
  std::optional<DetectedWarmup> warmup;  // when MSER-5 chose the warm-up
};
// The warm-up is detected by MSER-5 on the baseline, and used by every variant, when the scenario
// says `warmup: auto`, or when neither a flag, the scenario nor the base scene fixes one;
// `known_warmup` (merge) is the detection the shards ran with, used instead of detecting again.
// `cancel` stops the detection and, in the plan's settings, the sweep: RunCancelled.
SweepPlan plan_sweep(const Scenario& scenario, const SweepFlags& flags,
                     const std::optional<DetectedWarmup>& known_warmup = std::nullopt,
                     const CancelFlag* cancel = nullptr);

struct SweepOutputs {
  std::string json, csv, hdf5, html, junit, replications_csv;
};
// --json, --csv, --hdf5, --html, --junit and --replications-csv, as sweep and merge take them.
void add_sweep_output_options(CLI::App& command, SweepOutputs& outputs);

// Fails before any work when an output cannot be written or two name the same file.
void check_sweep_outputs(const SweepOutputs& outputs);

// Evaluates the scenario's gates, builds the report, writes every output asked for (the HDF5 file
// with every replication), prints the table unless quiet, and returns the exit code: 3 when a gate
// failed or a replication deadlocked, else 0.
int finish_sweep(const Scenario& scenario, const SweepPlan& plan, const SweepResults& results,
                 const SweepOutputs& outputs, bool quiet);

// The identity that every shard of this sweep carries, and that merge compares.
SweepFileIdentity sweep_identity(const Scenario& scenario, const SweepPlan& plan);

// A shard's items, or a whole sweep's replications, as the HDF5 file's rows.
SweepFile sweep_file_of(const Scenario& scenario, const SweepPlan& plan,
                        const std::vector<SweepItem>& items);

// The shard file's rows back as items of the sweep (each variant's columns as its scene has them).
std::vector<SweepItem> items_of(const SweepFile& file, const SweepPlan& plan,
                                const std::string& path);

}  // namespace linetwin::cli
