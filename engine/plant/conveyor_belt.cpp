#include "plant/conveyor_belt.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/state_stream.hpp"

namespace linetwin {

std::optional<std::string> conveyor_problem(const ConveyorSpec& spec) {
  // Written so that NaN fails every check.
  if (!(std::isfinite(spec.length_m) && spec.length_m > 0.0))
    return fmt::format("expected a finite length_m > 0, found {}", spec.length_m);
  if (!(std::isfinite(spec.speed_m_per_s) && spec.speed_m_per_s > 0.0))
    return fmt::format("expected a finite speed_m_per_s > 0, found {}", spec.speed_m_per_s);
  if (!(spec.spacing_m > 0.0 && spec.spacing_m <= spec.length_m))
    return fmt::format("expected spacing_m > 0 and <= length_m ({} m), found {}", spec.length_m,
                       spec.spacing_m);
  return std::nullopt;
}

namespace {
std::uint32_t capacity_of(const ConveyorSpec& spec) {
  // L / s can land just below a whole number (0.3 / 0.1 = 2.9999999999999996), which would lose a
  // part; a relative allowance of 1e-9 (a nanometre per metre) is far below any real tolerance.
  const double pitches = std::floor(spec.length_m / spec.spacing_m * (1.0 + 1e-9));
  const double most = std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(std::clamp(pitches, 1.0, most));
}
}  // namespace

ConveyorBelt::ConveyorBelt(const ConveyorSpec& spec)
    : spec_(spec),
      transit_s_(spec.length_m / spec.speed_m_per_s),
      spacing_time_s_(spec.spacing_m / spec.speed_m_per_s),
      capacity_(capacity_of(spec)) {
  assert(!conveyor_problem(spec));
}

double ConveyorBelt::stopped_time_s(double now) const {
  return completed_stops_s_ + (stopped_ ? now - stopped_since_s_ : 0.0);
}

double ConveyorBelt::entry_free_at(double now) const {
  if (parts() == 0) return now;
  if (parts() >= capacity_) return kNever;
  // When the last part is s in if the belt keeps moving (see the top of the header for why
  // nothing ahead of it can hold it up first).
  const double free_at = last_load_belt_time_s_ + spacing_time_s_ + completed_stops_s_;
  // Comparing times rather than positions gives a stopped belt the answer it had while moving.
  if (stopped_) return free_at <= stopped_since_s_ ? now : kNever;
  return std::max(now, free_at);
}

void ConveyorBelt::load(double now) {
  assert(entry_free_at(now) <= now);
  last_load_belt_time_s_ = (stopped_ ? stopped_since_s_ : now) - completed_stops_s_;
  load_belt_time_s_.push_back(last_load_belt_time_s_);
}

double ConveyorBelt::head_at_exit_at(double) const {
  if (parts() == 0 || stopped_) return kNever;
  const double free_arrival = load_belt_time_s_.front() + transit_s_ + completed_stops_s_;
  // On an accumulating belt the head may have queued behind the part before it, which let it go
  // only on leaving. On a non-accumulating belt the spacing holds anyway.
  if (spec_.accumulating) return std::max(free_arrival, last_departure_s_ + spacing_time_s_);
  return free_arrival;
}

void ConveyorBelt::head_blocked(double now) {
  assert(head_is_at_exit(now));
  if (spec_.accumulating || stopped_) return;
  stopped_ = true;
  stopped_since_s_ = now;
}

void ConveyorBelt::unload(double now) {
  assert(head_is_at_exit(now));
  load_belt_time_s_.pop_front();
  last_departure_s_ = now;
  if (stopped_) {
    completed_stops_s_ += now - stopped_since_s_;
    stopped_ = false;
  }
}

// From the formulas at the top of the header: a non-accumulating belt carries every part at the
// same belt time; on an accumulating one a part moves freely until it is one spacing behind the
// part ahead, and the head stands at the exit, or one spacing behind the part that left last.
void ConveyorBelt::positions(double now, std::vector<double>& out) const {
  out.clear();
  const double length = spec_.length_m;
  const double speed = spec_.speed_m_per_s;
  const double belt_now = (stopped_ ? stopped_since_s_ : now) - completed_stops_s_;
  double ahead = length + spec_.spacing_m;  // so that the head is capped at the exit
  if (spec_.accumulating) ahead = std::min(ahead, length + speed * (now - last_departure_s_));
  for (std::size_t k = 0; k < load_belt_time_s_.size(); ++k) {
    double x = std::min(length, speed * (belt_now - load_belt_time_s_.at(k)));
    if (spec_.accumulating) x = std::min(x, ahead - spec_.spacing_m);
    x = std::max(0.0, x);
    out.push_back(x);
    ahead = x;
  }
}

void ConveyorBelt::transfer_state(StateStream& io) {
  const std::size_t n = io.count(parts(), capacity_, 8, "belt_parts");
  if (io.reading()) load_belt_time_s_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    double t = io.reading() ? 0.0 : load_belt_time_s_.at(i);
    io.value(t);
    if (io.reading()) load_belt_time_s_.push_back(t);
  }
  io.value(last_load_belt_time_s_);
  io.value(last_departure_s_);
  io.value(stopped_);
  io.value(stopped_since_s_);
  io.value(completed_stops_s_);
}

}  // namespace linetwin
