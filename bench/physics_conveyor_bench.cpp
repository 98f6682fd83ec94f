// Physics conveyors' benchmark (docs/physics.md, "Physics conveyors"; docs/performance.md): four
// lines side by side, each a station loading a 50 m belt (0.5 m/s, 1 m pitch) with a part every
// 2 s, as fast as the belt takes them, and a station as fast unloading it: from 100 s on, 50
// parts ride each belt, 200 bodies moving in one Bullet world at every step.
//
// What it shows: physics steps per second with 200 bodies, simulated time per second of run, and
// the run's cost against the same scene with `mode: event`, timed in the same process before the
// physics runs (event_ms). Times are the running thread's CPU time (Google Benchmark's rates
// divide by it too), so that a machine shared with other work still measures the run itself.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "io/scene_file.hpp"
#include "physics/physics_conveyor.hpp"
#include "plant/line_run.hpp"

namespace {

using namespace linetwin;

std::string scene_text(int belts, double length_m, const std::string& mode, double duration_s) {
  std::string text = fmt::format(
      "linetwin_scene: 1\nname: physics conveyor bench\nseed: 7\n"
      "run: {{duration: {}s, warmup: 0s}}\nelements:\n",
      duration_s);
  for (int b = 0; b < belts; ++b) {
    text += fmt::format(
        "  - {{id: in{0}, type: source, supply: unlimited, to: load{0}}}\n"
        "  - {{id: load{0}, type: station, processing: 2s, to: belt{0}}}\n"
        "  - {{id: belt{0}, type: conveyor, length_m: {1}, speed_m_per_s: 0.5, spacing_m: 1,\n"
        "     mode: {2}, to: unload{0}}}\n"
        "  - {{id: unload{0}, type: station, processing: 2s, to: out{0}}}\n"
        "  - {{id: out{0}, type: sink}}\n",
        b, length_m, mode);
  }
  return text;
}

// This thread's CPU time: on a shared machine, what the run cost, whatever else ran beside it.
double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The median CPU time of 5 runs of `scene`.
double cpu_s_of_event_run(const Scene& scene) {
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) {
    const double start = thread_cpu_s();
    LineRun run(scene, scene.seed(), 0);
    benchmark::DoNotOptimize(run.run_to_end().parts_completed);
    times.push_back(thread_cpu_s() - start);
  }
  std::sort(times.begin(), times.end());
  return times[2];
}

void physics_belts(benchmark::State& state, int belts, double length_m, double duration_s) {
  const Scene physics =
      load_scene_text(scene_text(belts, length_m, "physics", duration_s), "bench");
  const Scene events = load_scene_text(scene_text(belts, length_m, "event", duration_s), "bench");
  const double event_cpu_s = cpu_s_of_event_run(events);
  std::uint64_t steps = 0;
  std::uint64_t most_bodies = 0;
  std::uint64_t parts = 0;
  for (auto _ : state) {
    LineRun run(physics, physics.seed(), 0);
    run.simulate_conveyors_with(make_bullet_conveyors);
    parts = run.run_to_end().parts_completed;
    steps = run.conveyor_physics()->steps();
    most_bodies = run.conveyor_physics()->most_bodies();
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["bodies_most"] = static_cast<double>(most_bodies);
  state.counters["parts"] = static_cast<double>(parts);
  state.counters["steps_per_s"] =
      benchmark::Counter(static_cast<double>(steps) * iterations, benchmark::Counter::kIsRate);
  state.counters["sim_per_cpu"] =
      benchmark::Counter(duration_s * iterations, benchmark::Counter::kIsRate);
  // The event run's CPU time, to divide the physics run's (the reported CPU time) by.
  state.counters["event_ms"] = event_cpu_s * 1e3;
}

void register_benchmarks(bool smoke) {
  const int belts = smoke ? 1 : 4;
  const double length_m = smoke ? 10.0 : 50.0;
  const double duration_s = smoke ? 60.0 : 300.0;
  const std::string name = fmt::format("physics_conveyor/{}_belts_{}m_{}s", belts,
                                       static_cast<int>(length_m), static_cast<int>(duration_s));
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    physics_belts(state, belts, length_m, duration_s);
  })->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
