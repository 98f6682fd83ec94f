// The import walks each InstanceHierarchy once, depth first, composing Frames on the way down:
// structure elements are walked through, line elements are collected with their pose, model and
// process data, and every ExternalInterface is indexed by its ID, by its element's ID and by its
// element's path, so that InternalLinks (which may sit anywhere, in CAEX 2.15's ID:Name form or
// CAEX 3.0's interface ID) resolve afterwards. Resources take their kind from the flow once every
// link is known. The scene is then written as YAML and loaded, so that the scene loader's checks
// apply; its errors are reported at the element's line in the AutomationML file.
// An element (and a structure) that linetwin export wrote carries its scene YAML (the scene's
// settings) in linetwin-specific attributes, which are written as they were, so that
// import(export(scene)) runs to the same results (docs/automationml.md#export).
#include "io/aml_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>
#include <pugixml.hpp>

#include "io/scene_file.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {
namespace {

constexpr std::size_t kNoElement = std::numeric_limits<std::size_t>::max();
// Deeper hierarchies are refused rather than walked on the stack; real plants nest a few levels.
constexpr int kMaxDepth = 200;
// Role class inheritance followed at most this far: a loop of RefBaseClassPaths ends here.
constexpr int kMaxRoleSteps = 64;

// Process data written where the file has none, each with a warning (docs/automationml.md).
constexpr double kDefaultInterarrivalS = 60.0;
constexpr double kDefaultProcessingS = 60.0;
constexpr double kDefaultConveyorLengthM = 1.0;
constexpr double kDefaultConveyorSpeedMPerS = 0.2;

std::string_view local_name(const char* name) {
  const std::string_view full(name);
  const std::size_t colon = full.find(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// The children of `node` named `name` (any namespace prefix), in document order.
std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view name) {
  std::vector<pugi::xml_node> found;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && local_name(child.name()) == name)
      found.push_back(child);
  }
  return found;
}

std::string trimmed(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// A rigid transform: rotation matrix and translation, in metres.
struct Transform {
  std::array<std::array<double, 3>, 3> r{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  std::array<double, 3> t{0, 0, 0};
};

// AutomationML's Frame: rotations about the parent's x, then y, then z axis: R = Rz Ry Rx.
Transform frame_transform(const std::array<double, 3>& position_m,
                          const std::array<double, 3>& rotation_deg) {
  const double to_rad = std::numbers::pi / 180.0;
  const double cx = std::cos(rotation_deg[0] * to_rad), sx = std::sin(rotation_deg[0] * to_rad);
  const double cy = std::cos(rotation_deg[1] * to_rad), sy = std::sin(rotation_deg[1] * to_rad);
  const double cz = std::cos(rotation_deg[2] * to_rad), sz = std::sin(rotation_deg[2] * to_rad);
  Transform f;
  f.r = {{{cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx},
          {sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx},
          {-sy, cy * sx, cy * cx}}};
  f.t = position_m;
  return f;
}

// The child's frame in the parent's parent: parent ∘ child.
Transform compose(const Transform& parent, const Transform& child) {
  Transform out;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      out.r[i][j] = 0.0;
      for (int k = 0; k < 3; ++k)
        out.r[i][j] += parent.r[i][k] * child.r[k][j];
    }
    out.t[i] = parent.t[i];
    for (int k = 0; k < 3; ++k)
      out.t[i] += parent.r[i][k] * child.t[k];
  }
  return out;
}

// Rounded to 1e-9 so that sin(180°) = 1.2e-16 writes as 0; -0 as 0.
double tidy(double value) {
  if (!(std::abs(value) < 1e9)) return value;
  const double rounded = std::round(value * 1e9) / 1e9;
  return rounded == 0.0 ? 0.0 : rounded;
}

std::string number_text(double value) {
  return fmt::format("{}", value);
}

// Percent-decoding of a URI path (%20 for a space, as AutomationML editors write them).
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr ==
            text.data() + i + 3) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_model_file(std::string_view uri) {
  std::string extension = std::filesystem::path(uri).extension().string();
  for (char& c : extension)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view known : {".dae", ".glb", ".gltf", ".obj", ".stl", ".fbx", ".ply", ".3ds"}) {
    if (extension == known) return true;
  }
  return false;
}

struct Unit {
  std::string_view name;
  double factor;  // to the base unit
};
struct Quantity {
  std::string_view what;    // "a time", ...
  std::vector<Unit> units;  // the first is the base, also taken when Unit is absent
};
const Quantity kTime{"a time",
                     {{"s", 1.0}, {"ms", 1e-3}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}}};
const Quantity kLength{"a length", {{"m", 1.0}, {"mm", 1e-3}, {"cm", 1e-2}}};
const Quantity kAngle{"an angle", {{"deg", 1.0}, {"°", 1.0}, {"rad", 180.0 / std::numbers::pi}}};
const Quantity kSpeed{"a speed", {{"m/s", 1.0}, {"mm/s", 1e-3}, {"m/min", 1.0 / 60.0}}};
const Quantity kCount{"a number of parts", {{"", 1.0}}};

