#include "calibrate_session.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "recording/telemetry_recording.hpp"
#include "telemetry/calibration.hpp"
#include "telemetry/calibration_report.hpp"
#include "telemetry/calibration_scene.hpp"
#include "telemetry/csv_telemetry_log.hpp"

namespace linetwin::cli {
namespace {

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

}  // namespace

CalibrateOutputs calibrate_log(const Scene& scene, const CalibrateRequest& request) {
  const TelemetryLog log = read_log(request.log, request.format);
  CalibrationSettings settings;
  settings.fit.confidence = request.confidence;
  settings.fit.bootstrap_resamples = request.bootstrap;
  settings.fit.seed = request.seed;
  settings.min_observations = request.min_observations;
  const CalibrationReport report = calibrate(scene, log, settings);

  CalibrateOutputs outputs;
  outputs.scene_yaml = calibrated_scene_yaml(
      request.scene_path, report, request.output_path,
      fmt::format("the telemetry log {} ({} samples)", request.log, log.samples.size()));
  outputs.json = calibration_report_json(report);
  std::ostringstream table;
  write_calibration_table(table, report);
  outputs.table = table.str();
  for (const StationCalibration& st : report.stations) {
    for (const QuantityCalibration& q : st.quantities) {
      if (is_warning(q.use)) {
        outputs.warnings.push_back(
            fmt::format("{} {} not calibrated: {}", st.station, to_string(q.quantity), q.note));
      }
    }
  }
  return outputs;
}

}  // namespace linetwin::cli
