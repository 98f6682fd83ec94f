// The age of live samples, measured per sample when the twins apply it: payloads whose timestamps
// are known relative to the wall-clock time handed to the feed, so that every age is known
// exactly; the reorder window's wait included; samples stamped ahead of our clock kept negative
// and counted, in the feed's statistics and in the live report's JSON.
//
// 2024-03-04T06:00:00Z is 1,709,532,000 s after the epoch (`date -u -d 2024-03-04T06:00:00Z +%s`).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "io/scene_file.hpp"
#include "live/mqtt_live_report.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "plant/scene.hpp"
#include "telemetry/line_twins.hpp"

namespace linetwin {
namespace {

// Wall-clock times handed to the feed: `seconds` after 2024-03-04T06:00:00Z, in microseconds.
std::int64_t at(double seconds) {
  return 1'709'532'000'000'000 + std::llround(seconds * 1e6);
}

// The twins of the balanced line, fed with a reorder window of `window_s`.
struct LiveLine {
  explicit LiveLine(double window_s) : feed(twins, std::llround(window_s * 1e6)) {}
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/balanced_line.yaml");
  LineTwins twins{scene};
  MqttTwinFeed feed;
};

std::string live_json(const LineTwins& twins, const MqttFeedStats& stats) {
  const MqttCounters connection;
  const MqttOptions options;
  std::ostringstream text;
  write_live_json(
      text, LiveReport{TwinReport{twins, "mqtt://localhost:1883/linetwin/#", "mqtt", {}}, stats,
                       connection, options, false});
  return text.str();
}

}  // namespace

TEST_CASE("live sample age: each sample of a batch has its own age") {
  LiveLine line(0.0);
  // Taken at 06:00:00, :01 and :02, all arriving at 06:00:03: ages 3, 2 and 1 s.
  line.feed.ingest("linetwin/OP10", R"({"samples": [
      {"ts": "2024-03-04T06:00:00Z", "seq": 1, "state": "producing"},
      {"ts": "2024-03-04T06:00:01Z", "seq": 2, "counter": "good", "value": 1},
      {"ts": "2024-03-04T06:00:02Z", "seq": 3, "state": "idle"}]})",
                   at(3.0));
  const QuantileHistogram& ages = line.feed.stats().age_s;
  CHECK(line.twins.counts().applied == 3);
  CHECK(ages.count() == 3);
  CHECK(ages.min() == 1.0);
  CHECK(ages.max() == 3.0);
  CHECK(ages.sum() == 6.0);
  CHECK(ages.quantile(0.5) == doctest::Approx(2.0).epsilon(QuantileHistogram::kRelativeError));
  CHECK(ages.negative_count() == 0);
}

TEST_CASE("live sample age: a held sample ages until the reorder window releases it") {
  LiveLine line(2.0);
  // 06:00:00 arrives at 06:00:00.100 and is held; 06:00:03, arriving at 06:00:03.500, is more
  // than the 2 s window newer and releases it: applied 3.5 s after it was taken.
  line.feed.ingest("linetwin/OP10", R"({"ts": "2024-03-04T06:00:00Z", "seq": 1, "state": "idle"})",
                   at(0.1));
  CHECK(line.feed.stats().age_s.count() == 0);
  line.feed.ingest("linetwin/OP10", R"({"ts": "2024-03-04T06:00:03Z", "seq": 2, "state": "down"})",
                   at(3.5));
  CHECK(line.feed.stats().age_s.count() == 1);
  CHECK(line.feed.stats().age_s.max() == 3.5);
  // The quiet stream is flushed at 06:00:04.250: the second sample is 1.25 s old.
  line.feed.flush(at(4.25));
  const QuantileHistogram& ages = line.feed.stats().age_s;
  CHECK(ages.count() == 2);
  CHECK(ages.min() == 1.25);
  CHECK(ages.max() == 3.5);
  CHECK(ages.sum() == 4.75);
}

TEST_CASE("live sample age: only samples applied count, not duplicates or late ones") {
  LiveLine line(0.0);
  const char* sample = R"({"ts": "2024-03-04T06:00:01Z", "seq": 7, "state": "down"})";
  line.feed.ingest("linetwin/OP10", sample, at(2.0));
  line.feed.ingest("linetwin/OP10", sample, at(5.0));  // the same again
  line.feed.ingest("linetwin/OP10", R"({"ts": "2024-03-04T06:00:00Z", "seq": 6, "state": "idle"})",
                   at(6.0));  // older than what was applied
  CHECK(line.twins.counts().duplicates == 1);
  CHECK(line.twins.counts().out_of_order == 1);
  CHECK(line.feed.stats().age_s.count() == 1);
  CHECK(line.feed.stats().age_s.max() == 1.0);
}

TEST_CASE("live sample age: a timestamp ahead of our clock is a negative age, counted") {
  LiveLine line(0.0);
  // At 06:00:10, samples taken 0.5 s ago, at this very microsecond, and 3 s and 3.25 s in our
  // future (clock skew).
  for (const char* payload : {R"({"ts": "2024-03-04T06:00:09.5Z", "seq": 1, "state": "idle"})",
                              R"({"ts": "2024-03-04T06:00:10Z", "seq": 2, "state": "down"})",
                              R"({"ts": "2024-03-04T06:00:13Z", "seq": 3, "state": "idle"})",
                              R"({"ts": "2024-03-04T06:00:13.25Z", "seq": 4, "state": "down"})"})
    line.feed.ingest("linetwin/OP10", payload, at(10.0));
  const QuantileHistogram& ages = line.feed.stats().age_s;
  REQUIRE(line.twins.counts().applied == 4);
  CHECK(ages.count() == 4);
  CHECK(ages.negative_count() == 2);
  CHECK(ages.zero_count() == 1);
  CHECK(ages.min() == -3.25);
  CHECK(ages.max() == 0.5);
  CHECK(ages.sum() == -3.25 - 3.0 + 0.0 + 0.5);
  // Sorted: -3.25, -3, 0, 0.5; the median lies halfway between -3 and 0.
  CHECK(ages.quantile(0.5) == doctest::Approx(-1.5).epsilon(QuantileHistogram::kRelativeError));

  // The live report shows them as they are.
  const auto age =
      nlohmann::json::parse(live_json(line.twins, line.feed.stats()))["ingestion"]["sample_age_s"];
  CHECK(age["count"] == 4);
  CHECK(age["negative_ages"] == 2);
  CHECK(age["min"] == -3.25);
  CHECK(age["max"] == 0.5);
  CHECK(age["p50"].get<double>() ==
        doctest::Approx(-1.5).epsilon(QuantileHistogram::kRelativeError));
}

TEST_CASE("live sample age: the report says null, not zero, before any sample") {
  const LiveLine line(0.0);
  const auto age =
      nlohmann::json::parse(live_json(line.twins, line.feed.stats()))["ingestion"]["sample_age_s"];
  CHECK(age["count"] == 0);
  CHECK(age["negative_ages"] == 0);
  CHECK(age["p50"].is_null());
  CHECK(age["p99"].is_null());
  CHECK(age["min"].is_null());
  CHECK(age["max"].is_null());
}

}  // namespace linetwin