struct Interface {
  std::size_t owner = kNoElement;  // the line element it belongs to
  std::string element_name;        // of the InternalElement that holds it
};

void write_pose_and_model(YAML::Emitter& out, const AmlImportedElement& e) {
  out << YAML::Key << "pose" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "x" << YAML::Value << number_text(e.pose.x_m);
  out << YAML::Key << "y" << YAML::Value << number_text(e.pose.y_m);
  out << YAML::Key << "z" << YAML::Value << number_text(e.pose.z_m);
  out << YAML::Key << "yaw_deg" << YAML::Value << number_text(e.pose.yaw_deg) << YAML::EndMap;
  if (!e.model.empty()) out << YAML::Key << "model" << YAML::Value << e.model;
}

struct InternalElementEntry {
  std::unordered_map<std::string, std::size_t> interfaces;  // by Name
};

struct Candidate {
  std::string name;
  int line = 0;
  AmlRole role = AmlRole::kStation;
  pugi::xml_node node;
  Transform frame;
  std::string model;
  // The element's scene YAML, which linetwin export writes (linetwinElement); "" for none.
  std::string fragment;
  pugi::xml_node fragment_node;
};

// The text of the child Attribute `name` of `owner`, with its node; nullopt without one.
std::optional<std::pair<std::string, pugi::xml_node>> text_attribute(pugi::xml_node owner,
                                                                     std::string_view name) {
  for (pugi::xml_node attr : children_named(owner, "Attribute")) {
    if (std::string_view(attr.attribute("Name").as_string()) == name)
      return std::make_pair(std::string(attr.child_value("Value")), attr);
  }
  return std::nullopt;
}

class Importer {
 public:
  Importer(std::string_view xml, const std::string& file, std::filesystem::path aml_directory,
           const AmlImportOptions& options)
      : xml_(xml), file_(file), aml_directory_(std::move(aml_directory)), options_(options) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < xml_.size(); ++i) {
      if (xml_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  AmlImport run();

 private:
  // 1-based; 0 where pugixml knows no offset.
  int line_at(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(),
                                     static_cast<std::size_t>(offset));
    return static_cast<int>(it - line_starts_.begin());
  }
  int line_of(pugi::xml_node node) const { return line_at(node.offset_debug()); }
  [[noreturn]] void fail(pugi::xml_node node, const std::string& what) const {
    throw InputError({file_, line_of(node), 0, ""}, what);
  }
  void warn(pugi::xml_node node, const std::string& what) {
    warnings_.emplace_back(line_of(node), fmt::format("{}:{}: {}", file_, line_of(node), what));
  }

  void index_role_classes(pugi::xml_node parent, const std::string& path, int depth);
  std::optional<AmlRole> resolve_role(std::string path) const;
  std::optional<AmlRole> role_of(pugi::xml_node element, std::string& unmapped) const;
  void walk(pugi::xml_node element, const Transform& parent, const std::string& parent_path,
            int depth);
  void index_parts(pugi::xml_node element, std::size_t owner, const std::string& path, int depth);
  void index_interfaces(pugi::xml_node element, std::size_t owner, const std::string& path);
  std::optional<double> attribute(pugi::xml_node owner, std::string_view name,
                                  const Quantity& quantity, const std::string& element) const;
  std::string model_of(pugi::xml_node element, const std::string& name);
  std::size_t resolve_partner(pugi::xml_node link, const char* side) const;
  void read_links();
  void decide_resources();
  void check_flow() const;
  void assign_ids();
  void write_element(YAML::Emitter& out, std::size_t index,
                     const std::vector<std::string>& targets);
  std::string write_scene(const std::string& hierarchy_name);
  void validate(const std::string& yaml) const;
  YAML::Node exported_yaml(pugi::xml_node attr, const std::string& text,
                           const std::string& name) const;
  void write_exported_element(YAML::Emitter& out, std::size_t index);

  std::string_view xml_;
  std::string file_;
  std::filesystem::path aml_directory_;
  const AmlImportOptions& options_;
  std::vector<std::size_t> line_starts_;
  pugi::xml_node first_hierarchy_;

  // Role classes defined in the file: path -> RefBaseClassPath.
  std::unordered_map<std::string, std::string> role_bases_;
  std::vector<Candidate> elements_;
  std::vector<Interface> interfaces_;
  std::unordered_map<std::string, std::size_t> interface_by_id_;
  std::vector<InternalElementEntry> internal_elements_;
  std::unordered_map<std::string, std::size_t> internal_element_by_id_;
  std::unordered_map<std::string, std::size_t> internal_element_by_path_;
  std::vector<pugi::xml_node> link_nodes_;
  std::vector<std::pair<std::size_t, std::size_t>> flow_;  // (from, to) element indices
  AmlImport result_;
  std::vector<std::pair<int, std::string>> warnings_;  // by line once the import is done
  // The scene's settings as linetwin export writes them (linetwinScene); null for none.
  YAML::Node settings_;
};

