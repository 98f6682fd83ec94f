#include "plant/run/conveyor_flow.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "core/state_stream.hpp"
#include "plant/belt_part_size.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// kConveyorPhysics's details: time zero (the model is made), or a step of the world.
constexpr std::uint16_t kPhysicsStart = 0;
constexpr std::uint16_t kPhysicsStep = 1;

// The factory install_conveyor_physics set: read by runs, written before any starts.
ConveyorPhysicsFactory& installed_physics() {
  static ConveyorPhysicsFactory factory;
  return factory;
}
}  // namespace

}  // namespace linetwin::line_run

namespace linetwin {
void install_conveyor_physics(ConveyorPhysicsFactory factory) {
  line_run::installed_physics() = std::move(factory);
}
}  // namespace linetwin

namespace linetwin::line_run {

ConveyorFlow::PhysicsModel::PhysicsModel(const PhysicsModel& other) {
  if (other.model_) {
    throw InputError({},
                     "a run with physics conveyors cannot be copied (forked) yet: its "
                     "physics world has no copy");
  }
}

ConveyorFlow::PhysicsModel& ConveyorFlow::PhysicsModel::operator=(const PhysicsModel& other) {
  if (this != &other) *this = PhysicsModel(other);
  return *this;
}

void ConveyorFlow::build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
                         std::uint32_t replication) {
  for (ElementIndex index : scene.conveyors()) {
    const Element& e = scene.element(index);
    const ConveyorSpec& spec = scene.conveyor_spec(e);
    ConveyorRun conveyor{.element = index,
                         .output = make_output(scene, e, seed, replication),
                         .belt = ConveyorBelt(spec),
                         .gate = nodes[index].gate};
    if (spec.mode == ConveyorMode::kPhysics) {
      if (physics_specs_.empty())
        physics_mode_ = {scene.source_file(), spec.mode_line, 0, "elements[" + e.id + "].mode"};
      conveyor.physics_belt = static_cast<std::uint32_t>(physics_specs_.size());
      physics_specs_.push_back(spec);
      physics_conveyors_.push_back(static_cast<std::uint32_t>(conveyors_.size()));
    }
    conveyors_.push_back(std::move(conveyor));
  }
  find_chains(scene);
}

void ConveyorFlow::find_chains(const Scene& scene) {
  // Belt 1 feeds belt 2 end to end when belt 2 is its one target, reached at once, belt 1 is the
  // only element that sends parts to belt 2, and both carry the same part box: the body goes on
  // as it is, and belt 2's capacity, eyes, recordings and drawing all take its box to be belt 2's.
  // The flow has no loops (scene.hpp), so the chains are paths.
  physics_feeds_.assign(physics_specs_.size(), kNoPhysicsBelt);
  for (std::uint32_t from : physics_conveyors_) {
    const ConveyorRun& conveyor = conveyors_[from];
    const Element& e = scene.element(conveyor.element);
    if (e.route.targets.size() != 1 || e.route.via.carried_by_fleet()) continue;
    const Element& target = scene.element(e.route.targets.front());
    if (target.type != ElementType::kConveyor || target.inputs.size() != 1) continue;
    assert(conveyors_[target.type_index].element == e.route.targets.front());
    const std::uint32_t to = conveyors_[target.type_index].physics_belt;
    if (to == kNoPhysicsBelt) continue;
    if (belt_part_size(physics_specs_[conveyor.physics_belt]) != belt_part_size(physics_specs_[to]))
      continue;
    physics_feeds_[conveyor.physics_belt] = to;
  }
}

void ConveyorFlow::start(Line& line) {
  // After everything else at time zero, so that the model is made before any part is loaded.
  if (!physics_specs_.empty()) {
    physics_step_ = line.kernel.schedule_at(
        0.0, event(RunEvent::kConveyorPhysics, 0, kPhysicsStart), EventCalendar::kMaxPriority);
  }
}

void ConveyorFlow::simulate_with(const ConveyorPhysicsFactory& factory) {
  if (!physics_specs_.empty() && factory) physics_.reset(factory(physics_specs_, physics_feeds_));
}

bool ConveyorFlow::entry_open(const ConveyorRun& conveyor, double now) const {
  if (conveyor.physics_belt == kNoPhysicsBelt) [[likely]]
    return conveyor.belt.entry_free_at(now) <= now;
  return physics_ && physics_->entry_clear(conveyor.physics_belt);
}

double ConveyorFlow::stopped_time_s(const ConveyorRun& conveyor, double now) const {
  if (conveyor.physics_belt == kNoPhysicsBelt) return conveyor.belt.stopped_time_s(now);
  return physics_ ? physics_->stopped_time_s(conveyor.physics_belt, now) : 0.0;
}

void ConveyorFlow::positions(std::uint32_t index, double now, std::vector<double>& out) const {
  const ConveyorRun& conveyor = conveyors_[index];
  if (conveyor.physics_belt == kNoPhysicsBelt) {
    conveyor.belt.positions(now, out);
  } else if (physics_) {
    physics_->positions(conveyor.physics_belt, out);
  } else {
    out.clear();
  }
}

bool ConveyorFlow::offer_physics(Line& line, ConveyorRun& conveyor, Part& part) {
  // Refused until the entry's photo-eye clears; the step that clears it admits the waiting.
  if (conveyor.full() || !entry_open(conveyor, line.kernel.now())) return false;
  line.limits.take_card(line.kernel.now(), conveyor.gate, part);
  physics_->load(conveyor.physics_belt);
  conveyor.parts.push_back(part);
  conveyor.occupancy.add(line.kernel.now(), 1.0);
  wake_physics(line);
  return true;
}

