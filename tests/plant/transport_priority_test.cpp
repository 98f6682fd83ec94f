// Priority dispatch: two stations compete for one vehicle, and the one whose link has the higher
// priority is always served first. Legs of 30 m (home to A1) and 40 m (between A1 or A2 and B)
// at 1 m/s with 0.5 m/s² either way take L + 2 s (docs/transport.md, "The motion model").
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

ReplicationResult simulate(const std::string& dispatch) {
  const std::string text =
      "linetwin_scene: 1\n"
      "run: {duration: 4000s}\n"
      "paths:\n"
      "  nodes: [{id: HOME, x_m: 0, y_m: -10}, {id: H, x_m: 0, y_m: 0}, {id: A1, x_m: -20, y_m: "
      "0},\n"
      "          {id: A2, x_m: 0, y_m: 20}, {id: B, x_m: 20, y_m: 0}]\n"
      "  edges:\n"
      "    - {from: H, to: HOME, width_m: 2, speed_limit_m_per_s: 2}\n"
      "    - {from: H, to: A1, width_m: 2, speed_limit_m_per_s: 2}\n"
      "    - {from: H, to: A2, width_m: 2, speed_limit_m_per_s: 2}\n"
      "    - {from: H, to: B, width_m: 2, speed_limit_m_per_s: 2}\n"
      "fleets:\n"
      "  - id: AGV\n"
      "    home: HOME\n"
      "    dispatch: " +
      dispatch +
      "\n"
      "    vehicle: {max_speed_m_per_s: 1, acceleration_m_per_s2: 0.5, deceleration_m_per_s2: "
      "0.5,\n"
      "              width_m: 1, load_time: 10s, unload_time: 10s}\n"
      "elements:\n"
      "  - {id: supply1, type: source, supply: unlimited, to: S1}\n"
      "  - {id: supply2, type: source, supply: unlimited, to: S2}\n"
      "  - {id: S1, type: station, processing: 1s, to: {via: AGV, to: SINK, priority: 2},\n"
      "     transfer_node: A1}\n"
      "  - {id: S2, type: station, processing: 2s, to: {via: AGV, to: SINK}, transfer_node: A2}\n"
      "  - {id: SINK, type: sink, transfer_node: B}\n";
  const Scene scene = load_scene_text(text, "priority.yaml");
  LineRun run(scene, scene.seed(), 0);
  return run.run_to_end();
}

}  // namespace

TEST_CASE("under priority dispatch the higher-priority station's orders go first") {
  // S1's first order (at 1 s) takes the idle vehicle: home to A1 32 s, load, A1 to B 42 s,
  // unload: delivered at 95 s. S1's next order is made 1 s after its load, so whenever the
  // vehicle has delivered, one of S1's waits, and a round from B (42 + 10 + 42 + 10 = 104 s)
  // follows; A2 is as far from B as A1 is, so a round for either takes the same.
  const double round_s = 42.0 + 10 + 42 + 10;
  const auto parts = static_cast<std::uint64_t>((4000 - 95) / round_s) + 1;
  const ReplicationResult priority = simulate("priority");
  CHECK(priority.parts_completed == parts);
  // S2 finished its first part at 2 s and holds it, blocked, to the end: never served.
  CHECK(priority.stations.at(1).blocked == doctest::Approx((4000.0 - 2) / 4000).epsilon(1e-12));
  // First come first served, the vehicle takes S1's and S2's orders in turn: the same rounds,
  // every other one for S2; S1's orders wait a round for S2's to be done, so their lead time is
  // longer than when they go first.
  const ReplicationResult fifo = simulate("nearest_idle");
  CHECK(fifo.parts_completed == parts);
  CHECK(priority.stations.at(1).parts_processed == 1);
  CHECK(fifo.stations.at(1).parts_processed >= parts / 2);
  CHECK(priority.fleets.at(0).order_lead_time_mean_s < fifo.fleets.at(0).order_lead_time_mean_s);
}
