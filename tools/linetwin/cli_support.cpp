#include "cli_support.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/duration.hpp"

namespace linetwin::cli {

double flag_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  auto seconds = parse_duration_seconds(text);
  if (!seconds || *seconds < 0.0 || (!allow_zero && *seconds == 0.0)) {
    throw InputError({"", 0, 0, flag}, fmt::format("expected {}{}, found '{}'", kDurationSyntax,
                                                   allow_zero ? "" : " greater than zero", text));
  }
  return *seconds;
}

InputError cannot_write(const std::string& path, const std::string& flag) {
  return InputError({path, 0, 0, flag},
                    fmt::format("cannot write the results file: {}", std::strerror(errno)));
}

void check_writable(const std::string& path, const std::string& flag) {
  if (path.empty() || path == "-") return;
  std::ofstream probe(path, std::ios::binary | std::ios::app);
  if (!probe) throw cannot_write(path, flag);
}

void write_output(const std::string& path, const std::string& flag, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw cannot_write(path, flag);
}

}  // namespace linetwin::cli
