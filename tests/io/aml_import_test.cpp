// AutomationML import: every layout in ../shared/data/layout/aml, with its elements, links and
// composed poses read off the file by hand; Frames composed through a nested, rotated hierarchy
// computed by hand; and each kind of bad input reported with the file, the line and the element
// or link.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "input_error_check.hpp"
#include "io/aml_import.hpp"
#include "io/scene_file.hpp"
#include "test_skip.hpp"

using namespace linetwin;

namespace {

struct Expected {
  std::string id;
  ElementType type;
  int line;
  Pose pose;
};

void check_elements(const AmlImport& imported, const std::vector<Expected>& expected) {
  REQUIRE(imported.elements.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const AmlImportedElement& e = imported.elements[i];
    INFO("element " << expected[i].id);
    CHECK(e.id == expected[i].id);
    CHECK(e.type == expected[i].type);
    CHECK(e.line == expected[i].line);
    CHECK(e.pose.x_m == doctest::Approx(expected[i].pose.x_m).epsilon(1e-12));
    CHECK(e.pose.y_m == doctest::Approx(expected[i].pose.y_m).epsilon(1e-12));
    CHECK(e.pose.z_m == doctest::Approx(expected[i].pose.z_m).epsilon(1e-12));
    CHECK(e.pose.yaw_deg == doctest::Approx(expected[i].pose.yaw_deg).epsilon(1e-12));
  }
}

void check_links(const AmlImport& imported, const std::vector<std::vector<std::string>>& expected) {
  REQUIRE(imported.links.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(imported.links[i].name == expected[i][0]);
    CHECK(imported.links[i].from == expected[i][1]);
    CHECK(imported.links[i].to == expected[i][2]);
  }
}

AmlImportOptions options_for(const std::filesystem::path& file, bool layout_only) {
  AmlImportOptions options;
  options.layout_only = layout_only;
  options.scene_directory = file.parent_path();
  return options;
}

AmlImport import_text(const std::string& xml, bool layout_only = true, bool lenient = false,
                      AmlRoleMap role_map = {}) {
  AmlImportOptions options;
  options.layout_only = layout_only;
  options.lenient = lenient;
  options.role_map = std::move(role_map);
  return import_aml_text(xml, "test.aml", ".", options);
}

InputError import_error(const std::string& xml, bool layout_only = true) {
  return test::input_error([&] { import_text(xml, layout_only); });
}

// A CAEX 3.0 file around `hierarchy`, which starts on line 3.
std::string caex3(const std::string& hierarchy) {
  return "<CAEXFile SchemaVersion=\"3.0\" FileName=\"test.aml\" xmlns=\"http://www.dke.de/CAEX\">\n"
         "<InstanceHierarchy Name=\"Plant\">\n" +
         hierarchy + "</InstanceHierarchy>\n</CAEXFile>\n";
}

std::string frame(const std::string& x, const std::string& y, const std::string& z,
                  const std::string& rx, const std::string& ry, const std::string& rz) {
  auto value = [](const char* name, const std::string& v) {
    return std::string("<Attribute Name=\"") + name + "\"><Value>" + v + "</Value></Attribute>";
  };
  return "<Attribute Name=\"Frame\">" + value("x", x) + value("y", y) + value("z", z) +
         value("rx", rx) + value("ry", ry) + value("rz", rz) + "</Attribute>\n";
}

constexpr const char* kMachine = "AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Machine";

std::string role(const std::string& path) {
  return "<RoleRequirements RefBaseRoleClassPath=\"" + path + "\"/>\n";
}

}  // namespace

