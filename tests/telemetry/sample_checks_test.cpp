// The rules every telemetry log reader applies to a sample (telemetry/sample_checks.hpp), and the
// CSV log reader applying the name rules it shares with the HDF5 recording reader: names are
// UTF-8 (a name that is not became an internal error when the JSON report was written) and at
// most 1024 bytes, the width of a recording's name fields.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "telemetry/sample_checks.hpp"
#include "test_files.hpp"

namespace linetwin {
namespace {

TelemetrySample counter(double value) {
  TelemetrySample s;
  s.timestamp_us = 1'709'532'000'000'000;
  s.kind = SampleKind::kCounter;
  s.value = value;
  return s;
}

std::string fault_field(const TelemetrySample& sample, std::string_view machine = "OP10",
                        std::string_view name = "good") {
  const std::optional<SampleFault> fault = check_sample(sample, machine, name);
  return fault ? std::string(fault->field) : std::string("none");
}

TEST_CASE("sample checks: times are those of years 0001 to 9999") {
  // 719,162 days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar (1969 years
  // of 365 days and 477 leap days), and 2,932,897 days from 1970-01-01 to 10000-01-01.
  CHECK(kEarliestSampleTimeUs == -719'162LL * 86'400'000'000LL);
  CHECK(kLatestSampleTimeUs == 2'932'897LL * 86'400'000'000LL - 1);
  // The same instants as the first and last that a timestamp's text can say.
  CHECK(parse_timestamp_us("0001-01-01T00:00:00Z") == kEarliestSampleTimeUs);
  CHECK(parse_timestamp_us("9999-12-31T23:59:59.999999Z") == kLatestSampleTimeUs);

  TelemetrySample sample = counter(1.0);
  sample.timestamp_us = kEarliestSampleTimeUs;
  CHECK(fault_field(sample) == "none");
  sample.timestamp_us = kLatestSampleTimeUs;
  CHECK(fault_field(sample) == "none");
  sample.timestamp_us = kLatestSampleTimeUs + 1;
  CHECK(fault_field(sample) == "timestamp");
  sample.timestamp_us = std::numeric_limits<std::int64_t>::min();
  CHECK(fault_field(sample) == "timestamp");
}

TEST_CASE("sample checks: counters, sensors and states hold what the CSV log allows") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(fault_field(counter(0.0)) == "none");
  CHECK(fault_field(counter(1e300)) == "none");
  CHECK(fault_field(counter(-1.0)) == "value");
  CHECK(fault_field(counter(nan)) == "value");
  CHECK(fault_field(counter(inf)) == "value");
  CHECK(fault_field(counter(1.0), "OP10", "") == "name");
  CHECK(fault_field(counter(1.0), "", "good") == "machine");

  TelemetrySample sensor = counter(-40.5);
  sensor.kind = SampleKind::kSensor;
  CHECK(fault_field(sensor, "OP10", "temp") == "none");
  sensor.value = -inf;
  CHECK(fault_field(sensor, "OP10", "temp") == "value");
  sensor.value = 20.0;
  sensor.state = MachineState::kIdle;
  CHECK(fault_field(sensor, "OP10", "temp") == "state");

  TelemetrySample state = counter(0.0);
  state.kind = SampleKind::kState;
  state.state = MachineState::kDown;
  CHECK(fault_field(state, "OP10", "") == "none");  // a state needs no reason
  state.value = 2.0;
  CHECK(fault_field(state, "OP10", "") == "value");
  state.value = 0.0;
  state.state = static_cast<MachineState>(kMachineStateCount);
  CHECK(fault_field(state, "OP10", "") == "state");
  state.kind = static_cast<SampleKind>(3);
  CHECK(fault_field(state, "OP10", "") == "kind");
}

TEST_CASE("sample checks: a name is UTF-8 of at most 1024 bytes") {
  CHECK_FALSE(check_name_text("Prüfstand 3").has_value());
  CHECK_FALSE(check_name_text(std::string(1024, 'n')).has_value());
  CHECK(check_name_text(std::string(1025, 'n'))
            .value()
            .find("at most 1024 bytes, found one of "
                  "1025") != std::string::npos);
  for (const char* bytes : {"\xff", "OP\xc3", "\xed\xa0\x80" /* a UTF-16 surrogate */,
                            "\xc0\xaf" /* an overlong '/' */}) {
    CAPTURE(bytes);
    CHECK(check_name_text(bytes).value().find("not valid UTF-8") != std::string::npos);
  }
}

TEST_CASE("sample checks: the CSV log reader refuses names that are not UTF-8 or too long") {
  test::TempDir dir;
  struct Case {
    std::string row;
    const char* column;
    const char* expected;
  };
  const Case cases[] = {
      {"2024-03-04T06:00:00Z,O\xffP,1,state,,idle,", "machine", "not valid UTF-8"},
      {"2024-03-04T06:00:00Z,OP10,1,state,\xfe,down,", "name", "not valid UTF-8"},
      {"2024-03-04T06:00:00Z," + std::string(1025, 'M') + ",1,state,,idle,", "machine",
       "at most 1024 bytes"},
      {"2024-03-04T06:00:00Z,OP10,1,sensor," + std::string(2000, 't') + ",,1", "name",
       "at most 1024 bytes"},
      {"2024-03-04T06:00:00Z,OP10,1,sensor,t,,nan", "value", "a finite number, found 'nan'"},
      {"2024-03-04T06:00:00Z,OP10,1,counter,good,,", "value", "a number >= 0, found nothing"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.column);
    const std::string path =
        dir.write("bad.csv", std::string(kTelemetryCsvHeader) + "\n" + c.row + "\n");
    try {
      read_telemetry_csv(path);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == path);
      CHECK(e.where().line == 2);
      CHECK(e.where().field_path == c.column);
      CHECK(e.message().find(c.expected) != std::string::npos);
    }
  }
  // A name of exactly 1024 bytes, ending in a two-byte character, is read whole.
  const std::string longest = std::string(1022, 'm') + "é";
  const TelemetryLog log = read_telemetry_csv(
      dir.write("long.csv", std::string(kTelemetryCsvHeader) + "\n2024-03-04T06:00:00Z," + longest +
                                ",1,state,,idle,\n"));
  REQUIRE(log.names.machines().size() == 1);
  CHECK(log.names.machines()[0] == longest);
}

}  // namespace
}  // namespace linetwin
