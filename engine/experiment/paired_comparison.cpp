#include "experiment/paired_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace linetwin {

std::vector<ComparisonRow> compare(const Scene& scene,
                                   const std::vector<ReplicationResult>& baseline,
                                   const std::vector<ReplicationResult>& changed,
                                   double confidence) {
  std::vector<ComparisonRow> rows;
  auto add = [&](std::string kpi, auto get) {
    std::vector<double> b, c, d;
    constexpr double kLeftOut = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < baseline.size() && r < changed.size(); ++r) {
      const double vb = baseline[r].deadlock ? kLeftOut : get(baseline[r]);
      const double vc = changed[r].deadlock ? kLeftOut : get(changed[r]);
      if (!std::isnan(vb)) b.push_back(vb);
      if (!std::isnan(vc)) c.push_back(vc);
      if (!std::isnan(vb) && !std::isnan(vc)) d.push_back(vc - vb);
    }
    ComparisonRow row;
    row.kpi = std::move(kpi);
    row.baseline = estimate(b, confidence);
    row.changed = estimate(c, confidence);
    row.difference = estimate(d, confidence);
    row.differs = row.difference.has_interval &&
                  (row.difference.ci_low > 0.0 || row.difference.ci_high < 0.0);
    rows.push_back(std::move(row));
  };
  add("throughput [parts/h]", [](const ReplicationResult& r) { return r.throughput_per_hour; });
  add("WIP [parts]", [](const ReplicationResult& r) { return r.wip_mean; });
  add("lead time [s]", [](const ReplicationResult& r) { return r.lead_time_mean_s; });
  for (std::size_t s = 0; s < scene.stations().size(); ++s) {
    const std::string& id = scene.element(scene.stations()[s]).id;
    add(id + " OEE", [s](const ReplicationResult& r) { return r.stations[s].oee.oee; });
    add(id + " working", [s](const ReplicationResult& r) { return r.stations[s].working; });
  }
  return rows;
}

WhatIfDeadlocks count_deadlocks(const std::vector<ReplicationResult>& baseline,
                                const std::vector<ReplicationResult>& changed) {
  const auto deadlocked = [](const std::vector<ReplicationResult>& results) {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [](const ReplicationResult& r) { return r.deadlock; }));
  };
  return {deadlocked(baseline), deadlocked(changed), std::min(baseline.size(), changed.size())};
}

std::vector<std::string> deadlock_notes(const WhatIfDeadlocks& deadlocks) {
  std::vector<std::string> notes;
  for (const auto& [count, scene] :
       {std::pair{deadlocks.baseline, "baseline"}, std::pair{deadlocks.changed, "changed"}}) {
    if (count > 0) {
      notes.push_back(fmt::format("{} of {} {} replication{} deadlocked", count,
                                  deadlocks.replications, scene,
                                  deadlocks.replications == 1 ? "" : "s"));
    }
  }
  return notes;
}

}  // namespace linetwin
