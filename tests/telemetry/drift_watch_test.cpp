// DriftWatch: the drift monitor fed by the live feed (MqttTwinFeed's applied samples) and
// checked at the end of each window of message time: a check at t runs once a sample newer than t
// arrives or the stream ends at or after t, never earlier; duplicates are not observed twice; a
// window in which the station was down all along is flagged on the KPIs that being down moves;
// the least time between checks is the largest of its three bounds.
//
// Times are worked out by hand: 2024-03-04T06:00:00Z is 1,709,532,000 s after the epoch.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "synthetic_station_log.hpp"
#include "telemetry/drift_watch.hpp"
#include "telemetry/line_twins.hpp"

namespace linetwin {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t k0600 = 1'709'532'000 * kSecond;  // 2024-03-04T06:00:00Z

DriftSettings one_hour_windows() {
  DriftSettings s;
  s.window_s = 3600.0;
  s.coverage = 0.9;  // 19 windows: the band runs from the smallest to the largest, 18/20
  s.replications = 19;
  return s;
}

// What a station sends, one message per sample, in the order the test gives.
struct Station {
  MqttTwinFeed& feed;
  std::uint64_t seq = 0;
  void send(std::int64_t t_us, const std::string& what) {
    const std::string payload = R"({"ts":)" + std::to_string(t_us / 1000) + R"(,"seq":)" +
                                std::to_string(++seq) + "," + what + "}";
    REQUIRE(feed.ingest("linetwin/OP10", payload, 0).fault == MessageFault::kNone);
  }
};

double observed(const std::vector<DriftCheck>& checks, DriftKpi kpi) {
  for (const DriftCheck& c : checks)
    if (c.kpi == kpi) return c.observed;
  FAIL("no check of ", to_string(kpi));
  return 0.0;
}

}  // namespace

TEST_CASE("drift watch: checks at window ends of message time, on the samples the twins apply") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "watch.yaml");
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, 0);
  DriftWatch watch(scene, twins.names(), one_hour_windows());
  std::uint64_t seen = 0;
  feed.observe_applied([&](const TelemetrySample& sample) {
    ++seen;
    watch.observe(sample);
  });
  CHECK(watch.check_every_s() == 3600.0);
  CHECK(watch.prediction().coverage == doctest::Approx(18.0 / 20.0));

  // The first hour: producing throughout, 60 good parts; down from its last instant.
  Station op10{feed};
  op10.send(k0600, R"("state":"producing")");
  op10.send(k0600, R"("counter":"good","value":0)");
  op10.send(k0600 + kHour / 2, R"("counter":"good","value":30)");
  op10.send(k0600 + kHour, R"("counter":"good","value":60)");
  op10.send(k0600 + kHour, R"("state":"down")");
  // A QoS 1 re-delivery: a duplicate for the twin, so not observed again.
  REQUIRE(feed.ingest("linetwin/OP10", R"({"ts":1709535600000,"seq":5,"state":"down"})", 0).fault ==
          MessageFault::kNone);
  CHECK(twins.counts().duplicates == 1);
  CHECK(seen == 5);
  // A sample at the window's end may still be followed by others at that instant: no check yet.
  CHECK(watch.checks_run() == 0);
  CHECK(watch.last_checks()[0].empty());

  // Down all through the second hour; the first newer sample runs the check of the first hour.
  op10.send(k0600 + kHour + kSecond, R"("sensor":"spindle_temp","value":40)");
  CHECK(watch.checks_run() == 1);
  const std::vector<DriftCheck>& first = watch.last_checks()[0];
  REQUIRE(first.size() == static_cast<std::size_t>(kDriftKpiCount));
  CHECK(first[0].window_start_us == k0600);
  CHECK(first[0].window_end_us == k0600 + kHour);
  CHECK(observed(first, DriftKpi::kProducingShare) == 1.0);
  CHECK(observed(first, DriftKpi::kDownShare) == 0.0);
  CHECK(observed(first, DriftKpi::kGoodPartsPerHour) == 60.0);

  op10.send(k0600 + 2 * kHour + kHour / 2, R"("state":"producing")");
  CHECK(watch.checks_run() == 2);
  CHECK(watch.last_checks()[0][0].window_start_us == k0600 + kHour);
  // No simulated hour is down throughout (a repair of an hour lies 5 standard deviations out on
  // the log scale), so being down all hour is below the band of producing and of parts made and
  // above the band of down time; idle, blocked and setup stay 0, inside their bands [0, 0].
  std::vector<DriftKpi> flagged;
  for (const DriftAlert& alert : watch.alerts()) {
    CHECK(alert.window_start_us == k0600 + kHour);
    CHECK(alert.station == "OP10");
    flagged.push_back(alert.kpi);
  }
  CHECK(flagged == std::vector<DriftKpi>{DriftKpi::kProducingShare, DriftKpi::kDownShare,
                                         DriftKpi::kGoodPartsPerHour});
  CHECK(observed(watch.last_checks()[0], DriftKpi::kDownShare) == 1.0);

  // The end of the stream runs the checks of the windows it completes, and only those.
  watch.finish(k0600 + 3 * kHour - kSecond);
  CHECK(watch.checks_run() == 2);
  watch.finish(k0600 + 3 * kHour);
  CHECK(watch.checks_run() == 3);
  CHECK(watch.last_checks()[0][0].window_end_us == k0600 + 3 * kHour);
}

