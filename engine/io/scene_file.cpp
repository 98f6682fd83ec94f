#include "io/scene_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/duration.hpp"

namespace linetwin {

namespace {

// Reads YAML nodes with the file name at hand, so that every error can say where it is.
class SceneReader {
 public:
  explicit SceneReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                         const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    const bool known = mark.line >= 0 && !mark.is_null();
    throw InputError({file_, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, path}, what);
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  static std::string describe(const YAML::Node& node) {
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

  void expect_map(const YAML::Node& node, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const {
    if (!node.IsMap())
      fail(node, path, "expected a mapping of keys to values, found " + describe(node));
    std::vector<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      // yaml-cpp keeps duplicate keys and lookups return the first: reject them instead.
      for (const std::string& earlier : seen) {
        if (earlier == key) {
          fail(entry.first, join(path, key),
               fmt::format("the key '{}' appears twice here; expected each key once", key));
        }
      }
      seen.push_back(key);
      bool known = false;
      for (std::string_view a : allowed)
        known = known || key == a;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed)
          list += (list.empty() ? "" : ", ") + std::string(a);
        fail(entry.first, join(path, key),
             fmt::format("unknown key '{}'; expected one of: {}", key, list));
      }
    }
  }

  const YAML::Node require(const YAML::Node& map, const std::string& path,
                           std::string_view key) const {
    YAML::Node value = map[std::string(key)];
    if (!value) fail(map, join(path, key), fmt::format("missing required key '{}'", key));
    return value;
  }

  std::string string(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(node, path, "expected text, found " + describe(node));
    return node.Scalar();
  }

  double number(const YAML::Node& node, const std::string& path) const {
    if (node.IsScalar()) {
      double value = 0.0;
      std::istringstream in(node.Scalar());
      in.imbue(std::locale::classic());
      if (in >> value && (in >> std::ws).eof() && std::isfinite(value)) return value;
    }
    fail(node, path, "expected a number, found " + describe(node));
  }

  std::uint64_t whole_number(const YAML::Node& node, const std::string& path,
                             std::string_view what) const {
    if (node.IsScalar()) {
      const std::string& text = node.Scalar();
      std::size_t used = 0;
      bool ok = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
      if (ok) {
        try {
          const unsigned long long value = std::stoull(text, &used);
          if (used == text.size()) return value;
        } catch (const std::out_of_range&) {
        }
      }
    }
    fail(node, path, fmt::format("expected {}, found {}", what, describe(node)));
  }

  double duration(const YAML::Node& node, const std::string& path, bool allow_zero) const {
    if (node.IsScalar()) {
      if (auto seconds = parse_duration_seconds(node.Scalar())) {
        if (*seconds > 0.0 || (allow_zero && *seconds == 0.0)) return *seconds;
        fail(node, path,
             fmt::format("expected a duration {} 0, found '{}'", allow_zero ? ">=" : ">",
                         node.Scalar()));
      }
    }
    fail(node, path, fmt::format("expected {}, found {}", kDurationSyntax, describe(node)));
  }

