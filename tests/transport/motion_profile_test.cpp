// Motion profiles against times worked out by hand: a trapezoid, a triangle, a slow segment in the
// middle of a route, braking that starts a segment early, and profiles that start or end moving.
// Each expected time is derived in the test from the kinematics of constant acceleration
// (distance to change speed from u to w at rate r: |w² - u²| / (2r), in time |w - u| / r).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "transport/motion_profile.hpp"

using namespace linetwin;

namespace {
constexpr double kExact = 1e-9;  // seconds or metres: the closed form is exact up to rounding

// position and speed at t agree with what the test derived.
void check_state(const MotionProfile& profile, double t, double position_m, double speed_m_per_s) {
  CAPTURE(t);
  const MotionState state = profile.state_at(t);
  CHECK(std::fabs(state.position_m - position_m) <= kExact);
  CHECK(std::fabs(state.speed_m_per_s - speed_m_per_s) <= kExact);
}
}  // namespace

TEST_CASE("a 20 m edge long enough for full speed arrives at L/v + v/(2a) + v/(2d)") {
  const MotionLimits limits{
      .max_speed_m_per_s = 1.6, .acceleration_m_per_s2 = 0.7, .deceleration_m_per_s2 = 0.9};
  const double v = 1.6, a = 0.7, d = 0.9, length = 20.0;
  // Speeding up and braking take v²/(2a) + v²/(2d) = 3.25 m, less than 20 m: a trapezoid.
  REQUIRE(length >= v * v / (2 * a) + v * v / (2 * d));
  const std::vector<MotionSegment> edge{{length, 2.5}};
  const MotionProfile profile(edge, limits);
  const double expected = length / v + v / (2 * a) + v / (2 * d);
  CHECK(std::fabs(profile.total_time_s() - expected) <= kExact);
  CHECK(std::fabs(profile.segment_end_s(0) - expected) <= kExact);
  CHECK(profile.total_length_m() == length);
  REQUIRE(profile.phases().size() == 3);

  // The breakpoints: full speed at v/a after covering v²/(2a); braking starts v²/(2d) before the
  // end, (L - v²/(2a) - v²/(2d)) / v later; halfway through speeding up, a t²/2 is covered.
  const double full_speed_s = v / a,
               braking_s = full_speed_s + (length - v * v / (2 * a) - v * v / (2 * d)) / v;
  check_state(profile, 0.0, 0.0, 0.0);
  check_state(profile, full_speed_s / 2, a * (full_speed_s / 2) * (full_speed_s / 2) / 2, v / 2);
  check_state(profile, full_speed_s, v * v / (2 * a), v);
  check_state(profile, braking_s, length - v * v / (2 * d), v);
  check_state(profile, braking_s + v / (2 * d), length - (v / 2) * (v / 2) / (2 * d), v / 2);
  check_state(profile, expected, length, 0.0);
  check_state(profile, expected + 100.0, length, 0.0);
  // The same breakpoints found from their positions.
  CHECK(std::fabs(profile.time_at(v * v / (2 * a)) - full_speed_s) <= kExact);
  CHECK(std::fabs(profile.time_at(length - v * v / (2 * d)) - braking_s) <= kExact);
  CHECK(profile.time_at(length) == profile.total_time_s());
  CHECK(profile.time_at(-1.0) == 0.0);
  check_state(profile, -1.0, 0.0, 0.0);
}

