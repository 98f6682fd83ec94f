// Driving a run by hand, as a script or a viewer does: one event at a time gives the run that
// runs through, and a station failed from outside is down for exactly the repair time given,
// reported to an observer at that instant, counted as a failure, and refused where it makes no
// sense.
#include <doctest/doctest.h>

#include <bit>
#include <limits>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "experiment/replication_table.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"
#include "test_scenes.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;
using linetwin::test::from_start;

namespace {

struct ActivityLog final : StationObserver {
  ElementIndex station = 0;
  std::vector<std::pair<double, StationActivity>> changes;
  void on_station_report(const StationReport& report) override {
    if (report.station == station && report.activity_changed)
      changes.emplace_back(report.time_s, report.activity);
  }
};

}  // namespace

TEST_CASE("a run stepped event by event ends as the run that runs through") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  LineRun whole(scene, 11, 0, from_start(3 * 3600.0));
  const ReplicationResult expected = whole.run_to_end();
  LineRun stepped(scene, 11, 0, from_start(3 * 3600.0));
  std::uint64_t steps = 0;
  while (stepped.step())
    ++steps;
  CHECK(steps == expected.events);
  CHECK(stepped.now() == 3 * 3600.0);
  CHECK_FALSE(stepped.step());
  const ReplicationResult actual = stepped.results();
  const ReplicationTable table(scene);
  for (std::size_t c = 0; c < table.size(); ++c) {
    CAPTURE(table.name(c));
    CHECK(std::bit_cast<std::uint64_t>(table.value(actual, c)) ==
          std::bit_cast<std::uint64_t>(table.value(expected, c)));
  }
}

TEST_CASE("a station failed from outside is down for exactly the repair time given") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  // OP20 has no breakdowns of its own: every stop it makes is the one injected.
  const std::size_t op20 = 1;
  ActivityLog log;
  log.station = scene.stations()[op20];
  LineRun run(scene, 3, 0, from_start(6 * 3600.0));
  run.observe(&log);
  const double failed_at = 3600.25;
  const double repair_s = 2 * 3600.0;
  run.advance_to(failed_at);
  const std::size_t before = log.changes.size();
  run.fail_station(op20, repair_s);
  // Reported at once, between events.
  REQUIRE(log.changes.size() == before + 1);
  CHECK(log.changes.back().first == failed_at);
  CHECK(log.changes.back().second == StationActivity::kDown);
  CHECK(run.station_activity(op20) == StationActivity::kDown);
  run.run_to_end();
  // The next change is the end of the repair, to the bit.
  REQUIRE(log.changes.size() > before + 1);
  CHECK(log.changes[before + 1].first == failed_at + repair_s);
  CHECK(log.changes[before + 1].second != StationActivity::kDown);
  for (std::size_t i = before + 2; i < log.changes.size(); ++i)
    CHECK(log.changes[i].second != StationActivity::kDown);
  CHECK(run.results().stations[op20].failures == 1);
  run.observe(nullptr);
}

TEST_CASE("failing a station from outside is refused where it makes no sense") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  LineRun run(scene, 3, 0, from_start(2 * 3600.0));
  run.advance_to(600.5);
  const auto refused = [&](std::size_t station, double repair_s, const std::string& field,
                           const std::string& words) {
    try {
      run.fail_station(station, repair_s);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.where().field_path == field);
      CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
  };
  refused(7, 60.0, "station", "below 4, found 7");
  refused(0, -1.0, "repair", "0 s or more");
  refused(0, std::numeric_limits<double>::infinity(), "repair", "0 s or more");
  run.fail_station(0, 60.0);
  refused(0, 60.0, "station", "OP10 down");
  run.run_to_end();
  refused(1, 60.0, "station", "has stopped");
}
