// linetwin-publish: the plant's side of `linetwin live`, for tests, demonstrations and the live
// benchmark. It publishes telemetry to an MQTT broker as linetwin JSON messages
// (docs/telemetry-messages.md), one topic per machine, PREFIX/<machine id>:
//  - a recorded log (linetwin CSV, or an HDF5 recording), sample by sample or in batches of N
//    samples of one machine, at a given message rate or as fast as the broker takes them;
//  - or synthetic load for every station of a scene (--synthetic SCENE --duration 5s), each
//    sample stamped with the wall-clock time it is sent, so that the subscriber's "sample age"
//    is the publish-to-twin delay (bench/telemetry_live_bench.sh).
//
// One thread drives one libmosquitto client with mosquitto_loop(): with no network thread of the
// library's, mosquitto_publish() writes to the socket at once, one system call per message, and
// nothing is queued behind a wake-up. When the connection drops, publishing pauses; after the
// reconnect, --resend-on-reconnect N publishes the last N messages again, because a broker that
// crashed may have acknowledged messages that it never passed on. The twins drop what they
// already have as duplicates, so a resend costs nothing but bandwidth.
//
// Exit codes as linetwin's: 0 success, 2 bad input (flags, the log, a broker that cannot be
// reached within --connect-timeout or refuses us), 1 internal error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <mosquitto.h>
#include <CLI/CLI.hpp>

#include "cli_support.hpp"
#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "live/mqtt_message_writer.hpp"
#include "live/mqtt_subscriber.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace {

using namespace linetwin;
using Clock = std::chrono::steady_clock;

constexpr int kExitSuccess = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;

struct PublishOptions {
  std::string log;
  std::string synthetic_scene;
  std::string duration = "5s";
  std::string broker;
  std::string topic = "linetwin";
  int qos = 0;
  std::string client_id;
  std::string username;
  std::string password;
  std::size_t batch = 1;
  double rate = 0.0;
  std::size_t resend = 0;
  std::string connect_timeout = "10s";
  std::string json_path;
  bool quiet = false;
};

