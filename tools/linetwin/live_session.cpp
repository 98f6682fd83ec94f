// One thread does everything: it polls the subscriber (mqtt_subscriber.hpp), which reads the
// socket and hands each message straight to MqttTwinFeed (decode, reorder, apply), and between
// polls it checks whether to stop, timers and limits, so that stopping is an ordinary return from
// the loop: unsubscribe (taking what still arrives), disconnect, flush the reorder window, report.
#include "live_session.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "core/quantile_histogram.hpp"
#include "core/timestamp.hpp"
#include "io/snapshot_file.hpp"
#include "live/mqtt_live_report.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/drift_report.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/twin_report.hpp"

namespace linetwin::cli {
namespace {

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

// Status line for a person at a terminal; CI logs get none (see ProgressBar for the same rule).
bool status_wanted(bool quiet) {
  return !quiet && isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr;
}

}  // namespace

LiveOutputs run_live(const Scene& scene, const LiveRequest& request) {
  const MqttOptions& options = request.mqtt;
  const std::chrono::milliseconds reorder_window = request.reorder_window;
  const std::chrono::milliseconds report_every = request.report_every;
  const std::chrono::milliseconds until_idle = request.until_idle;
  const std::chrono::milliseconds connect_timeout = request.connect_timeout;
  LineTwins twins(scene);
  MqttTwinFeed feed(twins, reorder_window.count() * 1000);
  // Before subscribing: the bands take a moment, and messages would wait for them meanwhile.
  const std::unique_ptr<DriftWatch> drift =
      make_drift_watch(request.drift, scene, twins.names(), "live", request.quiet);
  std::size_t drift_alerts_shown = 0;
  auto announce_alerts = [&] {
    if (drift && request.announce_drift_alerts)
      print_new_drift_alerts(*drift, drift_alerts_shown, "live");
  };
  if (drift) feed.observe_applied([&](const TelemetrySample& sample) { drift->observe(sample); });
  std::optional<SessionRecording> recorder;
  if (!request.record_path.empty()) {
    RecordingMetadata metadata;
    metadata.source = RecordingSource::kLive;
    metadata.scene_file = request.scene_path;
    std::ifstream scene_file(request.scene_path);
    std::ostringstream scene_text;
    scene_text << scene_file.rdbuf();
    metadata.scene_text = scene_text.str();
    metadata.start_time_us = wall_now_us();
    recorder.emplace(request.record_path, metadata, twins.names());
  }

  MqttSubscriber subscriber(options);
  if (!request.quiet) {
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
  const bool show_status = status_wanted(request.quiet);

  const MqttSubscriber::MessageHandler on_message = [&](std::string_view topic,
                                                        std::string_view payload) {
    last_message = Clock::now();
    if (request.count_only) {
      feed.count(payload.size(), wall_now_us());
      return;
    }
    const DecodeResult& verdict = feed.ingest(topic, payload, wall_now_us());
    announce_alerts();
    if (verdict.fault != MessageFault::kNone) {
      const std::uint64_t seen = feed.stats().faults[static_cast<std::size_t>(verdict.fault)];
      if (!request.quiet && seen <= kFaultsShownPerKind) {
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
  while (!refused && !(request.stop_requested && request.stop_requested())) {
    subscriber.poll(std::chrono::milliseconds(100), on_message, on_event);
    const Clock::time_point now = Clock::now();
    last_activity = std::max(last_activity, last_message);
    if (!connected) last_activity = now;  // time away from the broker is not idle time
    if (request.max_samples &&
        (request.count_only ? feed.stats().messages : feed.stats().samples) >= *request.max_samples)
      break;
    if (until_idle.count() > 0 && now - last_activity >= until_idle) break;
    if (connect_timeout.count() > 0 && !ever_connected && now - started >= connect_timeout) {
      gave_up = fmt::format("cannot connect to {}:{} within {}: {}", options.host, options.port,
                            request.connect_timeout_text, last_failure);
      break;
    }
    // A quiet spell longer than the window: nothing older is still on its way.
    if (feed.held() > 0 && now - last_message >= reorder_window) {
      feed.flush(wall_now_us());
      announce_alerts();
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
    announce_alerts();
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
  LiveOutputs outputs;
  std::ostringstream json, csv, table;
  write_live_json(json, LiveReport{twin_report, feed.stats(), mqtt, options, request.count_only});
  outputs.json = drift ? add_drift_json(json.str(), *drift) : json.str();
  write_twins_csv(csv, twin_report);
  outputs.csv = csv.str();
  write_twins_table(table, twin_report);
  outputs.table = table.str();
  if (twins.observed_until_us() != kNoTime) {
    outputs.state_yaml =
        snapshot_yaml(estimate_line_state(twins, twins.observed_until_us(), "live"));
  }
  const MqttFeedStats& s = feed.stats();
  outputs.counts = fmt::format(
      "{} messages, {} samples applied, {} faulty messages, {} duplicates, {} out of order, {} "
      "reconnects",
      s.messages, twins.counts().applied, s.faulty_messages, twins.counts().duplicates,
      twins.counts().out_of_order, mqtt.connects > 0 ? mqtt.connects - 1 : 0);
  outputs.refused = refused;
  return outputs;
}

}  // namespace linetwin::cli