void Importer::index_role_classes(pugi::xml_node parent, const std::string& path, int depth) {
  if (depth > kMaxDepth) {
    fail(parent, fmt::format("role classes nested more than {} deep; expected a role class "
                             "library of fewer levels",
                             kMaxDepth));
  }
  for (pugi::xml_node role : children_named(parent, "RoleClass")) {
    const std::string role_path = path + "/" + role.attribute("Name").as_string();
    role_bases_.emplace(role_path, role.attribute("RefBaseClassPath").as_string());
    index_role_classes(role, role_path, depth + 1);
  }
}

// The user's map, the standard table, the class's RefBaseClassPath where the file defines it, and
// then the enclosing class: in the standard libraries a nested class derives from its parent.
std::optional<AmlRole> Importer::resolve_role(std::string path) const {
  for (int steps = 0; steps < kMaxRoleSteps && !path.empty(); ++steps) {
    if (auto it = options_.role_map.find(path); it != options_.role_map.end()) return it->second;
    if (auto it = standard_aml_roles().find(path); it != standard_aml_roles().end())
      return it->second;
    const std::size_t slash = path.rfind('/');
    auto defined = role_bases_.find(path);
    if (defined != role_bases_.end() && !defined->second.empty()) {
      std::string base = defined->second;
      // `Alias@Library/Class` names a class of an external library by its alias.
      if (const std::size_t at = base.find('@'); at != std::string::npos) base.erase(0, at + 1);
      if (base.find('/') == std::string::npos && slash != std::string::npos) {
        // CAEX 2.15 writes a class of the same library by its name alone.
        const std::string parent = path.substr(0, slash);
        const std::size_t parent_slash = parent.rfind('/');
        const bool is_parent =
            parent_slash != std::string::npos && parent.substr(parent_slash + 1) == base;
        base = is_parent ? parent : path.substr(0, path.find('/')) + "/" + base;
      }
      if (base != path) {
        path = std::move(base);
        continue;
      }
    }
    if (slash == std::string::npos || path.find('/') == slash) return std::nullopt;
    path.resize(slash);
  }
  return std::nullopt;
}

// The role of the first RoleRequirements or SupportedRoleClass that maps; kStructure for an
// element with none. nullopt with `unmapped` naming the classes when none maps.
std::optional<AmlRole> Importer::role_of(pugi::xml_node element, std::string& unmapped) const {
  std::vector<std::string> paths;
  for (pugi::xml_node r : children_named(element, "RoleRequirements"))
    paths.emplace_back(r.attribute("RefBaseRoleClassPath").as_string());
  for (pugi::xml_node r : children_named(element, "SupportedRoleClass"))
    paths.emplace_back(r.attribute("RefRoleClassPath").as_string());
  if (paths.empty()) return AmlRole::kStructure;
  for (std::string path : paths) {
    if (const std::size_t at = path.find('@'); at != std::string::npos) path.erase(0, at + 1);
    if (auto role = resolve_role(path)) return role;
    unmapped += (unmapped.empty() ? "'" : ", '") + path + "'";
  }
  return std::nullopt;
}

void Importer::index_interfaces(pugi::xml_node element, std::size_t owner,
                                const std::string& path) {
  const std::size_t entry = internal_elements_.size();
  internal_elements_.emplace_back();
  const std::string id = element.attribute("ID").as_string();
  if (!id.empty()) internal_element_by_id_.emplace(id, entry);
  internal_element_by_path_.emplace(path, entry);
  const std::string name = element.attribute("Name").as_string();
  for (pugi::xml_node iface : children_named(element, "ExternalInterface")) {
    const std::size_t index = interfaces_.size();
    interfaces_.push_back({owner, name});
    const std::string iface_id = iface.attribute("ID").as_string();
    if (!iface_id.empty()) interface_by_id_.emplace(iface_id, index);
    internal_elements_[entry].interfaces.emplace(iface.attribute("Name").as_string(), index);
  }
  for (pugi::xml_node link : children_named(element, "InternalLink"))
    link_nodes_.push_back(link);
}

// The InternalElements inside an element that is imported (`owner`) or left out (kNoElement):
// they are its parts, not imported themselves, and their interfaces count as the element's.
void Importer::index_parts(pugi::xml_node element, std::size_t owner, const std::string& path,
                           int depth) {
  for (pugi::xml_node child : children_named(element, "InternalElement")) {
    if (depth >= kMaxDepth) {
      fail(child, fmt::format("InternalElements nested more than {} deep; expected a plant "
                              "hierarchy of fewer levels",
                              kMaxDepth));
    }
    const std::string child_path = path + "/" + child.attribute("Name").as_string();
    index_interfaces(child, owner, child_path);
    index_parts(child, owner, child_path, depth + 1);
  }
}

