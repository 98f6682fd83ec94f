#include "core/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace linetwin {

namespace {
constexpr std::array<std::pair<std::string_view, double>, 7> kUnits{{
    {"ms", 1e-3},
    {"s", 1.0},
    {"min", 60.0},
    {"h", 3600.0},
    {"d", 86400.0},
    {"w", 604800.0},
    {"", 1.0},
}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

// A number with a unit, in seconds; infinite when it is one but too large for a double.
std::optional<double> parse_seconds(std::string_view text) {
  text = trim(text);
  double value = 0.0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [stop, error] = std::from_chars(begin, end, value);
  if (stop == begin || (error != std::errc{} && error != std::errc::result_out_of_range) ||
      std::isnan(value))
    return std::nullopt;
  const std::string_view number(begin, static_cast<std::size_t>(stop - begin));
  if (error == std::errc::result_out_of_range) {
    // Too close to zero for a double (1e-400) is zero; too far from it, infinite.
    const bool tiny = number.find("e-") != number.npos || number.find("E-") != number.npos;
    value = tiny ? 0.0 : std::numeric_limits<double>::infinity();
    if (number.front() == '-') value = -value;
  }
  std::string_view unit = trim(std::string_view(stop, static_cast<std::size_t>(end - stop)));
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return value * factor;
  }
  return std::nullopt;
}
}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
  const std::optional<double> seconds = parse_seconds(text);
  if (!seconds || !std::isfinite(*seconds)) return std::nullopt;  // e.g. 1e306w overflows
  return seconds;
}

double read_duration(std::string_view text, bool allow_zero, const InputLocation& where,
                     const DurationLimit& limit) {
  const std::optional<double> seconds = parse_seconds(text);
  if (!seconds) {
    throw InputError(where, fmt::format("expected {}, found '{}'", kDurationSyntax, text));
  }
  if (*seconds < 0.0 || (!allow_zero && *seconds == 0.0)) {
    throw InputError(
        where, fmt::format("expected a duration {} 0, found '{}'", allow_zero ? ">=" : ">", text));
  }
  if (!(*seconds <= limit.max_s)) {
    throw InputError(where, fmt::format("expected a duration of at most {:.0f}s ({}), found '{}'",
                                        limit.max_s, limit.reason, text));
  }
  return *seconds;
}

std::string format_duration(double seconds) {
  const double magnitude = std::fabs(seconds);
  if (magnitude >= 86400.0 && std::fmod(seconds, 3600.0) == 0.0) {
    return fmt::format("{:g}h", seconds / 3600.0);
  }
  if (magnitude >= 3600.0) return fmt::format("{:.4g}h", seconds / 3600.0);
  if (magnitude >= 60.0) return fmt::format("{:.4g}min", seconds / 60.0);
  return fmt::format("{:.4g}s", seconds);
}

}  // namespace linetwin
