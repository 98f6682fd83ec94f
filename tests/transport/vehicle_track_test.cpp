// A vehicle's track against poses worked out by hand: parked off the aisles, standing at a node,
// along an L-shaped route of two edges (the motion profile's position laid on each edge's chord),
// standing again with the heading it arrived with, and parked again.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "transport/vehicle_track.hpp"

using namespace linetwin;

namespace {
constexpr double kExact = 1e-9;

PathNetwork l_shaped_aisle() {
  // A (0,0) -> B (10,0) -> C (10,5): a straight edge and a curved one of 6 m over a 5 m chord.
  return PathNetworkBuilder()
      .node("A", 0, 0)
      .node("B", 10, 0)
      .node("C", 10, 5)
      .edge({.from = "A",
             .to = "B",
             .length_m = {},
             .width_m = 2,
             .speed_limit_m_per_s = 1,
             .two_way = true})
      .edge({.from = "B",
             .to = "C",
             .length_m = 6.0,
             .width_m = 2,
             .speed_limit_m_per_s = 1,
             .two_way = true})
      .build();
}
}  // namespace

TEST_CASE("a track places the vehicle exactly along its route and where it stands") {
  const PathNetwork aisle = l_shaped_aisle();
  const MotionLimits limits{
      .max_speed_m_per_s = 1, .acceleration_m_per_s2 = 0.5, .deceleration_m_per_s2 = 0.5};
  const auto route = aisle.fastest_route(0, 2, {.max_speed_m_per_s = 1, .width_m = 1});
  REQUIRE(route);
  REQUIRE(route->steps.size() == 2);
  const auto segments = aisle.motion_segments(*route);
  MotionProfile profile(segments, limits);
  // 16 m at 1 m/s, 1 m to speed up and 1 m to brake, each in 2 s: 14 s cruising, 18 s in all.
  REQUIRE(std::fabs(profile.total_time_s() - 18.0) <= kExact);

  VehicleTrack track;
  track.stand(5.0, 0, aisle);
  track.drive(10.0, *route, profile, aisle);
  track.park(40.0);

  CHECK_FALSE(track.pose_at(0.0).has_value());  // parked in the depot before it came on
  const auto standing = track.pose_at(7.0);
  REQUIRE(standing);
  CHECK(standing->x_m == 0.0);
  CHECK(standing->y_m == 0.0);
  CHECK_FALSE(track.moving_at(7.0));

  // 12 s into the drive: 1 m speeding up in 2 s, then 10 s at 1 m/s: 11 m along, 1 m up the
  // curved edge, which is 1/6 of its length: 5/6 m up its chord, heading +y.
  const auto curve = track.pose_at(22.0);
  REQUIRE(curve);
  CHECK(std::fabs(curve->x_m - 10.0) <= kExact);
  CHECK(std::fabs(curve->y_m - 5.0 / 6.0) <= kExact);
  CHECK(std::fabs(curve->heading_rad - std::numbers::pi / 2) <= kExact);
  CHECK(track.moving_at(22.0));

  // 4 s into the drive: 1 m + 2 m, on the first edge, heading +x.
  const auto straight = track.pose_at(14.0);
  REQUIRE(straight);
  CHECK(std::fabs(straight->x_m - 3.0) <= kExact);
  CHECK(straight->y_m == 0.0);
  CHECK(straight->heading_rad == 0.0);

  // After the drive it stands at C, still heading +y, until it parks.
  const auto arrived = track.pose_at(35.0);
  REQUIRE(arrived);
  CHECK(std::fabs(arrived->x_m - 10.0) <= kExact);
  CHECK(std::fabs(arrived->y_m - 5.0) <= kExact);
  CHECK(std::fabs(arrived->heading_rad - std::numbers::pi / 2) <= kExact);
  CHECK_FALSE(track.moving_at(35.0));
  CHECK_FALSE(track.pose_at(41.0).has_value());
  CHECK(track.drives().size() == 1);
}

TEST_CASE("a track refuses entries out of order or from the wrong place") {
  const PathNetwork aisle = l_shaped_aisle();
  const auto route = aisle.fastest_route(0, 1, {.max_speed_m_per_s = 1, .width_m = 1});
  REQUIRE(route);
  const MotionProfile profile(aisle.motion_segments(*route), {});
  VehicleTrack parked;
  CHECK_THROWS_AS(parked.drive(0.0, *route, profile, aisle), std::invalid_argument);
  VehicleTrack elsewhere;
  elsewhere.stand(0.0, 2, aisle);
  CHECK_THROWS_AS(elsewhere.drive(1.0, *route, profile, aisle), std::invalid_argument);
  VehicleTrack early;
  early.stand(0.0, 0, aisle);
  early.drive(1.0, *route, profile, aisle);
  CHECK_THROWS_AS(early.stand(1.5, 1, aisle), std::invalid_argument);  // still driving
  CHECK_THROWS_AS(early.park(0.5), std::invalid_argument);
}

TEST_CASE("a track says whether the vehicle carries a load, from its loading to its unloading") {
  VehicleTrack track;
  CHECK_FALSE(track.loaded_at(0.0));  // it starts the run empty
  track.carry(10.0, true);
  track.carry(40.0, false);
  track.carry(40.0, true);  // unloaded and loaded again at one instant: loaded from then on
  track.carry(70.0, false);
  CHECK_FALSE(track.loaded_at(9.999));
  CHECK(track.loaded_at(10.0));
  CHECK(track.loaded_at(39.999));
  CHECK(track.loaded_at(40.0));
  CHECK(track.loaded_at(69.999));
  CHECK_FALSE(track.loaded_at(70.0));
  CHECK_FALSE(track.loaded_at(1e9));
  // Loaded twice, unloaded empty, or back in time: the caller's mistake.
  CHECK_THROWS_AS(track.carry(80.0, false), std::invalid_argument);
  track.carry(80.0, true);
  CHECK_THROWS_AS(track.carry(90.0, true), std::invalid_argument);
  CHECK_THROWS_AS(track.carry(79.0, false), std::invalid_argument);
}
