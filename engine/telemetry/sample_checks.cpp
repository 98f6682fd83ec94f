#include "telemetry/sample_checks.hpp"

#include <cmath>

#include <fmt/format.h>

#include "telemetry/machine_state.hpp"

namespace linetwin {

std::optional<SampleFault> check_sample(const TelemetrySample& sample, std::string_view machine_id,
                                        std::string_view name) {
  if (sample.timestamp_us < kEarliestSampleTimeUs || sample.timestamp_us > kLatestSampleTimeUs) {
    return SampleFault{"timestamp",
                       "a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z"};
  }
  if (machine_id.empty()) return SampleFault{"machine", "a machine id"};
  const bool known_state = static_cast<int>(sample.state) < kMachineStateCount;
  switch (sample.kind) {
    case SampleKind::kState:
      if (!known_state) {
        return SampleFault{"state",
                           "one of producing, idle, blocked, down, setup, off_shift, unknown"};
      }
      if (sample.value != 0.0) return SampleFault{"value", "nothing (0) in a state row"};
      return std::nullopt;
    case SampleKind::kCounter:
    case SampleKind::kSensor: {
      const bool counter = sample.kind == SampleKind::kCounter;
      if (sample.state != MachineState::kUnknown) {
        return SampleFault{"state", counter ? "nothing (unknown) in a counter row"
                                            : "nothing (unknown) in a sensor row"};
      }
      if (name.empty()) {
        return SampleFault{
            "name", counter ? "the counter's name (good, scrap, ...)" : "the sensor channel"};
      }
      if (!std::isfinite(sample.value) || (counter && sample.value < 0.0)) {
        return SampleFault{"value", counter ? "the counter's cumulative reading, a number >= 0"
                                            : "the sensor reading, a finite number"};
      }
      return std::nullopt;
    }
  }
  return SampleFault{"kind", "state, counter or sensor"};
}

std::optional<std::string> check_name_text(std::string_view text) {
  if (text.size() > kMaxNameBytes) {
    return fmt::format("expected a name of at most {} bytes, found one of {} bytes", kMaxNameBytes,
                       text.size());
  }
  if (!is_utf8(text)) {
    return std::string("expected UTF-8 text, found bytes that are not valid UTF-8");
  }
  return std::nullopt;
}

}  // namespace linetwin
