// The trajectory sampler against rows worked out by hand: a vehicle that stands, drives 10 m
// (1 m speeding up in 2 s at 0.5 m/s², 8 m at 1 m/s, 1 m braking in 2 s: 12 s), stands again
// and parks, sampled at 2 Hz.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "recording/trajectory_sampler.hpp"

namespace linetwin {

TEST_CASE("trajectory sampler: moving rows at every instant, one row per stop or parking") {
  const PathNetwork aisle = PathNetworkBuilder()
                                .node("A", 0, 0)
                                .node("B", 10, 0)
                                .edge({.from = "A",
                                       .to = "B",
                                       .length_m = {},
                                       .width_m = 2,
                                       .speed_limit_m_per_s = 2,
                                       .two_way = true})
                                .build();
  const auto route = aisle.fastest_route(0, 1, {.max_speed_m_per_s = 1, .width_m = 1});
  REQUIRE(route);
  const MotionProfile profile(
      aisle.motion_segments(*route),
      {.max_speed_m_per_s = 1, .acceleration_m_per_s2 = 0.5, .deceleration_m_per_s2 = 0.5});
  REQUIRE(std::fabs(profile.total_time_s() - 12.0) < 1e-12);

  std::vector<TrackedVehicle> vehicles(1);
  vehicles[0].track.stand(0.0, 0, aisle);
  vehicles[0].track.drive(1.0, *route, profile, aisle);  // moves during [1, 13)
  vehicles[0].track.park(20.0);
  constexpr std::int64_t kStart = 1'000'000;
  TrajectorySampler sampler(vehicles, 2.0, kStart);
  std::vector<BodyPose> rows;
  sampler.sample_until(7.0, false, rows);  // instants 0, 0.5, ..., 6.5
  sampler.sample_until(30.0, true, rows);  // 7, ..., 30
  // Its load (body 1), never carried, is parked: one row, at instant 0.
  const auto load_rows =
      std::count_if(rows.begin(), rows.end(), [](const BodyPose& row) { return row.body == 1; });
  CHECK(load_rows == 1);
  std::erase_if(rows, [](const BodyPose& row) { return row.body == 1; });

  // Instant 0: standing at A. Instants 1, 1.5, ..., 12.5: moving (24 rows). 13: standing at B.
  // 20: parked. Nothing else: a still vehicle repeats no row.
  REQUIRE(rows.size() == 1 + 24 + 1 + 1);
  CHECK(rows[0].state == BodyState::kStanding);
  CHECK(rows[0].timestamp_us == kStart);
  for (std::size_t i = 1; i <= 24; ++i) {
    const double t = 0.5 + 0.5 * static_cast<double>(i);
    CAPTURE(t);
    CHECK(rows[i].state == BodyState::kMoving);
    CHECK(rows[i].timestamp_us == kStart + std::llround(t * 1e6));
    const double tau = t - 1.0;
    const double expected = tau <= 2    ? 0.25 * tau * tau
                            : tau <= 10 ? 1.0 + (tau - 2.0)
                                        : 10.0 - 0.25 * (12.0 - tau) * (12.0 - tau);
    CHECK(std::fabs(rows[i].x_m - expected) < 1e-9);
    CHECK(rows[i].y_m == 0.0);
  }
  CHECK(rows[25].state == BodyState::kStanding);
  CHECK(rows[25].timestamp_us == kStart + 13'000'000);
  CHECK(rows[25].x_m == 10.0);
  CHECK(rows[26].state == BodyState::kParked);
  CHECK(rows[26].timestamp_us == kStart + 20'000'000);
}

TEST_CASE("trajectory sampler: the instant at the end of a stretch waits for the next call") {
  const PathNetwork aisle = PathNetworkBuilder().node("A", 0, 0).build();
  std::vector<TrackedVehicle> vehicles(1);
  vehicles[0].track.stand(0.0, 0, aisle);
  TrajectorySampler sampler(vehicles, 1.0, 0);
  std::vector<BodyPose> rows;
  sampler.sample_until(3.0, false, rows);
  std::erase_if(rows, [](const BodyPose& row) { return row.body == 1; });  // its load, parked
  REQUIRE(rows.size() == 1);    // instants 0, 1, 2: standing once
  vehicles[0].track.park(3.0);  // an event at the end of the stretch, after it was sampled
  sampler.sample_until(3.0, true, rows);
  std::erase_if(rows, [](const BodyPose& row) { return row.body == 1; });
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].state == BodyState::kParked);
  CHECK(rows[1].timestamp_us == 3'000'000);
}

namespace {

// Two vehicles on one aisle, and a physics belt of 6 m at a 1 m pitch (6 places) before OP1.
std::string fleet_and_belt_scene(const std::string& belt_mode) {
  return "linetwin_scene: 1\n"
         "name: fleet and belt\n"
         "run: {duration: 1h}\n"
         "paths:\n"
         "  nodes:\n"
         "    - {id: A, x_m: 0, y_m: 0}\n"
         "    - {id: B, x_m: 10, y_m: 0}\n"
         "    - {id: HOME, x_m: 5, y_m: -8}\n"
         "  edges:\n"
         "    - {from: A, to: B, width_m: 2, speed_limit_m_per_s: 1}\n"
         "    - {from: HOME, to: A, width_m: 2, speed_limit_m_per_s: 1}\n"
         "fleets:\n"
         "  - id: AGV\n"
         "    home: HOME\n"
         "    vehicles: 2\n"
         "    vehicle: {max_speed_m_per_s: 1, acceleration_m_per_s2: 0.5,\n"
         "              deceleration_m_per_s2: 0.5, width_m: 1, length_m: 1.2, load_time: 5s,\n"
         "              unload_time: 5s}\n"
         "elements:\n"
         "  - {id: supply, type: source, supply: unlimited, to: C1}\n"
         "  - {id: C1, type: conveyor, length_m: 6, speed_m_per_s: 0.5, spacing_m: 1, mode: " +
         belt_mode +
         ", to: OP1}\n"
         "  - {id: OP1, type: station, processing: 10s, to: {via: AGV, to: SINK},\n"
         "     transfer_node: A}\n"
         "  - {id: SINK, type: sink, transfer_node: B}\n";
}

}  // namespace

TEST_CASE("recorded bodies: the belt places start at first_belt_part, after the vehicles' loads") {
  const RecordedBodies physics =
      recorded_bodies(load_scene_text(fleet_and_belt_scene("physics"), "cell.yaml"));
  // AGV#1, AGV#2, their two loads, then C1's six places.
  REQUIRE(physics.bodies.size() == 2 + 2 + 6);
  CHECK(physics.first_belt_part == 4);
  CHECK(physics.bodies[3].id == "AGV#2 load");
  CHECK(physics.bodies[4].id == "C1 part 1");
  CHECK(physics.bodies[9].id == "C1 part 6");
  // An event belt has no places: the first would come after the last body.
  const RecordedBodies event =
      recorded_bodies(load_scene_text(fleet_and_belt_scene("event"), "cell.yaml"));
  CHECK(event.bodies.size() == 4);
  CHECK(event.first_belt_part == 4);
}

}  // namespace linetwin
