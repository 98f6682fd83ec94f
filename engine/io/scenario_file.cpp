#include "io/scenario_file.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/duration.hpp"
#include "core/utf8.hpp"
#include "experiment/replication_table.hpp"
#include "io/scene_file.hpp"
#include "io/scene_reader.hpp"
#include "io/snapshot_file.hpp"

namespace linetwin {

namespace {

// A list of names for a message: the first 20, then "...".
std::string listed(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < 20; ++i)
    list += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > 20) list += ", ...";
  return list;
}

// A value as YAML text that reads back as the same node (a scalar quoted where it must be).
std::string yaml_text(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

// A value as written, for names and messages: a scalar's text, else its YAML.
std::string written(const YAML::Node& node) {
  return node.IsScalar() ? node.Scalar() : yaml_text(node);
}

// "B1 {B1.capacity}": each {PATH} replaced by that path's value; every placeholder checked.
std::string fill(const SceneReader& in, const YAML::Node& at, const std::string& path,
                 const std::string& pattern,
                 const std::vector<ScenarioVariant::Parameter>& parameters) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '}') {
      in.fail(at, path, "expected '}' only after a '{' that opens a swept path");
    }
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    if (close == std::string::npos) in.fail(at, path, "expected a '}' after the last '{'");
    const std::string wanted = pattern.substr(i + 1, close - i - 1);
    const ScenarioVariant::Parameter* found = nullptr;
    std::vector<std::string> paths;
    for (const ScenarioVariant::Parameter& p : parameters) {
      paths.push_back(p.path);
      if (p.path == wanted) found = &p;
    }
    if (!found) {
      in.fail(
          at, path,
          fmt::format("'{{{}}}' names no swept path; expected one of: {}", wanted, listed(paths)));
    }
    out += found->text;
    i = close;
  }
  return out;
}

class ScenarioReader {
 public:
  explicit ScenarioReader(Scenario& scenario) : in_(scenario.file), s_(scenario) {}

  void read(const YAML::Node& root) {
    in_.expect_map(
        root, "",
        {"linetwin_scenario", "name", "description", "base", "run", "baseline",
         "common_random_numbers", "variants", "sweep", "gates", "precision", "selection", "start"});
    const YAML::Node version = in_.require(root, "", "linetwin_scenario");
    const std::uint64_t v =
        in_.whole_number(version, "linetwin_scenario", "a format version number");
    if (v != kScenarioFormatVersion) {
      in_.fail(version, "linetwin_scenario",
               fmt::format("this build reads scenario format {}, found format {}",
                           kScenarioFormatVersion, v));
    }
    s_.name = root["name"] ? name(root["name"], "name") : default_name();
    if (root["description"]) in_.string(root["description"], "description");
    read_base(in_.require(root, "", "base"));
    if (root["run"]) read_run(root["run"]);
    if (const YAML::Node crn = root["common_random_numbers"]) {
      if (!crn.IsScalar() || (crn.Scalar() != "true" && crn.Scalar() != "false")) {
        in_.fail(crn, "common_random_numbers",
                 "expected true or false, found " + SceneReader::describe(crn));
      }
      s_.common_random_numbers = crn.Scalar() == "true";
    }

    // The baseline: the base scene exactly as `linetwin run` loads it.
    ScenarioVariant baseline;
    baseline.name = root["baseline"] ? name(root["baseline"], "baseline") : "baseline";
    baseline.origin = root["baseline"] ? in_.where(root["baseline"], "baseline")
                                       : InputLocation{s_.file, 0, 0, "baseline"};
    baseline.scene = load_scene_file(s_.base_path);
    add(std::move(baseline));
    check_run_settings(root["run"]);
    if (root["start"]) read_start(root["start"]);

    if (root["variants"]) read_variants(root["variants"]);
    if (root["sweep"]) read_sweep(root["sweep"]);
    tables_.resize(s_.variants.size());
    if (root["gates"]) read_gates(root["gates"]);
    if (root["precision"]) read_precision(root["precision"]);
    if (root["selection"]) read_selection(root["selection"]);
  }

