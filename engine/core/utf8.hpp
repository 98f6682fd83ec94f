// Whether a text is valid UTF-8, as every name and text that linetwin writes out (JSON, CSV,
// recordings) must be: input that is not is refused where it is read, naming the place.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace linetwin {

bool is_utf8(std::string_view text);

// The 1-based line of the first line of `text` that is not valid UTF-8 (a newline is never part
// of a longer character, so the text can be checked line by line); nullopt when all of it is.
std::optional<std::size_t> first_line_not_utf8(std::string_view text);

}  // namespace linetwin
