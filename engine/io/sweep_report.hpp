// Writing a sweep's results (docs/experiments.md): JSON (schema linetwin.sweep/1, which holds for
// each variant exactly the linetwin.run object that `linetwin run` writes for its scene and
// settings), CSV (the run CSV's rows with a leading variant column, and the differences against
// the baseline), a JUnit XML file with one test case per gate, and a table for the terminal.
// As for runs, nothing here depends on timing or threads.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "experiment/gates.hpp"
#include "experiment/replications.hpp"
#include "experiment/sweep.hpp"
#include "experiment/variant_comparison.hpp"
#include "plant/scene.hpp"

namespace linetwin {

inline constexpr const char* kSweepResultsSchema = "linetwin.sweep/1";

struct SweepParameter {
  std::string path;             // "B2.capacity"
  std::string text;             // as the scenario wrote it: "16", "75s"
  std::optional<double> value;  // as a number (seconds for a duration), where it is one
};

struct SweepVariantReport {
  std::string name;
  const Scene* scene = nullptr;
  ExperimentSettings settings;  // the variant's seed and run settings; replications its count
  ExperimentSummary summary;
  std::vector<SweepParameter> parameters;  // a sweep point's; empty otherwise
  std::optional<PrecisionOutcome> precision;
  std::vector<KpiComparison> comparison;  // against the baseline; empty for the baseline
  Estimate ranked;                        // of the ranking KPI
};

// A warm-up found by MSER-5 (experiment/warmup_detection.hpp) on the baseline's pilot runs and
// used by every variant.
struct DetectedWarmup {
  double warmup_s = 0.0;
  double interval_s = 0.0;
  std::size_t batches = 0;
  std::size_t truncated_batches = 0;
  bool reliable = false;
  std::uint32_t pilot_replications = 0;
};

struct SweepReport {
  std::string scenario;  // the scenario file, as given
  std::string name;
  std::uint64_t seed = 0;
  bool common_random_numbers = true;
  std::optional<PrecisionSettings> precision;
  std::vector<SweepVariantReport> variants;  // the baseline first
  std::string ranking_kpi;
  bool larger_is_better = true;
  std::vector<std::size_t> ranking;  // variant positions, best first
  std::vector<GateOutcome> gates;
  std::optional<DetectedWarmup> warmup;
  std::optional<SelectionOfBestSettings> selection_settings;
  std::optional<SelectionResult> selection;
};

// What the report is made from: the sweep's variants (with their sweep-point parameters) and
// settings, its results, and the gates' outcomes.
struct SweepReportInput {
  std::string scenario;
  std::string name;
  std::vector<SweepVariant> variants;
  std::vector<std::vector<SweepParameter>> parameters;  // per variant (may be empty)
  SweepSettings settings;
  // KPIs compared against the baseline besides throughput_per_hour, wip_mean and
  // lead_time_mean_s (those a gate, precision goal or selection names), and the ranking's.
  std::vector<std::string> compared_kpis;
  std::string ranking_kpi = "throughput_per_hour";
  bool larger_is_better = true;
  std::optional<DetectedWarmup> warmup;
};
SweepReport make_sweep_report(const SweepReportInput& input, const SweepResults& results,
                              std::vector<GateOutcome> gates);

// The selection's outcome in one sentence, with what it guarantees (or that it guarantees nothing,
// when the procedure did not reach its stopping rule). Precondition: report.selection.
std::string selection_statement(const SweepReport& report);
// The detected warm-up in one sentence. Precondition: report.warmup.
std::string warmup_statement(const SweepReport& report);

void write_sweep_json(std::ostream& out, const SweepReport& report);
void write_sweep_csv(std::ostream& out, const SweepReport& report);
void write_sweep_junit(std::ostream& out, const SweepReport& report);
void write_sweep_table(std::ostream& out, const SweepReport& report);

}  // namespace linetwin
