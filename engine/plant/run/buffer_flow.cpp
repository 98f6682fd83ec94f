#include "plant/run/buffer_flow.hpp"

#include <cassert>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

void BufferFlow::build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
                       std::uint32_t replication) {
  for (ElementIndex index : scene.buffers()) {
    const Element& e = scene.element(index);
    BufferRun buffer;
    buffer.element = index;
    buffer.output = make_output(scene, e, seed, replication);
    buffer.capacity = scene.buffer_spec(e).capacity;
    buffer.gate = nodes[index].gate;
    buffer.paths = classify_buffer(scene, index, nodes);
    buffers_.push_back(std::move(buffer));
  }
}

// The general way straight through an empty buffer (several targets, sinks, WIP limits): the
// first target that takes the part now gets it, and the part takes and gives back this buffer's
// cards on the way. Assembly and batch stations pull instead.
bool BufferFlow::passed_through(Line& line, BufferRun& buffer, Part& part) {
  if (buffer.paths.feeds_puller) return false;
  if (!line.limits.has_card(buffer.gate)) return false;
  const double now = line.kernel.now();
  const Node& node = line.flow.node(buffer.element);
  for (const Link& out : buffer.output.targets) {
    if (out.type == ElementType::kSink) {
      line.limits.take_card(now, buffer.gate, part);
      line.limits.leave(line, node, part);
      line.sinks.complete(line, part);
      return true;
    }
    StationRun& station = line.stations.at(out.index);
    if (!line.stations.can_take(line, station)) continue;
    line.limits.take_card(now, buffer.gate, part);
    line.limits.leave(line, node, part);
    [[maybe_unused]] const bool taken = line.stations.offer(line, station, part);
    assert(taken);
    return true;
  }
  return false;
}

void BufferFlow::admit_waiting(Line& line, BufferRun& buffer) {
  if (buffer.paths.filled_by_vehicles) [[unlikely]] {
    line.transport.admit(line, buffer);
    return;
  }
  FifoQueue<Holder>& waiting = line.flow.waiting(buffer.element);
  Holder holder;
  while (!buffer.full() && line.limits.has_card(buffer.gate) &&
         line.flow.pop_holder(line, waiting, holder)) {
    Part part = line.flow.take_from(line, holder);
    [[maybe_unused]] const bool taken = offer(line, buffer, part);
    assert(taken);
    line.flow.release(line, holder);
  }
}

void BufferFlow::admit(Line& line, BufferRun& buffer) {
  admit_waiting(line, buffer);
  // A part waiting to pass straight through (a buffer of capacity 0, or one still full) is
  // taken by an idle station after the buffer, which pulls it through.
  if (buffer.queue.empty() && !line.flow.waiting(buffer.element).empty()) {
    for (const Link& out : buffer.output.targets) {
      if (out.type == ElementType::kStation)
        line.stations.refill_all(line, line.stations.at(out.index));
    }
  }
}

void BufferFlow::place(double now, BufferRun& buffer, const Part& part) {
  enqueue(now, buffer, part);
  if (buffer.paths.tracks_arrival) buffer.arrived_s.push_back(now);
}

void BufferFlow::reset(double now) {
  for (BufferRun& buffer : buffers_) {
    buffer.occupancy.reset(now, static_cast<double>(buffer.queue.size()));
    buffer.occupancy_max = buffer.queue.size();
  }
}

void BufferFlow::write(double now, ReplicationResult& r) const {
  for (const BufferRun& buffer : buffers_)
    r.buffers.push_back(
        BufferResult{buffer.occupancy.mean(now, static_cast<double>(buffer.queue.size())),
                     buffer.occupancy_max});
}

void BufferFlow::transfer_state(StateStream& io, const Scene& scene) {
  io.tag("BUFS");
  for (BufferRun& buffer : buffers_) {
    const StateStream::Section section(io, "buffers", scene.element(buffer.element).id);
    transfer(io, buffer.output);
    transfer(io, buffer.queue, buffer.capacity, kPartBytes, "queue",
             [&](Part& part) { transfer(io, part, scene); });
    // Arrival times are kept for every queued part, or for none.
    const std::uint64_t times = buffer.paths.tracks_arrival ? buffer.queue.size() : 0;
    transfer(io, buffer.arrived_s, times, 8, "arrived_s", [&](double& t) { io.value(t); });
    if (io.reading() && buffer.arrived_s.size() != times)
      io.fail_value("arrived_s", "an arrival time for each part queued", buffer.arrived_s.size());
    buffer.occupancy.transfer_state(io);
    io.value(buffer.occupancy_max);
  }
}

}  // namespace linetwin::line_run
