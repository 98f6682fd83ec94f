// The reorder stage of live streaming: samples come out in timestamp order once the window has
// passed over them, ties in arrival order, late ones at once.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "telemetry/sample_reorder_buffer.hpp"

namespace linetwin {

namespace {

TelemetrySample at(std::int64_t timestamp_us, std::uint64_t sequence = 0) {
  TelemetrySample s;
  s.timestamp_us = timestamp_us;
  s.sequence = sequence;
  return s;
}

std::vector<std::int64_t> times(const std::vector<TelemetrySample>& samples) {
  std::vector<std::int64_t> out;
  for (const TelemetrySample& s : samples)
    out.push_back(s.timestamp_us);
  return out;
}

}  // namespace

TEST_CASE("reorder buffer: holds samples for the window, releases them in timestamp order") {
  SampleReorderBuffer buffer(10);
  std::vector<TelemetrySample> out;
  for (const std::int64_t t : {5, 1, 3, 12})
    buffer.push(at(t), out);
  // Newest 12, window 10: everything at or before 2 is released.
  CHECK(times(out) == std::vector<std::int64_t>{1});
  buffer.push(at(16), out);
  CHECK(times(out) == std::vector<std::int64_t>{1, 3, 5});
  CHECK(buffer.held() == 2);
  buffer.flush(out);
  CHECK(times(out) == std::vector<std::int64_t>{1, 3, 5, 12, 16});
  CHECK(buffer.held() == 0);
}

TEST_CASE("reorder buffer: equal timestamps keep their arrival order, late samples pass at once") {
  SampleReorderBuffer buffer(10);
  std::vector<TelemetrySample> out;
  buffer.push(at(5, 1), out);
  buffer.push(at(5, 2), out);
  buffer.push(at(4, 3), out);
  buffer.push(at(5, 4), out);
  buffer.push(at(30, 5), out);  // releases everything at or before 20
  REQUIRE(out.size() == 4);
  CHECK(out[0].sequence == 3);
  CHECK(out[1].sequence == 1);
  CHECK(out[2].sequence == 2);
  CHECK(out[3].sequence == 4);
  // Older than what has gone out already: too late to be put in order, passed on for the twin to
  // count as out of order.
  buffer.push(at(2, 6), out);
  CHECK(out.back().sequence == 6);
  CHECK(buffer.held() == 1);
  // A quiet stream is released by wall-clock time.
  buffer.release_until(29, out);
  CHECK(buffer.held() == 1);
  buffer.release_until(30, out);
  CHECK(buffer.held() == 0);
  CHECK(out.back().sequence == 5);
}

TEST_CASE("reorder buffer: a zero window passes samples straight through") {
  SampleReorderBuffer buffer(0);
  std::vector<TelemetrySample> out;
  buffer.push(at(7), out);
  buffer.push(at(9), out);
  CHECK(times(out) == std::vector<std::int64_t>{7, 9});
}

}  // namespace linetwin
