// Paired comparison: each scene's estimates are summarize()'s, the difference is taken
// replication by replication on common random numbers, and deadlocked replications are counted
// and left out of every KPI of their scene and of every difference.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "experiment/paired_comparison.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "io/scene_overrides.hpp"

using namespace linetwin;

namespace {

constexpr std::string_view kLine = R"(linetwin_scene: 1
name: two stations
seed: 42
run: {duration: 2h, warmup: 10min, replications: 6}
elements:
  - {id: blanks, type: source, interarrival: {distribution: exponential, mean: 50s}, to: OP10}
  - {id: OP10, type: station, processing: {distribution: gamma, shape: 4, mean: 40s}, to: B1}
  - {id: B1, type: buffer, capacity: 5, to: OP20}
  - {id: OP20, type: station, processing: {distribution: exponential, mean: 45s}, to: shipped}
  - {id: shipped, type: sink}
)";

Scene with(std::string_view yaml, const std::string& path, const std::string& value) {
  return load_scene_with_overrides(yaml, "test.yaml", {{path, value, {"test.yaml", 0, 0, path}}});
}

std::vector<ReplicationResult> replications(const Scene& scene) {
  ExperimentSettings settings = settings_from_scene(scene);
  settings.threads = 2;
  return run_replications(scene, settings);
}

std::size_t deadlocked(const std::vector<ReplicationResult>& results) {
  std::size_t n = 0;
  for (const ReplicationResult& r : results)
    n += r.deadlock ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a paired comparison gives summarize()'s estimates and the difference by replication") {
  const Scene baseline = load_scene_text(kLine, "test.yaml");
  const Scene changed = with(kLine, "OP20.processing.mean", "30s");
  const auto b = replications(baseline);
  const auto c = replications(changed);
  const std::vector<ComparisonRow> rows = compare(baseline, b, c);
  REQUIRE(rows.size() == 3 + 2 * baseline.stations().size());
  CHECK(rows[0].kpi == "throughput [parts/h]");
  CHECK(rows[1].kpi == "WIP [parts]");
  CHECK(rows[2].kpi == "lead time [s]");
  CHECK(rows[3].kpi == "OP10 OEE");
  CHECK(rows[6].kpi == "OP20 working");

  const ExperimentSummary sb = summarize(b);
  const ExperimentSummary sc = summarize(c);
  CHECK(rows[0].baseline.mean == doctest::Approx(sb.throughput_per_hour.mean));
  CHECK(rows[0].baseline.ci_low == doctest::Approx(sb.throughput_per_hour.ci_low));
  CHECK(rows[0].changed.ci_high == doctest::Approx(sc.throughput_per_hour.ci_high));
  CHECK(rows[2].changed.mean == doctest::Approx(sc.lead_time_mean_s.mean));

  // The difference is that of each pair, so its estimate is that of the pairwise differences.
  std::vector<double> differences;
  for (std::size_t r = 0; r < b.size(); ++r)
    differences.push_back(c[r].lead_time_mean_s - b[r].lead_time_mean_s);
  CHECK(rows[2].difference.mean == doctest::Approx(estimate(differences).mean));
  CHECK(rows[2].difference.ci_high == doctest::Approx(estimate(differences).ci_high));

  // OP20's processing time fell from 45 s to 30 s while its parts still arrive every 50 s on
  // average: it works a third less, and every replication says so.
  CHECK(rows[6].difference.mean < 0.0);
  CHECK(rows[6].differs);
  CHECK(count_deadlocks(b, c).baseline == 0);
  CHECK(deadlock_notes(count_deadlocks(b, c)).empty());
}

