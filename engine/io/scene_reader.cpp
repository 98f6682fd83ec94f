#include "io/scene_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <locale>
#include <optional>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "core/duration.hpp"
#include "core/utf8.hpp"
#include "core/whole_number.hpp"
#include "plant/scene.hpp"

namespace linetwin {

InputLocation SceneReader::where(const YAML::Node& node, const std::string& path) const {
  const YAML::Mark mark = node.Mark();
  const bool known = mark.line >= 0 && !mark.is_null();
  return {file_, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, path};
}

void SceneReader::fail(const YAML::Node& node, const std::string& path,
                       const std::string& what) const {
  throw InputError(where(node, path), what);
}

std::string SceneReader::join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string SceneReader::describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    default:
      return "an undefined value";
  }
}

void SceneReader::unique_keys(const YAML::Node& node, const std::string& path) const {
  if (!node.IsMap())
    fail(node, path, "expected a mapping of keys to values, found " + describe(node));
  // A set, not a list searched for each key: a mapping of 100,000 keys took hours.
  std::unordered_set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (!seen.insert(key).second) {
      fail(entry.first, join(path, key),
           fmt::format("the key '{}' appears twice here; expected each key once", key));
    }
  }
}

void SceneReader::expect_map(const YAML::Node& node, const std::string& path,
                             std::initializer_list<std::string_view> allowed) const {
  unique_keys(node, path);
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
      fail(entry.first, join(path, key),
           fmt::format("unknown key '{}'; expected one of: {}", key, list));
    }
  }
}

const YAML::Node SceneReader::require(const YAML::Node& map, const std::string& path,
                                      std::string_view key) const {
  YAML::Node value = map[std::string(key)];
  if (!value) fail(map, join(path, key), fmt::format("missing required key '{}'", key));
  return value;
}

std::string SceneReader::string(const YAML::Node& node, const std::string& path) const {
  if (!node.IsScalar()) fail(node, path, "expected text, found " + describe(node));
  // Text goes into names, messages and reports: no control character but tab and line breaks,
  // written raw or as a YAML escape ("\0"), which yaml-cpp passes through.
  for (const char c : node.Scalar()) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
      fail(node, path,
           fmt::format("expected text without control characters, found the byte 0x{:02x}", byte));
    }
  }
  return node.Scalar();
}

double SceneReader::number(const YAML::Node& node, const std::string& path) const {
  if (node.IsScalar()) {
    double value = 0.0;
    std::istringstream in(node.Scalar());
    in.imbue(std::locale::classic());
    if (in >> value && (in >> std::ws).eof() && std::isfinite(value)) return value;
  }
  fail(node, path, "expected a number, found " + describe(node));
}

std::uint64_t SceneReader::whole_number(const YAML::Node& node, const std::string& path,
                                        std::string_view what) const {
  if (node.IsScalar()) {
    if (auto value = parse_whole_number(node.Scalar())) return *value;
  }
  fail(node, path, fmt::format("expected {}, found {}", what, describe(node)));
}

double SceneReader::duration(const YAML::Node& node, const std::string& path,
                             bool allow_zero) const {
  if (!node.IsScalar())
    fail(node, path, fmt::format("expected {}, found {}", kDurationSyntax, describe(node)));
  return read_duration(node.Scalar(), allow_zero, where(node, path));
}

void SceneReader::count_product_values(const YAML::Node& node, const std::string& path,
                                       std::size_t values) const {
  product_values_ += values;
  if (product_values_ > kMaxProductValues) {
    fail(node, path,
         fmt::format("the scene's values per product would pass {} here; expected fewer "
                     "products, or fewer elements with values per product "
                     "(docs/scene-format.md#limits)",
                     kMaxProductValues));
  }
}

namespace {
// The unit a duration that has parsed was typed in.
DurationUnit unit_of(const YAML::Node& duration) {
  return duration_unit_of(duration.Scalar()).value_or(DurationUnit::kSeconds);
}
}  // namespace

