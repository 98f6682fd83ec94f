// The value conventions every JSON report of linetwin shares, so that pandas and spreadsheets
// read them alike: a number that is not finite (NaN for "undefined", an infinity) is null, and a
// time that is not known is null rather than a made-up epoch.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"

namespace linetwin::json_values {

inline nlohmann::ordered_json number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

// An ISO 8601 UTC time, or null for `none` (the twins' kNoTime).
inline nlohmann::ordered_json time_or_null(
    std::int64_t timestamp_us, std::int64_t none = std::numeric_limits<std::int64_t>::min()) {
  if (timestamp_us == none) return nullptr;
  return format_timestamp_iso(timestamp_us);
}

}  // namespace linetwin::json_values
