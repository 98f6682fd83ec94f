// What-if: change some parameters of the scene and compare the changed line with the baseline
// over replications, in the background, while the viewer keeps drawing.
//
// The changes become scene overrides (engine/io/scene_overrides.hpp, docs/scenario-format.md),
// made on the scene's YAML and loaded like any scene file, so the changed scene is validated by
// the same loader, and saving it writes the YAML the run used. Comments of the original file are
// not kept in the saved one. The comparison is the engine's (experiment/paired_comparison.hpp).
//
// The run: replications 0..n-1 of the baseline and of the changed scene, with the same seed, so
// replication r of both draws the same random streams (common random numbers). Each replication
// is LineRun(scene, seed, r, run).run_to_end(), as run_replications does, so the numbers equal
// run_replications' for the same settings. Workers take replications one at a time and look at
// the cancel flag between them, so cancel() returns within one replication's time.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "experiment/paired_comparison.hpp"
#include "experiment/replications.hpp"
#include "io/scene_overrides.hpp"
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

// The changes as overrides of the scene's YAML, in order, each at {display_name, field path}.
// A station's processing mean scales its processing time and each product's own by the same
// factor (new mean / old mean of its processing), so the products keep their proportions.
std::vector<SceneOverride> what_if_overrides(const Scene& scene,
                                             const std::vector<WhatIfChange>& changes,
                                             const std::string& display_name);
// "OP30 processing mean = 30", for the window.
std::string describe(const WhatIfChange& change);
// The parameter's value in the scene now (processing: its distribution's mean).
double current_value(const Scene& scene, ElementIndex element, WhatIfParameter parameter);

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
