// How the engine's states become the colours the viewer draws: a simulated station's activity
// (plant/station_observer.hpp) and a twin's machine state (telemetry/machine_state.hpp) both map
// onto ViewState, so a simulated line, a replayed recording and a live plant look alike. The one
// state a twin cannot say plainly, waiting for an operator, arrives as idle with the reason
// "waiting_operator" (telemetry/simulated_telemetry.hpp), which the second overload recognises.
#pragma once

#include <optional>
#include <string_view>

#include "line_view.hpp"
#include "plant/station_observer.hpp"
#include "telemetry/machine_state.hpp"

namespace linetwin::viewer {

ViewState view_state(StationActivity activity);
// `reason` is the text of the twin's reason (empty when none).
ViewState view_state(MachineState state, std::string_view reason = {});
// The activity a twin's state stands for, for the station reports a twin-fed source produces;
// nullopt for kUnknown, which no simulated station is ever in.
std::optional<StationActivity> station_activity(MachineState state, std::string_view reason = {});

}  // namespace linetwin::viewer
