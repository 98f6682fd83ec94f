// Gates on hand-made replications: bounds checked against the whole confidence interval, too few
// replications failing, deadlocks counted, and messages that name the KPI, bound and interval.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "experiment/gates.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {

Scene one_station() {
  return load_scene_text(R"(linetwin_scene: 1
elements:
  - {id: parts, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 60s, to: out}
  - {id: out, type: sink}
)",
                         "gates.yaml");
}

std::vector<ReplicationResult> with_throughputs(const std::vector<double>& values) {
  std::vector<ReplicationResult> out;
  for (std::size_t r = 0; r < values.size(); ++r) {
    ReplicationResult result;
    result.replication = static_cast<std::uint32_t>(r);
    result.throughput_per_hour = values[r];
    result.stations.resize(1);
    out.push_back(result);
  }
  return out;
}

Gate bound(Gate::Kind kind, double value) {
  Gate g;
  g.kind = kind;
  g.kpi = "throughput_per_hour";
  g.variants = {0};
  g.bound = value;
  g.text = "throughput";
  return g;
}

}  // namespace

TEST_CASE("gates: a bound passes only when the whole interval is on its side") {
  // 54, 56, 58: mean 56, sd 2, t(0.975, 2) = 4.3027, so the 95% interval is 56 +- 4.968.
  const Scene scene = one_station();
  const auto reps = with_throughputs({54, 56, 58});
  const std::vector<GateVariant> variants{{"baseline", &scene, &reps}};
  CHECK(evaluate_gate(bound(Gate::Kind::kAtLeast, 51.0), variants).passed);
  const GateOutcome missed = evaluate_gate(bound(Gate::Kind::kAtLeast, 55.0), variants);
  CHECK_FALSE(missed.passed);
  REQUIRE(missed.failures.size() == 1);
  CHECK(missed.failures[0] ==
        "baseline: throughput_per_hour 56, 95% interval [51.0317, 60.9683] over 3 "
        "replications, not entirely >= 55: the mean is, but more replications are needed to be "
        "sure");
  const GateOutcome missed_by_mean = evaluate_gate(bound(Gate::Kind::kAtLeast, 57.0), variants);
  CHECK(missed_by_mean.failures[0].ends_with("not entirely >= 57: the mean misses it"));
  CHECK(evaluate_gate(bound(Gate::Kind::kAtMost, 61.0), variants).passed);
  CHECK_FALSE(evaluate_gate(bound(Gate::Kind::kAtMost, 60.0), variants).passed);
  // A wider confidence widens the interval: 99% (t = 9.9248) no longer clears 51.
  Gate strict = bound(Gate::Kind::kAtLeast, 51.0);
  strict.confidence = 0.99;
  CHECK_FALSE(evaluate_gate(strict, variants).passed);
}

TEST_CASE("gates: one replication is too few for any bound") {
  const Scene scene = one_station();
  const auto reps = with_throughputs({80});
  const GateOutcome g =
      evaluate_gate(bound(Gate::Kind::kAtLeast, 1.0), {{"baseline", &scene, &reps}});
  CHECK_FALSE(g.passed);
  CHECK(g.failures[0].find("too few for an interval") != std::string::npos);
}

TEST_CASE("gates: no deadlock fails on any deadlocked replication of any variant checked") {
  const Scene scene = one_station();
  const auto fine = with_throughputs({50, 51});
  auto stuck = with_throughputs({50, 51, 52});
  stuck[1].deadlock = DeadlockResult{};
  stuck[1].deadlock->time_s = 1234.5;
  Gate g;
  g.variants = {0, 1};
  g.text = "no deadlock";
  const GateOutcome outcome =
      evaluate_gate(g, {{"baseline", &scene, &fine}, {"B2 16", &scene, &stuck}});
  CHECK_FALSE(outcome.passed);
  REQUIRE(outcome.failures.size() == 1);
  CHECK(outcome.failures[0] ==
        "B2 16: 1 of 3 replications deadlocked (the first, replication 1, at t = 1234.5 s)");
  CHECK(outcome.passes.size() == 1);
  // The deadlocked replication is left out of a bound, as of every estimate.
  const GateOutcome rest = evaluate_gate(bound(Gate::Kind::kAtLeast, 0.0), {{"x", &scene, &stuck}});
  CHECK(rest.passes[0].find("over 2 replications") != std::string::npos);
}
