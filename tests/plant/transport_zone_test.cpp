// Zone reservations in the line run (docs/transport.md, "Traffic control"): a vehicle waits for a
// crossing exactly until the body of the one on it has left, computed from the motion profile in
// closed form; ten vehicles on a grid for 8 h never share a zone, checked on their tracks alone
// (sampled finely and at every event), while the same scene without reservations does; and two
// vehicles each needing the node the other stands on are a deadlock, reported.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_scenes.hpp"
#include "transport/zone_reservations.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;

namespace {

// A plus: the crossing C at the origin, W and E 20 m to either side, S and N 20 m below and
// above. Fleet H (home W) carries OP1's parts from W to a sink at E, fleet V (home S) OP2's from S
// to a sink at N: their routes cross at C. Vehicles at 1.5 m/s, 0.5 m/s² either way, 1.4 m long
// and 1 m wide; loading and unloading take 5 s.
std::string crossing_yaml() {
  std::string fleets;
  for (const char* id : {"H", "V"}) {
    fleets += std::string("  - id: ") + id + "\n    home: " + (id[0] == 'H' ? "W" : "S") +
              "\n    vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"
              "              deceleration_m_per_s2: 0.5, width_m: 1, length_m: 1.4,\n"
              "              load_time: 5s, unload_time: 5s}\n";
  }
  return "linetwin_scene: 1\n"
         "run: {duration: 40s}\n"
         "paths:\n"
         "  nodes: [{id: C, x_m: 0, y_m: 0}, {id: W, x_m: -20, y_m: 0}, {id: E, x_m: 20, y_m: 0},\n"
         "          {id: S, x_m: 0, y_m: -20}, {id: N, x_m: 0, y_m: 20}]\n"
         "  edges:\n"
         "    - {from: W, to: C, width_m: 2, speed_limit_m_per_s: 2}\n"
         "    - {from: C, to: E, width_m: 2, speed_limit_m_per_s: 2}\n"
         "    - {from: S, to: C, width_m: 2, speed_limit_m_per_s: 2}\n"
         "    - {from: C, to: N, width_m: 2, speed_limit_m_per_s: 2}\n"
         "fleets:\n" +
         fleets +
         "elements:\n"
         "  - {id: supply1, type: source, supply: unlimited, to: OP1}\n"
         "  - {id: OP1, type: station, processing: 10s, to: {via: H, to: SINK_E}, transfer_node: "
         "W}\n"
         "  - {id: SINK_E, type: sink, transfer_node: E}\n"
         "  - {id: supply2, type: source, supply: unlimited, to: OP2}\n"
         "  - {id: OP2, type: station, processing: 12s, to: {via: V, to: SINK_N}, transfer_node: "
         "S}\n"
         "  - {id: SINK_N, type: sink, transfer_node: N}\n";
}

// Which zones a vehicle's body is in at an instant, from its track alone: parked in the depot,
// none (a vehicle that parks at an instant is parked then, as the track says: the next may come
// out of the depot onto that node at the same instant); standing, the node it stands on; moving,
// every node of its route within half its length of its centre, and the edge its centre is
// strictly inside.
struct Occupancy {
  const PathNetwork& network;
  const TrackedVehicle& vehicle;
  std::size_t drive = 0;  // the first drive that had not ended at the last instant asked

