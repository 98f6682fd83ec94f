#include "telemetry/twin_kpis.hpp"

#include <cmath>
#include <limits>

namespace linetwin {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TwinKpis compute_twin_kpis(const MachineTwin& twin, std::int64_t until_us, double ideal_cycle_s) {
  TwinKpis k;
  k.ideal_cycle_s = ideal_cycle_s;
  k.last_cycle_s = twin.last_cycle_s();
  StationResult& out = k.station;
  const std::int64_t from_us = twin.observation_start_us();
  const std::int64_t total_us = from_us == kNoTime || until_us < from_us ? 0 : until_us - from_us;
  k.observed_s = static_cast<double>(total_us) / 1e6;

  auto seconds_in = [&](MachineState state) {
    return static_cast<double>(twin.time_in_state_us(state, until_us)) / 1e6;
  };
  const double producing_s = seconds_in(MachineState::kProducing);
  const double setup_s = seconds_in(MachineState::kSetup);
  const double down_s = seconds_in(MachineState::kDown);
  const double off_shift_s = seconds_in(MachineState::kOffShift);
  const double unknown_s = seconds_in(MachineState::kUnknown);

  const double good = twin.good_parts();
  const double processed = good + twin.scrap_parts();
  out.parts_good = static_cast<std::uint64_t>(std::llround(good));
  out.parts_scrapped = static_cast<std::uint64_t>(std::llround(twin.scrap_parts()));
  out.parts_processed = out.parts_good + out.parts_scrapped;
  out.failures = twin.failures();
  out.setups = twin.setups();
  out.active_periods = twin.active_periods();
  out.active_period_mean_s =
      out.active_periods > 0 ? (producing_s + setup_s + down_s) / out.active_periods : 0.0;
  k.cycle_time_mean_s = processed > 0.0 ? producing_s / processed : kNaN;

  if (total_us > 0) {
    const double total_s = k.observed_s;
    out.working = producing_s / total_s;
    out.setup = setup_s / total_s;
    out.starved = seconds_in(MachineState::kIdle) / total_s;
    out.blocked = seconds_in(MachineState::kBlocked) / total_s;
    out.down = down_s / total_s;
    out.off_shift = off_shift_s / total_s;
    k.unknown = unknown_s / total_s;
    k.throughput_per_hour = twin.reports_parts() ? good / total_s * 3600.0 : kNaN;

    // The simulator's OEE (LineRun::results), with unknown time taken out of the planned time.
    const double planned_s = total_s - off_shift_s - unknown_s;
    const double run_s = planned_s - down_s - setup_s;
    OeeResult& oee = out.oee;
    oee.availability = planned_s > 0.0 ? run_s / planned_s : kNaN;
    if (twin.reports_parts()) {
      oee.performance = run_s > 0.0 ? processed * ideal_cycle_s / run_s : kNaN;
      oee.quality = processed > 0.0 ? good / processed : kNaN;
    } else {
      oee.performance = kNaN;
      oee.quality = kNaN;
    }
    oee.oee = oee.availability * oee.performance * oee.quality;
  } else {
    k.unknown = kNaN;
    k.throughput_per_hour = kNaN;
    out.working = out.setup = out.starved = out.blocked = out.down = out.off_shift = kNaN;
    out.oee = OeeResult{kNaN, kNaN, kNaN, kNaN};
  }
  return k;
}

}  // namespace linetwin