 private:
  // The file's name stands for a scenario without `name:`; it goes into every report, so it is
  // held to what a name written in the file is.
  std::string default_name() const {
    std::string stem = std::filesystem::path(s_.file).filename().string();
    for (std::string_view suffix : {".yaml", ".yml", ".scenario"}) {
      if (stem.size() > suffix.size() && stem.ends_with(suffix))
        stem.resize(stem.size() - suffix.size());
    }
    if (stem.empty() || stem.size() > kMaxScenarioNameBytes || !is_utf8(stem)) {
      throw InputError({s_.file, 0, 0, "name"},
                       fmt::format("expected a name: the file's name, which stands for one when "
                                   "the scenario gives none, is not UTF-8 text of 1 to {} bytes",
                                   kMaxScenarioNameBytes));
    }
    return stem;
  }

  // A name of the scenario or of a variant: text, 1 to 200 bytes of UTF-8.
  std::string name(const YAML::Node& node, const std::string& path) const {
    const std::string text = in_.string(node, path);
    check_name(text, node, path);
    return text;
  }
  void check_name(const std::string& text, const YAML::Node& node, const std::string& path) const {
    if (text.empty()) in_.fail(node, path, "expected a name, found an empty one");
    if (text.size() > kMaxScenarioNameBytes) {
      in_.fail(node, path,
               fmt::format("expected a name of at most {} bytes, found {} bytes",
                           kMaxScenarioNameBytes, text.size()));
    }
    if (!is_utf8(text)) in_.fail(node, path, "expected a name in UTF-8");
  }

  void read_base(const YAML::Node& node) {
    s_.base_path = scene_file_named(node, "base", "the base scene", s_.base_text);
    // Whether the base fixes the warm-up, so that the sweep knows whether to detect one. The
    // base's own errors are the loader's to report (load_scene_file, with the base's name).
    try {
      const YAML::Node root = YAML::Load(s_.base_text);
      s_.base_fixes_warmup = root.IsMap() && root["run"].IsMap() && root["run"]["warmup"];
    } catch (const YAML::Exception&) {
      s_.base_fixes_warmup = false;
    }
  }

  // A scene file that `node` names (relative to the scenario's folder): its path, lexically normal,
  // and its bytes into `text`; a file that cannot be read is a problem of the field `field`.
  std::string scene_file_named(const YAML::Node& node, const std::string& field,
                               std::string_view what, std::string& text) const {
    const std::string written_path = in_.string(node, field);
    std::filesystem::path path(written_path);
    if (path.is_relative()) path = std::filesystem::path(s_.file).parent_path() / path;
    const std::string resolved = path.lexically_normal().string();
    try {
      text = read_input_file(resolved, "scene file");
    } catch (const InputError& e) {
      in_.fail(node, field,
               fmt::format("{} '{}' (here {}): {}", what, written_path, resolved, e.message()));
    }
    return resolved;
  }

  // `start: FILE` or `start: {snapshot: FILE, down_for: {STATION: DURATION, ...}}`.
  void read_start(const YAML::Node& node) {
    if (node.IsMap()) in_.expect_map(node, "start", {"snapshot", "down_for"});
    // Not `file = ...` on a copy of `node`: a YAML::Node assigned to writes into the node it
    // refers to.
    const YAML::Node file = node.IsMap() ? in_.require(node, "start", "snapshot") : node;
    const std::string path_field = node.IsMap() ? "start.snapshot" : "start";
    const std::string written_path = in_.string(file, path_field);
    std::filesystem::path path(written_path);
    if (path.is_relative()) path = std::filesystem::path(s_.file).parent_path() / path;
    s_.start_path = path.lexically_normal().string();
    // The snapshot's own problems name the snapshot file.
    s_.start = read_snapshot_file(s_.start_path, s_.variants.front().scene);
    if (!node.IsMap() || !node["down_for"]) return;
    const YAML::Node down_for = node["down_for"];
    if (!down_for.IsMap()) {
      in_.fail(
          down_for, "start.down_for",
          "expected a map of station ids to durations, found " + SceneReader::describe(down_for));
    }
    for (const auto& entry : down_for) {
      const std::string id = entry.first.as<std::string>();
      const std::string field = "start.down_for." + id;
      StationSnapshot* station = nullptr;
      for (StationSnapshot& s : s_.start->stations) {
        if (s.id == id) station = &s;
      }
      if (!station) {
        in_.fail(entry.first, field,
                 fmt::format("expected a station of {}, found {}", s_.base_path, id));
      }
      station->down_for_s = in_.duration(entry.second, field, true);
    }
  }

