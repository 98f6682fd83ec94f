// Durations as people write them in scene files and on the command line: "90s", "5min", "8h",
// "1.5d", "250ms", or a bare number of seconds. The simulation clock itself is in seconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/input_error.hpp"

namespace linetwin {

// The longest duration anything accepts, in seconds: 251,634,729,599 s, about 7,974 years.
// Recordings count time in int64 microseconds since 1970-01-01T00:00Z, and their readers hold
// instants up to 9999-12-31T23:59:59.999999Z, as ISO 8601 timestamps do; a simulated run's
// recording starts at 2026-01-05T00:00Z (recording/simulation_recording.hpp). So that every
// time a run reaches, its warm-up plus its duration, can be recorded, the bound is the time from
// that start to that end, in whole seconds. (2^63 - 1 us, what the integers hold, about 292,271
// years, would not do: the start comes on top of it.)
inline constexpr double kMaxDurationS = 251'634'729'599.0;

// Parses a duration into seconds. Returns nothing when the text is not a number followed by an
// optional unit (ms, s, min, h, d, w), or the number is too large for a double. Negative values
// parse; callers decide what they accept, or use read_duration.
std::optional<double> parse_duration_seconds(std::string_view text);

// What parse_duration_seconds accepts, for error messages.
inline constexpr std::string_view kDurationSyntax =
    "a duration such as 90, 90s, 5min, 8h, 1.5d or 250ms (units: ms, s, min, h, d, w)";

// The most a duration may be, and why, for the message that refuses a longer one.
struct DurationLimit {
  double max_s;
  std::string_view reason;
};
inline constexpr DurationLimit kRunDurationLimit{
    kMaxDurationS,
    "about 7,974 years: a recording of the run, from 2026-01-05, holds times up to the end of the "
    "year 9999"};

// Reads a duration: > 0 (>= 0 with `allow_zero`) and at most `limit` (by default, one a run can
// take). Anything else is an InputError at `where` that says what was expected and what was found.
double read_duration(std::string_view text, bool allow_zero, const InputLocation& where,
                     const DurationLimit& limit = kRunDurationLimit);

// Renders seconds with a readable unit ("8h", "5min", "90s") for tables.
std::string format_duration(double seconds);

}  // namespace linetwin
