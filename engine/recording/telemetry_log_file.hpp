// A recorded telemetry log in any form linetwin reads, told apart by its first bytes: an HDF5
// recording (docs/recording-format.md), linetwin's CSV log (docs/twins.md) or an MTConnect CSV
// export (one machine's). `linetwin replay` and the viewer's replay read logs through this, so
// that both accept the same files and refuse the same ones with the same words.
#pragma once

#include <string>

#include "plant/scene.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

// "hdf5", "csv" or "mtconnect", from HDF5's signature or the CSV header's columns; an
// InputError naming the file when it is none of them (and `format_flag`, if given, as the way to
// say the format). A file that cannot be read is "csv", whose reader says what is wrong.
std::string detect_log_format(const std::string& path, const std::string& format_flag = "");

// Reads the log in `format` ("auto": detect_log_format). An MTConnect log is one machine's:
// `machine` names its element in the scene, or, when empty, the scene's only station is taken;
// errors about it name `machine_flag`.
TelemetryLog read_telemetry_log(const Scene& scene, const std::string& path,
                                const std::string& format = "auto", const std::string& machine = "",
                                const std::string& machine_flag = "--machine");

}  // namespace linetwin
