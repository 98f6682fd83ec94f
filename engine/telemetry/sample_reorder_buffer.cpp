#include "telemetry/sample_reorder_buffer.hpp"

#include <algorithm>

namespace linetwin {

void SampleReorderBuffer::push(const TelemetrySample& sample,
                               std::vector<TelemetrySample>& released) {
  if (released_until_us_ != kNoTime && sample.timestamp_us < released_until_us_) {
    // Too late to be put in order: newer samples have gone out already.
    released.push_back(sample);
    return;
  }
  held_.push(Held{sample, arrivals_++});
  newest_us_ = std::max(newest_us_, sample.timestamp_us);
  release_until(newest_us_ - window_us_, released);
}

void SampleReorderBuffer::release_until(std::int64_t cutoff_us,
                                        std::vector<TelemetrySample>& released) {
  while (!held_.empty() && held_.top().sample.timestamp_us <= cutoff_us) {
    released.push_back(held_.top().sample);
    released_until_us_ = std::max(released_until_us_, held_.top().sample.timestamp_us);
    held_.pop();
  }
}

void SampleReorderBuffer::flush(std::vector<TelemetrySample>& released) {
  while (!held_.empty()) {
    released.push_back(held_.top().sample);
    released_until_us_ = std::max(released_until_us_, held_.top().sample.timestamp_us);
    held_.pop();
  }
}

}  // namespace linetwin
