// The serial-line benchmark: what a whole linetwin run costs, against a minimal hand-written event
// loop of the same line (hand_written_line.cpp).
//
// The line: 10 single-server stations S1..S10 with buffers of capacity 5 between them, an
// unlimited supply in front of S1, exponential processing with mean 1 s, breakdowns counted on
// operating time (time to failure exponential, mean 100 s; time to repair exponential, mean 5 s;
// preempt-resume), 10^6 simulated seconds, no warm-up, one replication. It completes about 0.65
// parts per simulated second.
//
// Both benchmarks report, besides the wall time of one run:
//   parts_per_s    parts completed per wall-clock second,
//   sim_s_per_s    simulated seconds per wall-clock second,
//   events_per_s   events executed per wall-clock second,
//   throughput     parts completed per simulated second: the model's own output,
//   parts, events  per run.
// Both draw the same random numbers, so they complete the same parts with the same events unless
// the two event orders differ somewhere; then the comparison is void, and the program says so and
// exits with status 1 before timing anything (the CTest smoke run included).
// linetwin's time includes building the run's state (LineRun) and computing its results; the scene
// is built once, outside the timing, as an application would load it once.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "bench_options.hpp"
#include "hand_written_line.hpp"
#include "plant/line_run.hpp"
#include "plant/scene.hpp"

namespace {

using linetwin::bench::HandWrittenLine;

constexpr std::uint64_t kSeed = 20261126;

// "S3", "B3": ids built by appending (GCC 12 warns falsely about "S" + std::to_string(k)).
std::string element_id(char prefix, int number) {
  std::string id(1, prefix);
  id += std::to_string(number);
  return id;
}

HandWrittenLine line_parameters(double duration_s) {
  HandWrittenLine line;
  line.stations = 10;
  line.buffer_capacity = 5;
  line.processing_mean_s = 1.0;
  line.time_to_failure_mean_s = 100.0;
  line.time_to_repair_mean_s = 5.0;
  line.duration_s = duration_s;
  line.seed = kSeed;
  return line;
}

// The same line as a linetwin scene; element ids match the hand-written loop's random keys.
linetwin::Scene build_scene(const HandWrittenLine& line) {
  using linetwin::SceneBuilder;
  SceneBuilder builder("benchmark serial line");
  builder.seed(line.seed);
  linetwin::RunSettings settings;
  settings.duration_s = line.duration_s;
  settings.warmup_s = 0.0;
  settings.replications = 1;
  builder.run_settings(settings);

  linetwin::SourceSpec supply;
  supply.unlimited_supply = true;
  builder.add_source({"supply", "S1", {}, "", {}}, supply);
  for (int k = 1; k <= line.stations; ++k) {
    const std::string station = element_id('S', k);
    const bool last = k == line.stations;
    const std::string next = last ? std::string("finished") : element_id('B', k);
    linetwin::StationSpec spec;
    spec.processing = linetwin::Distribution::exponential(line.processing_mean_s);
    spec.breakdowns =
        linetwin::BreakdownSpec{linetwin::Distribution::exponential(line.time_to_failure_mean_s),
                                linetwin::Distribution::exponential(line.time_to_repair_mean_s),
                                linetwin::FailureClock::kOperatingTime};
    builder.add_station({station, next, {}, "", {}}, spec);
    if (!last) {
      builder.add_buffer({next, element_id('S', k + 1), {}, "", {}},
                         linetwin::BufferSpec{static_cast<std::uint64_t>(line.buffer_capacity)});
    }
  }
  builder.add_sink({"finished", "", {}, "", {}});
  return builder.build();
}

void report(benchmark::State& state, double duration_s, std::uint64_t parts, std::uint64_t events) {
  using benchmark::Counter;
  const auto runs = static_cast<double>(state.iterations());
  const auto parts_d = static_cast<double>(parts);
  const auto events_d = static_cast<double>(events);
  state.counters["parts_per_s"] = Counter(parts_d * runs, Counter::kIsRate);
  state.counters["sim_s_per_s"] = Counter(duration_s * runs, Counter::kIsRate);
  state.counters["events_per_s"] = Counter(events_d * runs, Counter::kIsRate);
  state.counters["throughput"] = parts_d / duration_s;
  state.counters["parts"] = parts_d;
  state.counters["events"] = events_d;
}

void BM_SerialLine_linetwin(benchmark::State& state) {
  const auto duration_s = static_cast<double>(state.range(0));
  const linetwin::Scene scene = build_scene(line_parameters(duration_s));
  linetwin::ReplicationResult result;
  for (auto _ : state) {
    linetwin::LineRun run(scene, scene.seed(), 0);
    result = run.run_to_end();
    benchmark::DoNotOptimize(result);
  }
  report(state, duration_s, result.parts_completed, result.events);
}

void BM_SerialLine_HandWritten(benchmark::State& state) {
  const auto duration_s = static_cast<double>(state.range(0));
  const HandWrittenLine line = line_parameters(duration_s);
  linetwin::bench::HandWrittenLineResult result;
  for (auto _ : state) {
    result = linetwin::bench::run_hand_written_line(line);
    benchmark::DoNotOptimize(result);
  }
  report(state, duration_s, result.parts_completed, result.events);
}

std::int64_t line_duration_s(bool smoke) {
  return smoke ? 10'000 : 1'000'000;
}

// linetwin and the hand-written loop on the line the benchmarks run: the same parts completed
// and events executed, or a message saying how they differ.
bool same_parts_and_events(double duration_s) {
  const HandWrittenLine line = line_parameters(duration_s);
  const linetwin::Scene scene = build_scene(line);
  linetwin::LineRun run(scene, scene.seed(), 0);
  const linetwin::ReplicationResult engine = run.run_to_end();
  const linetwin::bench::HandWrittenLineResult hand = linetwin::bench::run_hand_written_line(line);
  if (engine.parts_completed == hand.parts_completed && engine.events == hand.events) return true;
  fmt::print(stderr,
             "bench_serial_line: linetwin and the hand-written loop disagree on the same line and "
             "seed ({} simulated s): parts completed {} against {}, events {} against {}; the "
             "comparison would be void\n",
             duration_s, engine.parts_completed, hand.parts_completed, engine.events, hand.events);
  return false;
}

void register_benchmarks(bool smoke) {
  const std::int64_t duration_s = line_duration_s(smoke);
  for (const auto& [name, function] : {
           std::pair{"BM_SerialLine_linetwin", &BM_SerialLine_linetwin},
           std::pair{"BM_SerialLine_HandWritten", &BM_SerialLine_HandWritten},
       }) {
    auto* b = benchmark::RegisterBenchmark(name, function)
                  ->ArgName("sim_s")
                  ->Arg(duration_s)
                  ->Unit(benchmark::kMillisecond)
                  ->UseRealTime();
    // One run is long enough to time on its own; repetitions give the spread and the median (9,
    // because a shared machine's slow spells last seconds and would otherwise decide a median).
    if (!smoke) b->Iterations(1)->Repetitions(9)->ReportAggregatesOnly(true);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // run_main() takes --smoke off argv; it is looked at here first to check the size it selects.
  const bool smoke = std::any_of(
      argv + 1, argv + argc, [](const char* arg) { return std::string_view(arg) == "--smoke"; });
  if (!same_parts_and_events(static_cast<double>(line_duration_s(smoke)))) return 1;
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