TEST_CASE("a 2 m edge too short for full speed arrives at sqrt(2L(a+d)/(ad))") {
  const MotionLimits limits{
      .max_speed_m_per_s = 1.6, .acceleration_m_per_s2 = 0.7, .deceleration_m_per_s2 = 0.9};
  const double v = 1.6, a = 0.7, d = 0.9, length = 2.0;
  REQUIRE(length < v * v / (2 * a) + v * v / (2 * d));
  const std::vector<MotionSegment> edge{{length, 2.5}};
  const MotionProfile profile(edge, limits);
  // A triangle: the peak p satisfies p²/(2a) + p²/(2d) = L, so p = sqrt(2adL/(a+d)), reached at
  // p/a, and the trip takes p/a + p/d = sqrt(2L(a+d)/(ad)).
  const double expected = std::sqrt(2 * length * (a + d) / (a * d));
  const double peak = std::sqrt(2 * a * d * length / (a + d));
  REQUIRE(peak < v);
  CHECK(std::fabs(profile.total_time_s() - expected) <= kExact);
  REQUIRE(profile.phases().size() == 2);
  check_state(profile, peak / a, peak * peak / (2 * a), peak);
  check_state(profile, expected, length, 0.0);
}

TEST_CASE("a slow segment in the middle: brake before it, cruise through it, speed up after") {
  // 10 m at 3 m/s, 4 m at 0.5 m/s, 10 m at 3 m/s for a vehicle of top speed 2 m/s (so 2 m/s
  // holds on the outer segments), a = 1, d = 0.5.
  const MotionLimits limits{
      .max_speed_m_per_s = 2.0, .acceleration_m_per_s2 = 1.0, .deceleration_m_per_s2 = 0.5};
  const std::vector<MotionSegment> route{{10.0, 3.0}, {4.0, 0.5}, {10.0, 3.0}};
  const MotionProfile profile(route, limits);
  // First: 0 -> 2 m/s over 4/2 = 2 m in 2 s; 2 -> 0.5 m/s over (4 - 0.25)/1 = 3.75 m in 3 s;
  // cruise 10 - 2 - 3.75 = 4.25 m at 2 m/s in 2.125 s: 7.125 s.
  const double first = 2.0 + 2.125 + 3.0;
  // Middle: 4 m at 0.5 m/s: 8 s.
  const double middle = 8.0;
  // Last: 0.5 -> 2 m/s over (4 - 0.25)/2 = 1.875 m in 1.5 s; 2 -> 0 over 4/1 = 4 m in 4 s;
  // cruise 10 - 1.875 - 4 = 4.125 m in 2.0625 s: 7.5625 s.
  const double last = 1.5 + 2.0625 + 4.0;
  CHECK(std::fabs(profile.segment_end_s(0) - first) <= kExact);
  CHECK(std::fabs(profile.segment_end_s(1) - (first + middle)) <= kExact);
  CHECK(std::fabs(profile.segment_end_s(2) - (first + middle + last)) <= kExact);
  CHECK(std::fabs(profile.total_time_s() - 22.6875) <= kExact);
  CHECK(profile.segment_end_speed_m_per_s(0) == 0.5);
  CHECK(profile.segment_end_speed_m_per_s(1) == 0.5);
  // Breakpoints: full speed at 2 s and 2 m; braking from 4.125 s at 6.25 m; the slow segment
  // entered at 10 m; the last segment's full speed at 15.125 + 1.5 s, 14 + 1.875 m.
  check_state(profile, 2.0, 2.0, 2.0);
  check_state(profile, 4.125, 6.25, 2.0);
  check_state(profile, first, 10.0, 0.5);
  check_state(profile, first + 4.0, 12.0, 0.5);
  check_state(profile, first + middle, 14.0, 0.5);
  check_state(profile, first + middle + 1.5, 15.875, 2.0);
  check_state(profile, first + middle + last - 4.0, 20.0, 2.0);
  check_state(profile, first + middle + last, 24.0, 0.0);
}