void Importer::walk(pugi::xml_node element, const Transform& parent, const std::string& parent_path,
                    int depth) {
  if (depth > kMaxDepth) {
    fail(element, fmt::format("InternalElements nested more than {} deep; expected a plant "
                              "hierarchy of fewer levels",
                              kMaxDepth));
  }
  const std::string name = element.attribute("Name").as_string();
  const std::string path = parent_path + "/" + name;
  std::string unmapped;
  std::optional<AmlRole> role = role_of(element, unmapped);
  if (!role) {
    const std::string what = fmt::format(
        "element '{}': no element kind for its role class {}; expected a role class of the "
        "standard libraries that maps to one (docs/automationml.md), or give it one in a "
        "--role-map file",
        name, unmapped);
    if (!options_.lenient) fail(element, what);
    warn(element, what + "; left out (--lenient)");
    role = AmlRole::kSkip;
  }
  const bool has_children = !children_named(element, "InternalElement").empty();
  if (*role == AmlRole::kResource && has_children) role = AmlRole::kStructure;

  Transform frame = parent;
  for (pugi::xml_node attr : children_named(element, "Attribute")) {
    if (std::string_view(attr.attribute("Name").as_string()) != "Frame") continue;
    std::array<double, 3> position{0, 0, 0};
    std::array<double, 3> rotation{0, 0, 0};
    const std::array<std::string_view, 3> axes = {"x", "y", "z"};
    const std::array<std::string_view, 3> turns = {"rx", "ry", "rz"};
    for (int i = 0; i < 3; ++i) {
      position[i] = attribute(attr, axes[i], kLength, name).value_or(0.0);
      rotation[i] = attribute(attr, turns[i], kAngle, name).value_or(0.0);
    }
    frame = compose(parent, frame_transform(position, rotation));
  }

  if (*role == AmlRole::kStructure) {
    if (auto settings = text_attribute(element, "linetwinScene"); settings && !settings_.IsMap())
      settings_ = exported_yaml(settings->second, settings->first, name);
    index_interfaces(element, kNoElement, path);
    for (pugi::xml_node child : children_named(element, "InternalElement"))
      walk(child, frame, path, depth + 1);
    return;
  }
  if (*role == AmlRole::kSkip) {
    // Indexed all the same, so that a link to it is left out, not taken for a broken reference.
    index_interfaces(element, kNoElement, path);
    index_parts(element, kNoElement, path, depth + 1);
    return;
  }
  const std::size_t index = elements_.size();
  elements_.push_back({name, line_of(element), *role, element, frame, "", "", {}});
  elements_[index].model = model_of(element, name);
  if (auto fragment = text_attribute(element, "linetwinElement")) {
    elements_[index].fragment = fragment->first;
    elements_[index].fragment_node = fragment->second;
  }
  index_interfaces(element, index, path);
  index_parts(element, index, path, depth + 1);
}

// The value of the child Attribute `name` of `owner` (case aside) in the quantity's base unit;
// nullopt if there is none or it has no value.
std::optional<double> Importer::attribute(pugi::xml_node owner, std::string_view name,
                                          const Quantity& quantity,
                                          const std::string& element) const {
  for (pugi::xml_node attr : children_named(owner, "Attribute")) {
    if (!equal_ignoring_case(attr.attribute("Name").as_string(), name)) continue;
    const std::vector<pugi::xml_node> values = children_named(attr, "Value");
    if (values.empty()) return std::nullopt;
    const std::string text = trimmed(values.front().text().as_string());
    if (text.empty()) return std::nullopt;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
      fail(attr, fmt::format("element '{}': attribute '{}': expected {}, a number, found '{}'",
                             element, attr.attribute("Name").as_string(), quantity.what, text));
    }
    const std::string unit = attr.attribute("Unit").as_string();
    if (unit.empty()) return value * quantity.units.front().factor;
    std::vector<std::string_view> known;
    for (const Unit& u : quantity.units) {
      if (u.name == unit) return value * u.factor;
      known.push_back(u.name);
    }
    fail(attr, fmt::format("element '{}': attribute '{}': unit '{}' is not {}; expected one of "
                           "{}",
                           element, attr.attribute("Name").as_string(), unit, quantity.what,
                           fmt::join(known, ", ")));
  }
  return std::nullopt;
}

// The first COLLADA (or other external data connector's 3D) file the element references,
// relative to the scene's folder.
std::string Importer::model_of(pugi::xml_node element, const std::string& name) {
  for (pugi::xml_node iface : children_named(element, "ExternalInterface")) {
    const std::string_view kind = iface.attribute("RefBaseClassPath").as_string();
    const bool collada = kind.find("COLLADAInterface") != std::string_view::npos;
    if (!collada && kind.find("ExternalDataConnector") == std::string_view::npos) continue;
    std::string uri;
    for (pugi::xml_node attr : children_named(iface, "Attribute")) {
      if (std::string_view(attr.attribute("Name").as_string()) == "refURI")
        uri = trimmed(attr.child_value("Value"));
    }
    if (const std::size_t hash = uri.find('#'); hash != std::string::npos) uri.resize(hash);
    // Other external data (PLCopen XML, documents) is no geometry.
    if (uri.empty() || (!collada && !is_model_file(uri))) continue;
    if (uri.rfind("file://", 0) == 0) uri.erase(0, 7);
    if (uri.find("://") != std::string::npos) {
      warn(iface, fmt::format("element '{}': geometry '{}' is not a local file; no model "
                              "written",
                              name, uri));
      continue;
    }
    std::filesystem::path file = percent_decoded(uri);
    if (file.is_relative()) file = aml_directory_ / file;
    file = std::filesystem::absolute(file).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      warn(iface, fmt::format("element '{}': geometry file '{}' not found; written as its model "
                              "all the same",
                              name, file.string()));
    }
    const std::filesystem::path scene_dir =
        std::filesystem::absolute(options_.scene_directory).lexically_normal();
    const std::filesystem::path relative = file.lexically_relative(scene_dir);
    return (relative.empty() ? file : relative).generic_string();
  }
  return "";
}