  Distribution distribution(const YAML::Node& node, const std::string& path) const {
    // A bare duration is a constant.
    if (node.IsScalar()) {
      if (auto seconds = parse_duration_seconds(node.Scalar())) {
        Distribution d = Distribution::constant(*seconds);
        if (auto problem = d.problem()) fail(node, path, *problem);
        return d;
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
    auto plain = [&](std::string_view key) {
      return number(require(node, path, key), join(path, key));
    };
    Distribution d;
    switch (*kind) {
      case DistributionKind::kConstant:
        expect_map(node, path, {"distribution", "value"});
        d = Distribution::constant(time("value"));
        break;
      case DistributionKind::kUniform:
        expect_map(node, path, {"distribution", "min", "max"});
        d = Distribution::uniform(time("min"), time("max"));
        break;
      case DistributionKind::kTriangular:
        expect_map(node, path, {"distribution", "min", "mode", "max"});
        d = Distribution::triangular(time("min"), time("mode"), time("max"));
        break;
      case DistributionKind::kExponential:
        expect_map(node, path, {"distribution", "mean"});
        d = Distribution::exponential(time("mean"));
        break;
      case DistributionKind::kNormal:
        expect_map(node, path, {"distribution", "mean", "sd"});
        d = Distribution::normal(time("mean"), time("sd"));
        break;
      case DistributionKind::kLognormal:
        expect_map(node, path, {"distribution", "mean", "sd"});
        d = Distribution::lognormal(time("mean"), time("sd"));
        break;
      case DistributionKind::kGamma:
        if (name == "erlang") {
          expect_map(node, path, {"distribution", "k", "mean"});
          const std::uint64_t k = whole_number(require(node, path, "k"), join(path, "k"),
                                               "a whole number of phases k >= 1");
          if (k < 1)
            fail(node["k"], join(path, "k"), "expected a whole number of phases k >= 1, found 0");
          d = Distribution::erlang(static_cast<int>(std::min<std::uint64_t>(k, 1000000)),
                                   time("mean"));
        } else {
          expect_map(node, path, {"distribution", "shape", "scale", "mean"});
          const double shape = plain("shape");
          if (static_cast<bool>(node["scale"]) == static_cast<bool>(node["mean"])) {
            fail(node, path, "expected exactly one of 'scale' or 'mean' for a gamma distribution");
          }
          if (node["mean"]) {
            d = Distribution::gamma(shape, shape > 0 ? time("mean") / shape : 0.0);
          } else {
            d = Distribution::gamma(shape, time("scale"));
          }
        }
        break;
      case DistributionKind::kWeibull:
        expect_map(node, path, {"distribution", "shape", "scale"});
        d = Distribution::weibull(plain("shape"), time("scale"));
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

 private:
  std::string file_;
};

Pose read_pose(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  in.expect_map(node, path, {"x", "y", "z", "yaw_deg"});
  Pose pose;
  if (node["x"]) pose.x_m = in.number(node["x"], path + ".x");
  if (node["y"]) pose.y_m = in.number(node["y"], path + ".y");
  if (node["z"]) pose.z_m = in.number(node["z"], path + ".z");
  if (node["yaw_deg"]) pose.yaw_deg = in.number(node["yaw_deg"], path + ".yaw_deg");
  return pose;
}

void read_element(const SceneReader& in, const YAML::Node& node, const std::string& path,
                  SceneBuilder& builder) {
  if (!node.IsMap())
    in.fail(node, path, "expected an element mapping, found " + SceneReader::describe(node));
  const std::string type = in.string(in.require(node, path, "type"), path + ".type");
  SceneBuilder::Common common;
  common.id = in.string(in.require(node, path, "id"), path + ".id");
  common.origin = {node.Mark().line + 1, node.Mark().column + 1, path};
  if (node["to"]) common.to = in.string(node["to"], path + ".to");
  if (node["pose"]) common.pose = read_pose(in, node["pose"], path + ".pose");
  if (node["model"]) common.model = in.string(node["model"], path + ".model");

  if (type == "source") {
    in.expect_map(node, path,
                  {"id", "type", "to", "pose", "model", "supply", "interarrival", "when_full"});
    SourceSpec spec;
    const bool has_supply = static_cast<bool>(node["supply"]);
    const bool has_interarrival = static_cast<bool>(node["interarrival"]);
    if (has_supply == has_interarrival) {
      in.fail(node, path, "a source needs exactly one of 'supply: unlimited' or 'interarrival'");
    }
    if (has_supply) {
      const std::string supply = in.string(node["supply"], path + ".supply");
      if (supply != "unlimited") {
        in.fail(node["supply"], path + ".supply",
                fmt::format("expected 'unlimited', found '{}'", supply));
      }
      spec.unlimited_supply = true;
    } else {
      spec.interarrival = in.distribution(node["interarrival"], path + ".interarrival");
    }
    if (node["when_full"]) {
      if (has_supply)
        in.fail(node["when_full"], path + ".when_full",
                "an unlimited supply always waits; remove 'when_full'");
      const std::string policy = in.string(node["when_full"], path + ".when_full");
      if (policy == "wait") {
        spec.when_output_full = WhenOutputFull::kWait;
      } else if (policy == "lose") {
        spec.when_output_full = WhenOutputFull::kLose;
      } else {
        in.fail(node["when_full"], path + ".when_full",
                fmt::format("expected 'wait' or 'lose', found '{}'", policy));
      }
    }
    builder.add_source(std::move(common), std::move(spec));
  } else if (type == "buffer") {
    in.expect_map(node, path, {"id", "type", "to", "pose", "model", "capacity"});
    BufferSpec spec;
    const YAML::Node capacity = in.require(node, path, "capacity");
    if (!(capacity.IsScalar() && capacity.Scalar() == "unlimited")) {
      spec.capacity = in.whole_number(capacity, path + ".capacity",
                                      "a capacity: a whole number >= 0, or 'unlimited'");
    }
    builder.add_buffer(std::move(common), spec);
  } else if (type == "station") {
    in.expect_map(node, path,
                  {"id", "type", "to", "pose", "model", "servers", "processing", "breakdowns"});
    StationSpec spec;
    if (node["servers"]) {
      const std::uint64_t servers =
          in.whole_number(node["servers"], path + ".servers", "a whole number of servers >= 1");
      if (servers < 1 || servers > 65535) {
        in.fail(node["servers"], path + ".servers",
                fmt::format("expected 1 to 65535 servers, found {}", servers));
      }
      spec.servers = static_cast<std::uint32_t>(servers);
    }
    spec.processing = in.distribution(in.require(node, path, "processing"), path + ".processing");
    if (node["breakdowns"]) {
      const YAML::Node b = node["breakdowns"];
      const std::string bpath = path + ".breakdowns";
      in.expect_map(b, bpath, {"time_to_failure", "time_to_repair", "counted_on"});
      BreakdownSpec breakdowns;
      breakdowns.time_to_failure =
          in.distribution(in.require(b, bpath, "time_to_failure"), bpath + ".time_to_failure");
      if (breakdowns.time_to_failure.mean() <= 0.0) {
        in.fail(b["time_to_failure"], bpath + ".time_to_failure",
                "expected a time to failure with a mean > 0");
      }
      breakdowns.time_to_repair =
          in.distribution(in.require(b, bpath, "time_to_repair"), bpath + ".time_to_repair");
      if (b["counted_on"]) {
        const std::string clock = in.string(b["counted_on"], bpath + ".counted_on");
        if (clock == "operating_time") {
          breakdowns.counted_on = FailureClock::kOperatingTime;
        } else if (clock == "calendar_time") {
          breakdowns.counted_on = FailureClock::kCalendarTime;
        } else {
          in.fail(b["counted_on"], bpath + ".counted_on",
                  fmt::format("expected 'operating_time' or 'calendar_time', found '{}'", clock));
        }
      }
      spec.breakdowns = std::move(breakdowns);
    }
    builder.add_station(std::move(common), std::move(spec));
  } else if (type == "sink") {
    in.expect_map(node, path, {"id", "type", "to", "pose", "model"});
    builder.add_sink(std::move(common));
  } else {
    in.fail(
        node["type"], path + ".type",
        fmt::format("unknown element type '{}'; expected source, buffer, station or sink", type));
  }
}

Scene read_scene(const YAML::Node& root, const std::string& file) {
  SceneReader in(file);
  in.expect_map(root, "",
                {"linetwin_scene", "name", "description", "seed", "product", "run", "elements"});
  const YAML::Node version = in.require(root, "", "linetwin_scene");
  const std::uint64_t v = in.whole_number(version, "linetwin_scene", "a format version number");
  if (v != kSceneFormatVersion) {
    in.fail(
        version, "linetwin_scene",
        fmt::format("this build reads scene format {}, found format {}", kSceneFormatVersion, v));
  }
  SceneBuilder builder(root["name"] ? in.string(root["name"], "name")
                                    : std::string("unnamed line"));
  builder.source_file(file);
  if (root["description"]) in.string(root["description"], "description");
  if (root["product"]) builder.product(in.string(root["product"], "product"));
  if (root["seed"])
    builder.seed(in.whole_number(root["seed"], "seed", "a seed: a whole number >= 0"));

  RunSettings run;
  if (root["run"]) {
    const YAML::Node r = root["run"];
    in.expect_map(r, "run", {"duration", "warmup", "replications"});
    if (r["duration"]) run.duration_s = in.duration(r["duration"], "run.duration", false);
    if (r["warmup"]) run.warmup_s = in.duration(r["warmup"], "run.warmup", true);
    if (r["replications"]) {
      const std::uint64_t reps =
          in.whole_number(r["replications"], "run.replications", "a whole number >= 1");
      if (reps < 1 || reps > 1000000) {
        in.fail(r["replications"], "run.replications",
                fmt::format("expected 1 to 1000000 replications, found {}", reps));
      }
      run.replications = static_cast<std::uint32_t>(reps);
    }
  }
  builder.run_settings(run);

  const YAML::Node elements = in.require(root, "", "elements");
  builder.elements_origin({elements.Mark().line + 1, elements.Mark().column + 1, "elements"});
  if (!elements.IsSequence() || elements.size() == 0) {
    in.fail(elements, "elements",
            "expected a non-empty list of elements, found " + SceneReader::describe(elements));
  }
  for (std::size_t i = 0; i < elements.size(); ++i) {
    read_element(in, elements[i], fmt::format("elements[{}]", i), builder);
  }
  return builder.build();
}

}  // namespace

Scene load_scene_text(std::string_view yaml, const std::string& display_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1, ""},
                     "not valid YAML: " + e.msg);
  }
  try {
    return read_scene(root, display_name);
  } catch (const YAML::Exception& e) {
    // A conversion the reader did not anticipate; still say where.
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1, ""}, e.msg);
  }
}

Scene load_scene_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw InputError({path, 0, 0, ""}, "is a directory; expected a scene file (YAML)");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw InputError({path, 0, 0, ""},
                     fmt::format("cannot open the scene file: {}", std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return load_scene_text(text.str(), path);
}

}  // namespace linetwin
