#include "io/scene_overrides.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/duration.hpp"
#include "io/scene_file.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {

namespace {

// The parameters of a distribution that are durations: scaling them all by c scales every draw,
// and so the mean, by c (shape parameters, `shape` and `k`, are left alone). The normal is
// truncated at zero, which scaling leaves in place, so its mean after truncation scales too.
constexpr std::string_view kDurationKeys[] = {"value", "min", "max", "mode", "mean", "sd", "scale"};

// yaml-cpp's Node::operator= writes into the node it refers to, which an alias shares with its
// anchor; every function here therefore builds new nodes and never assigns to an existing one.

// A copy of the mapping `map` in which `key` maps to `value`, appended when absent. Only the
// mapping is new: its keys and other values are the base's own nodes.
YAML::Node with_entry(const YAML::Node& map, const std::string& key, const YAML::Node& value) {
  YAML::Node copy(YAML::NodeType::Map);
  bool replaced = false;
  if (map.IsMap()) {
    copy.SetStyle(map.Style());
    for (const auto& entry : map) {
      const bool here = entry.first.IsScalar() && entry.first.Scalar() == key;
      copy.force_insert(entry.first, here ? value : entry.second);
      replaced = replaced || here;
    }
  }
  if (!replaced) copy.force_insert(key, value);
  return copy;
}

// A copy of the list with its items at the indices in `replace` replaced, and `after` (if any)
// inserted after item `after_index`.
YAML::Node with_items(const YAML::Node& list,
                      const std::vector<std::pair<std::size_t, YAML::Node>>& replace,
                      std::size_t after_index = 0, const std::optional<YAML::Node>& after = {}) {
  YAML::Node copy(YAML::NodeType::Sequence);
  copy.SetStyle(list.Style());
  std::size_t i = 0;
  for (const auto& item : list) {
    const auto found =
        std::find_if(replace.begin(), replace.end(), [&](const auto& r) { return r.first == i; });
    copy.push_back(found != replace.end() ? found->second : item);
    if (after && i == after_index) copy.push_back(*after);
    ++i;
  }
  return copy;
}

// The value of `key` in `map`; a null node when `map` is no mapping or has no such key (const
// access: a lookup through a non-const node would add the key).
YAML::Node child(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return YAML::Node();
  const YAML::Node value = map[key];
  return value.IsDefined() ? value : YAML::Node();
}

bool is_distribution(const YAML::Node& node) {
  if (node.IsScalar()) return parse_duration_seconds(node.Scalar()).has_value();
  return node.IsMap() && !child(node, "distribution").IsNull();
}

std::string seconds_text(double seconds) {
  return fmt::format("{}s", seconds);
}

std::string joined(const std::vector<std::string>& names, std::size_t most = 20) {
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < most; ++i)
    list += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > most) list += ", ...";
  return list;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = text.find('.', start);
    parts.emplace_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// One override being applied: where to report its problems.
class Change {
 public:
  explicit Change(const SceneOverride& change) : change_(change) {}
  const std::string& path() const { return change_.path; }
  InputLocation origin() const {
    InputLocation where = change_.origin;
    if (where.field_path.empty()) where.field_path = change_.path;
    return where;
  }
  [[noreturn]] void fail(const std::string& what) const { throw InputError(origin(), what); }

 private:
  const SceneOverride& change_;
};

// What a path's head names: a mapping to change, the keys below it, and how to put the changed
// copy back into the scene.
struct Target {
  YAML::Node node;
  std::function<YAML::Node(const YAML::Node&)> put;
  std::vector<std::string> keys;
  std::string loader_path;  // the field as the scene loader names it, for its errors
};

// The names of a list's entries (`key` of each mapping; `fallback(i)` where it has none).
std::vector<std::string> entry_names(const YAML::Node& list, const std::string& key,
                                     const std::function<std::string(std::size_t)>& fallback) {
  std::vector<std::string> names;
  if (!list.IsSequence()) return names;
  for (const auto& item : list) {
    const YAML::Node name = child(item, key);
    names.push_back(name.IsScalar() ? name.Scalar() : fallback ? fallback(names.size()) : "");
  }
  return names;
}

