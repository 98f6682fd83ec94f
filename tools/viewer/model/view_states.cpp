#include "view_states.hpp"

namespace linetwin::viewer {
ViewState view_state(StationActivity activity) {
  switch (activity) {
    case StationActivity::kIdle:
      return ViewState::kStarved;
    case StationActivity::kWaitingOperator:
      return ViewState::kWaitingOperator;
    case StationActivity::kSetup:
      return ViewState::kSetup;
    case StationActivity::kWorking:
      return ViewState::kWorking;
    case StationActivity::kBlocked:
      return ViewState::kBlocked;
    case StationActivity::kDown:
      return ViewState::kDown;
    case StationActivity::kOffShift:
      return ViewState::kOffShift;
  }
  return ViewState::kUnknown;
}

ViewState view_state(MachineState state, std::string_view reason) {
  if (const std::optional<StationActivity> activity = station_activity_of(state, reason))
    return view_state(*activity);
  return ViewState::kUnknown;
}

}  // namespace linetwin::viewer
