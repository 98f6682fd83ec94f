// Fleets in the line run on lines whose behaviour is known exactly: deterministic processing,
// loading and unloading times, and travel times from the closed form of a trapezoidal profile
// (docs/transport.md, "The motion model"), so that every delivery time, and so the throughput,
// follows from the cycle the vehicles and stations run. The comment next to each check derives it.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

// Nodes A (0, 0) and B (20, 0) joined by a 20 m aisle; vehicles at 1.5 m/s, 0.5 m/s² either way.
constexpr double kLength = 20.0, kSpeed = 1.5, kAccel = 0.5, kDecel = 0.5;
constexpr double kLoad = 5.0, kUnload = 5.0;

// 20 m >= v²/2a + v²/2d = 4.5 m: the vehicle reaches full speed, t = L/v + v/2a + v/2d.
double travel_s() {
  return kLength / kSpeed + kSpeed / (2 * kAccel) + kSpeed / (2 * kDecel);
}

// Without traffic control: the home A is also a stop (docs/transport.md, "Why it cannot
// deadlock"); the crossing and the grid in transport_zone_test.cpp reserve zones.
std::string fleet_yaml(int vehicles, const std::string& dispatch = "nearest_idle") {
  return "paths:\n"
         "  nodes: [{id: A, x_m: 0, y_m: 0}, {id: B, x_m: 20, y_m: 0}]\n"
         "  edges: [{from: A, to: B, width_m: 2, speed_limit_m_per_s: 2}]\n"
         "fleets:\n"
         "  - id: AGV\n"
         "    home: A\n"
         "    vehicles: " +
         std::to_string(vehicles) + "\n    dispatch: " + dispatch +
         "\n"
         "    traffic: none\n"
         "    vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"
         "              deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s, unload_time: 5s}\n";
}

// Completions at t0, t0 + cycle, ... up to `until`.
std::uint64_t completions(double t0, double cycle, double until) {
  return t0 > until ? 0 : static_cast<std::uint64_t>(std::floor((until - t0) / cycle)) + 1;
}

ReplicationResult simulate(const std::string& yaml) {
  const Scene scene = load_scene_text("linetwin_scene: 1\n" + yaml, "agv.yaml");
  LineRun run(scene, scene.seed(), 0);
  return run.run_to_end();
}

// One station at A feeding a sink at B through the fleet: processing p = 20 s.
std::string shuttle_line(int vehicles, const std::string& dispatch = "nearest_idle") {
  return fleet_yaml(vehicles, dispatch) +
         "run: {duration: 36000s}\n"
         "elements:\n"
         "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
         "  - {id: OP10, type: station, processing: 20s, to: {via: AGV, to: SINK},\n"
         "     pose: {x: 0, y: 1}}\n"
         "  - {id: SINK, type: sink, transfer_node: B}\n";
}

}  // namespace

TEST_CASE("one vehicle serving two stations in a loop delivers what its cycle says") {
  // supply -> OP10 (at A) -AGV-> B20 (capacity 1, at B) -> OP20 (at B) -AGV-> SINK (at A), with
  // OP10 and OP20 taking 10 s, loading and unloading 5 s, and one vehicle at home in A. The
  // first part is loaded at 10 s and delivered to B20 at 20 + T, OP20 finishes it at 30 + T;
  // meanwhile OP10's second part waits for B20's place, reserved for the first until it is
  // delivered, and the vehicle fetches it from A (empty, T) and delivers it at 30 + 3T. From
  // then on the vehicle never drives empty: it loads OP20's part where it stands (B), carries it
  // to the sink (delivered at 40 + 4T), loads OP10's next part there (A), carries it to B20, and
  // so round, two loads, two unloads and two loaded trips a part: cycle 2 (5 + 5) + 2T, as long
  // as each station has finished when the vehicle comes (10 s < 2T).
  const double t = travel_s();
  REQUIRE(10.0 < 2 * t);
  const ReplicationResult r = simulate(
      fleet_yaml(1) +
      "run: {duration: 36000s}\n"
      "elements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
      "  - {id: OP10, type: station, processing: 10s, to: {via: AGV, to: B20}, transfer_node: A}\n"
      "  - {id: B20, type: buffer, capacity: 1, to: OP20, transfer_node: B}\n"
      "  - {id: OP20, type: station, processing: 10s, to: {via: AGV, to: SINK},\n"
      "     pose: {x: 19, y: 1}}\n"
      "  - {id: SINK, type: sink, pose: {x: 0, y: -1}}\n");
  const double cycle = 2 * (kLoad + kUnload) + 2 * t;
  const std::uint64_t parts = completions(40 + 4 * t, cycle, 36000.0);
  CHECK(r.parts_completed == parts);
  CHECK(r.throughput_per_hour == doctest::Approx(parts / 10.0).epsilon(1e-12));
  REQUIRE(r.fleets.size() == 1);
  REQUIRE(r.fleets[0].vehicles.size() == 1);
  const VehicleResult& v = r.fleets[0].vehicles[0];
  // Every part completed was carried twice, and those delivered to B20 and not yet at the sink
  // (at most one at OP20 and one in B20) once.
  CHECK(v.orders >= 2 * parts);
  CHECK(v.orders <= 2 * parts + 2);
  CHECK(v.loaded_travel + v.empty_travel + v.driving_home + v.waiting_for_zone + v.handling +
            v.idle ==
        doctest::Approx(1.0));
  // The only empty trip is the one at 20 + T; the vehicle is never idle after 10 s.
  CHECK(v.empty_travel == doctest::Approx(t / 36000.0).epsilon(1e-9));
  CHECK(v.idle == doctest::Approx(10.0 / 36000.0).epsilon(1e-9));
}

