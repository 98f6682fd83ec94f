// The state model a twin follows, shared by telemetry (what a machine reports) and simulation
// (what a simulated station does), so that KPIs from either source are computed the same way.
//
// The states are the simulator's station states, named as PackML (ISA-TR88.00.02, OPC 30050)
// and ISA-88 machines report them; docs/twins.md has the full mapping table:
//   producing  - PackML Execute: processing a part
//   idle       - PackML Idle or Suspended for lack of material: starved, or waiting for an operator
//   blocked    - PackML Suspended because downstream cannot take the part
//   down       - PackML Held, Stopped, Aborting, Aborted, Stopping (unplanned): a breakdown, with
//                a reason
//   setup      - changeover between variants (PackML unit mode Changeover)
//   off_shift  - planned not to produce: break, weekend, planned maintenance
//   unknown    - no message yet, or the machine reports itself unavailable
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace linetwin {

enum class MachineState : std::uint8_t {
  kUnknown = 0,
  kProducing,
  kIdle,
  kBlocked,
  kDown,
  kSetup,
  kOffShift,
};
inline constexpr int kMachineStateCount = 7;

// The lower-case name used in messages, logs and reports ("producing", "off_shift", ...).
constexpr std::string_view machine_state_name(MachineState state) {
  switch (state) {
    case MachineState::kProducing:
      return "producing";
    case MachineState::kIdle:
      return "idle";
    case MachineState::kBlocked:
      return "blocked";
    case MachineState::kDown:
      return "down";
    case MachineState::kSetup:
      return "setup";
    case MachineState::kOffShift:
      return "off_shift";
    case MachineState::kUnknown:
      break;
  }
  return "unknown";
}

// Inverse of machine_state_name; nullopt for any other text.
constexpr std::optional<MachineState> parse_machine_state(std::string_view name) {
  for (int i = 0; i < kMachineStateCount; ++i) {
    const auto state = static_cast<MachineState>(i);
    if (machine_state_name(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace linetwin