TEST_CASE("drift watch: checks more often than the window judge overlapping windows") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "watch.yaml");
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, 0);
  DriftWatch watch(scene, twins.names(), one_hour_windows(), 1800.0);
  feed.observe_applied([&](const TelemetrySample& sample) { watch.observe(sample); });
  Station op10{feed};
  op10.send(k0600, R"("state":"producing")");
  op10.send(k0600 + kHour + kHour / 4, R"("state":"idle")");
  CHECK(watch.checks_run() == 1);  // at 07:00
  op10.send(k0600 + 2 * kHour + kHour / 4, R"("state":"producing")");
  CHECK(watch.checks_run() == 3);  // at 07:30 and 08:00
  CHECK(watch.last_checks()[0][0].window_start_us == k0600 + kHour);
  // The window 07:00-08:00: idle from 07:15 on.
  CHECK(observed(watch.last_checks()[0], DriftKpi::kIdleShare) == 0.75);
  // Without a part counter, parts per hour are not judged.
  CHECK(watch.last_checks()[0].size() == static_cast<std::size_t>(kDriftKpiCount - 1));
}

TEST_CASE("drift watch: windows in which the whole line was silent are skipped, not judged") {
  const Scene scene = load_scene_text(test::kSaturatedStationScene, "watch.yaml");
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, 0);
  DriftWatch watch(scene, twins.names(), one_hour_windows());
  feed.observe_applied([&](const TelemetrySample& sample) { watch.observe(sample); });
  Station op10{feed};
  op10.send(k0600, R"("state":"producing")");
  // Nothing from 06:00 to 16:30: the window 06:00-07:00 holds a sample and is judged; those
  // ending at 08:00, 09:00, ..., 16:00 hold none.
  op10.send(k0600 + 10 * kHour + kHour / 2, R"("state":"idle")");
  CHECK(watch.checks_run() == 1);
  CHECK(watch.silent_windows() == 9);
  // The window 16:00-17:00 holds the sample of 16:30.
  watch.finish(k0600 + 11 * kHour);
  CHECK(watch.checks_run() == 2);
  CHECK(watch.last_checks()[0][0].window_start_us == k0600 + 10 * kHour);
  CHECK(observed(watch.last_checks()[0], DriftKpi::kIdleShare) == 0.5);
  // A clock a thousand years ahead costs no check per window in between.
  const std::int64_t far = k0600 + 1000LL * 8766 * kHour;
  op10.send(far, R"("state":"producing")");
  CHECK(watch.checks_run() == 2);
  CHECK(watch.silent_windows() == 9 + 1000ULL * 8766 - 12);  // 18:00 up to an hour before it
}

TEST_CASE("drift watch: the least time between checks") {
  // 1 us, the resolution of timestamps, for windows up to a millisecond.
  CHECK(min_check_spacing(1e-3).min_us == 1);
  CHECK(min_check_spacing(1e-3).reason == "the resolution of telemetry timestamps");
  // A thousandth of the window: 8 h / 1000 = 28.8 s.
  const CheckSpacingBound eight_hours = min_check_spacing(8 * 3600.0);
  CHECK(eight_hours.min_us == 28'800'000);
  CHECK(eight_hours.reason == "a thousandth of the 8h window: at most 1000 windows overlap");
  // A log known beforehand: 44 h over 23,414 samples is 6,765,183.2 us a sample, rounded up to
  // four significant digits (whole milliseconds here), which binds over a thousandth of 1 h.
  const TelemetryExtent log{k0600, k0600 + 44 * kHour, 23'414};
  const CheckSpacingBound logged = min_check_spacing(3600.0, log);
  CHECK(logged.min_us == static_cast<std::int64_t>(std::ceil(44 * 3600e6 / 23'414 / 1000) * 1000));
  CHECK(logged.min_us == 6'766'000);
  CHECK(logged.reason == "the log's 44h over its 23414 samples: at most one check per sample");
  // ... but not over a thousandth of 8 h.
  CHECK(min_check_spacing(8 * 3600.0, log).min_us == 28'800'000);
  // A log without samples bounds nothing; one whose clock spans the whole int64 range refuses
  // every spacing a clock can hold.
  CHECK(min_check_spacing(3600.0, TelemetryExtent{k0600, k0600, 0}).min_us == 3'600'000);
  const TelemetryExtent everything{std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::max(), 2};
  CHECK(min_check_spacing(3600.0, everything).min_us > std::int64_t{9'000'000'000'000'000'000});
}

}  // namespace linetwin
