// What-if with the engine API: how much throughput does the breakdown line gain if the buffer in
// front of its failing station (B2, in front of OP30) is made larger, or smaller?
//
// Each capacity is the scene with one override (B2.capacity, as a scenario file writes it:
// docs/scenario-format.md), simulated with the same seed, so every variant sees the same
// processing times, failures and repairs (common random numbers): differences come from the
// buffer alone, and the difference to the line as built, replication by replication, is known
// far more sharply than either throughput (experiment/paired_comparison.hpp).
// Run: build/bin/example_buffer_what_if [scenes/breakdown_line.yaml]
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "experiment/paired_comparison.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "io/scene_overrides.hpp"

namespace {
std::string read_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw linetwin::InputError({path, 0, 0, ""}, "cannot open the scene file");
  std::string text;
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;)
    text.append(chunk, n);
  std::fclose(file);
  return text;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "scenes/breakdown_line.yaml";
  try {
    const std::string yaml = read_file(path);
    const linetwin::Scene as_built = linetwin::load_scene_text(yaml, path);
    linetwin::ExperimentSettings settings = linetwin::settings_from_scene(as_built);
    settings.threads = 0;
    const auto baseline = linetwin::run_replications(as_built, settings);
    fmt::print("{:>12} {:>22} {:>14} {:>22}\n", "B2 capacity", "throughput [parts/h]",
               "WIP [parts]", "vs as built (paired)");
    for (int capacity : {0, 2, 4, 8, 16, 32}) {
      const std::string value = std::to_string(capacity);
      const linetwin::Scene scene = linetwin::load_scene_with_overrides(
          yaml, path, {{"B2.capacity", value, {path, 0, 0, "B2.capacity"}}});
      const auto results = linetwin::run_replications(scene, settings);
      // Rows: throughput first (the paired difference to the line as built), then WIP.
      const auto rows = linetwin::compare(as_built, baseline, results);
      const linetwin::Estimate& tp = rows[0].changed;
      const linetwin::Estimate& gain = rows[0].difference;
      fmt::print("{:>12} {:>14.2f} ± {:<5.2f} {:>14.2f} {:>14.2f} ± {:<5.2f}\n", capacity, tp.mean,
                 (tp.ci_high - tp.ci_low) / 2, rows[1].changed.mean, gain.mean,
                 (gain.ci_high - gain.ci_low) / 2);
    }
  } catch (const linetwin::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  return 0;
}
