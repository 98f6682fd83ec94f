// The line's bottleneck among stations and fleets (experiment/bottleneck.hpp): on one line, a
// station OP10 at node A whose parts a fleet carries 20 m to buffer B20 at node B, which feeds
// OP20, the fleet is the bottleneck when one slow vehicle feeds two fast stations, and the slow
// station is when four fast vehicles serve it. The comment of each case works the shares out by
// hand; every replication must agree, and the reports (JSON, replication table) must say so.
#include <doctest/doctest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/bottleneck.hpp"
#include "experiment/replication_table.hpp"
#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {

constexpr double kLength = 20.0, kAccel = 0.5, kDecel = 0.5;
constexpr double kLoad = 5.0, kUnload = 5.0;
constexpr double kDuration = 36000.0;
constexpr int kReplications = 5;

// A drive of 20 m from rest to rest that reaches the top speed v: L/v + v/2a + v/2d.
double travel_s(double speed) {
  REQUIRE(kLength >= speed * speed / (2 * kAccel) + speed * speed / (2 * kDecel));
  return kLength / speed + speed / (2 * kAccel) + speed / (2 * kDecel);
}

// Vehicles park at A, OP10's pick-up point, and drive without zone reservations (as in
// tests/plant/transport_run_test.cpp, whose home is a stop too).
std::string line_yaml(int vehicles, double speed, const std::string& op20_processing) {
  return "linetwin_scene: 1\n"
         "seed: 14\n"
         "run: {duration: 36000s, warmup: 1000s, replications: 5}\n"
         "paths:\n"
         "  nodes: [{id: A, x_m: 0, y_m: 0}, {id: B, x_m: 20, y_m: 0}]\n"
         "  edges: [{from: A, to: B, width_m: 2, speed_limit_m_per_s: 2}]\n"
         "fleets:\n"
         "  - id: AGV\n"
         "    home: A\n"
         "    vehicles: " +
         std::to_string(vehicles) +
         "\n"
         "    traffic: none\n"
         "    vehicle: {max_speed_m_per_s: " +
         std::to_string(speed) +
         ", acceleration_m_per_s2: 0.5,\n"
         "              deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s, unload_time: 5s}\n"
         "elements:\n"
         "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
         "  - {id: OP10, type: station, processing: {distribution: uniform, min: 8s, max: 12s},\n"
         "     to: {via: AGV, to: B20}, transfer_node: A}\n"
         "  - {id: B20, type: buffer, capacity: 2, to: OP20, transfer_node: B}\n"
         "  - {id: OP20, type: station, processing: " +
         op20_processing +
         ", to: SINK}\n"
         "  - {id: SINK, type: sink}\n";
}

struct Outcome {
  std::vector<ReplicationResult> reps;
  ExperimentSummary summary;
  nlohmann::json json;
};

Outcome run(const Scene& scene) {
  const ExperimentSettings settings = settings_from_scene(scene);
  Outcome out;
  out.reps = run_replications(scene, settings);
  REQUIRE(out.reps.size() == kReplications);
  out.summary = summarize(out.reps);
  std::ostringstream json;
  write_json(json, RunReport{scene, settings, out.summary});
  out.json = nlohmann::json::parse(json.str());
  return out;
}

}  // namespace