// The longest of `names` that `rest` starts with, followed by a dot or ending there (names may
// hold dots: `line.OP30.capacity` is the element `line.OP30`).
std::optional<std::size_t> longest_name(std::string_view rest,
                                        const std::vector<std::string>& names) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const bool fits = !name.empty() && rest.substr(0, name.size()) == name &&
                      (rest.size() == name.size() || rest[name.size()] == '.');
    if (fits && (!best || name.size() > names[*best].size())) best = i;
  }
  return best;
}

// A named entry of one of the scene's lists (elements, fleets, operator pools, WIP limits).
Target list_entry(const YAML::Node& root, const Change& change, const std::string& list_key,
                  std::string_view rest, const std::vector<std::string>& names,
                  const std::string& what) {
  const YAML::Node list = child(root, list_key);
  const std::optional<std::size_t> index = longest_name(rest, names);
  if (!index) {
    change.fail(fmt::format("no {} is named by '{}'; expected one of: {}", what,
                            rest.substr(0, rest.find('.')), joined(names)));
  }
  const std::string& name = names[*index];
  if (rest.size() == name.size()) {
    change.fail(fmt::format("expected a field of the {} '{}' after its name, as in {}.KEY", what,
                            name, change.path()));
  }
  Target target;
  target.node = list[*index];
  target.put = [root, list, list_key, i = *index](const YAML::Node& changed) {
    return with_entry(root, list_key, with_items(list, {{i, changed}}));
  };
  target.keys = split(rest.substr(name.size() + 1));
  target.loader_path = list_key == "elements" ? fmt::format("elements[{}]", name)
                                              : fmt::format("{}[{}]", list_key, *index);
  return target;
}

Target resolve(const YAML::Node& root, const Change& change) {
  const std::string& path = change.path();
  if (path == "seed" || path == "run.replications") {
    change.fail(fmt::format(
        "a variant cannot change '{0}': common random numbers need one {1} for every variant, so "
        "that replication r of each draws the same random numbers; expected {1} in the "
        "scenario's run (run: {{{2}: ...}})",
        path, path == "seed" ? "seed" : "number of replications",
        path == "seed" ? "seed" : "replications"));
  }
  if (path == "run.duration" || path == "run.warmup" || path == "calendar") {
    return {root, [](const YAML::Node& changed) { return changed; }, split(path), ""};
  }
  if (path == "run" || path.starts_with("run.")) {
    change.fail(fmt::format("a variant may change run.duration and run.warmup, found '{}'", path));
  }
  if (path.starts_with("operators.")) {
    return list_entry(root, change, "operators", std::string_view(path).substr(10),
                      entry_names(child(root, "operators"), "pool", {}), "operator pool");
  }
  if (path.starts_with("wip_limits.")) {
    // A limit without a name is called "limit N" (docs/element-library.md#wip-limits).
    return list_entry(root, change, "wip_limits", std::string_view(path).substr(11),
                      entry_names(child(root, "wip_limits"), "name",
                                  [](std::size_t i) { return fmt::format("limit {}", i + 1); }),
                      "WIP limit");
  }
  if (path.starts_with("calendars.")) {
    const YAML::Node calendars = child(root, "calendars");
    std::vector<std::string> names;
    if (calendars.IsMap()) {
      for (const auto& entry : calendars)
        names.push_back(entry.first.Scalar());
    }
    const std::string_view rest = std::string_view(path).substr(10);
    const std::optional<std::size_t> index = longest_name(rest, names);
    if (!index) {
      change.fail(fmt::format("no calendar is named by '{}'; expected one of: {}",
                              rest.substr(0, rest.find('.')), joined(names)));
    }
    // The keys start at the calendar's name, so a calendar may be replaced whole too
    // (`calendars.late: {shifts: [...]}`).
    const std::string& name = names[*index];
    std::vector<std::string> keys{name};
    if (rest.size() > name.size()) {
      for (std::string& key : split(rest.substr(name.size() + 1)))
        keys.push_back(std::move(key));
    }
    return {calendars,
            [root](const YAML::Node& changed) { return with_entry(root, "calendars", changed); },
            std::move(keys), "calendars"};
  }
  const std::vector<std::string> ids = entry_names(child(root, "elements"), "id", {});
  const std::vector<std::string> fleet_ids = entry_names(child(root, "fleets"), "id", {});
  const std::optional<std::size_t> element = longest_name(path, ids);
  const std::optional<std::size_t> fleet = longest_name(path, fleet_ids);
  if (!element && !fleet) {
    change.fail(fmt::format(
        "no element has the id '{}', nor any fleet; expected a path that starts with an element id "
        "({}), a fleet id ({}) or with operators, wip_limits, calendars, calendar or run, or "
        "insert_buffer",
        path.substr(0, path.find('.')), joined(ids),
        fleet_ids.empty() ? "none" : joined(fleet_ids)));
  }
  // The longest id wins, as among elements; an id of both (which the loader refuses) names
  // neither.
  if (element && fleet && ids[*element] == fleet_ids[*fleet]) {
    change.fail(
        fmt::format("'{}' is the id of an element and of a fleet; expected ids that "
                    "name one thing each",
                    ids[*element]));
  }
  if (fleet && (!element || fleet_ids[*fleet].size() > ids[*element].size())) {
    Target target = list_entry(root, change, "fleets", path, fleet_ids, "fleet");
    if (target.keys.front() == "id") {
      change.fail(
          "a fleet's id cannot be changed (transport links name it by its id in via:); expected "
          "another field, such as vehicles, dispatch or vehicle.max_speed_m_per_s");
    }
    return target;
  }
  Target target = list_entry(root, change, "elements", path, ids, "element");
  if (target.keys.front() == "id" || target.keys.front() == "type") {
    change.fail(fmt::format(
        "an element's {} cannot be changed (other elements name it by its id); expected another "
        "field, or insert_buffer for a new element",
        target.keys.front()));
  }
  return target;
}

