// One telemetry sample: what one machine reported at one instant. This is the currency of the
// whole telemetry path: message decoders produce samples, twins consume them, recordings (CSV,
// HDF5) store them, replay reads them back, calibration fits distributions to them, and a
// simulation run can emit them as its stations would. Plain data, 32 bytes, no strings: names
// (machine ids, down reasons, sensor channels) are interned in a TelemetryNames table and
// referred to by index, so that decoding and applying a sample allocates nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "telemetry/machine_state.hpp"

namespace linetwin {

enum class SampleKind : std::uint8_t {
  kState,    // the machine entered `state` (with `name` = down reason when down)
  kCounter,  // cumulative counter `name` ("good", "scrap", ...) now reads `value`
  kSensor,   // sensor channel `name` reads `value`
};

struct TelemetrySample {
  std::int64_t timestamp_us = 0;  // UTC, microseconds since the Unix epoch
  std::uint64_t sequence = 0;     // the machine's message sequence number; 0 when it sends none
  double value = 0.0;             // counter reading or sensor value; unused for kState
  std::uint32_t machine = 0;      // index of the machine id in TelemetryNames::machines
  std::uint16_t name = 0;         // index in TelemetryNames::names (reason, counter, channel)
  SampleKind kind = SampleKind::kState;
  MachineState state = MachineState::kUnknown;  // kState only
};
static_assert(sizeof(TelemetrySample) == 32);

// Counter names with a meaning to the twin's KPIs; any other counter is kept but not interpreted.
inline constexpr std::string_view kGoodPartsCounter = "good";
inline constexpr std::string_view kScrapPartsCounter = "scrap";

// Interned strings. Index 0 of `names` is always the empty string (no reason, no channel).
class TelemetryNames {
 public:
  TelemetryNames() { intern_name(""); }

  const std::vector<std::string>& machines() const { return machines_; }
  const std::vector<std::string>& names() const { return names_; }

  // Index of a machine id, adding it when new.
  std::uint32_t intern_machine(std::string_view id) {
    return intern(id, machines_, machine_index_);
  }
  // Index of a machine id, or -1 when unknown (decoders bound to a scene use this).
  std::int64_t find_machine(std::string_view id) const {
    auto it = machine_index_.find(std::string(id));
    return it == machine_index_.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
  bool has_name(std::string_view name) const {
    return name_index_.find(std::string(name)) != name_index_.end();
  }
  std::uint16_t intern_name(std::string_view name) {
    return static_cast<std::uint16_t>(intern(name, names_, name_index_));
  }

 private:
  static std::uint32_t intern(std::string_view text, std::vector<std::string>& list,
                              std::unordered_map<std::string, std::uint32_t>& index) {
    auto [it, added] =
        index.try_emplace(std::string(text), static_cast<std::uint32_t>(list.size()));
    if (added) list.emplace_back(text);
    return it->second;
  }
  std::vector<std::string> machines_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t> machine_index_;
  std::unordered_map<std::string, std::uint32_t> name_index_;
};

// A recorded telemetry session or a simulation's emitted telemetry: samples in the order they
// were received or produced (not necessarily timestamp order).
struct TelemetryLog {
  TelemetryNames names;
  std::vector<TelemetrySample> samples;
};

}  // namespace linetwin
