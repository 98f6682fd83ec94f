// ConveyorBelt: when parts on one conveyor belt reach its exit, and when its entry has room for
// another part. A pure timing model: it knows neither the event calendar nor what the parts are;
// the element that owns it schedules an event at head_at_exit_at() and loads when entry_free_at()
// says so, and asks again after every load, head_blocked() and unload(), which change both answers.
//
// Geometry: a belt of length L moving at speed v carries parts from its entry (position 0) to its
// exit (position L); a part's position is that of its front. Parts keep at least one spacing s
// (the pitch, front to front) apart. Each part takes up one pitch of belt, so at most
// floor(L / s) parts are on the belt at once (the capacity); a full belt refuses the next part
// even where a queue standing at the exit would leave a spacing free at the entry (when s divides
// L exactly). Every part moves at v or stands still; on a free belt it reaches the exit L / v
// after it was loaded.
//
// Accumulating belt: the belt keeps running under parts that stand. Part k, loaded at t_k, is at
//   x_k(t) = min(v (t - t_k), x_{k-1}(t) - s),
// so it moves freely until it is one spacing behind the part ahead, waits, and moves on as soon as
// that part moves. The head stands at L until it is unloaded; after its departure at d it is at
// L + v (t - d). Part j therefore reaches the exit at
//   a_j = max(t_j + L / v, d_{j-1} + s / v),
// which needs only the last departure time. The entry is free once the last part is s in, which
// is always s / v after it was loaded (unless the belt is full): the part ahead of it was at least
// s in when it was loaded, and if it stands, it stands in the queue at the exit (one part every s
// back from L), no closer to the entry than L - (capacity - 2) s >= 2 s. So the last part is never
// held up before it is s in, and an unload frees the entry sooner only by making room on a full
// belt.
//
// Non-accumulating belt: the parts are carried along together, and the whole belt stops while the
// head stands at the exit unable to leave. Belt time b advances only while the belt moves, so part
// k, loaded at belt time b_k, is at v (b - b_k) and reaches the exit at b = b_k + L / v. The
// entry is free once the belt has moved s / v of belt time since the last load; a stopped belt
// with the last part less than s in frees its entry only after an unload restarts it. The
// spacing between parts never changes, so a departure never holds up the next part.
//
// Times are simulated seconds. Belt time is kept as time less the completed stops, so on a belt
// that has not stopped it equals time, and a free belt's arrivals are exactly load time + L / v.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/fifo_queue.hpp"

namespace linetwin {

class StateStream;

// How a run moves a conveyor's parts: by this file's timing model, or as rigid bodies on a belt
// in a physics simulation (plant/conveyor_physics.hpp, docs/physics.md).
enum class ConveyorMode : std::uint8_t { kEvent, kPhysics };

// The width of a belt, across it: the conveyor's footprint on the floor, and the widest part a
// physics conveyor carries.
inline constexpr double kConveyorWidth_m = 0.8;

struct ConveyorSpec {
  double length_m = 10.0;
  double speed_m_per_s = 0.5;
  double spacing_m = 1.0;  // pitch: the least distance from the front of one part to the next's
  // Accumulating: parts queue up at the exit while the belt keeps moving under them.
  // Non-accumulating: the whole belt stops while the part at the exit cannot leave.
  bool accumulating = true;
  ConveyorMode mode = ConveyorMode::kEvent;
  // A physics conveyor's part: a box's length (along the belt), width and height. All zero: the
  // default, one pitch long, half a pitch high and half a pitch (at most kConveyorWidth_m) wide.
  std::array<double, 3> part_size_m{};
  // Where the scene file says `mode: physics` (1-based; 0 when unknown), so that a run that cannot
  // simulate physics names that line. Not part of the model: where, not what.
  int mode_line = 0;
};

// What is wrong with a spec, said as what was expected and what was found; nullopt if it is fine.
std::optional<std::string> conveyor_problem(const ConveyorSpec& spec);

class ConveyorBelt {
 public:
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  // The spec must be valid (conveyor_problem() returns nullopt): validate user input first.
  explicit ConveyorBelt(const ConveyorSpec& spec);

  const ConveyorSpec& spec() const { return spec_; }
  // Time from loading at the entry to reaching the exit on a free belt: L / v.
  double transit_s() const { return transit_s_; }
  // The most parts on the belt at once: floor(L / s), at least 1.
  std::uint32_t capacity() const { return capacity_; }
  // Parts loaded and not yet unloaded.
  std::size_t parts() const { return load_belt_time_s_.size(); }
  // A non-accumulating belt standing still while its head waits at the exit.
  bool stopped() const { return stopped_; }
  // Total time the belt has stood still up to `now` (always 0 for an accumulating belt).
  double stopped_time_s(double now) const;

  // Earliest time >= now at which a part may be loaded, if no part leaves the exit before then
  // (and, for a non-accumulating belt, it keeps moving until then). kNever when only an unload
  // can free the entry: the belt is full, or it is stopped with the last part less than s in.
  double entry_free_at(double now) const;
  // Puts a part at the entry. Precondition: entry_free_at(now) <= now.
  void load(double now);

  // When the head (the first part on the belt) reaches the exit if nothing else changes; <= now
  // once it stands there. kNever when the belt is empty or stopped.
  double head_at_exit_at(double now) const;
  // The head is at the exit and could not be handed over: a non-accumulating belt stops until
  // the head is unloaded; on an accumulating belt the head simply stays there. Repeat calls are
  // harmless.
  void head_blocked(double now);
  // The head leaves at the exit (precondition: it is there); a stopped belt moves again.
  void unload(double now);
  // Where each part on the belt is at `now` (no earlier than the last change), metres from the
  // entry, head first: what a viewer draws.
  void positions(double now, std::vector<double>& out) const;

  // Saves or restores the belt's parts and stops (a saved run, core/state_stream.hpp).
  void transfer_state(StateStream& io);

 private:
  bool head_is_at_exit(double now) const {
    return parts() > 0 && (stopped_ || head_at_exit_at(now) <= now);
  }

  ConveyorSpec spec_;
  double transit_s_;        // L / v
  double spacing_time_s_;   // s / v: the time the belt takes to move one spacing
  std::uint32_t capacity_;  // floor(L / s)
  // Per part on the belt, head first: belt time when it was loaded (time less completed stops).
  FifoQueue<double> load_belt_time_s_;
  double last_load_belt_time_s_ = 0.0;
  double last_departure_s_ = -kNever;  // holds up the next head on an accumulating belt
  bool stopped_ = false;
  double stopped_since_s_ = 0.0;
  double completed_stops_s_ = 0.0;  // stops that have ended; the current one is not counted
};

}  // namespace linetwin