// `node` with `value` at keys[from..]: new mappings along the path (a missing one made empty),
// the base's nodes everywhere else.
YAML::Node with_value(const YAML::Node& node, const std::vector<std::string>& keys,
                      std::size_t from, const YAML::Node& value, const Change& change) {
  if (from == keys.size()) return value;
  if (!node.IsNull() && !node.IsMap()) {
    std::string above = keys.front();
    for (std::size_t k = 1; k < from; ++k)
      above += "." + keys[k];
    change.fail(
        fmt::format("'{}' is {}, which has no '{}'; expected a mapping there, or the "
                    "change made to '{}' as a whole",
                    above, SceneReader::describe(node), keys[from], above));
  }
  return with_entry(node, keys[from],
                    with_value(child(node, keys[from]), keys, from + 1, value, change));
}

// The distribution with every duration parameter multiplied by `factor`.
YAML::Node scaled(const YAML::Node& distribution, double factor) {
  auto scale = [factor](const YAML::Node& duration) {
    // The base loaded as a scene, so each of its durations parses.
    return YAML::Node(
        seconds_text(parse_duration_seconds(duration.Scalar()).value_or(0.0) * factor));
  };
  if (distribution.IsScalar()) return scale(distribution);  // a bare duration: a constant
  YAML::Node copy(YAML::NodeType::Map);
  copy.SetStyle(distribution.Style());
  for (const auto& entry : distribution) {
    const std::string key = entry.first.Scalar();
    if (std::find(std::begin(kDurationKeys), std::end(kDurationKeys), key) !=
        std::end(kDurationKeys)) {
      copy.force_insert(entry.first, scale(entry.second));
    } else if (key == "samples") {
      YAML::Node samples(YAML::NodeType::Sequence);
      samples.SetStyle(entry.second.Style());
      for (const auto& sample : entry.second)
        samples.push_back(scale(sample));
      copy.force_insert(entry.first, samples);
    } else {
      copy.force_insert(entry.first, entry.second);
    }
  }
  return copy;
}