TEST_CASE("deadlocked replications are counted and left out of the comparison") {
  // OP20 sends 30% of its parts back to B1. A part it reworks while B1 is full leaves OP20 blocked
  // by B1, whose only taker is OP20: a deadlock, the likelier the smaller B1.
  constexpr std::string_view kReworkLoop = R"(linetwin_scene: 1
name: random rework loop
seed: 3
run: {duration: 1h, replications: 10}
elements:
  - {id: supply, type: source, interarrival: {distribution: exponential, mean: 12s}, to: OP10}
  - {id: OP10, type: station, processing: {distribution: exponential, mean: 8s}, to: B1}
  - {id: B1, type: buffer, capacity: 12, to: OP20}
  - id: OP20
    type: station
    processing: {distribution: exponential, mean: 5s}
    to: done
    quality: {rework: 0.3, rework_to: B1}
  - {id: done, type: sink}
)";
  const Scene baseline = load_scene_text(kReworkLoop, "loop.yaml");
  const auto b = replications(baseline);
  const auto c = replications(with(kReworkLoop, "B1.capacity", "4"));
  const std::size_t n = b.size();
  const std::size_t stopped = deadlocked(c);
  // The case needs some of the changed replications to deadlock, not all, and none of the base.
  REQUIRE(deadlocked(b) == 0);
  REQUIRE(stopped > 0);
  REQUIRE(stopped < n);

  const WhatIfDeadlocks counts = count_deadlocks(b, c);
  CHECK(counts.baseline == 0);
  CHECK(counts.changed == stopped);
  CHECK(counts.replications == n);
  CHECK(
      deadlock_notes(counts) ==
      std::vector<std::string>{std::to_string(stopped) + " of 10 changed replications deadlocked"});

  const std::vector<ComparisonRow> rows = compare(baseline, b, c);
  const ExperimentSummary sc = summarize(c);
  CHECK(rows[0].baseline.replications == n);
  CHECK(rows[0].changed.replications == n - stopped);
  CHECK(rows[0].changed.mean == doctest::Approx(sc.throughput_per_hour.mean));
  CHECK(rows[0].difference.replications == n - stopped);
  std::vector<double> differences;
  for (std::size_t r = 0; r < n; ++r) {
    if (!c[r].deadlock) differences.push_back(c[r].throughput_per_hour - b[r].throughput_per_hour);
  }
  CHECK(rows[0].difference.mean == doctest::Approx(estimate(differences).mean));
  for (const ComparisonRow& row : rows) {
    CAPTURE(row.kpi);
    CHECK(row.changed.replications <= n - stopped);
  }
}

TEST_CASE("a change that makes every replication deadlock leaves no changed KPI at all") {
  // With B1 unlimited the loop (every part reworked, for ever) never stops; with B1 holding one
  // part it is tests/plant/scenes/deadlock_rework_loop.yaml, which deadlocks at 22 s in every
  // replication (tests/plant/deadlock_test.cpp works the timeline out).
  constexpr std::string_view kLoop = R"(linetwin_scene: 1
name: rework loop
run: {duration: 1h, replications: 4}
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 10s, to: B1}
  - {id: B1, type: buffer, capacity: unlimited, to: OP20}
  - {id: OP20, type: station, processing: 3s, to: done, quality: {rework: 1.0, rework_to: B1}}
  - {id: done, type: sink}
)";
  const Scene baseline = load_scene_text(kLoop, "loop.yaml");
  const auto b = replications(baseline);
  const auto c = replications(with(kLoop, "B1.capacity", "1"));
  for (const ReplicationResult& r : c) {
    REQUIRE(r.deadlock.has_value());
    CHECK(r.deadlock->time_s == 22.0);
  }
  CHECK(deadlock_notes(count_deadlocks(b, c)) ==
        std::vector<std::string>{"4 of 4 changed replications deadlocked"});
  // Not a throughput of the 22 s before the line stopped, nor "no difference": nothing.
  const std::vector<ComparisonRow> rows = compare(baseline, b, c);
  for (const ComparisonRow& row : rows) {
    CAPTURE(row.kpi);
    CHECK(row.changed.replications == 0);
    CHECK(row.difference.replications == 0);
    CHECK_FALSE(row.differs);
  }
  CHECK(rows[0].baseline.replications == 4);
  CHECK(rows[0].baseline.mean == 0.0);  // no part ever leaves the loop
}