TEST_CASE("AutomationML: example_line_minimal.aml imports to a scene that loads, models resolved") {
  const auto file = test::shared_data_or_skip("layout/aml/example_line_minimal.aml");
  if (!file) return;
  const AmlImport imported = import_aml_file(file->string(), options_for(*file, false));
  // Line1 (lines 18-91) has no Frame and a ProductionLine role (a structure): its four children
  // are the elements, each Frame in metres and degrees. Source and Sink have the generic Resource
  // role: Source only sends (link on line 87), Sink only receives (line 89).
  check_elements(imported, {{"Source", ElementType::kSource, 20, {0, 0, 0, 0}},
                            {"Conveyor1", ElementType::kConveyor, 33, {1.5, 0, 0, 90}},
                            {"RobotCell", ElementType::kStation, 54, {4.0, 1.0, 0, 180}},
                            {"Sink", ElementType::kSink, 75, {6.5, 0, 0, 0}}});
  check_links(imported, {{"Source_to_Conveyor1", "Source", "Conveyor1"},
                         {"Conveyor1_to_RobotCell", "Conveyor1", "RobotCell"},
                         {"RobotCell_to_Sink", "RobotCell", "Sink"}});
  // refURI on lines 47 and 68, relative to the .aml file's folder, written relative to the scene
  // (here the same folder).
  CHECK(imported.elements[1].model == "../../models/nist_ariac_conveyor/conveyor.dae");
  CHECK(imported.elements[2].model == "../../models/abb_irb2400/meshes/visual/base_link.dae");
  CHECK(imported.elements[0].model.empty());
  // Every value the flow needs is in the file, and both models are there.
  CHECK(imported.warnings.empty());

  const Scene scene = load_scene_text(imported.scene_yaml, "imported.yaml");
  REQUIRE(scene.elements().size() == 4);
  // interArrivalTime 6 s (line 29); idealCycleTime 6 s, mtbf 3600 s, mttr 300 s (lines 63-65);
  // length 3 m, speed 0.2 m/s and capacity 10 parts (lines 42-44): spacing 3 m / 10 = 0.3 m.
  const Element& source = scene.elements()[0];
  CHECK(scene.source_spec(source).interarrival.mean() == doctest::Approx(6.0));
  const Element& robot = scene.elements()[2];
  CHECK(scene.station_spec(robot).processing.mean() == doctest::Approx(6.0));
  REQUIRE(scene.station_spec(robot).breakdowns.has_value());
  CHECK(scene.station_spec(robot).breakdowns->time_to_failure.mean() == doctest::Approx(3600.0));
  CHECK(scene.station_spec(robot).breakdowns->time_to_repair.mean() == doctest::Approx(300.0));
  const ConveyorSpec& belt = scene.conveyor_spec(scene.elements()[1]);
  CHECK(belt.length_m == doctest::Approx(3.0));
  CHECK(belt.speed_m_per_s == doctest::Approx(0.2));
  CHECK(belt.spacing_m == doctest::Approx(0.3));
}

TEST_CASE("AutomationML: Part2.aml (CAEX 2.15, roles of the file's own libraries), layout only") {
  const auto file = test::shared_data_or_skip("layout/aml/Part2.aml");
  if (!file) return;
  // Cell (WorkCell) and Ressource (Resource holding elements) are walked through. RB1: Robot,
  // Frame x 10, z 2 (lines 25-44); DT2: its first role, Fixture, makes it a station; TB3:
  // Transport, a conveyor. Link "new link1" (line 82) in the ID:Name form of CAEX 2.15.
  const AmlImport imported = import_aml_file(file->string(), options_for(*file, true));
  check_elements(imported, {{"RB1", ElementType::kStation, 24, {10, 0, 2, 0}},
                            {"DT2", ElementType::kStation, 59, {0, 0, 0, 0}},
                            {"TB3", ElementType::kConveyor, 75, {0, 0, 0, 0}}});
  check_links(imported, {{"new link1", "RB1", "DT2"}});
  // Without --layout-only: no source, no sink.
  const InputError e =
      test::input_error([&] { import_aml_file(file->string(), options_for(*file, false)); });
  CHECK(test::says(e, "no flow runs from a source to a sink"));
  CHECK(e.where().line == 21);  // the InstanceHierarchy
}

