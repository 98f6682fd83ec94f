// The fleet benchmark (docs/performance.md, "Fleets"): a line of 20 stations fed by a fleet of 50
// AGVs for an 8 h shift, the whole line run on one core, without and with the collision audit at
// 20 Hz (the issue asks for at least 1,000x and 100x simulated time per wall time).
//
// The line: blanks enter S01 directly; every later move (S01 -> B02 -> S02, ..., S20 -> shipping)
// is an AGV trip. The aisles are a 110 m x 30 m loop of two-way, 2.5 m wide aisles at 1.5 m/s,
// with a node every 10 m; each station's dock sits on a 3 m spur off the loop (0.5 m/s), stations
// S01..S10 along the bottom and S11..S20 back along the top, shipping's dock at the top left
// corner and the depot on a spur off the left side: the shape on which zone reservations cannot
// deadlock (docs/transport.md). Stations work a gamma-distributed 60 s on average, buffers hold
// 2. What it reports: simulated seconds per wall second, events per second, the parts shipped and
// (with the audit) the checks made, so that a run that stalls or a fleet that never moves shows.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "bench_options.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#ifdef LINETWIN_BENCH_PHYSICS
#include "physics/collision_audit.hpp"
#endif

namespace {

using namespace linetwin;

constexpr int kStations = 20;
constexpr double kShiftS = 8 * 3600.0;
constexpr std::uint64_t kSeed = 20261207;

// x of station k's dock (1-based): S01..S10 at 10..100 m on the bottom aisle (y = 0), S11..S20
// at 100..10 m on the top one (y = 30).
double dock_x(int k) {
  return 10.0 * (k <= 10 ? k : 21 - k);
}
bool on_bottom(int k) {
  return k <= 10;
}

std::string fleet_line_yaml(int vehicles, double hours) {
  std::string y = fmt::format(
      "linetwin_scene: 1\nname: fleet benchmark, {} stations and {} AGVs\nseed: {}\n"
      "run: {{duration: {}h, warmup: 0s, replications: 1}}\npaths:\n  nodes:\n",
      kStations, vehicles, kSeed, hours);
  std::string edges;
  const auto edge = [&](const std::string& a, const std::string& b, double width, double speed) {
    edges += fmt::format("    - {{from: {}, to: {}, width_m: {}, speed_limit_m_per_s: {}}}\n", a, b,
                         width, speed);
  };
  // The loop: bottom B0..B11 (x = 0..110), top T0..T11, joined at both ends through L (0, 15)
  // and R (110, 15).
  for (int i = 0; i <= 11; ++i) {
    y += fmt::format("    - {{id: B{}, x_m: {}, y_m: 0}}\n    - {{id: T{}, x_m: {}, y_m: 30}}\n", i,
                     10 * i, i, 10 * i);
    if (i > 0) {
      edge(fmt::format("B{}", i - 1), fmt::format("B{}", i), 2.5, 1.5);
      edge(fmt::format("T{}", i - 1), fmt::format("T{}", i), 2.5, 1.5);
    }
  }
  y += "    - {id: L, x_m: 0, y_m: 15}\n    - {id: R, x_m: 110, y_m: 15}\n";
  edge("B0", "L", 2.5, 1.5);
  edge("L", "T0", 2.5, 1.5);
  edge("B11", "R", 2.5, 1.5);
  edge("R", "T11", 2.5, 1.5);
  // Docks on spurs, the depot off L, shipping's dock above T0.
  for (int k = 1; k <= kStations; ++k) {
    const double x = dock_x(k);
    y += fmt::format("    - {{id: D{:02}, x_m: {}, y_m: {}}}\n", k, x, on_bottom(k) ? -3 : 33);
    edge(fmt::format("{}{}", on_bottom(k) ? 'B' : 'T', static_cast<int>(x / 10)),
         fmt::format("D{:02}", k), 2.0, 0.5);
  }
  y += "    - {id: DEPOT, x_m: -3, y_m: 15}\n    - {id: SHIP, x_m: 0, y_m: 33}\n";
  edge("L", "DEPOT", 2.0, 0.5);
  edge("T0", "SHIP", 2.0, 0.5);
  y += "  edges:\n" + edges;
  y += fmt::format(
      "fleets:\n  - id: AGV\n    home: DEPOT\n    vehicles: {}\n    vehicle:\n"
      "      {{max_speed_m_per_s: 1.5, acceleration_m_per_s2: 0.5, deceleration_m_per_s2: 0.7,\n"
      "       width_m: 1.0, length_m: 1.4, load_time: 15s, unload_time: 10s}}\n",
      vehicles);
  y += "elements:\n  - {id: blanks, type: source, supply: unlimited, to: S01, pose: {x: 5, y: "
       "-8}}\n";
  for (int k = 1; k <= kStations; ++k) {
    const double x = dock_x(k);
    const double station_y = on_bottom(k) ? -5.5 : 35.5;
    const std::string next =
        k == kStations ? std::string("shipping") : fmt::format("B{:02}", k + 1);
    y += fmt::format(
        "  - {{id: S{:02}, type: station, processing: {{distribution: gamma, shape: 8, mean: 60s}},"
        " to: {{via: AGV, to: {}}}, transfer_node: D{:02}, pose: {{x: {}, y: {}}}}}\n",
        k, next, k, x, station_y);
    if (k < kStations) {
      const double nx = dock_x(k + 1);
      y += fmt::format(
          "  - {{id: B{:02}, type: buffer, capacity: 2, to: S{:02}, transfer_node: D{:02},"
          " pose: {{x: {}, y: {}}}}}\n",
          k + 1, k + 1, k + 1, nx + 2.2, on_bottom(k + 1) ? -5.5 : 35.5);
    }
  }
  y += "  - {id: shipping, type: sink, transfer_node: SHIP, pose: {x: -2.5, y: 35.5}}\n";
  return y;
}

void report(benchmark::State& state, double simulated_s, std::uint64_t events,
            std::uint64_t shipped) {
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(simulated_s * iterations, benchmark::Counter::kIsRate);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events) * iterations, benchmark::Counter::kIsRate);
  state.counters["shipped"] = static_cast<double>(shipped);
}

