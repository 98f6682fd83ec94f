// The live MQTT path in process: messages written by MqttMessageWriter decode to the very same
// samples; MqttTwinFeed counts faults by kind and leaves the twins alone, reorders and flushes;
// the age of each sample applied; broker addresses; MqttSubscriber's option checks, its
// back-off against an unreachable port, and a stream through a real broker to a slow consumer
// (reported skipped where mosquitto is not installed). The end-to-end acceptance tests with
// processes and brokers are the live_*_test.py scripts next to this file.
//
// Times are worked out by hand: 2024-03-04T06:00:00Z is 1,709,532,000 s after the epoch
// (`date -u -d 2024-03-04T06:00:00Z +%s`).
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "live/mqtt_message_writer.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/message_decoder.hpp"
#include "test_broker.hpp"
#include "test_files.hpp"
#include "test_wait.hpp"

namespace linetwin {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t k0600 = 1'709'532'000 * kSecond;  // 2024-03-04T06:00:00Z

constexpr const char* kTwoStations = R"(
linetwin_scene: 1
name: two stations
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 60s, to: B1}
  - {id: B1, type: buffer, capacity: 2, to: OP20}
  - {id: OP20, type: station, processing: 60s, to: done}
  - {id: done, type: sink}
)";

TelemetrySample state_sample(std::uint32_t machine, std::int64_t at_us, std::uint64_t sequence,
                             MachineState state, std::uint16_t reason = 0) {
  TelemetrySample s;
  s.timestamp_us = at_us;
  s.sequence = sequence;
  s.machine = machine;
  s.kind = SampleKind::kState;
  s.state = state;
  s.name = reason;
  return s;
}

TelemetrySample reading(SampleKind kind, std::uint32_t machine, std::int64_t at_us,
                        std::uint64_t sequence, std::uint16_t name, double value) {
  TelemetrySample s;
  s.timestamp_us = at_us;
  s.sequence = sequence;
  s.machine = machine;
  s.kind = kind;
  s.name = name;
  s.value = value;
  return s;
}

void check_same(const TelemetrySample& a, const TelemetrySample& b) {
  CHECK(a.timestamp_us == b.timestamp_us);
  CHECK(a.sequence == b.sequence);
  CHECK(a.machine == b.machine);
  CHECK(a.kind == b.kind);
  CHECK(a.state == b.state);
  CHECK(a.name == b.name);
  // Bit for bit: the writer must print the shortest text that reads back to the same double.
  CHECK(std::memcmp(&a.value, &b.value, sizeof(double)) == 0);
}

}  // namespace

