#include "plant/run/part_flow.hpp"

#include <limits>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

void PartFlow::build(const Scene& scene) {
  nodes_.reserve(scene.elements().size());
  for (const Element& e : scene.elements()) {
    nodes_.push_back(Node{.type = e.type, .type_index = e.type_index, .gate = kNoGate, .exits = 0});
    // First-free holders wait on several lists; an unlimited supply's places lapse off shift.
    stale_holders_possible_ =
        stale_holders_possible_ || e.route.rule == RouteRule::kFirstFree ||
        (e.type == ElementType::kSource && scene.source_spec(e).unlimited_supply &&
         scene.source_spec(e).calendar >= 0);
  }
  waiting_.resize(scene.elements().size());
}

bool PartFlow::hand_on(Line& line, Output& output, Part& part, const Holder& self) {
  // A vehicle will take the part: until it has loaded it, self holds it as if refused.
  if (output.via.carried_by_fleet()) [[unlikely]] {
    line.transport.request(line, output, self);
    return false;
  }
  // The part leaves self only if taken: clear its ending cards on the copy that moves.
  const bool waits = self.element != kNoElement;
  Part moving = part;
  const std::uint16_t exits = waits ? nodes_[self.element].exits : std::uint16_t{0};
  moving.cards = static_cast<std::uint16_t>(moving.cards & ~exits);
  if (output.rule == RouteRule::kFirstFree) {
    for (const Link& t : output.targets) {
      if (offer(line, t, moving)) {
        if (waits) line.limits.leave(line, nodes_[self.element], part);
        return true;
      }
    }
    if (waits) {
      for (const Link& t : output.targets)
        wait_on(t.element, self);
    }
    return false;
  }
  const Link& target =
      choose_target(output, part, [&](const Link& link) { return load_of(line, link); });
  if (offer(line, target, moving)) {
    if (waits) line.limits.leave(line, nodes_[self.element], part);
    return true;
  }
  if (waits) wait_on(target.element, self);
  return false;
}

bool PartFlow::holder_is_current(const Line& line, const Holder& holder) const {
  const Node& node = nodes_[holder.element];
  switch (node.type) {
    case ElementType::kSource:
      return line.sources.holds(line.sources.at(node.type_index), holder);
    case ElementType::kStation:
      return line.stations.holds(line.stations.at(node.type_index), holder);
    case ElementType::kConveyor:
      return line.conveyors.holds(line.conveyors.at(node.type_index), holder);
    case ElementType::kBuffer:
    case ElementType::kSink:
      break;
  }
  return false;
}

bool PartFlow::pop_current_holder(const Line& line, FifoQueue<Holder>& waiting, Holder& out) {
  while (!waiting.empty()) {
    out = waiting.pop_front();
    if (holder_is_current(line, out)) return true;
  }
  return false;
}

void PartFlow::admit(Line& line, ElementIndex element) {
  const Node& node = nodes_[element];
  switch (node.type) {
    case ElementType::kBuffer:
      line.buffers.admit(line, line.buffers.at(node.type_index));
      return;
    case ElementType::kStation:
      line.stations.refill_all(line, line.stations.at(node.type_index));
      return;
    case ElementType::kConveyor:
      line.conveyors.admit(line, line.conveyors.at(node.type_index));
      return;
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
}

std::uint64_t PartFlow::load_of(const Line& line, const Link& target) const {
  switch (target.type) {
    case ElementType::kBuffer:
      return line.buffers.at(target.index).queue.size() + waiting_[target.element].size();
    case ElementType::kStation: {
      const StationRun& s = line.stations.at(target.index);
      return s.servers - s.in(ServerState::kIdle) + waiting_[target.element].size();
    }
    case ElementType::kConveyor:
      return line.conveyors.at(target.index).parts.size() + waiting_[target.element].size();
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
  return 0;
}

std::uint64_t PartFlow::parts_at(const Line& line, ElementIndex element) const {
  const Node& node = nodes_[element];
  switch (node.type) {
    case ElementType::kBuffer:
      return line.buffers.at(node.type_index).queue.size();
    case ElementType::kStation:
      return line.stations.parts_at(line.stations.at(node.type_index));
    case ElementType::kConveyor:
      return line.conveyors.at(node.type_index).parts.size();
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
  return 0;
}

void PartFlow::transfer_state(StateStream& io, const Scene& scene, const Line& line) {
  io.tag("FLOW");
  constexpr std::size_t kHolderBytes = 20;
  for (ElementIndex e = 0; e < waiting_.size(); ++e) {
    const StateStream::Section section(io, "waiting", scene.element(e).id);
    // Entries left stale by first-free holders stay until they come first, so no bound but the
    // bytes of the state.
    transfer(io, waiting_[e], StateStream::kNoNone, kHolderBytes, "holders", [&](Holder& h) {
      io.index(h.element, nodes_.size(), "element");
      const Node& node = nodes_[h.element];
      if (io.reading() && (node.type == ElementType::kBuffer || node.type == ElementType::kSink))
        io.fail("element", "a source, station or conveyor");
      const std::uint32_t servers =
          node.type == ElementType::kStation ? line.stations.at(node.type_index).servers : 1;
      io.index(h.server, servers, "server");
      io.value(h.ticket);
      io.value(h.since_s);
    });
  }
}

}  // namespace linetwin::line_run