TEST_CASE("AutomationML: Test3_IH_IE_ExtInt.aml and Topology_2021.aml, layout only") {
  for (const char* name : {"Test3_IH_IE_ExtInt.aml", "Topology_2021.aml"}) {
    INFO(name);
    const auto file = test::shared_data_or_skip(std::string("layout/aml/") + name);
    if (!file) return;
    const AmlImport imported = import_aml_file(file->string(), options_for(*file, true));
    // Both screwdrivers have the file's role ManufacturingRoleClasses/Tool, which derives from
    // AutomationMLBaseRole alone: stations. No Frame: at the origin.
    const bool test3 = std::string(name) == "Test3_IH_IE_ExtInt.aml";
    check_elements(imported,
                   {{"firstScrewdriver", ElementType::kStation, 34, {0, 0, 0, 0}},
                    {"secondScrewdriver", ElementType::kStation, test3 ? 41 : 40, {0, 0, 0, 0}}});
    // Test3's link (line 38) joins the two EnergySupply interfaces by ID:Name; Topology has none.
    if (test3) {
      check_links(imported, {{"Link", "firstScrewdriver", "secondScrewdriver"}});
    } else {
      check_links(imported, {});
    }
    // Two stations without processing times.
    CHECK(imported.warnings.size() == 2);
    const InputError e =
        test::input_error([&] { import_aml_file(file->string(), options_for(*file, false)); });
    CHECK(test::says(e, "no flow runs from a source to a sink"));
  }
}

TEST_CASE("AutomationML: a role class library holds no plant: a clear error") {
  for (const char* name :
       {"AutomationMLDMIRoleClassLib.aml", "AutomationMLExtendedRoleClassLib.aml"}) {
    INFO(name);
    const auto file = test::shared_data_or_skip(std::string("layout/aml/") + name);
    if (!file) return;
    const InputError e =
        test::input_error([&] { import_aml_file(file->string(), options_for(*file, true)); });
    CHECK(test::says(e, "holds no InstanceHierarchy"));
    CHECK(e.where().line == 1);
  }
}

TEST_CASE("AutomationML: Frames compose through a nested, rotated hierarchy") {
  // Hall (no role): at (10, 5, 0), turned 90° about z. Cell: 2 m along the hall's x, turned 90°
  // more. M1: 1 m along the cell's x, 0.5 m up, in millimetres.
  // Cell: (10, 5, 0) + Rz(90) (2, 0, 0) = (10, 7, 0), heading 90°.
  // M1:   (10, 7, 0) + Rz(180) (1, 0, 0.5) = (9, 7, 0.5), heading 180°.
  const std::string xml = caex3(
      "<InternalElement Name=\"Hall\" ID=\"h\">\n" + frame("10", "5", "0", "0", "0", "90") +
      "<InternalElement Name=\"Cell\" ID=\"c\">\n" + frame("2", "0", "0", "0", "0", "90") +
      "<InternalElement Name=\"M1\" ID=\"m1\">\n" +
      "<Attribute Name=\"Frame\"><Attribute Name=\"x\" Unit=\"mm\"><Value>1000</Value></Attribute>"
      "<Attribute Name=\"z\" Unit=\"mm\"><Value>500</Value></Attribute></Attribute>\n" +
      role(kMachine) + "</InternalElement>\n" + role("AutomationMLExtendedRoleClassLib/WorkCell") +
      "</InternalElement>\n" + "</InternalElement>\n");
  const AmlImport imported = import_text(xml);
  check_elements(imported, {{"M1", ElementType::kStation, 7, {9, 7, 0.5, 180}}});
}

