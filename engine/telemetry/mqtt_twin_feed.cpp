#include "telemetry/mqtt_twin_feed.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/histogram/axis/regular.hpp>

namespace linetwin {
namespace {

// Log-spaced bins from 1 µs to 10^10 µs: 2,000 bins over 10 decades, so neighbouring edges
// differ by 10^(1/200), 1.16%. Boost.Histogram's axis does the binning; the counts are ours, so
// that the header needs no Boost.
using AgeAxis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
const AgeAxis& age_axis() {
  static const AgeAxis axis(2000, 1.0, 1e10);
  return axis;
}

}  // namespace

SampleAgeHistogram::SampleAgeHistogram() : bins_(static_cast<std::size_t>(age_axis().size()) + 2) {}

void SampleAgeHistogram::record(std::int64_t age_us) {
  age_us = std::max<std::int64_t>(age_us, 0);
  // index() is -1 below the range and size() beyond it: shift by one for the flow bins.
  ++bins_[static_cast<std::size_t>(age_axis().index(static_cast<double>(age_us)) + 1)];
  ++count_;
  max_us_ = std::max(max_us_, age_us);
}

double SampleAgeHistogram::quantile_s(double probability) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const double rank = std::clamp(probability, 0.0, 1.0) * static_cast<double>(count_);
  double below = 0.0;
  for (std::size_t b = 0; b < bins_.size(); ++b) {
    const auto in_bin = static_cast<double>(bins_[b]);
    if (in_bin == 0.0 || below + in_bin < rank) {
      below += in_bin;
      continue;
    }
    if (b == 0) return 0.0;  // under 1 µs
    if (b == bins_.size() - 1) return std::numeric_limits<double>::infinity();
    // Geometric interpolation: within a log-spaced bin the ages are spread evenly in log.
    const auto bin = age_axis().bin(static_cast<int>(b) - 1);
    const double fraction = std::clamp((rank - below) / in_bin, 0.0, 1.0);
    const double age_us = bin.lower() * std::pow(bin.upper() / bin.lower(), fraction);
    return std::min(age_us, static_cast<double>(max_us_)) * 1e-6;
  }
  return static_cast<double>(max_us_) * 1e-6;
}

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
  if (released_.empty()) return;
  std::int64_t newest_us = released_.front().timestamp_us;
  for (const TelemetrySample& sample : released_) {
    if (twins_.apply(sample) == ApplyOutcome::kApplied && observer_) observer_(sample);
    newest_us = std::max(newest_us, sample.timestamp_us);
  }
  stats_.age.record(now_us - newest_us);
}

}  // namespace linetwin