TEST_CASE("braking for a slow segment starts in an earlier segment when the one before is short") {
  // 3 m and 1 m at 2 m/s, then 4 m at 0.5 m/s; a = 1, d = 0.5. Braking from the 1 m segment's
  // start to 0.5 m/s at its end allows sqrt(0.5² + 2 d 1) = sqrt(1.25) m/s there, less than 2.
  const MotionLimits limits{
      .max_speed_m_per_s = 2.0, .acceleration_m_per_s2 = 1.0, .deceleration_m_per_s2 = 0.5};
  const std::vector<MotionSegment> route{{3.0, 2.0}, {1.0, 2.0}, {4.0, 0.5}};
  const MotionProfile profile(route, limits);
  const double handover = std::sqrt(1.25);
  CHECK(std::fabs(profile.segment_end_speed_m_per_s(0) - handover) <= kExact);
  // First segment: speeding up from 0 (p²/2) and braking to sqrt(1.25) ((p² - 1.25)/1) meet at
  // p²/2 + p² - 1.25 = 3, p² = 8.5/3 < 4 (a triangle); time p/a + (p - sqrt(1.25))/d.
  const double peak = std::sqrt(8.5 / 3.0);
  const double first = peak / 1.0 + (peak - handover) / 0.5;
  // Second: braking all the way, sqrt(1.25) -> 0.5 m/s. Third: cruise 3.75 m at 0.5 m/s (7.5 s),
  // then brake to 0 over 0.25 m in 1 s.
  const double second = (handover - 0.5) / 0.5;
  const double third = 7.5 + 1.0;
  CHECK(std::fabs(profile.segment_end_s(0) - first) <= kExact);
  CHECK(std::fabs(profile.segment_end_s(1) - (first + second)) <= kExact);
  CHECK(std::fabs(profile.total_time_s() - (first + second + third)) <= kExact);
  check_state(profile, peak, 8.5 / 3.0 / 2.0, peak);
}

TEST_CASE("splitting a segment at a point of equal limit changes nothing") {
  const MotionLimits limits{
      .max_speed_m_per_s = 1.5, .acceleration_m_per_s2 = 0.4, .deceleration_m_per_s2 = 0.6};
  const std::vector<MotionSegment> whole{{17.0, 1.5}};
  const std::vector<MotionSegment> split{{6.5, 1.5}, {3.0, 2.0}, {7.5, 1.5}};
  const MotionProfile one(whole, limits), three(split, limits);
  CHECK(std::fabs(one.total_time_s() - three.total_time_s()) <= kExact);
  for (double t = 0.0; t <= one.total_time_s() + 1.0; t += 0.37) {
    CAPTURE(t);
    CHECK(std::fabs(one.state_at(t).position_m - three.state_at(t).position_m) <= kExact);
    CHECK(std::fabs(one.state_at(t).speed_m_per_s - three.state_at(t).speed_m_per_s) <= kExact);
  }
}

TEST_CASE("position never decreases, is continuous and keeps to the limit of where it is") {
  const MotionLimits limits{
      .max_speed_m_per_s = 2.0, .acceleration_m_per_s2 = 0.8, .deceleration_m_per_s2 = 0.3};
  const std::vector<MotionSegment> route{
      {5.0, 2.0}, {0.7, 0.4}, {2.0, 1.1}, {9.0, 2.5}, {0.3, 0.2}};
  const MotionProfile profile(route, limits);
  auto limit_at = [&](double x) {  // the lower limit at a boundary, as the model has it
    double start = 0.0, limit = 1e300;
    for (const MotionSegment& s : route) {
      if (x >= start - 1e-12 && x <= start + s.length_m + 1e-12)
        limit = std::min(limit, std::min(s.speed_limit_m_per_s, 2.0));
      start += s.length_m;
    }
    return limit;
  };
  const int steps = 50000;
  const double dt = profile.total_time_s() / steps;
  MotionState previous = profile.state_at(0.0);
  for (int i = 1; i <= steps; ++i) {
    const MotionState state = profile.state_at(i * dt);
    REQUIRE(state.position_m >= previous.position_m);
    // Continuous: no jump beyond what the top speed covers in a step.
    REQUIRE(state.position_m - previous.position_m <= 2.0 * dt + 1e-12);
    // Speed changes no faster than the limits allow.
    REQUIRE(state.speed_m_per_s - previous.speed_m_per_s <= 0.8 * dt + 1e-12);
    REQUIRE(previous.speed_m_per_s - state.speed_m_per_s <= 0.3 * dt + 1e-12);
    REQUIRE(state.speed_m_per_s <= limit_at(state.position_m) + 1e-12);
    previous = state;
  }
  CHECK(previous.position_m == profile.total_length_m());
  CHECK(previous.speed_m_per_s == 0.0);
  // The phases tile the time without gaps.
  const auto phases = profile.phases();
  for (std::size_t i = 1; i < phases.size(); ++i) {
    CHECK(phases[i].start_s == phases[i - 1].end_s);
    CHECK(phases[i].start_m == phases[i - 1].end_m);
    CHECK(phases[i].end_s > phases[i].start_s);
  }
}