TEST_CASE("AutomationML: rotations turn about the parent's x, then y, then z axis") {
  // P: rx 90° and rz 90° (rz in radians, pi/2). Q sits 1 m along P's y axis. Rz(90) Rx(90) takes
  // (0, 1, 0) to (0, 0, 1): Rx turns y into z, which Rz keeps. Turning about z first, then x,
  // would give (-1, 0, 0). Q is tilted, so a warning; its x axis Rz Rx (1, 0, 0) = (0, 1, 0)
  // heads 90°.
  const std::string xml = caex3(
      "<InternalElement Name=\"P\" ID=\"p\">\n"
      "<Attribute Name=\"Frame\"><Attribute Name=\"x\"><Value>1</Value></Attribute>"
      "<Attribute Name=\"y\"><Value>2</Value></Attribute><Attribute Name=\"z\"><Value>3</Value>"
      "</Attribute><Attribute Name=\"rx\"><Value>90</Value></Attribute>"
      "<Attribute Name=\"rz\" Unit=\"rad\"><Value>1.5707963267948966</Value></Attribute>"
      "</Attribute>\n"
      "<InternalElement Name=\"Q\" ID=\"q\">\n" +
      frame("0", "1", "0", "0", "0", "0") + role(kMachine) + "</InternalElement>\n" +
      "</InternalElement>\n");
  const AmlImport imported = import_text(xml);
  check_elements(imported, {{"Q", ElementType::kStation, 5, {1, 2, 4, 90}}});
  REQUIRE(imported.warnings.size() == 2);  // tilted; no processing time
  CHECK(imported.warnings[0].find("test.aml:5: element 'Q' is tilted") == 0);
}

TEST_CASE("AutomationML: links by interface ID, by ID:Name and by element path") {
  // A source, a buffer and a station into a sink; the three link forms of CAEX 2.15 and 3.0.
  const std::string xml = caex3(
      "<InternalElement Name=\"In\" ID=\"in\">" +
      role("AutomationMLBaseRoleClassLib/AutomationMLBaseRole/Resource") +
      "<ExternalInterface Name=\"out\" ID=\"in-out\"/></InternalElement>\n"
      "<InternalElement Name=\"Store\" ID=\"st\">" +
      role("AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Storage") +
      "<Attribute Name=\"capacity\"><Value>4</Value></Attribute>"
      "<ExternalInterface Name=\"in\" ID=\"st-in\"/><ExternalInterface Name=\"out\" ID=\"st-out\"/>"
      "</InternalElement>\n"
      "<InternalElement Name=\"Press 1\" ID=\"p1\">" +
      role(kMachine) +
      "<Attribute Name=\"processingTime\" Unit=\"min\"><Value>1.5</Value></Attribute>"
      "<ExternalInterface Name=\"in\"/><ExternalInterface Name=\"out\"/></InternalElement>\n"
      "<InternalElement Name=\"Out\" ID=\"out\">" +
      role("AutomationMLBaseRoleClassLib/AutomationMLBaseRole/Resource") +
      "<ExternalInterface Name=\"in\"/></InternalElement>\n"
      "<InternalElement Name=\"Wiring\" ID=\"w\">"
      "<InternalLink Name=\"a\" RefPartnerSideA=\"in-out\" RefPartnerSideB=\"st-in\"/>\n"
      "<InternalLink Name=\"b\" RefPartnerSideA=\"st:out\" RefPartnerSideB=\"p1:in\"/>\n"
      "<InternalLink Name=\"c\" RefPartnerSideA=\"Plant/Press 1:out\" "
      "RefPartnerSideB=\"out:in\"/>\n"
      "</InternalElement>\n");
  const AmlImport imported = import_text(xml, false);
  // "Press 1" has a space, which ids do not take.
  // Each element takes two lines: its role ends the first.
  check_elements(imported, {{"In", ElementType::kSource, 3, {}},
                            {"Store", ElementType::kBuffer, 5, {}},
                            {"Press_1", ElementType::kStation, 7, {}},
                            {"Out", ElementType::kSink, 9, {}}});
  check_links(imported, {{"a", "In", "Store"}, {"b", "Store", "Press_1"}, {"c", "Press_1", "Out"}});
  const Scene scene = load_scene_text(imported.scene_yaml, "imported.yaml");
  CHECK(scene.buffer_spec(scene.elements()[1]).capacity == 4);
  CHECK(scene.station_spec(scene.elements()[2]).processing.mean() == doctest::Approx(90.0));
  // The id changed; the source had no interArrivalTime: its default.
  REQUIRE(imported.warnings.size() == 2);
  CHECK(imported.warnings[0].find("test.aml:3: element 'In': no interArrivalTime") == 0);
  CHECK(imported.warnings[1].find("test.aml:7: element 'Press 1': written with the id 'Press_1'") ==
        0);
}

