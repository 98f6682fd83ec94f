#include "core/quantile_histogram.hpp"

#include <cassert>
#include <numeric>
#include <string>

#include "core/state_stream.hpp"

namespace linetwin {

namespace {
constexpr std::uint32_t kPerBinade = QuantileHistogram::kBucketsPerBinade;
constexpr std::uint32_t kMaxBuckets = QuantileHistogram::kMaxBinades * kPerBinade;
// One past the largest finite magnitude's bucket: the exponent bits of infinity.
constexpr std::uint32_t kInfinityBucket = 0x7ff * kPerBinade;
}  // namespace

void QuantileHistogram::Buckets::resize(std::size_t buckets) {
  assert(buckets <= kMaxBuckets);
  // Capacity doubles as a vector's would, but never past the bound the header promises.
  if (buckets > counts_.capacity()) {
    counts_.reserve(std::min<std::size_t>(std::max(buckets, 2 * counts_.capacity()), kMaxBuckets));
  }
  counts_.resize(buckets, 0);
}

void QuantileHistogram::Buckets::add_outside(std::uint32_t bucket, std::uint64_t n) {
  // Binades as signed numbers: the window's arithmetic may go below zero.
  const auto binade = static_cast<std::int64_t>(bucket / kPerBinade);
  if (counts_.empty()) {
    first_ = static_cast<std::uint32_t>(binade) * kPerBinade;
    resize(kPerBinade);
  } else {
    const auto low = static_cast<std::int64_t>(first_ / kPerBinade);
    const auto high = low + static_cast<std::int64_t>(counts_.size() / kPerBinade) - 1;
    if (binade > high) {
      // A new largest magnitude: binades more than kMaxBinades below it fold into the lowest
      // bucket that remains.
      const std::int64_t new_low = std::max(low, binade - (kMaxBinades - 1));
      const auto dropped =
          std::min(counts_.size(), static_cast<std::size_t>(new_low - low) * kPerBinade);
      const auto end = counts_.begin() + static_cast<std::ptrdiff_t>(dropped);
      const std::uint64_t folded = std::accumulate(counts_.begin(), end, std::uint64_t{0});
      counts_.erase(counts_.begin(), end);
      first_ = static_cast<std::uint32_t>(new_low) * kPerBinade;
      resize(static_cast<std::size_t>(binade - new_low + 1) * kPerBinade);
      counts_.front() += folded;
    } else {
      // A new smallest magnitude: its binade is added, unless it lies too far below the largest.
      const std::int64_t new_low = std::max(binade, high - (kMaxBinades - 1));
      if (new_low < low) {
        const auto added = static_cast<std::size_t>(low - new_low) * kPerBinade;
        resize(counts_.size() + added);
        std::rotate(counts_.rbegin(), counts_.rbegin() + static_cast<std::ptrdiff_t>(added),
                    counts_.rend());
        first_ = static_cast<std::uint32_t>(new_low) * kPerBinade;
      }
      bucket = std::max(bucket, first_);
    }
  }
  counts_[bucket - first_] += n;
  total_ += n;
}

void QuantileHistogram::Buckets::merge(const Buckets& other) {
  for (std::size_t i = 0; i < other.counts_.size(); ++i) {
    if (other.counts_[i] != 0) add(other.first_ + static_cast<std::uint32_t>(i), other.counts_[i]);
  }
}

void QuantileHistogram::Buckets::clear() {
  counts_.clear();
  total_ = 0;
}

std::uint32_t QuantileHistogram::Buckets::bucket_at(std::uint64_t rank) const {
  assert(rank < total_);
  std::uint64_t below = 0;
  std::size_t i = 0;
  while (below + counts_[i] <= rank)
    below += counts_[i++];
  return first_ + static_cast<std::uint32_t>(i);
}

void QuantileHistogram::merge(const QuantileHistogram& other) {
  if (&other == this) {
    const QuantileHistogram copy = other;
    merge(copy);
    return;
  }
  positive_.merge(other.positive_);
  negative_.merge(other.negative_);
  zero_count_ += other.zero_count_;
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void QuantileHistogram::clear() {
  positive_.clear();
  negative_.clear();
  zero_count_ = 0;
  count_ = 0;
  sum_ = 0.0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
}

double QuantileHistogram::estimate(std::uint32_t bucket) {
  const double lower = std::bit_cast<double>(std::uint64_t{bucket} << kMantissaDropped);
  const double upper = bucket + 1 == kInfinityBucket
                           ? std::numeric_limits<double>::max()
                           : std::bit_cast<double>(std::uint64_t{bucket + 1} << kMantissaDropped);
  // 2LU / (L + U), arranged so that no step overflows: halving is exact, and the ratio is near 1.
  return lower * (upper / (0.5 * lower + 0.5 * upper));
}

double QuantileHistogram::value_at(std::uint64_t rank) const {
  if (rank == 0) return min_;
  if (rank + 1 == count_) return max_;
  // In ascending order: the negative values (by descending magnitude), the zeros, the positive.
  const std::uint64_t negatives = negative_.total();
  double value = 0.0;
  if (rank < negatives) {
    value = -estimate(negative_.bucket_at(negatives - 1 - rank));
  } else if (rank >= negatives + zero_count_) {
    value = estimate(positive_.bucket_at(rank - negatives - zero_count_));
  }
  return std::clamp(value, min_, max_);
}

double QuantileHistogram::quantile(double probability) const {
  assert(probability >= 0.0 && probability <= 1.0);
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const double position = probability * static_cast<double>(count_ - 1);
  const double lower_rank = std::floor(position);
  const double fraction = position - lower_rank;
  const auto rank = static_cast<std::uint64_t>(lower_rank);
  const double low = value_at(rank);
  if (fraction == 0.0 || rank + 1 >= count_) return low;
  return low + fraction * (value_at(rank + 1) - low);
}

std::size_t QuantileHistogram::memory_bytes() const {
  return sizeof(*this) + (positive_.capacity() + negative_.capacity()) * sizeof(std::uint64_t);
}

void QuantileHistogram::Buckets::transfer_state(StateStream& io) {
  io.value(first_);
  const std::size_t binades =
      io.count(counts_.size() / kPerBinade, kMaxBinades, kPerBinade * 8, "binades");
  // The window lies on whole binades of finite magnitudes.
  io.check(first_ % kPerBinade == 0 && first_ <= kInfinityBucket - binades * kPerBinade, "first",
           "the first bucket of a binade of finite numbers");
  if (io.reading()) counts_.assign(binades * kPerBinade, 0);
  std::uint64_t total = 0;
  for (std::uint64_t& count : counts_) {
    io.value(count);
    io.check(!__builtin_add_overflow(total, count, &total), "counts",
             "counts whose sum is below 2^64");
  }
  total_ = total;
}

void QuantileHistogram::transfer_state(StateStream& io) {
  {
    const StateStream::Section section(io, "positive");
    positive_.transfer_state(io);
  }
  {
    const StateStream::Section section(io, "negative");
    negative_.transfer_state(io);
  }
  io.value(zero_count_);
  io.value(sum_);
  io.value(min_);
  io.value(max_);
  std::uint64_t count = 0;
  io.check(!__builtin_add_overflow(positive_.total(), negative_.total(), &count) &&
               !__builtin_add_overflow(count, zero_count_, &count),
           "zero_count", "counts whose sum is below 2^64");
  // min and max are what quantiles are clamped to: numbers, ordered, once there are values.
  io.check(count == 0 || (min_ <= max_), "min", "a minimum no larger than the maximum");
  count_ = count;
}

}  // namespace linetwin
