// The rules a telemetry sample read from a log must satisfy, whichever file it came in by. The
// CSV log reader (csv_telemetry_log.cpp) and the HDF5 recording reader
// (recording/recording_reader.cpp) both apply these, so that a value one refuses the other
// refuses too; each reader says where the value was (line and column, dataset row and member) and
// what it found, in its own terms. The rules are those docs/twins.md states for a CSV log.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/utf8.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

// The instants a sample may carry: years 0001 to 9999, what an ISO 8601 timestamp can say
// (parse_timestamp_us reads no other).
inline constexpr std::int64_t kEarliestSampleTimeUs =
    std::chrono::sys_days(std::chrono::year(1) / 1 / 1).time_since_epoch().count() *
    std::int64_t{86'400'000'000};
inline constexpr std::int64_t kLatestSampleTimeUs =
    std::chrono::sys_days(std::chrono::year(10000) / 1 / 1).time_since_epoch().count() *
        std::int64_t{86'400'000'000} -
    1;

// The longest machine id, reason, counter name or sensor channel, in bytes of UTF-8: the width
// of a recording's name fields (docs/recording-format.md), which hold any name up to it.
inline constexpr std::size_t kMaxNameBytes = 1024;

// What is wrong with a sample: the field at fault (timestamp, machine, kind, state, name or
// value) and what was expected there, for an "expected ..., found ..." message.
struct SampleFault {
  std::string_view field;
  std::string_view expected;
};

// Checks a sample whose machine id and name are `machine_id` and `name` (the texts its indices
// refer to); nullopt when it is valid. Fields are checked in the order above, so the first
// fault is reported. A counter reads a number >= 0, a sensor a finite number, a state has no
// value (0) and a non-state sample no state (unknown); counters and sensors are named.
std::optional<SampleFault> check_sample(const TelemetrySample& sample, std::string_view machine_id,
                                        std::string_view name);

// What is wrong with a name as text (it is not UTF-8, or is longer than kMaxNameBytes), as
// "expected ..., found ..." that never quotes the bytes at fault; nullopt when it is fine.
std::optional<std::string> check_name_text(std::string_view text);

}  // namespace linetwin
