// Whole numbers as people write them in scene files and on command lines (seeds, counts): decimal
// digits only, no sign or spaces, from 0 to 2^64 - 1. Parsers that saturate (strtoull, and CLI11
// through it) would read 99999999999999999999 as 2^64 - 1 and -1 as 2^64 - 1; this reads neither.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace linetwin {

inline std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  // from_chars takes no '+' or spaces; a leading '-' is its only sign, refused here.
  if (text.empty() || text.front() == '-') return std::nullopt;
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end) return std::nullopt;
  return value;
}

}  // namespace linetwin
