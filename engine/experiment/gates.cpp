#include "experiment/gates.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/statistics.hpp"
#include "experiment/replication_table.hpp"
#include "experiment/variant_comparison.hpp"

namespace linetwin {
namespace {

std::string percent(double confidence) {
  return fmt::format("{:g}%", 100.0 * confidence);
}

// Whether one variant passes a bound, and the sentence that says why.
std::pair<bool, std::string> check_bound(const Gate& gate, const GateVariant& variant) {
  const ReplicationTable table(*variant.scene);
  const auto column = table.find(gate.kpi);
  if (!column) return {false, fmt::format("{}: has no KPI {}", variant.name, gate.kpi)};
  const Estimate e = kpi_estimate(table, *column, *variant.replications, gate.confidence);
  const bool at_least = gate.kind == Gate::Kind::kAtLeast;
  const char* relation = at_least ? ">=" : "<=";
  if (!e.has_interval) {
    return {false,
            fmt::format("{}: {} has {} defined replication{}, too few for an interval "
                        "(at least 2)",
                        variant.name, gate.kpi, e.replications, e.replications == 1 ? "" : "s")};
  }
  const bool passed = at_least ? e.ci_low >= gate.bound : e.ci_high <= gate.bound;
  // A failure is a miss (the mean itself is on the wrong side) or doubt (the mean is on the
  // right side, but the interval reaches across the bound: more replications may settle it).
  const bool mean_ok = at_least ? e.mean >= gate.bound : e.mean <= gate.bound;
  const char* why = passed    ? ""
                    : mean_ok ? ": the mean is, but more replications are needed to be sure"
                              : ": the mean misses it";
  return {passed, fmt::format("{}: {} {:.6g}, {} interval [{:.6g}, {:.6g}] over {} replications, "
                              "{} {} {:g}{}",
                              variant.name, gate.kpi, e.mean, percent(gate.confidence), e.ci_low,
                              e.ci_high, e.replications, passed ? "entirely" : "not entirely",
                              relation, gate.bound, why)};
}

std::pair<bool, std::string> check_no_deadlock(const GateVariant& variant) {
  const std::vector<ReplicationResult>& reps = *variant.replications;
  std::vector<std::uint32_t> deadlocked;
  for (const ReplicationResult& r : reps) {
    if (r.deadlock) deadlocked.push_back(r.replication);
  }
  if (deadlocked.empty())
    return {true, fmt::format("{}: none of {} replications deadlocked", variant.name, reps.size())};
  const ReplicationResult& first = *std::find_if(
      reps.begin(), reps.end(), [](const ReplicationResult& r) { return r.deadlock.has_value(); });
  return {false, fmt::format("{}: {} of {} replications deadlocked (the first, replication {}, at "
                             "t = {:.1f} s)",
                             variant.name, deadlocked.size(), reps.size(), first.replication,
                             first.deadlock->time_s)};
}

}  // namespace

GateOutcome evaluate_gate(const Gate& gate, const std::vector<GateVariant>& variants) {
  GateOutcome out;
  out.text = gate.text;
  for (std::size_t v : gate.variants) {
    const auto [passed, sentence] = gate.kind == Gate::Kind::kNoDeadlock
                                        ? check_no_deadlock(variants[v])
                                        : check_bound(gate, variants[v]);
    (passed ? out.passes : out.failures).push_back(sentence);
  }
  out.passed = out.failures.empty();
  return out;
}

}  // namespace linetwin
