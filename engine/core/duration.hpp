// Durations as people write them in scene files and on the command line: "90s", "5min", "8h",
// "1.5d", "250ms", or a bare number of seconds. The simulation clock itself is in seconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace linetwin {

// Parses a duration into seconds. Returns nothing when the text is not a number followed by an
// optional unit (ms, s, min, h, d, w). Negative values parse; callers decide what they accept.
std::optional<double> parse_duration_seconds(std::string_view text);

// What parse_duration_seconds accepts, for error messages.
inline constexpr std::string_view kDurationSyntax =
    "a duration such as 90, 90s, 5min, 8h, 1.5d or 250ms (units: ms, s, min, h, d, w)";

// Renders seconds with a readable unit ("8h", "5min", "90s") for tables.
std::string format_duration(double seconds);

}  // namespace linetwin