TEST_CASE("live MQTT, MqttMessageWriter: the decoder reads back the very samples written") {
  TelemetryNames names;
  const std::uint32_t op10 = names.intern_machine("OP10");
  const std::uint32_t odd = names.intern_machine(R"(cell "7"\press)");
  const std::uint16_t jam = names.intern_name("jam");
  const std::uint16_t good = names.intern_name("good");
  const std::uint16_t temp = names.intern_name("spindle temp °C");
  MqttMessageWriter writer(names);
  MessageDecoder decoder(names);

  SUBCASE("one sample: the text as docs/telemetry-messages.md shows it") {
    std::string payload;
    writer.write_sample(state_sample(op10, k0600 + 123, 7, MachineState::kDown, jam), payload);
    CHECK(payload ==
          R"({"machine":"OP10","ts":1709532000000.123,"seq":7,"state":"down","reason":"jam"})");
    writer.write_sample(reading(SampleKind::kCounter, op10, k0600, 0, good, 17.0), payload);
    CHECK(payload == R"({"machine":"OP10","ts":1709532000000,"counter":"good","value":17})");
  }

  const std::vector<TelemetrySample> samples = {
      state_sample(op10, k0600, 1, MachineState::kProducing),
      state_sample(op10, k0600 + 1, 2, MachineState::kDown, jam),
      state_sample(op10, k0600 + 999'999, 3, MachineState::kOffShift),
      reading(SampleKind::kCounter, op10, k0600 + 1'000'001, 4, good, 123456789.0),
      reading(SampleKind::kSensor, op10, k0600 + 2 * kSecond, 0, temp, 0.1),
      reading(SampleKind::kSensor, op10, k0600 + 3 * kSecond, 5, temp, -1e-300),
      reading(SampleKind::kSensor, op10, k0600 + 4 * kSecond,
              std::numeric_limits<std::uint64_t>::max(), temp, 6.02214076e23),
      state_sample(odd, k0600 + 5 * kSecond, 1, MachineState::kIdle),
  };

  SUBCASE("one message per sample, names that need JSON escapes included") {
    std::string payload;
    for (const TelemetrySample& sample : samples) {
      std::vector<TelemetrySample> out;
      writer.write_sample(sample, payload);
      const DecodeResult result = decoder.decode("linetwin/x", payload, out);
      REQUIRE_MESSAGE(result.fault == MessageFault::kNone, payload, " -> ", result.detail);
      REQUIRE(out.size() == 1);
      check_same(out.front(), sample);
    }
  }

  SUBCASE("a batch of one machine names it once; a gateway's batch names each sample's") {
    std::string payload;
    const std::span<const TelemetrySample> one_machine(samples.data(), samples.size() - 1);
    writer.write_batch(one_machine, payload);
    CHECK(payload.rfind(R"({"machine":"OP10","samples":[{"ts":)", 0) == 0);
    for (const auto& batch : {one_machine, std::span<const TelemetrySample>(samples)}) {
      writer.write_batch(batch, payload);
      std::vector<TelemetrySample> out;
      const DecodeResult result = decoder.decode("linetwin/gateway", payload, out);
      REQUIRE_MESSAGE(result.fault == MessageFault::kNone, result.detail);
      REQUIRE(out.size() == batch.size());
      for (std::size_t i = 0; i < out.size(); ++i)
        check_same(out[i], batch[i]);
    }
  }

  CHECK(writer.topic("plant/line1", op10) == "plant/line1/OP10");
}

TEST_CASE("live MQTT, parse_mqtt_broker: HOST, HOST:PORT and [IPv6]:PORT") {
  MqttOptions o;
  parse_mqtt_broker("broker.plant.local", false, "--broker", o);
  CHECK(o.host == "broker.plant.local");
  CHECK(o.port == 1883);
  parse_mqtt_broker("broker.plant.local", true, "--broker", o);
  CHECK(o.port == 8883);
  parse_mqtt_broker("10.0.0.5:18830", false, "--broker", o);
  CHECK(o.host == "10.0.0.5");
  CHECK(o.port == 18830);
  parse_mqtt_broker("[::1]:1884", false, "--broker", o);
  CHECK(o.host == "::1");
  CHECK(o.port == 1884);
  parse_mqtt_broker("[fe80::1]", true, "--broker", o);
  CHECK(o.host == "fe80::1");
  CHECK(o.port == 8883);
  for (const char* bad : {"", ":1883", "host:", "host:0", "host:65536", "host:18x", "::1:1883",
                          "[::1", "[::1]1883"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_mqtt_broker(bad, false, "--broker", o), InputError);
  }
}

TEST_CASE("live MQTT, MqttTwinFeed: bad messages are counted by kind and change no twin") {
  const Scene scene = load_scene_text(kTwoStations, "two.yaml");
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, 0);
  const std::int64_t now = k0600 + 10 * kSecond;

  REQUIRE(
      feed.ingest("linetwin/OP10", R"({"ts":"2024-03-04T06:00:00Z","seq":1,"state":"down"})", now)
          .fault == MessageFault::kNone);
  const struct {
    const char* topic;
    const char* payload;
    MessageFault fault;
  } bad[] = {
      {"linetwin/OP10", R"({"ts":"2024-03-04T06:00:05Z","state":"produc)", MessageFault::kSyntax},
      {"linetwin/OP99", R"({"ts":"2024-03-04T06:00:05Z","state":"idle"})",
       MessageFault::kUnknownMachine},
      {"linetwin/OP10", R"({"ts":"2024-03-04T06:00:05Z","counter":"good","value":"3"})",
       MessageFault::kWrongType},
      {"linetwin/OP10", R"({"ts":"2024-03-04T06:00:05Z","state":"asleep"})",
       MessageFault::kBadState},
      {"linetwin/OP10", R"({"ts":"06:00:05","state":"idle"})", MessageFault::kBadTimestamp},
      {"linetwin/OP10", R"({"ts":"2024-03-04T06:00:05Z"})", MessageFault::kMissingField},
  };
  for (const auto& message : bad) {
    CAPTURE(message.payload);
    CHECK(feed.ingest(message.topic, message.payload, now).fault == message.fault);
    CHECK(feed.decoded().empty());
  }
  const std::string oversized =
      R"({"ts":"2024-03-04T06:00:05Z","state":"idle","x":")" + std::string(300'000, 'x') + "\"}";
  CHECK(feed.ingest("linetwin/OP10", oversized, now).fault == MessageFault::kOversized);

  const MqttFeedStats& s = feed.stats();
  CHECK(s.messages == 8);
  CHECK(s.faulty_messages == 7);
  CHECK(s.samples == 1);
  CHECK(s.faults[static_cast<int>(MessageFault::kWrongType)] == 1);
  CHECK(s.faults[static_cast<int>(MessageFault::kOversized)] == 1);
  CHECK(s.faults[static_cast<int>(MessageFault::kNone)] == 0);
  const std::uint32_t op10 = static_cast<std::uint32_t>(twins.names().find_machine("OP10"));
  CHECK(twins.twin(op10).state() == MachineState::kDown);
  CHECK(twins.twin(op10).state_since_us() == k0600);
  CHECK(twins.counts().applied == 1);
  // Applied 10 s after its timestamp: its age.
  CHECK(s.age_s.count() == 1);
  CHECK(s.age_s.max() == 10.0);
}