  void read_run(const YAML::Node& run) {
    in_.expect_map(run, "run", {"replications", "duration", "warmup", "seed"});
    if (run["replications"])
      s_.replications = in_.count(run["replications"], "run.replications", 1, 1000000);
    if (run["duration"]) s_.duration_s = in_.duration(run["duration"], "run.duration", false);
    if (const YAML::Node warmup = run["warmup"]) {
      if (warmup.IsScalar() && warmup.Scalar() == "auto") {
        s_.warmup_auto = true;
      } else if (warmup.IsScalar() && !parse_duration_seconds(warmup.Scalar())) {
        in_.fail(warmup, "run.warmup",
                 "expected a duration such as 4h, or auto (detected by MSER-5), found " +
                     SceneReader::describe(warmup));
      } else {
        s_.warmup_s = in_.duration(warmup, "run.warmup", true);
      }
    }
    if (run["seed"]) {
      s_.seed =
          in_.whole_number(run["seed"], "run.seed",
                           "a seed: a whole number from 0 to 18446744073709551615 (2^64 - 1)");
    }
  }

  // The scenario's run settings over the base's: each within bounds on its own, together too.
  void check_run_settings(const YAML::Node& run) const {
    if (!run) return;
    RunSettings settings = s_.variants.front().scene.run_settings();
    if (s_.duration_s) settings.duration_s = *s_.duration_s;
    if (s_.warmup_s) settings.warmup_s = *s_.warmup_s;
    if (s_.replications) settings.replications = *s_.replications;
    if (const auto problem = run_settings_problem(settings)) {
      const YAML::Node at = run[problem->field] ? run[problem->field] : run;
      in_.fail(at, "run." + problem->field, problem->message);
    }
  }

  // Refuses a name that a variant before has, before this one is built.
  void check_unique(const std::string& variant, const YAML::Node& at,
                    const std::string& path) const {
    const auto earlier = index_.find(variant);
    if (earlier == index_.end()) return;
    in_.fail(
        at, path,
        fmt::format("the name '{}' is already that of the {}; expected a unique name", variant,
                    earlier->second == 0 ? std::string("baseline")
                                         : fmt::format("variant on line {}",
                                                       s_.variants[earlier->second].origin.line)));
  }

  void add(ScenarioVariant variant) {
    index_.emplace(variant.name, s_.variants.size());
    s_.variants.push_back(std::move(variant));
  }

  void read_variants(const YAML::Node& list) {
    if (!list.IsSequence()) {
      in_.fail(list, "variants",
               "expected a list of {name, scene, set}, found " + SceneReader::describe(list));
    }
    if (list.size() >= kMaxScenarioVariants) {
      in_.fail(list, "variants",
               fmt::format("expected at most {} variants in all, the baseline among them; found "
                           "{} named ones",
                           kMaxScenarioVariants, list.size()));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      std::string path = fmt::format("variants[{}]", i);
      in_.expect_map(item, path, {"name", "scene", "set"});
      ScenarioVariant variant;
      variant.name = name(in_.require(item, path, "name"), path + ".name");
      path = fmt::format("variants[{}]", variant.name);
      check_unique(variant.name, item["name"], path + ".name");
      variant.origin = in_.where(item, path);
      if (const YAML::Node scene = item["scene"]) {
        variant.scene_path =
            scene_file_named(scene, path + ".scene", "the variant's scene", variant.scene_text);
        // The scene's own problems name its file, as the base's do; the overrides' name the
        // scenario (load_scene_with_overrides expects a scene that loads).
        variant.scene = load_scene_file(variant.scene_path);
      } else if (!item["set"]) {
        in_.fail(item, path + ".set",
                 "missing key 'set'; expected changes to the base (set), a scene file of the "
                 "variant's own (scene), or both");
      }
      if (const YAML::Node set = item["set"]) {
        in_.unique_keys(set, path + ".set");
        if (set.size() == 0)
          in_.fail(set, path + ".set", "expected at least one change, found none");
        for (const auto& entry : set) {
          const std::string key = in_.string(entry.first, path + ".set");
          variant.overrides.push_back(
              {key, yaml_text(entry.second), in_.where(entry.second, path + ".set." + key)});
        }
        // The changes are made to the variant's own scene, else to the base.
        const bool own = !variant.scene_path.empty();
        variant.scene =
            load_scene_with_overrides(own ? variant.scene_text : s_.base_text,
                                      own ? variant.scene_path : s_.base_path, variant.overrides);
      }
      add(std::move(variant));
    }
  }

