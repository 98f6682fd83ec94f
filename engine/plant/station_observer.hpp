// What a simulated station reports as it runs, as a real machine would: its activity and its
// cumulative part counters, at the instants they change. Recordings and simulated telemetry
// (engine/telemetry/simulated_telemetry.hpp) are built on this; LineRun calls nothing when no
// observer is attached, so runs without one pay only a flag test per state change.
#pragma once

#include <cstdint>

#include "plant/scene.hpp"

namespace linetwin {

// A station's activity, one state for the whole station. A station with several servers is
// working while any server works; then, in this order, in setup, waiting for an operator, blocked
// (every server that holds a part is blocked and none is idle), or idle (starved). Stops come
// first: off shift, then down.
enum class StationActivity : std::uint8_t {
  kIdle,
  kWaitingOperator,
  kSetup,
  kWorking,
  kBlocked,
  kDown,
  kOffShift,
};

struct StationReport {
  double time_s = 0.0;
  ElementIndex station = 0;  // the station's element index in the scene
  StationActivity activity = StationActivity::kIdle;
  bool activity_changed = false;
  // Since the start of the run (warm-up included): parts passed on downstream, and scrapped.
  std::uint64_t good_total = 0;
  std::uint64_t scrapped_total = 0;
  bool counters_changed = false;
};

class StationObserver {
 public:
  virtual ~StationObserver() = default;
  // Called at the end of each event for every station whose activity or counters changed during
  // it (at the start of the run for every station), in station order.
  virtual void on_station_report(const StationReport& report) = 0;
};

}  // namespace linetwin