TEST_CASE("live MQTT, MqttTwinFeed: the reorder window puts samples back in time order") {
  const Scene scene = load_scene_text(kTwoStations, "two.yaml");
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, 2 * kSecond);
  const std::uint32_t op10 = static_cast<std::uint32_t>(twins.names().find_machine("OP10"));
  // 06:00:01 arrives before 06:00:00, both within the 2 s window: neither is out of order.
  feed.ingest("linetwin/OP10", R"({"ts":"2024-03-04T06:00:01Z","seq":2,"state":"idle"})", 0);
  feed.ingest("linetwin/OP10", R"({"ts":"2024-03-04T06:00:00Z","seq":1,"state":"producing"})", 0);
  CHECK(feed.held() == 2);
  CHECK(twins.counts().applied == 0);
  // 06:00:03 releases everything up to 06:00:01.
  feed.ingest("linetwin/OP10", R"({"ts":"2024-03-04T06:00:03Z","seq":3,"state":"down"})", 0);
  CHECK(feed.held() == 1);
  CHECK(twins.counts().applied == 2);
  CHECK(twins.twin(op10).state() == MachineState::kIdle);
  // Later than the window allows: applied at once, and refused by the twin as out of order.
  feed.ingest("linetwin/OP10", R"({"ts":"2024-03-04T06:00:00.5Z","seq":9,"state":"setup"})", 0);
  CHECK(twins.counts().out_of_order == 1);
  feed.flush(0);
  CHECK(feed.held() == 0);
  CHECK(twins.twin(op10).state() == MachineState::kDown);
  CHECK(twins.twin(op10).state_since_us() == k0600 + 3 * kSecond);
  CHECK(twins.counts().applied == 3);
}

TEST_CASE("live MQTT, MqttSubscriber: options are checked before anything connects") {
  const auto rejects = [](MqttOptions o, const std::string& field) {
    CAPTURE(field);
    try {
      MqttSubscriber subscriber(std::move(o));
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.where().field_path == field);
    }
  };
  MqttOptions o;
  o.port = 1;
  MqttOptions bad = o;
  bad.port = 0;
  rejects(bad, "port");
  bad = o;
  bad.qos = 2;
  rejects(bad, "qos");
  bad = o;
  bad.qos = 1;  // without a client id the broker cannot keep the session
  rejects(bad, "client_id");
  bad = o;
  bad.topic_prefix = "plant/+";
  rejects(bad, "topic_prefix");
  bad = o;
  bad.password = "secret";
  rejects(bad, "username");
  bad = o;
  bad.tls.ca_file = "/nonexistent/ca.pem";
  rejects(bad, "tls.ca_file");
  bad = o;
  bad.tls.cert_file = "client.pem";
  rejects(bad, "tls.cert_file");
}

TEST_CASE("live MQTT, MqttSubscriber: an unreachable broker is retried with doubling back-off") {
  MqttOptions o;
  o.host = "127.0.0.1";
  o.port = test::unused_port();
  o.reconnect_min = std::chrono::milliseconds(20);
  o.reconnect_max = std::chrono::milliseconds(80);
  MqttSubscriber subscriber(o);
  std::vector<std::chrono::milliseconds> delays;
  test::wait_until([&] { return delays.size() >= 5; },
                   [&] {
                     subscriber.poll(
                         std::chrono::milliseconds(50),
                         [](std::string_view, std::string_view) { FAIL("message"); },
                         [&](const MqttConnectionEvent& e) {
                           CHECK(e.kind == MqttConnectionEvent::Kind::kConnectFailed);
                           CHECK(e.reason == "Connection refused");
                           delays.push_back(e.retry_in);
                         });
                   });
  using std::chrono::milliseconds;
  CHECK(delays == std::vector{milliseconds(20), milliseconds(40), milliseconds(80),
                              milliseconds(80), milliseconds(80)});
  CHECK(subscriber.counters().failed_attempts >= 5);
  CHECK(subscriber.counters().connects == 0);
}