TEST_CASE("one slow vehicle feeding fast stations: the fleet is the bottleneck") {
  // One vehicle at 0.5 m/s drives A-B in T = 41 s. Once it has loaded OP10's part at A, OP10
  // finishes the next within 12 s; B20 then has a place (OP20, at most 12 s a part, has taken
  // the part before), so the order is queued long before the vehicle has unloaded at B (T + 5
  // after loading). The vehicle therefore goes from every unloading straight to the next order:
  // empty to A, load, loaded to B, unload, never idle nor driving home after its first order
  // (within the warm-up). Its busy share is 1, its cycle C = 2 (5 + T), one part per cycle. The
  // stations work at most 12 s per cycle: active shares at most 12 / C < 0.14.
  const double t = travel_s(0.5);
  const double cycle = kLoad + t + kUnload + t;
  REQUIRE(12.0 < t + kUnload);
  const Scene scene = load_scene_text(
      line_yaml(1, 0.5, "{distribution: uniform, min: 8s, max: 12s}"), "slow_fleet.yaml");
  const Outcome out = run(scene);
  const ReplicationTable table(scene);
  for (const ReplicationResult& r : out.reps) {
    CAPTURE(r.replication);
    REQUIRE(!r.deadlock);
    const double busy = busy_share(r.fleets[0].fleet);
    CHECK(busy == doctest::Approx(1.0).epsilon(1e-12));
    for (const StationResult& s : r.stations)
      CHECK(active_share(s) <= 12.0 / cycle + 1e-3);
    // One part per cycle, give or take the cycle under way at either end.
    CHECK(static_cast<double>(r.parts_completed) >= kDuration / cycle - 2);
    CHECK(static_cast<double>(r.parts_completed) <= kDuration / cycle + 2);
    const std::optional<Bottleneck> b = line_bottleneck(r);
    REQUIRE(b);
    CHECK(b->kind == Bottleneck::Kind::kFleet);
    CHECK(b->index == 0);
    CHECK(table.count(r, *table.find("fleets.AGV.bottleneck")) == 1);
    CHECK(table.count(r, *table.find("OP10.bottleneck")) == 0);
    CHECK(table.count(r, *table.find("OP20.bottleneck")) == 0);
    CHECK(table.value(r, *table.find("fleets.AGV.busy")) == busy);
  }
  CHECK(out.summary.fleets[0].bottleneck_share == 1.0);
  for (const StationSummary& s : out.summary.stations)
    CHECK(s.bottleneck_share == 0.0);
  REQUIRE(out.summary.bottleneck_fleet);
  CHECK(*out.summary.bottleneck_fleet == 0);
  CHECK(out.summary.fleets[0].fleet.busy.mean == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(out.summary.fleets[0].fleet.busy.replications == kReplications);

  CHECK(out.json["schema"] == "linetwin.run/5");
  CHECK(out.json["bottleneck"]["kind"] == "fleet");
  CHECK(out.json["bottleneck"]["id"] == "AGV");
  CHECK(out.json["fleets"][0]["bottleneck_share"] == 1.0);
  CHECK(out.json["fleets"][0]["busy"]["n"] == kReplications);
  CHECK(out.json["fleets"][0]["by_vehicle"][0]["busy"]["mean"].get<double>() ==
        doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("many fast vehicles serving one slow station: the station is the bottleneck") {
  // Four vehicles at 1.5 m/s drive A-B in T = 16.33 s; OP20 takes 90 to 110 s a part. When OP20
  // takes a part from B20, OP10 (at most 12 s a part) has long had one waiting for that place:
  // the order is made then, a vehicle parked at A loads it at once, and it is in B20 5 + T + 5 =
  // 26.3 s later, before OP20 finishes. B20 therefore holds a part whenever OP20 finishes, and OP20
  // (never blocked: it hands to a sink) works all the time after its first part, within the
  // warm-up: its active share is 1. The fleet has one order per OP20 part, at least 90 s apart,
  // taken by a vehicle back home from the last (5 + T + 5 + T = 42.7 s): the first vehicle does
  // them all, busy 5 + T + 5 an order, so the fleet's share (over its four vehicles) is at most
  // (orders + 1)(10 + T) / (4 x 36000 s), about 0.06.
  const double t = travel_s(1.5);
  REQUIRE(kLoad + t + kUnload + t < 90.0);
  const Scene scene = load_scene_text(
      line_yaml(4, 1.5, "{distribution: uniform, min: 90s, max: 110s}"), "slow_station.yaml");
  const Outcome out = run(scene);
  const ReplicationTable table(scene);
  for (const ReplicationResult& r : out.reps) {
    CAPTURE(r.replication);
    REQUIRE(!r.deadlock);
    CHECK(active_share(r.stations[1]) == doctest::Approx(1.0).epsilon(1e-12));
    const double orders = static_cast<double>(r.fleets[0].fleet.orders);
    CHECK(orders <= kDuration / 90.0 + 1);
    CHECK(busy_share(r.fleets[0].fleet) <= (orders + 1) * (kLoad + t + kUnload) / (4 * kDuration));
    CHECK(busy_share(r.fleets[0].vehicles[1]) == 0.0);
    const std::optional<Bottleneck> b = line_bottleneck(r);
    REQUIRE(b);
    CHECK(b->kind == Bottleneck::Kind::kStation);
    CHECK(b->index == 1);
    CHECK(table.count(r, *table.find("OP20.bottleneck")) == 1);
    CHECK(table.count(r, *table.find("fleets.AGV.bottleneck")) == 0);
  }
  CHECK(out.summary.stations[1].bottleneck_share == 1.0);
  CHECK(out.summary.fleets[0].bottleneck_share == 0.0);
  CHECK(!out.summary.bottleneck_fleet);
  REQUIRE(out.summary.bottleneck_station);
  CHECK(*out.summary.bottleneck_station == 1);
  CHECK(out.json["bottleneck"]["kind"] == "station");
  CHECK(out.json["bottleneck"]["id"] == "OP20");
  CHECK(out.json["bottleneck"]["station"] == "OP20");
}

TEST_CASE("a line without fleets names its bottleneck station as before") {
  // OP2 takes 20 s a part against OP1's 10 s: OP2 works all the time, OP1 blocks half of it.
  const Scene scene = load_scene_text(
      "linetwin_scene: 1\n"
      "run: {duration: 3600s, warmup: 100s, replications: 2}\n"
      "elements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: OP1}\n"
      "  - {id: OP1, type: station, processing: 10s, to: B}\n"
      "  - {id: B, type: buffer, capacity: 1, to: OP2}\n"
      "  - {id: OP2, type: station, processing: 20s, to: SINK}\n"
      "  - {id: SINK, type: sink}\n",
      "plain.yaml");
  const ExperimentSettings settings = settings_from_scene(scene);
  const std::vector<ReplicationResult> reps = run_replications(scene, settings);
  for (const ReplicationResult& r : reps) {
    const std::optional<Bottleneck> b = line_bottleneck(r);
    REQUIRE(b);
    CHECK(b->kind == Bottleneck::Kind::kStation);
    CHECK(static_cast<std::int64_t>(b->index) == r.bottleneck_station);
    CHECK(b->index == 1);
  }
  const ExperimentSummary summary = summarize(reps);
  CHECK(!summary.bottleneck_fleet);
  CHECK(summary.stations[1].bottleneck_share == 1.0);
  std::ostringstream json;
  write_json(json, RunReport{scene, settings, summary});
  const nlohmann::json j = nlohmann::json::parse(json.str());
  CHECK(j["bottleneck"]["kind"] == "station");
  CHECK(j["bottleneck"]["id"] == "OP2");
}

TEST_CASE("vehicles idle far from a station that waits for them: the fleet is the bottleneck") {
  // OP10 (p = 20 s) at A ships to a sink at S, 20 m on; four vehicles park at H, 50 m before A,
  // and drive home after each delivery. At 1.5 m/s, 0.5 m/s² either way (L/v + v/2a + v/2d),
  // H to A takes a = 50/1.5 + 3 s, A to S d = 20/1.5 + 3 s, S to H 70/1.5 + 3 s. Each order goes to
  // a vehicle parked at H (the one that delivered the order before is still on its way back), so
  // OP10 waits a + 5 s for every part: cycle C = 20 + a + 5, active share 20 / C = 0.33, waiting
  // for a vehicle (a + 5) / C = 0.67. The vehicles are on orders a + 5 + d + 5 s a part, over four
  // vehicles' time: busy (a + d + 10) / 4C = 0.25, below the station's active share. By busy shares
  // alone the station would be named; the station it keeps waiting two thirds of the time names the
  // fleet.
  const double a = 50.0 / 1.5 + 3.0, d = 20.0 / 1.5 + 3.0, back = 70.0 / 1.5 + 3.0;
  const double cycle = 20.0 + a + kLoad;
  REQUIRE(a + kLoad + d + kUnload + back > cycle);      // the last one to deliver is not home yet
  REQUIRE(a + kLoad + d + kUnload + back < 2 * cycle);  // but two vehicles are enough
  const Scene scene = load_scene_text(
      "linetwin_scene: 1\n"
      "seed: 14\n"
      "run: {duration: 36000s, warmup: 1000s, replications: 5}\n"
      "paths:\n"
      "  nodes: [{id: H, x_m: 0, y_m: 0}, {id: A, x_m: 50, y_m: 0}, {id: S, x_m: 70, y_m: 0}]\n"
      "  edges: [{from: H, to: A, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: A, to: S, width_m: 2, speed_limit_m_per_s: 2}]\n"
      "fleets:\n"
      "  - {id: AGV, home: H, vehicles: 4, traffic: none,\n"
      "     vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"
      "               deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s, unload_time: 5s}}\n"
      "elements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
      "  - {id: OP10, type: station, processing: 20s, to: {via: AGV, to: SINK}, transfer_node: A}\n"
      "  - {id: SINK, type: sink, transfer_node: S}\n",
      "far_depot.yaml");
  const Outcome out = run(scene);
  for (const ReplicationResult& r : out.reps) {
    CAPTURE(r.replication);
    const StationResult& op10 = r.stations.at(0);
    CHECK(active_share(op10) == doctest::Approx(20.0 / cycle).epsilon(1e-3));
    CHECK(op10.waiting_for_vehicle == doctest::Approx((a + kLoad) / cycle).epsilon(1e-3));
    CHECK(busy_share(r.fleets[0].fleet) ==
          doctest::Approx((a + d + kLoad + kUnload) / (4 * cycle)).epsilon(1e-3));
    CHECK(busy_share(r.fleets[0].fleet) < active_share(op10));
    CHECK(fleet_share(r.fleets[0]) == op10.waiting_for_vehicle);
    const std::optional<Bottleneck> b = line_bottleneck(r);
    REQUIRE(b);
    CHECK(b->kind == Bottleneck::Kind::kFleet);
  }
  REQUIRE(out.summary.bottleneck_fleet);
  CHECK(out.json["bottleneck"]["id"] == "AGV");
}
