// What-if: the changed scene is the baseline's YAML with one parameter changed, the background run
// gives the numbers run_replications gives, reports its progress, and can be cancelled.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_wait.hpp"
#include "viewer_test_scene.hpp"
#include "what_if.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

Scene changed_scene(const WhatIfChange& change) {
  return load_scene_text(apply_what_if(kViewerTestScene, change, "test.yaml"), "test.yaml");
}

void wait_for(const WhatIfRun& run) {
  REQUIRE(test::wait_until([&] { return run.finished(); },
                           [] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }));
}

}  // namespace

TEST_CASE("a what-if change makes exactly the change asked for") {
  const ElementIndex op20 = *viewer_test_scene().find("OP20");
  const ElementIndex op10 = *viewer_test_scene().find("OP10");
  const ElementIndex b1 = *viewer_test_scene().find("B1");

  const Scene faster = changed_scene({"OP10", WhatIfParameter::kProcessingMean, 30.0});
  CHECK(current_value(faster, op10, WhatIfParameter::kProcessingMean) == doctest::Approx(30.0));
  // A gamma keeps its shape: the coefficient of variation stays 1/sqrt(4).
  CHECK(faster.station_spec(faster.element(op10)).processing.describe().find("shape=4") !=
        std::string::npos);
  CHECK(current_value(faster, op20, WhatIfParameter::kProcessingMean) == 45.0);  // untouched
  CHECK(current_value(faster, b1, WhatIfParameter::kBufferCapacity) == 5.0);

  const Scene two = changed_scene({"OP20", WhatIfParameter::kServers, 2.0});
  CHECK(current_value(two, op20, WhatIfParameter::kServers) == 2.0);
  const Scene bigger = changed_scene({"B1", WhatIfParameter::kBufferCapacity, 12.0});
  CHECK(current_value(bigger, b1, WhatIfParameter::kBufferCapacity) == 12.0);
  CHECK(bigger.elements().size() == viewer_test_scene().elements().size());

  CHECK_THROWS_AS(
      apply_what_if(kViewerTestScene, {"nowhere", WhatIfParameter::kServers, 2.0}, "test.yaml"),
      InputError);
  CHECK_THROWS_AS(
      apply_what_if(kViewerTestScene, {"B1", WhatIfParameter::kServers, 2.0}, "test.yaml"),
      InputError);
  CHECK_THROWS_AS(
      apply_what_if(kViewerTestScene, {"OP20", WhatIfParameter::kServers, 1.5}, "test.yaml"),
      InputError);
  CHECK_THROWS_AS(
      apply_what_if(kViewerTestScene, {"OP20", WhatIfParameter::kProcessingMean, 0.0}, "test.yaml"),
      InputError);
}

TEST_CASE("a background what-if run equals run_replications and reaches its total") {
  const Scene changed = changed_scene({"OP20", WhatIfParameter::kProcessingMean, 30.0});
  ExperimentSettings settings = settings_from_scene(viewer_test_scene());
  settings.threads = 2;
  WhatIfRun run(viewer_test_scene(), changed, settings);
  CHECK(run.total() == 2 * settings.run.replications);
  wait_for(run);
  REQUIRE(run.error().empty());
  CHECK(run.done() == run.total());

  settings.threads = 1;
  const auto direct_baseline = run_replications(viewer_test_scene(), settings);
  const auto direct_changed = run_replications(changed, settings);
  REQUIRE(run.baseline_results().size() == direct_baseline.size());
  for (std::size_t r = 0; r < direct_baseline.size(); ++r) {
    CHECK(run.baseline_results()[r].throughput_per_hour == direct_baseline[r].throughput_per_hour);
    CHECK(run.baseline_results()[r].events == direct_baseline[r].events);
    CHECK(run.changed_results()[r].lead_time_mean_s == direct_changed[r].lead_time_mean_s);
    CHECK(run.changed_results()[r].events == direct_changed[r].events);
  }
  const ExperimentSummary b = summarize(direct_baseline);
  const ExperimentSummary c = summarize(direct_changed);
  const std::vector<ComparisonRow>& rows = run.rows();
  REQUIRE(rows.size() == 3 + 2 * viewer_test_scene().stations().size());
  CHECK(rows[0].kpi == "throughput [parts/h]");
  CHECK(rows[0].baseline.mean == doctest::Approx(b.throughput_per_hour.mean));
  CHECK(rows[0].baseline.ci_low == doctest::Approx(b.throughput_per_hour.ci_low));
  CHECK(rows[0].changed.ci_high == doctest::Approx(c.throughput_per_hour.ci_high));
  CHECK(rows[2].changed.mean == doctest::Approx(c.lead_time_mean_s.mean));
  // OP20's working share: its processing time fell from 45 s to 30 s while the parts it gets
  // still arrive every 50 s on average, so it works a third less, and every replication says so.
  const ComparisonRow& op20_working = rows[3 + 2 * 1 + 1];
  CHECK(op20_working.kpi == "OP20 working");
  CHECK(op20_working.difference.mean < 0.0);
  CHECK(op20_working.differs);
}

TEST_CASE("a what-if run can be cancelled") {
  const Scene changed = changed_scene({"B1", WhatIfParameter::kBufferCapacity, 1.0});
  ExperimentSettings settings = settings_from_scene(viewer_test_scene());
  settings.run.replications = 500;
  settings.threads = 1;
  WhatIfRun run(viewer_test_scene(), changed, settings);
  run.cancel();
  wait_for(run);
  CHECK(run.cancelled());
  CHECK(run.done() < run.total());
  CHECK(run.rows().empty());
}

