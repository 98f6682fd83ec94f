// The simulation source shows what the engine's own LineRun reports at the same time, moves at
// its speed times the wall-clock time only while playing, and steps from change to change.
#include <doctest/doctest.h>

#include <algorithm>

#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "plant/line_run.hpp"
#include "simulation_source.hpp"
#include "view_states.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

// What a LineRun of the same scene and seed, driven to `t_s`, shows.
void check_against_line_run(const SimulationSource& source, double t_s) {
  const Scene& scene = viewer_test_scene();
  LineView view = layout_view(scene, ".");
  source.update(view);
  LineRun run(scene, 7, 0);
  run.advance_to(t_s);
  CHECK(view.time_s == run.now());
  for (std::size_t s = 0; s < scene.stations().size(); ++s)
    CHECK(view.elements[scene.stations()[s]].state == view_state(run.station_activity(s)));
  for (const ElementView& e : view.elements)
    CHECK(e.parts == run.parts_at(e.element));
  std::vector<double> positions;
  run.conveyor_positions(0, positions);
  CHECK(view.elements[*scene.find("belt")].part_positions_m == positions);
  CHECK(source.kpis()->parts_completed == run.results().parts_completed);
}

}  // namespace

TEST_CASE("the simulation source shows what a LineRun driven to the same time reports") {
  SimulationSource source(viewer_test_scene(), 7);
  for (double t : {0.0, 600.0, 1234.5, 3600.0, 7800.0}) {
    CAPTURE(t);
    source.run_until(t);
    check_against_line_run(source, t);
  }
}

