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
