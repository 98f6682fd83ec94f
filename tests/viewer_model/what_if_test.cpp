// What-if: the changes become scene overrides that change exactly the parameters asked for, and
// the background run gives the numbers run_replications gives (and the engine's comparison of
// them), reports its progress, counts deadlocks, and can be cancelled. What-if from now, on a
// replayed recording of a simulated line: a station kept down lets out exactly the parts already
// past it, the runs are the engine's runs from the same snapshot to the bit, and a buffer level
// the telemetry cannot tell holds the run back until it is given.
#include <doctest/doctest.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/input_error.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "replay_source.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_wait.hpp"
#include "viewer_test_scene.hpp"
#include "what_if.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

Scene changed_scene(const std::vector<WhatIfChange>& changes,
                    std::string_view yaml = kViewerTestScene) {
  const Scene base = load_scene_text(yaml, "test.yaml");
  return load_scene_with_overrides(yaml, "test.yaml",
                                   what_if_overrides(base, changes, "test.yaml"));
}

std::string file_text(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

void wait_for(const WhatIfRun& run) {
  REQUIRE(test::wait_until([&] { return run.finished(); },
                           [] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }));
}

constexpr std::int64_t kStartUs = 1'767'571'200'000'000;  // 2026-01-05T00:00Z

const std::string kBreakdownLine = std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml";

// What the replays below are recordings of: replication 0 for 10 h from an empty line.
RunSettings recorded_period() {
  RunSettings run;
  run.duration_s = 10 * 3600.0;
  run.warmup_s = 0.0;
  return run;
}

// A replay of `scene`'s recorded telemetry moved to `t_s`, and the line there as its twins tell
// it, as the viewer takes it when a what-if from now starts.
LineSnapshot replayed_now(const Scene& scene, double t_s) {
  ReplaySource replay(scene,
                      simulate_telemetry(scene, scene.seed(), 0, recorded_period(), kStartUs));
  replay.seek(t_s);
  return estimate_line_state(replay.twins(), replay.twins().observed_until_us(), "replay");
}

// The next 4 h from the baseline's start, 6 replications on 2 threads.
ExperimentSettings next_four_hours(const Scene& scene, const WhatIfStarts& starts) {
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.duration_s = 4 * 3600.0;
  settings.run.warmup_s = 0.0;
  settings.run.replications = 6;
  settings.threads = 2;
  settings.start = starts.baseline;
  return settings;
}

std::size_t station_position(const Scene& scene, const std::string& id) {
  const ElementIndex element = *scene.find(id);
  std::size_t i = 0;
  while (scene.stations()[i] != element)
    ++i;
  return i;
}

// The same double, bit for bit (NaN included).
bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// The InputError a refused change throws.
InputError refusal(const WhatIfChange& change) {
  try {
    changed_scene({change});
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected the change to be refused");
  throw;  // unreachable
}

}  // namespace