TEST_CASE("a second vehicle keeps the station going while the first drives back") {
  // OP10 (p = 20 s) at A ships to a sink at B. The first order (made at 20 s) is loaded at A by a
  // vehicle parked at home there and delivered at 30 + T.
  //  - One vehicle: the second order (45 s) is queued while it unloads at B; it drives back
  //    empty and loads it at 50 + T, delivered at 60 + 2T. OP10's next part (done at 70 + T) is
  //    ready before the vehicle is free (60 + 2T, as T > 10), so from then on it does round trips
  //    of R = 5 + T + 5 + T: deliveries at 60 + 2T + (k - 1) R.
  //  - Two vehicles: a vehicle with no order after delivering drives home to A and parks there.
  //    Each order is made when OP10 finishes, at 20 + 25k (p plus the 5 s of loading, which
  //    begins at once: a vehicle is always parked at A then), and the vehicle that took the one
  //    before is still away (5 + T + 5 + T = 10 + 2T > 25 s), so the two take turns, and each
  //    order is delivered 10 + T after it was made: deliveries at 30 + T + 25k. No vehicle ever
  //    drives empty to a pick-up; each drives home T and loaded T in every 50 s.
  // Home is OP10's pick-up point, so zone reservations could deadlock here (docs/transport.md,
  // "Why it cannot deadlock"): these vehicles drive without them.
  const double t = travel_s();
  REQUIRE(t > 10.0);
  REQUIRE(10.0 + 2 * t > 25.0);
  REQUIRE(10.0 + 2 * t < 50.0);
  const double round_trip = kLoad + t + kUnload + t;
  const double end = 36000.0;

  const ReplicationResult one = simulate(shuttle_line(1));
  CHECK(one.parts_completed == 1 + completions(60 + 2 * t, round_trip, end));

  for (const std::string dispatch : {"nearest_idle", "fifo"}) {
    CAPTURE(dispatch);
    const ReplicationResult two = simulate(shuttle_line(2, dispatch));
    const std::uint64_t parts = completions(30 + t, 25.0, end);
    CHECK(two.parts_completed == parts);
    REQUIRE(two.fleets.size() == 1);
    const FleetResult& fleet = two.fleets[0];
    REQUIRE(fleet.vehicles.size() == 2);
    CHECK(fleet.vehicles[0].orders == (parts + 1) / 2);
    CHECK(fleet.vehicles[1].orders == parts / 2);
    CHECK(fleet.fleet.orders == parts);
    CHECK(fleet.order_lead_time_mean_s == doctest::Approx(10 + t).epsilon(1e-12));
    // Loaded T and home T in every 50 s; the start and end shift this by a part.
    CHECK(fleet.fleet.loaded_travel == doctest::Approx(t / 50).epsilon(1e-2));
    CHECK(fleet.fleet.driving_home == doctest::Approx(t / 50).epsilon(1e-2));
    CHECK(fleet.fleet.empty_travel == 0.0);
    CHECK(fleet.fleet.waiting_for_zone == 0.0);
  }
}

TEST_CASE("a warm-up restarts the fleet's counters") {
  // Two vehicles as above, deliveries every 25 s from 30 + T: those after 1000 s count.
  const double t = travel_s();
  std::string yaml = shuttle_line(2);
  yaml.replace(yaml.find("run: {duration: 36000s}"), 23, "run: {duration: 9000s, warmup: 1000s}");
  const ReplicationResult r = simulate(yaml);
  const std::uint64_t parts =
      completions(30 + t, 25.0, 10000.0) - completions(30 + t, 25.0, 1000.0);
  CHECK(r.parts_completed == parts);
  CHECK(r.fleets[0].fleet.orders == parts);
}

