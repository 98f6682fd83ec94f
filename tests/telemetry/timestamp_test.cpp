// The timestamp parser against instants computed independently (Python's datetime, UTC):
// 2023-07-24T14:54:30.547868Z is 1690210470547868 us after the epoch, and so on below.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>

#include "core/timestamp.hpp"

namespace linetwin {

TEST_CASE("timestamps: ISO 8601 in UTC and with offsets, to the microsecond") {
  CHECK(parse_timestamp_us("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp_us("2023-07-24T14:54:30.547868Z") == 1690210470547868);
  // The same instant written with offsets, lower-case letters, a space and a comma.
  CHECK(parse_timestamp_us("2023-07-24T16:54:30.547868+02:00") == 1690210470547868);
  CHECK(parse_timestamp_us("2023-07-24T10:24:30.547868-0430") == 1690210470547868);
  CHECK(parse_timestamp_us("2023-07-24T15:54:30.547868+01") == 1690210470547868);
  CHECK(parse_timestamp_us("2023-07-24t14:54:30.547868z") == 1690210470547868);
  CHECK(parse_timestamp_us("2023-07-24 14:54:30,547868Z") == 1690210470547868);
  // Fractions of 1 to 9 digits; below the microsecond they are truncated.
  CHECK(parse_timestamp_us("2023-07-24T14:54:30.5Z") == 1690210470500000);
  CHECK(parse_timestamp_us("2023-07-24T14:54:30.54814Z") == 1690210470548140);
  CHECK(parse_timestamp_us("2023-07-24T14:54:30.547868999Z") == 1690210470547868);
  // Leap days, the turn of a millennium, before the epoch, the ends of the range.
  CHECK(parse_timestamp_us("2024-02-29T12:00:00Z") == 1709208000000000);
  CHECK(parse_timestamp_us("2000-02-29T23:59:59.999999Z") == 951868799999999);
  CHECK(parse_timestamp_us("1969-12-31T23:59:59.5Z") == -500000);
  CHECK(parse_timestamp_us("0001-01-01T00:00:00Z") == -62135596800000000);
  CHECK(parse_timestamp_us("9999-12-31T23:59:59.999Z") == 253402300799999000);
}

TEST_CASE("timestamps: epoch milliseconds as number text") {
  CHECK(parse_timestamp_us("0") == 0);
  CHECK(parse_timestamp_us("1690210470547") == 1690210470547000);
  CHECK(parse_timestamp_us("1690210470547.868") == 1690210470547868);
  CHECK(parse_timestamp_us("1690210470547.8") == 1690210470547800);
  CHECK(parse_timestamp_us("253402300799999") == 253402300799999000);
}

TEST_CASE("timestamps: anything else is rejected") {
  for (const char* text : {"",
                           " 2023-07-24T14:54:30Z",
                           "2023-07-24T14:54:30Z ",
                           "2023-07-24T14:54:30",  // no zone
                           "2023-07-24T14:54Z",
                           "2023-07-24",
                           "2023-02-29T00:00:00Z",
                           "1900-02-29T00:00:00Z",
                           "2023-13-01T00:00:00Z",
                           "2023-00-01T00:00:00Z",
                           "2023-04-31T00:00:00Z",
                           "2023-07-24T24:00:00Z",
                           "2023-07-24T23:60:00Z",
                           "2023-07-24T23:59:60Z",
                           "2023-07-24T14:54:30.Z",
                           "2023-07-24T14:54:30.1234567890Z",
                           "2023-07-24T14:54:30+2:00",
                           "2023-07-24T14:54:30+24:00",
                           "2023-07-24T14:54:30+02:60",
                           "2023-07-24T14:54:30+02:00:00",
                           "2023-07-24X14:54:30Z",
                           "2023/07/24T14:54:30Z",
                           "0000-01-01T00:00:00Z",
                           "-5",
                           "+5",
                           "1.2345",
                           "1.",
                           ".5",
                           "12a",
                           "1e3",
                           "253402300800000",
                           "9999999999999999",
                           "0x10",
                           "NaN"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_timestamp_us(text).has_value());
  }
}

TEST_CASE("timestamps: formatted in UTC, and read back to the same microsecond") {
  CHECK(format_timestamp_iso(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_timestamp_iso(1690210470547868) == "2023-07-24T14:54:30.547868Z");
  CHECK(format_timestamp_iso(1690210470547000) == "2023-07-24T14:54:30.547Z");
  CHECK(format_timestamp_iso(-500000) == "1969-12-31T23:59:59.500Z");
  CHECK(format_timestamp_iso(-1) == "1969-12-31T23:59:59.999999Z");
  for (const std::int64_t us : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1},
                                std::int64_t{951868799999999}, std::int64_t{-62135596800000000},
                                std::int64_t{253402300799999999}, std::int64_t{1709208000000001}}) {
    CAPTURE(us);
    CHECK(parse_timestamp_us(format_timestamp_iso(us)) == us);
  }
}

}  // namespace linetwin
