// Paired comparison of two scenes on common random numbers: replication r of the baseline and of
// the changed scene draw the same random streams (same seed, same replication index), so the
// difference replication by replication is sharper than the two estimates are, and its
// confidence interval says whether the change makes a difference.
//
// Replications whose line deadlocked are counted per scene and left out, as summarize() leaves
// them out of its estimates: a change that makes the line deadlock shows the count, never a
// throughput of the runs that stopped.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

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
// scene, both with the stations of `scene`; a replication where a KPI is undefined (NaN) is left
// out of that KPI, one that deadlocked out of every KPI of its scene and of every difference.
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

}  // namespace linetwin
