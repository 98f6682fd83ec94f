// BufferFlow's functions on the event path, inlined into the parts that call them.
#pragma once

#include <algorithm>

#include "plant/run/buffer_flow.hpp"
#include "plant/run/line.hpp"

namespace linetwin::line_run {

[[gnu::always_inline]] inline void BufferFlow::enqueue(double now, BufferRun& buffer,
                                                       const Part& part) {
  buffer.queue.push_back(part);
  buffer.occupancy.add(now, 1.0);
  buffer.occupancy_max = std::max<std::uint64_t>(buffer.occupancy_max, buffer.queue.size());
}

[[gnu::always_inline]] inline bool BufferFlow::offer(Line& line, BufferRun& buffer, Part& part) {
  // Pass straight through when nothing queues ahead and a station after it can start.
  if (buffer.queue.empty()) {
    if (buffer.paths.passes_to_one_station) {
      if (line.stations.offer(line, line.stations.at(buffer.output.single.index), part))
        return true;
    } else if (passed_through(line, buffer, part)) {
      return true;
    }
  }
  if (buffer.full()) return false;
  const double now = line.kernel.now();
  if (buffer.paths.only_queues) [[likely]] {
    enqueue(now, buffer, part);
    return true;
  }
  if (!line.limits.take_card(now, buffer.gate, part)) return false;
  enqueue(now, buffer, part);
  if (buffer.paths.tracks_arrival) buffer.arrived_s.push_back(now);
  if (buffer.paths.feeds_puller) {
    for (const Link& out : buffer.output.targets) {
      if (out.type == ElementType::kStation)
        line.stations.refill_all(line, line.stations.at(out.index));
    }
  }
  return true;
}

[[gnu::always_inline]] inline Part BufferFlow::take_head(double now, BufferRun& buffer) {
  buffer.occupancy.add(now, -1.0);
  if (buffer.paths.tracks_arrival) buffer.arrived_s.pop_front();
  return buffer.queue.pop_front();
}

}  // namespace linetwin::line_run
