// The sweep whose HTML report the tests check: scenes/breakdown_line.yaml as the baseline, then a
// grid of B2.capacity (8, 16) by OP30's mean time to repair (2.5min, 1.5min), 4 replications of
// 8 h after 1 h of warm-up, on common random numbers, with one gate that passes and one that
// fails. The variants' scenes are the bundled file with those two values replaced in its text,
// as a scenario's overrides would make them. Shared by the doctest suite and the program that
// writes the file the browser opens.
#pragma once

#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "io/sweep_report.hpp"

namespace linetwin::test {

class SampleSweep {
 public:
  explicit SampleSweep(std::optional<PrecisionSettings> precision = std::nullopt) {
    const std::string path = std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml";
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    const std::string yaml = text.str();

    SweepReportInput input;
    input.scenario = "buffers_and_repairs.scenario.yaml";
    input.name = "B2 and OP30's repairs";
    const Scene& base = scenes_.emplace_back(load_scene_file(path));
    input.variants.push_back({"baseline", &base, run_settings(base)});
    input.parameters.emplace_back();
    for (const char* capacity : {"8", "16"}) {
      for (const auto& [repair, repair_s] : {std::pair{"2.5min", 150.0}, {"1.5min", 90.0}}) {
        std::string variant_yaml = yaml;
        replace(variant_yaml, "{id: B2, type: buffer, capacity: 8,",
                std::string("{id: B2, type: buffer, capacity: ") + capacity + ",");
        replace(variant_yaml, "time_to_repair: {distribution: lognormal, mean: 2.5min",
                std::string("time_to_repair: {distribution: lognormal, mean: ") + repair);
        const Scene& scene = scenes_.emplace_back(load_scene_text(variant_yaml, path));
        input.variants.push_back(
            {std::string("B2 ") + capacity + ", repair " + repair, &scene, run_settings(scene)});
        input.parameters.push_back(
            {SweepParameter{"B2.capacity", capacity, std::stod(capacity)},
             SweepParameter{"OP30.breakdowns.time_to_repair.mean", repair, repair_s}});
      }
    }
    input.settings.seed = base.seed();
    input.settings.replications = 4;
    input.settings.threads = 2;
    input.settings.precision = std::move(precision);

    const SweepResults results = run_sweep(input.variants, input.settings);
    std::vector<GateVariant> gated;
    for (std::size_t v = 0; v < input.variants.size(); ++v)
      gated.push_back({input.variants[v].name, input.variants[v].scene, &results.replications[v]});
    std::vector<GateOutcome> gates{
        evaluate_gate(throughput_gate(10.0, input.variants.size()), gated),
        evaluate_gate(throughput_gate(1000.0, 1), gated)};
    report_ = make_sweep_report(input, results, std::move(gates));
  }
  SampleSweep(const SampleSweep&) = delete;
  SampleSweep& operator=(const SampleSweep&) = delete;

  const SweepReport& report() const { return report_; }

 private:
  static RunSettings run_settings(const Scene& scene) {
    RunSettings run = scene.run_settings();
    run.duration_s = 8 * 3600.0;
    run.warmup_s = 3600.0;
    return run;
  }
  static void replace(std::string& yaml, const std::string& from, const std::string& to) {
    const std::size_t at = yaml.find(from);
    if (at == std::string::npos)
      throw std::runtime_error("scenes/breakdown_line.yaml no longer holds '" + from + "'");
    yaml.replace(at, from.size(), to);
  }
  // throughput_per_hour >= bound for the first `variants` variants.
  static Gate throughput_gate(double bound, std::size_t variants) {
    Gate g;
    g.kind = Gate::Kind::kAtLeast;
    g.kpi = "throughput_per_hour";
    for (std::size_t v = 0; v < variants; ++v)
      g.variants.push_back(v);
    g.bound = bound;
    g.text = "throughput_per_hour >= " + std::to_string(static_cast<int>(bound)) + " (95%)";
    return g;
  }

  std::deque<Scene> scenes_;  // a deque, so that the variants' pointers stay valid as it grows
  SweepReport report_;
};

}  // namespace linetwin::test
