// The collision audit on tracks made in the test, against times and places worked out by hand:
// two vehicles crossing a plus-shaped network at the same time touch once (the first report within
// one check period after the first touch), and offset in time they do not; a vehicle passing an
// element clears it or touches it by the sign of the clearance; checks are made only while
// something moves, as many as the moving time and the rate say; the same tracks give the same
// report, and scenes/agv_cell.yaml's aisles and stops clear its elements.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "physics/collision_audit.hpp"
#include "test_scenes.hpp"

using namespace linetwin;

namespace {

constexpr double kRateHz = 20.0;
constexpr double kPeriodS = 1.0 / kRateHz;
// Each vehicle: 1 m long, 0.6 m wide; at most 1 m/s, speeding up and braking at 0.5 m/s².
constexpr double kLengthM = 1.0;
constexpr double kWidthM = 0.6;
constexpr MotionLimits kLimits{
    .max_speed_m_per_s = 1.0, .acceleration_m_per_s2 = 0.5, .deceleration_m_per_s2 = 0.5};

// A plus: W (-10, 0) and E (10, 0), S (0, -10) and N (0, 10), all joined at C (0, 0) by 10 m
// edges, 2 m wide, limited to 1 m/s.
PathNetwork plus_network() {
  PathNetworkBuilder builder;
  builder.node("C", 0, 0).node("W", -10, 0).node("E", 10, 0).node("S", 0, -10).node("N", 0, 10);
  for (const char* end : {"W", "E", "S", "N"}) {
    builder.edge({.from = "C", .to = end, .length_m = {}, .width_m = 2, .speed_limit_m_per_s = 1});
  }
  return builder.build();
}

// From rest to rest over 20 m: 1 m and 2 s to reach 1 m/s, 18 m cruising, 1 m and 2 s braking,
// 22 s in all. The distance covered `tau` seconds after setting off, while cruising.
constexpr double kCrossingS = 22.0;
double cruising_time_at(double distance_m) {
  return 2.0 + (distance_m - 1.0) / 1.0;
}

// A track that stands at `from` from time 0, drives to `to` from `start_s`, and stands there.
VehicleTrack track_across(const PathNetwork& network, const char* from, const char* to,
                          double start_s) {
  const PathNodeIndex a = *network.find_node(from);
  const PathNodeIndex b = *network.find_node(to);
  const auto route = network.fastest_route(a, b, {.max_speed_m_per_s = 1, .width_m = kWidthM});
  REQUIRE(route);
  VehicleTrack track;
  track.stand(0.0, a, network);
  track.drive(start_s, *route, MotionProfile(network.motion_segments(*route), kLimits), network);
  track.stand(start_s + track.drives().back().profile.total_time_s(), b, network);
  return track;
}

AuditedVehicle vehicle(const std::string& id, const VehicleTrack& track) {
  return {.id = id, .track = &track, .length_m = kLengthM, .width_m = kWidthM};
}

// The number of checks of one moving stretch of `duration_s`: every period from its start while
// before its end (ceil(duration x rate)), and one at its end.
std::uint64_t checks_in(double duration_s) {
  return static_cast<std::uint64_t>(std::ceil(duration_s * kRateHz)) + 1;
}

std::string report(const CollisionAuditResult& result) {
  std::string text = fmt::format("{} checks\n", result.checks);
  for (const CollisionContact& c : result.contacts) {
    text += fmt::format("{} {} {} {} {}\n", c.time_s, c.body_a, c.body_b, c.x_m, c.y_m);
  }
  return text;
}

}  // namespace