TEST_CASE("AutomationML: a layout alone loads with an added source and sink") {
  const std::string xml = caex3("<InternalElement Name=\"M\" ID=\"m\">" + role(kMachine) +
                                "<Attribute Name=\"cycleTime\"><Value>30</Value></Attribute>"
                                "</InternalElement>\n");
  const AmlImport imported = import_text(xml);
  const Scene scene = load_scene_text(imported.scene_yaml, "imported.yaml");
  REQUIRE(scene.elements().size() == 3);
  CHECK(scene.elements()[0].id == "M");
  CHECK(scene.elements()[1].id == "layout_source");
  CHECK(scene.elements()[2].id == "layout_sink");
  CHECK(imported.links.empty());
}

TEST_CASE("AutomationML: bad input names the file, the line and the element or link") {
  SUBCASE("malformed XML: line and column") {
    const InputError e = import_error(
        "<CAEXFile SchemaVersion=\"3.0\">\n<InstanceHierarchy Name=\"P\">\n</CAEXFile>\n");
    CHECK(test::says(e, "malformed XML"));
    CHECK(e.where().file == "test.aml");
    CHECK(e.where().line == 3);
  }
  SUBCASE("an unsupported CAEX version") {
    const InputError e =
        import_error("<?xml version=\"1.0\"?>\n<CAEXFile SchemaVersion=\"2.0\">\n</CAEXFile>\n");
    CHECK(test::says(e, "unsupported CAEX version '2.0'"));
    CHECK(e.where().line == 2);
  }
  SUBCASE("a hierarchy of structures alone: nothing to import") {
    const InputError e = import_error(caex3("<InternalElement Name=\"Hall\" ID=\"h\"/>\n"));
    CHECK(test::says(e, "no InternalElement maps to a line element"));
    CHECK(e.where().line == 2);  // the InstanceHierarchy
  }
  SUBCASE("not a CAEX file") {
    CHECK(test::says(import_error("<html/>"), "root element CAEXFile"));
  }
  SUBCASE("a role class with no mapping: an error, a warning with --lenient, or mapped") {
    const std::string xml =
        caex3("<InternalElement Name=\"M\" ID=\"m\">" + role(kMachine) + "</InternalElement>\n" +
              "<InternalElement Name=\"Gadget\" ID=\"g\">" + role("MyLib@VendorLib/Gadget") +
              "</InternalElement>\n");
    const InputError e = import_error(xml);
    CHECK(test::says(e, "element 'Gadget': no element kind for its role class 'VendorLib/Gadget'"));
    CHECK(e.where().line == 5);
    const AmlImport lenient = import_text(xml, true, true);
    CHECK(lenient.elements.size() == 1);
    REQUIRE(!lenient.warnings.empty());
    CHECK(lenient.warnings.back().find("test.aml:5: element 'Gadget'") == 0);
    const AmlImport mapped =
        import_text(xml, true, false, {{"VendorLib/Gadget", AmlRole::kBuffer}});
    REQUIRE(mapped.elements.size() == 2);
    CHECK(mapped.elements[1].type == ElementType::kBuffer);
  }
  SUBCASE("a link to a missing interface") {
    const InputError e = import_error(
        caex3("<InternalElement Name=\"M\" ID=\"m\">" + role(kMachine) +
              "<ExternalInterface Name=\"out\" ID=\"m-out\"/>\n" +
              "<InternalLink Name=\"L1\" RefPartnerSideA=\"m-out\" RefPartnerSideB=\"n:in\"/>\n" +
              "</InternalElement>\n"));
    CHECK(test::says(e, "link 'L1': RefPartnerSideB 'n:in' names no interface"));
    CHECK(e.where().line == 5);
  }
  SUBCASE("a unit that is not the quantity's") {
    const InputError e = import_error(
        caex3("<InternalElement Name=\"M\" ID=\"m\">" + role(kMachine) +
              "<Attribute Name=\"processingTime\" Unit=\"m\"><Value>3</Value></Attribute>\n" +
              "</InternalElement>\n"));
    CHECK(test::says(e, "element 'M': attribute 'processingTime': unit 'm' is not a time"));
    CHECK(e.where().line == 4);
  }
  SUBCASE("a value that is not a number") {
    const InputError e = import_error(caex3("<InternalElement Name=\"M\" ID=\"m\">" +
                                            frame("one", "0", "0", "0", "0", "0") + role(kMachine) +
                                            "</InternalElement>\n"));
    CHECK(test::says(e, "attribute 'x': expected a length, a number, found 'one'"));
  }
  SUBCASE("a process value the scene refuses, at the element's line") {
    const InputError e = import_error(
        caex3("<InternalElement Name=\"M\" ID=\"m\">" + role(kMachine) + "</InternalElement>\n" +
              "<InternalElement Name=\"C\" ID=\"c\">" +
              role("AutomationMLExtendedRoleClassLib/Conveyor/BeltConveyor") +
              "<Attribute Name=\"speed\"><Value>0</Value></Attribute></InternalElement>\n"));
    CHECK(test::says(e, "in the imported scene"));
    CHECK(e.where().line == 5);
    CHECK(e.where().field_path.rfind("elements[C]", 0) == 0);
  }
}

