#include "plant/run/conveyor_flow.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}  // namespace

void ConveyorFlow::build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
                         std::uint32_t replication) {
  for (ElementIndex index : scene.conveyors()) {
    const Element& e = scene.element(index);
    ConveyorRun conveyor{.element = index,
                         .output = make_output(scene, e, seed, replication),
                         .belt = ConveyorBelt(scene.conveyor_spec(e)),
                         .gate = nodes[index].gate};
    conveyors_.push_back(std::move(conveyor));
  }
}

bool ConveyorFlow::offer(Line& line, ConveyorRun& conveyor, Part& part) {
  if (!line.limits.has_card(conveyor.gate)) return false;
  const double now = line.kernel.now();
  if (conveyor.full() || conveyor.belt.entry_free_at(now) > now) {
    schedule_entry(line, conveyor);
    return false;
  }
  line.limits.take_card(now, conveyor.gate, part);
  conveyor.belt.load(now);
  conveyor.parts.push_back(part);
  conveyor.occupancy.add(now, 1.0);
  if (conveyor.parts.size() == 1) schedule_head(line, conveyor);
  return true;
}

void ConveyorFlow::admit(Line& line, ConveyorRun& conveyor) {
  FifoQueue<Holder>& waiting = line.flow.waiting(conveyor.element);
  Holder holder;
  const double now = line.kernel.now();
  while (!conveyor.full() && conveyor.belt.entry_free_at(now) <= now &&
         line.limits.has_card(conveyor.gate) && line.flow.pop_holder(line, waiting, holder)) {
    Part part = line.flow.take_from(line, holder);
    [[maybe_unused]] const bool taken = offer(line, conveyor, part);
    assert(taken);
    line.flow.release(line, holder);
  }
  // A closed gate opens with the next card (kCardFreed); only a full entry needs a wake-up.
  if (!waiting.empty() && line.limits.has_card(conveyor.gate)) schedule_entry(line, conveyor);
}

void ConveyorFlow::schedule_head(Line& line, ConveyorRun& conveyor) {
  line.kernel.calendar().cancel(conveyor.head_event);
  if (conveyor.parts.empty() || conveyor.head_waiting) return;
  const double now = line.kernel.now();
  const double at = conveyor.belt.head_at_exit_at(now);
  if (at == kInfinity) return;
  conveyor.head_event = line.kernel.schedule_at(std::max(at, now),
                                                event(RunEvent::kConveyorHead, index_of(conveyor)));
}

void ConveyorFlow::schedule_entry(Line& line, ConveyorRun& conveyor) {
  if (line.kernel.calendar().is_pending(conveyor.entry_event)) return;
  const double now = line.kernel.now();
  const double at = conveyor.belt.entry_free_at(now);
  if (at == kInfinity || conveyor.full()) return;
  conveyor.entry_event = line.kernel.schedule_at(
      std::max(at, now), event(RunEvent::kConveyorEntry, index_of(conveyor)));
}

void ConveyorFlow::on_head_at_exit(Line& line, ConveyorRun& conveyor) {
  Part head = conveyor.parts.front();
  const double now = line.kernel.now();
  const Holder self{conveyor.element, 0, ++conveyor.ticket, now};
  if (line.flow.hand_on(line, conveyor.output, head, self)) {
    conveyor.parts.pop_front();
    conveyor.belt.unload(now);
    unloaded(line, conveyor);
  } else {
    conveyor.head_waiting = true;
    conveyor.belt.head_blocked(now);
    line.deadlocks.conveyor_jammed(line, conveyor.element);
  }
}

void ConveyorFlow::release_held(Line& line, ConveyorRun& conveyor) {
  conveyor.parts.pop_front();
  conveyor.head_waiting = false;
  conveyor.belt.unload(line.kernel.now());
  unloaded(line, conveyor);
}

void ConveyorFlow::unloaded(Line& line, ConveyorRun& conveyor) {
  ++conveyor.transported;
  conveyor.occupancy.add(line.kernel.now(), -1.0);
  schedule_head(line, conveyor);
  admit(line, conveyor);
}

void ConveyorFlow::reset(double now) {
  for (ConveyorRun& conveyor : conveyors_) {
    conveyor.occupancy.reset(now, static_cast<double>(conveyor.parts.size()));
    conveyor.transported = 0;
    conveyor.stopped_at_warmup_s = conveyor.belt.stopped_time_s(now);
  }
}

void ConveyorFlow::write(double now, double observed_s, ReplicationResult& r) const {
  for (const ConveyorRun& conveyor : conveyors_) {
    r.conveyors.push_back(ConveyorResult{
        conveyor.transported,
        conveyor.occupancy.mean(now, static_cast<double>(conveyor.parts.size())),
        (conveyor.belt.stopped_time_s(now) - conveyor.stopped_at_warmup_s) / observed_s});
  }
}

void ConveyorFlow::transfer_state(StateStream& io, const Scene& scene) {
  io.tag("CONV");
  for (ConveyorRun& conveyor : conveyors_) {
    const StateStream::Section section(io, "conveyors", scene.element(conveyor.element).id);
    transfer(io, conveyor.output);
    conveyor.belt.transfer_state(io);
    transfer(io, conveyor.parts, conveyor.belt.capacity(), kPartBytes, "parts",
             [&](Part& part) { transfer(io, part, scene); });
    if (io.reading() && conveyor.parts.size() != conveyor.belt.parts())
      io.fail_value("parts", "as many parts as the belt carries", conveyor.parts.size());
    transfer(io, conveyor.head_event);
    transfer(io, conveyor.entry_event);
    io.value(conveyor.head_waiting);
    if (io.reading() && conveyor.head_waiting && conveyor.parts.empty())
      io.fail("head_waiting", "a part at the head of a belt whose head waits");
    io.value(conveyor.ticket);
    conveyor.occupancy.transfer_state(io);
    io.value(conveyor.stopped_at_warmup_s);
    io.value(conveyor.transported);
  }
}

}  // namespace linetwin::line_run
