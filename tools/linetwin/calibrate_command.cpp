// `linetwin calibrate SCENE LOG -o CALIBRATED_SCENE`: fits the processing, failure and repair
// times of the scene's stations to a telemetry log (linetwin CSV, MTConnect CSV or an HDF5
// recording) and writes the scene with the fitted distributions, with a report per station:
// observations, the family chosen by AIC with its parameters' confidence intervals, the
// Kolmogorov-Smirnov test, and the other families' AIC. Quantities with too few observations or no
// spread are kept, with a warning on stderr. The files are written whole or not at all
// (cli_support.hpp). docs/calibration.md describes the method and the report.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "calibrate_session.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "io/scene_file.hpp"

namespace linetwin::cli {
namespace {

struct CalibrateOptions {
  std::string scene;
  CalibrateRequest request;
  std::string output;
  std::string json_path;
  bool quiet = false;
};

int calibrate_command(CalibrateOptions& options) {
  if (options.output == "-" && options.json_path == "-") {
    throw InputError({"", 0, 0, "--json"},
                     "expected at most one of -o and --json to write to standard output");
  }
  const Scene scene = load_scene_file(options.scene);
  check_can_replace(options.output, "--output");
  check_can_replace(options.json_path, "--json");
  check_distinct_outputs({{"--output", options.output}, {"--json", options.json_path}});
  CalibrateRequest& request = options.request;
  request.scene_path = options.scene;
  request.output_path = options.output == "-" ? std::string("calibrated.yaml") : options.output;
  // Both texts are made before either file is written.
  const CalibrateOutputs outputs = calibrate_log(scene, request);
  write_whole(options.output, "--output", outputs.scene_yaml);
  if (!options.json_path.empty()) write_whole(options.json_path, "--json", outputs.json);
  const bool stdout_taken = options.output == "-" || options.json_path == "-";
  if (!options.quiet && !stdout_taken) {
    std::cout << outputs.table;
    std::cout << "\nCalibrated scene written to " << options.output << std::endl;
  }
  // Warnings go to stderr after the table (flushed above), even with -q: the scene keeps values
  // the log cannot support.
  for (const std::string& warning : outputs.warnings)
    fmt::print(stderr, "linetwin calibrate: warning: {}\n", warning);
  return 0;
}

}  // namespace

Command add_calibrate_command(CLI::App& app) {
  auto options = std::make_shared<CalibrateOptions>();
  CLI::App* calibrate = app.add_subcommand(
      "calibrate",
      "Fit the stations' processing, failure and repair times to a telemetry log and write the "
      "calibrated scene.");
  calibrate->add_option("SCENE", options->scene, "Scene file (YAML)")->required();
  calibrate
      ->add_option("LOG", options->request.log,
                   "Telemetry log: linetwin CSV, MTConnect CSV or HDF5 recording")
      ->required();
  calibrate
      ->add_option("-o,--output", options->output,
                   "Write the calibrated scene (YAML) to FILE, or - for stdout")
      ->required();
  add_log_format_flags(*calibrate, options->request.format, options->request.machine);
  calibrate->add_option("--json", options->json_path,
                        "Write the report as JSON (schema linetwin.calibration/1) to FILE, or - "
                        "for stdout");
  calibrate
      ->add_option("--confidence", options->request.confidence,
                   "Confidence level of the parameters' intervals (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
  calibrate
      ->add_option("--bootstrap", options->request.bootstrap,
                   "Resamples for the KS p-value and triangular intervals (default 200; 0: none)")
      ->check(CLI::Range(0u, 100000u));
  calibrate
      ->add_option("--min-observations", options->request.min_observations,
                   "Fewer durations than this keep the scene's distribution, with a warning "
                   "(default 10)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000000000}));
  calibrate
      ->add_option("--seed", options->request.seed,
                   "Seed of the bootstrap draws, a whole number from 0 to 2^64 - 1 (default 1)")
      ->check(seed_validator());
  calibrate->add_flag("-q,--quiet", options->quiet, "No table");
  return {calibrate, [options] { return calibrate_command(*options); }};
}

}  // namespace linetwin::cli