TEST_CASE("live MQTT, MqttSubscriber: request_stop() from another thread ends a poll at once") {
  MqttOptions o;
  o.host = "127.0.0.1";
  o.port = test::unused_port();
  o.reconnect_min = std::chrono::seconds(30);  // a long back-off wait after the first failure
  o.reconnect_max = std::chrono::seconds(30);
  MqttSubscriber subscriber(o);
  // The stopper waits for the first failed attempt: from then on poll() is in its back-off wait.
  std::mutex mutex;
  std::condition_variable failed;
  int failures = 0;
  std::chrono::steady_clock::time_point stop_requested_at;
  std::thread stopper([&] {
    std::unique_lock lock(mutex);
    failed.wait(lock, [&] { return failures > 0; });
    stop_requested_at = std::chrono::steady_clock::now();
    subscriber.request_stop();
  });
  subscriber.poll(
      std::chrono::seconds(20), [](std::string_view, std::string_view) {},
      [&](const MqttConnectionEvent&) {
        const std::lock_guard lock(mutex);
        ++failures;
        failed.notify_one();
      });
  const auto returned_at = std::chrono::steady_clock::now();
  stopper.join();
  CHECK(failures == 1);
  CHECK(returned_at - stop_requested_at < std::chrono::milliseconds(500));
  subscriber.stop();
  subscriber.stop();  // a second stop is harmless
  CHECK(subscriber.poll(std::chrono::seconds(1), {}, {}) == 0);
}

TEST_CASE(
    "live MQTT, MqttSubscriber: a stream through a real broker arrives whole and in order, "
    "also when the consumer is slower than the network") {
  if (!test::TestBroker::available_or_skip()) return;
  const test::TempDir dir;
  const test::TestBroker broker(dir);
  REQUIRE(broker.ready());
  MqttOptions o;
  o.host = "127.0.0.1";
  o.port = broker.port();
  o.qos = 1;
  o.client_id = "live-mqtt-test";
  o.topic_prefix = "plant";
  MqttSubscriber subscriber(o);
  bool connected = false;
  // Polled until the broker has the subscription: a message published before would reach nobody.
  REQUIRE(test::wait_until([&] { return broker.has_subscribed(o.client_id, "plant/#"); },
                           [&] {
                             subscriber.poll(
                                 std::chrono::milliseconds(50),
                                 [](std::string_view, std::string_view) {},
                                 [&](const MqttConnectionEvent& e) {
                                   connected = e.kind == MqttConnectionEvent::Kind::kConnected;
                                 });
                           }));
  REQUIRE(connected);

  // mosquitto_pub -l sends each line of its input as one message.
  constexpr int kMessages = 2000;
  const std::string lines_path = dir.write("lines", [] {
    std::string text;
    for (int i = 0; i < kMessages; ++i)
      text += std::to_string(i) + "\n";
    return text;
  }());
  const std::string command = *test::TestBroker::publisher() + " -h 127.0.0.1 -p " +
                              std::to_string(broker.port()) + " -q 1 -t plant/OP10 -l < " +
                              lines_path;
  REQUIRE(std::system(command.c_str()) == 0);

  std::vector<int> received;
  test::wait_until([&] { return received.size() >= kMessages; },
                   [&] {
                     subscriber.poll(
                         std::chrono::milliseconds(50),
                         [&](std::string_view topic, std::string_view payload) {
                           CHECK(topic == "plant/OP10");
                           received.push_back(std::stoi(std::string(payload)));
                           // A slow consumer: the socket is not read meanwhile, and TCP makes
                           // the broker wait.
                           if (received.size() % 100 == 0) {
                             std::this_thread::sleep_for(std::chrono::milliseconds(5));
                           }
                         },
                         [](const MqttConnectionEvent&) {});
                   });
  REQUIRE(received.size() == kMessages);
  for (int i = 0; i < kMessages; ++i) {
    if (received[static_cast<std::size_t>(i)] != i) {
      FAIL("message " << i << " arrived as " << received[static_cast<std::size_t>(i)]);
    }
  }
  CHECK(subscriber.counters().messages == kMessages);
  CHECK(subscriber.counters().connects == 1);
  CHECK(subscriber.counters().disconnects == 0);
  subscriber.stop();
  CHECK_FALSE(subscriber.counters().connected);
}

}  // namespace linetwin
