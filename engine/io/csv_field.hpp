// Writing one CSV field (RFC 4180) of the reports: free text, such as variant names, quoted with
// quotes doubled when it holds a comma, a quote or a line break; a number in full precision, or
// an empty cell where it is undefined (NaN) or infinite.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace linetwin {

inline std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

inline std::string csv_number(double value) {
  return std::isfinite(value) ? fmt::format("{}", value) : std::string();
}

}  // namespace linetwin
