// DTDL export through the library: a small scene gives one interface per kind in it (each
// extending Element) and the Line's, which the checker accepts as DTDL v3; one twin per element
// with its id, model and the scene's values; one feedsInto relationship per link and one
// contains per element, in an import-job file whose sections are in the documented order. The
// expected values are read off the scene text below by hand; every bundled scene is
// tests/cli/dtdl_test.sh and tests/python/test_layouts.py.
#include <doctest/doctest.h>

#include <array>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "input_error_check.hpp"
#include "io/dtdl_check.hpp"
#include "io/dtdl_export.hpp"
#include "test_files.hpp"

using namespace linetwin;
using Json = nlohmann::json;

namespace {

constexpr const char* kScene = R"(linetwin_scene: 1
name: DTDL check
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 30s}, to: OP10}
  - {id: OP10, type: station, servers: 2, processing: 1min, to: C1, model: op10.glb,
     breakdowns: {time_to_failure: {distribution: exponential, mean: 2h},
                  time_to_repair: {distribution: exponential, mean: 10min}},
     pose: {x: 2, y: 1, z: 0.25, yaw_deg: 90}}
  - {id: C1, type: conveyor, length_m: 6, speed_m_per_s: 0.5, spacing_m: 1.5, to: B1}
  - {id: B1, type: buffer, capacity: 3, to: out}
  - {id: out, type: sink}
)";

constexpr std::array<std::string_view, 3> kStates = {"unknown", "producing", "down"};

struct Graph {
  std::vector<std::string> sections;
  std::map<std::string, Json> twins;
  std::set<std::tuple<std::string, std::string, std::string>> relationships;
};

Graph read_graph(const std::string& ndjson) {
  Graph graph;
  std::istringstream lines(ndjson);
  std::string line;
  std::string section;
  while (std::getline(lines, line)) {
    const Json j = Json::parse(line);
    if (j.contains("Section")) {
      section = j["Section"];
      graph.sections.push_back(section);
    } else if (section == "Twins") {
      graph.twins.emplace(j["$dtId"], j);
    } else if (section == "Relationships") {
      graph.relationships.emplace(j["$dtId"], j["$relationshipName"], j["$targetId"]);
    }
  }
  return graph;
}

}  // namespace

TEST_CASE("DTDL export: the models are valid DTDL v3, one interface per kind and the Line") {
  test::TempDir dir;
  const DtdlExport exported = export_dtdl_file(dir.write("line.yaml", kScene), kStates);
  const Json models = Json::parse(exported.models_json);
  REQUIRE(models.is_array());
  std::vector<std::string> ids;
  for (const Json& model : models)
    ids.push_back(model["@id"]);
  CHECK(ids == std::vector<std::string>{"dtmi:linetwin:Element;1", "dtmi:linetwin:Source;1",
                                        "dtmi:linetwin:Buffer;1", "dtmi:linetwin:Station;1",
                                        "dtmi:linetwin:Sink;1", "dtmi:linetwin:Conveyor;1",
                                        "dtmi:linetwin:Line;1"});
  CHECK(exported.interfaces == 7);
  for (std::size_t i = 1; i + 1 < models.size(); ++i)
    CHECK(models[i]["extends"] == "dtmi:linetwin:Element;1");
  // The state telemetry's Enum holds the states given, as names and values.
  const Json& state = models[0]["contents"][0];
  CHECK(state["name"] == "state");
  REQUIRE(state["schema"]["enumValues"].size() == kStates.size());
  for (std::size_t i = 0; i < kStates.size(); ++i)
    CHECK(state["schema"]["enumValues"][i]["enumValue"] == kStates[i]);

  const DtdlCheck check = check_dtdl({{"models.json", exported.models_json}}, {});
  std::string problems;
  for (const DtdlProblem& p : check.problems)
    problems += to_string(p) + "\n";
  INFO(problems);
  CHECK(check.problems.empty());
  CHECK(check.interfaces == 7);
}

TEST_CASE("DTDL export: one twin per element with the scene's values, one relationship per link") {
  test::TempDir dir;
  const DtdlExport exported = export_dtdl_file(dir.write("line.yaml", kScene), kStates);
  const Graph graph = read_graph(exported.twins_ndjson);
  CHECK(graph.sections == std::vector<std::string>{"Header", "Models", "Twins", "Relationships"});
  CHECK(graph.twins.size() == 6);
  CHECK(exported.twins == 6);
  const Json& line = graph.twins.at("line:DTDL check");
  CHECK(line["$metadata"]["$model"] == "dtmi:linetwin:Line;1");
  CHECK(line["name"] == "DTDL check");

  const Json& station = graph.twins.at("OP10");
  CHECK(station["$metadata"]["$model"] == "dtmi:linetwin:Station;1");
  CHECK(station["servers"] == 2);
  CHECK(station["processingTime"] == 60.0);
  CHECK(station["timeToFailure"] == 7200.0);
  CHECK(station["timeToRepair"] == 600.0);
  CHECK(station["x"] == 2.0);
  CHECK(station["y"] == 1.0);
  CHECK(station["z"] == 0.25);
  CHECK(station["yaw"] == 90.0);
  CHECK(station["model"] == "op10.glb");
  CHECK(graph.twins.at("in")["interarrivalTime"] == 30.0);
  CHECK(graph.twins.at("in")["unlimitedSupply"] == false);
  CHECK(graph.twins.at("B1")["capacity"] == 3);
  const Json& conveyor = graph.twins.at("C1");
  CHECK(conveyor["length"] == 6.0);
  CHECK(conveyor["speed"] == 0.5);
  CHECK(conveyor["spacing"] == 1.5);
  CHECK(graph.twins.at("out")["$metadata"]["$model"] == "dtmi:linetwin:Sink;1");
  CHECK_FALSE(graph.twins.at("out").contains("model"));

  std::set<std::tuple<std::string, std::string, std::string>> expected = {
      {"in", "feedsInto", "OP10"},
      {"OP10", "feedsInto", "C1"},
      {"C1", "feedsInto", "B1"},
      {"B1", "feedsInto", "out"}};
  for (const char* id : {"in", "OP10", "C1", "B1", "out"})
    expected.emplace("line:DTDL check", "contains", id);
  CHECK(graph.relationships == expected);
  CHECK(exported.relationships == expected.size());
}

TEST_CASE("DTDL export: only the kinds in the scene; an unlimited buffer has no capacity") {
  test::TempDir dir;
  const std::string scene = dir.write("open.yaml", R"(linetwin_scene: 1
elements:
  - {id: src, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: done}
  - {id: done, type: sink}
)");
  const DtdlExport exported = export_dtdl_file(scene, kStates);
  CHECK(exported.interfaces == 6);  // Element, Source, Buffer, Station, Sink, Line
  const Graph graph = read_graph(exported.twins_ndjson);
  CHECK_FALSE(graph.twins.at("Q").contains("capacity"));
  CHECK_FALSE(graph.twins.at("src").contains("interarrivalTime"));
  CHECK(graph.twins.at("src")["unlimitedSupply"] == true);
  CHECK(graph.twins.contains("line:unnamed line"));  // the name of a scene without one
}

TEST_CASE("DTDL export: a scene that does not load is its InputError") {
  test::TempDir dir;
  const std::string bad =
      dir.write("bad.yaml", "linetwin_scene: 1\nelements:\n  - {id: a, type: nonsense}\n");
  const InputError e = test::input_error([&] { export_dtdl_file(bad, kStates); });
  CHECK(e.where().file == bad);
  CHECK(e.where().line == 3);
}
