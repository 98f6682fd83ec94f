// `linetwin live SCENE --broker HOST:PORT`: the scene's twins fed by telemetry from an MQTT
// broker, until a signal, a quiet spell (--until-idle) or a sample count (--max-samples); then
// the twins' KPIs and the ingestion counters as JSON (the replay command's schema plus an
// "ingestion" object), so that a live session and a replay of the same telemetry compare field
// by field. With --drift, every sample applied is also checked against the model's prediction
// bands (drift_options.hpp), and the report gains a "drift" object. With --write-state, the line's
// state as the twins estimate it at the newest sample is written as a snapshot file, which a
// what-if run starts from (docs/snapshots.md). docs/live-telemetry.md is the manual.
//
// One thread does everything: it polls the subscriber (mqtt_subscriber.hpp), which reads the
// socket and hands each message straight to MqttTwinFeed (decode, reorder, apply), and between
// polls it checks signals, timers and limits. A signal handler only sets a flag, so stopping is
// an ordinary return from the loop: unsubscribe (taking what still arrives), disconnect, flush
// the reorder window, write the results.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "core/duration.hpp"
#include "core/quantile_histogram.hpp"
#include "core/timestamp.hpp"
#include "drift_options.hpp"
#include "io/scene_file.hpp"
#include "io/snapshot_file.hpp"
#include "live/mqtt_live_report.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/drift_report.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/twin_report.hpp"

namespace linetwin::cli {
namespace {

struct LiveOptions {
  std::string scene;
  std::string broker;
  std::string topic = "linetwin";
  int qos = 0;
  std::string client_id;
  std::string username;
  std::string password;
  std::string password_file;
  std::string tls_ca;
  std::string tls_capath;
  std::string tls_cert;
  std::string tls_key;
  bool tls_insecure = false;
  std::string reorder_window = "500ms";
  std::string report_every = "10s";
  std::optional<std::string> until_idle;
  std::optional<std::string> connect_timeout;
  std::optional<std::uint64_t> max_samples;
  std::string json_path;
  std::string csv_path;
  std::string record_path;
  std::string state_path;
  bool count_only = false;
  bool quiet = false;
  DriftOptions drift;
};

// Set by the signal handler, read by the loop. A lock-free atomic is async-signal-safe.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) {
  g_stop_signal.store(signal_number);
}

// SIGINT and SIGTERM ask the loop to stop; SA_RESETHAND makes a second one kill at once, for a
// user whose broker hangs the goodbye. The old handlers come back when the command returns.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal.store(0);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
    // A broker that closes the socket under a write must give an error, not kill us.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGPIPE, &old_pipe_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_pipe_ {};
};

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The session's recording (--record), made in place (RecordingInPlace) and flushed every second,
// so that a crash keeps it. A session that fails keeps it too once it holds samples, which cannot
// be had again; one that fails before any (a broker refused or never reached, a recording
// refused) leaves the path as it was.
class SessionRecording {
 public:
  SessionRecording(const std::string& path, const RecordingMetadata& metadata,
                   const TelemetryNames& names)
      : path_(path), file_(path, "--record"), writer_(path, metadata, names) {}
  ~SessionRecording() {
    if (closed_ || writer_.samples_appended() == 0) return;  // file_ then restores the path
    try {
      writer_.close();
    } catch (...) {  // the error being reported comes first; the file holds the last flush
    }
    file_.keep();
    fmt::print(stderr, "linetwin live: {} keeps the {} samples recorded before the error\n", path_,
               writer_.samples_appended());
  }
  SessionRecording(const SessionRecording&) = delete;
  SessionRecording& operator=(const SessionRecording&) = delete;

  RecordingWriter& writer() { return writer_; }
  void close() {
    closed_ = true;
    writer_.close();
    file_.keep();
  }

 private:
  std::string path_;
  RecordingInPlace file_;  // before the writer: destroyed after it has closed the file
  RecordingWriter writer_;
  bool closed_ = false;
};

InputError bad_flag(const std::string& flag, const std::string& message) {
  return InputError({"", 0, 0, flag}, message);
}

std::string read_password_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw InputError({path, 0, 0, "--password-file"},
                     fmt::format("cannot read the password file: {}", std::strerror(errno)));
  }
  std::string password;
  std::getline(file, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    throw InputError({path, 1, 0, "--password-file"},
                     "expected the password on the first line, found an empty line");
  }
  return password;
}

