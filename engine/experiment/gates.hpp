// Gates: the checks a plant's CI runs on a sweep, as a test suite runs assertions. A bound on a
// KPI passes when the KPI's confidence interval lies entirely on the right side of the bound (the
// interval's low end at least the bound for "at least"), so a gate fails both when the line misses
// the target and when too few replications leave it unsure; the message names the KPI, the bound
// and the interval. "No deadlock" passes when no replication of the variants deadlocked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

struct Gate {
  enum class Kind : std::uint8_t { kAtLeast, kAtMost, kNoDeadlock };
  Kind kind = Kind::kNoDeadlock;
  std::string kpi;                    // a ReplicationTable column; empty for kNoDeadlock
  std::vector<std::size_t> variants;  // the variants it checks, each on its own
  double bound = 0.0;
  double confidence = 0.95;
  std::string text;  // the gate in words, for reports: "throughput_per_hour >= 55 (95%)"
};

struct GateVariant {
  std::string name;
  const Scene* scene = nullptr;
  const std::vector<ReplicationResult>* replications = nullptr;
};

struct GateOutcome {
  std::string text;
  bool passed = false;
  // One sentence per variant checked, failures first: "B2 16: throughput_per_hour 54.2, 95%
  // interval [53.1, 55.3], not entirely >= 55".
  std::vector<std::string> failures;
  std::vector<std::string> passes;
};

GateOutcome evaluate_gate(const Gate& gate, const std::vector<GateVariant>& variants);

}  // namespace linetwin
