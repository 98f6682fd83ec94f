// Command-line options of our own that the benchmark binaries accept next to Google Benchmark's.
//
// `--smoke` registers the same benchmarks at small sizes and without repetitions, so that CTest
// can prove in a few seconds that every benchmark still builds and runs (no timing is checked).
// The flag is removed from argv before Google Benchmark sees it, since it rejects flags it does
// not know.
#pragma once

#include <string_view>

#include <benchmark/benchmark.h>

namespace linetwin::bench {

// Removes every occurrence of `flag` from argv; true when there was one.
inline bool take_flag(int& argc, char** argv, std::string_view flag) {
  bool found = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (flag == argv[i]) {
      found = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return found;
}

// The whole main() of a benchmark program: takes --smoke, registers the benchmarks for it, and
// hands the remaining flags to Google Benchmark.
inline int run_main(int argc, char** argv, void (*register_benchmarks)(bool smoke)) {
  const bool smoke = take_flag(argc, argv, "--smoke");
  register_benchmarks(smoke);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace linetwin::bench
