// The engine's viewer API (LineRun::station_activity, parts_at, conveyor_positions), checked
// against what must hold whatever the random draws: parts are conserved, a buffer never holds
// more than its capacity, a belt carries its parts head first inside its length at least one
// spacing apart, and a station's activity agrees with the parts it holds and with what it reports
// to an observer.
#include <doctest/doctest.h>

#include <numeric>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;

namespace {

struct LastActivity final : StationObserver {
  std::vector<StationActivity> activity;
  void on_station_report(const StationReport& report) override {
    if (report.activity_changed) activity.at(report.station) = report.activity;
  }
};

}  // namespace

TEST_CASE("LineRun's viewer API agrees with the part ledger, capacities and reports") {
  const Scene& scene = viewer::viewer_test_scene();
  const ElementIndex belt = *scene.find("belt");
  const ConveyorSpec& belt_spec = scene.conveyor_spec(scene.element(belt));
  const ElementIndex b1 = *scene.find("B1");
  LineRun run(scene, 3, 0);
  LastActivity last;
  last.activity.resize(scene.elements().size(), StationActivity::kIdle);
  run.observe(&last);
  std::vector<double> positions;
  bool belt_was_loaded = false;
  for (double t = 0.0; t <= run.end_time(); t += 37.0) {
    CAPTURE(t);
    run.advance_to(t);
    std::uint64_t in_line = 0;
    for (ElementIndex e = 0; e < scene.elements().size(); ++e)
      in_line += run.parts_at(e);
    CHECK(in_line == run.results().ledger.in_line);
    CHECK(run.parts_at(b1) <= 5);
    CHECK(run.parts_at(*scene.find("blanks")) == 0);
    CHECK(run.parts_at(*scene.find("shipped")) == 0);

    run.conveyor_positions(0, positions);
    CHECK(positions.size() == run.parts_at(belt));
    belt_was_loaded |= positions.size() > 1;
    for (std::size_t k = 0; k < positions.size(); ++k) {
      CHECK(positions[k] >= 0.0);
      CHECK(positions[k] <= belt_spec.length_m);
      if (k > 0) CHECK(positions[k - 1] - positions[k] >= belt_spec.spacing_m - 1e-9);
    }

    for (std::size_t s = 0; s < scene.stations().size(); ++s) {
      const ElementIndex station = scene.stations()[s];
      const StationActivity activity = run.station_activity(s);
      CHECK(activity == last.activity[station]);
      // One server, no setups, operators or shifts: it works or is blocked exactly when it holds
      // a part and is not down, and it is idle when it holds none.
      if (activity == StationActivity::kWorking || activity == StationActivity::kBlocked)
        CHECK(run.parts_at(station) == 1);
      if (activity == StationActivity::kIdle) CHECK(run.parts_at(station) == 0);
    }
  }
  CHECK(belt_was_loaded);  // the checks above saw parts queued on the belt
}