TEST_CASE("two vehicles crossing at the same time touch once, within a period of the first touch") {
  REQUIRE(std::fabs(MotionProfile(std::vector<MotionSegment>{{20.0, 1.0}}, kLimits).total_time_s() -
                    kCrossingS) < 1e-9);
  const PathNetwork plus = plus_network();
  // A drives W -> E from 0 s; B drives S -> N from 1.03 s (a start off the check grid).
  const double b_start_s = 1.03;
  const VehicleTrack a = track_across(plus, "W", "E", 0.0);
  const VehicleTrack b = track_across(plus, "S", "N", b_start_s);
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", a), vehicle("AGV#2", b)};
  const CollisionAuditResult result = audit_collisions(vehicles, {}, {.rate_hz = kRateHz});

  // A lies along x, B along y: they overlap while both centres are within (length + width) / 2 of
  // C, that is 10 -/+ 0.8 m along their routes, while cruising. A is there over (10.2, 11.8) s,
  // B over 1.03 s later: the first touch is when B arrives, (11.23 s), the last when A leaves.
  const double reach_m = (kLengthM + kWidthM) / 2;
  const double first_touch_s = b_start_s + cruising_time_at(10.0 - reach_m);
  const double last_touch_s = cruising_time_at(10.0 + reach_m);
  REQUIRE(first_touch_s < last_touch_s);
  REQUIRE(result.contacts.size() == 1);
  const CollisionContact& contact = result.contacts.front();
  CHECK(contact.body_a == "AGV#1");
  CHECK(contact.body_b == "AGV#2");
  CHECK(contact.time_s >= first_touch_s);
  CHECK(contact.time_s <= first_touch_s + kPeriodS);
  // Where: inside both footprints at that time (B's front has just come into A's side).
  const double a_x = -10.0 + (contact.time_s - 2.0 + 1.0);
  const double b_y = -10.0 + (contact.time_s - b_start_s - 2.0 + 1.0);
  CHECK(std::fabs(contact.x_m - a_x) <= kLengthM / 2 + 1e-9);
  CHECK(std::fabs(contact.x_m) <= kWidthM / 2 + 1e-9);
  CHECK(std::fabs(contact.y_m) <= kWidthM / 2 + 1e-9);
  CHECK(std::fabs(contact.y_m - b_y) <= kLengthM / 2 + 1e-9);
  // One moving stretch, from A's start to B's end.
  CHECK(result.checks == checks_in(b_start_s + kCrossingS));

  SUBCASE("the same tracks give the same report, to the byte") {
    CHECK(report(audit_collisions(vehicles, {}, {.rate_hz = kRateHz})) == report(result));
  }
}

TEST_CASE(
    "the same crossing offset in time by more than the time a vehicle takes to cross: no contact") {
  const PathNetwork plus = plus_network();
  // A is within reach of C for 1.6 s; B starting 5 s later comes when A is 3.4 s gone.
  const VehicleTrack a = track_across(plus, "W", "E", 0.0);
  const VehicleTrack b = track_across(plus, "S", "N", 5.0);
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", a), vehicle("AGV#2", b)};
  const CollisionAuditResult result = audit_collisions(vehicles, {}, {.rate_hz = kRateHz});
  CHECK(result.contacts.empty());
  CHECK(result.checks == checks_in(5.0 + kCrossingS));
}

TEST_CASE("a vehicle passing an element clears it or touches it by the sign of the clearance") {
  const PathNetwork plus = plus_network();
  const VehicleTrack a = track_across(plus, "W", "E", 0.0);
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", a)};
  // A station's footprint (2 m x 1.5 m) beside the W-E aisle at x = 0, `clearance_m` from the
  // vehicle's side (y = 0.3 m): its centre at y = 0.3 + clearance + 0.75.
  const auto station_at = [](double clearance_m) {
    return AuditedObstacle{
        .id = "OP10",
        .footprint = {.centre = {.x_m = 0.0, .y_m = kWidthM / 2 + clearance_m + 0.75},
                      .length_m = 2.0,
                      .width_m = 1.5}};
  };
  for (const double clearance_m : {0.05, 0.001}) {
    CAPTURE(clearance_m);
    const std::vector<AuditedObstacle> obstacles{station_at(clearance_m)};
    CHECK(audit_collisions(vehicles, obstacles, {.rate_hz = kRateHz}).contacts.empty());
  }
  for (const double clearance_m : {-0.05, -0.001}) {
    CAPTURE(clearance_m);
    const std::vector<AuditedObstacle> obstacles{station_at(clearance_m)};
    const CollisionAuditResult result = audit_collisions(vehicles, obstacles, {.rate_hz = kRateHz});
    REQUIRE(result.contacts.size() == 1);
    const CollisionContact& contact = result.contacts.front();
    CHECK(contact.body_a == "AGV#1");
    CHECK(contact.body_b == "OP10");
    // The vehicle's front (0.5 m ahead of its centre) reaches the station's end at x = -1 m when
    // its centre has come 8.5 m.
    const double first_touch_s = cruising_time_at(8.5);
    CHECK(contact.time_s >= first_touch_s);
    CHECK(contact.time_s <= first_touch_s + kPeriodS);
    // Where: in the strip where the two overlap, between the station's side and the vehicle's.
    CHECK(contact.y_m >= kWidthM / 2 + clearance_m - 1e-9);
    CHECK(contact.y_m <= kWidthM / 2 + 1e-9);
    CHECK(contact.x_m >= -1.0 - 1e-9);
  }
}