  void zones_at(double t, std::vector<ZoneIndex>& out) {
    out.clear();
    const std::optional<FloorPose> pose = vehicle.track.pose_at(t);
    if (!pose) return;
    const auto drives = vehicle.track.drives();
    while (drive < drives.size() &&
           drives[drive].start_s + drives[drive].profile.total_time_s() <= t)
      ++drive;
    if (vehicle.track.moving_at(t)) {
      REQUIRE(drive < drives.size());
      const TrackDrive& d = drives[drive];
      REQUIRE(d.start_s <= t);
      const double x = d.profile.state_at(t - d.start_s).position_m;
      const double half = vehicle.length_m / 2;
      double s = 0.0;
      if (std::abs(x - s) < half) out.push_back(zone_of_node(d.route.steps.front().from));
      for (std::size_t i = 0; i < d.route.steps.size(); ++i) {
        const double next = d.step_end_m[i];
        if (s < x && x < next) out.push_back(zone_of_edge(network, d.route.steps[i].edge));
        if (std::abs(x - next) < half) out.push_back(zone_of_node(d.route.steps[i].to));
        s = next;
      }
      return;
    }
    const auto nodes = network.nodes();
    for (PathNodeIndex n = 0; n < nodes.size(); ++n) {
      if (std::abs(nodes[n].x_m - pose->x_m) < 1e-9 && std::abs(nodes[n].y_m - pose->y_m) < 1e-9)
        out.push_back(zone_of_node(n));
    }
    REQUIRE(out.size() == 1);
  }
};

struct ShareCheck {
  std::uint64_t instants = 0;
  std::uint64_t occupancies = 0;  // vehicle-zone pairs looked at
  std::uint64_t shared = 0;       // instants at which two vehicles were in one zone
};

// Runs `scene` with tracks, then looks at every vehicle's zones at every event time and every
// `step_s` seconds.
ShareCheck check_zones(const Scene& scene, double step_s) {
  LineRun run(scene, scene.seed(), 0);
  run.record_vehicle_tracks();
  std::set<double> instants;
  while (run.step())
    instants.insert(run.now());
  REQUIRE_FALSE(run.deadlock().has_value());
  for (double t = 0.0; t <= run.end_time(); t += step_s)
    instants.insert(t);
  const PathNetwork& network = *scene.paths();
  std::vector<Occupancy> vehicles;
  for (const TrackedVehicle& v : run.vehicle_tracks())
    vehicles.push_back({network, v});
  ShareCheck check;
  std::vector<std::uint32_t> seen_at(zone_count(network), 0);
  std::uint32_t mark = 0;
  std::vector<ZoneIndex> zones;
  for (double t : instants) {
    ++check.instants;
    ++mark;
    bool shared = false;
    for (Occupancy& v : vehicles) {
      v.zones_at(t, zones);
      check.occupancies += zones.size();
      for (ZoneIndex z : zones) {
        shared = shared || seen_at[z] == mark;
        seen_at[z] = mark;
      }
    }
    if (shared) ++check.shared;
  }
  return check;
}

}  // namespace

TEST_CASE("a vehicle waits for a crossing exactly until the other's body has left it") {
  const Scene scene = load_scene_text(crossing_yaml(), "crossing.yaml");
  LineRun run(scene, scene.seed(), 0);
  run.record_vehicle_tracks();
  const ReplicationResult r = run.run_to_end();
  // H's vehicle is parked at W, where OP1's first part is done at 10 s: it loads at once and
  // sets off at 15 s for E, 40 m through C. V's vehicle loads OP2's first part at S from 12 s and
  // would set off at 17 s for N through C, which H's holds. It sets off when H's gives C back:
  // when H's centre is past C (20 m into its drive) by half its length plus the largest
  // half-diagonal of a vehicle, 0.7 + hypot(1.4, 1) / 2 m. H's profile speeds up to 1.5 m/s
  // over v²/2a = 2.25 m in 3 s and cruises until 40 - 2.25 m, so it is there after 15 s plus
  // 3 + (that point - 2.25) / 1.5 s.
  const double released_at_m = 20.0 + 0.7 + std::hypot(1.4, 1.0) / 2;
  const double handed_back = 15.0 + 3.0 + (released_at_m - 2.25) / 1.5;
  const auto& tracks = run.vehicle_tracks();
  REQUIRE(tracks.size() == 2);
  REQUIRE(tracks[0].track.drives().size() == 1);
  REQUIRE(tracks[1].track.drives().size() == 1);
  CHECK(tracks[0].track.drives()[0].start_s == doctest::Approx(15.0).epsilon(1e-12));
  CHECK(std::abs(tracks[1].track.drives()[0].start_s - handed_back) < 1e-9);
  // The wait, 17 s to then, is V's only one: its share of the 40 s, and zone C's (node 0) count.
  const double waited = handed_back - 17.0;
  CHECK(r.fleets[1].vehicles[0].waiting_for_zone == doctest::Approx(waited / 40.0).epsilon(1e-9));
  CHECK(r.fleets[0].vehicles[0].waiting_for_zone == 0.0);
  REQUIRE(r.zones.size() == 5 + 4);
  CHECK(r.zones[0].waits == 1);
  CHECK(r.zones[0].wait_s == doctest::Approx(waited).epsilon(1e-9));
  for (std::size_t z = 1; z < r.zones.size(); ++z)
    CHECK(r.zones[z].waits == 0);
}

