// Motion profiles of random routes against an independent statement of the optimum: the fastest
// speed at a position x is the lowest of (a) the limit where x is and (b) every boundary's cap
// (start speed, end speed, the lower limit of two neighbouring segments) carried to x at the rate
// the vehicle can change speed, w(x) = min over boundaries y of cap² + 2a(x - y) for y <= x and
// cap² + 2d(y - x) for y >= x, in w = speed². That lower envelope is itself drivable, so a
// profile is optimal exactly when its speed meets it everywhere. Also: time_at inverts state_at.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random_stream.hpp"
#include "transport/motion_profile.hpp"

using namespace linetwin;

namespace {
struct Trip {
  std::vector<MotionSegment> route;
  MotionLimits limits;
  BoundarySpeeds speeds;
};

double between(RandomStream& rng, double low, double high) {
  return low + (high - low) * rng.uniform01();
}

Trip random_trip(RandomStream& rng) {
  Trip trip;
  trip.limits = {between(rng, 0.3, 2.5), between(rng, 0.1, 2.0), between(rng, 0.1, 2.0)};
  const int segments = 1 + static_cast<int>(rng.uniform01() * 6);
  for (int i = 0; i < segments; ++i)
    trip.route.push_back({between(rng, 0.05, 15.0), between(rng, 0.1, 3.0)});
  // A third of the trips start or end moving, where that can be driven.
  if (rng.uniform01() < 1.0 / 3.0) {
    const BoundarySpeeds moving{between(rng, 0.0, 1.0) * trip.route.front().speed_limit_m_per_s,
                                between(rng, 0.0, 1.0) * trip.route.back().speed_limit_m_per_s};
    if (!MotionProfile::problem(trip.route, trip.limits, moving)) trip.speeds = moving;
  }
  return trip;
}

// The envelope in w = speed² at position x, computed from the limits alone.
double envelope(const Trip& trip, double x) {
  const MotionLimits& l = trip.limits;
  auto limit = [&](std::size_t i) {
    return std::min(trip.route[i].speed_limit_m_per_s, l.max_speed_m_per_s);
  };
  double w = 1e300, y = 0.0;
  for (std::size_t k = 0; k <= trip.route.size(); ++k) {
    const double cap = k == 0                   ? trip.speeds.start_m_per_s
                       : k == trip.route.size() ? trip.speeds.end_m_per_s
                                                : std::min(limit(k - 1), limit(k));
    w = std::min(w, cap * cap + (y <= x ? 2 * l.acceleration_m_per_s2 * (x - y)
                                        : 2 * l.deceleration_m_per_s2 * (y - x)));
    if (k < trip.route.size()) {
      if (x > y && x < y + trip.route[k].length_m) w = std::min(w, limit(k) * limit(k));
      y += trip.route[k].length_m;
    }
  }
  return w;
}
}  // namespace

TEST_CASE("random routes: the speed meets the envelope of all limits everywhere") {
  RandomStream rng(14, "transport", "envelope", 0);
  for (int trial = 0; trial < 300; ++trial) {
    const Trip trip = random_trip(rng);
    CAPTURE(trial);
    const MotionProfile profile(trip.route, trip.limits, trip.speeds);
    const double total = profile.total_time_s();
    CHECK(total >= profile.total_length_m() / trip.limits.max_speed_m_per_s);
    double previous_time = -1.0;
    for (int i = 0; i <= 1000; ++i) {
      const double t = total * i / 1000.0;
      const MotionState state = profile.state_at(t);
      const double w = envelope(trip, state.position_m);
      REQUIRE(std::fabs(state.speed_m_per_s * state.speed_m_per_s - w) <= 1e-9 * (1.0 + w));
      // time_at finds the time of a position again, and never goes back.
      const double found = profile.time_at(state.position_m);
      REQUIRE(std::fabs(profile.state_at(found).position_m - state.position_m) <= 1e-9);
      REQUIRE(found >= previous_time);
      previous_time = found;
    }
    double end_m = 0.0;
    for (std::size_t s = 0; s < trip.route.size(); ++s) {
      end_m += trip.route[s].length_m;
      CHECK(std::fabs(profile.state_at(profile.segment_end_s(s)).position_m - end_m) <= 1e-9);
      CHECK(std::fabs(profile.time_at(end_m) - profile.segment_end_s(s)) <= 1e-9);
    }
  }
}
