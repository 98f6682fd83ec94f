#include "telemetry/simulated_telemetry.hpp"

#include "core/timestamp.hpp"
#include "plant/line_run.hpp"

namespace linetwin {

MachineState machine_state_of(StationActivity activity) {
  switch (activity) {
    case StationActivity::kWorking:
      return MachineState::kProducing;
    case StationActivity::kIdle:
    case StationActivity::kWaitingOperator:
      return MachineState::kIdle;
    case StationActivity::kSetup:
      return MachineState::kSetup;
    case StationActivity::kBlocked:
      return MachineState::kBlocked;
    case StationActivity::kDown:
      return MachineState::kDown;
    case StationActivity::kOffShift:
      return MachineState::kOffShift;
  }
  return MachineState::kUnknown;
}

std::optional<StationActivity> station_activity_of(MachineState state, std::string_view reason) {
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

SimulatedTelemetry::SimulatedTelemetry(const Scene& scene, TelemetryLog& log, std::int64_t start_us)
    : log_(log), start_us_(start_us) {
  for (const Element& e : scene.elements())
    log_.names.intern_machine(e.id);
  next_sequence_.assign(log_.names.machines().size(), 1);
  good_name_ = log_.names.intern_name(kGoodPartsCounter);
  scrap_name_ = log_.names.intern_name(kScrapPartsCounter);
  breakdown_name_ = log_.names.intern_name(kBreakdownReason);
  waiting_operator_name_ = log_.names.intern_name(kWaitingOperatorReason);
}

void SimulatedTelemetry::on_station_report(const StationReport& report) {
  TelemetrySample sample;
  sample.timestamp_us = timestamp_at_us(start_us_, report.time_s);
  sample.machine = report.station;
  std::uint64_t& sequence = next_sequence_[report.station];
  if (report.counters_changed) {
    sample.kind = SampleKind::kCounter;
    sample.sequence = sequence++;
    sample.name = good_name_;
    sample.value = static_cast<double>(report.good_total);
    log_.samples.push_back(sample);
    sample.sequence = sequence++;
    sample.name = scrap_name_;
    sample.value = static_cast<double>(report.scrapped_total);
    log_.samples.push_back(sample);
  }
  if (report.activity_changed) {
    sample.kind = SampleKind::kState;
    sample.sequence = sequence++;
    sample.value = 0.0;
    sample.state = machine_state_of(report.activity);
    sample.name = report.activity == StationActivity::kDown              ? breakdown_name_
                  : report.activity == StationActivity::kWaitingOperator ? waiting_operator_name_
                                                                         : std::uint16_t{0};
    log_.samples.push_back(sample);
  }
}

TelemetryLog simulate_telemetry(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                                const RunSettings& settings, std::int64_t start_us) {
  TelemetryLog log;
  SimulatedTelemetry telemetry(scene, log, start_us);
  LineRun run(scene, seed, replication, settings);
  run.observe(&telemetry);
  run.run_to_end();
  run.observe(nullptr);
  return log;
}

}  // namespace linetwin
