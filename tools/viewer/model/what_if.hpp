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
// is the engine's job (run_jobs, one job at a time), so the numbers equal run_replications' for
// the same settings. Workers take replications one at a time and look at the cancel flag between
// them, so cancel() returns within one replication's time.
//
// A what-if from now (a live or replayed line) starts both lines from the line as its twins tell
// it (telemetry/line_state_estimate.hpp) instead of empty, for a horizon and without warm-up
// (LineRun::from_snapshot): the baseline from the snapshot as estimated, the changed line from
// the same snapshot with the changes that act on the state (a station kept down), and with the
// scene changed as above. The estimate says which buffer levels it cannot tell; the user gives
// them (what_if_starts), never a guess.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "experiment/paired_comparison.hpp"
#include "experiment/replications.hpp"
#include "io/scene_overrides.hpp"
#include "plant/line_snapshot.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

enum class WhatIfParameter : std::uint8_t {
  kProcessingMean,  // a station's mean processing time, seconds (every distribution parameter
                    // that is a duration scaled by new mean / old mean; shapes kept)
  kServers,         // a station's parallel servers
  kBufferCapacity,  // a buffer's capacity, parts
  kDownFor,         // a station stays down from now on for this many hours
};
std::string_view parameter_name(WhatIfParameter parameter);
// Whether a change acts on the line's state from now (the snapshot a what-if from now starts
// from) rather than on the scene: only a what-if from now can make it.
constexpr bool acts_on_state(WhatIfParameter parameter) {
  return parameter == WhatIfParameter::kDownFor;
}

struct WhatIfChange {
  std::string element;  // the element's id
  WhatIfParameter parameter = WhatIfParameter::kProcessingMean;
  double value = 0.0;
};

// The changes of the scene as overrides of its YAML, in order, each at {display_name, field path};
// changes that act on the state make none (what_if_starts makes them). A station's processing
// mean scales its processing time and each product's own by the same factor (new mean / old mean
// of its processing), so the products keep their proportions.
std::vector<SceneOverride> what_if_overrides(const Scene& scene,
                                             const std::vector<WhatIfChange>& changes,
                                             const std::string& display_name);
// "OP30 processing mean = 30", "OP30 stays down for 5 h", for the window.
std::string describe(const WhatIfChange& change);
// The parameter's value in the scene now (processing: its distribution's mean; a station kept
// down: 0, as no scene keeps one down).
double current_value(const Scene& scene, ElementIndex element, WhatIfParameter parameter);

// Where the two lines of a what-if from now start.
struct WhatIfStarts {
  std::shared_ptr<const StartingSnapshot> baseline;  // the line as estimated
  std::shared_ptr<const StartingSnapshot> changed;   // ... with the changes of its state made
};
// The starts of a what-if from the line as `now` has it. `given_levels` holds, per buffer of
// `now` (in its order; shorter is fine), the level the user gave for a buffer whose level the
// estimate cannot tell (one it tells keeps its own). Both snapshots are named `display_name` in
// the engine's errors. An InputError at display_name when a level is still unknown (naming each
// such buffer with the estimate's reason), when a change of the state names no station of `now`,
// or when a station is to stay down for a negative or non-finite time.
WhatIfStarts what_if_starts(const LineSnapshot& now,
                            const std::vector<std::optional<std::uint64_t>>& given_levels,
                            const std::vector<WhatIfChange>& changes,
                            const std::string& display_name);

class WhatIfRun {
 public:
  // Starts at once on a background thread. Both scenes must outlive the run. settings.progress
  // is not called (progress() is read instead); settings.threads workers (0: one per core). The
  // baseline runs as run_replications(baseline, settings) does, from settings.start when set; the
  // changed line with the same settings from `changed_start`, which is set exactly when
  // settings.start is (a what-if from now: what_if_starts gives both).
  WhatIfRun(const Scene& baseline, const Scene& changed, ExperimentSettings settings,
            std::shared_ptr<const StartingSnapshot> changed_start = nullptr);
  ~WhatIfRun();  // cancels and waits
  WhatIfRun(const WhatIfRun&) = delete;
  WhatIfRun& operator=(const WhatIfRun&) = delete;

  // Replications finished, of total() (both scenes together).
  std::size_t done() const { return done_.load(); }
  std::size_t total() const { return total_; }
  const ExperimentSettings& settings() const { return settings_; }
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
  std::shared_ptr<const StartingSnapshot> changed_start_;
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