// The interface a link's side names: an interface ID (CAEX 3.0), or ELEMENT:INTERFACE with the
// element's ID or path (CAEX 2.15).
std::size_t Importer::resolve_partner(pugi::xml_node link, const char* side) const {
  const std::string ref = link.attribute(side).as_string();
  if (auto it = interface_by_id_.find(ref); it != interface_by_id_.end()) return it->second;
  const std::size_t colon = ref.rfind(':');
  if (colon != std::string::npos) {
    const std::string element = ref.substr(0, colon);
    const std::string iface = ref.substr(colon + 1);
    for (const auto* index : {&internal_element_by_id_, &internal_element_by_path_}) {
      if (auto it = index->find(element); it != index->end()) {
        const auto& by_name = internal_elements_[it->second].interfaces;
        if (auto found = by_name.find(iface); found != by_name.end()) return found->second;
      }
    }
  }
  fail(link, fmt::format("link '{}': {} '{}' names no interface in the file; expected an "
                         "ExternalInterface's ID, or ELEMENT_ID:INTERFACE_NAME, or "
                         "ELEMENT_PATH:INTERFACE_NAME",
                         link.attribute("Name").as_string(), side, ref));
}

void Importer::read_links() {
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (pugi::xml_node link : link_nodes_) {
    const Interface& a = interfaces_[resolve_partner(link, "RefPartnerSideA")];
    const Interface& b = interfaces_[resolve_partner(link, "RefPartnerSideB")];
    const std::string name = link.attribute("Name").as_string();
    if (a.owner == kNoElement || b.owner == kNoElement) {
      warn(link, fmt::format("link '{}' joins '{}' and '{}', of which {} is no line element; "
                             "left out of the flow",
                             name, a.element_name, b.element_name,
                             a.owner == kNoElement ? "'" + a.element_name + "'"
                                                   : "'" + b.element_name + "'"));
      continue;
    }
    // A link between two parts of one element is the element's inner wiring.
    if (a.owner == b.owner) continue;
    const std::pair<std::size_t, std::size_t> edge(a.owner, b.owner);
    if (!seen.insert(edge).second) continue;
    flow_.push_back(edge);
    result_.links.push_back({name, "", "", line_of(link)});
  }
}

// A resource that only sends is a source, one that only receives a sink, any other a station.
void Importer::decide_resources() {
  std::vector<int> in(elements_.size(), 0), out(elements_.size(), 0);
  for (const auto& [from, to] : flow_) {
    ++out[from];
    ++in[to];
  }
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (elements_[i].role != AmlRole::kResource) continue;
    elements_[i].role = (out[i] > 0 && in[i] == 0)   ? AmlRole::kSource
                        : (in[i] > 0 && out[i] == 0) ? AmlRole::kSink
                                                     : AmlRole::kStation;
  }
}

void Importer::check_flow() const {
  std::vector<std::vector<std::size_t>> next(elements_.size());
  for (const auto& [from, to] : flow_)
    next[from].push_back(to);
  std::vector<char> reached(elements_.size(), 0);
  std::queue<std::size_t> queue;
  std::size_t sources = 0, sinks = 0;
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (elements_[i].role == AmlRole::kSink) ++sinks;
    if (elements_[i].role != AmlRole::kSource) continue;
    ++sources;
    reached[i] = 1;
    queue.push(i);
  }
  while (!queue.empty()) {
    const std::size_t at = queue.front();
    queue.pop();
    if (elements_[at].role == AmlRole::kSink) return;
    for (std::size_t to : next[at]) {
      if (!reached[to]) {
        reached[to] = 1;
        queue.push(to);
      }
    }
  }
  fail(first_hierarchy_,
       fmt::format("no flow runs from a source to a sink: {} elements ({} sources, {} sinks) "
                   "and {} links between them; expected InternalLinks from a source through "
                   "the line to a sink, or --layout-only to import the layout alone",
                   elements_.size(), sources, sinks, flow_.size()));
}

