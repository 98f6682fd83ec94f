// Deadlocks: a line that can no longer move is reported at that instant, with the cycle or the
// stuck parts, and its run stops there; a line that only runs slowly, or that has run dry, never
// is. The scenes of the three deadlocks are in tests/plant/scenes/, shared with the CLI test
// (deadlock_cli_test.sh); each timeline below is worked out by hand from the scene.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"
#include "test_scenes.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;

namespace {

Scene scene_of(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "deadlock.yaml");
}

std::vector<std::string> ids(const Scene& scene, const DeadlockResult& d) {
  std::vector<std::string> out;
  for (const DeadlockResult::Element& e : d.elements)
    out.push_back(scene.element(e.element).id);
  return out;
}

std::uint64_t parts_at(const Scene& scene, const DeadlockResult& d, const std::string& id) {
  for (const DeadlockResult::Element& e : d.elements) {
    if (scene.element(e.element).id == id) return e.parts;
  }
  FAIL("no element ", id, " in the deadlock");
  return 0;
}

void check_conservation(const PartLedger& ledger) {
  CHECK(ledger.created == ledger.in_line + ledger.completed + ledger.scrapped + ledger.consumed);
}

// Runs every replication of the scene for its whole duration and checks none deadlocked.
void check_never_reported(const Scene& scene, std::uint32_t replications = 3) {
  for (std::uint32_t r = 0; r < replications; ++r) {
    LineRun run(scene, scene.seed(), r);
    const ReplicationResult result = run.run_to_end();
    CAPTURE(r);
    CHECK_FALSE(result.deadlock.has_value());
    CHECK(run.now() == doctest::Approx(run.end_time()));
  }
}

}  // namespace

TEST_CASE("a rework loop into a full buffer deadlocks when the rework finds the buffer full") {
  // OP10 takes 10 s, OP20 3 s, B1 holds one part, and every part goes back to B1.
  // t = 10: p1 passes B1 to OP20 (until 13); OP10 starts p2. t = 13, 16, 19: OP20 reworks p1 into
  // the empty B1 and takes it again. t = 20: p2 waits in B1 (OP20 busy); OP10 starts p3.
  // t = 22: OP20 finishes p1, B1 is full: OP20 is blocked by B1, whose only taker is OP20.
  const Scene scene = bundled_scene("tests/plant/scenes/deadlock_rework_loop.yaml");
  LineRun run(scene, scene.seed(), 0);
  const ReplicationResult result = run.run_to_end();
  REQUIRE(result.deadlock.has_value());
  const DeadlockResult& d = *result.deadlock;
  CHECK(d.time_s == 22.0);
  CHECK(d.cycle);
  CHECK(ids(scene, d) == std::vector<std::string>{"OP20", "B1"});
  CHECK(parts_at(scene, d, "OP20") == 1);
  CHECK(parts_at(scene, d, "B1") == 1);
  CHECK(d.parts_in_line == 3);  // p1 at OP20, p2 in B1, p3 at OP10
  CHECK(d.elements[0].state == "1 of 1 servers blocked by B1");
  // The run stopped there: the observed period ends at the deadlock, and the clock stays.
  CHECK(run.now() == 22.0);
  CHECK(result.observed_s == 22.0);
  CHECK(run.advance_to(3600.0) == StopReason::kStopped);
  CHECK(run.now() == 22.0);
  CHECK(result.ledger.in_line == 3);
  check_conservation(result.ledger);
}

TEST_CASE("a cycle through a merge deadlocks with every element of the cycle reported") {
  // B1 merges new parts and OP2's rework; B1 and B2 hold one part each, OP1 takes 1 s, OP2 5 s.
  // t = 0: p1 to OP1 (until 1), p2 waits in B1, the supply holds p3. t = 1: p1 to OP2 (until 6);
  // OP1 takes p2 (until 2), B1 takes p3. t = 2: p2 into B2; OP1 takes p3, B1 takes p4. t = 3: B2
  // is full, OP1 is blocked by it. t = 6: OP2 reworks p1, B1 is full: OP2 -> B1 -> OP1 -> B2 ->
  // OP2.
  const Scene scene = bundled_scene("tests/plant/scenes/deadlock_merge_cycle.yaml");
  const ReplicationResult result = LineRun(scene, scene.seed(), 0).run_to_end();
  REQUIRE(result.deadlock.has_value());
  const DeadlockResult& d = *result.deadlock;
  CHECK(d.time_s == 6.0);
  CHECK(d.cycle);
  CHECK(ids(scene, d) == std::vector<std::string>{"OP2", "B1", "OP1", "B2"});
  for (const char* id : {"OP2", "B1", "OP1", "B2"})
    CHECK(parts_at(scene, d, id) == 1);
  CHECK(d.parts_in_line == 4);
  check_conservation(result.ledger);
}

TEST_CASE("an assembly starved of a component that can never come is reported as stuck parts") {
  // Bodies arrive every 10 s; R takes 1 s and sends bodies to M (two places); nothing ever makes a
  // bracket, so A never starts. t = 11, 21: bodies into M. t = 31: R is blocked by M with the
  // third body; the arrival due at 40 can go nowhere (R is blocked): nothing can move any more.
  const Scene scene = bundled_scene("tests/plant/scenes/deadlock_starved_assembly.yaml");
  const ReplicationResult result = LineRun(scene, scene.seed(), 0).run_to_end();
  REQUIRE(result.deadlock.has_value());
  const DeadlockResult& d = *result.deadlock;
  CHECK(d.time_s == 31.0);
  CHECK_FALSE(d.cycle);
  CHECK(ids(scene, d) == std::vector<std::string>{"R", "M", "A"});  // scene order
  CHECK(parts_at(scene, d, "R") == 1);
  CHECK(parts_at(scene, d, "M") == 2);
  CHECK(parts_at(scene, d, "A") == 0);
  CHECK(d.elements[2].state == "cannot start: short of parts from C");
  CHECK(d.parts_in_line == 3);
}

