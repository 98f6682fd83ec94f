#include "core/utf8.hpp"

#include <simdjson.h>

namespace linetwin {

bool is_utf8(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size());
}

std::optional<std::size_t> first_line_not_utf8(std::string_view text) {
  if (is_utf8(text)) return std::nullopt;
  std::size_t line = 1;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (!is_utf8(text.substr(0, end))) return line;
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
    ++line;
  }
  return std::nullopt;  // not reached: some line holds the fault
}

}  // namespace linetwin