TEST_CASE("what-if changes make exactly the changes asked for") {
  const ElementIndex op20 = *viewer_test_scene().find("OP20");
  const ElementIndex op10 = *viewer_test_scene().find("OP10");
  const ElementIndex b1 = *viewer_test_scene().find("B1");

  const Scene faster = changed_scene({{"OP10", WhatIfParameter::kProcessingMean, 30.0}});
  CHECK(current_value(faster, op10, WhatIfParameter::kProcessingMean) == doctest::Approx(30.0));
  // A gamma keeps its shape: the coefficient of variation stays 1/sqrt(4).
  CHECK(faster.station_spec(faster.element(op10)).processing.describe().find("shape=4") !=
        std::string::npos);
  CHECK(current_value(faster, op20, WhatIfParameter::kProcessingMean) == 45.0);  // untouched
  CHECK(current_value(faster, b1, WhatIfParameter::kBufferCapacity) == 5.0);

  // Several at once, of several elements.
  const Scene three = changed_scene({{"OP20", WhatIfParameter::kServers, 2.0},
                                     {"B1", WhatIfParameter::kBufferCapacity, 12.0},
                                     {"OP20", WhatIfParameter::kProcessingMean, 60.0}});
  CHECK(current_value(three, op20, WhatIfParameter::kServers) == 2.0);
  CHECK(current_value(three, b1, WhatIfParameter::kBufferCapacity) == 12.0);
  CHECK(current_value(three, op20, WhatIfParameter::kProcessingMean) == doctest::Approx(60.0));
  CHECK(current_value(three, op10, WhatIfParameter::kProcessingMean) == doctest::Approx(40.0));
  CHECK(three.elements().size() == viewer_test_scene().elements().size());
  CHECK(describe({"B1", WhatIfParameter::kBufferCapacity, 12.0}) == "B1 capacity = 12");

  // Each refusal names the scene and the changed field.
  const InputError nowhere = refusal({"nowhere", WhatIfParameter::kServers, 2.0});
  CHECK(nowhere.where().file == "test.yaml");
  CHECK(nowhere.where().field_path == "nowhere.servers");
  CHECK(refusal({"B1", WhatIfParameter::kServers, 2.0}).message().find("unknown key 'servers'") !=
        std::string::npos);
  CHECK(refusal({"OP20", WhatIfParameter::kServers, 1.5}).message().find("found '1.5'") !=
        std::string::npos);
  CHECK(refusal({"OP20", WhatIfParameter::kProcessingMean, 0.0}).where().field_path ==
        "OP20.processing.mean");
}

TEST_CASE("what_if_overrides: two changes on two elements, each its own override, in order") {
  // What the inspector's list of changes hands over: OP20's servers and B1's capacity together.
  const std::vector<SceneOverride> overrides = what_if_overrides(
      viewer_test_scene(),
      {{"OP20", WhatIfParameter::kServers, 3.0}, {"B1", WhatIfParameter::kBufferCapacity, 9.0}},
      "test.yaml");
  REQUIRE(overrides.size() == 2);
  CHECK(overrides[0].path == "OP20.servers");
  CHECK(overrides[0].value_yaml == "3");
  CHECK(overrides[0].origin.file == "test.yaml");
  CHECK(overrides[0].origin.field_path == "OP20.servers");
  CHECK(overrides[1].path == "B1.capacity");
  CHECK(overrides[1].value_yaml == "9");
  CHECK(overrides[1].origin.field_path == "B1.capacity");
  // Both made on one scene, nothing else changed.
  const Scene both = load_scene_with_overrides(kViewerTestScene, "test.yaml", overrides);
  const ElementIndex op20 = *both.find("OP20");
  const ElementIndex b1 = *both.find("B1");
  CHECK(current_value(both, op20, WhatIfParameter::kServers) == 3.0);
  CHECK(current_value(both, b1, WhatIfParameter::kBufferCapacity) == 9.0);
  CHECK(current_value(both, op20, WhatIfParameter::kProcessingMean) ==
        current_value(viewer_test_scene(), op20, WhatIfParameter::kProcessingMean));
  const ElementIndex op10 = *both.find("OP10");
  CHECK(current_value(both, op10, WhatIfParameter::kServers) ==
        current_value(viewer_test_scene(), op10, WhatIfParameter::kServers));
}

TEST_CASE("a processing mean scales each product's own processing time by the same factor") {
  const std::string yaml = R"(linetwin_scene: 1
products: [sedan, suv]
elements:
  - {id: in, type: source, supply: unlimited, mix: {sedan: 0.5, suv: 0.5}, to: OP10}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 40s}
    processing_by_product: {suv: {distribution: lognormal, mean: 60s, sd: 20s}}
    to: out
  - {id: out, type: sink}
)";
  const Scene scene = changed_scene({{"OP10", WhatIfParameter::kProcessingMean, 20.0}}, yaml);
  const StationSpec& spec = scene.station_spec(scene.element(*scene.find("OP10")));
  CHECK(spec.processing.mean() == doctest::Approx(20.0));
  CHECK(spec.processing_for(1).mean() == doctest::Approx(30.0));
  CHECK(spec.processing_for(1).describe() == Distribution::lognormal(30, 10).describe());
}