void BM_FleetLine(benchmark::State& state, const Scene* scene) {
  std::uint64_t events = 0;
  std::uint64_t parts = 0;
  for (auto _ : state) {
    LineRun run(*scene, kSeed, 0);
    const ReplicationResult result = run.run_to_end();
    if (result.deadlock) state.SkipWithError("the benchmark line deadlocked");
    events = result.events;
    parts = result.parts_completed;
  }
  report(state, scene->run_settings().duration_s, events, parts);
}

#ifdef LINETWIN_BENCH_PHYSICS
void BM_FleetLineAudited(benchmark::State& state, const Scene* scene) {
  std::uint64_t events = 0;
  std::uint64_t parts = 0;
  std::uint64_t checks = 0;
  const std::vector<AuditedObstacle> obstacles = element_obstacles(*scene);
  for (auto _ : state) {
    LineRun run(*scene, kSeed, 0);
    run.record_vehicle_tracks();
    const ReplicationResult result = run.run_to_end();
    const std::vector<AuditedVehicle> vehicles = audited_vehicles(*scene, run.vehicle_tracks());
    const CollisionAuditResult audit = audit_collisions(
        vehicles, obstacles, {.rate_hz = 20.0, .until_s = scene->run_settings().duration_s});
    if (!audit.contacts.empty()) state.SkipWithError("the audit found a contact");
    events = result.events;
    parts = result.parts_completed;
    checks = audit.checks;
  }
  report(state, scene->run_settings().duration_s, events, parts);
  state.counters["checks"] = static_cast<double>(checks);
}
#endif

void register_benchmarks(bool smoke) {
  // Built once: the benchmarks time runs, not scene loading.
  static const Scene scene =
      load_scene_text(fleet_line_yaml(50, smoke ? 0.25 : 8.0), "fleet_benchmark.yaml");
  const auto setup = [smoke](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMillisecond)->UseRealTime();
    if (!smoke) b->Iterations(1)->Repetitions(5)->ReportAggregatesOnly(true);
  };
  setup(benchmark::RegisterBenchmark("BM_FleetLine/stations:20/vehicles:50", BM_FleetLine, &scene));
#ifdef LINETWIN_BENCH_PHYSICS
  setup(benchmark::RegisterBenchmark("BM_FleetLineAudited/stations:20/vehicles:50/hz:20",
                                     BM_FleetLineAudited, &scene));
#endif
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
