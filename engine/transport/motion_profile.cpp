#include "transport/motion_profile.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace linetwin {

namespace {

bool positive_finite(double value) {
  return std::isfinite(value) && value > 0.0;
}

// A boundary speed handed over from another profile may exceed its cap by rounding; that much is
// accepted (and the cap raised to it) rather than refused.
bool within(double speed, double cap) {
  return speed <= cap + 1e-12 * std::max(1.0, cap);
}

// The backward pass: the highest speed at each boundary (start, then each segment's end) from
// which the vehicle can still brake for every limit ahead and for the end speed.
std::vector<double> brake_caps(std::span<const MotionSegment> segments, const MotionLimits& limits,
                               const BoundarySpeeds& speeds) {
  const std::size_t n = segments.size();
  auto limit = [&](std::size_t i) {
    return std::min(segments[i].speed_limit_m_per_s, limits.max_speed_m_per_s);
  };
  std::vector<double> cap(n + 1);
  cap[n] = speeds.end_m_per_s;
  for (std::size_t i = n; i-- > 0;) {
    const double brakeable = std::sqrt(cap[i + 1] * cap[i + 1] +
                                       2.0 * limits.deceleration_m_per_s2 * segments[i].length_m);
    // Between two segments the lower limit holds; at the start, only what braking allows.
    cap[i] = i == 0 ? brakeable : std::min({limit(i - 1), limit(i), brakeable});
  }
  return cap;
}

// The forward pass on top of the backward one: the speed actually reached at each boundary.
std::vector<double> boundary_speeds(std::span<const MotionSegment> segments,
                                    const MotionLimits& limits, const BoundarySpeeds& speeds) {
  std::vector<double> speed = brake_caps(segments, limits, speeds);
  speed[0] = speeds.start_m_per_s;
  for (std::size_t i = 1; i < speed.size(); ++i) {
    const double reachable =
        std::sqrt(speed[i - 1] * speed[i - 1] +
                  2.0 * limits.acceleration_m_per_s2 * segments[i - 1].length_m);
    speed[i] = std::min(speed[i], reachable);
  }
  return speed;
}

}  // namespace

std::optional<std::string> MotionLimits::problem() const {
  if (!positive_finite(max_speed_m_per_s))
    return fmt::format("expected a maximum speed > 0 m/s, found {}", max_speed_m_per_s);
  if (!positive_finite(acceleration_m_per_s2))
    return fmt::format("expected an acceleration > 0 m/s², found {}", acceleration_m_per_s2);
  if (!positive_finite(deceleration_m_per_s2))
    return fmt::format("expected a deceleration > 0 m/s², found {}", deceleration_m_per_s2);
  return std::nullopt;
}

std::optional<std::string> MotionProfile::problem(std::span<const MotionSegment> segments,
                                                  const MotionLimits& limits,
                                                  const BoundarySpeeds& speeds) {
  if (auto limits_problem = limits.problem()) return limits_problem;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!positive_finite(segments[i].length_m))
      return fmt::format("segment {}: expected a length > 0 m, found {}", i, segments[i].length_m);
    if (!positive_finite(segments[i].speed_limit_m_per_s))
      return fmt::format("segment {}: expected a speed limit > 0 m/s, found {}", i,
                         segments[i].speed_limit_m_per_s);
  }
  for (const double speed : {speeds.start_m_per_s, speeds.end_m_per_s}) {
    if (!std::isfinite(speed) || speed < 0.0)
      return fmt::format("expected start and end speeds >= 0 m/s, found {}", speed);
  }
  if (segments.empty()) {
    if (speeds.start_m_per_s != 0.0 || speeds.end_m_per_s != 0.0)
      return "expected start and end speeds of 0 m/s on an empty route";
    return std::nullopt;
  }
  const double first = std::min(segments.front().speed_limit_m_per_s, limits.max_speed_m_per_s);
  const double last = std::min(segments.back().speed_limit_m_per_s, limits.max_speed_m_per_s);
  if (!within(speeds.start_m_per_s, first))
    return fmt::format(
        "expected a start speed within the first segment's limit of {} m/s, found {}", first,
        speeds.start_m_per_s);
  if (!within(speeds.end_m_per_s, last))
    return fmt::format("expected an end speed within the last segment's limit of {} m/s, found {}",
                       last, speeds.end_m_per_s);
  const double brakeable = brake_caps(segments, limits, speeds)[0];
  if (!within(speeds.start_m_per_s, brakeable))
    return fmt::format(
        "expected a start speed of at most {} m/s, from which the vehicle can brake for the limits "
        "ahead, found {}",
        brakeable, speeds.start_m_per_s);
  const double reachable = boundary_speeds(segments, limits, speeds).back();
  if (!within(speeds.end_m_per_s, reachable))
    return fmt::format(
        "expected an end speed of at most {} m/s, which the vehicle can reach, found {}", reachable,
        speeds.end_m_per_s);
  return std::nullopt;
}