TEST_CASE("a background what-if run equals run_replications and reaches its total") {
  const Scene changed = changed_scene({{"OP20", WhatIfParameter::kProcessingMean, 30.0}});
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
  // The engine's comparison of the same replications.
  const std::vector<ComparisonRow> direct_rows =
      compare(viewer_test_scene(), direct_baseline, direct_changed);
  REQUIRE(run.rows().size() == direct_rows.size());
  for (std::size_t k = 0; k < direct_rows.size(); ++k) {
    CAPTURE(direct_rows[k].kpi);
    CHECK(run.rows()[k].kpi == direct_rows[k].kpi);
    CHECK(run.rows()[k].difference.mean == direct_rows[k].difference.mean);
    CHECK(run.rows()[k].changed.ci_low == direct_rows[k].changed.ci_low);
  }
}

TEST_CASE("a what-if run can be cancelled") {
  const Scene changed = changed_scene({{"B1", WhatIfParameter::kBufferCapacity, 1.0}});
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

TEST_CASE("a background what-if run counts the replications that deadlock") {
  // The rework loop of tests/plant/deadlock_test.cpp deadlocks at 22 s in every replication: each
  // part goes back to B1 for ever, and B1 holds one. With room for 1,000 the line runs the hour
  // out (OP10 adds at most 360 parts). The engine's comparison leaves deadlocked replications
  // out (tests/experiment/paired_comparison_test.cpp).
  const std::string path =
      std::string(LINETWIN_SOURCE_DIR) + "/tests/plant/scenes/deadlock_rework_loop.yaml";
  const Scene baseline = load_scene_file(path);
  const Scene changed = load_scene_with_overrides(
      file_text(path), path,
      what_if_overrides(baseline, {{"B1", WhatIfParameter::kBufferCapacity, 1000.0}}, path));
  ExperimentSettings settings = settings_from_scene(baseline);
  settings.run.replications = 4;
  settings.threads = 2;
  WhatIfRun run(baseline, changed, settings);
  wait_for(run);
  REQUIRE(run.error().empty());
  CHECK(run.deadlocks().baseline == 4);
  CHECK(run.deadlocks().changed == 0);
  CHECK(run.deadlocks().replications == 4);
  CHECK(deadlock_notes(run.deadlocks()) ==
        std::vector<std::string>{"4 of 4 baseline replications deadlocked"});
  for (const ComparisonRow& row : run.rows()) {
    CAPTURE(row.kpi);
    CHECK(row.baseline.replications == 0);
    CHECK(row.difference.replications == 0);
  }
  CHECK(run.rows()[0].changed.replications == 4);
}

TEST_CASE("a station kept down changes the line's state, not its scene") {
  const WhatIfChange down{"OP30", WhatIfParameter::kDownFor, 5.0};
  CHECK(acts_on_state(down.parameter));
  CHECK(!acts_on_state(WhatIfParameter::kServers));
  CHECK(describe(down) == "OP30 stays down for 5 h");
  const Scene scene = load_scene_file(kBreakdownLine);
  CHECK(what_if_overrides(scene, {down}, kBreakdownLine).empty());
  CHECK(current_value(scene, *scene.find("OP30"), WhatIfParameter::kDownFor) == 0.0);
}

TEST_CASE("what-if from now: OP30 kept down for 5 h ships exactly the parts already past it") {
  const Scene scene = load_scene_file(kBreakdownLine);
  const std::size_t op30 = station_position(scene, "OP30");
  const std::size_t op40 = station_position(scene, "OP40");
  // Times with parts past OP30 (B3 fills while OP30 runs ahead of OP40), so that the count is
  // not zero; at the second, B3 is full and OP30 blocked.
  std::uint64_t finished_at_op30_seen = 0;
  for (double t : {1 * 3600.0 + 1200.5, 5 * 3600.0 + 600.5}) {
    CAPTURE(t);
    const LineSnapshot now = replayed_now(scene, t);
    CHECK(now.origin == "replay");
    CHECK(now.timestamp_us == kStartUs + std::llround(t * 1e6));
    // The estimate is the recorded run's own state there (tests/telemetry checks the estimator;
    // here it makes the count below the simulation's).
    LineRun recorded(scene, scene.seed(), 0, recorded_period());
    recorded.advance_to(t);
    const LineSnapshot exact = recorded.snapshot();
    REQUIRE(now.buffers.size() == 3);
    for (std::size_t b = 0; b < 3; ++b) {
      CHECK(now.buffers[b].source == "counters");
      CHECK(now.buffers[b].level == exact.buffers[b].level);
    }
    for (const std::size_t station : {op30, op40}) {
      REQUIRE(now.stations[station].parts.size() == exact.stations[station].parts.size());
      for (std::size_t p = 0; p < exact.stations[station].parts.size(); ++p) {
        CHECK(now.stations[station].parts[p].finished == exact.stations[station].parts[p].finished);
      }
    }

    const WhatIfStarts starts =
        what_if_starts(now, {}, {{"OP30", WhatIfParameter::kDownFor, 5.0}}, "the line now");
    CHECK(!starts.baseline->snapshot.stations[op30].down_for_s);
    CHECK(starts.changed->snapshot.stations[op30].down_for_s == 5 * 3600.0);
    CHECK(starts.changed->file == "the line now");

    // Nothing passes OP30 for the whole 4 h: what leaves the line is what was already past its
    // processing, in B3, at OP40, and finished at OP30 itself (blocked by a full B3: a stopped
    // station still hands its finished part over once there is room).
    std::uint64_t finished_at_op30 = 0;
    for (const HeldPart& part : now.stations[op30].parts)
      finished_at_op30 += part.finished ? 1 : 0;
    finished_at_op30_seen += finished_at_op30;
    const std::uint64_t past_op30 =
        *now.buffers[2].level + now.stations[op40].parts.size() + finished_at_op30;
    CHECK(past_op30 > 0);
    const ExperimentSettings settings = next_four_hours(scene, starts);
    WhatIfRun run(scene, scene, settings, starts.changed);
    wait_for(run);
    REQUIRE(run.error().empty());
    REQUIRE(run.changed_results().size() == 6);
    for (const ReplicationResult& r : run.changed_results()) {
      CHECK(r.parts_completed == past_op30);
      CHECK(r.stations[op30].parts_processed == 0);
      CHECK(r.observed_s == 4 * 3600.0);
    }
    // Every changed replication ships the same count, so the changed throughput is that count
    // over 4 h, with no spread.
    REQUIRE(run.rows().front().kpi == "throughput [parts/h]");
    CHECK(run.rows().front().changed.mean == static_cast<double>(past_op30) / 4.0);
    CHECK(run.rows().front().changed.stdev == 0.0);
  }
  CHECK(finished_at_op30_seen > 0);
}

TEST_CASE("what-if from now: both lines are the engine's runs from their snapshots, to the bit") {
  const Scene scene = load_scene_file(kBreakdownLine);
  const std::vector<WhatIfChange> changes{{"B2", WhatIfParameter::kBufferCapacity, 16.0},
                                          {"OP30", WhatIfParameter::kDownFor, 0.5}};
  const Scene changed = load_scene_with_overrides(
      file_text(kBreakdownLine), kBreakdownLine, what_if_overrides(scene, changes, kBreakdownLine));
  const LineSnapshot now = replayed_now(scene, 5 * 3600.0 + 0.25);
  const WhatIfStarts starts = what_if_starts(now, {}, changes, "the line now");
  const ExperimentSettings settings = next_four_hours(scene, starts);
  WhatIfRun run(scene, changed, settings, starts.changed);
  wait_for(run);
  REQUIRE(run.error().empty());

  // The same replications as jobs of the engine, each line from its own start, the same seed.
  for (const bool baseline : {true, false}) {
    CAPTURE(baseline);
    std::vector<ReplicationJob> jobs;
    for (std::uint32_t r = 0; r < settings.run.replications; ++r) {
      jobs.push_back({baseline ? &scene : &changed, scene.seed(), r, settings.run,
                      baseline ? starts.baseline : starts.changed});
    }
    const std::vector<ReplicationResult> direct = run_jobs(jobs, 1, {});
    const std::vector<ReplicationResult>& ours =
        baseline ? run.baseline_results() : run.changed_results();
    REQUIRE(ours.size() == direct.size());
    for (std::size_t r = 0; r < direct.size(); ++r) {
      CAPTURE(r);
      CHECK(ours[r].events == direct[r].events);
      CHECK(ours[r].parts_completed == direct[r].parts_completed);
      CHECK(ours[r].parts_in_line_at_end == direct[r].parts_in_line_at_end);
      CHECK(same_bits(ours[r].throughput_per_hour, direct[r].throughput_per_hour));
      CHECK(same_bits(ours[r].wip_mean, direct[r].wip_mean));
      CHECK(same_bits(ours[r].lead_time_mean_s, direct[r].lead_time_mean_s));
      CHECK(same_bits(ours[r].stations[2].oee.oee, direct[r].stations[2].oee.oee));
    }
  }
  // Started from the line as it was, not empty: at time zero the runs hold every part the
  // estimate has in the line.
  std::uint64_t parts = 0;
  for (const BufferSnapshot& b : now.buffers)
    parts += *b.level;
  for (const StationSnapshot& s : now.stations)
    parts += s.parts.size();
  CHECK(parts > 0);
  const LineRun started = LineRun::from_snapshot(scene, starts.baseline->snapshot, "the line now",
                                                 scene.seed(), 0, settings.run);
  CHECK(started.results().parts_in_line_at_end == parts);
}

TEST_CASE("what-if from now: a level the telemetry cannot tell holds the run back until given") {
  const Scene scene = load_scene_text(kFedBySourceScene, "fed_by_source.yaml");
  const LineSnapshot now = replayed_now(scene, 3000.5);
  REQUIRE(now.buffers.size() == 2);
  CHECK(!now.buffers[0].level);
  CHECK(now.buffers[0].source.find("fed by source arrivals") != std::string::npos);
  REQUIRE(now.buffers[1].level);
  CHECK(now.buffers[1].source == "counters");

  try {
    what_if_starts(now, {}, {}, "the line now");
    FAIL("a what-if started with B0's level unknown");
  } catch (const InputError& e) {
    CHECK(e.where().file == "the line now");
    CHECK(e.where().field_path == "buffers.B0.level");
    CHECK(e.message().find("enter one for B0 (" + now.buffers[0].source + ")") !=
          std::string::npos);
  }
  // Given: B0 starts with the level given; a level given for B1, which the counters tell, is not
  // taken.
  const WhatIfStarts starts = what_if_starts(now, {3, 99}, {}, "the line now");
  for (const auto* start : {starts.baseline.get(), starts.changed.get()}) {
    CHECK(start->snapshot.buffers[0].level == 3);
    CHECK(start->snapshot.buffers[0].source == "given");
    CHECK(start->snapshot.buffers[1].level == now.buffers[1].level);
  }
  const ExperimentSettings settings = next_four_hours(scene, starts);
  const LineRun started = LineRun::from_snapshot(scene, starts.baseline->snapshot, "the line now",
                                                 scene.seed(), 0, settings.run);
  // The parts given in B0 are in the line at time zero (OP10 may take one of them at once).
  std::uint64_t held = 0;
  for (const StationSnapshot& s : now.stations)
    held += s.parts.size();
  CHECK(started.results().parts_in_line_at_end == 3 + *now.buffers[1].level + held);
  WhatIfRun run(scene, scene, settings, starts.changed);
  wait_for(run);
  CHECK(run.error().empty());
  CHECK(run.done() == 12);

  // A change of the state must name a station, and keep it down for a time.
  const auto refused = [&](const WhatIfChange& change, const std::string& words) {
    try {
      what_if_starts(now, {3}, {change}, "the line now");
      FAIL("accepted " << describe(change));
    } catch (const InputError& e) {
      CHECK(e.where().field_path == "stations." + change.element + ".down_for");
      CHECK(e.message().find(words) != std::string::npos);
    }
  };
  refused({"B1", WhatIfParameter::kDownFor, 1.0}, "expected a station of the line, found B1");
  refused({"OP10", WhatIfParameter::kDownFor, -1.0}, "expected hours of 0 or more, found -1");
}