TEST_CASE("a deadlock in the warm-up leaves an empty observed period") {
  Scene scene = bundled_scene("tests/plant/scenes/deadlock_rework_loop.yaml");
  RunSettings settings = scene.run_settings();
  settings.warmup_s = 600.0;
  LineRun run(scene, scene.seed(), 0, settings);
  const ReplicationResult result = run.run_to_end();
  REQUIRE(result.deadlock.has_value());
  CHECK(result.deadlock->time_s == 22.0);
  CHECK(result.observed_s == 0.0);
  CHECK(std::isnan(result.throughput_per_hour));
}

TEST_CASE("deadlocked replications are counted and left out of the estimates") {
  // The rework loop deadlocks in every replication: no KPI is estimated from them.
  const Scene scene = bundled_scene("tests/plant/scenes/deadlock_rework_loop.yaml");
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 4;
  settings.threads = 2;
  const ExperimentSummary summary = summarize(run_replications(scene, settings));
  CHECK(summary.replications == 4);
  REQUIRE(summary.deadlocks.size() == 4);
  for (std::uint32_t r = 0; r < 4; ++r)
    CHECK(summary.deadlocks[r].first == r);
  CHECK(summary.throughput_per_hour.replications == 0);
  CHECK(std::isnan(summary.throughput_per_hour.mean));
  CHECK_FALSE(summary.bottleneck_station.has_value());
}

TEST_CASE("lines that only run slowly are never reported") {
  SUBCASE("a station that takes a day per part, behind a full buffer") {
    check_never_reported(scene_of(R"(
name: slow
run: {duration: 60d}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 2h}, to: B}
  - {id: B, type: buffer, capacity: 2, to: S}
  - {id: S, type: station, processing: {distribution: exponential, mean: 1d}, to: out}
  - {id: out, type: sink}
)"));
  }
  SUBCASE("a rework loop whose buffer has room for every part") {
    check_never_reported(scene_of(R"(
name: rework with room
run: {duration: 2d}
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: {distribution: exponential, mean: 30s}, to: B1}
  - {id: B1, type: buffer, capacity: unlimited, to: OP20}
  - {id: OP20, type: station, processing: {distribution: exponential, mean: 25s}, to: out, quality: {rework: 0.3, rework_to: B1}}
  - {id: out, type: sink}
)"));
  }
  SUBCASE("long repairs on calendar time that block the whole line, with a repair crew of one") {
    check_never_reported(scene_of(R"(
name: long repairs
run: {duration: 10d}
operators:
  - {pool: crew, count: 1, skills: [repair]}
elements:
  - {id: supply, type: source, supply: unlimited, to: A}
  - id: A
    type: station
    processing: {distribution: exponential, mean: 60s}
    breakdowns: {time_to_failure: {distribution: exponential, mean: 2h}, time_to_repair: {distribution: exponential, mean: 8h}, counted_on: calendar_time}
    operators: {repair: repair}
    to: B
  - {id: B, type: buffer, capacity: 1, to: C}
  - id: C
    type: station
    processing: {distribution: exponential, mean: 50s}
    breakdowns: {time_to_failure: {distribution: exponential, mean: 3h}, time_to_repair: {distribution: exponential, mean: 6h}, counted_on: calendar_time}
    operators: {repair: repair}
    to: out
  - {id: out, type: sink}
)"));
  }
  SUBCASE("a station off shift over the weekend when the run ends, parts waiting for it") {
    // Friday 22:00 to the end of the run (Sunday noon) the station is off shift: the shift change
    // that brings it back lies beyond the end, so nothing is scheduled, yet nothing is stuck.
    check_never_reported(scene_of(R"(
name: weekend
run: {duration: 132h}
calendars:
  weekdays:
    shifts: [{name: day, weekdays: [mon, tue, wed, thu, fri], start: "06:00", end: "22:00"}]
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 5min}, to: B, when_full: lose}
  - {id: B, type: buffer, capacity: 10, to: S}
  - {id: S, type: station, processing: {distribution: exponential, mean: 4min}, calendar: weekdays, to: out}
  - {id: out, type: sink}
)"));
  }
  SUBCASE("an order source that runs dry, leaving a batch short of its minimum") {
    linetwin::test::TempDir dir;
    dir.write("orders.csv", "order_id,variant,release_time\no1,part,0\no2,part,10\no3,part,20\n");
    check_never_reported(load_scene_file(dir.write("scene.yaml", R"(linetwin_scene: 1
name: leftover
run: {duration: 8h}
elements:
  - {id: orders, type: source, orders: orders.csv, to: Q}
  - {id: Q, type: buffer, capacity: 10, to: OVEN}
  - {id: OVEN, type: station, processing: 10min, batch: {min: 2, max: 2}, to: out}
  - {id: out, type: sink}
)")));
  }
  SUBCASE("the bundled scenes, over days") {
    for (const char* name : {"balanced_line.yaml", "breakdown_line.yaml", "final_assembly.yaml",
                             "line_100_stations.yaml", "pocketnc_cell.yaml"}) {
      CAPTURE(name);
      const Scene scene = bundled_scene(std::string("scenes/") + name);
      for (std::uint32_t r = 0; r < 2; ++r) {
        RunSettings settings = scene.run_settings();
        settings.duration_s = 3 * 86400.0;
        LineRun run(scene, scene.seed(), r, settings);
        CHECK_FALSE(run.run_to_end().deadlock.has_value());
      }
    }
  }
}