void check_readable(const std::string& path, const std::string& flag) {
  if (path.empty()) return;
  std::ifstream file(path);
  if (!file) {
    throw InputError({path, 0, 0, flag}, fmt::format("cannot read: {}", std::strerror(errno)));
  }
}

MqttOptions mqtt_options(const LiveOptions& o) {
  MqttOptions m;
  const bool tls = !o.tls_ca.empty() || !o.tls_capath.empty();
  parse_mqtt_broker(o.broker, tls, "--broker", m);
  check_mqtt_topic_prefix(o.topic, "--topic");
  m.topic_prefix = o.topic;
  m.qos = o.qos;
  // QoS 1 needs the same client id on every start for the broker to keep the session; a
  // count-only probe gets its own so that it never takes the twin's session over.
  m.client_id = o.client_id;
  if (m.client_id.empty() && o.qos == 1) {
    m.client_id = fmt::format("linetwin-{}-{}", o.count_only ? "count" : "live", o.topic);
  }
  m.username = o.username;
  m.password = o.password_file.empty() ? o.password : read_password_file(o.password_file);
  if (!m.password.empty() && m.username.empty()) {
    throw bad_flag(o.password_file.empty() ? "--password" : "--password-file",
                   "a password needs --username");
  }
  if (!tls && (!o.tls_cert.empty() || o.tls_insecure)) {
    throw bad_flag(o.tls_insecure ? "--tls-insecure" : "--tls-cert",
                   "TLS needs --tls-ca FILE or --tls-capath DIR: the CA certificates to trust");
  }
  check_readable(o.tls_ca, "--tls-ca");
  check_readable(o.tls_cert, "--tls-cert");
  check_readable(o.tls_key, "--tls-key");
  m.tls.ca_file = o.tls_ca;
  m.tls.ca_dir = o.tls_capath;
  m.tls.cert_file = o.tls_cert;
  m.tls.key_file = o.tls_key;
  m.tls.insecure = o.tls_insecure;
  return m;
}

// The session's times are on the wall clock, which bounds them (flag_wall_duration).
std::chrono::milliseconds duration_flag(const std::string& flag, const std::string& text,
                                        bool allow_zero) {
  return std::chrono::milliseconds(
      std::llround(flag_wall_duration(flag, text, allow_zero) * 1000.0));
}

// Status line for a person at a terminal; CI logs get none (see ProgressBar for the same rule).
bool status_wanted(bool quiet) {
  return !quiet && isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr;
}

