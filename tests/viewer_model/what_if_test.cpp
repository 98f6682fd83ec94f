// What-if: the changed scene is the baseline's YAML with one parameter changed, the background run
// gives the numbers run_replications gives, reports its progress, and can be cancelled.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

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
