// Frame time of linetwin-viewer: 100, 1,000 and 3,000 stations, each drawn with a real
// 1,874-triangle model (link 3 of the ABB IRB 2400 robot from ../shared/data, COLLADA), animated
// by a running simulation, with the panels the viewer opens by default (and, for comparison,
// none), the whole line framed as the viewer opens it. Everything the viewer draws by default is
// on: the flow arrows as wide as their flows (derived four times a second of wall time), the
// labels, the parts at the stations, the state timeline panel, and the inspector on one element
// (the buffer in front of the parallel line, with its level chart; the first station of the
// serial one). viewer_frame_plan draws the top-down plan view instead of the 3D view.
// One iteration is one whole frame as ViewerApp draws it (simulation step, view update, 3D view,
// labels, panels) into an offscreen 1280x720 target, timed to glFinish() so that the software
// rasteriser's work is inside. Reports the mean frame time and the 95th percentile of the frames
// of a repetition, the triangles sent per frame (after culling and level of detail), the flow
// arrows drawn (those in view and at least a pixel wide on screen), and the
// process's CPU time per frame, all threads together (cpu_all_ms: the main thread's and Mesa's
// rasteriser threads'; Google Benchmark's CPU column is the main thread's alone), which other jobs
// on a shared machine inflate far less than the wall-clock time: on an idle machine with n cores
// a frame takes at least cpu_all_ms / n.
//
// The late-run pair times the same frames early in a run and after at least 3 million parts have
// completed, when every statistic that grows with history would show. A serial line of 3,000
// stations completes about 22 parts an hour (it would take 15 simulated years and some 10^10
// events to get there), so this pair runs 3,000 identical stations side by side behind one
// buffer: 89 parts a second, 3 million in 9.4 simulated hours.
//
// Needs a display with OpenGL 3.3: run under xvfb-run (Mesa llvmpipe), as CI does; without one
// the benchmarks are skipped with the reason.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_options.hpp"
#include "gl_window.hpp"
#include "io/scene_file.hpp"
#include "model/layout_view.hpp"
#include "model/simulation_source.hpp"
#include "offscreen_target.hpp"
#include "panel_selection.hpp"
#include "viewer_app.hpp"

