// `linetwin live SCENE --broker HOST:PORT`: the scene's twins fed by telemetry from an MQTT
// broker, until a signal, a quiet spell (--until-idle) or a sample count (--max-samples); then
// the twins' KPIs and the ingestion counters as JSON (the replay command's schema plus an
// "ingestion" object), so that a live session and a replay of the same telemetry compare field
// by field. With --drift, every sample applied is also checked against the model's prediction
// bands (drift_options.hpp), and the report gains a "drift" object. With --write-state, the line's
// state as the twins estimate it at the newest sample is written as a snapshot file, which a
// what-if run starts from (docs/snapshots.md). docs/live-telemetry.md is the manual.
//
// The session itself is run_live (live_session.hpp), which the Python module calls too; here are
// the flags, the outputs, and the signals: SIGINT and SIGTERM only set a flag that the session
// looks at between polls, so stopping is an ordinary return with the session's report.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "drift_options.hpp"
#include "io/scene_file.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live_session.hpp"

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

  LiveRequest request;
  request.mqtt = options;
  request.scene_path = o.scene;
  request.reorder_window = reorder_window;
  request.report_every = report_every;
  request.until_idle = until_idle;
  request.connect_timeout = connect_timeout;
  request.connect_timeout_text = o.connect_timeout.value_or("");
  request.max_samples = o.max_samples;
  request.record_path = o.record_path;
  request.count_only = o.count_only;
  request.quiet = o.quiet;
  request.drift = o.drift;
  request.stop_requested = [] { return g_stop_signal.load() != 0; };
  const StopSignals signals;
  const LiveOutputs outputs = run_live(scene, request);
  if (!o.json_path.empty()) write_whole(o.json_path, "--json", outputs.json);
  if (!o.csv_path.empty()) write_whole(o.csv_path, "--csv", outputs.csv);
  if (!o.state_path.empty()) {
    if (!outputs.state_yaml) {
      throw bad_flag("--write-state",
                     "expected samples of the scene's machines to tell the line's state, found "
                     "none");
    }
    write_whole(o.state_path, "--write-state", *outputs.state_yaml);
  }
  const bool stdout_taken = o.json_path == "-" || o.csv_path == "-" || o.state_path == "-";
  if (!o.quiet && !stdout_taken && !o.count_only) std::cout << outputs.table;
  if (!o.quiet) {
    const int signal_number = g_stop_signal.load();
    fmt::print(stderr, "linetwin live: stopped{}; {}\n",
               signal_number != 0
                   ? fmt::format(" by {}", signal_number == SIGINT ? "SIGINT" : "SIGTERM")
                   : "",
               outputs.counts);
  }
  if (outputs.refused) throw InputError({"", 0, 0, "--broker"}, *outputs.refused);
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
