#include "plant/run/line_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/state_stream.hpp"

namespace linetwin::line_run {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

LineStatistics::LineStatistics(std::size_t products)
    : completed_by_product_(products, 0),
      scrapped_by_product_(products, 0),
      lead_time_sum_by_product_(products, 0.0) {}

void LineStatistics::reset(double now) {
  observed_from_s_ = now;
  wip_.reset(now);
  completed_ = 0;
  std::fill(completed_by_product_.begin(), completed_by_product_.end(), 0);
  std::fill(scrapped_by_product_.begin(), scrapped_by_product_.end(), 0);
  std::fill(lead_time_sum_by_product_.begin(), lead_time_sum_by_product_.end(), 0.0);
  lead_times_s_.clear();
}

std::uint64_t LineStatistics::parts_in_line() const {
  return static_cast<std::uint64_t>(std::llround(wip_.value()));
}

void LineStatistics::write(double now, ReplicationResult& r) const {
  r.observed_s = now - observed_from_s_;
  r.parts_completed = completed_;
  r.parts_in_line_at_end = parts_in_line();
  const double observed = r.observed_s > 0.0 ? r.observed_s : kNaN;
  r.throughput_per_hour = static_cast<double>(completed_) / observed * 3600.0;
  r.wip_mean = wip_.mean(now);
  r.lead_time_mean_s = lead_times_s_.mean();
  r.lead_time_p50_s = lead_times_s_.quantile(0.50);
  r.lead_time_p95_s = lead_times_s_.quantile(0.95);
  for (std::size_t p = 0; p < completed_by_product_.size(); ++p) {
    ProductResult out;
    out.completed = completed_by_product_[p];
    out.scrapped = scrapped_by_product_[p];
    out.throughput_per_hour = static_cast<double>(out.completed) / observed * 3600.0;
    out.lead_time_mean_s = out.completed > 0
                               ? lead_time_sum_by_product_[p] / static_cast<double>(out.completed)
                               : kNaN;
    r.products.push_back(out);
  }
  r.ledger = ledger_;
  r.ledger.in_line = parts_in_line();
}

void LineStatistics::transfer_state(StateStream& io) {
  io.tag("STAT");
  const StateStream::Section section(io, "statistics");
  wip_.transfer_state(io);
  io.value(completed_);
  for (std::uint64_t& n : completed_by_product_)
    io.value(n);
  for (std::uint64_t& n : scrapped_by_product_)
    io.value(n);
  for (double& sum : lead_time_sum_by_product_)
    io.value(sum);
  io.value(ledger_.created);
  io.value(ledger_.completed);
  io.value(ledger_.scrapped);
  io.value(ledger_.consumed);
  io.value(ledger_.in_line);
  {
    const StateStream::Section lead_times(io, "lead_times");
    lead_times_s_.transfer_state(io);
  }
  io.value(observed_from_s_);
}

}  // namespace linetwin::line_run
