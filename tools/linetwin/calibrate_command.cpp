// `linetwin calibrate SCENE LOG -o CALIBRATED_SCENE`: fits the processing, failure and repair
// times of the scene's stations to a telemetry log (CSV or an HDF5 recording) and writes the
// scene with the fitted distributions, with a report per station: observations, the family chosen
// by AIC with its parameters' confidence intervals, the Kolmogorov-Smirnov test, and the other
// families' AIC. Quantities with too few observations or no spread are kept, with a warning on
// stderr. The files are written whole or not at all. docs/calibration.md describes the method and
// the report.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/recording/telemetry_recording.hpp"
#include "io/scene_file.hpp"
#include "telemetry/calibration.hpp"
#include "telemetry/calibration_report.hpp"
#include "telemetry/calibration_scene.hpp"
#include "telemetry/csv_telemetry_log.hpp"

namespace linetwin::cli {
namespace {

struct CalibrateOptions {
  std::string scene;
  std::string log;
  std::string output;
  std::string format = "auto";
  std::string json_path;
  double confidence = 0.95;
  std::uint32_t bootstrap = 200;
  std::size_t min_observations = 10;
  std::uint64_t seed = 1;
  bool quiet = false;
};

TelemetryLog read_log(const std::string& path, std::string format) {
  if (format == "auto") {
    // HDF5 files begin with their signature; anything else is read as a CSV log, whose reader
    // says what is wrong with a file that is neither.
    std::ifstream file(path, std::ios::binary);
    char signature[4] = {};
    file.read(signature, sizeof signature);
    format = std::string(signature, sizeof signature) == "\x89HDF" ? "hdf5" : "csv";
  }
  return format == "hdf5" ? read_telemetry_hdf5(path) : read_telemetry_csv(path);
}

// A new file beside `path` that no one else has opened (O_EXCL): its name, and its descriptor,
// or -1 with errno set.
std::pair<std::string, int> create_beside(const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    std::string name = fmt::format("{}.{}-{}.tmp", path, ::getpid(), attempt);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST || attempt == 100) return {std::move(name), fd};
  }
}

// Fails before any work if `path` cannot take the output: a folder, or a folder that does not
// take new files. Unlike a probe that opens `path` itself, it leaves no empty file behind.
void check_can_replace(const std::string& path, const std::string& flag) {
  if (path.empty() || path == "-") return;
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    errno = EISDIR;
    throw cannot_write(path, flag);
  }
  const auto [probe, fd] = create_beside(path);
  if (fd < 0) throw cannot_write(path, flag);
  ::close(fd);
  ::unlink(probe.c_str());
}

// Writes `text` to `path` (stdout for "-") whole or not at all: into a new file in the same
// folder, which then takes the name (rename is atomic within a file system), so that a failure
// at any point leaves no empty or partial file, and a file that was there as it was.
void write_whole(const std::string& path, const std::string& flag, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  const auto [temporary, fd] = create_beside(path);
  if (fd < 0) throw cannot_write(path, flag);
  bool written = true;
  for (std::size_t done = 0; written && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    if (n == 0) errno = EIO;  // no progress, and no error said why
    written = n > 0 || (n < 0 && errno == EINTR);
  }
  // A file that is replaced keeps its permissions; a new one gets what the umask gives.
  struct stat existing {};
  if (written && ::stat(path.c_str(), &existing) == 0)
    written = ::fchmod(fd, existing.st_mode & 07777) == 0;
  written = written && ::fsync(fd) == 0;
  written = ::close(fd) == 0 && written;
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    errno = error;
    throw cannot_write(path, flag);
  }
}

int calibrate_command(const CalibrateOptions& options) {
  if (options.output == "-" && options.json_path == "-") {
    throw InputError({"", 0, 0, "--json"},
                     "expected at most one of -o and --json to write to standard output");
  }
  const Scene scene = load_scene_file(options.scene);
  check_can_replace(options.output, "--output");
  check_can_replace(options.json_path, "--json");
  const TelemetryLog log = read_log(options.log, options.format);

  CalibrationSettings settings;
  settings.fit.confidence = options.confidence;
  settings.fit.bootstrap_resamples = options.bootstrap;
  settings.fit.seed = options.seed;
  settings.min_observations = options.min_observations;
  const CalibrationReport report = calibrate(scene, log, settings);
  const std::string output_path =
      options.output == "-" ? std::string("calibrated.yaml") : options.output;
  // Both texts are made before either file is written.
  const std::string text = calibrated_scene_yaml(
      options.scene, report, output_path,
      fmt::format("the telemetry log {} ({} samples)", options.log, log.samples.size()));
  const std::string json = options.json_path.empty() ? "" : calibration_report_json(report);
  write_whole(options.output, "--output", text);
  if (!options.json_path.empty()) write_whole(options.json_path, "--json", json);
  const bool stdout_taken = options.output == "-" || options.json_path == "-";
  if (!options.quiet && !stdout_taken) {
    write_calibration_table(std::cout, report);
    std::cout << "\nCalibrated scene written to " << options.output << std::endl;
  }
  // Warnings go to stderr after the table (flushed above), even with -q: the scene keeps values
  // the log cannot support.
  for (const StationCalibration& st : report.stations) {
    for (const QuantityCalibration& q : st.quantities) {
      if (is_warning(q.use)) {
        fmt::print(stderr, "linetwin calibrate: warning: {} {} not calibrated: {}\n", st.station,
                   to_string(q.quantity), q.note);
      }
    }
  }
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
  calibrate->add_option("LOG", options->log, "Telemetry log: linetwin CSV or HDF5 recording")
      ->required();
  calibrate
      ->add_option("-o,--output", options->output,
                   "Write the calibrated scene (YAML) to FILE, or - for stdout")
      ->required();
  calibrate->add_option("--format", options->format, "Log format (default: auto, from the file)")
      ->check(CLI::IsMember({"auto", "csv", "hdf5"}));
  calibrate->add_option("--json", options->json_path,
                        "Write the report as JSON (schema linetwin.calibration/1) to FILE, or - "
                        "for stdout");
  calibrate
      ->add_option("--confidence", options->confidence,
                   "Confidence level of the parameters' intervals (default 0.95)")
      ->check(CLI::Range(0.5, 0.9999));
  calibrate
      ->add_option("--bootstrap", options->bootstrap,
                   "Resamples for the KS p-value and triangular intervals (default 200; 0: none)")
      ->check(CLI::Range(0u, 100000u));
  calibrate
      ->add_option("--min-observations", options->min_observations,
                   "Fewer durations than this keep the scene's distribution, with a warning "
                   "(default 10)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000000000}));
  calibrate->add_option("--seed", options->seed, "Seed of the bootstrap draws (default 1)");
  calibrate->add_flag("-q,--quiet", options->quiet, "No table");
  return {calibrate, [options] { return calibrate_command(*options); }};
}

}  // namespace linetwin::cli
