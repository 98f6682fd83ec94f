// MTConnect CSV to telemetry: the mapping on small hand-made files, and the conversion of the real
// NIST PocketNC log (../shared/data, read in place; the case is reported skipped without it),
// checked against facts read off the file with other tools (grep, pandas), each noted where it is
// used.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "io/scene_file.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/mtconnect_log.hpp"
#include "telemetry/sample_checks.hpp"
#include "test_files.hpp"
#include "test_skip.hpp"

namespace linetwin {

namespace {

constexpr const char* kNistLog =
    "telemetry/nist_dtl_pocketnc/pocketnc_mtconnect_2023-07-24.csv";  // in ../shared/data

std::int64_t us(const char* iso) {
  return *parse_timestamp_us(iso);
}

struct StateChange {
  std::int64_t at_us;
  MachineState state;
  std::string reason;
};

std::vector<StateChange> states_of(const TelemetryLog& log) {
  std::vector<StateChange> out;
  for (const TelemetrySample& s : log.samples)
    if (s.kind == SampleKind::kState)
      out.push_back({s.timestamp_us, s.state, log.names.names()[s.name]});
  return out;
}

}  // namespace

TEST_CASE("MTConnect: rows out of time order, the state derived from exec, mode, estop, avail") {
  test::TempDir dir;
  // Rows deliberately shuffled; the pgm field holds a quoted comma, as in the NIST file.
  const std::string path = dir.write("m.csv", R"(timestamp,exec,mode,estop,avail,pgm,xpm,pc,
2024-01-01T00:00:10Z,ACTIVE,,,,,1.5,,
2024-01-01T00:00:00Z,READY,AUTOMATIC,ARMED,AVAILABLE,"A,B.NGC",0,0,
2024-01-01T00:00:20Z,,MANUAL,,,,,,
2024-01-01T00:00:30Z,FEED_HOLD,,,,,,1,
2024-01-01T00:00:40Z,,,,UNAVAILABLE,,UNAVAILABLE,,
2024-01-01T00:00:50Z,READY,,,,,,,
2024-01-01T00:01:00Z,,,TRIGGERED,,,,,
2024-01-01T00:01:10Z,STOPPED,,,,,,,
2024-01-01T00:01:20Z,,,ARMED,,,,,
)");
  const TelemetryLog log = read_mtconnect_csv(path, "mill");
  CHECK(log.names.machines() == std::vector<std::string>{"mill"});
  const std::vector<StateChange> states = states_of(log);
  const std::vector<StateChange> expected = {
      {us("2024-01-01T00:00:00Z"), MachineState::kIdle, ""},
      {us("2024-01-01T00:00:10Z"), MachineState::kProducing, ""},
      {us("2024-01-01T00:00:20Z"), MachineState::kSetup, ""},  // executing in manual mode
      {us("2024-01-01T00:00:30Z"), MachineState::kDown, "feed_hold"},
      {us("2024-01-01T00:00:40Z"), MachineState::kUnknown, ""},
      {us("2024-01-01T00:00:50Z"), MachineState::kIdle, ""},  // reporting again: available
      {us("2024-01-01T00:01:00Z"), MachineState::kDown, "estop"},
      {us("2024-01-01T00:01:10Z"), MachineState::kDown, "estop"},  // e-stop first
      {us("2024-01-01T00:01:20Z"), MachineState::kDown, "stopped"},
  };
  REQUIRE(states.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(states[i].at_us == expected[i].at_us);
    CHECK(states[i].state == expected[i].state);
    CHECK(states[i].reason == expected[i].reason);
  }
  // Sensors and the part count, in time order; UNAVAILABLE carries no reading.
  std::vector<std::pair<std::string, double>> readings;
  for (const TelemetrySample& s : log.samples)
    if (s.kind != SampleKind::kState) readings.push_back({log.names.names()[s.name], s.value});
  CHECK(readings == std::vector<std::pair<std::string, double>>{
                        {"good", 0.0}, {"xpm", 0.0}, {"xpm", 1.5}, {"good", 1.0}});
}

TEST_CASE("MTConnect: values outside the vocabulary are errors naming line and column") {
  test::TempDir dir;
  auto error_of = [&](const std::string& text) {
    try {
      read_mtconnect_csv(dir.write("bad.csv", text), "mill");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("timestamp,exec\n2024-01-01T00:00:00Z,RUNNING\n")
            .find("bad.csv:2: field 'exec': expected an MTConnect Execution value") !=
        std::string::npos);
  CHECK(error_of("timestamp,exec,mode\n2024-01-01T00:00:00Z,,JOG\n").find("field 'mode'") !=
        std::string::npos);
  CHECK(error_of("timestamp,exec,xpm\n2024-01-01T00:00:00Z,,far\n")
            .find("field 'xpm': expected a number or UNAVAILABLE, found 'far'") !=
        std::string::npos);
  CHECK(error_of("timestamp,exec\nnoon,READY\n").find("field 'timestamp'") != std::string::npos);
  CHECK(error_of("timestamp,mode\n2024-01-01T00:00:00Z,AUTOMATIC\n").find("no column 'exec'") !=
        std::string::npos);
}

TEST_CASE("MTConnect: the machine id is held to the CSV reader's name rules") {
  test::TempDir dir;
  // Every kind of name the reader makes: a reason (feed_hold), the part counter, a channel.
  const std::string path = dir.write("m.csv", R"(timestamp,exec,pc,xpm
2024-01-01T00:00:00Z,READY,0,1.5
2024-01-01T00:00:10Z,FEED_HOLD,1,2.5
)");
  // The id comes from the caller (the scene element), not from a row: the error names the file
  // and the field, and no line.
  auto refused = [&](const std::string& machine_id) -> std::optional<InputError> {
    try {
      read_mtconnect_csv(path, machine_id);
    } catch (const InputError& e) {
      return e;
    }
    return std::nullopt;
  };
  const std::optional<InputError> too_long = refused(std::string(1025, 'm'));
  REQUIRE(too_long);
  CHECK(too_long->where().file == path);
  CHECK(too_long->where().line == 0);
  CHECK(too_long->where().field_path == "machine");
  CHECK(std::string(too_long->what()) ==
        path +
            ": field 'machine': the id of the machine the log is read for: expected a name of at "
            "most 1024 bytes, found one of 1025 bytes");
  // A lone continuation byte after a valid start: never valid UTF-8.
  const std::optional<InputError> not_utf8 = refused("mill\x80");
  REQUIRE(not_utf8);
  CHECK(std::string(not_utf8->what()) ==
        path +
            ": field 'machine': the id of the machine the log is read for: expected UTF-8 text, "
            "found bytes that are not valid UTF-8");

  // The longest id there is, 512 two-byte characters (1024 bytes), is read, and every name the
  // log holds passes the same check.
  std::string longest;
  for (int i = 0; i < 512; ++i)
    longest += "ü";
  REQUIRE(longest.size() == kMaxNameBytes);
  const TelemetryLog log = read_mtconnect_csv(path, longest);
  CHECK(log.names.machines() == std::vector<std::string>{longest});
  CHECK(log.samples.size() == 6);  // a state, the part count and a position at each instant
  for (const std::string& name : log.names.names())
    CHECK(!check_name_text(name));
  CHECK(std::find(log.names.names().begin(), log.names.names().end(), "feed_hold") !=
        log.names.names().end());
}

TEST_CASE("MTConnect: the NIST PocketNC log (real data, rows out of time order)") {
  const auto nist_log = test::shared_data_or_skip(kNistLog);
  if (!nist_log) return;
  const TelemetryLog log = read_mtconnect_csv(nist_log->string(), "pocketnc");
  REQUIRE(!log.samples.empty());
  // The earliest and latest timestamps in the file (pandas: min and max of the column; the
  // rows are not sorted, the first row is 14:54:30.547868).
  CHECK(log.samples.front().timestamp_us == us("2023-07-24T14:54:28.870369Z"));
  CHECK(log.samples.back().timestamp_us == us("2023-07-24T15:21:30.32851Z"));
  CHECK(std::is_sorted(log.samples.begin(), log.samples.end(), [](const auto& a, const auto& b) {
    return a.timestamp_us < b.timestamp_us;
  }));

  // `grep -c ',ACTIVE,'` finds 13 rows with exec ACTIVE, each following a READY or UNAVAILABLE:
  // the machine starts executing 13 times.
  const std::vector<StateChange> states = states_of(log);
  auto executing = [](MachineState s) {
    return s == MachineState::kProducing || s == MachineState::kSetup;
  };
  int starts = 0;
  for (std::size_t i = 0; i < states.size(); ++i)
    if (executing(states[i].state) && (i == 0 || !executing(states[i - 1].state))) ++starts;
  CHECK(starts == 13);
  // The first row in time (14:54:28.870369) has exec READY, AVAILABLE, ARMED; the agent's
  // UNAVAILABLE burst follows at 14:54:30.5475-30.5481, and the first ACTIVE at 14:55:16.259045;
  // estop is TRIGGERED at 15:21:29.352421 and never ARMED again.
  auto first = [&](MachineState state) {
    for (const StateChange& c : states)
      if (c.state == state) return c.at_us;
    return kNoTime;
  };
  CHECK(states.front().at_us == us("2023-07-24T14:54:28.870369Z"));
  CHECK(first(MachineState::kIdle) == us("2023-07-24T14:54:28.870369Z"));
  CHECK(first(MachineState::kUnknown) == us("2023-07-24T14:54:30.548104Z"));    // avail
  CHECK(first(MachineState::kProducing) == us("2023-07-24T14:55:16.259045Z"));  // mode unknown
  // Executing while mode MANUAL (from 14:55:41.251493): the tool probe, setup.
  CHECK(first(MachineState::kSetup) == us("2023-07-24T14:55:41.251493Z"));
  // The last row in time, exec READY at 15:21:30.32851, leaves it down: the e-stop comes first.
  CHECK(states.back().at_us == us("2023-07-24T15:21:30.32851Z"));
  CHECK(states.back().state == MachineState::kDown);
  CHECK(states.back().reason == "estop");

  // Sensor readings: the numeric cells of the sensor columns (pandas, to_numeric): xpm 4443,
  // ypm 11724, zpm 3139, aposm 96, bposm 9624, cs 5; cposm and the loads are UNAVAILABLE only.
  // pc (the part count) is UNAVAILABLE throughout: no counter.
  std::size_t sensors = 0;
  for (const TelemetrySample& s : log.samples) {
    CHECK(s.kind != SampleKind::kCounter);
    if (s.kind == SampleKind::kSensor) ++sensors;
  }
  CHECK(sensors == 4443 + 11724 + 3139 + 96 + 9624 + 5);

  // Replayed into the one-machine scene: idle until the agent restarts, unknown until the first
  // ACTIVE, down for the last 0.976089 s, over 1621.458141 s in all.
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/pocketnc_cell.yaml");
  LineTwins twins(scene);
  LogBinding binding(log.names, twins);
  for (const TelemetrySample& s : log.samples)
    binding.apply(s);
  CHECK(twins.counts().samples == log.samples.size());
  CHECK(twins.counts().applied == log.samples.size());
  CHECK(twins.counts().unknown_machine == 0);
  const auto machine = static_cast<std::uint32_t>(twins.names().find_machine("pocketnc"));
  const MachineTwin& twin = twins.twin(machine);
  const std::int64_t end = twins.observed_until_us();
  CHECK(end - twins.observed_from_us() == 1621458141);
  CHECK(twin.time_in_state_us(MachineState::kIdle, end) >=
        us("2023-07-24T14:54:30.548104Z") - us("2023-07-24T14:54:28.870369Z"));
  CHECK(twin.time_in_state_us(MachineState::kUnknown, end) ==
        us("2023-07-24T14:55:16.259045Z") - us("2023-07-24T14:54:30.548104Z"));
  CHECK(twin.time_in_state_us(MachineState::kDown, end) == 976089);
  CHECK(twin.failures() == 1);
  const TwinKpis k = twins.kpis(machine);
  CHECK(k.station.working + k.station.setup + k.station.starved + k.station.down + k.unknown ==
        doctest::Approx(1.0));
  CHECK(std::isnan(k.station.oee.oee));  // no part count: output unknown
}

}  // namespace linetwin
