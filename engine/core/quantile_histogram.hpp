// QuantileHistogram: quantiles of a stream of values in bounded memory, with a guaranteed relative
// error, for statistics read while a run goes on (lead times every viewer frame, the age of live
// telemetry samples) and merged across replications.
//
// The scale: the bit pattern of a positive double, read as an integer, grows with its value, so
// its top 20 bits (11 of exponent, 8 of mantissa) name a bucket: each factor of two (a binade) is
// cut into 256 buckets of equal width, whose upper end is at most 1 + 1/256 times their lower end
// (the layout of HDR histograms). No logarithm is taken: every machine buckets a value alike. A
// value in [L, U) is estimated by 2LU / (L + U), which is within (U - L) / (U + L) <= 1/513
// (0.195%) of anything in the bucket. quantile() interpolates between the estimates of two order
// statistics as numpy's default (type 7) does between the values, so when both are of one sign it
// is within 0.195% of the exact sample quantile. The smallest and largest order statistics are the
// exact min() and max(), and every estimate is clamped between them: a constant stream has exact
// quantiles. (Below 2.2e-308, where doubles are subnormal, buckets have an absolute width.)
//
// Zero is counted apart, and negative values by magnitude in a second set of buckets: a live
// sample is "younger than zero" when its machine's clock is ahead of ours, and that must show, not
// be folded into zero. NaN and infinities have no place on the scale: record() refuses them.
//
// Memory: buckets exist only for the binades between the smallest and the largest magnitude of
// each sign, 2 KiB per binade, at most kMaxBinades (64) per sign: a factor 2^64 (1.8e19) below the
// largest magnitude keeps full resolution, and anything smaller is counted in the lowest bucket
// (its quantiles lose the bound; count, min, max and mean do not). So a histogram never holds
// more than 256 KiB of buckets however many values it counts; lead times from 1 s to one day span
// 17 binades, 34 KiB. Once its binades exist, record() allocates nothing, and clear() keeps them.
//
// merge() adds counts bucket by bucket. Where a value lands depends only on the largest magnitude
// of its sign, so merging gives exactly the histogram of the union of the values, in any order;
// only mean() may differ in its last bits, since its sum rounds in the order of the additions.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace linetwin {

class StateStream;

class QuantileHistogram {
 public:
  static constexpr int kBucketsPerBinade = 256;
  static constexpr int kMaxBinades = 64;  // per sign
  // The largest relative error of quantile() against the exact sample quantile (see above).
  static constexpr double kRelativeError = 1.0 / 513.0;
  // The most memory the buckets ever take, whatever the values: memory_bytes() never exceeds
  // sizeof(QuantileHistogram) plus this.
  static constexpr std::size_t kMaxBucketBytes =
      2 * kMaxBinades * kBucketsPerBinade * sizeof(std::uint64_t);

  // Counts `value`; returns false, and counts nothing, when it is NaN or infinite.
  bool record(double value) {
    if (!std::isfinite(value)) return false;
    value += 0.0;  // -0 becomes +0, so that min() and max() of zeros are +0
    ++count_;
    sum_ += value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    if (value > 0.0) {
      positive_.add(bucket_of(value), 1);
    } else if (value < 0.0) {
      negative_.add(bucket_of(-value), 1);
    } else {
      ++zero_count_;
    }
    return true;
  }

  // Adds the values counted by `other`: the histogram of the union of both streams.
  void merge(const QuantileHistogram& other);
  // Forgets every value (the end of a warm-up), keeping the buckets' memory for the next ones.
  void clear();

  std::uint64_t count() const { return count_; }
  std::uint64_t negative_count() const { return negative_.total(); }
  std::uint64_t zero_count() const { return zero_count_; }
  // Exact; NaN when nothing has been counted.
  double min() const { return count_ > 0 ? min_ : std::numeric_limits<double>::quiet_NaN(); }
  double max() const { return count_ > 0 ? max_ : std::numeric_limits<double>::quiet_NaN(); }
  double sum() const { return sum_; }
  double mean() const {
    return count_ > 0 ? sum_ / static_cast<double>(count_)
                      : std::numeric_limits<double>::quiet_NaN();
  }
  // The sample quantile at `probability` (0..1) as numpy's default defines it, within
  // kRelativeError; NaN when nothing has been counted. O(buckets), no allocation.
  double quantile(double probability) const;

  // The bytes held: the object and its buckets' allocations.
  std::size_t memory_bytes() const;

  // Saves or restores the histogram exactly, its window of binades included (a saved run,
  // core/state_stream.hpp). The totals are derived from the counts on reading, never trusted.
  void transfer_state(StateStream& io);

 private:
  // Counts of one sign's magnitudes: bucket first_ + i in counts_[i], whole binades from the
  // lowest to the highest seen (at most kMaxBinades of them).
  class Buckets {
   public:
    void add(std::uint32_t bucket, std::uint64_t n) {
      if (bucket >= first_ && bucket - first_ < counts_.size()) {
        counts_[bucket - first_] += n;
        total_ += n;
        return;
      }
      add_outside(bucket, n);
    }
    void merge(const Buckets& other);
    void clear();
    std::uint64_t total() const { return total_; }
    // The bucket of the value at `rank` (0: the smallest magnitude); rank < total().
    std::uint32_t bucket_at(std::uint64_t rank) const;
    std::size_t capacity() const { return counts_.capacity(); }
    void transfer_state(StateStream& io);

   private:
    void add_outside(std::uint32_t bucket, std::uint64_t n);
    void resize(std::size_t buckets);

    std::vector<std::uint64_t> counts_;
    std::uint32_t first_ = 0;  // a binade's first bucket
    std::uint64_t total_ = 0;
  };

  static std::uint32_t bucket_of(double magnitude) {
    return static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(magnitude) >> kMantissaDropped);
  }
  static double estimate(std::uint32_t bucket);
  double value_at(std::uint64_t rank) const;  // the estimate of the order statistic `rank`

  // The 44 low mantissa bits: what is left, 11 bits of exponent and 8 of mantissa, is the bucket.
  static constexpr int kMantissaDropped = 44;
  static_assert(std::numeric_limits<double>::is_iec559 &&
                (1 << (std::numeric_limits<double>::digits - 1 - kMantissaDropped)) ==
                    kBucketsPerBinade);

  Buckets positive_;
  Buckets negative_;
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace linetwin
