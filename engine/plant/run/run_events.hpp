// The events of a line run, registered in one place: each part of the run owns its kinds, and
// LineRun's dispatch hands an event to its owner. A new part adds its kinds here and one case to
// the dispatch; the event calendar orders events by time, priority and insertion only, so the
// values themselves never change a run.
#pragma once

#include <cstdint>

#include "core/event_calendar.hpp"

namespace linetwin::line_run {

enum class RunEvent : std::uint16_t {
  // Stations (StationFlow). The target is the station's index, the detail its server.
  kServiceEnd,
  kSetupEnd,
  // Sources (SourceFlow). The target is the source's index.
  kArrival,
  // Operators (OperatorCrew). The target is the station, the detail its server or kRepairTask.
  kOperatorArrives,
  // Breakdowns (StationStops; the target is the station) and shifts (ShiftCalendars; the target
  // is the calendar).
  kFailure,
  kRepairEnd,
  kShiftChange,
  // Conveyors (ConveyorFlow). The target is the conveyor's index.
  kConveyorHead,
  kConveyorEntry,
  // Physics conveyors (ConveyorFlow): a step of the run's physics world, or (detail
  // kPhysicsStart) time zero, where the run's model is made. The target is 0: one world a run.
  kConveyorPhysics,
  // WIP limits (WipLimits). The target is the limit.
  kCardFreed,
  // Statistics (LineStatistics): the end of the warm-up.
  kWarmupEnd,
  // Vehicles (TransportFlow). The target is the vehicle, across fleets: the end of its leg.
  kVehicleLegEnd,
  // Zones (TransportFlow): the vehicle's body has left the next zone of its route.
  kZoneRelease,
};

// Whether an event of this kind can move a part by itself. The others (stops, arrivals that may be
// refused, the end of the warm-up) are looked at one by one when the deadlock watch asks whether
// the line can still move (DeadlockWatch).
constexpr bool moves_parts(RunEvent kind) {
  switch (kind) {
    case RunEvent::kServiceEnd:
    case RunEvent::kSetupEnd:
    case RunEvent::kOperatorArrives:
    case RunEvent::kConveyorHead:
    case RunEvent::kConveyorEntry:
    case RunEvent::kConveyorPhysics:
    case RunEvent::kCardFreed:
    case RunEvent::kVehicleLegEnd:
    case RunEvent::kZoneRelease:
      return true;
    case RunEvent::kArrival:
    case RunEvent::kFailure:
    case RunEvent::kRepairEnd:
    case RunEvent::kShiftChange:
    case RunEvent::kWarmupEnd:
      return false;
  }
  return true;
}

inline constexpr EventPayload event(RunEvent kind, std::uint32_t target, std::uint16_t detail = 0) {
  return EventPayload{target, static_cast<std::uint16_t>(kind), detail};
}

inline constexpr RunEvent kind_of(const EventPayload& payload) {
  return static_cast<RunEvent>(payload.kind);
}

}  // namespace linetwin::line_run