// `path.mean` on a distribution: its duration parameters scaled by new mean / old mean, where
// the old mean is the engine's own (the reader parses the node as the loader does).
YAML::Node with_mean(const Target& target, const YAML::Node& distribution, const YAML::Node& value,
                     const SceneReader& reader, const Change& change) {
  std::string at = target.loader_path;
  for (std::size_t k = 0; k + 1 < target.keys.size(); ++k)
    at = SceneReader::join(at, target.keys[k]);
  double old_mean = 0.0;
  try {
    old_mean = reader.distribution(distribution, at).mean();
  } catch (const InputError& e) {
    change.fail(fmt::format("the distribution at '{}' cannot be scaled: {}", at, e.message()));
  }
  if (!value.IsScalar()) {
    change.fail(fmt::format("expected a mean: {}, found {}", kDurationSyntax,
                            SceneReader::describe(value)));
  }
  const double new_mean = read_duration(value.Scalar(), false, change.origin());
  if (!(old_mean > 0.0) || !std::isfinite(old_mean)) {
    change.fail(
        fmt::format("the distribution at '{}' has a mean of {} s, which no factor "
                    "scales to another; expected a distribution with a mean above 0, or "
                    "the distribution set as a whole",
                    at, old_mean));
  }
  const std::vector<std::string> above(target.keys.begin(), target.keys.end() - 1);
  return target.put(
      with_value(target.node, above, 0, scaled(distribution, new_mean / old_mean), change));
}

// The station `node` with `from` replaced by `to` in its merge priority, so that the new buffer
// takes the place of the element before it among the station's inputs.
YAML::Node with_input_renamed(const YAML::Node& node, const std::string& from,
                              const std::string& to) {
  const YAML::Node merge = child(node, "merge");
  const YAML::Node priority = child(merge, "priority");
  if (!priority.IsSequence()) return node;
  std::vector<std::pair<std::size_t, YAML::Node>> renamed;
  std::size_t i = 0;
  for (const auto& input : priority) {
    if (input.IsScalar() && input.Scalar() == from) renamed.emplace_back(i, YAML::Node(to));
    ++i;
  }
  return with_entry(node, "merge", with_entry(merge, "priority", with_items(priority, renamed)));
}

std::string type_of(const YAML::Node& element) {
  const YAML::Node type = child(element, "type");
  return type.IsScalar() ? type.Scalar() : std::string();
}

