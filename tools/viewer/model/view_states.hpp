// How the engine's states become the colours the viewer draws: a simulated station's activity
// (plant/station_observer.hpp) and a twin's machine state (telemetry/machine_state.hpp) both map
// onto ViewState, so a simulated line, a replayed recording and a live plant look alike. The one
// state a twin cannot say plainly, waiting for an operator, arrives as idle with the reason
// "waiting_operator" (telemetry/simulated_telemetry.hpp), which the second overload recognises.
#pragma once

#include <string_view>

#include "line_view.hpp"
#include "plant/station_observer.hpp"
#include "telemetry/machine_state.hpp"
#include "telemetry/simulated_telemetry.hpp"

namespace linetwin::viewer {

ViewState view_state(StationActivity activity);
// `reason` is the text of the twin's reason (empty when none); the state is read as the station
// activity it stands for (telemetry/simulated_telemetry.hpp, station_activity_of).
ViewState view_state(MachineState state, std::string_view reason = {});

}  // namespace linetwin::viewer
