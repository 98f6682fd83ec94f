// The live source's path from a message to the view: driven with payloads directly as the MQTT
// subscriber would hand them over, and through a real broker (reported skipped where mosquitto is
// not installed).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "live_source.hpp"
#include "test_broker.hpp"
#include "test_wait.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

TEST_CASE("live messages show as twin states, reports and KPIs; a missing broker is no error") {
  const Scene& scene = viewer_test_scene();
  MqttOptions options;
  options.host = "127.0.0.1";
  options.port = 1;                    // nothing listens there
  LiveSource live(scene, options, 0);  // no reorder window: applied as they arrive
  const std::int64_t t0_ms = 1'795'680'000'000;
  const std::int64_t now_us = t0_ms * 1000;

  LineView view = layout_view(scene, ".");
  live.update(view);
  CHECK(view.elements[*scene.find("OP10")].state == ViewState::kUnknown);
  CHECK(!live.kpis());

  live.ingest("linetwin/OP10", R"({"ts": 1795680000000, "state": "producing"})", now_us);
  live.ingest("linetwin/OP20", R"({"ts": 1795680000000, "state": "idle"})", now_us);
  live.ingest("linetwin/OP10", R"({"ts": 1795680060000, "counter": "good", "value": 1})", now_us);
  live.ingest("linetwin/OP10", R"({"ts": 1795680090000, "state": "down", "reason": "jam"})",
              now_us);
  live.ingest("linetwin/OP10", R"({"ts": "not a time", "state": "down"})", now_us);
  CHECK(live.feed_stats().messages == 5);
  CHECK(live.feed_stats().faulty_messages == 1);

  live.update(view);
  CHECK(view.time_s == doctest::Approx(90.0));
  CHECK(view.elements[*scene.find("OP10")].state == ViewState::kDown);
  CHECK(view.elements[*scene.find("OP20")].state == ViewState::kStarved);
  CHECK(view.elements[*scene.find("B1")].state == ViewState::kPassive);

  std::vector<StationReport> reports;
  live.take_reports(reports);
  // One per sample that changed a station, at its time; the first counter reading is the
  // counter's baseline, which changes nothing.
  REQUIRE(reports.size() == 3);
  CHECK(reports[0].station == *scene.find("OP10"));
  CHECK(reports[0].activity == StationActivity::kWorking);
  CHECK(reports[0].time_s == 0.0);
  CHECK(reports[1].station == *scene.find("OP20"));
  CHECK(reports[1].activity == StationActivity::kIdle);
  CHECK(reports[2].station == *scene.find("OP10"));
  CHECK(reports[2].activity == StationActivity::kDown);
  CHECK(reports[2].time_s == doctest::Approx(90.0));
  CHECK(reports[2].good_total == 0);

  const std::optional<ReplicationResult> kpis = live.kpis();
  REQUIRE(kpis);
  // OP10 produced for 90 s of the 90 s observed, then went down at the end.
  CHECK(kpis->stations[0].working == doctest::Approx(1.0));

  live.advance(0.1);  // polls the absent broker: nothing arrives, nothing is thrown
  CHECK(!live.connected());
  CHECK(live.connection_status().starts_with("cannot connect to 127.0.0.1:1 "));
  CHECK(live.feed_stats().messages == 5);
}

TEST_CASE("live source: messages published to a real broker reach the view, frame by frame") {
  if (!test::TestBroker::available_or_skip()) return;
  const test::TempDir dir;
  const test::TestBroker broker(dir);
  REQUIRE(broker.ready());
  const Scene& scene = viewer_test_scene();
  MqttOptions options;
  options.host = "127.0.0.1";
  options.port = broker.port();
  options.qos = 1;
  options.client_id = "viewer-live-source-test";
  options.topic_prefix = "plant";
  LiveSource live(scene, options, 0);
  // Frames of 20 ms until the broker has the source's subscription: a message published before
  // would reach nobody.
  const auto frame = [&] {
    live.advance(0.02);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  REQUIRE(
      test::wait_until([&] { return broker.has_subscribed(options.client_id, "plant/#"); }, frame));
  REQUIRE(live.connected());
  CHECK(live.connection_status().starts_with("connected"));

  // OP10 works, then is down; OP20 waits. mosquitto_pub -l sends each line as one message.
  const std::string lines =
      dir.write("op10", R"({"ts": 1795680000000, "state": "producing"})"
                        "\n"
                        R"({"ts": 1795680030000, "state": "down", "reason": "jam"})"
                        "\n");
  const std::string mosquitto_pub =
      *test::TestBroker::publisher() + " -h 127.0.0.1 -p " + std::to_string(broker.port());
  const std::string publish = mosquitto_pub + " -q 1 -t plant/OP10 -l < " + lines;
  REQUIRE(std::system(publish.c_str()) == 0);
  const std::string idle =
      mosquitto_pub + R"( -q 1 -t plant/OP20 -m '{"ts": 1795680000000, "state": "idle"}')";
  REQUIRE(std::system(idle.c_str()) == 0);

  LineView view = layout_view(scene, ".");
  test::wait_until([&] { return live.feed_stats().messages >= 3; }, frame);
  REQUIRE(live.feed_stats().messages == 3);
  live.update(view);
  CHECK(view.elements[*scene.find("OP10")].state == ViewState::kDown);
  CHECK(view.elements[*scene.find("OP20")].state == ViewState::kStarved);
  CHECK(view.time_s == doctest::Approx(30.0));
  std::vector<StationReport> reports;
  live.take_reports(reports);
  CHECK(reports.size() == 3);
}
