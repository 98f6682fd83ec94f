// read_duration: what a run can take as a duration, from 0 (or just above) to the longest time a
// recording of the run can hold, and the error that names the field otherwise.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "recording/simulation_recording.hpp"

using namespace linetwin;

namespace {

InputError read_error(const std::string& text, bool allow_zero) {
  try {
    read_duration(text, allow_zero, {"line.yaml", 4, 13, "run.duration"});
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError for '" << text << "'");
  throw;  // unreachable
}

bool says(const InputError& e, const std::string& fragment) {
  INFO("error: " << e.what());
  return e.message().find(fragment) != std::string::npos;
}

}  // namespace

TEST_CASE("duration: the maximum runs from a recording's start to the last instant it holds") {
  // Recordings hold microseconds since 1970 up to 9999-12-31T23:59:59.999999Z, as ISO 8601 does.
  using std::chrono::sys_days;
  using std::chrono::year;
  constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
  const std::int64_t latest_us =
      sys_days(year(10000) / 1 / 1).time_since_epoch().count() * kMicrosPerDay - 1;
  CHECK(latest_us == 253'402'300'799'999'999);
  const std::int64_t start_us = SimulationRecordingSettings{}.start_time_us;
  CHECK(start_us == sys_days(year(2026) / 1 / 5).time_since_epoch().count() * kMicrosPerDay);
  CHECK(kMaxDurationS == static_cast<double>((latest_us - start_us) / 1'000'000));
  // A recording writes the start plus the time in microseconds, computed in double: the end of the
  // longest run is exact, and within range.
  CHECK(start_us + std::llround(kMaxDurationS * 1e6) <= latest_us);
}

TEST_CASE("duration: within bounds, read as parse_duration_seconds reads it") {
  CHECK(read_duration("8h", false, {}) == 28800.0);
  CHECK(read_duration("0", true, {}) == 0.0);
  CHECK(read_duration("251634729599", false, {}) == 251634729599.0);
  CHECK(read_duration("1e-400", true, {}) == 0.0);  // below a double's smallest: zero
}

TEST_CASE("duration: beyond the maximum, an error at the given place") {
  const InputError e = read_error("251634729600", false);
  CHECK(e.where().file == "line.yaml");
  CHECK(e.where().line == 4);
  CHECK(e.where().column == 13);
  CHECK(e.where().field_path == "run.duration");
  CHECK(says(e, "expected a duration of at most 251634729599s"));
  CHECK(says(e, "found '251634729600'"));
  // Too large for a double, before or after the unit; an infinity.
  for (const char* text : {"1e400", "1e306w", "inf", "1e15w"}) {
    CAPTURE(text);
    CHECK(says(read_error(text, false), "expected a duration of at most 251634729599s"));
  }
}

TEST_CASE("duration: negative, zero where it is not allowed, and text that is no duration") {
  CHECK(says(read_error("-5min", true), "expected a duration >= 0, found '-5min'"));
  CHECK(says(read_error("-1e400", true), "expected a duration >= 0"));
  CHECK(says(read_error("0s", false), "expected a duration > 0, found '0s'"));
  for (const char* text : {"soon", "nan", "", "5 parsecs", "12:00"}) {
    CAPTURE(text);
    CHECK(says(read_error(text, true), "expected a duration such as 90, 90s"));
  }
}
