// The sweep benchmark: 1,000 replications (10 variants of 100) of 8 h of a 20-station line with
// breakdowns, run by run_sweep on 1 and on 2 threads, against the same replications run directly
// (a plain loop of LineRun(...).run_to_end() on one thread, no sweep around them).
//
// What it shows: replications per second, the scaling from 1 to 2 threads (the work items are
// independent, so it should be close to 2 on 2 idle cores), and the sweep's own cost over the
// runs (1-thread sweep / direct loop, which should be within a few percent). Each variant changes
// one buffer's capacity, so that the variants are different lines, as in a real study.
//
// The line: an unlimited supply, stations S1..S20 with gamma processing (shape 4, mean 60 s),
// each failing on operating time (exponential, mean 2 h) and repaired in an exponential 10 min,
// buffers of capacity 5 between them (variant v: buffer B10's capacity 1 + v), 8 h, no warm-up.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "experiment/sweep.hpp"
#include "plant/line_run.hpp"
#include "plant/scene.hpp"

namespace {

constexpr std::uint64_t kSeed = 20261206;
constexpr int kStations = 20;

std::string element_id(char prefix, int number) {
  std::string id(1, prefix);
  id += std::to_string(number);
  return id;
}

linetwin::Scene build_line(std::uint64_t middle_buffer_capacity) {
  using namespace linetwin;
  SceneBuilder builder("sweep benchmark line");
  builder.seed(kSeed);
  RunSettings settings;
  settings.duration_s = 8 * 3600.0;
  settings.warmup_s = 0.0;
  settings.replications = 1;
  builder.run_settings(settings);
  SourceSpec supply;
  supply.unlimited_supply = true;
  builder.add_source({"supply", "S1", {}, "", {}}, supply);
  for (int k = 1; k <= kStations; ++k) {
    const bool last = k == kStations;
    const std::string next = last ? std::string("finished") : element_id('B', k);
    StationSpec spec;
    spec.processing = Distribution::gamma(4.0, 60.0 / 4.0);
    spec.breakdowns = BreakdownSpec{Distribution::exponential(7200.0),
                                    Distribution::exponential(600.0), FailureClock::kOperatingTime};
    builder.add_station({element_id('S', k), next, {}, "", {}}, spec);
    if (!last) {
      const std::uint64_t capacity = k == kStations / 2 ? middle_buffer_capacity : 5;
      builder.add_buffer({next, element_id('S', k + 1), {}, "", {}}, BufferSpec{capacity});
    }
  }
  builder.add_sink({"finished", "", {}, "", {}});
  return builder.build();
}

struct Study {
  std::vector<linetwin::Scene> scenes;
  std::vector<linetwin::SweepVariant> variants;
  std::uint32_t replications = 0;

  Study(int variants_count, std::uint32_t replications_per_variant)
      : replications(replications_per_variant) {
    scenes.reserve(static_cast<std::size_t>(variants_count));
    for (int v = 0; v < variants_count; ++v)
      scenes.push_back(build_line(static_cast<std::uint64_t>(1 + v)));
    for (const linetwin::Scene& scene : scenes)
      variants.push_back({scene.name(), &scene, scene.run_settings()});
  }
  double total() const { return static_cast<double>(variants.size() * replications); }
};

void report(benchmark::State& state, double replications) {
  state.counters["replications_per_s"] = benchmark::Counter(
      replications * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Sweep(benchmark::State& state, const Study* study) {
  linetwin::SweepSettings settings;
  settings.seed = kSeed;
  settings.replications = study->replications;
  settings.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    linetwin::SweepResults results = linetwin::run_sweep(study->variants, settings);
    benchmark::DoNotOptimize(results);
  }
  report(state, study->total());
}

// The same replications without the sweep: one LineRun after another on this thread.
void BM_Direct(benchmark::State& state, const Study* study) {
  for (auto _ : state) {
    std::uint64_t events = 0;
    for (const linetwin::SweepVariant& v : study->variants) {
      for (std::uint32_t r = 0; r < study->replications; ++r) {
        linetwin::LineRun run(*v.scene, kSeed, r, v.run);
        events += run.run_to_end().events;
      }
    }
    benchmark::DoNotOptimize(events);
  }
  report(state, study->total());
}

void register_benchmarks(bool smoke) {
  // Built once and kept for the program's life: the benchmarks time runs, not scene building.
  static const Study study(10, smoke ? 2 : 100);
  auto setup = [smoke](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMillisecond)->UseRealTime();
    if (!smoke) b->Iterations(1)->Repetitions(5)->ReportAggregatesOnly(true);
  };
  setup(benchmark::RegisterBenchmark("BM_Direct", BM_Direct, &study));
  setup(benchmark::RegisterBenchmark("BM_Sweep", BM_Sweep, &study)
            ->ArgName("threads")
            ->Arg(1)
            ->Arg(2));
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
