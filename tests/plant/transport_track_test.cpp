// Vehicle tracks written by the line run (LineRun::record_vehicle_tracks): each drive starts and
// ends at the instants of the run's own events, its ends are the stop nodes, and recording
// changes no result.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_overrides.hpp"
#include "plant/line_run.hpp"
#include "test_scenes.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;

// The bundled AGV cell with its idle vehicles waiting where `idle_at` says.
Scene agv_cell(const std::string& idle_at) {
  const std::string file = std::string(LINETWIN_SOURCE_DIR) + "/scenes/agv_cell.yaml";
  std::ostringstream yaml;
  yaml << std::ifstream(file, std::ios::binary).rdbuf();
  return load_scene_with_overrides(yaml.str(), file,
                                   {{.path = "AGV.idle_at", .value_yaml = idle_at, .origin = {}}});
}

TEST_CASE("the AGV cell's vehicle tracks start and end each drive at the run's event times") {
  // As built, idle vehicles wait at the pick-ups; parked in the depot instead, the drives home
  // end off the aisles.
  for (const std::string idle_at : {"pick_up", "home"}) {
    CAPTURE(idle_at);
    const Scene scene = agv_cell(idle_at);
    RunSettings settings = scene.run_settings();
    settings.warmup_s = 0.0;
    settings.duration_s = 4 * 3600.0;
    LineRun run(scene, scene.seed(), 0, settings);
    run.record_vehicle_tracks();
    // Every instant at which an event ran, read by stepping the run one event at a time.
    std::set<double> event_times;
    while (run.step())
      event_times.insert(run.now());

    const std::vector<TrackedVehicle>& tracks = run.vehicle_tracks();
    const FleetSpec& fleet = scene.fleets().front();
    REQUIRE(tracks.size() == fleet.vehicles);
    const auto nodes = scene.paths()->nodes();
    std::size_t drives = 0;
    std::size_t home = 0;
    for (std::size_t v = 0; v < tracks.size(); ++v) {
      const TrackedVehicle& tracked = tracks[v];
      CHECK(tracked.fleet == 0);
      CHECK(tracked.vehicle == v);
      CHECK(tracked.width_m == fleet.vehicle.width_m);
      CHECK(tracked.length_m == fleet.vehicle.length_m);
      // Parked in the depot, off the aisles, until its first order.
      CHECK_FALSE(tracked.track.pose_at(0.0).has_value());
      const auto all = tracked.track.drives();
      for (std::size_t i = 0; i < all.size(); ++i) {
        const TrackDrive& drive = all[i];
        ++drives;
        const double end_s = drive.start_s + drive.profile.total_time_s();
        // The vehicle sets off at an event (an order dispatched, a part loaded) and arrives at the
        // event that ends its travel leg, to the bit.
        CHECK(event_times.count(drive.start_s) == 1);
        if (end_s > run.end_time()) continue;  // under way when the run ended
        CHECK(event_times.count(end_s) == 1);
        const PathNode& from = nodes[drive.route.steps.front().from];
        const PathNode& to = nodes[drive.route.steps.back().to];
        // Its stops are stops of the fleet, and it stands exactly on them.
        CHECK(std::count(fleet.stops.begin(), fleet.stops.end(), drive.route.steps.front().from) ==
              1);
        CHECK(std::count(fleet.stops.begin(), fleet.stops.end(), drive.route.steps.back().to) == 1);
        const auto start = tracked.track.pose_at(drive.start_s);
        const auto end = tracked.track.pose_at(end_s);
        REQUIRE(start.has_value());
        CHECK(start->x_m == from.x_m);
        CHECK(start->y_m == from.y_m);
        // Loaded from the end of loading to the end of unloading: a drive carries a load exactly
        // when it ends at a drop-off (empty drives end at pick-ups, home or where idle vehicles
        // wait, none of which is a drop-off in this cell).
        const bool to_drop_off = std::any_of(
            fleet.drop_offs.begin(), fleet.drop_offs.end(),
            [&](std::uint32_t stop) { return fleet.stops[stop] == drive.route.steps.back().to; });
        CHECK(tracked.track.loaded_at(drive.start_s + drive.profile.total_time_s() / 2) ==
              to_drop_off);
        // A drive home ends parked in the depot, off the aisles, at that instant (unless the
        // vehicle sets off again at once, standing at home).
        if (drive.route.steps.back().to == fleet.home) ++home;
        if (!end.has_value()) {
          CHECK(drive.route.steps.back().to == fleet.home);
          continue;
        }
        CHECK(end->x_m == to.x_m);
        CHECK(end->y_m == to.y_m);
        // Still moving then only if it sets off again at that instant.
        if (tracked.track.moving_at(end_s))
          CHECK((i + 1 < all.size() && all[i + 1].start_s == end_s));
      }
    }
    // About 30 parts an hour, each carried three times: hundreds of drives.
    CHECK(drives > 300);
    if (idle_at == "home") CHECK(home > 0);
    MESSAGE(drives << " drives (" << home << " home) checked against " << event_times.size()
                   << " event times");
  }
}

TEST_CASE("recording vehicle tracks changes no result: the JSON results are the same bytes") {
  const Scene scene = bundled_scene("scenes/agv_cell.yaml");
  ExperimentSettings settings;
  settings.seed = scene.seed();
  settings.run = scene.run_settings();
  auto json = [&](bool record) {
    std::vector<ReplicationResult> results;
    for (std::uint32_t r = 0; r < 3; ++r) {
      LineRun run(scene, scene.seed(), r);
      if (record) run.record_vehicle_tracks();
      results.push_back(run.run_to_end());
      CHECK(run.vehicle_tracks().empty() == !record);
    }
    std::ostringstream out;
    write_json(out, RunReport{scene, settings, summarize(results)});
    return out.str();
  };
  CHECK(json(true) == json(false));
}

TEST_CASE("tracks are asked for before the run starts") {
  const Scene scene = bundled_scene("scenes/agv_cell.yaml");
  LineRun run(scene, scene.seed(), 0);
  REQUIRE(run.step());
  CHECK_THROWS_AS(run.record_vehicle_tracks(), std::logic_error);
}
