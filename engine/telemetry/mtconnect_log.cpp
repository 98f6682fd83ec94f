#include "telemetry/mtconnect_log.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "io/csv_parser.hpp"
#include "telemetry/sample_checks.hpp"

namespace linetwin {

namespace {

// The columns read, in the reader's order: the state items, the part count, then the sensors.
constexpr std::array<const char*, 20> kColumns = {
    "timestamp", "avail", "estop", "exec", "mode", "pc", "xpm", "ypm", "zpm", "aposm",
    "bposm",     "cposm", "xl",    "yl",   "zl",   "al", "bl",  "cl",  "sl",  "cs"};
constexpr std::size_t kFirstSensor = 6;
constexpr std::string_view kUnavailable = "UNAVAILABLE";
constexpr std::string_view kExpectedHeader =
    "a header row naming the columns timestamp and exec (MTConnect data item ids), with avail, "
    "estop, mode, pc and sensor columns as the device has them";

using CsvReader =
    io::CSVReader<kColumns.size(), io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>,
                  io::throw_on_overflow, io::empty_line_comment>;

[[noreturn]] void fail(const std::string& path, int line, std::string_view column,
                       const std::string& what) {
  throw InputError({path, line, 0, std::string(column)}, what);
}

// The latest known value of each item that decides the machine's state.
enum class Execution : std::uint8_t { kUnknown, kActive, kIdle, kFeedHold, kInterrupted, kStopped };
enum class Mode : std::uint8_t { kUnknown, kAutomatic, kManual };

struct Controller {
  bool estop_triggered = false;
  bool available = true;  // until the device says otherwise
  Execution execution = Execution::kUnknown;
  Mode mode = Mode::kUnknown;
};

// One data item's change: at `timestamp_us`, item `column` took `value` (already validated).
struct Change {
  std::int64_t timestamp_us = 0;
  std::uint8_t column = 0;
  std::uint8_t code = 0;  // state items: the enum value; avail/estop: 1 = AVAILABLE / TRIGGERED
  double value = 0.0;     // pc and sensors
};

std::optional<Execution> parse_execution(std::string_view text) {
  if (text == kUnavailable) return Execution::kUnknown;
  if (text == "ACTIVE") return Execution::kActive;
  if (text == "READY" || text == "WAIT" || text == "PROGRAM_COMPLETED" ||
      text == "PROGRAM_STOPPED" || text == "OPTIONAL_STOP" || text == "PROGRAM_OPTIONAL_STOP")
    return Execution::kIdle;
  if (text == "FEED_HOLD") return Execution::kFeedHold;
  if (text == "INTERRUPTED") return Execution::kInterrupted;
  if (text == "STOPPED") return Execution::kStopped;
  return std::nullopt;
}

std::optional<Mode> parse_mode(std::string_view text) {
  if (text == kUnavailable) return Mode::kUnknown;
  if (text == "AUTOMATIC" || text == "SEMI_AUTOMATIC") return Mode::kAutomatic;
  if (text == "MANUAL" || text == "MANUAL_DATA_INPUT" || text == "MDI" || text == "EDIT")
    return Mode::kManual;
  return std::nullopt;
}

struct Derived {
  MachineState state = MachineState::kUnknown;
  std::string_view reason;
};

Derived derive(const Controller& c) {
  if (c.estop_triggered) return {MachineState::kDown, "estop"};
  if (!c.available) return {};
  switch (c.execution) {
    case Execution::kActive:
      return {c.mode == Mode::kManual ? MachineState::kSetup : MachineState::kProducing, ""};
    case Execution::kIdle:
      return {MachineState::kIdle, ""};
    case Execution::kFeedHold:
      return {MachineState::kDown, "feed_hold"};
    case Execution::kInterrupted:
      return {MachineState::kDown, "interrupted"};
    case Execution::kStopped:
      return {MachineState::kDown, "stopped"};
    case Execution::kUnknown:
      break;
  }
  return {};
}

// Validates one non-empty field and records it as a change.
Change read_change(const std::string& path, int line, std::size_t column, std::string_view text,
                   std::int64_t timestamp_us) {
  Change change{timestamp_us, static_cast<std::uint8_t>(column), 0, 0.0};
  const char* name = kColumns[column];
  auto expected = [&](std::string_view what) {
    fail(path, line, name, fmt::format("expected {}, found '{}'", what, text));
  };
  switch (column) {
    case 1:  // avail
      if (text != "AVAILABLE" && text != kUnavailable) expected("AVAILABLE or UNAVAILABLE");
      change.code = text == "AVAILABLE";
      break;
    case 2:  // estop
      if (text != "ARMED" && text != "TRIGGERED" && text != kUnavailable)
        expected("ARMED, TRIGGERED or UNAVAILABLE");
      change.code = text == "TRIGGERED";
      break;
    case 3:  // exec
      if (const auto execution = parse_execution(text)) {
        change.code = static_cast<std::uint8_t>(*execution);
      } else {
        expected(
            "an MTConnect Execution value (READY, ACTIVE, INTERRUPTED, FEED_HOLD, STOPPED, "
            "OPTIONAL_STOP, PROGRAM_STOPPED, PROGRAM_COMPLETED, WAIT, PROGRAM_OPTIONAL_STOP or "
            "UNAVAILABLE)");
      }
      break;
    case 4:  // mode
      if (const auto mode = parse_mode(text)) {
        change.code = static_cast<std::uint8_t>(*mode);
      } else {
        expected(
            "an MTConnect ControllerMode value (AUTOMATIC, SEMI_AUTOMATIC, MANUAL, "
            "MANUAL_DATA_INPUT, MDI, EDIT or UNAVAILABLE)");
      }
      break;
    default: {  // pc and the sensors: numbers, or UNAVAILABLE (recorded as code 1, skipped)
      if (text == kUnavailable) {
        change.code = 1;
        break;
      }
      const auto [end, error] =
          std::from_chars(text.data(), text.data() + text.size(), change.value);
      if (error != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(change.value) || (column == 5 && change.value < 0.0))
        expected(column == 5 ? "a part count >= 0 or UNAVAILABLE" : "a number or UNAVAILABLE");
      break;
    }
  }
  return change;
}

}  // namespace

TelemetryLog read_mtconnect_csv(const std::string& path, const std::string& machine_id) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    fail(path, 0, "", "is a directory; expected an MTConnect log (CSV)");
  // The machine id is the one name in the log that is not a fixed word of this reader (the
  // channels of kColumns, the reasons of derive(), "good"): held to the CSV reader's rules, so that
  // an MTConnect log never names a machine that a linetwin CSV log or a recording could not.
  if (const std::optional<std::string> fault = check_name_text(machine_id))
    fail(path, 0, "machine", "the id of the machine the log is read for: " + *fault);