TEST_CASE("a contact is reported once per episode, not once per check") {
  const PathNetwork plus = plus_network();
  // Two stations that reach 5 cm into the aisle, at x = -4 and x = 4: two episodes. A third at E,
  // where the vehicle ends its drive and then stands overlapping it while B drives on: still one.
  const auto beside = [](const char* id, double x_m, double y_m) {
    return AuditedObstacle{
        .id = id,
        .footprint = {.centre = {.x_m = x_m, .y_m = y_m}, .length_m = 2.0, .width_m = 1.5}};
  };
  const std::vector<AuditedObstacle> obstacles{beside("OP10", -4.0, 1.0), beside("OP20", 4.0, 1.0),
                                               beside("OP30", 10.0, -1.0)};
  const VehicleTrack a = track_across(plus, "W", "E", 0.0);
  const VehicleTrack b = track_across(plus, "S", "N", 30.0);
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", a), vehicle("AGV#2", b)};
  const CollisionAuditResult result = audit_collisions(vehicles, obstacles, {.rate_hz = kRateHz});
  REQUIRE(result.contacts.size() == 3);
  CHECK(result.contacts[0].body_b == "OP10");
  CHECK(result.contacts[1].body_b == "OP20");
  CHECK(result.contacts[2].body_b == "OP30");
  // OP30 reaches 5 cm into the aisle at E: the vehicle's side touches it once its front is 1 m
  // short of E (OP30 spans x from 9 to 11), at 8.5 m + 10 m along its route.
  CHECK(result.contacts[2].time_s >= cruising_time_at(18.5));
  CHECK(result.contacts[2].time_s <= cruising_time_at(18.5) + kPeriodS);
  CHECK(result.checks == 2 * checks_in(kCrossingS));
}

TEST_CASE("checks are made only while something moves: none in a still stretch, none at all") {
  const PathNetwork plus = plus_network();
  // W -> E from 0 s, stands 1000 s at E, E -> W from 1022 s (the vehicle turned round).
  VehicleTrack track = track_across(plus, "W", "E", 0.0);
  const PathNodeIndex e = *plus.find_node("E");
  const PathNodeIndex w = *plus.find_node("W");
  const auto back = plus.fastest_route(e, w, {.max_speed_m_per_s = 1, .width_m = kWidthM});
  REQUIRE(back);
  track.drive(kCrossingS + 1000.0, *back, MotionProfile(plus.motion_segments(*back), kLimits),
              plus);
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", track)};
  const CollisionAuditResult result = audit_collisions(vehicles, {}, {.rate_hz = kRateHz});
  // 44 s of driving at 20 Hz, 880 checks, and one at each drive's end; none in the 1000 s still.
  CHECK(result.checks == 2 * checks_in(kCrossingS));
  CHECK(result.checks == static_cast<std::uint64_t>(2 * kCrossingS * kRateHz) + 2);

  SUBCASE("a rate of 7 Hz: ceil(22 x 7) + 1 per drive") {
    CHECK(audit_collisions(vehicles, {}, {.rate_hz = 7.0}).checks == 2 * (154 + 1));
  }
  SUBCASE("no check after the end given: the first drive alone, cut at 10 s") {
    CHECK(audit_collisions(vehicles, {}, {.rate_hz = kRateHz, .until_s = 10.0}).checks ==
          checks_in(10.0));
  }
  SUBCASE("vehicles that only stand, or stay parked: no check") {
    VehicleTrack standing;
    standing.stand(0.0, w, plus);
    const VehicleTrack parked;
    const std::vector<AuditedVehicle> still{vehicle("AGV#1", standing), vehicle("AGV#2", parked)};
    // Both on W's node: they would overlap, but nothing moves, so nothing is checked.
    VehicleTrack also_standing;
    also_standing.stand(0.0, w, plus);
    const std::vector<AuditedVehicle> together{vehicle("AGV#1", standing),
                                               vehicle("AGV#2", also_standing)};
    CHECK(audit_collisions(still, {}, {.rate_hz = kRateHz}).checks == 0);
    CHECK(audit_collisions(together, {}, {.rate_hz = kRateHz}).checks == 0);
  }
}

