#include "calibrate_session.hpp"

#include <sstream>

#include <fmt/format.h>

#include "recording/telemetry_log_file.hpp"
#include "telemetry/calibration.hpp"
#include "telemetry/calibration_report.hpp"
#include "telemetry/calibration_scene.hpp"

namespace linetwin::cli {
CalibrateOutputs calibrate_log(const Scene& scene, const CalibrateRequest& request) {
  const TelemetryLog log =
      read_telemetry_log(scene, request.log, request.format, request.machine, "--machine");
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
