// Timestamps as telemetry writes them, and as linetwin writes them back: ISO 8601 date-times in
// UTC or with an offset (the RFC 3339 profile that MTConnect, OPC UA PubSub JSON and most MQTT
// payloads use), or Unix epoch milliseconds as number text. Every path that reads a time from
// outside (message decoders, CSV logs, MTConnect logs) goes through this one parser, so that a
// timestamp means the same instant whichever door it came in by.
//
// Internally a time is a count of microseconds since 1970-01-01T00:00:00Z (TelemetrySample's
// timestamp_us): fine enough for 1 kHz sensors, exact in integers, and good for ±292,000 years.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linetwin {

// Parses one timestamp, the whole text and nothing else (no surrounding spaces):
//  - ISO 8601 / RFC 3339: `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm|+hhmm|+hh)`, where the
//    `T` may also be `t` or a space and `Z` also `z`; the fraction has 1 to 9 digits, of which
//    digits past the sixth (below a microsecond) are dropped, truncating. A time zone is required:
//    a time without one is local to some unknown place. Leap seconds (`:60`) are rejected.
//  - epoch milliseconds: decimal digits, optionally with a fraction of up to 3 digits (a
//    fraction of a millisecond, down to the microsecond), e.g. `1690210470547` or
//    `1690210470547.868`.
// Returns microseconds since the Unix epoch, or nullopt for anything else (including dates that
// do not exist, such as 2023-02-29, and times outside years 0001-9999).
std::optional<std::int64_t> parse_timestamp_us(std::string_view text);

// The ISO 8601 text of a time in UTC, `2023-07-24T14:54:30.547868Z`: six fractional digits, or
// three when the time is a whole millisecond (`...:30.547Z`). parse_timestamp_us reads it back
// to the same microsecond.
std::string format_timestamp_iso(std::int64_t timestamp_us);

// The timestamp of simulated time `t_s` (seconds) in a run whose time 0 is `start_us`, to the
// nearest microsecond: the one rule by which simulated telemetry, recordings and their replay
// stamp simulated instants, so that a station's sample, a body's pose and a KPI snapshot of one
// instant carry one time.
inline std::int64_t timestamp_at_us(std::int64_t start_us, double t_s) {
  return start_us + std::llround(t_s * 1e6);
}

// What parse_timestamp_us accepts, for error messages ("expected ..., found ...").
inline constexpr std::string_view kTimestampSyntax =
    "an ISO 8601 time with a time zone (2023-07-24T14:54:30.5478Z or +02:00) or epoch "
    "milliseconds (1690210470547)";

}  // namespace linetwin