TEST_CASE("AutomationML: role map files") {
  const AmlRoleMap map = parse_aml_role_map(
      "roles:\n  VendorLib/Press: station\n  VendorLib/Shelf: buffer\n", "m.yaml");
  CHECK(map.at("VendorLib/Press") == AmlRole::kStation);
  CHECK(map.at("VendorLib/Shelf") == AmlRole::kBuffer);
  const InputError e =
      test::input_error([] { parse_aml_role_map("roles:\n  VendorLib/Press: robot\n", "m.yaml"); });
  CHECK(test::says(e, "expected one of source, buffer"));
  CHECK(e.where().line == 2);
  CHECK(test::says(test::input_error([] { parse_aml_role_map("role: {}\n", "m.yaml"); }),
                   "unknown key"));
}

TEST_CASE("AutomationML: a whole line with units, and role classes of the file's own library") {
  // The fuzzer's seeds (tests/fuzz/aml_corpus). line.aml: Hall at x 10 m turned 90°, its five
  // elements without Frames of their own, so each at (10, 0, 0) heading 90°.
  const std::filesystem::path corpus = LINETWIN_SOURCE_DIR "/tests/fuzz/aml_corpus";
  AmlImportOptions options;
  options.scene_directory = corpus;
  const AmlImport line = import_aml_file((corpus / "line.aml").string(), options);
  check_elements(line, {{"In", ElementType::kSource, 6, {10, 0, 0, 90}},
                        {"B1", ElementType::kBuffer, 8, {10, 0, 0, 90}},
                        {"M1", ElementType::kStation, 10, {10, 0, 0, 90}},
                        {"C1", ElementType::kConveyor, 14, {10, 0, 0, 90}},
                        {"Out", ElementType::kSink, 17, {10, 0, 0, 90}}});
  check_links(line, {{"a", "In", "B1"}, {"b", "B1", "M1"}, {"c", "M1", "C1"}, {"d", "C1", "Out"}});
  // The COLLADA reference without its #fragment; the file is not there: a warning.
  CHECK(line.elements[2].model == "models/m1.dae");
  REQUIRE(line.warnings.size() == 1);
  CHECK(line.warnings[0].find("line.aml:12: element 'M1': geometry file") != std::string::npos);
  const Scene scene = load_scene_text(line.scene_yaml, "line.yaml");
  // 20 s; 3 parts; 0.25 min = 15 s, mtbf 2 h, mttr 5 min; 2000 mm at 0.5 m/s holding 4 parts.
  CHECK(scene.source_spec(scene.elements()[0]).interarrival.mean() == doctest::Approx(20.0));
  CHECK(scene.buffer_spec(scene.elements()[1]).capacity == 3);
  const StationSpec& m1 = scene.station_spec(scene.elements()[2]);
  CHECK(m1.processing.mean() == doctest::Approx(15.0));
  REQUIRE(m1.breakdowns.has_value());
  CHECK(m1.breakdowns->time_to_failure.mean() == doctest::Approx(7200.0));
  CHECK(m1.breakdowns->time_to_repair.mean() == doctest::Approx(300.0));
  const ConveyorSpec& c1 = scene.conveyor_spec(scene.elements()[3]);
  CHECK(c1.length_m == doctest::Approx(2.0));
  CHECK(c1.speed_m_per_s == doctest::Approx(0.5));
  CHECK(c1.spacing_m == doctest::Approx(0.5));

  // roles_215.aml: MyRoles/Press derives from Machine (through an alias), SmallPress from Press
  // by its name alone (CAEX 2.15): both stations. Link l by ID:Name with braced IDs.
  options.layout_only = true;
  const AmlImport presses = import_aml_file((corpus / "roles_215.aml").string(), options);
  check_elements(presses,
                 {{"T1", ElementType::kStation, 5, {}}, {"T2", ElementType::kStation, 7, {}}});
  check_links(presses, {{"l", "T1", "T2"}});
}

