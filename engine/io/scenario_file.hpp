// Scenario files (`linetwin_scenario: 1`, docs/scenario-format.md): a base scene, named variants
// and sweeps that change it by overrides (io/scene_overrides.hpp) or run a scene file of their
// own, run settings every variant shares, gates, a precision goal and a selection of the best, read
// into a validated Scenario whose every variant's Scene is built.
//
// Every problem is an InputError naming the scenario file, the line and column, and the field
// path (`variants[B2 16].set.B2.capacity`, `gates[2].kpi`, `sweep.grid.B1.capacity[1]`); unknown
// keys are refused as in scene files. A problem of the base scene itself names the base file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "experiment/gates.hpp"
#include "io/scene_overrides.hpp"
#include "plant/line_snapshot.hpp"
#include "plant/scene.hpp"

namespace linetwin {

// The format version this build reads (the `linetwin_scenario` key).
inline constexpr int kScenarioFormatVersion = 1;
// At most this many variants, the baseline and every sweep point included.
inline constexpr std::size_t kMaxScenarioVariants = 10'000;
// A variant's name, and the scenario's, in bytes.
inline constexpr std::size_t kMaxScenarioNameBytes = 200;

struct ScenarioVariant {
  std::string name;  // unique within the scenario
  // A named variant's own scene file (`scene:`), resolved against the scenario's folder, and its
  // bytes: what its overrides change instead of the base. Empty: the base.
  std::string scene_path;
  std::string scene_text;
  std::vector<SceneOverride> overrides;  // empty for the baseline
  // A sweep point: each swept path with its value as written and, where it is a number or a
  // duration, as a number (seconds for durations); empty for named variants and the baseline.
  struct Parameter {
    std::string path;
    std::string text;
    std::optional<double> value;
  };
  std::vector<Parameter> parameters;
  InputLocation origin;
  Scene scene;  // built and validated
};

struct ScenarioGate {
  using Kind = Gate::Kind;  // the engine's gate, as written: no mapping between two enums
  Kind kind = Kind::kNoDeadlock;
  std::string kpi;                     // a ReplicationTable column; empty for kNoDeadlock
  std::optional<std::string> variant;  // none: every variant
  double bound = 0.0;
  double confidence = 0.95;  // in (0, 1)
  std::string text;          // as written, for messages: "throughput_per_hour of B2 16 >= 55 (95%)"
  InputLocation origin;
};

struct PrecisionGoal {
  std::string kpi;
  double half_width = 0;
  std::uint32_t batch = 10;
  std::uint32_t max_replications = 0;  // per variant; 0: no maximum
  InputLocation origin;
};

struct SelectionGoal {
  std::string kpi;
  bool maximise = true;
  double indifference = 0;
  double confidence = 0.95;            // in (1/k, 1) for k variants
  std::uint32_t first_stage = 10;      // at least 2
  std::uint32_t max_replications = 0;  // per variant; 0: no maximum
  InputLocation origin;
};

struct Scenario {
  std::string file;                // as given
  std::string text;                // the scenario file's bytes
  std::string name;                // default: the file's name without .yaml (or .yml) and .scenario
  std::string base_path;           // resolved against the scenario's folder, lexically normal
  std::string base_text;           // the base scene file's bytes
  bool base_fixes_warmup = false;  // the base scene's YAML has run.warmup
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::optional<double> duration_s, warmup_s;
  bool warmup_auto = false;  // run.warmup: auto
  // false: each variant draws from a seed of its own, as separate studies would (to show what
  // common random numbers save; comparisons are then Welch's, unpaired).
  bool common_random_numbers = true;
  // [0] the baseline (load_scene_file(base_path) exactly), then the named variants in the order
  // written, then the sweep's points (a grid's first path varies slowest).
  std::vector<ScenarioVariant> variants;
  std::vector<ScenarioGate> gates;
  std::optional<PrecisionGoal> precision;
  std::optional<SelectionGoal> selection;
  // `start:` every variant's replications start from this snapshot of the line ("what-if from
  // now"; its stations' `down_for` as the scenario sets them), read from `start_path` (resolved
  // against the scenario's folder). The warm-up is then none unless run.warmup says otherwise.
  std::optional<LineSnapshot> start;
  std::string start_path;
};

Scenario load_scenario_file(const std::string& path);

}  // namespace linetwin
