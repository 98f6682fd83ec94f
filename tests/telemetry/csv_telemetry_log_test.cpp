// The CSV telemetry log: written and read back to the same samples and names; every kind of bad
// row reported with the file, the line, the column and what was expected.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "test_files.hpp"

namespace linetwin {

TEST_CASE("CSV log: reads the documented example") {
  test::TempDir dir;
  const std::string path = dir.write("log.csv", R"(timestamp,machine,seq,kind,name,state,value
# a comment line, then a blank one

2024-03-04T06:00:00.000Z,OP10,1,state,,producing,
2024-03-04T06:00:00.000Z,OP10,2,counter,good,,0
2024-03-04T07:07:12.250+01:00,OP10,3,state,tool_break,down,
1709532432250, OP20 ,,sensor,spindle_temp_c,,41.5
)");
  const TelemetryLog log = read_telemetry_csv(path);
  REQUIRE(log.samples.size() == 4);
  CHECK(log.names.machines() == std::vector<std::string>{"OP10", "OP20"});
  const TelemetrySample& down = log.samples[2];
  CHECK(down.timestamp_us == *parse_timestamp_us("2024-03-04T06:07:12.250Z"));
  CHECK(down.kind == SampleKind::kState);
  CHECK(down.state == MachineState::kDown);
  CHECK(log.names.names()[down.name] == "tool_break");
  CHECK(down.sequence == 3);
  const TelemetrySample& sensor = log.samples[3];
  CHECK(sensor.timestamp_us == 1709532432250000);
  CHECK(sensor.machine == 1);
  CHECK(sensor.sequence == 0);
  CHECK(sensor.kind == SampleKind::kSensor);
  CHECK(sensor.value == 41.5);
  CHECK(log.samples[1].kind == SampleKind::kCounter);
  CHECK(log.names.names()[log.samples[1].name] == "good");
}

TEST_CASE("CSV log: columns in any order, optional ones left out") {
  test::TempDir dir;
  const std::string path = dir.write("log.csv",
                                     "kind,state,machine,timestamp,extra\n"
                                     "state,idle,M1,2024-03-04T06:00:00Z,whatever\n");
  const TelemetryLog log = read_telemetry_csv(path);
  REQUIRE(log.samples.size() == 1);
  CHECK(log.samples[0].state == MachineState::kIdle);
  CHECK(log.samples[0].name == 0);
}

TEST_CASE("CSV log: written and read back to the same samples") {
  TelemetryLog log;
  const std::uint32_t m1 = log.names.intern_machine("OP10");
  const std::uint32_t m2 = log.names.intern_machine("OP-20.b");
  const std::uint16_t odd = log.names.intern_name("jam, \"hard\" ");
  const std::uint16_t good = log.names.intern_name("good");
  const std::uint16_t temp = log.names.intern_name(" temp");
  auto add = [&](std::int64_t t, std::uint64_t seq, std::uint32_t m, SampleKind kind,
                 std::uint16_t name, MachineState state, double value) {
    TelemetrySample s;
    s.timestamp_us = t;
    s.sequence = seq;
    s.machine = m;
    s.kind = kind;
    s.name = name;
    s.state = state;
    s.value = value;
    log.samples.push_back(s);
  };
  add(1709532000000001, 1, m1, SampleKind::kState, odd, MachineState::kDown, 0.0);
  add(1709532000000000, 18446744073709551615u, m2, SampleKind::kCounter, good,
      MachineState::kUnknown, 12345678901.0);
  add(-1, 0, m1, SampleKind::kSensor, temp, MachineState::kUnknown, 0.1 + 0.2);
  add(5, 0, m2, SampleKind::kSensor, temp, MachineState::kUnknown, -1e-300);
  for (int i = 0; i < kMachineStateCount; ++i)
    add(7, 0, m1, SampleKind::kState, 0, static_cast<MachineState>(i), 0.0);

  std::ostringstream text;
  write_telemetry_csv(text, log);
  test::TempDir dir;
  const TelemetryLog back = read_telemetry_csv(dir.write("log.csv", text.str()));
  REQUIRE(back.samples.size() == log.samples.size());
  for (std::size_t i = 0; i < log.samples.size(); ++i) {
    CAPTURE(i);
    const TelemetrySample& a = log.samples[i];
    const TelemetrySample& b = back.samples[i];
    CHECK(a.timestamp_us == b.timestamp_us);
    CHECK(a.sequence == b.sequence);
    CHECK(a.kind == b.kind);
    CHECK(a.state == b.state);
    CHECK(a.value == b.value);  // bit for bit: the shortest text that reads back exactly
    CHECK(log.names.machines()[a.machine] == back.names.machines()[b.machine]);
    CHECK(log.names.names()[a.name] == back.names.names()[b.name]);
  }
}

TEST_CASE("CSV log: a bad row names the file, line, column and what was expected") {
  test::TempDir dir;
  struct Case {
    const char* row;
    const char* column;
    const char* expected;
  };
  const Case cases[] = {
      {"2024-03-04T06:00:00,M,1,state,,idle,", "timestamp", "expected an ISO 8601 time"},
      {"yesterday,M,1,state,,idle,", "timestamp", "found 'yesterday'"},
      {"2024-03-04T06:00:00Z,,1,state,,idle,", "machine", "expected a machine id"},
      {"2024-03-04T06:00:00Z,M,-1,state,,idle,", "seq", "expected a sequence number"},
      {"2024-03-04T06:00:00Z,M,1,event,,idle,", "kind", "expected state, counter or sensor"},
      {"2024-03-04T06:00:00Z,M,1,state,,running,", "state", "found 'running'"},
      {"2024-03-04T06:00:00Z,M,1,state,,,", "state", "found nothing"},
      {"2024-03-04T06:00:00Z,M,1,state,,idle,3", "value", "expected nothing in a state row"},
      {"2024-03-04T06:00:00Z,M,1,counter,,,3", "name", "expected the counter's name"},
      {"2024-03-04T06:00:00Z,M,1,counter,good,,-3", "value", "a number >= 0"},
      {"2024-03-04T06:00:00Z,M,1,counter,good,,many", "value", "found 'many'"},
      {"2024-03-04T06:00:00Z,M,1,sensor,t,,inf", "value", "a finite number"},
      {"2024-03-04T06:00:00Z,M,1,sensor,,,1", "name", "expected the sensor channel"},
      {"2024-03-04T06:00:00Z,M,1,sensor,t,idle,1", "state", "expected nothing in a sensor row"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.row);
    const std::string path =
        dir.write("bad.csv", std::string(kTelemetryCsvHeader) + "\n" +
                                 "2024-03-04T05:00:00Z,M,0,state,,idle,\n" + c.row + "\n");
    try {
      read_telemetry_csv(path);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == path);
      CHECK(e.where().line == 3);
      CHECK(e.where().field_path == c.column);
      CHECK(std::string(e.what()).find(c.expected) != std::string::npos);
    }
  }
}

