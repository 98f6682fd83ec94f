#include "live/mqtt_twin_feed.hpp"

namespace linetwin {

MqttTwinFeed::MqttTwinFeed(LineTwins& twins, std::int64_t reorder_window_us, DecoderLimits limits)
    : twins_(twins), decoder_(twins.names(), limits), reorder_(reorder_window_us) {}

void MqttTwinFeed::count(std::size_t payload_bytes, std::int64_t now_us) {
  ++stats_.messages;
  stats_.payload_bytes += payload_bytes;
  if (stats_.first_message_us == kNoTime) stats_.first_message_us = now_us;
  stats_.last_message_us = now_us;
}

const DecodeResult& MqttTwinFeed::ingest(std::string_view topic, std::string_view payload,
                                         std::int64_t now_us) {
  count(payload.size(), now_us);

  decoded_.clear();
  verdict_ = decoder_.decode(topic, payload, decoded_);
  if (verdict_.fault != MessageFault::kNone) {
    ++stats_.faulty_messages;
    ++stats_.faults[static_cast<std::size_t>(verdict_.fault)];
    return verdict_;
  }
  stats_.samples += decoded_.size();
  released_.clear();
  for (const TelemetrySample& sample : decoded_)
    reorder_.push(sample, released_);
  apply_released(now_us);
  return verdict_;
}

void MqttTwinFeed::flush(std::int64_t now_us) {
  released_.clear();
  reorder_.flush(released_);
  apply_released(now_us);
}

void MqttTwinFeed::apply_released(std::int64_t now_us) {
  for (const TelemetrySample& sample : released_) {
    if (twins_.apply(sample) != ApplyOutcome::kApplied) continue;
    // Microseconds convert exactly; the one rounding is the division.
    stats_.age_s.record(static_cast<double>(now_us - sample.timestamp_us) / 1e6);
    if (observer_) observer_(sample);
  }
}

}  // namespace linetwin
