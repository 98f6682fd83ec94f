#include "core/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>
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
}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
  text = trim(text);
  double value = 0.0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [stop, error] = std::from_chars(begin, end, value);
  if (error != std::errc{} || stop == begin || !std::isfinite(value)) return std::nullopt;
  std::string_view unit = trim(std::string_view(stop, static_cast<std::size_t>(end - stop)));
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      const double seconds = value * factor;
      if (!std::isfinite(seconds)) return std::nullopt;  // e.g. 1e306w overflows
      return seconds;
    }
  }
  return std::nullopt;
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
