// Writing one CSV field (RFC 4180) for the reports that hold free text, such as variant names:
// quoted, with quotes doubled, when it holds a comma, a quote or a line break; as it is otherwise.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace linetwin
