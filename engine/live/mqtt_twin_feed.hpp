// The path of a live message from the MQTT inbox to the twins: decode (MessageDecoder), put back
// into timestamp order (SampleReorderBuffer), apply (LineTwins), and count what happened on the
// way. `linetwin live` runs one feed on the thread that owns the twins; the MQTT layer
// (mqtt_subscriber.hpp) only delivers payloads, so this class knows nothing of brokers and tests
// drive it with payloads directly.
//
// Bad messages never stop the feed: each is counted under its MessageFault and changes nothing
// (the decoder is all-or-nothing). Duplicates and out-of-order samples are counted by the twins
// (LineTwins::counts()).
//
// The age of each sample when the twins apply it, wall clock at that moment minus the sample's
// timestamp, is what a user of a live twin cares about: how far behind the plant the twin is. It
// is taken after the reorder window has released the sample, so the window's wait is in it, and
// only for samples applied (not for duplicates or samples out of order). It is only meaningful
// when the machines' clocks and ours agree (NTP, PTP), or, in a benchmark, when the publisher
// stamps each sample with its send time on the same host; then it is the publish-to-twin delay. A
// negative age, a timestamp ahead of our clock, is kept as it is and counted (clock skew), not
// taken for zero. The ages go into a QuantileHistogram: quantiles within 0.2%, in bounded memory
// however long the feed runs.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/quantile_histogram.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/message_decoder.hpp"
#include "telemetry/sample_reorder_buffer.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

struct MqttFeedStats {
  std::uint64_t messages = 0;  // every message handed to the feed, good or bad
  std::uint64_t payload_bytes = 0;
  std::uint64_t faulty_messages = 0;
  std::array<std::uint64_t, kMessageFaultCount> faults{};  // by MessageFault; [kNone] stays 0
  std::uint64_t samples = 0;                               // decoded from good messages
  std::int64_t first_message_us = kNoTime;                 // wall clock at arrival, UTC µs
  std::int64_t last_message_us = kNoTime;
  QuantileHistogram age_s;  // per sample applied: its age in seconds, negative if ahead of us
};

class MqttTwinFeed {
 public:
  // `reorder_window_us` of message time (0: apply at once, in arrival order).
  MqttTwinFeed(LineTwins& twins, std::int64_t reorder_window_us, DecoderLimits limits = {});

  // Decodes one message, arrived at wall-clock time `now_us` (UTC µs), and applies whatever the
  // reorder window now releases. The verdict says why a message was refused; the samples it
  // decoded stay readable through decoded() until the next call (a recorder stores them).
  const DecodeResult& ingest(std::string_view topic, std::string_view payload, std::int64_t now_us);
  std::span<const TelemetrySample> decoded() const { return decoded_; }
  // Counts a message as ingest() does, without decoding it: `linetwin live --count-only`, the
  // ceiling of what the broker and the network deliver.
  void count(std::size_t payload_bytes, std::int64_t now_us);

  // Applies everything the window still holds: at the end of a stream, or when it has been quiet
  // for longer than the window, since nothing older is then still on its way.
  void flush(std::int64_t now_us);
  std::size_t held() const { return reorder_.held(); }

  // Called with each sample the twins applied (not the duplicates or out-of-order ones), in the
  // order applied: after the reorder window, so in timestamp order. `linetwin live --drift`
  // hands them to a DriftWatch. Without one, applying costs one test of an empty function.
  using AppliedSampleObserver = std::function<void(const TelemetrySample&)>;
  void observe_applied(AppliedSampleObserver observer) { observer_ = std::move(observer); }

  const MqttFeedStats& stats() const { return stats_; }
  LineTwins& twins() { return twins_; }
  const LineTwins& twins() const { return twins_; }

 private:
  void apply_released(std::int64_t now_us);

  LineTwins& twins_;
  MessageDecoder decoder_;
  SampleReorderBuffer reorder_;
  DecodeResult verdict_;
  std::vector<TelemetrySample> decoded_;
  std::vector<TelemetrySample> released_;
  AppliedSampleObserver observer_;
  MqttFeedStats stats_;
};

}  // namespace linetwin
