// A test that needs what a machine may lack (../shared/data, a mosquitto broker and its clients, a
// display with OpenGL 3.3) says so to CTest instead of passing: skip_test() prints
// LINETWIN_TEST_SKIP_MARKER, which every doctest case has as its SKIP_REGULAR_EXPRESSION
// (tests/CMakeLists.txt defines both), and the test then returns. CI installs everything, so
// tools/run-tests.sh fails on any skipped test.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace linetwin::test {

inline void skip_test(std::string_view reason) {
  std::cout << LINETWIN_TEST_SKIP_MARKER << ": " << reason << std::endl;
}

// The shared data folder: $LINETWIN_SHARED_DATA, or ../shared/data beside the repository. The
// variable lets a test run see what these tests do where the data is absent.
inline std::filesystem::path shared_data_dir() {
  const char* dir = std::getenv("LINETWIN_SHARED_DATA");
  return std::filesystem::absolute(
      dir != nullptr && *dir != '\0'
          ? std::filesystem::path(dir)
          : std::filesystem::path(LINETWIN_SOURCE_DIR "/../shared/data"));
}

// `relative` in the shared data folder, or nullopt with the test reported skipped.
inline std::optional<std::filesystem::path> shared_data_or_skip(std::string_view relative) {
  std::filesystem::path path = shared_data_dir() / relative;
  if (std::filesystem::exists(path)) return path;
  skip_test("needs " + path.string() + " (../shared/data, or $LINETWIN_SHARED_DATA)");
  return std::nullopt;
}

}  // namespace linetwin::test
