// PartFlow's functions on the event path, inlined into the parts that call them.
#pragma once

#include <cassert>

#include "plant/run/line.hpp"
#include "plant/run/part_flow.hpp"

namespace linetwin::line_run {

[[gnu::always_inline]] inline bool PartFlow::offer(Line& line, const Link& to, Part& part) {
  // A buffer first: in most lines most parts go into one.
  if (to.type == ElementType::kBuffer) [[likely]]
    return line.buffers.offer(line, line.buffers.at(to.index), part);
  switch (to.type) {
    case ElementType::kSink:
      line.sinks.complete(line, part);
      return true;
    case ElementType::kBuffer:
      return line.buffers.offer(line, line.buffers.at(to.index), part);
    case ElementType::kStation:
      return line.stations.offer(line, line.stations.at(to.index), part);
    case ElementType::kConveyor:
      return line.conveyors.offer(line, line.conveyors.at(to.index), part);
    case ElementType::kSource:
      break;
  }
  assert(false && "a source takes no parts");
  return false;
}

[[gnu::always_inline]] inline bool PartFlow::pop_holder(const Line& line,
                                                        FifoQueue<Holder>& waiting, Holder& out) {
  if (stale_holders_possible_) [[unlikely]]
    return pop_current_holder(line, waiting, out);
  if (waiting.empty()) return false;
  out = waiting.pop_front();
  return true;
}

[[gnu::always_inline]] inline Part PartFlow::take_from(Line& line, const Holder& holder) {
  const Node& node = nodes_[holder.element];
  Part part;
  switch (node.type) {
    case ElementType::kSource:
      // It enters the line only now, and leaves no limit.
      return line.sources.take_held(line, line.sources.at(node.type_index));
    case ElementType::kStation:
      part = line.stations.take_held(line.stations.at(node.type_index), holder);
      break;
    case ElementType::kConveyor:
      part = line.conveyors.take_held(line.conveyors.at(node.type_index));
      break;
    case ElementType::kBuffer:
    case ElementType::kSink:
      assert(false && "only sources, stations and conveyors hold parts for others");
      break;
  }
  line.limits.leave(line, node, part);
  return part;
}

[[gnu::always_inline]] inline void PartFlow::release(Line& line, const Holder& holder) {
  const Node& node = nodes_[holder.element];
  switch (node.type) {
    case ElementType::kSource:
      line.sources.release_held(line, line.sources.at(node.type_index));
      return;
    case ElementType::kStation:
      line.stations.release_held(line, line.stations.at(node.type_index), holder);
      return;
    case ElementType::kConveyor:
      line.conveyors.release_held(line, line.conveyors.at(node.type_index));
      return;
    case ElementType::kBuffer:
    case ElementType::kSink:
      break;
  }
}

}  // namespace linetwin::line_run
