#include "cli_support.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/duration.hpp"
#include "core/whole_number.hpp"

namespace linetwin::cli {

double flag_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  return read_duration(text, allow_zero, {"", 0, 0, flag});
}

double flag_wall_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  return read_duration(
      text, allow_zero, {"", 0, 0, flag},
      {kMaxWallDurationS, "2^62 nanoseconds, about 146 years, what the clock that times it holds"});
}

CLI::Validator seed_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return parse_whole_number(text) ? ""
                                        : "expected a whole number from 0 to "
                                          "18446744073709551615 (2^64 - 1), found '" +
                                              text + "'";
      },
      "UINT64");
}

CLI::Validator finite_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11's ranges let NaN through: it compares false with both ends. Anything that is no
        // number at all is left to CLI11's own conversion to report.
        double value = 0.0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool number = error == std::errc{} && end == text.data() + text.size();
        return number && !std::isfinite(value) ? "expected a finite number, found '" + text + "'"
                                               : "";
      },
      "FINITE");
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
