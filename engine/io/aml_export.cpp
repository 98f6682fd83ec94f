// The export writes the CAEX tree with pugixml: the scene is loaded (so that only a valid scene
// is written, and for its poses, routes and process data) and its YAML parsed again for the parts
// of each element that AutomationML has no attribute for. One structure element, named as the
// scene, holds the elements and the InternalLinks; its linetwinScene attribute holds the scene's
// settings (products, run, operators, fleets, ...). The import takes an element's linetwinElement
// YAML for everything but its pose and model, which it reads from the Frame and the geometry
// interface, so that editing those in an AutomationML tool moves the element.
#include "io/aml_export.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <unordered_map>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <pugixml.hpp>

#include "io/aml_import.hpp"
#include "io/scene_file.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {
namespace {

constexpr std::string_view kRoleLibrary = "linetwinRoleClassLib";
constexpr std::string_view kInterfaceClass =
    "AutomationMLInterfaceClassLib/AutomationMLBaseInterface";

// Each kind's role and the standard role it derives from: the import's table maps the base
// (docs/automationml.md), sources and sinks as resources that take their kind from the flow.
struct KindRole {
  std::string_view name;
  std::string_view base;
};
constexpr std::array<KindRole, 5> kRoles = {{
    {"Source", "AutomationMLBaseRoleClassLib/AutomationMLBaseRole/Resource"},
    {"Buffer", "AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Storage"},
    {"Station", "AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Machine"},
    {"Sink", "AutomationMLBaseRoleClassLib/AutomationMLBaseRole/Resource"},
    {"Conveyor", "AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Transport"},
}};
static_assert(kRoles.size() == kElementTypes);

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string number_text(double value) {
  return fmt::format("{}", value);
}

// Spaces, '%' and '#' in a path escaped, so that the refURI is a URI the import decodes back.
std::string uri_of(const std::string& path) {
  std::string uri;
  for (char c : path) {
    if (c == ' ' || c == '%' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri.push_back(c);
    }
  }
  return uri;
}

pugi::xml_node add_attribute(pugi::xml_node parent, std::string_view name, std::string_view type,
                             std::string_view unit, const std::string& value) {
  pugi::xml_node attr = parent.append_child("Attribute");
  attr.append_attribute("Name").set_value(std::string(name).c_str());
  if (!unit.empty()) attr.append_attribute("Unit").set_value(std::string(unit).c_str());
  attr.append_attribute("AttributeDataType").set_value(std::string(type).c_str());
  attr.append_child("Value").text().set(value.c_str());
  return attr;
}

std::string yaml_text(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

void add_frame(pugi::xml_node element, const Pose& pose) {
  pugi::xml_node frame = element.append_child("Attribute");
  frame.append_attribute("Name").set_value("Frame");
  frame.append_attribute("RefAttributeType").set_value("AutomationMLBaseAttributeTypeLib/Frame");
  const std::array<std::pair<std::string_view, double>, 6> values = {{{"x", pose.x_m},
                                                                      {"y", pose.y_m},
                                                                      {"z", pose.z_m},
                                                                      {"rx", 0.0},
                                                                      {"ry", 0.0},
                                                                      {"rz", pose.yaw_deg}}};
  for (const auto& [name, value] : values)
    add_attribute(frame, name, "xs:double", name.size() == 1 ? "m" : "deg", number_text(value));
}

// The process data that the import's table reads (docs/automationml.md#process-data), for other
// AutomationML tools: means where the scene has a distribution.
void add_process_data(pugi::xml_node element, const Scene& scene, const Element& e,
                      const YAML::Node& node) {
  switch (e.type) {
    case ElementType::kSource: {
      const SourceSpec& spec = scene.source_spec(e);
      if (!spec.unlimited_supply && spec.orders.empty()) {
        add_attribute(element, "interArrivalTime", "xs:double", "s",
                      number_text(spec.interarrival.mean()));
      }
      break;
    }
    case ElementType::kBuffer: {
      const BufferSpec& spec = scene.buffer_spec(e);
      if (spec.capacity != BufferSpec::kUnlimited)
        add_attribute(element, "capacity", "xs:int", "", fmt::format("{}", spec.capacity));
      break;
    }
    case ElementType::kStation: {
      const StationSpec& spec = scene.station_spec(e);
      add_attribute(element, "processingTime", "xs:double", "s",
                    number_text(spec.processing.mean()));
      if (spec.breakdowns) {
        add_attribute(element, "mtbf", "xs:double", "s",
                      number_text(spec.breakdowns->time_to_failure.mean()));
        add_attribute(element, "mttr", "xs:double", "s",
                      number_text(spec.breakdowns->time_to_repair.mean()));
      }
      break;
    }
    case ElementType::kConveyor: {
      const std::array<std::array<std::string_view, 3>, 3> keys = {
          {{"length_m", "length", "m"},
           {"speed_m_per_s", "speed", "m/s"},
           {"spacing_m", "spacing", "m"}}};
      for (const auto& [key, name, unit] : keys) {
        if (node[std::string(key)] && node[std::string(key)].IsScalar())
          add_attribute(element, name, "xs:double", unit, node[std::string(key)].Scalar());
      }
      break;
    }
    case ElementType::kSink:
      break;
  }
}

pugi::xml_node add_interface(pugi::xml_node element, std::string_view name,
                             std::string_view class_path, const std::string& id) {
  pugi::xml_node iface = element.append_child("ExternalInterface");
  iface.append_attribute("Name").set_value(std::string(name).c_str());
  iface.append_attribute("ID").set_value(id.c_str());
  iface.append_attribute("RefBaseClassPath").set_value(std::string(class_path).c_str());
  return iface;
}

}  // namespace

std::string aml_id(const std::string& key) {
  const std::uint64_t high = fnv1a(key, 0xcbf29ce484222325ULL);
  const std::uint64_t low = fnv1a(key, high ^ 0x9e3779b97f4a7c15ULL);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff,
                     high & 0xffff, low >> 48, low & 0xffffffffffffULL);
}