namespace {

using namespace linetwin;
using namespace linetwin::viewer;

const std::filesystem::path kModel =
    LINETWIN_SOURCE_DIR "/../shared/data/models/abb_irb2400/meshes/visual/link_3.dae";
constexpr glm::ivec2 kFrameSize{1280, 720};
constexpr int kStationsPerRow = 50;
constexpr int kStationsPerFitter = 5;
// Simulated seconds per second of wall-clock time: stations change state several times a second.
constexpr double kSimulationSpeed = 600.0;
constexpr double kFrameWallS = 1.0 / 30.0;

// GLFW and ImGui are set up once per process; the window is hidden.
GlWindow& shared_window() {
  static GlWindow window(WindowOptions{kFrameSize, false, std::nullopt});
  return window;
}

// How parts flow through the stations: one after another, or each part through one of them.
enum class Flow { kSerial, kParallel };

// `stations` stations in rows of kStationsPerRow, 3.5 m apart along a row and 4 m between rows,
// with random processing times and breakdowns, so all states show; a fitter of a pool of one per
// kStationsPerFitter stations walks to each breakdown (1 m/s) and repairs it, so that operators
// stand and walk all over the line. Serial: a line from OP1 to
// the last. Parallel: a buffer in front hands each part to the first free station.
std::string line_scene(int stations, Flow flow) {
  std::string yaml = fmt::format(
      "linetwin_scene: 1\nname: frame benchmark, {} stations\nseed: 11\nrun: {{duration: 1000h}}\n"
      "operators: [{{pool: fitters, count: {}, skills: [repair], walking_speed_m_per_s: 1.0}}]\n"
      "elements:\n",
      stations, std::max(1, stations / kStationsPerFitter));
  if (flow == Flow::kSerial) {
    yaml += "  - {id: supply, type: source, supply: unlimited, to: OP1, pose: {x: -4}}\n";
  } else {
    yaml +=
        "  - {id: supply, type: source, supply: unlimited, to: queue, pose: {x: -4}}\n"
        "  - {id: queue, type: buffer, capacity: 10, pose: {x: -4, y: 2}, to: {first_free: [";
    for (int k = 1; k <= stations; ++k)
      yaml += fmt::format("{}OP{}", k > 1 ? ", " : "", k);
    yaml += "]}}\n";
  }
  for (int k = 1; k <= stations; ++k) {
    const int row = (k - 1) / kStationsPerRow;
    const int column = (k - 1) % kStationsPerRow;
    const std::string next =
        flow == Flow::kSerial && k < stations ? fmt::format("OP{}", k + 1) : "shipped";
    yaml += fmt::format(
        "  - {{id: OP{}, type: station, to: {}, pose: {{x: {}, y: {}}}, model: '{}',\n"
        "     operators: {{repair: repair}},\n"
        "     processing: {{distribution: exponential, mean: 30s}},\n"
        "     breakdowns: {{time_to_failure: {{distribution: exponential, mean: 40min}},\n"
        "                  time_to_repair: {{distribution: exponential, mean: 5min}}}}}}\n",
        k, next, 3.5 * column, 4.0 * row, kModel.string());
  }
  yaml += "  - {id: shipped, type: sink, pose: {x: -4, y: -4}}\n";
  return yaml;
}

// CPU time of the whole process, all threads.
double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

std::uint64_t parts_completed(const SimulationSource& source) {
  const std::optional<ReplicationResult> kpis = source.kpis();
  return kpis ? kpis->parts_completed : 0;
}

// Times frames of the viewer on `stations` stations, the simulation first run (unwatched) until
// `completed_before` parts have completed.
void time_frames(benchmark::State& state, int stations, bool panels, Flow flow,
                 std::uint64_t completed_before, bool plan = false) {
  if (!std::filesystem::exists(kModel)) {
    state.SkipWithError("needs ../shared/data/models (the ABB IRB 2400 meshes)");
    return;
  }
  GlWindow* window = nullptr;
  try {
    window = &shared_window();
  } catch (const NoGlContext& e) {
    state.SkipWithError(e.what());
    return;
  }
  const std::filesystem::path scene_path =
      std::filesystem::temp_directory_path() /
      fmt::format("linetwin_frame_bench_{}_{}.yaml", stations, static_cast<int>(flow));
  std::ofstream(scene_path) << line_scene(stations, flow);
  const Scene scene = load_scene_file(scene_path.string());
  SimulationSource source(scene, scene.seed());
  // An hour of simulated time at a time, so that the count is checked only a few times.
  while (parts_completed(source) < completed_before && !source.finished())
    source.run_until(source.time_s() + 3600.0);
  source.set_speed(kSimulationSpeed);
  source.play();
  ViewerApp app(*window, layout_view(scene, scene_path.parent_path()), source, "benchmark", scene,
                scene_path);
  // The panels the viewer opens by default (PanelVisibility's), or none: the difference is what
  // the panels cost.
  app.show(panels ? PanelSelection{} : parse_panel_list("none"));
  app.select(*scene.find(flow == Flow::kParallel ? "queue" : "OP1"));
  app.set_plan_view(plan);
  const OffscreenTarget target(kFrameSize);
  // Settles the panels' layout and fills the KPI history a little before timing.
  for (int k = 0; k < 5; ++k)
    app.draw_offscreen(target, kFrameWallS);
  glFinish();

  std::vector<double> frame_ms;
  const double cpu_start_ms = process_cpu_ms();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    app.draw_offscreen(target, kFrameWallS);
    glFinish();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  const double cpu_ms = process_cpu_ms() - cpu_start_ms;
  std::sort(frame_ms.begin(), frame_ms.end());
  double sum = 0.0;
  for (const double ms : frame_ms)
    sum += ms;
  const auto p95_index =
      static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(frame_ms.size()))) - 1;
  state.counters["mean_ms"] = sum / static_cast<double>(frame_ms.size());
  state.counters["p95_ms"] = frame_ms[std::min(p95_index, frame_ms.size() - 1)];
  state.counters["fps"] = 1000.0 * static_cast<double>(frame_ms.size()) / sum;
  state.counters["cpu_all_ms"] = cpu_ms / static_cast<double>(frame_ms.size());
  const FrameStats& last = app.renderer().stats();
  state.counters["triangles"] = static_cast<double>(last.triangles);
  state.counters["drawn"] = static_cast<double>(last.elements_drawn);
  state.counters["operators"] = static_cast<double>(last.operators_drawn);
  state.counters["arrows"] = static_cast<double>(last.arrows_drawn);
  state.counters["draw_calls"] = static_cast<double>(last.draw_calls);
  state.counters["parts_completed"] = static_cast<double>(parts_completed(source));
  std::filesystem::remove(scene_path);
}

void BM_ViewerFrame(benchmark::State& state) {
  time_frames(state, static_cast<int>(state.range(0)), state.range(1) != 0, Flow::kSerial, 0);
}

void BM_ViewerFramePlan(benchmark::State& state) {
  time_frames(state, static_cast<int>(state.range(0)), true, Flow::kSerial, 0, true);
}

// Early and late in a run: the same stations, panels open, the frames timed from the start of the
// run or after `completed_before` parts.
void BM_ViewerFrameLateRun(benchmark::State& state) {
  time_frames(state, static_cast<int>(state.range(0)), true, Flow::kParallel,
              static_cast<std::uint64_t>(state.range(1)));
}

void register_benchmarks(bool smoke) {
  auto* b = benchmark::RegisterBenchmark("viewer_frame", BM_ViewerFrame)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
  b->ArgNames({"stations", "panels"});
  auto* late = benchmark::RegisterBenchmark("viewer_frame_late_run", BM_ViewerFrameLateRun)
                   ->Unit(benchmark::kMillisecond)
                   ->UseRealTime();
  late->ArgNames({"stations", "completed_before"});
  auto* plan = benchmark::RegisterBenchmark("viewer_frame_plan", BM_ViewerFramePlan)
                   ->Unit(benchmark::kMillisecond)
                   ->UseRealTime();
  plan->ArgNames({"stations"});
  if (smoke) {
    b->Args({100, 1})->Iterations(3);
    plan->Args({100})->Iterations(3);
    late->Args({100, 1000})->Iterations(3);
  } else {
    for (const std::int64_t stations : {100, 1000, 3000}) {
      for (const std::int64_t panels : {1, 0})
        b->Args({stations, panels});
    }
    b->Iterations(120)->Repetitions(3)->ReportAggregatesOnly(true);
    late->Args({3000, 0})->Args({3000, 3'000'000});
    late->Iterations(120)->Repetitions(3)->ReportAggregatesOnly(true);
    plan->Args({3000})->Iterations(120)->Repetitions(3)->ReportAggregatesOnly(true);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
