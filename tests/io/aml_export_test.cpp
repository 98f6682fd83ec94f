// AutomationML export through the library: a small scene exported and imported again gives back
// its elements, kinds, poses, model and links, with no warning; the file holds the standard
// attributes read off the scene by hand; ids are stable and UUID-shaped; a scene that does not
// load is an InputError naming it. The round trip of every bundled scene to the same run results
// is tests/cli/aml_export_test.sh.
#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <regex>
#include <string>

#include "input_error_check.hpp"
#include "io/aml_export.hpp"
#include "io/aml_import.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::TempDir;

namespace {

constexpr const char* kScene = R"(linetwin_scene: 1
name: Export check
seed: 7
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 30s}, to: OP10,
     pose: {x: -1.5, y: 0}}
  - {id: OP10, type: station, processing: 20s, to: B1, model: models/op10.dae,
     pose: {x: 2, y: 1, z: 0.25, yaw_deg: 90}}
  - {id: B1, type: buffer, capacity: 3, to: out, pose: {x: 4, y: 1, yaw_deg: -45}}
  - {id: out, type: sink, pose: {x: 6, y: 1}}
)";

}  // namespace

TEST_CASE("AutomationML export: import gives back the elements, poses, model and links") {
  TempDir dir;
  std::filesystem::create_directories(std::filesystem::path(dir.path()) / "models");
  dir.write("models/op10.dae", "<COLLADA/>\n");
  const std::string scene = dir.write("line.yaml", kScene);
  const std::filesystem::path aml_dir = std::filesystem::path(dir.path()) / "aml";
  const std::filesystem::path back_dir = std::filesystem::path(dir.path()) / "back";
  std::filesystem::create_directories(aml_dir);
  std::filesystem::create_directories(back_dir);

  const AmlExport exported = export_aml_file(scene, aml_dir / "line.aml");
  CHECK(exported.elements == 4);
  CHECK(exported.links == 3);
  auto holds = [&](const std::string& part) {
    INFO(part);
    return exported.xml.find(part) != std::string::npos;
  };
  // The station's mean processing time and the source's mean interarrival time, in seconds.
  CHECK(holds(R"(<Attribute Name="processingTime" Unit="s" AttributeDataType="xs:double">)"));
  CHECK(holds("<Value>20</Value>"));
  CHECK(holds("<Value>30</Value>"));
  CHECK(holds(R"(<Attribute Name="capacity" AttributeDataType="xs:int">)"));
  // The model relative to the AutomationML file's folder, as a COLLADA interface.
  CHECK(holds("<Value>../models/op10.dae</Value>"));
  CHECK(holds("ExternalDataConnector/COLLADAInterface"));
  CHECK(holds(R"(FileName="line.aml")"));
  CHECK(holds(
      R"(<RoleClass Name="Station" )"
      R"(RefBaseClassPath="AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Machine")"));

  const std::string aml = dir.write("aml/line.aml", exported.xml);
  AmlImportOptions options;
  options.scene_directory = back_dir;
  const AmlImport imported = import_aml_file(aml, options);
  CHECK(imported.warnings.empty());
  REQUIRE(imported.elements.size() == 4);
  const std::array<std::string, 4> ids = {"in", "OP10", "B1", "out"};
  const std::array<ElementType, 4> types = {ElementType::kSource, ElementType::kStation,
                                            ElementType::kBuffer, ElementType::kSink};
  const std::array<Pose, 4> poses = {
      {{-1.5, 0, 0, 0}, {2, 1, 0.25, 90}, {4, 1, 0, -45}, {6, 1, 0, 0}}};
  for (std::size_t i = 0; i < 4; ++i) {
    const AmlImportedElement& e = imported.elements[i];
    INFO("element " << ids[i]);
    CHECK(e.id == ids[i]);
    CHECK(e.type == types[i]);
    CHECK(e.pose.x_m == poses[i].x_m);
    CHECK(e.pose.y_m == poses[i].y_m);
    CHECK(e.pose.z_m == poses[i].z_m);
    CHECK(e.pose.yaw_deg == poses[i].yaw_deg);
  }
  // Relative to the imported scene's folder, beside the original's models.
  CHECK(imported.elements[1].model == "../models/op10.dae");
  REQUIRE(imported.links.size() == 3);
  CHECK(imported.links[0].from == "in");
  CHECK(imported.links[0].to == "OP10");
  CHECK(imported.links[1].from == "OP10");
  CHECK(imported.links[1].to == "B1");
  CHECK(imported.links[2].from == "B1");
  CHECK(imported.links[2].to == "out");
  // The scene's settings come back with it, its distributions as they were.
  CHECK(imported.scene_yaml.find("name: Export check") != std::string::npos);
  CHECK(imported.scene_yaml.find("seed: 7") != std::string::npos);
  CHECK(imported.scene_yaml.find("distribution: exponential") != std::string::npos);
}

TEST_CASE("AutomationML export: without linetwin's attributes, the standard ones give the line") {
  TempDir dir;
  const std::string scene = dir.write("line.yaml", kScene);
  std::string xml = export_aml_file(scene, std::filesystem::path(dir.path()) / "line.aml").xml;
  // What a tool that knows only AutomationML keeps: the linetwin attributes dropped.
  for (const std::string name : {"linetwinElement", "linetwinScene"}) {
    const std::string open = "<Attribute Name=\"" + name + "\"";
    for (std::size_t at = xml.find(open); at != std::string::npos; at = xml.find(open)) {
      const std::string close = "</Attribute>";
      xml.erase(at, xml.find(close, at) + close.size() - at);
    }
  }
  REQUIRE(xml.find("linetwinElement") == std::string::npos);
  AmlImportOptions options;
  options.scene_directory = dir.path();
  const AmlImport imported =
      import_aml_text(xml, "line.aml", std::filesystem::path(dir.path()), options);
  // The kinds by the role class library through the standard table, sources and sinks by the
  // flow; the means as constants (the exponential source's mean of 30 s).
  REQUIRE(imported.elements.size() == 4);
  CHECK(imported.elements[0].type == ElementType::kSource);
  CHECK(imported.elements[1].type == ElementType::kStation);
  CHECK(imported.elements[2].type == ElementType::kBuffer);
  CHECK(imported.elements[3].type == ElementType::kSink);
  CHECK(imported.scene_yaml.find("interarrival: 30s") != std::string::npos);
  CHECK(imported.scene_yaml.find("processing: 20s") != std::string::npos);
  CHECK(imported.scene_yaml.find("capacity: 3") != std::string::npos);
  CHECK(imported.scene_yaml.find("name: Export check") != std::string::npos);
}

TEST_CASE("AutomationML export: ids are stable and UUID-shaped") {
  CHECK(aml_id("linetwin element OP10") == aml_id("linetwin element OP10"));
  CHECK(aml_id("linetwin element OP10") != aml_id("linetwin element OP20"));
  CHECK(std::regex_match(
      aml_id("x"), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
}

TEST_CASE("AutomationML export: a scene that does not load is an InputError naming it") {
  TempDir dir;
  const std::string scene =
      dir.write("bad.yaml", "linetwin_scene: 1\nelements:\n  - {id: a, type: nonsense}\n");
  const InputError e =
      linetwin::test::input_error([&] { export_aml_file(scene, dir.path() + "/bad.aml"); });
  CHECK(e.where().file == scene);
  CHECK(e.where().line == 3);
}
