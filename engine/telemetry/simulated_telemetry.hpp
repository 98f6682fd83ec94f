// The telemetry a simulated line would send: each station reports its state and its cumulative
// good and scrap counters when they change, as a connected machine does. This is how simulation
// runs are recorded (HDF5, CSV), how twins can be fed from a model, and how calibration is tested
// against known distributions: simulate, record, fit, compare.
//
// Machine ids are the scene's element ids, interned in scene order (machine index = element
// index). Station activities map to twin states as docs/twins.md lists: working -> producing,
// idle -> idle, waiting for an operator -> idle (reason "waiting_operator"), setup -> setup,
// blocked -> blocked, down -> down (reason "breakdown"), off shift -> off_shift. At one instant
// counters come before the state change, as a machine counts a part and then goes idle.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "plant/scene.hpp"
#include "plant/station_observer.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

class SimulatedTelemetry final : public StationObserver {
 public:
  // Samples go to `log` (which must outlive this); simulated time 0 is `start_us`.
  SimulatedTelemetry(const Scene& scene, TelemetryLog& log, std::int64_t start_us);
  void on_station_report(const StationReport& report) override;

 private:
  TelemetryLog& log_;
  std::int64_t start_us_;
  std::vector<std::uint64_t> next_sequence_;  // per machine
  std::uint16_t good_name_;
  std::uint16_t scrap_name_;
  std::uint16_t breakdown_name_;
  std::uint16_t waiting_operator_name_;
};

// The reasons simulated telemetry gives with a state: why a station is down, and that an idle
// station waits for an operator (the one activity a machine state cannot say plainly).
inline constexpr std::string_view kBreakdownReason = "breakdown";
inline constexpr std::string_view kWaitingOperatorReason = "waiting_operator";

MachineState machine_state_of(StationActivity activity);
// The inverse, for twins that stand in for stations (a replayed or live line shown as a simulated
// one): `reason` is the text of the twin's reason, empty when none; nullopt for kUnknown, which no
// simulated station is ever in.
std::optional<StationActivity> station_activity_of(MachineState state, std::string_view reason);

// Simulates one replication of `scene` (its warm-up and observed period, or `settings`) and
// returns its stations' telemetry.
TelemetryLog simulate_telemetry(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                                const RunSettings& settings, std::int64_t start_us);

}  // namespace linetwin
