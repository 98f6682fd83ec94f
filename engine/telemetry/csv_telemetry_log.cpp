#include "telemetry/csv_telemetry_log.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "io/csv_parser.hpp"
#include "telemetry/sample_checks.hpp"

namespace linetwin {

namespace {

constexpr std::string_view kExpectedHeader =
    "a header row naming the columns timestamp, machine and kind, and as needed seq, name, state "
    "and value (timestamp,machine,seq,kind,name,state,value)";

using CsvReader = io::CSVReader<7, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>,
                                io::throw_on_overflow, io::single_and_empty_line_comment<'#'>>;

[[noreturn]] void fail(const std::string& path, int line, std::string_view column,
                       const std::string& what) {
  throw InputError({path, line, 0, std::string(column)}, what);
}

std::string found(std::string_view text) {
  return text.empty() ? std::string("nothing") : fmt::format("'{}'", text);
}

// The number in a value field; NaN for anything else, which check_sample then refuses with what
// the row's kind expects.
double parse_value(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::numeric_limits<double>::quiet_NaN();
  return value;
}

// Names are interned as 16-bit indices in TelemetryNames.
std::uint16_t intern_name(TelemetryNames& names, std::string_view name, const std::string& path,
                          int line, std::string_view column) {
  // Ids are 16 bits, the empty name included: the table is full at 65,536 entries, and a name
  // already in it is still read.
  if (names.names().size() > std::numeric_limits<std::uint16_t>::max() && !names.has_name(name)) {
    fail(path, line, column,
         fmt::format("more than {} distinct reasons, counter names and sensor channels; expected "
                     "fewer (a name per value, such as a serial number, does not belong here)",
                     std::numeric_limits<std::uint16_t>::max()));
  }
  return names.intern_name(name);
}

}  // namespace

TelemetryLog read_telemetry_csv(const std::string& path) {
  // fopen opens a directory, which then reads as an empty file.
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    fail(path, 0, "", "is a directory; expected a telemetry log (CSV)");

  TelemetryLog log;
  // On the heap because the parser can be neither copied nor moved, and has to outlive the
  // try block that catches its constructor's error.
  std::unique_ptr<CsvReader> csv;
  try {
    csv = std::make_unique<CsvReader>(path);
    csv->read_header(io::ignore_extra_column | io::ignore_missing_column, "timestamp", "machine",
                     "seq", "kind", "name", "state", "value");
  } catch (const io::error::base&) {
    csv::rethrow_as_input_error(path, 1, kExpectedHeader);
  }
  for (const char* column : {"timestamp", "machine", "kind"}) {
    if (!csv->has_column(column)) {
      fail(path, 1, column,
           fmt::format("the header has no column '{}'; expected {}", column, kExpectedHeader));
    }
  }

  try {
    // Columns the header lacks leave their field as it is: empty.
    const char *timestamp = "", *machine = "", *seq = "", *kind = "", *name = "", *state = "",
               *value = "";
    while (csv->read_row(timestamp, machine, seq, kind, name, state, value)) {
      const int line = static_cast<int>(csv->get_file_line());
      TelemetrySample sample;

      const std::optional<std::int64_t> time = parse_timestamp_us(timestamp);
      if (!time) {
        fail(path, line, "timestamp",
             fmt::format("expected {}, found {}", kTimestampSyntax, found(timestamp)));
      }
      sample.timestamp_us = *time;

      const std::string_view seq_text = seq;
      if (!seq_text.empty()) {
        const auto [end, seq_error] =
            std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), sample.sequence);
        if (seq_error != std::errc() || end != seq_text.data() + seq_text.size()) {
          fail(path, line, "seq",
               fmt::format("expected a sequence number (a whole number >= 0) or nothing, found {}",
                           found(seq_text)));
        }
      }

      const std::string_view kind_text = kind;
      const std::string_view state_text = state;
      const std::string_view name_text = name;
      const std::string_view value_text = value;
      if (kind_text == "state") {
        sample.kind = SampleKind::kState;
        const std::optional<MachineState> parsed = parse_machine_state(state_text);
        if (!parsed) {
          fail(path, line, "state",
               fmt::format("expected one of producing, idle, blocked, down, setup, off_shift, "
                           "unknown, found {}",
                           found(state_text)));
        }
        sample.state = *parsed;
        if (!value_text.empty()) {
          fail(path, line, "value",
               fmt::format("expected nothing in a state row, found {}", found(value_text)));
        }
      } else if (kind_text == "counter" || kind_text == "sensor") {
        const bool counter = kind_text == "counter";
        sample.kind = counter ? SampleKind::kCounter : SampleKind::kSensor;
        if (!state_text.empty()) {
          fail(path, line, "state",
               fmt::format("expected nothing in a {} row, found {}", kind_text, found(state_text)));
        }
        sample.value = parse_value(value_text);
      } else {
        fail(path, line, "kind",
             fmt::format("expected state, counter or sensor, found {}", found(kind_text)));
      }
      const std::string_view machine_text = machine;
      for (const auto& [column, text] : {std::pair{"machine", machine_text}, {"name", name_text}}) {
        if (const std::optional<std::string> fault = check_name_text(text))
          fail(path, line, column, *fault);
      }
      // The rules every log reader applies (telemetry/sample_checks.hpp), reported with the text
      // of the column that holds the field at fault.
      if (const std::optional<SampleFault> fault = check_sample(sample, machine_text, name_text)) {
        const std::pair<std::string_view, std::string_view> columns[] = {
            {"timestamp", timestamp}, {"machine", machine_text}, {"kind", kind_text},
            {"state", state_text},    {"name", name_text},       {"value", value_text}};
        const auto column = std::find_if(std::begin(columns), std::end(columns),
                                         [&](const auto& c) { return c.first == fault->field; });
        fail(path, line, fault->field,
             fmt::format("expected {}, found {}", fault->expected, found(column->second)));
      }
      sample.machine = log.names.intern_machine(machine_text);
      sample.name = intern_name(log.names, name_text, path, line, "name");
      log.samples.push_back(sample);
      timestamp = machine = seq = kind = name = state = value = "";
    }
  } catch (const io::error::base&) {
    csv::rethrow_as_input_error(path, static_cast<int>(csv->get_file_line()), kExpectedHeader);
  }
  return log;
}