TEST_CASE("a parked vehicle is off the floor: no contact with what stands where it parked") {
  const PathNetwork plus = plus_network();
  VehicleTrack a = track_across(plus, "W", "E", 0.0);
  a.park(kCrossingS);  // off the aisles the instant it arrives at E
  VehicleTrack b = track_across(plus, "N", "E", 30.0);  // then B drives to E and stands there
  const std::vector<AuditedVehicle> vehicles{vehicle("AGV#1", a), vehicle("AGV#2", b)};
  CHECK(audit_collisions(vehicles, {}, {.rate_hz = kRateHz}).contacts.empty());
}

TEST_CASE("a rate that is not positive and finite, or a vehicle without a track, is refused") {
  const std::vector<AuditedVehicle> none;
  for (const double rate : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN()}) {
    CHECK_THROWS_AS(audit_collisions(none, {}, {.rate_hz = rate}), std::invalid_argument);
  }
  const std::vector<AuditedVehicle> trackless{{.id = "AGV#1"}};
  CHECK_THROWS_AS(audit_collisions(trackless, {}, {}), std::invalid_argument);
}

TEST_CASE("element footprints: the viewer's sizes at each element's pose, turned by its yaw") {
  const Scene cell = test::bundled_scene("scenes/agv_cell.yaml");
  const std::vector<AuditedObstacle> obstacles = element_obstacles(cell);
  REQUIRE(obstacles.size() == cell.elements().size());
  const ElementIndex prep_index = *cell.find("PREP");
  const AuditedObstacle& prep = obstacles[prep_index];
  CHECK(prep.id == "PREP");
  CHECK(prep.footprint.length_m == 2.0);  // assets/models/station.obj: 2.0 m x 1.5 m
  CHECK(prep.footprint.width_m == 1.5);
  CHECK(prep.footprint.centre.x_m == cell.element(prep_index).pose.x_m);
  CHECK(prep.footprint.centre.y_m == cell.element(prep_index).pose.y_m);
  CHECK(obstacles[*cell.find("B_MILL")].footprint.length_m == 1.2);
  CHECK(obstacles[*cell.find("shipping")].footprint.width_m == 1.0);

  const Scene turned = load_scene_text(R"(linetwin_scene: 1
name: turned
elements:
  - {id: in, type: source, supply: unlimited, to: belt}
  - {id: belt, type: conveyor, length_m: 6, speed_m_per_s: 0.5, spacing_m: 1, to: out,
     pose: {x: 3, y: 2, yaw_deg: 90}}
  - {id: out, type: sink}
)",
                                       "turned.yaml");
  const FloorBox belt = element_footprint(turned, turned.element(*turned.find("belt")));
  CHECK(belt.length_m == 6.0);
  CHECK(belt.width_m == 0.8);
  CHECK(belt.centre.heading_rad == doctest::Approx(std::numbers::pi / 2));
  // Turned a quarter, the belt spans y from -1 to 5 and x from 2.6 to 3.4: a vehicle driving
  // along y at x = 1.9 (its side at 2.2) clears it by 0.4 m; one at x = 2.4 (its side at 2.7)
  // reaches 0.1 m over it.
  const PathNetwork aisle =
      PathNetworkBuilder()
          .node("A", 1.9, -5)
          .node("B", 1.9, 10)
          .node("C", 2.4, -5)
          .node("D", 2.4, 10)
          .edge({.from = "A", .to = "B", .length_m = {}, .width_m = 1, .speed_limit_m_per_s = 1})
          .edge({.from = "C", .to = "D", .length_m = {}, .width_m = 1, .speed_limit_m_per_s = 1})
          .build();
  const std::vector<AuditedObstacle> belt_only{{.id = "belt", .footprint = belt}};
  const VehicleTrack clear = track_across(aisle, "A", "B", 0.0);
  const VehicleTrack touching = track_across(aisle, "C", "D", 0.0);
  CHECK(audit_collisions(std::vector<AuditedVehicle>{vehicle("AGV#1", clear)}, belt_only, {})
            .contacts.empty());
  CHECK(audit_collisions(std::vector<AuditedVehicle>{vehicle("AGV#1", touching)}, belt_only, {})
            .contacts.size() == 1);
}