namespace {

// A rework loop with random times (tests/plant/scenes/deadlock_rework_loop.yaml is the fixed one):
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

std::size_t deadlocked(const std::vector<ReplicationResult>& results) {
  return static_cast<std::size_t>(std::count_if(
      results.begin(), results.end(), [](const ReplicationResult& r) { return r.deadlock; }));
}

}  // namespace

TEST_CASE("what-if replications that deadlock are counted and left out of the comparison") {
  const Scene baseline = load_scene_text(kReworkLoop, "loop.yaml");
  const Scene changed = load_scene_text(
      apply_what_if(kReworkLoop, {"B1", WhatIfParameter::kBufferCapacity, 4.0}, "loop.yaml"),
      "loop.yaml");
  ExperimentSettings settings = settings_from_scene(baseline);
  settings.threads = 2;
  WhatIfRun run(baseline, changed, settings);
  wait_for(run);
  REQUIRE(run.error().empty());

  // The engine's own replications say which deadlocked; the case needs some of the changed
  // ones, not all, and none of the baseline's.
  settings.threads = 1;
  const auto direct_baseline = run_replications(baseline, settings);
  const auto direct_changed = run_replications(changed, settings);
  const std::size_t n = settings.run.replications;
  const std::size_t stopped = deadlocked(direct_changed);
  REQUIRE(deadlocked(direct_baseline) == 0);
  REQUIRE(stopped > 0);
  REQUIRE(stopped < n);

  CHECK(run.deadlocks().baseline == 0);
  CHECK(run.deadlocks().changed == stopped);
  CHECK(run.deadlocks().replications == n);
  CHECK(
      deadlock_notes(run.deadlocks()) ==
      std::vector<std::string>{std::to_string(stopped) + " of 10 changed replications deadlocked"});

  // As summarize() does: the changed estimates cover the replications that ran on, and the
  // differences the pairs in which neither scene deadlocked.
  const ExperimentSummary c = summarize(direct_changed);
  const ComparisonRow& throughput = run.rows()[0];
  CHECK(throughput.baseline.replications == n);
  CHECK(throughput.changed.replications == n - stopped);
  CHECK(throughput.changed.mean == doctest::Approx(c.throughput_per_hour.mean));
  CHECK(throughput.changed.ci_low == doctest::Approx(c.throughput_per_hour.ci_low));
  CHECK(throughput.difference.replications == n - stopped);
  std::vector<double> differences;
  for (std::size_t r = 0; r < n; ++r) {
    if (!direct_changed[r].deadlock)
      differences.push_back(direct_changed[r].throughput_per_hour -
                            direct_baseline[r].throughput_per_hour);
  }
  CHECK(throughput.difference.mean == doctest::Approx(estimate(differences).mean));
  for (const ComparisonRow& row : run.rows()) {
    CAPTURE(row.kpi);
    CHECK(row.changed.replications <= n - stopped);
  }
}

TEST_CASE("a what-if that makes every replication deadlock shows no changed KPI at all") {
  // The fixed rework loop (every part goes back to B1 for ever) with an unlimited B1 never stops:
  // B1 is never full, so OP20 always hands its part on, and OP10 always has one to process. With
  // B1 holding one part it is tests/plant/scenes/deadlock_rework_loop.yaml, which deadlocks at
  // 22 s in every replication (tests/plant/deadlock_test.cpp works the timeline out).
  const std::string yaml = R"(linetwin_scene: 1
name: rework loop
run: {duration: 1h, replications: 4}
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 10s, to: B1}
  - {id: B1, type: buffer, capacity: unlimited, to: OP20}
  - {id: OP20, type: station, processing: 3s, to: done, quality: {rework: 1.0, rework_to: B1}}
  - {id: done, type: sink}
)";
  const Scene baseline = load_scene_text(yaml, "loop.yaml");
  const Scene changed = load_scene_text(
      apply_what_if(yaml, {"B1", WhatIfParameter::kBufferCapacity, 1.0}, "loop.yaml"), "loop.yaml");
  ExperimentSettings settings = settings_from_scene(baseline);
  settings.threads = 2;
  WhatIfRun run(baseline, changed, settings);
  wait_for(run);
  REQUIRE(run.error().empty());
  CHECK(run.deadlocks().baseline == 0);
  CHECK(run.deadlocks().changed == 4);
  for (const ReplicationResult& r : run.changed_results()) {
    REQUIRE(r.deadlock.has_value());
    CHECK(r.deadlock->time_s == 22.0);
  }
  CHECK(deadlock_notes(run.deadlocks()) ==
        std::vector<std::string>{"4 of 4 changed replications deadlocked"});
  // Not a throughput of the 22 s before the line stopped, nor "no difference": nothing.
  for (const ComparisonRow& row : run.rows()) {
    CAPTURE(row.kpi);
    CHECK(row.changed.replications == 0);
    CHECK(row.difference.replications == 0);
    CHECK_FALSE(row.differs);
  }
  CHECK(run.rows()[0].baseline.replications == 4);
  CHECK(run.rows()[0].baseline.mean == 0.0);  // no part ever leaves the loop
}