Distribution SceneReader::distribution(const YAML::Node& node, const std::string& path) const {
  // A bare duration is a constant.
  if (node.IsScalar()) {
    if (parse_duration_seconds(node.Scalar())) {
      return Distribution::constant(duration(node, path, true)).with_units(unit_of(node));
    }
    fail(node, path,
         "expected a distribution: a mapping with 'distribution' and its parameters, or a "
         "fixed duration such as 45s; found " +
             describe(node));
  }
  if (!node.IsMap()) fail(node, path, "expected a distribution mapping, found " + describe(node));
  const std::string kind_path = join(path, "distribution");
  const std::string name = string(require(node, path, "distribution"), kind_path);
  auto kind = distribution_kind_from_string(name);
  if (!kind) {
    fail(node["distribution"], kind_path,
         fmt::format("unknown distribution '{}'; expected one of: constant, uniform, triangular, "
                     "exponential, normal, lognormal, gamma, erlang, weibull, empirical",
                     name));
  }
  auto time = [&](std::string_view key) {
    return duration(require(node, path, key), join(path, key), true);
  };
  // The unit a duration parameter was typed in, for describe(); read after time() took it.
  auto unit = [&](std::string_view key) { return unit_of(node[std::string(key)]); };
  auto plain = [&](std::string_view key) {
    return number(require(node, path, key), join(path, key));
  };
  Distribution d;
  switch (*kind) {
    case DistributionKind::kConstant:
      expect_map(node, path, {"distribution", "value"});
      d = (name == "deterministic" ? Distribution::deterministic(time("value"))
                                   : Distribution::constant(time("value")))
              .with_units(unit("value"));
      break;
    case DistributionKind::kUniform:
      expect_map(node, path, {"distribution", "min", "max"});
      d = Distribution::uniform(time("min"), time("max")).with_units(unit("min"), unit("max"));
      break;
    case DistributionKind::kTriangular:
      expect_map(node, path, {"distribution", "min", "mode", "max"});
      d = Distribution::triangular(time("min"), time("mode"), time("max"))
              .with_units(unit("min"), unit("mode"), unit("max"));
      break;
    case DistributionKind::kExponential:
      expect_map(node, path, {"distribution", "mean"});
      d = Distribution::exponential(time("mean")).with_units(unit("mean"));
      break;
    case DistributionKind::kNormal:
      expect_map(node, path, {"distribution", "mean", "sd"});
      d = Distribution::normal(time("mean"), time("sd")).with_units(unit("mean"), unit("sd"));
      break;
    case DistributionKind::kLognormal:
      expect_map(node, path, {"distribution", "mean", "sd"});
      d = Distribution::lognormal(time("mean"), time("sd")).with_units(unit("mean"), unit("sd"));
      break;
    case DistributionKind::kGamma:
      if (name == "erlang") {
        expect_map(node, path, {"distribution", "k", "mean"});
        const std::uint64_t k = whole_number(require(node, path, "k"), join(path, "k"),
                                             "a whole number of phases k >= 1");
        if (k < 1)
          fail(node["k"], join(path, "k"), "expected a whole number of phases k >= 1, found 0");
        d = Distribution::erlang(static_cast<int>(std::min<std::uint64_t>(k, 1000000)),
                                 time("mean"))
                .with_units(unit("mean"));
      } else {
        expect_map(node, path, {"distribution", "shape", "scale", "mean"});
        const double shape = plain("shape");
        if (static_cast<bool>(node["scale"]) == static_cast<bool>(node["mean"])) {
          fail(node, path, "expected exactly one of 'scale' or 'mean' for a gamma distribution");
        }
        if (node["mean"]) {
          d = Distribution::gamma_with_mean(shape, time("mean")).with_units(unit("mean"));
        } else {
          d = Distribution::gamma(shape, time("scale")).with_units(unit("scale"));
        }
      }
      break;
    case DistributionKind::kWeibull:
      expect_map(node, path, {"distribution", "shape", "scale"});
      d = Distribution::weibull(plain("shape"), time("scale")).with_units(unit("scale"));
      break;
    case DistributionKind::kEmpirical: {
      expect_map(node, path, {"distribution", "samples"});
      const YAML::Node samples = require(node, path, "samples");
      const std::string samples_path = join(path, "samples");
      if (!samples.IsSequence())
        fail(samples, samples_path, "expected a list of durations, found " + describe(samples));
      std::vector<double> values;
      for (std::size_t i = 0; i < samples.size(); ++i) {
        values.push_back(duration(samples[i], fmt::format("{}[{}]", samples_path, i), true));
      }
      d = Distribution::empirical(std::move(values));
      break;
    }
  }
  if (auto problem = d.problem()) fail(node, path, *problem);
  return d;
}

double SceneReader::probability(const YAML::Node& node, const std::string& path) const {
  const double p = number(node, path);
  if (p < 0.0 || p > 1.0)
    fail(node, path, fmt::format("expected a share from 0 to 1, found {:.6g}", p));
  return p;
}

std::vector<std::string> SceneReader::strings(const YAML::Node& node,
                                              const std::string& path) const {
  if (!node.IsSequence() || node.size() == 0)
    fail(node, path, "expected a non-empty list, found " + describe(node));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i)
    out.push_back(string(node[i], fmt::format("{}[{}]", path, i)));
  return out;
}

std::uint32_t SceneReader::count(const YAML::Node& node, const std::string& path, std::uint64_t min,
                                 std::uint64_t max) const {
  const std::uint64_t value =
      whole_number(node, path, fmt::format("a whole number from {} to {}", min, max));
  if (value < min || value > max)
    fail(node, path,
         fmt::format("expected a whole number from {} to {}, found {}", min, max, value));
  return static_cast<std::uint32_t>(value);
}

std::string read_input_file(const std::string& path, std::string_view what) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw InputError({path, 0, 0, ""}, fmt::format("is a directory; expected a {} (YAML)", what));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw InputError({path, 0, 0, ""},
                     fmt::format("cannot open the {}: {}", what, std::strerror(errno)));
  }
  std::string text;
  std::array<char, 65536> chunk;
  while (file.read(chunk.data(), chunk.size()) || file.gcount() > 0)
    text.append(chunk.data(), static_cast<std::size_t>(file.gcount()));
  return text;
}

YAML::Node parse_yaml(std::string_view text, const std::string& display_name,
                      std::string_view what) {
  if (const std::optional<std::size_t> line = first_line_not_utf8(text)) {
    throw InputError({display_name, static_cast<int>(*line), 0, ""},
                     fmt::format("expected UTF-8 text (a {} is UTF-8), found bytes that are not "
                                 "valid UTF-8",
                                 what));
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1, ""},
                     "not valid YAML: " + e.msg);
  }
}

}  // namespace linetwin