// Scene ids are letters, digits, '_', '-' and '.': other characters become '_', and a repeated
// name gets _2, _3, ...
void Importer::assign_ids() {
  std::set<std::string> taken;
  for (const Candidate& c : elements_) {
    std::string id = c.name;
    for (char& ch : id) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
      if (!ok) ch = '_';
    }
    if (id.empty()) id = "element";
    std::string unique = id;
    for (int n = 2; taken.count(unique) != 0; ++n)
      unique = fmt::format("{}_{}", id, n);
    if (unique != c.name) {
      warn(c.node, fmt::format("element '{}': written with the id '{}' (ids are unique, of "
                               "letters, digits, '_', '-' and '.')",
                               c.name, unique));
    }
    taken.insert(unique);
    AmlImportedElement e;
    e.id = std::move(unique);
    e.name = c.name;
    e.line = c.line;
    e.model = c.model;
    const Transform& f = c.frame;
    e.pose = {tidy(f.t[0]), tidy(f.t[1]), tidy(f.t[2]),
              tidy(std::atan2(f.r[1][0], f.r[0][0]) * 180.0 / std::numbers::pi)};
    if (e.pose.yaw_deg == -180.0) e.pose.yaw_deg = 180.0;
    if (!std::isfinite(e.pose.x_m) || !std::isfinite(e.pose.y_m) || !std::isfinite(e.pose.z_m)) {
      fail(c.node, fmt::format("element '{}': its Frames compose to a position beyond the range "
                               "of numbers; expected Frames of a plant",
                               c.name));
    }
    if (std::abs(f.r[2][2] - 1.0) > 1e-9) {
      warn(c.node, fmt::format("element '{}' is tilted (rotated about x or y); the scene keeps "
                               "its position and its heading about the vertical axis",
                               c.name));
    }
    result_.elements.push_back(std::move(e));
  }
}

// A linetwin-specific attribute's YAML: a map, or an error at the attribute's line.
YAML::Node Importer::exported_yaml(pugi::xml_node attr, const std::string& text,
                                   const std::string& name) const {
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(attr, fmt::format("element '{}': attribute '{}': {}; expected the scene YAML that "
                           "linetwin export writes",
                           name, attr.attribute("Name").as_string(), e.msg));
  }
  if (!node.IsMap()) {
    fail(attr, fmt::format("element '{}': attribute '{}': expected a YAML map, as linetwin "
                           "export writes",
                           name, attr.attribute("Name").as_string()));
  }
  return node;
}

// An element that linetwin export wrote: its scene YAML as it was, but for its id (the import's),
// its pose (the Frame's), its model (the geometry interface's) and its order file (relative to
// the AutomationML file there, to the scene here). The scene loader checks the rest.
void Importer::write_exported_element(YAML::Emitter& out, std::size_t index) {
  const Candidate& c = elements_[index];
  AmlImportedElement& e = result_.elements[index];
  const YAML::Node fragment = exported_yaml(c.fragment_node, c.fragment, c.name);
  const std::string type =
      fragment["type"] && fragment["type"].IsScalar() ? fragment["type"].Scalar() : std::string();
  for (int t = 0; t < kElementTypes; ++t) {
    if (to_string(static_cast<ElementType>(t)) == type) e.type = static_cast<ElementType>(t);
  }
  out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << e.id
      << YAML::Comment(fmt::format("line {}", c.line));
  for (const auto& entry : fragment) {
    const std::string key = entry.first.Scalar();
    if (key == "id" || key == "pose" || key == "model") continue;
    out << YAML::Key << key << YAML::Value;
    if (key == "orders" && entry.second.IsScalar()) {
      out << rebased_path(entry.second.Scalar(), aml_directory_, options_.scene_directory);
    } else {
      out << entry.second;
    }
  }
  write_pose_and_model(out, e);
  out << YAML::EndMap;
}

