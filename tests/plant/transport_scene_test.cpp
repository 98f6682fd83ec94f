// Paths, fleets and transport links in the scene format: what a good scene builds (stops and
// travel times from the closed-form motion profile) and how each mistake is reported, as an
// InputError naming the file, the line and the field.
#include <doctest/doctest.h>

#include <string>

#include "io/scene_file.hpp"
#include "plant/scene.hpp"

using namespace linetwin;

namespace {

// Line numbers below count from the `linetwin_scene: 1` line, which is line 1.
const std::string kPaths =
    "paths:\n"                                                       // 2
    "  nodes:\n"                                                     // 3
    "    - {id: A, x_m: 0, y_m: 0}\n"                                // 4
    "    - {id: B, x_m: 20, y_m: 0}\n"                               // 5
    "  edges:\n"                                                     // 6
    "    - {from: A, to: B, width_m: 2, speed_limit_m_per_s: 2}\n";  // 7
const std::string kFleet =
    "fleets:\n"                                                               // 8
    "  - id: AGV\n"                                                           // 9
    "    home: A\n"                                                           // 10
    "    vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"     // 11
    "              deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s,\n"  // 12
    "              unload_time: 5s}\n";                                       // 13
const std::string kElements =
    "elements:\n"                                                    // 14
    "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"  // 15
    "  - id: OP10\n"                                                 // 16
    "    type: station\n"                                            // 17
    "    processing: 20s\n"                                          // 18
    "    to: {via: AGV, to: SINK}\n"                                 // 19
    "    transfer_node: A\n"                                         // 20
    "  - {id: SINK, type: sink, pose: {x: 19, y: 3}}\n";             // 21

Scene load(const std::string& paths, const std::string& fleet, const std::string& elements) {
  return load_scene_text("linetwin_scene: 1\n" + paths + fleet + elements, "cell.yaml");
}

// The error the scene gives: its file, line and field, and a word of its message.
void check_error(const std::string& paths, const std::string& fleet, const std::string& elements,
                 int line, const std::string& field, const std::string& word) {
  try {
    load(paths, fleet, elements);
    FAIL("expected an InputError at " << field);
  } catch (const InputError& e) {
    const std::string text = e.what();
    CAPTURE(text);
    CHECK(e.where().file == "cell.yaml");
    CHECK(e.where().line == line);
    CHECK(e.where().field_path == field);
    CHECK(e.message().find(word) != std::string::npos);
  }
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a fleet's stops and travel times come from its links and the motion profile") {
  const Scene scene = load(kPaths, kFleet, kElements);
  REQUIRE(scene.fleets().size() == 1);
  const FleetSpec& fleet = scene.fleets()[0];
  CHECK(fleet.vehicles == 1);
  CHECK(fleet.dispatch == DispatchRule::kNearestIdle);
  // Home A is stop 0 and OP10's transfer node; the sink's pose (19, 3) is nearest B.
  REQUIRE(fleet.stops.size() == 2);
  const Element& op10 = scene.element(*scene.find("OP10"));
  CHECK(op10.route.via.fleet == 0);
  CHECK(op10.route.via.pick_up == 0);
  CHECK(op10.route.via.drop_off == 1);
  // 20 m at 1.5 m/s (under the 2 m/s limit), accelerating and braking at 0.5 m/s²:
  // t = L/v + v/2a + v/2d.
  const double t = 20.0 / 1.5 + 1.5 + 1.5;
  CHECK(fleet.travel(0, 1) == doctest::Approx(t).epsilon(1e-12));
  CHECK(fleet.travel(1, 0) == doctest::Approx(t).epsilon(1e-12));
  CHECK(fleet.travel(0, 0) == 0.0);
}

TEST_CASE("bad paths, fleets and links are input errors naming file, line and field") {
  SUBCASE("an edge to a missing node") {
    check_error(replaced(kPaths, "to: B,", "to: X,"), kFleet, kElements, 7, "paths.edges[0].to",
                "'X'");
  }
  SUBCASE("a speed limit <= 0") {
    check_error(replaced(kPaths, "speed_limit_m_per_s: 2", "speed_limit_m_per_s: 0"), kFleet,
                kElements, 7, "paths.edges[0].speed_limit_m_per_s", "0");
  }
  SUBCASE("a pick-up point unreachable from the fleet's home") {
    // A one-way edge from B to A: the sink's point B is out of reach from A.
    check_error(replaced(kPaths, "{from: A, to: B,", "{from: B, to: A, one_way: true,"), kFleet,
                kElements, 21, "elements[SINK].pose", "no edge leads there");
  }
  SUBCASE("a vehicle wider than the edge of its only route") {
    check_error(kPaths, replaced(kFleet, "width_m: 1", "width_m: 2.5"), kElements, 9,
                "fleets[0].vehicle.width_m", "2.5 m wide");
  }
  SUBCASE("a load wider than the edge of its only route") {
    // The vehicle fits the 2 m edge; with its load it does not.
    check_error(kPaths,
                replaced(kFleet, "unload_time: 5s}",
                         "unload_time: 5s, load: {length_m: 1.2, "
                         "width_m: 2.4}}"),
                kElements, 9, "fleets[0].vehicle.load.width_m", "2.4 m wide with its load");
  }
  SUBCASE("a load without a size, or of a size <= 0") {
    check_error(kPaths,
                replaced(kFleet, "unload_time: 5s}", "unload_time: 5s, load: {length_m: 1.2}}"),
                kElements, 13, "fleets[0].vehicle.load.width_m", "width_m");
    check_error(
        kPaths,
        replaced(kFleet, "unload_time: 5s}", "unload_time: 5s, load: {length_m: 0, width_m: 0.8}}"),
        kElements, 13, "fleets[0].vehicle.load.length_m", "length > 0");
    check_error(kPaths,
                replaced(kFleet, "unload_time: 5s}",
                         "unload_time: 5s, load: {length_m: 1, width_m: 0.8, mass_kg: 40}}"),
                kElements, 13, "fleets[0].vehicle.load.mass_kg", "mass_kg");
  }
  SUBCASE("via naming no fleet") {
    check_error(kPaths, kFleet, replaced(kElements, "via: AGV", "via: AMR"), 19,
                "elements[OP10].to.via", "'AMR'");
  }
  SUBCASE("a home that is no node") {
    check_error(kPaths, replaced(kFleet, "home: A", "home: Q"), kElements, 9, "fleets[0].home",
                "'Q'");
  }
  SUBCASE("an unknown key in a vehicle") {
    check_error(kPaths, replaced(kFleet, "width_m: 1,", "width_m: 1, mass_kg: 300,"), kElements, 12,
                "fleets[0].vehicle.mass_kg", "mass_kg");
  }
  SUBCASE("an unknown dispatch rule") {
    check_error(kPaths, replaced(kFleet, "    home: A\n", "    home: A\n    dispatch: random\n"),
                kElements, 11, "fleets[0].dispatch", "nearest_idle");
  }
  SUBCASE("a stop at an element without a pose or transfer node") {
    check_error(kPaths, kFleet, replaced(kElements, ", pose: {x: 19, y: 3}", ""), 21,
                "elements[SINK].transfer_node", "pose");
  }
  SUBCASE("a transfer node that is no node") {
    check_error(kPaths, kFleet, replaced(kElements, "transfer_node: A", "transfer_node: Z"), 20,
                "elements[OP10].transfer_node", "'Z'");
  }
  SUBCASE("a fleet without paths") {
    check_error("", kFleet, kElements, 3, "fleets[0]", "paths");
  }
  SUBCASE("bad motion limits") {
    check_error(kPaths, replaced(kFleet, "acceleration_m_per_s2: 0.5", "acceleration_m_per_s2: 0"),
                kElements, 9, "fleets[0].vehicle", "0");
  }
  SUBCASE("a link through a fleet into a station") {
    const std::string elements =
        "elements:\n"
        "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
        "  - {id: OP10, type: station, processing: 20s, to: {via: AGV, to: OP20},\n"
        "     transfer_node: A}\n"
        "  - {id: OP20, type: station, processing: 20s, to: SINK, transfer_node: B}\n"
        "  - {id: SINK, type: sink}\n";
    check_error(kPaths, kFleet, elements, 16, "elements[OP10].to.via", "buffer or a sink");
  }
}
