// SceneReader: reads YAML nodes with the file name at hand, so that every error can say where it
// is (file, 1-based line and column, field path). The scene loader, the scene overrides and the
// scenario loader read their YAML through it, so that a value means, and a mistake reads, the
// same in each: a duration, a distribution, an unknown or repeated key.
//
// An io-internal header: it names yaml-cpp types, which no header outside engine/io does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/distribution.hpp"
#include "core/input_error.hpp"

namespace linetwin {

class SceneReader {
 public:
  explicit SceneReader(std::string file) : file_(std::move(file)) {}

  InputLocation where(const YAML::Node& node, const std::string& path) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                         const std::string& what) const;

  static std::string join(const std::string& path, std::string_view key);
  static std::string describe(const YAML::Node& node);

  // A mapping whose keys each appear once (yaml-cpp keeps a repeated key and lookups return the
  // first, so a repeat would silently lose a value).
  void unique_keys(const YAML::Node& node, const std::string& path) const;
  // A mapping with unique keys, each one of `allowed`.
  void expect_map(const YAML::Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const;
  const YAML::Node require(const YAML::Node& map, const std::string& path,
                           std::string_view key) const;

  std::string string(const YAML::Node& node, const std::string& path) const;
  double number(const YAML::Node& node, const std::string& path) const;
  std::uint64_t whole_number(const YAML::Node& node, const std::string& path,
                             std::string_view what) const;
  double duration(const YAML::Node& node, const std::string& path, bool allow_zero) const;
  // Values per product are allocated as they are read, so the budget for them
  // (kMaxProductValues) is counted before each allocation, not after the scene is built.
  void count_product_values(const YAML::Node& node, const std::string& path,
                            std::size_t values) const;
  // A distribution mapping, or a bare duration (a constant); docs/scene-format.md#distributions.
  Distribution distribution(const YAML::Node& node, const std::string& path) const;
  double probability(const YAML::Node& node, const std::string& path) const;
  std::vector<std::string> strings(const YAML::Node& node, const std::string& path) const;
  std::uint32_t count(const YAML::Node& node, const std::string& path, std::uint64_t min,
                      std::uint64_t max) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  mutable std::size_t product_values_ = 0;  // counted by count_product_values
};

// The bytes of a YAML file that linetwin reads as input, a `what` ("scene file"). InputError
// naming the file when it is a directory or cannot be opened. Not `stream << file.rdbuf()`, which
// would turn a failed allocation into a short text: std::bad_alloc reaches the caller.
std::string read_input_file(const std::string& path, std::string_view what);

// Parses the YAML text of a `what` ("scene file"). InputError at the line in `display_name` of
// bytes that are not UTF-8 (every name read ends up in JSON, CSV and recordings, which hold UTF-8
// only), or at the line and column of a syntax error.
YAML::Node parse_yaml(std::string_view text, const std::string& display_name,
                      std::string_view what);

}  // namespace linetwin