MotionProfile::MotionProfile(std::span<const MotionSegment> segments, const MotionLimits& limits,
                             const BoundarySpeeds& speeds) {
  if (auto why = problem(segments, limits, speeds)) throw std::invalid_argument(*why);
  boundary_speed_ =
      segments.empty() ? std::vector<double>{0.0} : boundary_speeds(segments, limits, speeds);
  // The end speed is kept as given where rounding let it exceed the reachable one a little.
  if (!segments.empty()) boundary_speed_.back() = speeds.end_m_per_s;
  phases_.reserve(3 * segments.size());
  segment_end_s_.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const double limit = std::min(segments[i].speed_limit_m_per_s, limits.max_speed_m_per_s);
    plan_segment(segments[i], limit, boundary_speed_[i], boundary_speed_[i + 1], limits);
    length_m_ += segments[i].length_m;
    // The segment ends where the sum of the lengths says, whatever the phases' rounding.
    if (!phases_.empty()) phases_.back().end_m = length_m_;
    segment_end_s_.push_back(total_time_s());
  }
}

void MotionProfile::plan_segment(const MotionSegment& segment, double limit, double entry,
                                 double exit, const MotionLimits& limits) {
  const double a = limits.acceleration_m_per_s2;
  const double d = limits.deceleration_m_per_s2;
  const double length = segment.length_m;
  // Where accelerating from the entry speed meets braking to the exit speed (the passes make it
  // lie within the segment; the clamp only absorbs rounding).
  const double meet =
      std::clamp((exit * exit - entry * entry + 2.0 * d * length) / (2.0 * (a + d)), 0.0, length);
  const double peak_squared = entry * entry + 2.0 * a * meet;
  if (peak_squared < limit * limit) {  // triangular: accelerate, then brake
    const double peak = std::sqrt(peak_squared);
    add_phase((peak - entry) / a, meet, entry, peak, a);
    add_phase((peak - exit) / d, length - meet, peak, exit, -d);
    return;
  }
  const double accelerating = (limit * limit - entry * entry) / (2.0 * a);
  const double braking = (limit * limit - exit * exit) / (2.0 * d);
  const double cruising = std::max(0.0, length - accelerating - braking);
  add_phase((limit - entry) / a, accelerating, entry, limit, a);
  add_phase(cruising / limit, cruising, limit, limit, 0.0);
  add_phase((limit - exit) / d, braking, limit, exit, -d);
}

void MotionProfile::add_phase(double duration_s, double length_m, double start_speed,
                              double end_speed, double acceleration) {
  if (!(duration_s > 0.0)) return;
  const double start_s = total_time_s();
  const double start_m = phases_.empty() ? 0.0 : phases_.back().end_m;
  phases_.push_back({.start_s = start_s,
                     .end_s = start_s + duration_s,
                     .start_m = start_m,
                     .end_m = start_m + length_m,
                     .start_speed_m_per_s = start_speed,
                     .end_speed_m_per_s = end_speed,
                     .acceleration_m_per_s2 = acceleration});
}

MotionState MotionProfile::state_at(double t_s) const {
  if (phases_.empty() || t_s <= 0.0) return {0.0, boundary_speed_.front()};
  if (t_s >= total_time_s()) return {length_m_, boundary_speed_.back()};
  const auto next = std::upper_bound(phases_.begin(), phases_.end(), t_s,
                                     [](double t, const MotionPhase& p) { return t < p.start_s; });
  const MotionPhase& p = *(next - 1);
  const double acc = p.acceleration_m_per_s2;
  // Each form below only grows with t in floating point (products and sums of non-negative terms
  // that grow), and the clamps keep it within the phase, so positions never go back.
  if (acc >= 0.0) {
    const double tau = t_s - p.start_s;
    return {std::min(p.end_m, p.start_m + tau * (p.start_speed_m_per_s + 0.5 * acc * tau)),
            std::min(p.end_speed_m_per_s, p.start_speed_m_per_s + acc * tau)};
  }
  // Braking is written back from the phase's end, where the speed is known and may be zero.
  const double sigma = p.end_s - t_s;
  return {std::max(p.start_m, p.end_m - sigma * (p.end_speed_m_per_s - 0.5 * acc * sigma)),
          std::min(p.start_speed_m_per_s, p.end_speed_m_per_s - acc * sigma)};
}

double MotionProfile::time_at(double position_m) const {
  if (phases_.empty() || position_m <= 0.0) return 0.0;
  if (position_m >= length_m_) return total_time_s();
  // The first phase that ends at or beyond the position; every phase moves (its speed is zero at
  // most at one of its ends), so the vehicle passes each position once.
  const auto phase = std::lower_bound(phases_.begin(), phases_.end(), position_m,
                                      [](const MotionPhase& p, double x) { return p.end_m < x; });
  const MotionPhase& p = *phase;
  // Solving Δx = u τ + acc τ² / 2 as τ = 2 Δx / (u + sqrt(u² + 2 acc Δx)), which needs no
  // subtraction of near-equal terms. Speeding up, it is solved back from the phase's end (u is the
  // end speed, acc negated), braking or cruising from its start: either way every term moves one
  // way as the position grows, so the time never goes back in floating point, and u > 0.
  if (p.acceleration_m_per_s2 > 0.0) {
    const double left = std::max(0.0, p.end_m - position_m);
    const double u = p.end_speed_m_per_s;
    const double root = std::sqrt(std::max(0.0, u * u - 2.0 * p.acceleration_m_per_s2 * left));
    return std::max(p.start_s, p.end_s - 2.0 * left / (u + root));
  }
  const double covered = std::max(0.0, position_m - p.start_m);
  const double u = p.start_speed_m_per_s;
  const double root = std::sqrt(std::max(0.0, u * u + 2.0 * p.acceleration_m_per_s2 * covered));
  return std::min(p.end_s, p.start_s + 2.0 * covered / (u + root));
}

}  // namespace linetwin
