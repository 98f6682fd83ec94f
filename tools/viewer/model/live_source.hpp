// LiveSource: the scene's twins fed from an MQTT broker as `linetwin live` feeds them
// (live/mqtt_subscriber.hpp, live/mqtt_twin_feed.hpp), polled once per frame without
// waiting, so that a quiet or absent broker never holds up the window. It shows what has arrived:
// time is the twins' observed period, up to the newest sample applied, as `linetwin live` reports
// it (the machines' clocks, not ours, so a feed of old telemetry is shown at its own times).
//
// The age of the samples applied is read off the feed's QuantileHistogram a few times a second,
// not every frame: its quantiles walk the buckets, p50 and p99 together 3 us for ages from 0.5 ms
// to 2 s and 10 us for ages spread over 60 factors of two, which a frame should not pay for
// numbers that a person reads no more often.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "live/mqtt_live_report.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "plant/scene.hpp"
#include "telemetry/line_twins.hpp"
#include "twin_view.hpp"
#include "view_source.hpp"

namespace linetwin::viewer {

class LiveSource final : public ViewSource {
 public:
  // How often advance() reads the ages off the feed's histogram.
  static constexpr std::chrono::milliseconds kSampleAgesEvery{250};

  // Connects on the first advance(); connection problems are shown, never thrown (bad options
  // are an InputError here). The scene must outlive the source.
  LiveSource(const Scene& scene, MqttOptions options, std::int64_t reorder_window_us = 500000);
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;
  ~LiveSource() override;

  std::string_view kind() const override { return "live"; }
  // Takes what the broker has delivered, without waiting for more.
  void advance(double wall_s) override;
  double time_s() const override { return twins_time_s(twins_); }
  void update(LineView& view) const override;
  std::optional<ReplicationResult> kpis() const override { return twin_line_kpis(twins_); }
  void take_reports(std::vector<StationReport>& out) override;

  // One message as if it had just arrived: what advance() does with each message delivered.
  void ingest(std::string_view topic, std::string_view payload, std::int64_t now_us);

  bool connected() const { return connected_; }
  // The last connection event as text ("connected to HOST:PORT", "connection refused: ...").
  const std::string& connection_status() const { return status_; }
  const MqttFeedStats& feed_stats() const { return feed_.stats(); }
  // As of the last read: the first advance(), then at most every kSampleAgesEvery.
  const SampleAges& sample_ages() const { return ages_; }
  const LineTwins& twins() const { return twins_; }
  const MqttOptions& options() const { return subscriber_.options(); }

 private:
  LineTwins twins_;
  MqttTwinFeed feed_;
  MqttSubscriber subscriber_;
  TwinReporter reporter_;
  std::int64_t reorder_window_us_;
  std::chrono::steady_clock::time_point last_message_;
  SampleAges ages_;
  std::chrono::steady_clock::time_point ages_due_;  // the epoch: read on the first advance()
  bool connected_ = false;
  std::string status_;
};

}  // namespace linetwin::viewer
