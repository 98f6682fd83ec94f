// The active-period method finds the station that limits throughput, also when that is not the
// station with the longest processing time. "Limits throughput" is checked from first principles:
// speeding the detected bottleneck up by 10% raises throughput more than speeding up any other
// station by 10%, compared replication by replication on common random numbers.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "experiment/replications.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {
std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<double> throughputs(const std::string& yaml) {
  const Scene scene = load_scene_text(yaml, "breakdown_line.yaml");
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 20;
  settings.threads = 0;
  std::vector<double> values;
  for (const ReplicationResult& r : run_replications(scene, settings)) {
    values.push_back(r.throughput_per_hour);
  }
  return values;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("breakdown line: the bottleneck is the failing station, not the slowest one") {
  const std::string yaml =
      read_text(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  const Scene scene = load_scene_text(yaml, "breakdown_line.yaml");

  // OP20 has the longest mean processing time.
  std::size_t slowest = 0;
  for (std::size_t i = 0; i < scene.stations().size(); ++i) {
    const auto& spec = scene.station_spec(scene.element(scene.stations()[i]));
    const auto& best = scene.station_spec(scene.element(scene.stations()[slowest]));
    if (spec.processing.mean() > best.processing.mean()) slowest = i;
  }
  REQUIRE(scene.element(scene.stations()[slowest]).id == "OP20");

  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 20;
  settings.threads = 0;
  const ExperimentSummary summary = summarize(run_replications(scene, settings));
  REQUIRE(summary.bottleneck_station.has_value());
  const std::size_t detected = *summary.bottleneck_station;
  CHECK(scene.element(scene.stations()[detected]).id == "OP30");

  // Speed each station up by 10% in turn (gamma with shape 4: only the mean changes).
  const std::vector<std::pair<std::string, std::string>> faster = {
      {"mean: 50s}", "mean: 45s}"},
      {"mean: 56s}", "mean: 50.4s}"},
      {"mean: 42s}", "mean: 37.8s}"},
      {"mean: 48s}", "mean: 43.2s}"},
  };
  std::vector<std::vector<double>> gains;
  for (const auto& [from, to] : faster)
    gains.push_back(throughputs(replace(yaml, from, to)));
  for (std::size_t other = 0; other < faster.size(); ++other) {
    if (other == detected) continue;
    // Paired differences on common random numbers: improving the detected bottleneck must beat
    // improving `other` with 99% confidence.
    std::vector<double> difference;
    for (std::size_t r = 0; r < gains[detected].size(); ++r) {
      difference.push_back(gains[detected][r] - gains[other][r]);
    }
    const Estimate e = estimate(difference, 0.99);
    INFO("speeding up OP30 instead of station " << other << ": +" << e.mean << " parts/h, 99% CI ["
                                                << e.ci_low << ", " << e.ci_high << "]");
    CHECK(e.ci_low > 0.0);
  }
}
