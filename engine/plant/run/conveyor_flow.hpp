// Conveyors in a line run: a part loaded at the entry travels to the exit (ConveyorBelt gives the
// timing and capacity, accumulating or not) and is handed on from there; a head refused
// downstream waits at the exit like any holder, and the belt behind it accumulates or stops.
#pragma once

#include <cstdint>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/fifo_queue.hpp"
#include "core/statistics.hpp"
#include "plant/conveyor_belt.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

struct ConveyorRun {
  ElementIndex element = kNoElement;
  Output output;
  ConveyorBelt belt;
  std::uint8_t gate = kNoGate;
  FifoQueue<Part> parts{};
  EventHandle head_event{};
  EventHandle entry_event{};
  bool head_waiting = false;  // the head is at the exit, refused downstream
  std::uint32_t ticket = 0;
  TimeIntegral occupancy{};  // of parts.size()
  double stopped_at_warmup_s = 0.0;
  std::uint64_t transported = 0;

  bool full() const { return parts.size() >= belt.capacity(); }
};

class ConveyorFlow {
 public:
  void build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
             std::uint32_t replication);
  ConveyorRun& at(std::uint32_t index) { return conveyors_[index]; }
  const ConveyorRun& at(std::uint32_t index) const { return conveyors_[index]; }
  std::size_t size() const { return conveyors_.size(); }

  bool offer(Line& line, ConveyorRun& conveyor, Part& part);
  // Room or a card came free at the entry: load the elements waiting for it.
  void admit(Line& line, ConveyorRun& conveyor);
  void on_head_at_exit(Line& line, ConveyorRun& conveyor);

  bool holds(const ConveyorRun& conveyor, const Holder& holder) const {
    return conveyor.head_waiting && conveyor.ticket == holder.ticket;
  }
  Part take_held(ConveyorRun& conveyor) {
    ++conveyor.ticket;
    return conveyor.parts.front();
  }
  void release_held(Line& line, ConveyorRun& conveyor);

  void reset(double now);
  void write(double now, double observed_s, ReplicationResult& r) const;
  void transfer_state(StateStream& io, const Scene& scene);  // run_state.hpp

 private:
  void schedule_head(Line& line, ConveyorRun& conveyor);
  void schedule_entry(Line& line, ConveyorRun& conveyor);
  void unloaded(Line& line, ConveyorRun& conveyor);
  std::uint32_t index_of(const ConveyorRun& conveyor) const {
    return static_cast<std::uint32_t>(&conveyor - conveyors_.data());
  }
  std::vector<ConveyorRun> conveyors_;
};

}  // namespace linetwin::line_run