namespace {

// A field as CSV: in double quotes when it holds a comma or a quote, or when spaces around it
// would otherwise be trimmed away.
std::string csv_field(std::string_view text, std::string_view column) {
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    throw InputError({"", 0, 0, std::string(column)},
                     fmt::format("'{}' holds a line break, which a CSV telemetry log cannot hold; "
                                 "expected names on one line",
                                 text));
  }
  const bool quote = text.find_first_of(",\"") != std::string_view::npos ||
                     (!text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                                        text.back() == ' ' || text.back() == '\t'));
  if (!quote) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

void write_telemetry_csv(std::ostream& out, const TelemetryLog& log) {
  out << kTelemetryCsvHeader << '\n';
  std::vector<std::string> machines;
  for (const std::string& id : log.names.machines())
    machines.push_back(csv_field(id, "machine"));
  std::vector<std::string> names;
  for (const std::string& name : log.names.names())
    names.push_back(csv_field(name, "name"));
  for (const TelemetrySample& s : log.samples) {
    const std::string time = format_timestamp_iso(s.timestamp_us);
    switch (s.kind) {
      case SampleKind::kState:
        fmt::print(out, "{},{},{},state,{},{},\n", time, machines[s.machine], s.sequence,
                   names[s.name], machine_state_name(s.state));
        break;
      case SampleKind::kCounter:
      case SampleKind::kSensor:
        // {} is the shortest text that reads back to the same double.
        fmt::print(out, "{},{},{},{},{},,{}\n", time, machines[s.machine], s.sequence,
                   s.kind == SampleKind::kCounter ? "counter" : "sensor", names[s.name], s.value);
        break;
    }
  }
}

}  // namespace linetwin
