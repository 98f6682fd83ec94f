// Batteries and charging on tests/plant/scenes/agv_battery.yaml, whose times and charge levels
// follow exactly from the scene: legs of 30 m (home or charger to A, B to the charger) and 40 m
// (A to B, B to A) at 1 m/s with 0.5 m/s² either way take L/v + v/2a + v/2d = L + 2 s, and cost
// L/64 kWh (docs/transport.md, "Batteries and charging").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

constexpr double kShort = 30.0 + 2.0, kLong = 40.0 + 2.0;  // seconds
constexpr double kHandling = 10.0;                         // loading, unloading
constexpr double kShortKwh = 30.0 / 64, kLongKwh = 40.0 / 64;
constexpr double kCapacity = 10.0, kBelow = 3.0, kTo = 9.0, kRateKw = 36.0;

std::string scene_text() {
  std::ifstream in(std::filesystem::path(LINETWIN_SOURCE_DIR) /
                   "tests/plant/scenes/agv_battery.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ReplicationResult simulate(const std::string& text) {
  const Scene scene = load_scene_text(text, "agv_battery.yaml");
  LineRun run(scene, scene.seed(), 0);
  return run.run_to_end();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a vehicle charges every few deliveries, exactly as its energy says") {
  // OP10 takes 1 s, so an order always waits when the vehicle is free: the vehicle is the
  // bottleneck. A round from B (to A, load, to B, unload) takes 2 kLong + 2 kHandling and costs
  // 2 kLongKwh. First delivery: from home at 1 s, 1 + kShort + kLong + 2 kHandling = 95 s, with
  // kCapacity - kShortKwh - kLongKwh left.
  const double round_s = 2 * kLong + 2 * kHandling;
  const double round_kwh = 2 * kLongKwh;
  // Deliveries until the charge left after one is below kBelow, from `charge` after the first.
  auto deliveries_until_low = [&](double& charge) {
    int deliveries = 1;
    for (; !(charge < kBelow); ++deliveries)
      charge -= round_kwh;
    return deliveries;
  };
  double charge = kCapacity - kShortKwh - kLongKwh;
  // 8.90625 kWh after the first, 1.25 a round: below 3 kWh after the sixth.
  REQUIRE(deliveries_until_low(charge) == 6);
  // Then: to the charger, charge to kTo, to A, and rounds until below kBelow again.
  const double first_charge_s = (kTo - (charge - kShortKwh)) / kRateKw * 3600;
  charge = kTo - kShortKwh - kLongKwh;
  REQUIRE(deliveries_until_low(charge) == 5);
  const double charge_s = (kTo - (charge - kShortKwh)) / kRateKw * 3600;
  // Steady period: to the charger, charge, to A, load, to B, unload, then four rounds.
  const double period_s = kShort + charge_s + kShort + kLong + 2 * kHandling + 4 * round_s;
  const double sixth_s = 95 + 5 * round_s;
  const double seventh_s = sixth_s + kShort + first_charge_s + kShort + kLong + 2 * kHandling;

  SUBCASE("the first 4000 s: three charges, eighteen deliveries") {
    const ReplicationResult r = simulate(scene_text());
    // Deliveries 7..11, 12..16 and 17, 18 (at seventh + 2 period + 104) come before 4000 s.
    REQUIRE(seventh_s + 2 * period_s + round_s < 4000.0);
    REQUIRE(seventh_s + 2 * period_s + 2 * round_s > 4000.0);
    CHECK(r.parts_completed == 18);
    const VehicleResult& v = r.fleets.at(0).vehicles.at(0);
    CHECK(v.orders == 18);
    CHECK(v.charges == 3);
    // Time to the charger and charging: the first charge and two steady ones.
    CHECK(
        v.charging ==
        doctest::Approx((kShort + first_charge_s + 2 * (kShort + charge_s)) / 4000).epsilon(1e-9));
    // Metres driven: home to A to B, five rounds; twice the charge trips (30 + 30 + 40) and four
    // rounds; then to the charger, to A, to B and one and a half rounds begun by 4000 s.
    const double metres = 70 + 5 * 80 + 2 * (100 + 4 * 80) + 30 + 30 + 40 + 80 + 80;
    CHECK(v.energy_kwh == doctest::Approx(metres / 64).epsilon(1e-12));
    CHECK(r.fleets[0].fleet.charging == v.charging);
    CHECK(v.loaded_travel + v.empty_travel + v.driving_home + v.waiting_for_zone + v.handling +
              v.idle + v.charging ==
          doctest::Approx(1.0).epsilon(1e-12));
  }

  SUBCASE("in the steady state the throughput is five parts a period") {
    // Observe ten periods from 1400 s, after the first charge: ten charges, fifty parts.
    REQUIRE(seventh_s > 1400);
    const std::string text =
        replaced(scene_text(), "run: {duration: 4000s}",
                 "run: {warmup: 1400s, duration: " + std::to_string(10 * period_s) + "s}");
    const ReplicationResult r = simulate(text);
    CHECK(r.parts_completed == 50);
    CHECK(r.throughput_per_hour == doctest::Approx(5 * 3600 / period_s).epsilon(1e-9));
    const VehicleResult& v = r.fleets.at(0).vehicles.at(0);
    CHECK(v.charges == 10);
    CHECK(v.charging == doctest::Approx((kShort + charge_s) / period_s).epsilon(1e-9));
  }
}

TEST_CASE("a battery exactly as large as an order needs is enough, to the last bit") {
  // Capacity = what a vehicle leaving the charger needs for its order and the drive back to the
  // charger, summed as the scene's check sums it. The run must find it enough as well: before
  // each order it compares the same sum, so no rounding sends a full vehicle to charge again at
  // the charger it stands on. Consumptions are tried until one makes the other way of writing
  // the test (charge - legs >= reserve) fail, so the case is one where the two ways disagree.
  const std::string text = scene_text();
  const std::string battery = "consumption_kwh_per_m: 0.015625";
  double consumption = 0.0;
  double need_kwh = 0.0;
  for (int k = 1; k < 1000 && need_kwh == 0.0; ++k) {
    const double c = 0.01 + k * 1e-5;
    const Scene probe =
        load_scene_text(replaced(text, battery, fmt::format("consumption_kwh_per_m: {:.17g}", c)),
                        "agv_battery.yaml");
    const FleetSpec& fleet = probe.fleets().front();
    const TransportLink& link = probe.element(*probe.find("OP10")).route.via;
    const std::uint32_t charger = fleet.chargers.front();
    const double to_pick_up = fleet.energy_kwh(charger, link.pick_up);
    const double carry = fleet.energy_kwh(link.pick_up, link.drop_off);
    const double reserve = fleet.charger_reserve_kwh[link.drop_off];
    const double need = to_pick_up + carry + reserve;
    if (need - to_pick_up - carry < reserve) {
      consumption = c;
      need_kwh = need;
    }
  }
  REQUIRE(need_kwh > 0.0);
  CAPTURE(consumption);
  // Full at need_kwh: a vehicle charges after every delivery, at the charger it drives to from B.
  const std::string exact = replaced(
      replaced(replaced(text, battery, fmt::format("consumption_kwh_per_m: {:.17g}", consumption)),
               "capacity_kwh: 10", fmt::format("capacity_kwh: {:.17g}", need_kwh)),
      "charge_to: 0.9", "charge_to: 1");
  const ReplicationResult r = simulate(exact);
  // A cycle: charger to A, load, A to B, unload, B to the charger, charge what the cycle used.
  const double cycle_s =
      kShort + kHandling + kLong + kHandling + kShort + need_kwh / kRateKw * 3600;
  CHECK_FALSE(r.deadlock.has_value());
  CHECK(r.parts_completed >= static_cast<std::uint64_t>((4000 - 95) / cycle_s));
}

TEST_CASE("a fleet without a battery has no charging") {
  const std::string text =
      replaced(replaced(scene_text(),
                        "    battery: {capacity_kwh: 10, consumption_kwh_per_m: 0.015625, "
                        "charge_rate_kw: 36,\n              charge_below: 0.3, charge_to: 0.9}\n",
                        ""),
               "    chargers: [CH]\n", "");
  const ReplicationResult r = simulate(text);
  const VehicleResult& v = r.fleets.at(0).vehicles.at(0);
  CHECK(v.charges == 0);
  CHECK(v.charging == 0.0);
  CHECK(v.energy_kwh == 0.0);
  // No charging: a round every 104 s after the first delivery at 95 s.
  CHECK(r.parts_completed ==
        1 + static_cast<std::uint64_t>((4000 - 95) / (2 * kLong + 2 * kHandling)));
}

TEST_CASE("bad batteries are input errors naming the field") {
  auto error = [](const std::string& text) -> std::string {
    try {
      load_scene_text(text, "agv_battery.yaml");
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string text = scene_text();
  for (const char* below : {"0", "1", "1.5", "-0.2"}) {
    CAPTURE(below);
    const std::string what =
        error(replaced(text, "charge_below: 0.3", std::string("charge_below: ") + below));
    CHECK(what.find("agv_battery.yaml:25:") != std::string::npos);
    CHECK(what.find("fleets[0].battery.charge_below") != std::string::npos);
  }
  CHECK(error(replaced(text, "charge_to: 0.9", "charge_to: 0.2"))
            .find("fleets[0].battery.charge_to") != std::string::npos);
  // 0.9 of 1 kWh cannot take a vehicle from CH to A to B and back to CH (100 m, 1.5625 kWh).
  const std::string small = error(replaced(text, "capacity_kwh: 10", "capacity_kwh: 1"));
  CHECK(small.find("fleets[0].battery.capacity_kwh") != std::string::npos);
  CHECK(small.find("reach a charger") != std::string::npos);
  CHECK(error(replaced(text, "    chargers: [CH]\n", "")).find("fleets[0].chargers") !=
        std::string::npos);
  CHECK(error(replaced(text, "chargers: [CH]", "chargers: [A]")).find("fleets[0].chargers") !=
        std::string::npos);
  CHECK(error(replaced(text, "chargers: [CH]", "chargers: [X]")).find("found 'X'") !=
        std::string::npos);
  CHECK(error(replaced(text, "charge_rate_kw: 36", "charge_rate_kw: 0"))
            .find("fleets[0].battery.charge_rate_kw") != std::string::npos);
}
