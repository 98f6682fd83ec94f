// Files on disk for the tests that read them (order files, scene files that name an order file):
// a fresh temporary directory per use, removed with everything in it when the test leaves its
// scope, so that test processes run in parallel (ctest -j) never share a file and none is left
// behind.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

namespace linetwin::test {

class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("linetwin-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` byte for byte to the file `name` in this directory (replacing it if it is
  // there) and returns the file's path. The file is closed before the check, so that a failed
  // write of the last bytes fails the test too.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << text;
    out.close();
    REQUIRE(out.good());
    return file.string();
  }

  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace linetwin::test
