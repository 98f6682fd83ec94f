// What `linetwin calibrate` computes from a scene file and a telemetry log, apart from reading its
// flags and writing its files: the calibrated scene's text, the report as JSON and a table, and
// the warnings for values the log cannot support. The CLI (calibrate_command.cpp) and the Python
// module (linetwin.calibrate) both call calibrate_log, so that they give the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plant/scene.hpp"

namespace linetwin::cli {

struct CalibrateRequest {
  std::string scene_path;  // the scene file, whose text the calibrated scene keeps
  std::string log;
  std::string format = "auto";  // csv, mtconnect, hdf5, or auto (detect_log_format)
  std::string machine;          // an MTConnect log's element; empty: the scene's only station
  // Where the calibrated scene goes: its relative paths (order files) are rewritten to stay valid
  // from that folder.
  std::string output_path;
  double confidence = 0.95;
  std::uint32_t bootstrap = 200;
  std::size_t min_observations = 10;
  std::uint64_t seed = 1;
};

struct CalibrateOutputs {
  std::string scene_yaml;
  std::string json;   // schema linetwin.calibration/1
  std::string table;  // what the CLI prints without -q
  // "OP10 time_to_repair not calibrated: ...": the quantities the scene keeps, as the CLI warns
  // after "linetwin calibrate: warning: ".
  std::vector<std::string> warnings;
};

// `scene` is the scene file at `request.scene_path`, loaded. Bad input (the log, a value the
// scene's text cannot take in place) is an InputError.
CalibrateOutputs calibrate_log(const Scene& scene, const CalibrateRequest& request);

}  // namespace linetwin::cli