InputError bad_flag(const std::string& flag, const std::string& message) {
  return InputError({"", 0, 0, flag}, message);
}

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One libmosquitto client, driven from the calling thread only.
class Publisher {
 public:
  Publisher(const MqttOptions& options, bool quiet) : options_(options), quiet_(quiet) {
    mosquitto_lib_init();
    const std::string id = options.client_id.empty()
                               ? fmt::format("linetwin-publish-{}", ::getpid())
                               : options.client_id;
    client_ = mosquitto_new(id.c_str(), true, this);
    if (!client_) throw std::runtime_error("libmosquitto could not create a client");
    mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
    // Enough QoS 1 messages in flight that acknowledgements never throttle a loopback stream.
    mosquitto_int_option(client_, MOSQ_OPT_SEND_MAXIMUM, 1000);
    if (!options.username.empty()) {
      mosquitto_username_pw_set(client_, options.username.c_str(),
                                options.password.empty() ? nullptr : options.password.c_str());
    }
    mosquitto_connect_callback_set(client_, [](mosquitto*, void* self, int rc) {
      auto* p = static_cast<Publisher*>(self);
      p->connected_ = rc == 0;
      p->refused_ = rc == 0 ? "" : mosquitto_connack_string(rc);
    });
    mosquitto_disconnect_callback_set(client_, [](mosquitto*, void* self, int rc) {
      auto* p = static_cast<Publisher*>(self);
      p->connected_ = false;
      p->lost_reason_ = rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
    });
    mosquitto_publish_callback_set(client_, [](mosquitto*, void* self, int) {
      ++static_cast<Publisher*>(self)->acknowledged_;
    });
  }
  ~Publisher() {
    mosquitto_destroy(client_);
    mosquitto_lib_cleanup();
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  bool connected() const { return connected_; }
  std::uint64_t reconnects() const { return reconnects_; }

  // Connects, retrying with back-off; InputError once `timeout` has passed without a connection
  // or as soon as the broker refuses us.
  void connect(std::chrono::milliseconds timeout, bool first) {
    const Clock::time_point deadline = Clock::now() + timeout;
    std::chrono::milliseconds backoff(250);
    std::string reason;
    for (;;) {
      errno = 0;
      const int rc = first ? mosquitto_connect(client_, options_.host.c_str(), options_.port,
                                               options_.keepalive_s)
                           : mosquitto_reconnect(client_);
      first = false;
      if (rc == MOSQ_ERR_SUCCESS) {
        // Wait for the CONNACK.
        while (!connected_ && refused_.empty() && Clock::now() < deadline) {
          if (mosquitto_loop(client_, 50, 1) != MOSQ_ERR_SUCCESS) break;
        }
        if (connected_) return;
        reason = refused_.empty() ? lost_reason_ : refused_;
        if (!refused_.empty()) {
          throw bad_flag("--broker", fmt::format("the broker at {}:{} refused the connection: {}",
                                                 options_.host, options_.port, refused_));
        }
      } else {
        reason = rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
      }
      if (Clock::now() + backoff > deadline) {
        throw bad_flag("--broker", fmt::format("cannot connect to {}:{} ({})", options_.host,
                                               options_.port, reason));
      }
      if (!quiet_) {
        fmt::print(stderr, "linetwin-publish: cannot connect to {}:{} ({}); retrying in {:g} s\n",
                   options_.host, options_.port, reason,
                   std::chrono::duration<double>(backoff).count());
      }
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
  }

  // After a lost connection: reconnects (waiting as long as it takes) and counts it.
  void reconnect() {
    if (!quiet_) {
      fmt::print(stderr, "linetwin-publish: lost the connection to {}:{} ({}); reconnecting\n",
                 options_.host, options_.port, lost_reason_);
    }
    connect(std::chrono::hours(24 * 365), false);
    ++reconnects_;
    if (!quiet_) {
      fmt::print(stderr, "linetwin-publish: connected to {}:{} again\n", options_.host,
                 options_.port);
    }
  }

  // False when the connection is gone: the message was not sent.
  bool publish(const std::string& topic, const std::string& payload) {
    const int rc =
        mosquitto_publish(client_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                          payload.data(), options_.qos, false);
    if (rc == MOSQ_ERR_SUCCESS) {
      ++published_;
      return true;
    }
    if (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO) {
      connected_ = false;
      if (lost_reason_.empty()) lost_reason_ = mosquitto_strerror(rc);
      return false;
    }
    throw bad_flag("--topic",
                   fmt::format("cannot publish to '{}': {}", topic, mosquitto_strerror(rc)));
  }

  // Reads acknowledgements, writes what the socket would not take yet, and notices a lost
  // connection.
  void service(int timeout_ms) {
    if (connected_ && mosquitto_loop(client_, timeout_ms, 1) != MOSQ_ERR_SUCCESS) {
      connected_ = false;
    }
  }

  // With QoS 1, waits (up to `timeout`) until the broker has acknowledged every message; then
  // disconnects after everything written.
  void finish(std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (connected_ && Clock::now() < deadline &&
           (options_.qos == 1 ? acknowledged_ < published_ : mosquitto_want_write(client_))) {
      service(10);
    }
    if (connected_) {
      mosquitto_disconnect(client_);
      for (int i = 0; i < 20 && mosquitto_loop(client_, 10, 1) == MOSQ_ERR_SUCCESS; ++i) {
      }
    }
  }

 private:
  MqttOptions options_;
  bool quiet_;
  mosquitto* client_ = nullptr;
  bool connected_ = false;
  std::string refused_;
  std::string lost_reason_;
  std::uint64_t published_ = 0;
  std::uint64_t acknowledged_ = 0;
  std::uint64_t reconnects_ = 0;
};

struct Message {
  std::uint32_t machine = 0;
  std::uint32_t samples = 0;
  std::string payload;
};

// The log's samples as messages, in file order. Batches hold consecutive samples of one machine
// (a machine's samples keep their order; a batch goes out when it is full, and the unfinished
// ones at the end).
std::vector<Message> log_messages(const TelemetryLog& log, std::size_t batch) {
  MqttMessageWriter writer(log.names);
  std::vector<Message> messages;
  if (batch <= 1) {
    messages.reserve(log.samples.size());
    for (const TelemetrySample& sample : log.samples) {
      Message m{sample.machine, 1, {}};
      writer.write_sample(sample, m.payload);
      messages.push_back(std::move(m));
    }
    return messages;
  }
  std::vector<std::vector<TelemetrySample>> pending(log.names.machines().size());
  auto emit = [&](std::uint32_t machine) {
    Message m{machine, static_cast<std::uint32_t>(pending[machine].size()), {}};
    writer.write_batch(pending[machine], m.payload);
    messages.push_back(std::move(m));
    pending[machine].clear();
  };
  for (const TelemetrySample& sample : log.samples) {
    pending[sample.machine].push_back(sample);
    if (pending[sample.machine].size() == batch) emit(sample.machine);
  }
  for (std::uint32_t machine = 0; machine < pending.size(); ++machine) {
    if (!pending[machine].empty()) emit(machine);
  }
  return messages;
}

TelemetryLog read_log(const std::string& path) {
  const bool hdf5 = path.ends_with(".h5") || path.ends_with(".hdf5");
  return hdf5 ? read_recording(path).log : read_telemetry_csv(path);
}

struct Totals {
  std::uint64_t messages = 0;  // first sends
  std::uint64_t samples = 0;
  std::uint64_t resent = 0;
  double seconds = 0.0;
};

// Waits until message `index` is due at `rate` messages per second (0: at once), serving the
// connection meanwhile.
void pace(Publisher& publisher, Clock::time_point start, std::uint64_t index, double rate) {
  if (rate <= 0.0) return;
  const auto due = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(static_cast<double>(index) / rate));
  while (publisher.connected() && Clock::now() < due) {
    publisher.service(0);
    // Short sleeps: a burst of the few messages due since stays well under a millisecond.
    std::this_thread::sleep_for(
        std::min<Clock::duration>(due - Clock::now(), std::chrono::microseconds(200)));
  }
}

// A log, read and written as messages before connecting, so that a bad log fails at once.
struct LogMessages {
  std::vector<Message> messages;
  std::vector<std::string> topics;  // per machine of the log
};

LogMessages prepare_log(const PublishOptions& o) {
  const TelemetryLog log = read_log(o.log);
  LogMessages prepared{log_messages(log, o.batch), {}};
  const MqttMessageWriter writer(log.names);
  for (std::uint32_t m = 0; m < log.names.machines().size(); ++m) {
    prepared.topics.push_back(writer.topic(o.topic, m));
  }
  return prepared;
}

Totals publish_log(Publisher& publisher, const LogMessages& log, const PublishOptions& o) {
  const std::vector<Message>& messages = log.messages;
  const std::vector<std::string>& topics = log.topics;
  Totals totals;
  Clock::time_point start = Clock::now();
  std::size_t next = 0;       // the next message to send
  std::size_t first_new = 0;  // messages before this one went out once already
  while (next < messages.size()) {
    if (!publisher.connected()) {
      publisher.reconnect();
      const std::size_t back = std::min(next, o.resend);
      next -= back;
      // The schedule resumes from here, rather than catching up on the outage in a burst.
      start =
          Clock::now() - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                             o.rate > 0.0 ? static_cast<double>(next) / o.rate : 0.0));
      continue;
    }
    pace(publisher, start, next, o.rate);
    const Message& m = messages[next];
    if (!publisher.publish(topics[m.machine], m.payload)) continue;
    if (next < first_new) {
      ++totals.resent;
    } else {
      ++totals.messages;
      totals.samples += m.samples;
      first_new = next + 1;
    }
    ++next;
    if (next % 64 == 0) publisher.service(0);
  }
  return totals;
}

