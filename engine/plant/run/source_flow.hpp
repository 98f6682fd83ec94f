// Sources in a line run: arrivals by an inter-arrival distribution, by the orders of a sequence
// file at their release times, or an unlimited supply that always has a part ready. An arrival
// that its target refuses waits at the source (the arrival process pauses) or is lost.
//
// A source that follows a shift calendar makes no arrivals off shift: the time left to its next
// arrival waits for the next shift (the arrival clock stands still), orders due off shift are
// released in sequence when the shift begins, and an unlimited supply hands nothing over. An
// arrival already waiting to be taken when the shift ends is taken as usual.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/random_stream.hpp"
#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

struct SourceRun {
  ElementIndex element = kNoElement;
  Output output;
  const SourceSpec* spec = nullptr;
  RandomStream interarrival_rng;
  RandomStream mix_rng;
  std::size_t next_order = 0;
  Part held;
  std::uint32_t ticket = 0;
  TimeAverage blocked_time;  // 1 while an arrival waits to be taken (when_full: wait)
  std::uint64_t arrivals = 0;
  std::uint64_t lost = 0;
  bool on_shift = true;
  EventHandle arrival;           // the next arrival, while scheduled
  double arrival_left_s = -1.0;  // off shift: the time left to the next arrival; < 0: none

  // An unlimited supply that hands straight to one station, which pulls from it directly.
  bool supplies_directly() const {
    return spec->unlimited_supply && output.rule == RouteRule::kSingle;
  }
  // ... and does so now (on shift).
  bool supplies_now() const { return on_shift && supplies_directly(); }
  bool holds_an_arrival() const { return blocked_time.value() > 0.0; }
};

class SourceFlow {
 public:
  void build(const Scene& scene, std::uint64_t seed, std::uint32_t replication);
  SourceRun& at(std::uint32_t index) { return sources_[index]; }
  const SourceRun& at(std::uint32_t index) const { return sources_[index]; }
  std::size_t size() const { return sources_.size(); }

  // Time zero: unlimited supplies fill what they feed, the others schedule their first arrival.
  void start(Line& line);
  void on_arrival(Line& line, SourceRun& source);
  // A part from an unlimited supply, pulled by the station it feeds: it enters the line now.
  Part draw_supply(Line& line, SourceRun& source);

  // The source as a holder of a refused part: still waiting, its part taken, then released.
  bool holds(const SourceRun& source, const Holder& holder) const {
    return source.ticket == holder.ticket;
  }
  Part take_held(Line& line, SourceRun& source);
  void release_held(Line& line, SourceRun& source);
  void set_on_shift(Line& line, SourceRun& source, bool on_shift);

  void reset(double now);
  void write(double now, double observed_s, ReplicationResult& r) const;
  void transfer_state(StateStream& io, const Scene& scene);  // run_state.hpp

 private:
  ProductIndex next_product(SourceRun& source);
  void supply_unlimited(Line& line, SourceRun& source);
  void schedule_arrival(Line& line, SourceRun& source);
  std::vector<SourceRun> sources_;
};

}  // namespace linetwin::line_run
