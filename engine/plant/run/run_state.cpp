#include "plant/run/run_state.hpp"

#include <string>

#include "plant/run/line.hpp"

namespace linetwin::line_run {

namespace {

// The most events a run of the scene can have pending at once: one per server (a setup or
// processing), source (an arrival), operator (a walk), calendar (its next change) and WIP card (a
// card freed), two per station (a failure, a repair) and per conveyor (its head, its entry), and
// the end of the warm-up.
std::uint64_t most_pending_events(const Scene& scene) {
  std::uint64_t n = 1 + scene.sources().size() + 2 * scene.stations().size() +
                    2 * scene.conveyors().size() + scene.calendars().size();
  for (ElementIndex e : scene.stations())
    n += scene.station_spec(scene.element(e)).servers;
  for (const OperatorPoolSpec& pool : scene.operator_pools())
    n += pool.count;
  for (const WipLimitSpec& limit : scene.wip_limits())
    n += limit.cards;
  return n;
}

// Every pending event must name something the run has, in the state that event expects: an event
// handler trusts its target and detail.
void check_events(const StateStream& io, const Scene& scene, const Line& line) {
  auto check_event = [&](double, const EventPayload& payload) {
    const std::string kind = std::to_string(payload.kind);
    auto require = [&](bool ok, const char* expected) {
      io.check(ok, "calendar", std::string("an event of kind ") + kind + " for " + expected);
    };
    auto station = [&]() -> const StationRun* {
      return payload.target < line.stations.size() ? &line.stations.at(payload.target) : nullptr;
    };
    switch (kind_of(payload)) {
      case RunEvent::kServiceEnd:
      case RunEvent::kSetupEnd: {
        const StationRun* s = station();
        require(s && payload.detail < s->servers, "a server of a station");
        const ServerState expected =
            kind_of(payload) == RunEvent::kServiceEnd ? ServerState::kWorking : ServerState::kSetup;
        require(line.stations.server(*s, payload.detail).state == expected,
                "a server working or in setup");
        return;
      }
      case RunEvent::kArrival:
        require(payload.target < line.sources.size(), "a source");
        return;
      case RunEvent::kOperatorArrives: {
        const StationRun* s = station();
        require(s && (payload.detail < s->servers || payload.detail == kRepairTask),
                "a server or the repair of a station");
        const std::uint32_t op = payload.detail == kRepairTask
                                     ? s->repair_operator
                                     : line.stations.server(*s, payload.detail).operator_id;
        require(op < line.operators.size(), "a task with its operator");
        return;
      }
      case RunEvent::kFailure:
      case RunEvent::kRepairEnd:
        require(station() != nullptr, "a station");
        return;
      case RunEvent::kShiftChange:
        require(payload.target < scene.calendars().size(), "a calendar");
        return;
      case RunEvent::kConveyorHead:
        require(payload.target < line.conveyors.size() &&
                    !line.conveyors.at(payload.target).parts.empty(),
                "a conveyor with parts");
        return;
      case RunEvent::kConveyorEntry:
        require(payload.target < line.conveyors.size(), "a conveyor");
        return;
      case RunEvent::kCardFreed:
        require(payload.target < line.limits.size(), "a WIP limit");
        return;
      case RunEvent::kWarmupEnd:
        return;
      case RunEvent::kVehicleLegEnd:  // states of runs with fleets are refused (refuse_fleets)
      case RunEvent::kZoneRelease:
      case RunEvent::kConveyorPhysics:  // and of runs with physics conveyors (ConveyorFlow)
        break;
    }
    require(false, "a kind of event the run has");
  };
  line.kernel.calendar().for_each_pending(check_event);
}

}  // namespace

void transfer(StateStream& io, Part& part, const Scene& scene) {
  io.value(part.entered_s);
  io.value(part.product);
  io.value(part.cards);
  if (!io.reading()) return;
  if (part.product >= scene.products().size())
    io.fail_value("product", "a product index below " + std::to_string(scene.products().size()),
                  part.product);
  if ((part.cards >> scene.wip_limits().size()) != 0)
    io.fail_value("cards", "a card of each of the scene's WIP limits at most", part.cards);
}

void transfer(StateStream& io, Output& output) {
  io.value(output.next);
  if (io.reading() && output.rule == RouteRule::kRoundRobin && output.next >= output.targets.size())
    io.fail_value("next", "a target below " + std::to_string(output.targets.size()), output.next);
  output.rng.transfer_state(io);
}

void transfer(StateStream& io, EventHandle& handle) {
  io.value(handle.slot);
  io.value(handle.generation);
}

void transfer_state(StateStream& io, const Scene& scene, Line& line) {
  line.kernel.transfer_state(io, line.end_time(), most_pending_events(scene));
  line.flow.transfer_state(io, scene, line);
  line.limits.transfer_state(io, scene);
  line.sources.transfer_state(io, scene);
  line.buffers.transfer_state(io, scene);
  line.stations.transfer_state(io, scene, line.operators.size());
  line.conveyors.transfer_state(io, scene);
  line.operators.transfer_state(io, line);
  line.calendars.transfer_state(io);
  line.statistics.transfer_state(io);
  line.deadlocks.transfer_state(io, line.kernel.calendar().size());
  if (!io.reading()) return;
  check_events(io, scene, line);
  line.update_attention();
}

}  // namespace linetwin::line_run
