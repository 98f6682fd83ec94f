#include "io/aml_role_map.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "io/scene_reader.hpp"

namespace linetwin {
namespace {

constexpr std::array<std::pair<std::string_view, AmlRole>, 8> kRoleNames = {{
    {"source", AmlRole::kSource},
    {"buffer", AmlRole::kBuffer},
    {"station", AmlRole::kStation},
    {"conveyor", AmlRole::kConveyor},
    {"sink", AmlRole::kSink},
    {"resource", AmlRole::kResource},
    {"structure", AmlRole::kStructure},
    {"skip", AmlRole::kSkip},
}};

AmlRoleMap make_standard_roles() {
  constexpr std::string_view base = "AutomationMLBaseRoleClassLib/AutomationMLBaseRole";
  constexpr std::string_view dmi = "AutomationMLDMIRoleClassLib/DiscManufacturingEquipment";
  constexpr std::string_view ext = "AutomationMLExtendedRoleClassLib";
  AmlRoleMap roles;
  auto add = [&](std::string_view prefix, std::string_view name, AmlRole role) {
    roles.emplace(name.empty() ? std::string(prefix) : fmt::format("{}/{}", prefix, name), role);
  };
  // A class that says no more than "AutomationML object" (user libraries often derive straight
  // from the root) is taken as the most general element that works on parts.
  add(base, "", AmlRole::kStation);
  add(base, "Resource", AmlRole::kResource);
  add(base, "Structure", AmlRole::kStructure);
  for (std::string_view name : {"Product", "Process", "PropertySet", "Facet", "Group", "Port"})
    add(base, name, AmlRole::kSkip);
  add(dmi, "", AmlRole::kResource);
  add(dmi, "Transport", AmlRole::kConveyor);
  add(dmi, "Storage", AmlRole::kBuffer);
  for (std::string_view name : {"Fixture", "Robot", "Tool", "Machine"})
    add(dmi, name, AmlRole::kStation);
  // Doors, workpiece carriers and fences hold no part in the line's flow.
  for (std::string_view name : {"Gate", "Carrier", "StaticObject"})
    add(dmi, name, AmlRole::kSkip);
  // The extended library derives from the two above; its entries are listed because a file that
  // names them seldom carries the library itself.
  for (std::string_view name :
       {"Enterprise", "Site", "Area", "ProductionLine", "WorkCell", "ProcessCell", "Unit",
        "ProductionUnit", "StorageZone", "StorageUnit"})
    add(ext, name, AmlRole::kStructure);
  for (std::string_view name : {"Turntable", "Conveyor", "LiftingTable", "AGV", "Transposer",
                                "CarrierHandlingSystem", "Lift", "Rollerbed"})
    add(ext, name, AmlRole::kConveyor);
  for (std::string_view name : {"BodyStore", "Loader", "Unloader"})
    add(ext, name, AmlRole::kBuffer);
  for (std::string_view name : {"StationaryTool", "MovableTool", "Clamp"})
    add(ext, name, AmlRole::kStation);
  add(ext, "MeasuringEquipment", AmlRole::kResource);
  // Facets and control equipment (the CS library's) are views and controllers, not places.
  for (std::string_view name : {"PLCFacet", "HMIFacet", "ControlCabinet", "IODevice", "HMI",
                                "ActuatingDrive", "MotionController", "Panel", "ProcessController"})
    add(ext, name, AmlRole::kSkip);
  add("AutomationMLCSRoleClassLib/ControlEquipment", "", AmlRole::kSkip);
  return roles;
}

}  // namespace

std::string_view to_string(AmlRole role) {
  for (const auto& [name, value] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

std::optional<AmlRole> aml_role_from_string(std::string_view name) {
  for (const auto& [text, value] : kRoleNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

const AmlRoleMap& standard_aml_roles() {
  static const AmlRoleMap roles = make_standard_roles();
  return roles;
}

AmlRoleMap parse_aml_role_map(std::string_view yaml, const std::string& display_name) {
  const SceneReader in(display_name);
  const YAML::Node root = parse_yaml(yaml, display_name, "role map file");
  in.expect_map(root, "", {"roles"});
  const YAML::Node roles = in.require(root, "", "roles");
  in.unique_keys(roles, "roles");
  AmlRoleMap map;
  for (const auto& entry : roles) {
    std::string path = in.string(entry.first, "roles");
    const std::string field = "roles." + path;
    const std::string kind = in.string(entry.second, field);
    const std::optional<AmlRole> role = aml_role_from_string(kind);
    if (!role) {
      in.fail(entry.second, field,
              fmt::format("expected one of source, buffer, station, conveyor, sink, resource, "
                          "structure, skip; found '{}'",
                          kind));
    }
    if (path.find('@') != std::string::npos || path.empty() || path.front() == '/' ||
        path.back() == '/') {
      in.fail(entry.first, field,
              "expected a role class path LIBRARY/CLASS[/SUBCLASS...] without an alias@ prefix");
    }
    map.emplace(std::move(path), *role);
  }
  return map;
}

AmlRoleMap read_aml_role_map(const std::string& path) {
  return parse_aml_role_map(read_input_file(path, "role map file"), path);
}

}  // namespace linetwin