// insert_buffer: {after: ID, id: NEW, capacity: N, pose: {...}}.
YAML::Node with_buffer(const YAML::Node& root, const YAML::Node& spec, const SceneReader& reader,
                       const Change& change, std::vector<std::string>& loader_paths) {
  if (!spec.IsMap()) {
    change.fail("expected {after: ID, id: NEW, capacity: N} (pose optional), found " +
                SceneReader::describe(spec));
  }
  // Checked as the loader checks its mappings: yaml-cpp keeps a repeated key and a lookup finds
  // the first, so a repeat would lose its value without a word.
  std::vector<std::string> seen;
  for (const auto& entry : spec) {
    if (!entry.first.IsScalar()) {
      change.fail("expected the keys after, id, capacity and pose, found a key that is " +
                  SceneReader::describe(entry.first));
    }
    const std::string key = entry.first.Scalar();
    if (key != "after" && key != "id" && key != "capacity" && key != "pose")
      change.fail(fmt::format("unknown key '{}'; expected one of: after, id, capacity, pose", key));
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      change.fail(fmt::format("the key '{}' appears twice here; expected each key once", key));
    seen.push_back(key);
  }
  for (const char* key : {"after", "id", "capacity"}) {
    if (child(spec, key).IsNull())
      change.fail(
          fmt::format("missing required key '{}' of {{after: ID, id: NEW, capacity: N}}", key));
  }
  const YAML::Node elements = child(root, "elements");
  const std::vector<std::string> ids = entry_names(elements, "id", {});
  const YAML::Node after_node = child(spec, "after");
  if (!after_node.IsScalar()) {
    change.fail("expected 'after' to be the id of the element the buffer goes after, found " +
                SceneReader::describe(after_node));
  }
  const std::string after = after_node.Scalar();
  const auto at = std::find(ids.begin(), ids.end(), after);
  if (at == ids.end()) {
    change.fail(
        fmt::format("no element has the id '{}'; expected the id of the element the "
                    "buffer goes after: {}",
                    after, joined(ids)));
  }
  const std::size_t e = static_cast<std::size_t>(at - ids.begin());
  const YAML::Node element = elements[e];
  const YAML::Node to = child(element, "to");
  if (to.IsNull()) {
    change.fail(
        fmt::format("'{}' hands its parts to no element (a sink); expected an element "
                    "with one target",
                    after));
  }
  if (!to.IsScalar()) {
    change.fail(
        fmt::format("'{}' hands its parts to several targets or by a routing rule; "
                    "expected an element with one target (to: ID), so that the buffer "
                    "has one place to go",
                    after));
  }
  const YAML::Node id = child(spec, "id");
  if (!id.IsScalar() || !is_valid_element_id(id.Scalar())) {
    change.fail(fmt::format("expected a new element id (letters, digits, _, -, .), found {}",
                            SceneReader::describe(id)));
  }
  const std::string fresh = id.Scalar();
  if (std::find(ids.begin(), ids.end(), fresh) != ids.end()) {
    change.fail(fmt::format("'{}' is already the id of an element; expected a new id", fresh));
  }
  const std::string target_id = to.Scalar();
  const auto target_at = std::find(ids.begin(), ids.end(), target_id);
  const std::optional<std::size_t> t =
      target_at == ids.end() ? std::nullopt
                             : std::optional(static_cast<std::size_t>(target_at - ids.begin()));
  // A buffer feeds stations and sinks only (docs/scene-format.md#elements): say so here, where
  // the reason is plain, rather than let the loader find a buffer feeding a buffer.
  if (type_of(element) == "buffer") {
    change.fail(
        fmt::format("'{0}' is a buffer, and a buffer cannot feed another; expected an "
                    "element other than a buffer to put the buffer after (or "
                    "{0}.capacity changed instead)",
                    after));
  }
  if (t && type_of(elements[*t]) != "station" && type_of(elements[*t]) != "sink") {
    change.fail(
        fmt::format("'{}' hands its parts to the {} '{}', and a buffer feeds stations "
                    "and sinks only; expected an element whose target is a station or a "
                    "sink",
                    after, type_of(elements[*t]), target_id));
  }

  YAML::Node buffer(YAML::NodeType::Map);
  buffer.SetStyle(YAML::EmitterStyle::Flow);
  buffer.force_insert("id", fresh);
  buffer.force_insert("type", "buffer");
  buffer.force_insert("capacity", spec["capacity"]);
  buffer.force_insert("to", target_id);
  if (!child(spec, "pose").IsNull()) {
    buffer.force_insert("pose", spec["pose"]);
  } else {
    // Halfway between the element and its target.
    auto coordinate = [&](const YAML::Node& of, const std::string& axis) {
      const YAML::Node value = child(child(of, "pose"), axis);
      return value.IsNull() ? 0.0 : reader.number(value, "pose." + axis);
    };
    const YAML::Node target = t ? elements[*t] : YAML::Node();
    YAML::Node pose(YAML::NodeType::Map);
    pose.SetStyle(YAML::EmitterStyle::Flow);
    for (const char* axis : {"x", "y"}) {
      pose.force_insert(
          axis, fmt::format("{}", (coordinate(element, axis) + coordinate(target, axis)) / 2));
    }
    buffer.force_insert("pose", pose);
  }
  std::vector<std::pair<std::size_t, YAML::Node>> replaced{
      {e, with_entry(element, "to", YAML::Node(fresh))}};
  if (t) replaced.emplace_back(*t, with_input_renamed(elements[*t], after, fresh));
  loader_paths = {fmt::format("elements[{}]", fresh), fmt::format("elements[{}]", after),
                  fmt::format("elements[{}]", target_id)};
  return with_entry(root, "elements", with_items(elements, replaced, e, buffer));
}

YAML::Node parse_value(const Change& change, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    change.fail(fmt::format("expected a value in YAML, found '{}': {}", text, e.msg));
  }
}

// The changed scene's root, and per override the fields the loader would name for it.
struct Applied {
  YAML::Node root;
  std::vector<std::vector<std::string>> loader_paths;
};