TEST_CASE("AutomationML: an element left out takes its parts along; a part's links are its own") {
  // Fence (StaticObject: left out) holds a Machine, which goes with it. M holds Spindle, a part
  // whose interface is M's: the link from it to Fence is left out (Fence is no line element) and
  // the one from M to its own part is inner wiring.
  const std::string xml =
      caex3("<InternalElement Name=\"Fence\" ID=\"f\"><ExternalInterface Name=\"x\" ID=\"f-x\"/>" +
            role("AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/StaticObject") +
            "<InternalElement Name=\"Inner\" ID=\"i\">" + role(kMachine) +
            "</InternalElement></InternalElement>\n" +
            "<InternalElement Name=\"M\" ID=\"m\"><ExternalInterface Name=\"q\" ID=\"m-q\"/>" +
            role(kMachine) +
            "<InternalElement Name=\"Spindle\" ID=\"s\"><ExternalInterface Name=\"p\" ID=\"s-p\"/>"
            "</InternalElement>\n"
            "<InternalLink Name=\"toFence\" RefPartnerSideA=\"s-p\" RefPartnerSideB=\"f-x\"/>\n"
            "<InternalLink Name=\"inner\" RefPartnerSideA=\"m-q\" RefPartnerSideB=\"s:p\"/>\n"
            "</InternalElement>\n");
  const AmlImport imported = import_text(xml);
  check_elements(imported, {{"M", ElementType::kStation, 6, {}}});
  check_links(imported, {});
  REQUIRE(imported.warnings.size() == 2);
  CHECK(imported.warnings[0].find("test.aml:6: element 'M': no processingTime") == 0);
  CHECK(imported.warnings[1].find("test.aml:8: link 'toFence' joins 'Spindle' and 'Fence', of "
                                  "which 'Fence' is no line element") == 0);
}
