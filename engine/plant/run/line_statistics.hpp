// What the line as a whole measured: the part ledger, work in process, completions and lead times
// per product. Statistics run from the end of the warm-up to the end of the observed period,
// except the ledger (created, completed, scrapped, consumed, in the line), which covers the whole
// run so that conservation can be checked at any time.
#pragma once

#include <cstdint>
#include <vector>

#include "core/quantile_histogram.hpp"
#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

class LineStatistics {
 public:
  explicit LineStatistics(std::size_t products);

  // A part enters the line (is taken from its source), or a split makes another.
  void enter(double now, Part& part, ProductIndex product) {
    part.entered_s = now;
    part.product = product;
    part.cards = 0;
    wip_.add(now, 1.0);
    ++ledger_.created;
  }
  void split_off(double now) {
    wip_.add(now, 1.0);
    ++ledger_.created;
  }
  // A part offered by a source was refused: it has not entered after all.
  void refused_entry(double now) {
    wip_.add(now, -1.0);
    --ledger_.created;
  }
  void complete(double now, const Part& part) {
    const double lead_time = now - part.entered_s;
    ++completed_;
    ++completed_by_product_[part.product];
    lead_time_sum_by_product_[part.product] += lead_time;
    lead_times_s_.record(lead_time);
    wip_.add(now, -1.0);
    ++ledger_.completed;
  }
  void scrap(double now, const Part& part) {
    ++scrapped_by_product_[part.product];
    ++ledger_.scrapped;
    wip_.add(now, -1.0);
  }
  void consume(double now) {  // assembled into another part
    wip_.add(now, -1.0);
    ++ledger_.consumed;
  }

  void reset(double now);  // the end of the warm-up
  double observed_from_s() const { return observed_from_s_; }
  std::uint64_t parts_in_line() const;
  // Fills the line's own fields of `r` (throughput, WIP, lead times, products, ledger).
  void write(double now, ReplicationResult& r) const;
  void transfer_state(StateStream& io);  // run_state.hpp

 private:
  TimeAverage wip_;
  std::uint64_t completed_ = 0;
  std::vector<std::uint64_t> completed_by_product_;
  std::vector<std::uint64_t> scrapped_by_product_;
  std::vector<double> lead_time_sum_by_product_;
  PartLedger ledger_;
  // Bounded whatever the run's length, and read in microseconds at any time (a viewer reads the
  // results every frame); quantiles within QuantileHistogram::kRelativeError.
  QuantileHistogram lead_times_s_;
  double observed_from_s_ = 0.0;
};

}  // namespace linetwin::line_run
