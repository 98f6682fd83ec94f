// The scene fingerprint (plant/scene_fingerprint.hpp) covers every key that decides a run: a
// scene with a path network, a fleet with a battery, a `via:` link and a conveyor is edited one
// key at a time, and each edit must change the fingerprint; edits that decide nothing (comments,
// the name, the seed and run settings a saved run carries itself, the order of keys in a map, a
// default spelled out, a time in other units, 3D models) must leave it as it is.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "plant/scene_fingerprint.hpp"

using namespace linetwin;

namespace {

// Every stop is a spur off the hub H; the charger CH has a spur CH2 behind it, which a mutation
// uses as another home, charger or drop-off.
const std::string kScene = R"(linetwin_scene: 1
name: fingerprinted cell
description: a cell with a fleet and a belt
seed: 7
run: {duration: 4000s, warmup: 100s, replications: 2}
paths:
  nodes:
    - {id: HOME, x_m: 0, y_m: -10}
    - {id: H, x_m: 0, y_m: 0}
    - {id: A, x_m: -20, y_m: 0}
    - {id: B, x_m: 20, y_m: 0}
    - {id: CH, x_m: 0, y_m: 10}
    - {id: CH2, x_m: 0, y_m: 20}
  edges:
    - {from: H, to: HOME, width_m: 2, speed_limit_m_per_s: 2}
    - {from: H, to: A, width_m: 2, speed_limit_m_per_s: 2}
    - {from: H, to: B, width_m: 2.5, speed_limit_m_per_s: 1.8, length_m: 21}
    - {from: H, to: CH, width_m: 2, speed_limit_m_per_s: 2}
    - {from: CH, to: CH2, width_m: 2, speed_limit_m_per_s: 2}
fleets:
  - id: AGV
    home: HOME
    vehicles: 2
    dispatch: nearest_idle
    traffic: zones
    vehicle: {max_speed_m_per_s: 1, acceleration_m_per_s2: 0.5, deceleration_m_per_s2: 0.4,
              width_m: 1, length_m: 1.2, load_time: 10s, unload_time: 12s}
    battery: {capacity_kwh: 10, consumption_kwh_per_m: 0.015625, charge_rate_kw: 36,
              charge_below: 0.3, charge_to: 0.9}
    chargers: [CH]
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 30s, to: {via: AGV, to: SINK, priority: 1},
     transfer_node: A, pose: {x: -20, y: 1}}
  - {id: SINK, type: sink, transfer_node: B}
  - {id: belt_supply, type: source, supply: unlimited, to: C1}
  - {id: C1, type: conveyor, length_m: 10, speed_m_per_s: 0.5, spacing_m: 1.25, accumulating: true,
     to: BELT_END}
  - {id: BELT_END, type: sink}
)";

struct Edit {
  const char* what;
  std::string from;
  std::string to;
};

// The scene with every occurrence of `edit.from` replaced; the edit must apply somewhere.
std::string edited(const Edit& edit, std::string yaml = kScene) {
  std::size_t at = yaml.find(edit.from);
  REQUIRE_MESSAGE(at != std::string::npos, edit.what, ": '", edit.from, "' is not in the scene");
  while (at != std::string::npos) {
    yaml.replace(at, edit.from.size(), edit.to);
    at = yaml.find(edit.from, at + edit.to.size());
  }
  return yaml;
}

std::uint64_t fingerprint_of(const std::string& yaml) {
  return scene_fingerprint(load_scene_text(yaml, "cell.yaml"));
}

}  // namespace

