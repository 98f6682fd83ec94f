// MotionProfile: how a vehicle moves along a route, exactly. A vehicle with a top speed v, an
// acceleration a and a deceleration d drives a route of segments (each with its length and speed
// limit) from a start speed to an end speed, at rest unless told otherwise. The profile is the
// time-optimal one under those limits, in closed form: no time step, so an arrival is an event at
// its exact time and a pose at any time is exact for the collision audit.
//
// Model: the speed limit of a segment holds over the whole segment, its ends included, so a
// vehicle enters a slower segment already at its limit and speeds up only once it has left it.
// Working in w = speed², which is linear in position while the acceleration is constant, the
// fastest profile is the lowest of the limits reachable from the start (accelerating at a) and
// able to stop for every limit ahead (braking at d):
//  - boundary speeds: a backward pass caps the speed at each segment boundary by what can still
//    brake to the next boundary's cap, B_i = min(b_i, sqrt(B_{i+1}² + 2 d L_{i+1})); a forward
//    pass caps it by what can be reached from the previous one, F_i = min(B_i, sqrt(F_{i-1}² +
//    2 a L_i)). Braking for a slow segment may so start several segments before it.
//  - within a segment of length L, limit c, entry speed s and exit speed e: w(x) = min(s² + 2 a x,
//    c², e² + 2 d (L - x)). Where the rising and falling lines meet below c², at x* = (e² - s² +
//    2 d L) / (2 (a + d)), the segment is triangular (accelerate, then brake); otherwise it is
//    trapezoidal: accelerate over (c² - s²) / (2a), cruise, brake over (c² - e²) / (2d).
// The result is a list of phases of constant acceleration (a, 0 or -d); position and speed at a
// time come from the phase it falls in (found by binary search).
//
// Start and end speeds other than zero are for the reservation logic to come: a vehicle that
// holds the next zone in time drives on without stopping (a profile that ends at speed) and the
// next leg starts at that speed; one that must wait at a zone boundary plans to stop there (end
// speed zero). A profile that starts at a speed must be able to brake for every limit ahead and
// for its end speed, and one that ends at a speed must be able to reach it: the constructor
// refuses what cannot be driven (problem() says why).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linetwin {

// A vehicle's limits of motion. problem() says what is wrong in "expected ..., found ..." form,
// for the scene reader to attach its file and field to.
struct MotionLimits {
  double max_speed_m_per_s = 1.0;
  double acceleration_m_per_s2 = 1.0;
  double deceleration_m_per_s2 = 1.0;
  std::optional<std::string> problem() const;
};

// One stretch of a route with a constant speed limit (an edge of the path network, or part of one).
struct MotionSegment {
  double length_m = 0.0;
  double speed_limit_m_per_s = 0.0;
};

// The speeds at the route's start and end; both zero for a trip from rest to rest.
struct BoundarySpeeds {
  double start_m_per_s = 0.0;
  double end_m_per_s = 0.0;
};

// A stretch of constant acceleration (positive, zero or negative), from its start to its end.
struct MotionPhase {
  double start_s = 0.0;
  double end_s = 0.0;
  double start_m = 0.0;
  double end_m = 0.0;
  double start_speed_m_per_s = 0.0;
  double end_speed_m_per_s = 0.0;
  double acceleration_m_per_s2 = 0.0;
};

struct MotionState {
  double position_m = 0.0;
  double speed_m_per_s = 0.0;
};

class MotionProfile {
 public:
  // What makes the route impossible to drive under these limits, or nothing: bad limits, a
  // segment whose length or speed limit is not positive and finite, a boundary speed above its
  // segment's limit or the vehicle's top speed, a start speed too high to brake in time for what
  // lies ahead, an end speed that cannot be reached. Phrased "expected ..., found ...".
  static std::optional<std::string> problem(std::span<const MotionSegment> segments,
                                            const MotionLimits& limits,
                                            const BoundarySpeeds& speeds = {});

  // Plans the route; throws std::invalid_argument with problem()'s text when it cannot be driven
  // (the caller's mistake: a scene's limits are validated where they are read). An empty route is
  // a profile of no time that stays at position 0 (its speeds must then be zero).
  MotionProfile(std::span<const MotionSegment> segments, const MotionLimits& limits,
                const BoundarySpeeds& speeds = {});

  double total_time_s() const { return phases_.empty() ? 0.0 : phases_.back().end_s; }
  double total_length_m() const { return length_m_; }
  // When the vehicle reaches the end of segment i (the last one's is total_time_s()).
  double segment_end_s(std::size_t segment) const { return segment_end_s_.at(segment); }
  // The speed at the end of segment i, as the two passes fixed it.
  double segment_end_speed_m_per_s(std::size_t segment) const {
    return boundary_speed_.at(segment + 1);
  }
  std::size_t segment_count() const { return segment_end_s_.size(); }

  // Position along the route and speed at time t (seconds since the start). The position never
  // decreases with t and is continuous; before 0 the vehicle is at the start, from total_time_s()
  // on at the end (at the end speed, which is zero for a trip from rest to rest).
  MotionState state_at(double t_s) const;
  // The first time the vehicle is at a position along the route (when its front enters or leaves
  // a zone, for the reservations to come): 0 at or before the start, total_time_s() at or past
  // the end. It never decreases with the position.
  double time_at(double position_m) const;
  // The phases in order of time, without gaps; none of zero duration.
  std::span<const MotionPhase> phases() const { return phases_; }

 private:
  void add_phase(double duration_s, double length_m, double start_speed, double end_speed,
                 double acceleration);
  void plan_segment(const MotionSegment& segment, double limit, double entry, double exit,
                    const MotionLimits& limits);

  std::vector<MotionPhase> phases_;
  std::vector<double> boundary_speed_;  // at the start of the route and at each segment's end
  std::vector<double> segment_end_s_;
  double length_m_ = 0.0;
};

}  // namespace linetwin
