// How parts move between the elements of a line run, whatever their kind: by *offers*. An element
// offers a part to a target chosen by its route, which takes it or refuses it. A refused part
// stays where it is and its holder (a station server that has finished, a source, or a conveyor's
// exit) is put on the waiting list of the element that refused it. When that element frees a
// place, it takes from its waiting list in first-come order. This one mechanism gives blocking
// after service, direct hand-over (a buffer of capacity 0), sources that wait or lose arrivals,
// and an unlimited supply in front of a buffer. A holder routed "first free" waits on every
// target's list at once; a ticket makes the entries it leaves behind stale once one target has
// taken its part. Hand-overs happen in zero simulated time and cascade within one event.
//
// This is also where the element kinds are registered: each operation below switches over
// ElementType to the part that runs elements of that kind (BufferFlow, StationFlow, ...). A new
// kind is a new part (its own files) and a case in each of these switches.
#pragma once

#include <cstdint>
#include <vector>

#include "core/fifo_queue.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

class PartFlow {
 public:
  void build(const Scene& scene);
  // WIP limits mark where they start and end (WipLimits::build) before the kinds are built.
  std::vector<Node>& nodes() { return nodes_; }
  const Node& node(ElementIndex element) const { return nodes_[element]; }
  FifoQueue<Holder>& waiting(ElementIndex element) { return waiting_[element]; }
  const FifoQueue<Holder>& waiting(ElementIndex element) const { return waiting_[element]; }

  // Offers `part` to `to`; true when taken.
  bool offer(Line& line, const Link& to, Part& part);
  // Hands `part` from the element `self` names to a target of `output`. When refused, `self`
  // waits on the chosen target's list (on every target's list for first free), unless it names
  // no element (a source that loses its arrivals, a supply pulled directly).
  bool hand_on(Line& line, Output& output, Part& part, const Holder& self);
  void wait_on(ElementIndex element, const Holder& holder) { waiting_[element].push_back(holder); }

  // Pops the first holder whose part is still waiting (first-free holders leave stale entries).
  bool pop_holder(const Line& line, FifoQueue<Holder>& waiting, Holder& out);
  bool holder_is_current(const Line& line, const Holder& holder) const;
  // A waiting holder's part is taken (it leaves the holder, with its WIP cards of limits ending
  // there), then the holder is released: it carries on (takes its next part, hands the next one
  // over, or schedules its next arrival).
  Part take_from(Line& line, const Holder& holder);
  void release(Line& line, const Holder& holder);
  // Room (or a card) came free at `element`: let in what waits for it.
  void admit(Line& line, ElementIndex element);

  // Parts waiting or in process at a target, for the shortest-queue rule.
  std::uint64_t load_of(const Line& line, const Link& target) const;
  // The parts at an element (queued in a buffer, in process or held at a station, loaded on a
  // conveyor; 0 for sources and sinks).
  std::uint64_t parts_at(const Line& line, ElementIndex element) const;

  // The waiting lists (run_state.hpp). Holders are checked against the stations as built.
  void transfer_state(StateStream& io, const Scene& scene, const Line& line);

 private:
  bool pop_current_holder(const Line& line, FifoQueue<Holder>& waiting, Holder& out);
  std::vector<Node> nodes_;
  std::vector<FifoQueue<Holder>> waiting_;  // per element: holders refused by it, first come first
  bool stale_holders_possible_ = false;     // a first-free route can leave stale waiting entries
};

}  // namespace linetwin::line_run