TEST_CASE("every key that decides a run changes the scene's fingerprint") {
  const std::uint64_t base = fingerprint_of(kScene);
  const std::vector<Edit> edits = {
      // The path network: nodes, edges and their order (which breaks ties).
      {"a node's position", "{id: A, x_m: -20,", "{id: A, x_m: -21,"},
      {"a node's id", "CH2", "CH3"},
      {"the order of nodes", "    - {id: CH, x_m: 0, y_m: 10}\n    - {id: CH2, x_m: 0, y_m: 20}\n",
       "    - {id: CH2, x_m: 0, y_m: 20}\n    - {id: CH, x_m: 0, y_m: 10}\n"},
      {"an edge's width", "width_m: 2.5", "width_m: 2.2"},
      {"an edge's speed limit", "speed_limit_m_per_s: 1.8", "speed_limit_m_per_s: 1.7"},
      {"an edge's length", "length_m: 21}", "length_m: 22}"},
      {"an edge's node", "{from: CH, to: CH2", "{from: H, to: CH2"},
      {"an edge one-way", "{from: CH, to: CH2,", "{from: CH, to: CH2, one_way: true,"},
      {"the order of edges",
       "    - {from: H, to: HOME, width_m: 2, speed_limit_m_per_s: 2}\n"
       "    - {from: H, to: A, width_m: 2, speed_limit_m_per_s: 2}\n",
       "    - {from: H, to: A, width_m: 2, speed_limit_m_per_s: 2}\n"
       "    - {from: H, to: HOME, width_m: 2, speed_limit_m_per_s: 2}\n"},
      // The fleet and its vehicle.
      {"the fleet's id", "AGV", "AMR"},
      {"the fleet's home", "home: HOME", "home: CH2"},
      {"the number of vehicles", "vehicles: 2", "vehicles: 3"},
      {"dispatch fifo", "dispatch: nearest_idle", "dispatch: fifo"},
      {"dispatch by priority", "dispatch: nearest_idle", "dispatch: priority"},
      {"no traffic control", "traffic: zones", "traffic: none"},
      {"idle vehicles at a pick-up", "traffic: zones\n", "traffic: zones\n    idle_at: pick_up\n"},
      {"the top speed", "max_speed_m_per_s: 1,", "max_speed_m_per_s: 1.1,"},
      {"the acceleration", "acceleration_m_per_s2: 0.5", "acceleration_m_per_s2: 0.6"},
      {"the deceleration", "deceleration_m_per_s2: 0.4", "deceleration_m_per_s2: 0.45"},
      {"the vehicle's width", "width_m: 1,", "width_m: 0.9,"},
      {"the vehicle's length", "length_m: 1.2", "length_m: 1.5"},
      {"the load time", "load_time: 10s", "load_time: 11s"},
      {"the load time's distribution", "load_time: 10s",
       "load_time: {distribution: uniform, min: 9s, max: 11s}"},
      {"the unload time", "unload_time: 12s", "unload_time: 13s"},
      {"a load's footprint", "unload_time: 12s}",
       "unload_time: 12s, load: {length_m: 1.2, width_m: 1.4}}"},
      // Its battery and chargers.
      {"the battery's capacity", "capacity_kwh: 10", "capacity_kwh: 12"},
      {"the consumption", "consumption_kwh_per_m: 0.015625", "consumption_kwh_per_m: 0.0125"},
      {"the charge rate", "charge_rate_kw: 36", "charge_rate_kw: 30"},
      {"the charge threshold", "charge_below: 0.3", "charge_below: 0.25"},
      {"the level charged to", "charge_to: 0.9", "charge_to: 0.95"},
      {"the charger", "chargers: [CH]", "chargers: [CH2]"},
      {"a second charger", "chargers: [CH]", "chargers: [CH, CH2]"},
      {"no battery",
       "    battery: {capacity_kwh: 10, consumption_kwh_per_m: 0.015625, charge_rate_kw: 36,\n"
       "              charge_below: 0.3, charge_to: 0.9}\n    chargers: [CH]\n",
       ""},
      // The links vehicles carry.
      {"a link's priority", "priority: 1}", "priority: 2}"},
      {"a link's drop-off", "{id: SINK, type: sink, transfer_node: B}",
       "{id: SINK, type: sink, transfer_node: CH2}"},
      {"a link's pick-up", "transfer_node: A,", "transfer_node: CH2,"},
      // The conveyor.
      {"a belt's length", "length_m: 10,", "length_m: 12,"},
      {"a belt's speed", "speed_m_per_s: 0.5,", "speed_m_per_s: 0.6,"},
      {"a belt's spacing", "spacing_m: 1.25", "spacing_m: 1"},
      {"a non-accumulating belt", "accumulating: true", "accumulating: false"},
      // Loading is all this test does: a build without Bullet refuses a physics belt at its run.
      {"a physics belt", "accumulating: true,", "accumulating: true, mode: physics,"},
      // Elements as before fleets.
      {"a processing time", "processing: 30s", "processing: 31s"},
      {"an element's position", "pose: {x: -20, y: 1}", "pose: {x: -20, y: 2}"},
  };
  for (const Edit& edit : edits) {
    CAPTURE(edit.what);
    CHECK(fingerprint_of(edited(edit)) != base);
  }
  // A physics belt's part size (refused on an event belt, so compared between physics belts).
  const Edit physics{"a physics belt", "accumulating: true,", "accumulating: true, mode: physics,"};
  const Edit sized{"a physics belt's part size", "accumulating: true,",
                   "accumulating: true, mode: physics, part_size_m: [1.2, 0.6, 0.4],"};
  CHECK(fingerprint_of(edited(sized)) != fingerprint_of(edited(physics)));
}