void ConveyorFlow::wake_physics(Line& line) {
  if (line.kernel.calendar().is_pending(physics_step_) || !physics_->awake()) return;
  // Steps end on a grid of whole steps from time zero; a world that slept resumes at the next
  // step after now, its state unchanged while it slept. Never a second step at one grid point.
  const auto after_now =
      static_cast<std::uint64_t>(std::floor(line.kernel.now() / physics_->step_s())) + 1;
  next_step_ = std::max(next_step_, after_now);
  schedule_step(line);
}

void ConveyorFlow::schedule_step(Line& line) {
  physics_step_ = line.kernel.schedule_at(
      std::max(line.kernel.now(), static_cast<double>(next_step_) * physics_->step_s()),
      event(RunEvent::kConveyorPhysics, 0, kPhysicsStep));
}

void ConveyorFlow::on_physics(Line& line, std::uint16_t detail) {
  if (detail == kPhysicsStart) {
    if (!physics_) {
      if (!installed_physics()) {
        throw InputError(physics_mode_,
                         "mode: physics needs a build with Bullet (LINETWIN_PHYSICS=ON) and a "
                         "program that simulates physics (linetwin run); expected mode: event");
      }
      simulate_with(installed_physics());
    }
  } else {
    physics_->step();
    ++next_step_;
  }
  // What the photo-eyes say now becomes the conveyors' events, in scene order: a head at the exit
  // is handed on or refused; an entry with room takes the elements waiting for it.
  for (std::uint32_t index : physics_conveyors_) {
    ConveyorRun& conveyor = conveyors_[index];
    if (!conveyor.head_waiting && !conveyor.parts.empty() &&
        physics_->head_at_exit(conveyor.physics_belt))
      on_head_at_exit(line, conveyor);
    if (!line.flow.waiting(conveyor.element).empty()) admit(line, conveyor);
  }
  if (!line.kernel.calendar().is_pending(physics_step_) && physics_->awake()) schedule_step(line);
}

bool ConveyorFlow::offer(Line& line, ConveyorRun& conveyor, Part& part) {
  if (!line.limits.has_card(conveyor.gate)) return false;
  if (conveyor.physics_belt != kNoPhysicsBelt) [[unlikely]]
    return offer_physics(line, conveyor, part);
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
  while (!conveyor.full() && entry_open(conveyor, now) && line.limits.has_card(conveyor.gate) &&
         line.flow.pop_holder(line, waiting, holder)) {
    Part part = line.flow.take_from(line, holder);
    [[maybe_unused]] const bool taken = offer(line, conveyor, part);
    assert(taken);
    line.flow.release(line, holder);
  }
  // A closed gate opens with the next card (kCardFreed); only a full entry needs a wake-up.
  if (!waiting.empty() && line.limits.has_card(conveyor.gate)) schedule_entry(line, conveyor);
}

void ConveyorFlow::schedule_head(Line& line, ConveyorRun& conveyor) {
  if (conveyor.physics_belt != kNoPhysicsBelt) return;  // the exit's photo-eye says it
  line.kernel.calendar().cancel(conveyor.head_event);
  if (conveyor.parts.empty() || conveyor.head_waiting) return;
  const double now = line.kernel.now();
  const double at = conveyor.belt.head_at_exit_at(now);
  if (at == kInfinity) return;
  conveyor.head_event = line.kernel.schedule_at(std::max(at, now),
                                                event(RunEvent::kConveyorHead, index_of(conveyor)));
}

void ConveyorFlow::schedule_entry(Line& line, ConveyorRun& conveyor) {
  if (conveyor.physics_belt != kNoPhysicsBelt) return;  // the entry's photo-eye says it
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
    unload_belt(line, conveyor);
    unloaded(line, conveyor);
  } else {
    conveyor.head_waiting = true;
    if (conveyor.physics_belt == kNoPhysicsBelt) {
      conveyor.belt.head_blocked(now);
    } else {
      physics_->head_blocked(conveyor.physics_belt, now);
      wake_physics(line);
    }
    line.deadlocks.conveyor_jammed(line, conveyor.element);
  }
}

void ConveyorFlow::release_held(Line& line, ConveyorRun& conveyor) {
  conveyor.parts.pop_front();
  conveyor.head_waiting = false;
  unload_belt(line, conveyor);
  unloaded(line, conveyor);
}

void ConveyorFlow::unload_belt(Line& line, ConveyorRun& conveyor) {
  if (conveyor.physics_belt == kNoPhysicsBelt) [[likely]] {
    conveyor.belt.unload(line.kernel.now());
  } else {
    physics_->unload(conveyor.physics_belt, line.kernel.now());
    wake_physics(line);
  }
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
    conveyor.stopped_at_warmup_s = stopped_time_s(conveyor, now);
  }
}

void ConveyorFlow::write(double now, double observed_s, ReplicationResult& r) const {
  for (const ConveyorRun& conveyor : conveyors_) {
    r.conveyors.push_back(ConveyorResult{
        conveyor.transported,
        conveyor.occupancy.mean(now, static_cast<double>(conveyor.parts.size())),
        (stopped_time_s(conveyor, now) - conveyor.stopped_at_warmup_s) / observed_s});
  }
}

void ConveyorFlow::transfer_state(StateStream& io, const Scene& scene) {
  if (!physics_specs_.empty()) {
    // A physics world's state (bodies, contacts, the solver's warm start) is not saved yet.
    throw InputError(physics_mode_,
                     "the state of a run with physics conveyors cannot be saved or restored yet; "
                     "expected mode: event");
  }
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
