// A variant against the baseline on one KPI: the difference of their means with a confidence
// interval and a p-value, and the variants ranked.
//
// With common random numbers the replications of two variants come in pairs (replication r of
// both drew the same streams), and the difference is estimated from the paired differences
// d_r = variant_r - baseline_r: a Student t interval on n - 1 degrees of freedom, and the paired
// t test. Without them the two sets are independent, and the difference gets Welch's interval
// and test (Welch-Satterthwaite degrees of freedom). The unpaired half-width is also given for
// paired data, from the same replications as if they were independent: beside the paired one it
// shows what common random numbers saved. Replications that deadlocked, and values that are
// undefined (NaN), are left out, in pairs for a paired comparison.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "experiment/replication_table.hpp"

namespace linetwin {

// Paired, the baseline's and the variant's estimates cover the replications both have (those
// 0 .. n-1 of the shorter side); unpaired, each side all of its own. The difference's stdev is
// that of the per-replication differences when paired, NaN for Welch's (there are none).
struct KpiComparison {
  std::string kpi;
  Estimate baseline;
  Estimate variant;
  Estimate difference;  // variant minus baseline
  bool paired = true;
  double p_value = 1.0;              // two-sided, of "no difference"; NaN without an interval
  double unpaired_half_width = 0.0;  // Welch's, NaN with fewer than two values on a side
  bool differs = false;              // the interval excludes zero
};

// One KPI's values per replication, in replication order; NaN where the replication deadlocked.
std::vector<double> kpi_values(const ReplicationTable& table, std::size_t column,
                               const std::vector<ReplicationResult>& results);
// The KPI's estimate over the replications, leaving out deadlocked ones and undefined values as
// summarize() does.
Estimate kpi_estimate(const ReplicationTable& table, std::size_t column,
                      const std::vector<ReplicationResult>& results, double confidence);

KpiComparison compare_kpi(std::string kpi, const std::vector<double>& baseline,
                          const std::vector<double>& variant, bool paired, double confidence);

// Variant positions ordered best first by mean (largest first when `larger_is_better`), ties
// and undefined means (NaN, last) in variant order.
std::vector<std::size_t> rank_by_mean(const std::vector<Estimate>& estimates,
                                      bool larger_is_better);

}  // namespace linetwin