// Synthetic load: every station of the scene in turn sends a batch of samples (alternately a
// state change between producing and idle, and its good-parts counter going up), stamped with
// the wall clock when the message is written.
struct SyntheticLine {
  TelemetryNames names;
  std::vector<std::uint32_t> machines;  // the scene's stations
  std::vector<std::string> topics;      // per station
  std::uint16_t good = 0;
  double duration_s = 0.0;
};

std::unique_ptr<SyntheticLine> prepare_synthetic(const PublishOptions& o) {
  auto line = std::make_unique<SyntheticLine>();
  line->duration_s = cli::flag_wall_duration("--duration", o.duration, false);
  const Scene scene = load_scene_file(o.synthetic_scene);
  for (const ElementIndex e : scene.stations()) {
    line->machines.push_back(line->names.intern_machine(scene.element(e).id));
  }
  if (line->machines.empty()) {
    throw InputError({o.synthetic_scene, 0, 0, "--synthetic"},
                     "expected a scene with stations: their ids are the synthetic machines");
  }
  line->good = line->names.intern_name(kGoodPartsCounter);
  const MqttMessageWriter writer(line->names);
  for (const std::uint32_t m : line->machines)
    line->topics.push_back(writer.topic(o.topic, m));
  return line;
}

Totals publish_synthetic(Publisher& publisher, const SyntheticLine& line, const PublishOptions& o) {
  const std::vector<std::uint32_t>& machines = line.machines;
  const std::vector<std::string>& topics = line.topics;
  struct Machine {
    std::uint64_t sequence = 0;
    double good = 0.0;
    bool producing = false;
  };
  std::vector<Machine> state(machines.size());
  MqttMessageWriter writer(line.names);
  const double duration_s = line.duration_s;
  Totals totals;
  std::vector<TelemetrySample> batch(std::max<std::size_t>(o.batch, 1));
  std::string payload;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(duration_s));
  std::uint64_t index = 0;
  while (Clock::now() < end) {
    if (!publisher.connected()) {
      publisher.reconnect();
      continue;
    }
    pace(publisher, start, index, o.rate);
    const std::size_t which = index % machines.size();
    Machine& s = state[which];
    const std::int64_t now_us = wall_now_us();
    for (std::size_t k = 0; k < batch.size(); ++k) {
      TelemetrySample& sample = batch[k];
      sample = TelemetrySample{};
      // A batch's samples are a microsecond apart, the newest stamped now.
      sample.timestamp_us = now_us - static_cast<std::int64_t>(batch.size() - 1 - k);
      sample.sequence = ++s.sequence;
      sample.machine = machines[which];
      if (s.sequence % 2 == 1) {
        s.producing = !s.producing;
        sample.kind = SampleKind::kState;
        sample.state = s.producing ? MachineState::kProducing : MachineState::kIdle;
      } else {
        s.good += 1.0;
        sample.kind = SampleKind::kCounter;
        sample.name = line.good;
        sample.value = s.good;
      }
    }
    if (batch.size() == 1) {
      writer.write_sample(batch.front(), payload);
    } else {
      writer.write_batch(batch, payload);
    }
    if (!publisher.publish(topics[which], payload)) continue;
    ++totals.messages;
    totals.samples += batch.size();
    ++index;
    if (index % 64 == 0) publisher.service(0);
  }
  return totals;
}