int live_command(const LiveOptions& o) {
  const MqttOptions options = mqtt_options(o);
  const auto reorder_window = duration_flag("--reorder-window", o.reorder_window, true);
  const auto report_every = duration_flag("--report-every", o.report_every, false);
  // Zero: not given.
  const std::chrono::milliseconds until_idle =
      o.until_idle ? duration_flag("--until-idle", *o.until_idle, false)
                   : std::chrono::milliseconds(0);
  const std::chrono::milliseconds connect_timeout =
      o.connect_timeout ? duration_flag("--connect-timeout", *o.connect_timeout, false)
                        : std::chrono::milliseconds(0);
  if (o.json_path == "-" && o.csv_path == "-") {
    throw bad_flag("--csv", "expected at most one of --json and --csv to write to standard output");
  }
  check_one_stdout(
      {{"--json", o.json_path}, {"--csv", o.csv_path}, {"--write-state", o.state_path}});
  check_can_replace(o.json_path, "--json");
  check_can_replace(o.csv_path, "--csv");
  check_can_replace(o.state_path, "--write-state");
  check_can_record(o.record_path);
  check_distinct_outputs({{"--json", o.json_path},
                          {"--csv", o.csv_path},
                          {"--record", o.record_path},
                          {"--write-state", o.state_path}});
  const Scene scene = load_scene_file(o.scene);

  LineTwins twins(scene);
  MqttTwinFeed feed(twins, reorder_window.count() * 1000);
  // Before subscribing: the bands take a moment, and messages would wait for them meanwhile.
  const std::unique_ptr<DriftWatch> drift =
      make_drift_watch(o.drift, scene, twins.names(), "live", o.quiet);
  std::size_t drift_alerts_shown = 0;
  if (drift) feed.observe_applied([&](const TelemetrySample& sample) { drift->observe(sample); });
  std::optional<SessionRecording> recorder;
  if (!o.record_path.empty()) {
    RecordingMetadata metadata;
    metadata.source = RecordingSource::kLive;
    metadata.scene_file = o.scene;
    std::ifstream scene_file(o.scene);
    std::ostringstream scene_text;
    scene_text << scene_file.rdbuf();
    metadata.scene_text = scene_text.str();
    metadata.start_time_us = wall_now_us();
    recorder.emplace(o.record_path, metadata, twins.names());
  }

  const StopSignals signals;
  MqttSubscriber subscriber(options);
  if (!o.quiet) {
    fmt::print(stderr, "linetwin live: {} twins, subscribing to {} at {}:{} (QoS {})\n",
               twins.size(), subscriber.topic_filter(), options.host, options.port, options.qos);
  }

  using Clock = std::chrono::steady_clock;
  const Clock::time_point started = Clock::now();
  Clock::time_point last_activity = started;  // a message, or the (re)connection
  Clock::time_point last_message = started;
  Clock::time_point next_report = started + report_every;
  bool connected = false;
  bool ever_connected = false;
  bool hinted = false;  // about retrying without --connect-timeout
  std::uint64_t messages_at_report = 0;
  std::string last_failure;
  std::optional<std::string> refused;
  constexpr std::uint64_t kFaultsShownPerKind = 3;
  const bool show_status = status_wanted(o.quiet);

  const MqttSubscriber::MessageHandler on_message = [&](std::string_view topic,
                                                        std::string_view payload) {
    last_message = Clock::now();
    if (o.count_only) {
      feed.count(payload.size(), wall_now_us());
      return;
    }
    const DecodeResult& verdict = feed.ingest(topic, payload, wall_now_us());
    if (drift) print_new_drift_alerts(*drift, drift_alerts_shown, "live");
    if (verdict.fault != MessageFault::kNone) {
      const std::uint64_t seen = feed.stats().faults[static_cast<std::size_t>(verdict.fault)];
      if (!o.quiet && seen <= kFaultsShownPerKind) {
        fmt::print(
            stderr, "linetwin live: message on '{}' refused ({}): {}{}\n", topic,
            message_fault_name(verdict.fault), verdict.detail,
            seen == kFaultsShownPerKind ? " (further ones of this kind are only counted)" : "");
      }
    } else if (recorder) {
      recorder->writer().append(feed.decoded());
    }
  };
  const MqttSubscriber::EventHandler on_event = [&](const MqttConnectionEvent& event) {
    switch (event.kind) {
      case MqttConnectionEvent::Kind::kConnected:
        connected = true;
        ever_connected = true;
        last_activity = Clock::now();
        break;
      case MqttConnectionEvent::Kind::kDisconnected:
      case MqttConnectionEvent::Kind::kConnectFailed:
        connected = false;
        last_failure = event.reason;
        break;
      case MqttConnectionEvent::Kind::kRefused:
        refused = describe(event, options);  // the error at the end says it
        return;
    }
    // Connection changes are worth a line even with -q: they explain gaps in the data.
    fmt::print(stderr, "linetwin live: {}\n", describe(event, options));
    if (event.kind == MqttConnectionEvent::Kind::kConnectFailed && !ever_connected && !hinted &&
        connect_timeout.count() == 0) {
      fmt::print(stderr,
                 "linetwin live: retrying with back-off (up to {:g} s apart) until the broker "
                 "answers or the session is stopped; --connect-timeout sets a limit\n",
                 std::chrono::duration<double>(options.reconnect_max).count());
      hinted = true;
    }
  };

  std::optional<std::string> gave_up;
  while (g_stop_signal.load() == 0 && !refused) {
    subscriber.poll(std::chrono::milliseconds(100), on_message, on_event);
    const Clock::time_point now = Clock::now();
    last_activity = std::max(last_activity, last_message);
    if (!connected) last_activity = now;  // time away from the broker is not idle time
    if (o.max_samples &&
        (o.count_only ? feed.stats().messages : feed.stats().samples) >= *o.max_samples)
      break;
    if (until_idle.count() > 0 && now - last_activity >= until_idle) break;
    if (connect_timeout.count() > 0 && !ever_connected && now - started >= connect_timeout) {
      gave_up = fmt::format("cannot connect to {}:{} within {}: {}", options.host, options.port,
                            *o.connect_timeout, last_failure);
      break;
    }
    // A quiet spell longer than the window: nothing older is still on its way.
    if (feed.held() > 0 && now - last_message >= reorder_window) {
      feed.flush(wall_now_us());
      if (drift) print_new_drift_alerts(*drift, drift_alerts_shown, "live");
    }
    if (now >= next_report) {
      next_report = now + report_every;
      if (recorder) {
        std::vector<KpiSnapshot> snapshots;
        for (std::uint32_t m = 0; m < twins.size(); ++m) {
          snapshots.push_back(make_kpi_snapshot(twins.observed_until_us(), m, twins.kpis(m)));
        }
        if (twins.observed_until_us() != kNoTime) recorder->writer().append_kpis(snapshots);
      }
      if (show_status) {
        const MqttFeedStats& s = feed.stats();
        fmt::print(stderr,
                   "linetwin live: {} | {} messages ({:.0f}/s) | {} samples | {} faulty | {} "
                   "duplicates | {} out of order | {} held | age {}{}\n",
                   connected ? "connected" : "disconnected", s.messages,
                   static_cast<double>(s.messages - messages_at_report) /
                       std::chrono::duration<double>(report_every).count(),
                   s.samples, s.faulty_messages, twins.counts().duplicates,
                   twins.counts().out_of_order, feed.held(), describe_ages(summarize_ages(s.age_s)),
                   drift ? fmt::format(" | {} drift alerts", drift->alerts().size()) : "");
        messages_at_report = s.messages;
      }
    }
    if (recorder) recorder->writer().flush_if_due();
  }

  subscriber.stop(on_message, on_event);
  feed.flush(wall_now_us());
  // The checks due up to the newest sample, as a replay of the same telemetry runs them.
  if (drift) {
    drift->finish(twins.observed_until_us());
    print_new_drift_alerts(*drift, drift_alerts_shown, "live");
  }
  // Never connected: nothing to report. A broker that refuses a reconnect after hours of data
  // still gets the report written before the error.
  if (!ever_connected) {
    if (refused) throw InputError({"", 0, 0, "--broker"}, *refused);
    if (gave_up) throw InputError({"", 0, 0, "--connect-timeout"}, *gave_up);
  }
  if (recorder) {
    std::vector<KpiSnapshot> snapshots;
    if (twins.observed_until_us() != kNoTime) {
      for (std::uint32_t m = 0; m < twins.size(); ++m) {
        snapshots.push_back(make_kpi_snapshot(twins.observed_until_us(), m, twins.kpis(m)));
      }
    }
    recorder->writer().append_kpis(snapshots);
    recorder->close();
  }

  const MqttCounters mqtt = subscriber.counters();
  const TwinReport twin_report{
      twins,
      fmt::format("mqtt://{}:{}/{}", options.host, options.port, subscriber.topic_filter()),
      "mqtt",
      {}};
  if (!o.json_path.empty()) {
    std::ostringstream text;
    write_live_json(text, LiveReport{twin_report, feed.stats(), mqtt, options, o.count_only});
    write_whole(o.json_path, "--json", drift ? add_drift_json(text.str(), *drift) : text.str());
  }
  if (!o.csv_path.empty()) {
    std::ostringstream text;
    write_twins_csv(text, twin_report);
    write_whole(o.csv_path, "--csv", text.str());
  }
  if (!o.state_path.empty()) {
    if (twins.observed_until_us() == kNoTime) {
      throw bad_flag("--write-state",
                     "expected samples of the scene's machines to tell the line's state, found "
                     "none");
    }
    write_whole(o.state_path, "--write-state",
                snapshot_yaml(estimate_line_state(twins, twins.observed_until_us(), "live")));
  }
  const bool stdout_taken = o.json_path == "-" || o.csv_path == "-" || o.state_path == "-";
  if (!o.quiet && !stdout_taken && !o.count_only) write_twins_table(std::cout, twin_report);
  if (!o.quiet) {
    const MqttFeedStats& s = feed.stats();
    const int signal_number = g_stop_signal.load();
    fmt::print(stderr,
               "linetwin live: stopped{}; {} messages, {} samples applied, {} faulty messages, "
               "{} duplicates, {} out of order, {} reconnects\n",
               signal_number != 0
                   ? fmt::format(" by {}", signal_number == SIGINT ? "SIGINT" : "SIGTERM")
                   : "",
               s.messages, twins.counts().applied, s.faulty_messages, twins.counts().duplicates,
               twins.counts().out_of_order, mqtt.connects > 0 ? mqtt.connects - 1 : 0);
  }
  if (refused) throw InputError({"", 0, 0, "--broker"}, *refused);
  return kExitSuccess;
}

}  // namespace