TEST_CASE("what decides no run leaves the scene's fingerprint as it is") {
  const std::uint64_t base = fingerprint_of(kScene);
  const std::vector<Edit> edits = {
      {"comments", "fleets:\n", "# the fleet\nfleets:  # one of them\n"},
      {"the name", "name: fingerprinted cell", "name: another cell"},
      {"the description", "description: a cell", "description: the cell"},
      {"the seed a saved run carries", "seed: 7", "seed: 8"},
      {"the run settings a saved run carries",
       "run: {duration: 4000s, warmup: 100s, replications: 2}",
       "run: {duration: 2h, warmup: 0s, replications: 5}"},
      {"the order of keys in a map", "{id: A, x_m: -20, y_m: 0}", "{y_m: 0, x_m: -20, id: A}"},
      {"a time in minutes", "processing: 30s", "processing: 0.5min"},
      {"a default spelled out", "{from: CH, to: CH2,", "{from: CH, to: CH2, one_way: false,"},
      {"the default traffic control left out", "    traffic: zones\n", ""},
      {"the default idle place spelled out", "traffic: zones\n",
       "traffic: zones\n    idle_at: home\n"},
      {"the default dispatch left out", "    dispatch: nearest_idle\n", ""},
      {"the default belt mode spelled out", "accumulating: true,",
       "accumulating: true, mode: event,"},

      {"a block map for a flow map",
       "    vehicle: {max_speed_m_per_s: 1, acceleration_m_per_s2: 0.5, deceleration_m_per_s2: "
       "0.4,\n"
       "              width_m: 1, length_m: 1.2, load_time: 10s, unload_time: 12s}\n",
       "    vehicle:\n      max_speed_m_per_s: 1\n      acceleration_m_per_s2: 0.5\n"
       "      deceleration_m_per_s2: 0.4\n      width_m: 1\n      length_m: 1.2\n"
       "      load_time: 10s\n      unload_time: 12s\n"},
      {"a 3D model", "{id: SINK, type: sink,", "{id: SINK, type: sink, model: bin.glb,"},
  };
  for (const Edit& edit : edits) {
    CAPTURE(edit.what);
    CHECK(fingerprint_of(edited(edit)) == base);
  }
  // A physics belt keeps the line it was written on, for errors: written further down, it is the
  // same belt.
  const std::string physics =
      edited({"a physics belt", "accumulating: true,", "accumulating: true, mode: physics,"});
  const std::string lower =
      edited({"a comment line above it", "elements:\n", "elements:\n# parts and belts\n"}, physics);
  CHECK(fingerprint_of(lower) == fingerprint_of(physics));
}