TEST_CASE("CSV log: a bad file as a whole") {
  test::TempDir dir;
  auto error_of = [](const std::string& path) {
    try {
      read_telemetry_csv(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(dir.path() + "/missing.csv").find("cannot open") != std::string::npos);
  CHECK(error_of(dir.path()).find("is a directory") != std::string::npos);
  CHECK(error_of(dir.write("empty.csv", "")).find("the file is empty") != std::string::npos);
  CHECK(error_of(dir.write("nokind.csv", "timestamp,machine\n")).find("no column 'kind'") !=
        std::string::npos);
  CHECK(error_of(dir.write("twice.csv", "timestamp,machine,kind,kind\n"))
            .find("names the column 'kind' twice") != std::string::npos);
  const std::string short_row =
      error_of(dir.write("short.csv", "timestamp,machine,kind\n2024-03-04T05:00:00Z,M\n"));
  CHECK(short_row.find("short.csv:2") != std::string::npos);
  CHECK(short_row.find("fewer fields") != std::string::npos);
  CHECK(error_of(dir.write("quote.csv", "timestamp,machine,kind\n\"2024,M,state\n"))
            .find("not closed") != std::string::npos);
}

TEST_CASE("CSV log: a full name table still reads the names it holds, and refuses a new one") {
  // Name ids are 16 bits and id 0 is the empty name: 65,535 names fill the table.
  constexpr int kNames = 65535;
  std::string text = "timestamp,machine,kind,name,value\n";
  for (int i = 1; i <= kNames; ++i)
    text += "0,M,sensor,s" + std::to_string(i) + ",1\n";
  text += "0,M,sensor,s7,2\n";  // line 65,537: a name the table holds
  test::TempDir dir;
  const TelemetryLog full = read_telemetry_csv(dir.write("full.csv", text));
  REQUIRE(full.samples.size() == kNames + 1);
  CHECK(full.names.names().size() == kNames + 1);
  CHECK(full.names.names()[full.samples.back().name] == "s7");
  CHECK(full.samples.back().value == 2.0);

  const std::string path = dir.write("over.csv", text + "0,M,sensor,one_more,3\n");
  try {
    read_telemetry_csv(path);
    FAIL("a 65,536th name was accepted");
  } catch (const InputError& e) {
    CHECK(e.where().file == path);
    CHECK(e.where().line == kNames + 3);
    CHECK(e.where().field_path == "name");
    CHECK(std::string(e.what()).find("more than 65535 distinct") != std::string::npos);
  }
}

}  // namespace linetwin