  // One swept path: its values, each with where it is written.
  struct Axis {
    std::string path;
    YAML::Node values;
    std::string field;  // sweep.grid.PATH
  };

  void read_sweep(const YAML::Node& sweep) {
    in_.expect_map(sweep, "sweep", {"grid", "zip", "name"});
    if (static_cast<bool>(sweep["grid"]) == static_cast<bool>(sweep["zip"]))
      in_.fail(sweep, "sweep", "expected exactly one of 'grid' (every combination) or 'zip'");
    const bool grid = static_cast<bool>(sweep["grid"]);
    const std::string kind = grid ? "grid" : "zip";
    const YAML::Node lists = sweep[kind];
    const std::string lists_path = "sweep." + kind;
    in_.unique_keys(lists, lists_path);
    if (lists.size() == 0)
      in_.fail(lists, lists_path, "expected at least one path with its list of values");
    std::vector<Axis> axes;
    for (const auto& entry : lists) {
      Axis axis{in_.string(entry.first, lists_path), entry.second, ""};
      axis.field = lists_path + "." + axis.path;
      if (!axis.values.IsSequence() || axis.values.size() == 0) {
        in_.fail(
            axis.values, axis.field,
            "expected a non-empty list of values, found " + SceneReader::describe(axis.values));
      }
      if (!grid && !axes.empty() && axis.values.size() != axes.front().values.size()) {
        in_.fail(axis.values, axis.field,
                 fmt::format("expected {} values, as many as '{}' has (zip takes the i-th value "
                             "of each list together), found {}",
                             axes.front().values.size(), axes.front().path, axis.values.size()));
      }
      axes.push_back(std::move(axis));
    }
    // The number of points, counted before anything is built (saturating: a product too large
    // for 64 bits is just too many).
    std::size_t points = grid ? 1 : axes.front().values.size();
    std::string sizes;
    for (const Axis& axis : axes) {
      sizes += (sizes.empty() ? "" : " x ") + std::to_string(axis.values.size());
      if (grid && __builtin_mul_overflow(points, axis.values.size(), &points))
        points = std::numeric_limits<std::size_t>::max();
    }
    if (points > kMaxScenarioVariants - s_.variants.size()) {
      in_.fail(lists, lists_path,
               fmt::format("the {} makes {}{} points, which with the {} variant{} before them "
                           "are more than {}; expected at most {} variants in all",
                           kind, grid && axes.size() > 1 ? sizes + " = " : "", points,
                           s_.variants.size(), s_.variants.size() == 1 ? "" : "s",
                           kMaxScenarioVariants, kMaxScenarioVariants));
    }

    const YAML::Node pattern = sweep["name"];
    const std::string pattern_text = pattern ? in_.string(pattern, "sweep.name") : std::string();
    for (std::size_t point = 0; point < points; ++point) {
      ScenarioVariant variant;
      variant.origin = in_.where(lists, lists_path);
      // Mixed radix, the last path fastest: the first path varies slowest.
      std::size_t rest = point;
      std::vector<std::size_t> chosen(axes.size(), point);
      if (grid) {
        for (std::size_t a = axes.size(); a-- > 0;) {
          chosen[a] = rest % axes[a].values.size();
          rest /= axes[a].values.size();
        }
      }
      for (std::size_t a = 0; a < axes.size(); ++a) {
        const YAML::Node value = axes[a].values[chosen[a]];
        const std::string field = fmt::format("{}[{}]", axes[a].field, chosen[a]);
        variant.overrides.push_back({axes[a].path, yaml_text(value), in_.where(value, field)});
        const std::string text = written(value);
        variant.parameters.push_back(
            {axes[a].path, text, value.IsScalar() ? parse_duration_seconds(text) : std::nullopt});
      }
      if (pattern) {
        variant.name = fill(in_, pattern, "sweep.name", pattern_text, variant.parameters);
      } else {
        for (const ScenarioVariant::Parameter& p : variant.parameters)
          variant.name += (variant.name.empty() ? "" : ", ") + p.path + "=" + p.text;
      }
      const YAML::Node& named_at = pattern ? pattern : lists;
      const std::string named_path = pattern ? "sweep.name" : lists_path;
      check_name(variant.name, named_at, named_path);
      check_unique(variant.name, named_at, named_path);
      variant.scene = load_scene_with_overrides(s_.base_text, s_.base_path, variant.overrides);
      add(std::move(variant));
    }
  }