Command add_live_command(CLI::App& app) {
  auto o = std::make_shared<LiveOptions>();
  CLI::App* live = app.add_subcommand(
      "live",
      "Feed the scene's twins from an MQTT broker (one topic per machine, PREFIX/<machine id>) "
      "until SIGINT/SIGTERM, --until-idle or --max-samples; then write the twins' KPIs.");
  live->add_option("SCENE", o->scene, "Scene file (YAML): its elements are the machines")
      ->required();
  live->add_option("--broker", o->broker,
                   "Broker as HOST:PORT (port default 1883, or 8883 with TLS)")
      ->required();
  live->add_option("--topic", o->topic, "Topic prefix; subscribes to PREFIX/# (default linetwin)");
  live->add_option("--qos", o->qos,
                   "0 (default) or 1: QoS 1 with a persistent session, so that the broker keeps "
                   "what is published while we are disconnected")
      ->check(CLI::IsMember({0, 1}));
  live->add_option("--client-id", o->client_id,
                   "MQTT client id (default with QoS 1: linetwin-live-PREFIX; QoS 0: one per "
                   "process)");
  auto* username = live->add_option("--username", o->username, "User name for the broker");
  auto* password = live->add_option("--password", o->password,
                                    "Password (visible to other users in the process list: "
                                    "prefer --password-file)");
  auto* password_file = live->add_option("--password-file", o->password_file,
                                         "File whose first line is the password");
  password->excludes(password_file);
  password->needs(username);
  password_file->needs(username);
  live->add_option("--tls-ca", o->tls_ca, "Connect with TLS, trusting the CA certificates in FILE");
  live->add_option("--tls-capath", o->tls_capath,
                   "Connect with TLS, trusting the CA certificates in DIR (c_rehash layout)");
  auto* cert = live->add_option("--tls-cert", o->tls_cert, "Client certificate (PEM)");
  auto* key = live->add_option("--tls-key", o->tls_key, "Client private key (PEM)");
  cert->needs(key);
  key->needs(cert);
  live->add_flag("--tls-insecure", o->tls_insecure,
                 "Do not check that the broker's certificate names the host (testing only)");
  live->add_option("--reorder-window", o->reorder_window,
                   "Hold samples this long (in message time) to put them back in order; 0 "
                   "applies at once (default 500ms)");
  live->add_option("--report-every", o->report_every,
                   "Status line on a terminal, and a KPI snapshot with --record (default 10s)");
  live->add_option("--until-idle", o->until_idle,
                   "Stop after this long connected without a message, e.g. 5s");
  live->add_option("--max-samples", o->max_samples, "Stop after this many samples")
      ->check(CLI::PositiveNumber);
  live->add_option("--connect-timeout", o->connect_timeout,
                   "Give up (exit 2) if the broker cannot be reached within this time; without "
                   "it, retry with back-off until stopped");
  live->add_option("--json", o->json_path,
                   "Write the twins' KPIs and ingestion counters as JSON to FILE, or - for stdout");
  live->add_option("--csv", o->csv_path,
                   "Write the twins' KPIs as CSV (one row per KPI) to FILE, or - for stdout");
  live->add_option("--record", o->record_path,
                   "Record the session (samples and KPI snapshots) to an HDF5 file");
  CLI::Option* write_state = live->add_option(
      "--write-state", o->state_path,
      "At the end, write the line's state at the newest sample as the twins estimate it, as a "
      "snapshot file (docs/snapshots.md), or - for stdout");
  CLI::Option* count_only =
      live->add_flag("--count-only", o->count_only,
                     "Only count messages, decode nothing: what the broker and network deliver");
  count_only->excludes(write_state);
  add_drift_options(*live, o->drift)->excludes(count_only);
  live->add_flag("-q,--quiet", o->quiet,
                 "No status lines, fault details, table or summary (connection changes and drift "
                 "alerts are still shown)");
  return {live, [o] { return live_command(*o); }};
}

}  // namespace linetwin::cli