TEST_CASE("the simulation source puts each operator where a LineRun at the same time has it") {
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/final_assembly.yaml");
  REQUIRE_FALSE(scene.operator_pools().empty());
  SimulationSource source(scene, 7);
  LineView view = layout_view(scene, ".");
  for (double t : {0.0, 1800.0, 37'800.0}) {
    CAPTURE(t);
    source.run_until(t);
    source.update(view);
    LineRun run(scene, 7, 0);
    run.advance_to(t);
    std::vector<OperatorPosition> expected;
    run.operator_positions(expected);
    REQUIRE_FALSE(expected.empty());
    REQUIRE(view.operators.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(view.operators[i].pool == expected[i].pool);
      CHECK(view.operators[i].number == expected[i].number);
      CHECK(view.operators[i].activity == expected[i].activity);
      CHECK(view.operators[i].element == expected[i].element);
      CHECK(view.operators[i].walking_to == expected[i].walking_to);
      CHECK(view.operators[i].x_m == expected[i].x_m);
      CHECK(view.operators[i].y_m == expected[i].y_m);
    }
  }
}

TEST_CASE("the simulation source advances speed times the wall-clock time, only while playing") {
  SimulationSource source(viewer_test_scene(), 7);
  source.advance(2.0);
  CHECK(source.time_s() == 0.0);  // paused at start
  source.play();
  source.set_speed(60.0);
  source.advance(2.0);
  CHECK(source.time_s() == doctest::Approx(120.0));
  source.pause();
  source.advance(5.0);
  CHECK(source.time_s() == doctest::Approx(120.0));
  source.play();
  source.set_speed(1e9);
  CHECK(source.speed() == SimulationSource::kMaxSpeed);
  source.set_speed(0.0);
  CHECK(source.speed() == SimulationSource::kMinSpeed);
  source.set_speed(1000.0);
  source.advance(1e6);  // never beyond the end of the run
  CHECK(source.time_s() == source.end_time_s());
  CHECK(source.finished());
}

TEST_CASE("step moves to the next instant at which a station reports a change") {
  SimulationSource source(viewer_test_scene(), 7);
  std::vector<StationReport> reports;
  source.take_reports(reports);  // every station, at time 0
  CHECK(reports.size() == viewer_test_scene().stations().size());
  double last = 0.0;
  for (int i = 0; i < 20; ++i) {
    reports.clear();
    source.step();
    source.take_reports(reports);
    REQUIRE(!reports.empty());
    CHECK(source.time_s() > last);
    for (const StationReport& r : reports)
      CHECK(r.time_s == source.time_s());
    last = source.time_s();
    check_against_line_run(source, source.time_s());
  }
  CHECK(!source.playing());
}

TEST_CASE("the simulation source's reports follow the stations' activity") {
  SimulationSource source(viewer_test_scene(), 7);
  source.run_until(3600.0);
  std::vector<StationReport> reports;
  source.take_reports(reports);
  REQUIRE(!reports.empty());
  CHECK(std::is_sorted(
      reports.begin(), reports.end(),
      [](const StationReport& a, const StationReport& b) { return a.time_s < b.time_s; }));
  // The last activity reported for each station is the one it is in now.
  LineView view = layout_view(viewer_test_scene(), ".");
  source.update(view);
  for (ElementIndex station : viewer_test_scene().stations()) {
    auto last = std::find_if(reports.rbegin(), reports.rend(), [&](const StationReport& r) {
      return r.station == station && r.activity_changed;
    });
    REQUIRE(last != reports.rend());
    CHECK(view_state(last->activity) == view.elements[station].state);
  }
  std::vector<StationReport> again;
  source.take_reports(again);
  CHECK(again.empty());  // taken once
}

TEST_CASE(
    "a deadlock stops the simulation source at its instant, and its view carries the report") {
  // tests/plant/deadlock_test.cpp works the timeline out: at t = 22 s OP20 finishes a part that
  // must go back to B1, which is full, and B1's only taker is OP20.
  const Scene scene = load_scene_file(std::string(LINETWIN_SOURCE_DIR) +
                                      "/tests/plant/scenes/deadlock_rework_loop.yaml");
  SimulationSource source(scene, scene.seed());
  LineView view = layout_view(scene, ".");
  source.run_until(21.0);
  source.update(view);
  CHECK_FALSE(source.deadlock().has_value());
  CHECK_FALSE(view.deadlock.has_value());

  // Played on at x10 for 3 s of wall-clock time, it would reach 51 s: it stops at 22 s, paused.
  source.set_speed(10.0);
  source.play();
  source.advance(3.0);
  CHECK(source.time_s() == 22.0);
  CHECK_FALSE(source.playing());
  CHECK(source.finished());
  REQUIRE(source.deadlock().has_value());
  CHECK(source.deadlock()->time_s == 22.0);
  CHECK(source.deadlock()->cycle);
  CHECK(source.kpis()->deadlock.has_value());

  // Nothing moves it on: playing, stepping, running on.
  source.play();
  CHECK_FALSE(source.playing());
  source.advance(100.0);
  source.step();
  source.run_until(3600.0);
  CHECK(source.time_s() == 22.0);

  source.update(view);
  REQUIRE(view.deadlock.has_value());
  CHECK(view.deadlock->result.time_s == 22.0);
  for (const ElementView& e : view.elements) {
    CAPTURE(e.id);
    CHECK(e.deadlocked == (e.id == "OP20" || e.id == "B1"));
  }
  // The report is what `linetwin run` writes: the kind, the time, the cycle in order, then each
  // element with its parts and what it waits for.
  const std::vector<std::string>& report = view.deadlock->report;
  REQUIRE(report.size() == 3);
  CHECK(report[0].find("at t = 22.0 s") != std::string::npos);
  CHECK(report[0].find("a cycle of elements each blocked on the next, OP20 -> B1 -> OP20") !=
        std::string::npos);
  CHECK(report[0].find("3 parts in the line") != std::string::npos);
  CHECK(report[1].find("OP20") != std::string::npos);
  CHECK(report[1].find("1 part ") != std::string::npos);
  CHECK(report[1].find("blocked by B1") != std::string::npos);
  CHECK(report[2].find("B1") != std::string::npos);
  CHECK(report == deadlock_report(scene, *source.deadlock()));
}

TEST_CASE("stepping reaches a deadlock and stops there") {
  const Scene scene = load_scene_file(std::string(LINETWIN_SOURCE_DIR) +
                                      "/tests/plant/scenes/deadlock_rework_loop.yaml");
  SimulationSource source(scene, scene.seed());
  // Stations change at 10, 13, 16, 19, 20 and 22 s at the most: a step each.
  for (int i = 0; i < 10 && !source.finished(); ++i)
    source.step();
  CHECK(source.finished());
  CHECK(source.time_s() == 22.0);
  source.step();  // a deadlocked run has no next instant
  CHECK(source.time_s() == 22.0);
}