int run(const PublishOptions& o) {
  if (o.log.empty() == o.synthetic_scene.empty()) {
    throw bad_flag("--synthetic", "expected either a LOG to publish or --synthetic SCENE");
  }
  MqttOptions options;
  parse_mqtt_broker(o.broker, false, "--broker", options);
  options.topic_prefix = o.topic;
  options.qos = o.qos;
  options.client_id = o.client_id;
  options.username = o.username;
  options.password = o.password;
  if (o.topic.empty() || o.topic.find_first_of("+#") != std::string::npos) {
    throw bad_flag("--topic", fmt::format("expected a topic prefix without wildcards (+ #), "
                                          "found '{}'",
                                          o.topic));
  }
  if (!o.json_path.empty() && o.json_path != "-") {
    std::ofstream probe(o.json_path, std::ios::app);
    if (!probe) throw InputError({o.json_path, 0, 0, "--json"}, "cannot write the summary file");
  }
  const auto connect_timeout = std::chrono::milliseconds(std::llround(
      cli::flag_wall_duration("--connect-timeout", o.connect_timeout, false) * 1000.0));

  std::optional<LogMessages> log;
  std::unique_ptr<SyntheticLine> synthetic;
  if (o.log.empty()) {
    synthetic = prepare_synthetic(o);
  } else {
    log = prepare_log(o);
  }

  Publisher publisher(options, o.quiet);
  publisher.connect(connect_timeout, true);
  const Clock::time_point start = Clock::now();
  Totals totals =
      synthetic ? publish_synthetic(publisher, *synthetic, o) : publish_log(publisher, *log, o);
  totals.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  publisher.finish(std::chrono::seconds(10));

  const std::string summary = fmt::format(
      "{{\"messages\": {}, \"samples\": {}, \"resent\": {}, \"seconds\": {}, "
      "\"messages_per_s\": {}, \"samples_per_s\": {}, \"reconnects\": {}, \"qos\": {}}}\n",
      totals.messages, totals.samples, totals.resent, totals.seconds,
      static_cast<double>(totals.messages) / totals.seconds,
      static_cast<double>(totals.samples) / totals.seconds, publisher.reconnects(), o.qos);
  if (o.json_path == "-") {
    std::cout << summary;
  } else if (!o.json_path.empty()) {
    std::ofstream(o.json_path, std::ios::trunc) << summary;
  }
  if (!o.quiet) {
    fmt::print(stderr,
               "linetwin-publish: {} messages ({} samples) in {:.3f} s, {:.0f} messages/s; {} "
               "resent after {} reconnects\n",
               totals.messages, totals.samples, totals.seconds,
               static_cast<double>(totals.messages) / totals.seconds, totals.resent,
               publisher.reconnects());
  }
  return kExitSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  PublishOptions o;
  CLI::App app{
      "linetwin-publish: publish telemetry to an MQTT broker as linetwin JSON messages, one "
      "topic per machine (PREFIX/<machine id>): a recorded log, or synthetic load for a scene's "
      "stations.\nExit codes: 0 success, 2 bad input or an unreachable broker, 1 internal error.",
      "linetwin-publish"};
  app.add_option("LOG", o.log,
                 "Telemetry log to publish: linetwin CSV, or an HDF5 recording (.h5)");
  app.add_option("--synthetic", o.synthetic_scene,
                 "Instead of a log, synthetic samples for every station of this scene, stamped "
                 "with their send time");
  app.add_option("--duration", o.duration, "With --synthetic: how long to publish (default 5s)");
  app.add_option("--broker", o.broker, "Broker as HOST:PORT (port default 1883)")->required();
  app.add_option("--topic", o.topic, "Topic prefix: messages go to PREFIX/<machine id>");
  app.add_option("--qos", o.qos, "0 (default) or 1")->check(CLI::IsMember({0, 1}));
  app.add_option("--client-id", o.client_id, "MQTT client id (default: one per process)");
  auto* username = app.add_option("--username", o.username, "User name for the broker");
  app.add_option("--password", o.password, "Password for the broker")->needs(username);
  app.add_option("--batch", o.batch,
                 "Samples per message: batches of one machine's consecutive samples (default 1)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
  app.add_option("--rate", o.rate, "Messages per second (default 0: as fast as possible)")
      ->check(cli::finite_validator())
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--resend-on-reconnect", o.resend,
                 "After a reconnect, publish the last N messages again (default 0)");
  app.add_option("--connect-timeout", o.connect_timeout,
                 "Give up if the broker cannot be reached within this time (default 10s)");
  app.add_option("--json", o.json_path, "Write a summary (counts, rates) as JSON to FILE or -");
  app.add_flag("-q,--quiet", o.quiet, "No progress or summary on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitSuccess : kExitBadInput;
  }
  try {
    return run(o);
  } catch (const InputError& e) {
    fmt::print(stderr, "linetwin-publish: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "linetwin-publish: internal error: {}\n", e.what());
    return kExitInternal;
  }
}