Applied apply_all(std::string_view scene_yaml, const std::string& scene_path,
                  const std::vector<SceneOverride>& overrides) {
  if (overrides.size() > kMaxOverrides) {
    Change(overrides[kMaxOverrides])
        .fail(fmt::format("expected at most {} changes to one scene, found {}", kMaxOverrides,
                          overrides.size()));
  }
  Applied applied;
  applied.root.reset(parse_yaml(scene_yaml, scene_path, "scene file"));
  const SceneReader reader(scene_path);
  for (const SceneOverride& o : overrides) {
    const Change change(o);
    const YAML::Node value = parse_value(change, o.value_yaml);
    std::vector<std::string> paths;
    YAML::Node root;
    if (o.path == "insert_buffer") {
      root.reset(with_buffer(applied.root, value, reader, change, paths));
    } else {
      if (o.path.empty() || o.path.front() == '.' || o.path.back() == '.' ||
          o.path.find("..") != std::string::npos) {
        change.fail(
            fmt::format("expected a path such as B2.capacity or OP30.processing.mean, "
                        "found '{}'",
                        o.path));
      }
      const Target target = resolve(applied.root, change);
      if (target.keys.size() > kMaxOverrideKeys) {
        change.fail(fmt::format(
            "expected a path of at most {} keys after the element, fleet, pool, limit or calendar "
            "it names (no field of a scene lies deeper), found {}",
            kMaxOverrideKeys, target.keys.size()));
      }
      std::string field = target.loader_path;
      for (const std::string& key : target.keys)
        field = SceneReader::join(field, key);
      paths = {field};
      YAML::Node distribution;
      if (target.keys.back() == "mean") {
        YAML::Node node(target.node);
        for (std::size_t k = 0; k + 1 < target.keys.size(); ++k)
          node.reset(child(node, target.keys[k]));
        distribution.reset(node);
        if (distribution.IsNull()) {
          change.fail(
              fmt::format("there is no distribution at '{}' to scale; expected a "
                          "distribution there (a mapping with 'distribution', or a "
                          "duration), or the field set as a whole",
                          o.path.substr(0, o.path.size() - 5)));
        }
      }
      if (target.keys.back() == "mean" && is_distribution(distribution)) {
        root.reset(with_mean(target, distribution, value, reader, change));
      } else {
        root.reset(target.put(with_value(target.node, target.keys, 0, value, change)));
      }
    }
    applied.root.reset(root);
    applied.loader_paths.push_back(std::move(paths));
  }
  return applied;
}

std::string emitted(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

// Whether the loader's field `error` lies within the changed field `changed`, or contains it.
bool concerns(const std::string& error, const std::string& changed) {
  auto within = [](const std::string& inner, const std::string& outer) {
    return inner.starts_with(outer) && (inner.size() == outer.size() ||
                                        inner[outer.size()] == '.' || inner[outer.size()] == '[');
  };
  // The line as a whole ("elements", or no field) is no one override's.
  return !error.empty() && error != "elements" &&
         (within(error, changed) || within(changed, error));
}

}  // namespace

std::string apply_overrides(std::string_view scene_yaml, const std::string& scene_path,
                            const std::vector<SceneOverride>& overrides) {
  return emitted(apply_all(scene_yaml, scene_path, overrides).root);
}

Scene load_scene_with_overrides(std::string_view scene_yaml, const std::string& scene_path,
                                const std::vector<SceneOverride>& overrides) {
  if (overrides.empty()) return load_scene_text(scene_yaml, scene_path);
  const Applied applied = apply_all(scene_yaml, scene_path, overrides);
  try {
    return load_scene_text(emitted(applied.root), scene_path);
  } catch (const InputError& e) {
    if (e.where().file != scene_path) throw;  // an order file's own error names its file
    const std::string& error = e.where().field_path;
    std::size_t culprit = 0;
    for (std::size_t i = 0; i < overrides.size(); ++i) {
      for (const std::string& changed : applied.loader_paths[i]) {
        if (concerns(error, changed)) culprit = i;
      }
    }
    const Change change(overrides[culprit]);
    const std::vector<std::string>& own = applied.loader_paths[culprit];
    if (std::find(own.begin(), own.end(), error) != own.end()) change.fail(e.message());
    change.fail(error.empty()
                    ? fmt::format("in the changed scene: {}", e.message())
                    : fmt::format("in the changed scene, field '{}': {}", error, e.message()));
  }
}

}  // namespace linetwin
