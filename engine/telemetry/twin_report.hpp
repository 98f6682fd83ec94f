// Writing the twins' KPIs: JSON (schema linetwin.twins/1, docs/twins.md), CSV (one row per KPI,
// long format) and a table for the terminal. The station rows use the field names of
// linetwin.run/5's station section, with plain numbers where a simulation report has an
// estimate per field, so that a twin's KPIs and a simulation's can be compared key by key.
// Used by `linetwin replay`; a live session can write the same report at any moment.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "telemetry/line_twins.hpp"

namespace linetwin {

inline constexpr const char* kTwinsSchema = "linetwin.twins/1";

struct TwinReport {
  const LineTwins& twins;
  std::string source;                         // where the samples came from: a log file, a broker
  std::string source_format;                  // csv, mtconnect, hdf5, mqtt
  std::vector<std::string> unknown_machines;  // machine ids of samples the scene does not have
};

void write_twins_json(std::ostream& out, const TwinReport& report);
void write_twins_csv(std::ostream& out, const TwinReport& report);
void write_twins_table(std::ostream& out, const TwinReport& report);

}  // namespace linetwin
