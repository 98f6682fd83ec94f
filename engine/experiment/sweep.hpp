// A sweep: replications of several variants of a line (the baseline first), run as one set of
// work items (variant, replication) spread over threads.
//
// Common random numbers: replication r of every variant draws from the streams keyed by (seed,
// element id, purpose, r) (core/random_stream.hpp), so an element the variants share sees the
// same processing times, failures and repairs in replication r of each: a difference between
// two variants is the change's effect, not noise of different draws, and the paired difference
// of replication r is much less variable than two independent estimates (docs/experiments.md
// gives the figures). With common random numbers off, variant v draws from seed
// independent_seed(seed, v) instead, as two separate studies would.
//
// Results are stored by (variant, replication) and every decision that adds replications (a
// precision goal, the selection of the best) looks only at results, in rounds, so the outcome,
// to the bit, does not depend on the thread count or on which thread ran what.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "experiment/replications.hpp"
#include "experiment/selection_of_best.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

struct SweepVariant {
  std::string name;
  const Scene* scene = nullptr;  // outlives the sweep
  RunSettings run;               // duration and warm-up; replications are the sweep's
};

// Replications are added in batches to every variant whose confidence interval of `kpi` (a
// ReplicationTable column) is wider than +-half_width, until each meets it or has
// max_replications.
struct PrecisionSettings {
  std::string kpi;
  double half_width = 0.0;
  std::uint32_t batch = 10;
  std::uint32_t max_replications = 0;
  double confidence = 0.95;
};

// The selection of the best variant on `kpi` (a ReplicationTable column) by Kim and Nelson's
// procedure (experiment/selection_of_best.hpp), on the replications already run and adding
// replications only to the variants still in contention.
struct SelectionOfBestSettings {
  std::string kpi;
  SelectionSettings procedure;
};

// Shard `index` of `count` (1-based) runs every count-th work item of the fixed replications, so
// that shards on several machines together run the whole sweep; merge_sweep_items() puts them
// back together. A sweep with a precision goal or a selection decides its replications as it
// goes and runs whole.
struct SweepShard {
  std::uint32_t index = 1;
  std::uint32_t count = 1;
};

struct SweepSettings {
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;  // per variant; the first batch when there is a precision goal
  unsigned threads = 1;            // 0: one per hardware thread
  bool common_random_numbers = true;
  std::optional<PrecisionSettings> precision;
  std::optional<SelectionOfBestSettings> selection;  // after the precision goal, if both
  SweepShard shard;
  // Every variant's replications start from this snapshot ("what-if from now"); nullptr: empty.
  std::shared_ptr<const StartingSnapshot> start;
  // Set from any thread to stop: run_sweep throws RunCancelled (ExperimentSettings::cancel).
  const CancelFlag* cancel = nullptr;
  // Called after each finished replication with (finished, planned so far), never concurrently.
  std::function<void(std::size_t, std::size_t)> progress;
};

// The seed variant v uses with common random numbers off (v = 0, the baseline, keeps `seed`).
std::uint64_t independent_seed(std::uint64_t seed, std::size_t variant);

struct SweepItem {
  std::uint32_t variant = 0;
  std::uint32_t replication = 0;
  ReplicationResult result;
};

struct PrecisionOutcome {
  bool reached = false;  // false: max_replications came first
  Estimate estimate;     // of the KPI over the variant's replications
};

struct SweepResults {
  // Per variant, by replication index 0..n-1 (n may differ between variants with a precision
  // goal or a selection). Empty for a shard: see items.
  std::vector<std::vector<ReplicationResult>> replications;
  // A shard's results, by (variant, replication); empty for a whole sweep.
  std::vector<SweepItem> items;
  std::vector<PrecisionOutcome> precision;  // per variant, with a precision goal
  std::optional<SelectionResult> selection;
};

SweepResults run_sweep(const std::vector<SweepVariant>& variants, const SweepSettings& settings);

// The whole sweep's replications from the items of all its shards; what is wrong (an item twice,
// one missing) as an exception of type std::invalid_argument naming the variant and replication.
std::vector<std::vector<ReplicationResult>> merge_sweep_items(std::vector<SweepItem> items,
                                                              std::size_t variants,
                                                              std::uint32_t replications);

}  // namespace linetwin