TEST_CASE("a scene with fleets refuses saved states and snapshots rather than lose its vehicles") {
  const Scene scene = load_scene_text("linetwin_scene: 1\n" + shuttle_line(1), "agv.yaml");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(100.0);
  std::ostringstream out;
  CHECK_THROWS_AS(run.save_state(out), InputError);
  CHECK_THROWS_WITH_AS(run.snapshot(), doctest::Contains("fleets"), InputError);
  // A fork (a copy of the run) carries its vehicles: it continues as the original does.
  LineRun fork = run;
  CHECK(fork.run_to_end().parts_completed == run.run_to_end().parts_completed);
}

TEST_CASE("every part that reaches the sink rode a vehicle, however the stations vary") {
  // OP10 (two servers) ships to B20 (capacity 1) by three vehicles; OP20 after B20 sends parts on
  // to the sink directly. OP20 often idles with B20 empty while its one place is reserved for a
  // part on its way and OP10 holds another: that part waits for a vehicle, not for OP20. So the
  // parts completed are the orders delivered, less those still in B20 or at OP20 (two at most).
  const ReplicationResult r = simulate(
      fleet_yaml(3) +
      "run: {duration: 10h}\n"
      "elements:\n"
      "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
      "  - {id: OP10, type: station, servers: 2, processing: {distribution: exponential, mean: "
      "10s},\n"
      "     to: {via: AGV, to: B20}, transfer_node: A}\n"
      "  - {id: B20, type: buffer, capacity: 1, to: OP20, transfer_node: B}\n"
      "  - {id: OP20, type: station, processing: {distribution: exponential, mean: 8s}, to: "
      "SINK}\n"
      "  - {id: SINK, type: sink}\n");
  const std::uint64_t delivered = r.fleets.at(0).fleet.orders;
  CHECK(r.parts_completed > 0);
  CHECK(r.parts_completed <= delivered);
  CHECK(delivered <= r.parts_completed + 2);
}

TEST_CASE(
    "with idle_at: pick_up the vehicle waits at the pick-up, and the station only for loading") {
  // OP10 (p = 100 s) at A ships to a sink at B, which is the fleet's home; one vehicle, parked
  // there at the start. The first order (100 s) is loaded at 105 + T and delivered at 110 + 2T.
  //  - idle_at: home: the vehicle parks at B after each delivery and drives T to A for the next
  //    order, so OP10 waits T + 5 s for every part: deliveries at 110 + 2T + k (105 + T).
  //  - idle_at: pick_up: it drives back to A at once (driving_home: T) and waits there, back
  //    long before OP10 finishes (5 + T + 5 + T < 100 s), so OP10 waits only for the 5 s of
  //    loading: deliveries at 110 + 2T + 105 k, the vehicle never drives empty to a pick-up but
  //    the first time.
  // With and without zone reservations: one vehicle never waits for a zone.
  const double t = travel_s();
  REQUIRE(kLoad + t + kUnload + t < 100.0);
  const double end = 36000.0;
  for (const std::string traffic : {"none", "zones"}) {
    for (const std::string idle_at : {"home", "pick_up"}) {
      CAPTURE(traffic);
      CAPTURE(idle_at);
      const ReplicationResult r = simulate(
          "paths:\n"
          "  nodes: [{id: A, x_m: 0, y_m: 0}, {id: B, x_m: 20, y_m: 0}]\n"
          "  edges: [{from: A, to: B, width_m: 2, speed_limit_m_per_s: 2}]\n"
          "fleets:\n"
          "  - {id: AGV, home: B, vehicles: 1, traffic: " +
          traffic + ", idle_at: " + idle_at +
          ",\n"
          "     vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"
          "               deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s, unload_time: "
          "5s}}\n"
          "run: {duration: 36000s}\n"
          "elements:\n"
          "  - {id: supply, type: source, supply: unlimited, to: OP10}\n"
          "  - {id: OP10, type: station, processing: 100s, to: {via: AGV, to: SINK},\n"
          "     transfer_node: A}\n"
          "  - {id: SINK, type: sink, transfer_node: B}\n");
      const bool at_pick_up = idle_at == "pick_up";
      const std::uint64_t parts = completions(110 + 2 * t, at_pick_up ? 105.0 : 105.0 + t, end);
      CHECK(r.parts_completed == parts);
      const VehicleResult& v = r.fleets.at(0).vehicles.at(0);
      CHECK(v.orders == parts);
      CHECK(v.waiting_for_zone == 0.0);
      // OP10 waits for a vehicle from each order to the end of its loading: 5 s a part waiting
      // at the pick-up, T + 5 s from home; the first part (T + 5 s either way) and an order
      // open at the end add at most two more such waits.
      const double per_part = at_pick_up ? kLoad : t + kLoad;
      const double waited_s = r.stations.at(0).waiting_for_vehicle * end;
      CHECK(waited_s >= static_cast<double>(parts) * per_part - 1e-6);
      CHECK(waited_s <= static_cast<double>(parts) * per_part + 2 * (t + kLoad) + 1e-6);
      CHECK(r.stations.at(0).waiting_for_vehicle <= r.stations.at(0).blocked + 1e-12);
      if (at_pick_up) {
        // One empty trip at the start; then T back to A after each delivery (the last one's
        // drive may be under way at the end).
        CHECK(v.empty_travel == doctest::Approx(t / end).epsilon(1e-9));
        CHECK(v.driving_home * end >= (static_cast<double>(parts) - 1) * t - 1e-6);
        CHECK(v.driving_home * end <= static_cast<double>(parts) * t + 1e-6);
      } else {
        CHECK(v.empty_travel * end ==
              doctest::Approx(static_cast<double>(parts) * t).epsilon(1e-9));
        CHECK(v.driving_home == 0.0);
      }
    }
  }
}