TEST_CASE("a profile may start and end moving") {
  // 10 m at 2 m/s from 1 m/s to 0.5 m/s, a = 1, d = 0.5: 1 -> 2 m/s over (4 - 1)/2 = 1.5 m in 1 s,
  // 2 -> 0.5 over 3.75 m in 3 s, cruise 10 - 5.25 = 4.75 m in 2.375 s.
  const MotionLimits limits{
      .max_speed_m_per_s = 2.0, .acceleration_m_per_s2 = 1.0, .deceleration_m_per_s2 = 0.5};
  const std::vector<MotionSegment> edge{{10.0, 2.0}};
  const MotionProfile profile(edge, limits, {.start_m_per_s = 1.0, .end_m_per_s = 0.5});
  CHECK(std::fabs(profile.total_time_s() - 6.375) <= kExact);
  check_state(profile, 0.0, 0.0, 1.0);
  check_state(profile, 1.0, 1.5, 2.0);
  check_state(profile, 6.375, 10.0, 0.5);
  check_state(profile, 7.0, 10.0, 0.5);  // the profile covers the route only
}

TEST_CASE("what cannot be driven is refused, saying why") {
  const MotionLimits limits{
      .max_speed_m_per_s = 2.0, .acceleration_m_per_s2 = 1.0, .deceleration_m_per_s2 = 0.5};
  const std::vector<MotionSegment> short_edge{{1.0, 2.0}};
  auto problem = [&](const std::vector<MotionSegment>& segments, MotionLimits l,
                     BoundarySpeeds speeds) {
    return MotionProfile::problem(segments, l, speeds).value_or("");
  };
  // From 2 m/s, braking to rest takes 4 / 1 = 4 m, more than 1 m.
  CHECK(problem(short_edge, limits, {2.0, 0.0}).find("can brake") != std::string::npos);
  CHECK_THROWS_AS(MotionProfile(short_edge, limits, {2.0, 0.0}), std::invalid_argument);
  // From rest, 1 m at a = 1 reaches sqrt(2) m/s, not 1.9.
  CHECK(problem(short_edge, limits, {0.0, 1.9}).find("can reach") != std::string::npos);
  CHECK(problem(short_edge, limits, {2.5, 0.0}).find("first segment's limit") != std::string::npos);
  CHECK(problem({{0.0, 1.0}}, limits, {}).find("segment 0: expected a length > 0") !=
        std::string::npos);
  CHECK(problem({{1.0, -1.0}}, limits, {}).find("speed limit > 0") != std::string::npos);
  MotionLimits no_brakes = limits;
  no_brakes.deceleration_m_per_s2 = 0.0;
  CHECK(problem(short_edge, no_brakes, {}).find("deceleration > 0") != std::string::npos);
  MotionLimits no_speed = limits;
  no_speed.max_speed_m_per_s = std::nan("");
  CHECK(no_speed.problem().value_or("").find("maximum speed > 0") != std::string::npos);
  CHECK_FALSE(MotionProfile::problem(short_edge, limits).has_value());
  // An empty route takes no time and stays at its start.
  const MotionProfile empty(std::vector<MotionSegment>{}, limits);
  CHECK(empty.total_time_s() == 0.0);
  check_state(empty, 5.0, 0.0, 0.0);
}
