#include "view_states.hpp"

namespace linetwin::viewer {
namespace {
// The reason simulated telemetry gives an idle station that waits for an operator.
constexpr std::string_view kWaitingOperatorReason = "waiting_operator";
}  // namespace

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
  if (const std::optional<StationActivity> activity = station_activity(state, reason))
    return view_state(*activity);
  return ViewState::kUnknown;
}

std::optional<StationActivity> station_activity(MachineState state, std::string_view reason) {
  switch (state) {
    case MachineState::kProducing:
      return StationActivity::kWorking;
    case MachineState::kIdle:
      return reason == kWaitingOperatorReason ? StationActivity::kWaitingOperator
                                              : StationActivity::kIdle;
    case MachineState::kBlocked:
      return StationActivity::kBlocked;
    case MachineState::kDown:
      return StationActivity::kDown;
    case MachineState::kSetup:
      return StationActivity::kSetup;
    case MachineState::kOffShift:
      return StationActivity::kOffShift;
    case MachineState::kUnknown:
      break;
  }
  return std::nullopt;
}

}  // namespace linetwin::viewer