  std::unique_ptr<CsvReader> csv;
  try {
    csv = std::make_unique<CsvReader>(path);
    csv->read_header(io::ignore_extra_column | io::ignore_missing_column, kColumns[0], kColumns[1],
                     kColumns[2], kColumns[3], kColumns[4], kColumns[5], kColumns[6], kColumns[7],
                     kColumns[8], kColumns[9], kColumns[10], kColumns[11], kColumns[12],
                     kColumns[13], kColumns[14], kColumns[15], kColumns[16], kColumns[17],
                     kColumns[18], kColumns[19]);
  } catch (const io::error::base&) {
    csv::rethrow_as_input_error(path, 1, kExpectedHeader);
  }
  for (const char* column : {"timestamp", "exec"}) {
    if (!csv->has_column(column)) {
      fail(path, 1, column,
           fmt::format("the header has no column '{}'; expected {}", column, kExpectedHeader));
    }
  }

  std::vector<Change> changes;
  try {
    std::array<const char*, kColumns.size()> f;
    f.fill("");
    while (csv->read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
                         f[12], f[13], f[14], f[15], f[16], f[17], f[18], f[19])) {
      const int line = static_cast<int>(csv->get_file_line());
      const std::optional<std::int64_t> time = parse_timestamp_us(f[0]);
      if (!time) {
        fail(path, line, "timestamp",
             fmt::format("expected {}, found '{}'", kTimestampSyntax, f[0]));
      }
      for (std::size_t column = 1; column < kColumns.size(); ++column) {
        if (*f[column] != '\0')
          changes.push_back(read_change(path, line, column, f[column], *time));
      }
      f.fill("");
    }
  } catch (const io::error::base&) {
    csv::rethrow_as_input_error(path, static_cast<int>(csv->get_file_line()), kExpectedHeader);
  }
  // Stable, so that changes at one instant keep the order of the file.
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.timestamp_us < b.timestamp_us;
  });

  TelemetryLog log;
  const std::uint32_t machine = log.names.intern_machine(machine_id);
  const std::uint16_t good = log.names.intern_name(kGoodPartsCounter);
  std::array<std::uint16_t, kColumns.size()> channel{};
  for (std::size_t column = kFirstSensor; column < kColumns.size(); ++column)
    channel[column] = log.names.intern_name(kColumns[column]);

  Controller controller;
  bool controller_reported = false;  // at this instant
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    if (c.column <= 4) controller_reported = true;
    switch (c.column) {
      case 1:
        controller.available = c.code == 1;
        break;
      case 2:
        controller.estop_triggered = c.code == 1;
        break;
      case 3:
        controller.execution = static_cast<Execution>(c.code);
        // A device that reports what it executes is available, whatever Availability said last.
        if (controller.execution != Execution::kUnknown) controller.available = true;
        break;
      case 4:
        controller.mode = static_cast<Mode>(c.code);
        break;
      default:
        if (c.code == 1) break;  // UNAVAILABLE: no reading
        TelemetrySample sample;
        sample.timestamp_us = c.timestamp_us;
        sample.machine = machine;
        sample.value = c.value;
        sample.kind = c.column == 5 ? SampleKind::kCounter : SampleKind::kSensor;
        sample.name = c.column == 5 ? good : channel[c.column];
        log.samples.push_back(sample);
        break;
    }
    // The state follows from all the changes at one instant, so it is derived after the last.
    // It is sent whenever the controller reported, changed or not, as a machine sends its state:
    // the twin takes a repeated state as a sign of life.
    const bool last_at_instant =
        i + 1 == changes.size() || changes[i + 1].timestamp_us != c.timestamp_us;
    if (!last_at_instant || !controller_reported) continue;
    controller_reported = false;
    const Derived now = derive(controller);
    TelemetrySample sample;
    sample.timestamp_us = c.timestamp_us;
    sample.machine = machine;
    sample.kind = SampleKind::kState;
    sample.state = now.state;
    sample.name = log.names.intern_name(now.reason);
    log.samples.push_back(sample);
  }
  return log;
}

}  // namespace linetwin