  // The index of the variant a gate or goal names.
  std::size_t variant_named(const YAML::Node& node, const std::string& path) const {
    const std::string wanted = in_.string(node, path);
    const auto found = index_.find(wanted);
    if (found == index_.end()) {
      std::vector<std::string> names;
      for (const ScenarioVariant& v : s_.variants)
        names.push_back(v.name);
      in_.fail(node, path,
               fmt::format("unknown variant '{}'; expected one of: {}", wanted, listed(names)));
    }
    return found->second;
  }

  // The KPI, checked against the columns of the variants it applies to (all when none).
  std::string kpi(const YAML::Node& node, const std::string& path,
                  std::optional<std::size_t> only) {
    const std::string name = in_.string(node, path);
    for (std::size_t v = only.value_or(0); v < (only ? *only + 1 : s_.variants.size()); ++v) {
      if (!tables_[v]) tables_[v] = std::make_unique<ReplicationTable>(s_.variants[v].scene);
      if (!tables_[v]->find(name)) {
        // The list starts at the first KPI: the columns before it (the replication's index,
        // whether and when it deadlocked) are bookkeeping that no one means to bound.
        std::vector<std::string> columns = tables_[v]->names();
        const auto first = std::find(columns.begin(), columns.end(), "throughput_per_hour");
        if (first != columns.end()) columns.erase(columns.begin(), first);
        in_.fail(node, path,
                 fmt::format("unknown KPI '{}'{}; expected one of: {}", name,
                             s_.variants.size() > 1 ? " in variant '" + s_.variants[v].name + "'"
                                                    : std::string(),
                             listed(columns)));
      }
    }
    return name;
  }

  double confidence(const YAML::Node& node, const std::string& path, double above = 0.0) const {
    const double c = in_.number(node, path);
    if (!(c > above && c < 1.0)) {
      in_.fail(node, path,
               fmt::format("expected a confidence above {:g} and below 1, found {:g}", above, c));
    }
    return c;
  }

  double positive(const YAML::Node& node, const std::string& path) const {
    const double x = in_.number(node, path);
    if (!(x > 0.0)) in_.fail(node, path, fmt::format("expected a number above 0, found {:g}", x));
    return x;
  }

