// Conveyors in a line run: a part loaded at the entry travels to the exit (ConveyorBelt gives the
// timing and capacity, accumulating or not) and is handed on from there; a head refused
// downstream waits at the exit like any holder, and the belt behind it accumulates or stops.
//
// A `mode: physics` conveyor takes its timing from the run's ConveyorPhysics instead (one world
// for all of them, plant/conveyor_physics.hpp): its head reaches the exit and its entry clears
// when the photo-eyes say so after a step, and the steps are events (kConveyorPhysics) scheduled
// only while a part moves. Event conveyors test one field for it and call nothing virtual.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/fifo_queue.hpp"
#include "core/input_error.hpp"
#include "core/statistics.hpp"
#include "plant/conveyor_belt.hpp"
#include "plant/conveyor_physics.hpp"
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
  // Its belt in the run's ConveyorPhysics; kNoPhysicsBelt for an event conveyor (`belt` then
  // times it).
  std::uint32_t physics_belt = kNoPhysicsBelt;

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

  // Time zero: a run with physics conveyors schedules the event that makes its model.
  void start(Line& line);
  // The model the run simulates its physics conveyors with, made from `factory` (before the
  // first event; a run given none uses the installed one, and without either its first event is
  // an InputError naming the scene's `mode: physics`).
  void simulate_with(const ConveyorPhysicsFactory& factory);
  const ConveyorPhysics* physics() const { return physics_.get(); }
  void on_physics(Line& line, std::uint16_t detail);
  void positions(std::uint32_t index, double now, std::vector<double>& out) const;

  void reset(double now);
  void write(double now, double observed_s, ReplicationResult& r) const;
  void transfer_state(StateStream& io, const Scene& scene);  // run_state.hpp

 private:
  void schedule_head(Line& line, ConveyorRun& conveyor);
  void schedule_entry(Line& line, ConveyorRun& conveyor);
  void unloaded(Line& line, ConveyorRun& conveyor);
  void unload_belt(Line& line, ConveyorRun& conveyor);
  bool entry_open(const ConveyorRun& conveyor, double now) const;
  double stopped_time_s(const ConveyorRun& conveyor, double now) const;
  [[gnu::noinline]] bool offer_physics(Line& line, ConveyorRun& conveyor, Part& part);
  // A part was loaded, unloaded or refused on a physics belt: step the world from the next step
  // on, if it is not stepping already.
  void wake_physics(Line& line);
  void schedule_step(Line& line);
  // Which physics belts feed each other end to end (docs/physics.md, "Transfers between belts").
  void find_chains(const Scene& scene);
  // The run's model, owned; a run that has one cannot be copied, since a physics world cannot.
  class PhysicsModel {
   public:
    PhysicsModel() = default;
    PhysicsModel(const PhysicsModel& other);
    PhysicsModel& operator=(const PhysicsModel& other);
    PhysicsModel(PhysicsModel&&) noexcept = default;
    PhysicsModel& operator=(PhysicsModel&&) noexcept = default;
    ~PhysicsModel() = default;
    ConveyorPhysics* get() const { return model_.get(); }
    ConveyorPhysics* operator->() const { return model_.get(); }
    explicit operator bool() const { return model_ != nullptr; }
    void reset(std::unique_ptr<ConveyorPhysics> model) { model_ = std::move(model); }

   private:
    std::unique_ptr<ConveyorPhysics> model_;
  };
  std::uint32_t index_of(const ConveyorRun& conveyor) const {
    return static_cast<std::uint32_t>(&conveyor - conveyors_.data());
  }
  std::vector<ConveyorRun> conveyors_;
  // The physics conveyors' specs, by physics belt, the belt each feeds end to end
  // (ConveyorPhysicsFactory), and their conveyors' indices.
  std::vector<ConveyorSpec> physics_specs_;
  std::vector<std::uint32_t> physics_feeds_;
  std::vector<std::uint32_t> physics_conveyors_;
  InputLocation physics_mode_;  // the first physics conveyor's `mode`, for errors
  PhysicsModel physics_;
  EventHandle physics_step_{};
  std::uint64_t next_step_ = 0;  // the next step ends at next_step_ * step_s()
};

}  // namespace linetwin::line_run