void Importer::write_element(YAML::Emitter& out, std::size_t index,
                             const std::vector<std::string>& targets) {
  const Candidate& c = elements_[index];
  if (!c.fragment.empty()) {
    write_exported_element(out, index);
    return;
  }
  AmlImportedElement& e = result_.elements[index];
  auto seconds = [](double s) { return number_text(s) + "s"; };
  auto missing = [&](std::string_view what, const std::string& written) {
    warn(c.node, fmt::format("element '{}': no {}; written as {}", c.name, what, written));
  };
  out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << e.id
      << YAML::Comment(fmt::format("line {}", c.line));
  switch (c.role) {
    case AmlRole::kSource: {
      e.type = ElementType::kSource;
      out << YAML::Key << "type" << YAML::Value << "source";
      const auto interarrival = attribute(c.node, "interArrivalTime", kTime, c.name);
      if (!interarrival) missing("interArrivalTime", seconds(kDefaultInterarrivalS));
      out << YAML::Key << "interarrival" << YAML::Value
          << seconds(interarrival.value_or(kDefaultInterarrivalS));
      break;
    }
    case AmlRole::kBuffer: {
      e.type = ElementType::kBuffer;
      out << YAML::Key << "type" << YAML::Value << "buffer";
      const auto capacity = attribute(c.node, "capacity", kCount, c.name);
      if (!capacity) missing("capacity", "unlimited");
      out << YAML::Key << "capacity" << YAML::Value
          << (capacity ? number_text(*capacity) : std::string("unlimited"));
      break;
    }
    case AmlRole::kConveyor: {
      e.type = ElementType::kConveyor;
      out << YAML::Key << "type" << YAML::Value << "conveyor";
      const auto length = attribute(c.node, "length", kLength, c.name);
      const auto speed = attribute(c.node, "speed", kSpeed, c.name);
      auto spacing = attribute(c.node, "spacing", kLength, c.name);
      const auto capacity = attribute(c.node, "capacity", kCount, c.name);
      const double length_m = length.value_or(kDefaultConveyorLengthM);
      if (!length) missing("length", number_text(length_m) + " m");
      if (!speed) missing("speed", number_text(kDefaultConveyorSpeedMPerS) + " m/s");
      // A belt that holds `capacity` parts spaces them length / capacity apart.
      if (!spacing && capacity && *capacity > 0) spacing = length_m / *capacity;
      if (!spacing) missing("spacing or capacity", "one part on the belt");
      out << YAML::Key << "length_m" << YAML::Value << number_text(length_m);
      out << YAML::Key << "speed_m_per_s" << YAML::Value
          << number_text(speed.value_or(kDefaultConveyorSpeedMPerS));
      out << YAML::Key << "spacing_m" << YAML::Value << number_text(spacing.value_or(length_m));
      break;
    }
    case AmlRole::kSink:
      e.type = ElementType::kSink;
      out << YAML::Key << "type" << YAML::Value << "sink";
      break;
    default: {
      e.type = ElementType::kStation;
      out << YAML::Key << "type" << YAML::Value << "station";
      std::optional<double> processing;
      for (std::string_view name : {"processingTime", "cycleTime", "idealCycleTime"}) {
        if (!processing) processing = attribute(c.node, name, kTime, c.name);
      }
      if (!processing) missing("processingTime", seconds(kDefaultProcessingS));
      out << YAML::Key << "processing" << YAML::Value
          << seconds(processing.value_or(kDefaultProcessingS));
      const auto mtbf = attribute(c.node, "mtbf", kTime, c.name);
      const auto mttr = attribute(c.node, "mttr", kTime, c.name);
      if (mtbf && mttr) {
        // The file gives means only: exponential times, the distribution of a mean alone.
        out << YAML::Key << "breakdowns" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "time_to_failure" << YAML::Value << YAML::Flow << YAML::BeginMap
            << YAML::Key << "distribution" << YAML::Value << "exponential" << YAML::Key << "mean"
            << YAML::Value << seconds(*mtbf) << YAML::EndMap;
        out << YAML::Key << "time_to_repair" << YAML::Value << YAML::Flow << YAML::BeginMap
            << YAML::Key << "distribution" << YAML::Value << "exponential" << YAML::Key << "mean"
            << YAML::Value << seconds(*mttr) << YAML::EndMap;
        out << YAML::EndMap;
      } else if (mtbf || mttr) {
        warn(c.node, fmt::format("element '{}': {} without {}; no breakdowns written", c.name,
                                 mtbf ? "mtbf" : "mttr", mtbf ? "mttr" : "mtbf"));
      }
      break;
    }
  }
  if (targets.size() == 1) {
    out << YAML::Key << "to" << YAML::Value << targets.front();
  } else if (targets.size() > 1) {
    // Several links out of one element: the first target that can take the part.
    out << YAML::Key << "to" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "first_free" << YAML::Value << YAML::BeginSeq;
    for (const std::string& target : targets)
      out << target;
    out << YAML::EndSeq << YAML::EndMap;
  }
  write_pose_and_model(out, e);
  out << YAML::EndMap;
}

