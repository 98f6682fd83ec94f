// Buffers in a line run: parts queue first in, first out until a station after the buffer takes
// them (stations pull). A part offered to an empty buffer passes straight through when a station
// after it can start at once; a buffer of capacity 0 is a direct hand-over. When a buffer frees a
// place it lets in, first come first served, the elements waiting to hand it a part.
#pragma once

#include <cstdint>
#include <vector>

#include "core/fifo_queue.hpp"
#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/fast_paths.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

struct BufferRun {
  ElementIndex element = kNoElement;
  Output output;  // stations or sinks, which pull first come first served
  std::uint64_t capacity = 0;
  BufferPaths paths;
  std::uint8_t gate = kNoGate;
  FifoQueue<Part> queue;
  // When each queued part arrived, kept only for a buffer in front of a station that merges
  // several inputs first come, first served (the plain line does without it).
  FifoQueue<double> arrived_s;
  TimeIntegral occupancy;  // of queue.size()
  std::uint64_t occupancy_max = 0;

  bool full() const { return queue.size() >= capacity; }
};

class BufferFlow {
 public:
  void build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
             std::uint32_t replication);
  BufferRun& at(std::uint32_t index) { return buffers_[index]; }
  const BufferRun& at(std::uint32_t index) const { return buffers_[index]; }
  std::size_t size() const { return buffers_.size(); }

  // Takes `part` into the buffer (or straight through it); false when refused.
  bool offer(Line& line, BufferRun& buffer, Part& part);
  // The head of the queue leaves for a station.
  Part take_head(double now, BufferRun& buffer);
  // Lets in the elements waiting for room, while there is room (and a card, at a limit's start).
  void admit_waiting(Line& line, BufferRun& buffer);
  // Room or a card came free: admit_waiting, then let an idle station pull a part waiting to
  // pass straight through.
  void admit(Line& line, BufferRun& buffer);

  // Starting from a snapshot: `part` queues in the buffer, whatever its room and cards (the
  // caller checks both).
  void place(double now, BufferRun& buffer, const Part& part);

  void reset(double now);
  void write(double now, ReplicationResult& r) const;
  void transfer_state(StateStream& io, const Scene& scene);  // run_state.hpp

 private:
  void enqueue(double now, BufferRun& buffer, const Part& part);
  bool passed_through(Line& line, BufferRun& buffer, Part& part);
  std::vector<BufferRun> buffers_;
};

}  // namespace linetwin::line_run
