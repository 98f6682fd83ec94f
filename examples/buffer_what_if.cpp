// What-if with the engine API: how much throughput does the breakdown line gain if the buffer in
// front of its failing station (B2, in front of OP30) is made larger?
//
// Each buffer size is simulated with the same seed, so every variant sees the same processing
// times, failures and repairs (common random numbers): differences come from the buffer alone.
// Run: build/bin/example_buffer_what_if [scenes/breakdown_line.yaml]
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"

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
    const std::string b2 = "{id: B2, type: buffer, capacity: 8,";
    const auto at = yaml.find(b2);
    if (at == std::string::npos) {
      fmt::print(stderr, "{}: expected the breakdown line with buffer B2 of capacity 8\n", path);
      return 2;
    }
    fmt::print("{:>12} {:>22} {:>14}\n", "B2 capacity", "throughput [parts/h]", "WIP [parts]");
    for (int capacity : {0, 2, 4, 8, 16, 32}) {
      std::string variant = yaml;
      variant.replace(at, b2.size(),
                      fmt::format("{{id: B2, type: buffer, capacity: {},", capacity));
      const linetwin::Scene scene = linetwin::load_scene_text(variant, path);
      linetwin::ExperimentSettings settings = linetwin::settings_from_scene(scene);
      settings.threads = 0;
      const auto summary = linetwin::summarize(linetwin::run_replications(scene, settings));
      const auto& tp = summary.throughput_per_hour;
      fmt::print("{:>12} {:>14.2f} ± {:<5.2f} {:>14.2f}\n", capacity, tp.mean,
                 (tp.ci_high - tp.ci_low) / 2, summary.wip_mean.mean);
    }
  } catch (const linetwin::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  return 0;
}