std::string Importer::write_scene(const std::string& hierarchy_name) {
  // The targets of each element, in link order.
  std::vector<std::vector<std::string>> targets(elements_.size());
  if (!options_.layout_only) {
    for (const auto& [from, to] : flow_)
      targets[from].push_back(result_.elements[to].id);
  }
  // A layout alone still has to load: a scene needs a source and a sink, every station and
  // conveyor an input, and every element but a sink a target. An added source feeds every
  // element but the sources and sinks (the first free one), and every element but the sinks
  // hands its parts to an added sink (docs/automationml.md).
  std::string layout_source, layout_sink;
  std::vector<std::string> layout_inputs;
  if (options_.layout_only) {
    auto unused = [&](std::string id) {
      while (std::any_of(result_.elements.begin(), result_.elements.end(),
                         [&](const AmlImportedElement& e) { return e.id == id; }))
        id += "_";
      return id;
    };
    layout_source = unused("layout_source");
    layout_sink = unused("layout_sink");
    for (std::size_t i = 0; i < elements_.size(); ++i) {
      const AmlRole role = elements_[i].role;
      if (role != AmlRole::kSink) targets[i].push_back(layout_sink);
      if (role != AmlRole::kSink && role != AmlRole::kSource)
        layout_inputs.push_back(result_.elements[i].id);
    }
    if (layout_inputs.empty()) layout_inputs.push_back(layout_sink);
  }

  YAML::Emitter out;
  out << YAML::Comment(fmt::format(
      "Imported from {} by linetwin import (docs/automationml.md){}",
      std::filesystem::path(file_).filename().string(),
      options_.layout_only ? ": the layout alone, without its flow (--layout-only)" : ""));
  out << YAML::BeginMap;
  out << YAML::Key << "linetwin_scene" << YAML::Value << kSceneFormatVersion;
  if (settings_.IsMap()) {
    // A scene that linetwin export wrote: its settings as they were, its name among them.
    for (const auto& entry : settings_) {
      const std::string key = entry.first.Scalar();
      if (key != "linetwin_scene" && key != "elements")
        out << YAML::Key << key << YAML::Value << entry.second;
    }
  } else if (!hierarchy_name.empty()) {
    out << YAML::Key << "name" << YAML::Value << hierarchy_name;
  }
  out << YAML::Key << "elements" << YAML::Value << YAML::BeginSeq;
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    write_element(out, i, targets[i]);
  }
  if (options_.layout_only) {
    out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << layout_source
        << YAML::Comment("added: a scene needs a source; one part an hour into the layout")
        << YAML::Key << "type" << YAML::Value << "source" << YAML::Key << "interarrival"
        << YAML::Value << "1h" << YAML::Key << "to" << YAML::Value;
    if (layout_inputs.size() == 1) {
      out << layout_inputs.front();
    } else {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "first_free" << YAML::Value
          << YAML::BeginSeq;
      for (const std::string& id : layout_inputs)
        out << id;
      out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::EndMap;
    out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << layout_sink
        << YAML::Comment("added: a scene needs a sink; every element of the layout feeds it")
        << YAML::Key << "type" << YAML::Value << "sink" << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

// The scene loader's checks, reported at the element's line in the AutomationML file.
void Importer::validate(const std::string& yaml) const {
  try {
    // As if in the scene's folder, where order files are written relative to.
    load_scene_text(yaml,
                    (options_.scene_directory / std::filesystem::path(file_).filename()).string());
  } catch (const InputError& e) {
    int line = line_of(first_hierarchy_);
    const std::string& field = e.where().field_path;
    for (const AmlImportedElement& element : result_.elements) {
      if (field.rfind("elements[" + element.id + "]", 0) == 0) line = element.line;
    }
    throw InputError({file_, line, 0, field}, "in the imported scene: " + e.message());
  }
}

AmlImport Importer::run() {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml_.data(), xml_.size());
  if (!parsed) {
    const int line = line_at(parsed.offset);
    const int column = line == 0
                           ? 0
                           : static_cast<int>(static_cast<std::size_t>(parsed.offset) -
                                              line_starts_[static_cast<std::size_t>(line) - 1] + 1);
    throw InputError({file_, line, column, ""},
                     fmt::format("malformed XML: {}", parsed.description()));
  }
  const pugi::xml_node root = doc.document_element();
  if (local_name(root.name()) != "CAEXFile") {
    throw InputError({file_, line_of(root), 0, ""},
                     fmt::format("expected an AutomationML file (root element CAEXFile), found "
                                 "'{}'",
                                 root.name()));
  }
  const std::string version = root.attribute("SchemaVersion").as_string();
  if (version != "2.15" && version != "3.0") {
    fail(root, fmt::format("unsupported CAEX version '{}' (SchemaVersion); expected 2.15 or 3.0",
                           version));
  }
  for (pugi::xml_node library : children_named(root, "RoleClassLib"))
    index_role_classes(library, library.attribute("Name").as_string(), 0);

  const std::vector<pugi::xml_node> hierarchies = children_named(root, "InstanceHierarchy");
  if (hierarchies.empty()) {
    fail(root,
         "holds no InstanceHierarchy, so no plant to import (a class library?); expected "
         "an AutomationML file with an InstanceHierarchy");
  }
  first_hierarchy_ = hierarchies.front();
  for (pugi::xml_node hierarchy : hierarchies) {
    const std::string path = hierarchy.attribute("Name").as_string();
    for (pugi::xml_node element : children_named(hierarchy, "InternalElement"))
      walk(element, Transform{}, path, 0);
  }
  if (elements_.empty()) {
    fail(first_hierarchy_,
         "no InternalElement maps to a line element; expected elements with "
         "role classes of equipment (docs/automationml.md)");
  }
  read_links();
  decide_resources();
  if (!options_.layout_only) check_flow();
  assign_ids();
  for (std::size_t i = 0; i < flow_.size(); ++i) {
    result_.links[i].from = result_.elements[flow_[i].first].id;
    result_.links[i].to = result_.elements[flow_[i].second].id;
  }
  result_.scene_yaml = write_scene(first_hierarchy_.attribute("Name").as_string());
  validate(result_.scene_yaml);
  std::stable_sort(warnings_.begin(), warnings_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, text] : warnings_)
    result_.warnings.push_back(std::move(text));
  return std::move(result_);
}

}  // namespace

std::string rebased_path(const std::string& path, const std::filesystem::path& from_directory,
                         const std::filesystem::path& to_directory) {
  const std::filesystem::path file(path);
  if (file.is_absolute()) return path;
  const std::filesystem::path absolute =
      std::filesystem::absolute(from_directory / file).lexically_normal();
  const std::filesystem::path relative =
      absolute.lexically_relative(std::filesystem::absolute(to_directory).lexically_normal());
  return (relative.empty() ? absolute : relative).generic_string();
}

AmlImport import_aml_text(std::string_view xml, const std::string& display_name,
                          const std::filesystem::path& aml_directory,
                          const AmlImportOptions& options) {
  return Importer(xml, display_name, aml_directory, options).run();
}

AmlImport import_aml_file(const std::string& path, const AmlImportOptions& options) {
  const std::string xml = read_input_file(path, "AutomationML file");
  return import_aml_text(xml, path, std::filesystem::path(path).parent_path(), options);
}

}  // namespace linetwin