TEST_CASE(
    "scenes/agv_cell.yaml: a vehicle on every aisle, in every direction, clears the elements") {
  // Every edge driven alone, in each direction it may be driven, from standing at one node to
  // standing at the other: the vehicle's footprint along each aisle and at each stop, with each
  // heading it can arrive with, against every element's default footprint.
  const Scene cell = test::bundled_scene("scenes/agv_cell.yaml");
  REQUIRE(cell.paths());
  const PathNetwork& paths = *cell.paths();
  const FleetSpec& fleet = cell.fleets().front();
  const std::vector<AuditedObstacle> obstacles = element_obstacles(cell);
  const MotionLimits limits = fleet.vehicle.motion;
  int drives = 0;
  for (PathEdgeIndex i = 0; i < paths.edges().size(); ++i) {
    const PathEdge& edge = paths.edges()[i];
    std::vector<RouteStep> directions{{.edge = i, .from = edge.from, .to = edge.to}};
    if (edge.two_way) directions.push_back({.edge = i, .from = edge.to, .to = edge.from});
    for (const RouteStep& step : directions) {
      CAPTURE(paths.nodes()[step.from].id);
      CAPTURE(paths.nodes()[step.to].id);
      const PathRoute route{.steps = {step}, .travel_time_s = 0.0, .length_m = edge.length_m};
      VehicleTrack track;
      track.stand(0.0, step.from, paths);
      track.drive(1.0, route, MotionProfile(paths.motion_segments(route), limits), paths);
      track.stand(1.0 + track.drives().back().profile.total_time_s(), step.to, paths);
      const std::vector<AuditedVehicle> vehicles{{.id = "AGV#1",
                                                  .track = &track,
                                                  .length_m = fleet.vehicle.length_m,
                                                  .width_m = fleet.vehicle.width_m}};
      const CollisionAuditResult result = audit_collisions(vehicles, obstacles, {});
      CHECK(result.checks > 0);
      CHECK(report(result) == fmt::format("{} checks\n", result.checks));
      ++drives;
    }
  }
  CHECK(drives >= static_cast<int>(paths.edges().size()));  // each edge at least once
}

TEST_CASE("a load wider than its vehicle touches what the vehicle clears, only while carried") {
  // A load 1.2 m wide on the 0.6 m vehicle reaches 0.3 m further each side. A station 0.1 m from
  // the vehicle's side is 0.2 m inside the load's: loaded, the load touches it when the load's
  // front (as long as the vehicle, 0.5 m ahead of the centre) reaches the station's end, as the
  // vehicle's own front would; empty, nothing touches. The vehicle never touches its own load.
  const PathNetwork plus = plus_network();
  const AuditedObstacle station{
      .id = "OP10",
      .footprint = {.centre = {.x_m = 0.0, .y_m = kWidthM / 2 + 0.1 + 0.75},
                    .length_m = 2.0,
                    .width_m = 1.5}};
  for (const bool loaded : {true, false}) {
    CAPTURE(loaded);
    VehicleTrack track = track_across(plus, "W", "E", 0.0);
    if (loaded) track.carry(0.0, true);
    AuditedVehicle carrier = vehicle("AGV#1", track);
    carrier.load_length_m = kLengthM;
    carrier.load_width_m = 1.2;
    const std::vector<AuditedVehicle> vehicles{carrier};
    const std::vector<AuditedObstacle> obstacles{station};
    const CollisionAuditResult result = audit_collisions(vehicles, obstacles, {.rate_hz = kRateHz});
    CHECK(result.checks == checks_in(kCrossingS));
    if (!loaded) {
      CHECK(result.contacts.empty());
      continue;
    }
    REQUIRE(result.contacts.size() == 1);
    const CollisionContact& contact = result.contacts.front();
    CHECK(contact.body_a == "AGV#1 load");
    CHECK(contact.body_b == "OP10");
    CHECK(contact.time_s >= cruising_time_at(8.5));
    CHECK(contact.time_s <= cruising_time_at(8.5) + kPeriodS);
  }
}
