// What-if: change one parameter of the scene and compare the changed line with the baseline over
// replications, in the background, while the viewer keeps drawing.
//
// A change is made on the scene's YAML (docs/scene-format.md) and the result loaded like any
// scene file, so the changed scene is validated by the same loader, and saving it writes the
// YAML the run used. Comments of the original file are not kept in the saved one.
//
// The run: replications 0..n-1 of the baseline and of the changed scene, with the same seed, so
// replication r of both draws the same random streams (common random numbers, which make the
// difference sharper than the two estimates are). Each replication is LineRun(scene, seed, r,
// run).run_to_end(), as run_replications does, so the numbers equal run_replications' for the
// same settings. Workers take replications one at a time and look at the cancel flag between
// them, so cancel() returns within one replication's time.
//
// Replications whose line deadlocked are counted per scene and left out of the comparison, as
// summarize() leaves them out of its estimates: a change that makes the line deadlock shows the
// count, never a throughput of the runs that stopped.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/statistics.hpp"
#include "experiment/replications.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

enum class WhatIfParameter : std::uint8_t {
  kProcessingMean,  // a station's mean processing time, seconds (every distribution parameter
                    // that is a duration scaled by new mean / old mean; shapes kept)
  kServers,         // a station's parallel servers
  kBufferCapacity,  // a buffer's capacity, parts
};
std::string_view parameter_name(WhatIfParameter parameter);

struct WhatIfChange {
  std::string element;  // the element's id
  WhatIfParameter parameter = WhatIfParameter::kProcessingMean;
  double value = 0.0;
};

// The scene's YAML with the change made. InputError (naming `display_name`) when the element is
// missing, is of the wrong type for the parameter, or the value is out of range.
std::string apply_what_if(std::string_view scene_yaml, const WhatIfChange& change,
                          const std::string& display_name);
// The parameter's value in the scene now (processing: its distribution's mean).
double current_value(const Scene& scene, ElementIndex element, WhatIfParameter parameter);

struct ComparisonRow {
  std::string kpi;  // "throughput [parts/h]", "OP20 OEE", ...
  Estimate baseline;
  Estimate changed;
  // Changed minus baseline, replication by replication (paired: both used the same streams).
  Estimate difference;
  // The difference's confidence interval excludes zero: the change makes a difference.
  bool differs = false;
};

// Line KPIs (throughput, WIP, lead time), then each station's OEE and working share. The two
// vectors hold the same replications (same seed, same indices) of the baseline and the changed
// scene; a replication where a KPI is undefined (NaN) is left out of that KPI, one that
// deadlocked out of every KPI of its scene and of every difference.
std::vector<ComparisonRow> compare(const Scene& scene,
                                   const std::vector<ReplicationResult>& baseline,
                                   const std::vector<ReplicationResult>& changed,
                                   double confidence = 0.95);

// How many replications of each scene deadlocked, of `replications` each.
struct WhatIfDeadlocks {
  std::size_t baseline = 0;
  std::size_t changed = 0;
  std::size_t replications = 0;
};
WhatIfDeadlocks count_deadlocks(const std::vector<ReplicationResult>& baseline,
                                const std::vector<ReplicationResult>& changed);
// One line per scene with deadlocked replications, baseline first: "3 of 10 changed replications
// deadlocked"; none when no replication did.
std::vector<std::string> deadlock_notes(const WhatIfDeadlocks& deadlocks);

class WhatIfRun {
 public:
  // Starts at once on a background thread. Both scenes must outlive the run. settings.progress
  // is not called (progress() is read instead); settings.threads workers (0: one per core).
  WhatIfRun(const Scene& baseline, const Scene& changed, ExperimentSettings settings);
  ~WhatIfRun();  // cancels and waits
  WhatIfRun(const WhatIfRun&) = delete;
  WhatIfRun& operator=(const WhatIfRun&) = delete;

  // Replications finished, of total() (both scenes together).
  std::size_t done() const { return done_.load(); }
  std::size_t total() const { return total_; }
  bool finished() const { return finished_.load(); }
  void cancel() { cancel_.store(true); }
  bool cancelled() const { return cancel_.load(); }
  // Once finished() (and not cancelled, and no error): the results, per scene in replication
  // order, and the comparison.
  const std::vector<ReplicationResult>& baseline_results() const { return results_[0]; }
  const std::vector<ReplicationResult>& changed_results() const { return results_[1]; }
  const std::vector<ComparisonRow>& rows() const { return rows_; }
  const WhatIfDeadlocks& deadlocks() const { return deadlocks_; }
  // Once finished(): what went wrong in a replication, empty when nothing did.
  const std::string& error() const { return error_; }

 private:
  void work();
  const Scene& baseline_;
  const Scene& changed_;
  ExperimentSettings settings_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> cancel_{false};
  std::atomic<bool> finished_{false};
  std::vector<ReplicationResult> results_[2];
  std::vector<ComparisonRow> rows_;
  WhatIfDeadlocks deadlocks_;
  std::string error_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace linetwin::viewer
