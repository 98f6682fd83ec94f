// Telemetry logs as CSV: linetwin's own long format, one row per sample, the text form of a
// TelemetryLog that people write by hand for tests, export from a historian, or read into pandas.
//
//   timestamp,machine,seq,kind,name,state,value
//   2024-03-04T06:00:00.000Z,OP10,1,state,,producing,
//   2024-03-04T06:00:00.000Z,OP10,2,counter,good,,0
//   2024-03-04T06:07:12.250Z,OP10,3,state,tool_break,down,
//   1709532432250,OP10,4,sensor,spindle_temp_c,,41.5
//
// Columns are found by their header names, in any order; extra columns are ignored. Required:
// timestamp, machine, kind. The others may be left out when no row needs them.
//   timestamp  ISO 8601 with a time zone, or epoch milliseconds (core/timestamp.hpp)
//   machine    the machine id (the scene element's id); like name, UTF-8 of at most 1024 bytes
//   seq        the machine's sequence number, a whole number; empty or 0 when it sends none
//   kind       state | counter | sensor
//   name       state: the reason (optional; mostly for down); counter: its name (good, scrap,
//              ...; required); sensor: the channel (required)
//   state      state rows only: producing, idle, blocked, down, setup, off_shift or unknown
//   value      counter rows: the cumulative reading, >= 0; sensor rows: the reading (finite);
//              empty for state rows
// Fields may be double-quoted (a quote inside written twice), spaces around fields are ignored,
// blank lines and lines starting with # are skipped. Rows need not be in time order. The rules on
// values are those of every log reader (telemetry/sample_checks.hpp). docs/twins.md has the full
// description.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

inline constexpr std::string_view kTelemetryCsvHeader =
    "timestamp,machine,seq,kind,name,state,value";

// Reads a CSV telemetry log, samples in file order. A bad row is an InputError naming the file,
// the line, the column and what was expected.
TelemetryLog read_telemetry_csv(const std::string& path);

// Writes a log in the format above (timestamps in ISO 8601 UTC), samples in the log's order;
// read_telemetry_csv reads it back to the same samples.
void write_telemetry_csv(std::ostream& out, const TelemetryLog& log);

}  // namespace linetwin