TEST_CASE("ten vehicles on a grid for 8 h never share a zone; without reservations they do") {
  const Scene scene = bundled_scene("tests/plant/scenes/agv_grid.yaml");
  REQUIRE(scene.fleets().front().vehicles == 10);
  const ShareCheck zoned = check_zones(scene, 0.25);
  MESSAGE("zones: " << zoned.instants << " instants, " << zoned.occupancies
                    << " vehicle-zone occupancies checked, " << zoned.shared << " shared");
  CHECK(zoned.instants > 8 * 3600 * 4);
  CHECK(zoned.occupancies > 100'000);
  CHECK(zoned.shared == 0);

  std::ifstream in(std::string(LINETWIN_SOURCE_DIR) + "/tests/plant/scenes/agv_grid.yaml");
  std::ostringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  const std::string home = "    home: HOME\n";
  REQUIRE(text.find(home) != std::string::npos);
  text.replace(text.find(home), home.size(), home + "    traffic: none\n");
  const Scene free_for_all = load_scene_text(text, "agv_grid.yaml");
  const ShareCheck none = check_zones(free_for_all, 0.25);
  MESSAGE("traffic: none: " << none.instants << " instants, " << none.shared << " shared");
  CHECK(none.shared > 0);
}

TEST_CASE("two vehicles each needing the node the other stands on are reported as a deadlock") {
  const Scene scene = bundled_scene("tests/plant/scenes/agv_deadlock.yaml");
  LineRun run(scene, scene.seed(), 0);
  const ReplicationResult r = run.run_to_end();
  REQUIRE(r.deadlock.has_value());
  const DeadlockResult& d = *r.deadlock;
  // Both stations finish at 10 s. Vehicle 1 sets off for A, sqrt(5² + 8²) = sqrt(89) m from
  // home; vehicle 2 for B once vehicle 1 has given home back, its centre half its length plus
  // the largest half-diagonal out, 0.6 + hypot(1.2, 1) / 2 m: at 1 m/s and 0.5 m/s² the first
  // 1 m takes 2 s, the rest at 1 m/s. Each drive speeds up over 1 m in 2 s, cruises
  // sqrt(89) - 2 m and brakes over 1 m in 2 s: sqrt(89) + 2 s. Vehicle 1 loads and waits at A
  // for B, where vehicle 2 is bound; vehicle 2 loads at B for 5 s and then needs A: the cycle
  // closes.
  const double second_sets_off = 10.0 + 2.0 + (0.6 + std::hypot(1.2, 1.0) / 2 - 1.0);
  const double closes = second_sets_off + std::sqrt(89.0) + 2.0 + 5.0;
  CHECK(d.time_s == doctest::Approx(closes).epsilon(1e-9));
  CHECK(d.cycle);
  CHECK(d.elements.empty());
  REQUIRE(d.vehicles.size() == 2);
  CHECK(d.vehicles[0].vehicle == 1);
  CHECK(d.vehicles[1].vehicle == 0);
  CHECK(d.vehicles[0].parts == 1);
  CHECK(d.vehicles[1].parts == 1);
  CHECK(d.vehicles[0].state == "AGV#2 at node B, loaded, waits for node A held by AGV#1");
  CHECK(d.vehicles[1].state == "AGV#1 at node A, loaded, waits for node B held by AGV#2");
}

TEST_CASE("traffic: takes zones or none, and names the field otherwise") {
  std::string text = crossing_yaml();
  text.replace(text.find("    home: S\n"), 11, "    home: S\n    traffic: lanes\n");
  CHECK_THROWS_WITH_AS(load_scene_text(text, "crossing.yaml"),
                       doctest::Contains("fleets[1].traffic"), InputError);
  CHECK_THROWS_WITH_AS(load_scene_text(text, "crossing.yaml"),
                       doctest::Contains("expected 'zones' or 'none', found 'lanes'"), InputError);
}
