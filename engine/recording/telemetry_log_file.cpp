#include "recording/telemetry_log_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "telemetry/mtconnect_log.hpp"

namespace linetwin {

std::string detect_log_format(const std::string& path, const std::string& format_flag) {
  std::ifstream file(path, std::ios::binary);
  std::string header;
  if (!file || !std::getline(file, header)) return "csv";  // the reader says what is wrong
  if (header.starts_with("\x89HDF\r")) return "hdf5";
  std::vector<std::string> columns;
  std::istringstream fields(header);
  for (std::string column; std::getline(fields, column, ',');) {
    column.erase(0, column.find_first_not_of(" \t\""));
    column.erase(column.find_last_not_of(" \t\"\r") + 1);
    columns.push_back(column);
  }
  auto has = [&](std::string_view name) {
    return std::find(columns.begin(), columns.end(), name) != columns.end();
  };
  if (has("machine") && has("kind")) return "csv";
  if (has("exec")) return "mtconnect";
  throw InputError({path, 1, 0, ""},
                   "cannot tell the log's format from its header; expected a linetwin CSV log "
                   "(columns timestamp, machine, kind, ...), an MTConnect CSV (columns timestamp, "
                   "exec, ...) or an HDF5 recording" +
                       (format_flag.empty() ? std::string() : ", or give " + format_flag));
}

namespace {

// The machine an MTConnect log is about: `machine`, or else the scene's only station.
std::string mtconnect_machine(const Scene& scene, const std::string& machine,
                              const std::string& flag) {
  if (!machine.empty()) {
    if (!scene.find(machine)) {
      throw InputError(
          {"", 0, 0, flag},
          fmt::format("expected the id of an element of the scene, found '{}'", machine));
    }
    return machine;
  }
  if (scene.stations().size() != 1) {
    throw InputError({"", 0, 0, flag},
                     fmt::format("an MTConnect log is one machine's and the scene has {} "
                                 "stations; expected {} ID to say which",
                                 scene.stations().size(), flag));
  }
  return scene.element(scene.stations().front()).id;
}

}  // namespace

TelemetryLog read_telemetry_log(const Scene& scene, const std::string& path,
                                const std::string& format, const std::string& machine,
                                const std::string& machine_flag) {
  const std::string form = format == "auto" ? detect_log_format(path) : format;
  if (form == "csv") return read_telemetry_csv(path);
  if (form == "mtconnect")
    return read_mtconnect_csv(path, mtconnect_machine(scene, machine, machine_flag));
  return read_telemetry_hdf5(path);
}

}  // namespace linetwin