TEST_CASE("a vehicle waiting idle on another's way drives home out of it") {
  // An aisle U - P - V (20 m each). Fleet X: home XD on a spur off U; OP10 at P, on the aisle,
  // ships to a sink on a spur off U; its one vehicle waits idle at P between orders. Fleet Y:
  // home YD on a spur off U; OP20 on a spur off V ships to a sink on a spur off U, so each of
  // its trips passes P both ways. Whenever a Y vehicle starts to wait for P while X's vehicle
  // waits idle there, that one drives home out of the way, and is sent from home for its next
  // order: more than the one empty trip it would make if it were never moved.
  const std::string vehicle =
      "     vehicle: {max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5,\n"
      "               deceleration_m_per_s2: 0.5, width_m: 1, load_time: 5s, unload_time: "
      "5s}}\n";
  const ReplicationResult r = simulate(
      "paths:\n"
      "  nodes: [{id: U, x_m: 0, y_m: 0}, {id: P, x_m: 20, y_m: 0}, {id: V, x_m: 40, y_m: 0},\n"
      "          {id: XD, x_m: -3, y_m: 0}, {id: YD, x_m: 0, y_m: -3}, {id: S1, x_m: 0, y_m: 3},\n"
      "          {id: S2, x_m: -3, y_m: 3}, {id: Q, x_m: 43, y_m: 0}]\n"
      "  edges: [{from: U, to: P, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: P, to: V, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: U, to: XD, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: U, to: YD, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: U, to: S1, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: S1, to: S2, width_m: 2, speed_limit_m_per_s: 2},\n"
      "          {from: V, to: Q, width_m: 2, speed_limit_m_per_s: 2}]\n"
      "fleets:\n"
      "  - {id: X, home: XD, vehicles: 1, idle_at: pick_up,\n" +
      vehicle + "  - {id: Y, home: YD, vehicles: 1,\n" + vehicle +
      "run: {duration: 10h}\n"
      "elements:\n"
      "  - {id: supply10, type: source, supply: unlimited, to: OP10}\n"
      "  - {id: supply20, type: source, supply: unlimited, to: OP20}\n"
      "  - {id: OP10, type: station, processing: {distribution: exponential, mean: 120s},\n"
      "     to: {via: X, to: SINK1}, transfer_node: P}\n"
      "  - {id: OP20, type: station, processing: {distribution: exponential, mean: 120s},\n"
      "     to: {via: Y, to: SINK2}, transfer_node: Q}\n"
      "  - {id: SINK1, type: sink, transfer_node: S1}\n"
      "  - {id: SINK2, type: sink, transfer_node: S2}\n");
  CHECK_FALSE(r.deadlock.has_value());
  REQUIRE(r.fleets.size() == 2);
  const VehicleResult& x = r.fleets[0].vehicles.at(0);
  const VehicleResult& y = r.fleets[1].vehicles.at(0);
  CHECK(x.orders + y.orders == r.parts_completed);
  // Each station makes a part about every 2 min: a few hundred in 10 h.
  CHECK(x.orders > 100);
  CHECK(y.orders > 100);
  // XD to P is 23 m, P to S1 23 m: more than one empty trip means X's vehicle was moved home.
  const double xd_to_p_s = 23.0 / kSpeed + kSpeed / (2 * kAccel) + kSpeed / (2 * kDecel);
  CHECK(x.empty_travel * 36000.0 > 2.0 * xd_to_p_s);
  CHECK(y.waiting_for_zone > 0.0);
}
