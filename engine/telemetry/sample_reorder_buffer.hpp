// Puts live samples back into timestamp order before they reach the twins. Messages from many
// machines cross the network and the broker by different paths, and a batch may arrive before
// a single sample sent earlier; a twin refuses a sample older than its newest (MachineTwin), so
// without this stage a little network jitter would become out-of-order samples.
//
// The buffer holds each sample until it is `window_us` of message time older than the newest
// sample seen, then releases it, in timestamp order (samples with equal timestamps in arrival
// order). A sample that arrives later than the window allows is released at once: the twin then
// counts it as out of order. A live loop that goes quiet can release what is held by wall-clock
// time with release_until, and flush() releases everything (at the end of a stream).
//
// A recorded file needs no window: replay sorts the whole log by timestamp (stably) instead.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "telemetry/machine_twin.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

class SampleReorderBuffer {
 public:
  explicit SampleReorderBuffer(std::int64_t window_us) : window_us_(window_us) {}

  // Takes a sample and appends to `released` whatever is now old enough, in timestamp order.
  void push(const TelemetrySample& sample, std::vector<TelemetrySample>& released);
  // Releases every held sample with a timestamp <= cutoff_us.
  void release_until(std::int64_t cutoff_us, std::vector<TelemetrySample>& released);
  void flush(std::vector<TelemetrySample>& released);

  std::size_t held() const { return held_.size(); }
  std::int64_t window_us() const { return window_us_; }
  std::int64_t newest_us() const { return newest_us_; }

 private:
  struct Held {
    TelemetrySample sample;
    std::uint64_t arrival = 0;  // keeps equal timestamps in arrival order
  };
  struct Later {  // orders the heap so that the earliest sample is on top
    bool operator()(const Held& a, const Held& b) const {
      if (a.sample.timestamp_us != b.sample.timestamp_us)
        return a.sample.timestamp_us > b.sample.timestamp_us;
      return a.arrival > b.arrival;
    }
  };

  std::int64_t window_us_;
  std::int64_t newest_us_ = kNoTime;
  std::int64_t released_until_us_ = kNoTime;  // the newest timestamp released so far
  std::uint64_t arrivals_ = 0;
  std::priority_queue<Held, std::vector<Held>, Later> held_;
};

}  // namespace linetwin