  void read_gates(const YAML::Node& list) {
    if (!list.IsSequence())
      in_.fail(list, "gates", "expected a list of gates, found " + SceneReader::describe(list));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      const std::string path = fmt::format("gates[{}]", i);
      ScenarioGate gate;
      gate.origin = in_.where(item, path);
      std::optional<std::size_t> variant;
      if (item.IsMap() && item["no_deadlock"]) {
        in_.expect_map(item, path, {"no_deadlock", "variant"});
        const YAML::Node flag = item["no_deadlock"];
        if (!flag.IsScalar() || flag.Scalar() != "true") {
          in_.fail(flag, path + ".no_deadlock",
                   "expected true (a gate that no replication deadlocks), found " +
                       SceneReader::describe(flag));
        }
      } else {
        in_.expect_map(item, path, {"kpi", "variant", "at_least", "at_most", "confidence"});
        if (static_cast<bool>(item["at_least"]) == static_cast<bool>(item["at_most"])) {
          in_.fail(item, path, "expected exactly one bound: at_least or at_most");
        }
      }
      if (item["variant"]) {
        variant = variant_named(item["variant"], path + ".variant");
        gate.variant = s_.variants[*variant].name;
      }
      const std::string of = gate.variant ? " of " + *gate.variant : "";
      if (item["no_deadlock"]) {
        gate.text = gate.variant ? "no deadlock in " + *gate.variant : "no deadlock";
      } else {
        gate.kpi = kpi(in_.require(item, path, "kpi"), path + ".kpi", variant);
        const bool at_least = static_cast<bool>(item["at_least"]);
        gate.kind = at_least ? ScenarioGate::Kind::kAtLeast : ScenarioGate::Kind::kAtMost;
        const YAML::Node bound = item[at_least ? "at_least" : "at_most"];
        gate.bound = in_.number(bound, path + (at_least ? ".at_least" : ".at_most"));
        if (item["confidence"])
          gate.confidence = confidence(item["confidence"], path + ".confidence");
        gate.text = fmt::format("{}{} {} {} ({:g}%)", gate.kpi, of,
                                at_least ? ">=" : "<=", bound.Scalar(), 100.0 * gate.confidence);
      }
      s_.gates.push_back(std::move(gate));
    }
  }

  std::uint32_t replications_bound(const YAML::Node& node, const std::string& path) const {
    return in_.count(node, path, 1, 1000000);
  }

  void read_precision(const YAML::Node& node) {
    in_.expect_map(node, "precision", {"kpi", "half_width", "batch", "max_replications"});
    PrecisionGoal goal;
    goal.origin = in_.where(node, "precision");
    goal.kpi = kpi(in_.require(node, "precision", "kpi"), "precision.kpi", std::nullopt);
    goal.half_width =
        positive(in_.require(node, "precision", "half_width"), "precision.half_width");
    if (node["batch"]) goal.batch = replications_bound(node["batch"], "precision.batch");
    if (node["max_replications"])
      goal.max_replications =
          replications_bound(node["max_replications"], "precision.max_replications");
    s_.precision = std::move(goal);
  }

  void read_selection(const YAML::Node& node) {
    in_.expect_map(
        node, "selection",
        {"kpi", "goal", "indifference", "confidence", "first_stage", "max_replications"});
    if (s_.variants.size() < 2) {
      in_.fail(node, "selection",
               "expected at least two variants to select the best from, found only the baseline");
    }
    SelectionGoal goal;
    goal.origin = in_.where(node, "selection");
    goal.kpi = kpi(in_.require(node, "selection", "kpi"), "selection.kpi", std::nullopt);
    if (const YAML::Node g = node["goal"]) {
      const std::string text = in_.string(g, "selection.goal");
      if (text != "max" && text != "min")
        in_.fail(g, "selection.goal", fmt::format("expected max or min, found '{}'", text));
      goal.maximise = text == "max";
    }
    goal.indifference =
        positive(in_.require(node, "selection", "indifference"), "selection.indifference");
    // Kim and Nelson's procedure needs 1 - alpha above 1/k: below it, a pick at random would do.
    if (node["confidence"]) {
      goal.confidence = confidence(node["confidence"], "selection.confidence",
                                   1.0 / static_cast<double>(s_.variants.size()));
    }
    if (node["first_stage"])
      goal.first_stage = in_.count(node["first_stage"], "selection.first_stage", 2, 1000000);
    if (node["max_replications"]) {
      goal.max_replications = in_.count(node["max_replications"], "selection.max_replications",
                                        goal.first_stage, 1000000);
    }
    s_.selection = std::move(goal);
  }

  SceneReader in_;
  Scenario& s_;
  std::unordered_map<std::string, std::size_t> index_;     // variant name -> index
  std::vector<std::unique_ptr<ReplicationTable>> tables_;  // per variant, made when needed
};

}  // namespace

Scenario load_scenario_file(const std::string& path) {
  Scenario scenario;
  scenario.file = path;
  scenario.text = read_input_file(path, "scenario file");
  const YAML::Node root = parse_yaml(scenario.text, path, "scenario file");
  try {
    ScenarioReader(scenario).read(root);
  } catch (const YAML::Exception& e) {
    // A conversion the reader did not anticipate; still say where.
    throw InputError({path, e.mark.line + 1, e.mark.column + 1, ""}, e.msg);
  }
  return scenario;
}

}  // namespace linetwin