AmlExport export_aml_file(const std::string& scene_path, const std::filesystem::path& aml_file) {
  const std::filesystem::path aml_directory = std::filesystem::absolute(aml_file).parent_path();
  const Scene scene = load_scene_file(scene_path);
  const YAML::Node root =
      parse_yaml(read_input_file(scene_path, "scene file"), scene_path, "scene file");
  const std::filesystem::path scene_directory = std::filesystem::absolute(scene_path).parent_path();
  std::unordered_map<std::string, const YAML::Node> nodes;
  for (const YAML::Node& node : root["elements"])
    nodes.emplace(node["id"].as<std::string>(), node);

  const std::string name = root["name"] ? root["name"].as<std::string>()
                                        : std::filesystem::path(scene_path).stem().string();
  pugi::xml_document doc;
  pugi::xml_node caex = doc.append_child("CAEXFile");
  caex.append_attribute("SchemaVersion").set_value("3.0");
  caex.append_attribute("FileName").set_value(aml_file.filename().string().c_str());
  caex.append_attribute("xmlns").set_value("http://www.dke.de/CAEX");
  caex.append_child("SuperiorStandardVersion").text().set("AutomationML 2.10");
  pugi::xml_node source = caex.append_child("SourceDocumentInformation");
  source.append_attribute("OriginName").set_value("linetwin export");
  source.append_attribute("OriginID").set_value("linetwin");
  source.append_attribute("OriginVersion")
      .set_value(fmt::format("{}", kSceneFormatVersion).c_str());
  source.append_attribute("LastWritingDateTime")
      .set_value(fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(
                                                          std::chrono::system_clock::now()))
                     .c_str());

  pugi::xml_node hierarchy = caex.append_child("InstanceHierarchy");
  hierarchy.append_attribute("Name").set_value(name.c_str());
  pugi::xml_node line = hierarchy.append_child("InternalElement");
  line.append_attribute("Name").set_value(name.c_str());
  line.append_attribute("ID").set_value(aml_id("linetwin scene " + name).c_str());
  // The scene's settings: everything but its elements (and the format version, the reader's).
  YAML::Node settings(YAML::NodeType::Map);
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key != "elements" && key != "linetwin_scene") settings[key] = entry.second;
  }
  add_attribute(line, "linetwinScene", "xs:string", "", yaml_text(settings));

  AmlExport result;
  std::vector<pugi::xml_node> links;
  for (const Element& e : scene.elements()) {
    const YAML::Node& node = nodes.at(e.id);
    pugi::xml_node element = line.append_child("InternalElement");
    element.append_attribute("Name").set_value(e.id.c_str());
    element.append_attribute("ID").set_value(aml_id("linetwin element " + e.id).c_str());
    add_frame(element, e.pose);
    add_process_data(element, scene, e, node);
    // The pose and the model are the Frame's and the geometry interface's.
    YAML::Node fragment = YAML::Clone(node);
    fragment.remove("pose");
    fragment.remove("model");
    if (fragment["orders"]) {
      fragment["orders"] =
          rebased_path(fragment["orders"].as<std::string>(), scene_directory, aml_directory);
    }
    add_attribute(element, "linetwinElement", "xs:string", "", yaml_text(fragment));
    if (!e.model.empty()) {
      const std::string model = rebased_path(e.model, scene_directory, aml_directory);
      const bool collada = std::filesystem::path(model).extension() == ".dae";
      pugi::xml_node geometry =
          add_interface(element, "Geometry",
                        collada ? "AutomationMLInterfaceClassLib/AutomationMLBaseInterface/"
                                  "ExternalDataConnector/COLLADAInterface"
                                : "AutomationMLInterfaceClassLib/AutomationMLBaseInterface/"
                                  "ExternalDataConnector",
                        aml_id("linetwin model " + e.id));
      add_attribute(geometry, "refURI", "xs:anyURI", "", uri_of(model));
    }
    if (e.type != ElementType::kSource)
      add_interface(element, "MaterialIn", kInterfaceClass, aml_id("linetwin in " + e.id));
    if (e.type != ElementType::kSink)
      add_interface(element, "MaterialOut", kInterfaceClass, aml_id("linetwin out " + e.id));
    pugi::xml_node role = element.append_child("RoleRequirements");
    role.append_attribute("RefBaseRoleClassPath")
        .set_value(fmt::format("{}/{}", kRoleLibrary, kRoles[static_cast<std::size_t>(e.type)].name)
                       .c_str());
    ++result.elements;
  }
  // Flow: one link per target of each element's route, in scene order.
  for (const Element& e : scene.elements()) {
    for (ElementIndex target : e.route.targets) {
      const std::string& to = scene.elements()[target].id;
      pugi::xml_node link = line.append_child("InternalLink");
      link.append_attribute("Name").set_value(fmt::format("{} to {}", e.id, to).c_str());
      link.append_attribute("RefPartnerSideA").set_value(aml_id("linetwin out " + e.id).c_str());
      link.append_attribute("RefPartnerSideB").set_value(aml_id("linetwin in " + to).c_str());
      ++result.links;
    }
  }

  pugi::xml_node library = caex.append_child("RoleClassLib");
  library.append_attribute("Name").set_value(std::string(kRoleLibrary).c_str());
  library.append_child("Description")
      .text()
      .set(
          "linetwin's element kinds (docs/element-library.md), each derived from the standard "
          "role that the import maps to it");
  for (const KindRole& kind : kRoles) {
    pugi::xml_node role = library.append_child("RoleClass");
    role.append_attribute("Name").set_value(std::string(kind.name).c_str());
    role.append_attribute("RefBaseClassPath").set_value(std::string(kind.base).c_str());
  }

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  result.xml = out.str();
  return result;
}

}  // namespace linetwin
