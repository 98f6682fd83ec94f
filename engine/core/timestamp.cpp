// The calendar arithmetic (days from a civil date and back, month lengths, leap years) is
// std::chrono's; this file only takes the fixed-width fields apart. It allocates nothing while
// parsing, since decoders call it for every sample.
#include "core/timestamp.hpp"

#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace linetwin {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
// 9999-12-31T23:59:59.999Z, the last instant parse_timestamp_us accepts, in milliseconds.
constexpr std::uint64_t kLastEpochMs = 253'402'300'799'999;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `width` decimal digits at `pos`, as a number; -1 otherwise.
int fixed_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Digits after a decimal point, as microseconds (`digits` of them, scaled to 6); the digits past
// the sixth are dropped. Returns the number of characters read, 0 when there is no digit.
std::size_t fraction_micros(std::string_view text, std::size_t pos, std::size_t max_digits,
                            int scale_digits, std::int64_t& micros) {
  std::size_t count = 0;
  micros = 0;
  while (pos + count < text.size() && is_digit(text[pos + count])) {
    if (count >= max_digits) return 0;
    if (static_cast<int>(count) < scale_digits) micros = micros * 10 + (text[pos + count] - '0');
    ++count;
  }
  for (auto i = static_cast<int>(count); i < scale_digits; ++i)
    micros *= 10;
  return count;
}

std::optional<std::int64_t> parse_epoch_ms(std::string_view text) {
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  if (whole.empty() || whole.size() > 15) return std::nullopt;
  std::uint64_t ms = 0;
  const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), ms);
  if (error != std::errc() || end != whole.data() + whole.size() || ms > kLastEpochMs)
    return std::nullopt;
  std::int64_t micros = 0;
  if (point != std::string_view::npos) {
    const std::size_t digits = fraction_micros(text, point + 1, 3, 3, micros);
    if (digits == 0 || point + 1 + digits != text.size()) return std::nullopt;
  }
  return static_cast<std::int64_t>(ms) * 1000 + micros;
}

// `YYYY-MM-DDThh:mm:ss[.f](Z|+hh:mm|+hhmm|+hh)`.
std::optional<std::int64_t> parse_iso(std::string_view text) {
  const int year = fixed_digits(text, 0, 4);
  const int month = fixed_digits(text, 5, 2);
  const int day = fixed_digits(text, 8, 2);
  const int hour = fixed_digits(text, 11, 2);
  const int minute = fixed_digits(text, 14, 2);
  const int second = fixed_digits(text, 17, 2);
  if (year < 1 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') return std::nullopt;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const std::size_t digits = fraction_micros(text, pos + 1, 9, 6, micros);
    if (digits == 0) return std::nullopt;
    pos += 1 + digits;
  }

  std::int64_t offset_minutes = 0;
  if (pos >= text.size()) return std::nullopt;  // no time zone
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    int zone_hours = fixed_digits(zone, 1, 2);
    int zone_minutes = 0;
    if (zone.size() == 6 && zone[3] == ':') {
      zone_minutes = fixed_digits(zone, 4, 2);
    } else if (zone.size() == 5) {
      zone_minutes = fixed_digits(zone, 3, 2);
    } else if (zone.size() != 3) {
      return std::nullopt;
    }
    if (zone_hours < 0 || zone_minutes < 0 || zone_hours > 23 || zone_minutes > 59)
      return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (zone_hours * 60 + zone_minutes);
  } else {
    return std::nullopt;
  }

  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  const std::int64_t seconds =
      static_cast<std::int64_t>(hour) * 3600 + minute * 60 + second - offset_minutes * 60;
  return days * kMicrosPerDay + seconds * kMicrosPerSecond + micros;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp_us(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // An ISO time has a '-' after its four-digit year; epoch milliseconds never do.
  if (text.size() >= 20 && text[4] == '-') return parse_iso(text);
  return parse_epoch_ms(text);
}

std::string format_timestamp_iso(std::int64_t timestamp_us) {
  // Floor division, so that times before 1970 keep a fraction in [0, 1 s).
  std::int64_t days = timestamp_us / kMicrosPerDay;
  std::int64_t in_day = timestamp_us % kMicrosPerDay;
  if (in_day < 0) {
    in_day += kMicrosPerDay;
    --days;
  }
  const std::chrono::year_month_day date{
      std::chrono::sys_days(std::chrono::days(static_cast<std::int32_t>(days)))};
  const std::int64_t seconds = in_day / kMicrosPerSecond;
  const std::int64_t micros = in_day % kMicrosPerSecond;
  const std::string fraction =
      micros % 1000 == 0 ? fmt::format("{:03}", micros / 1000) : fmt::format("{:06}", micros);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     seconds / 3600, seconds / 60 % 60, seconds % 60, fraction);
}

}  // namespace linetwin
