// Reports of station activity and part counters to a StationObserver (simulated telemetry,
// recordings), at the end of each event for the stations that changed during it. Runs without an
// observer pay one flag test per state change.
#pragma once

#include <cstdint>
#include <vector>

#include "plant/run/station_state.hpp"
#include "plant/station_observer.hpp"

namespace linetwin::line_run {

struct Line;

class StationReports {
 public:
  // Reports every station at once from now on (nullptr stops).
  void observe(Line& line, StationObserver* observer);
  bool observing() const { return observer_ != nullptr; }
  // A station's state or counters may have changed during this event.
  void touch(const StationRun& station) {
    if (observer_) [[unlikely]]
      mark_changed(station);
  }
  bool changes_pending() const { return !changed_stations_.empty(); }
  // Reports the stations changed during the event that ends.
  void report_changes(Line& line) { report(line, false); }
  // The counters restart at the end of the warm-up; the reported totals run on.
  void on_warmup_end(const Line& line);

  static StationActivity activity_of(const StationRun& station);

 private:
  struct ReportedState {
    StationActivity activity = StationActivity::kIdle;
    bool dirty = false;
    std::uint64_t good_seen = 0;  // station.good when last reported (reset with it at warm-up)
    std::uint64_t scrapped_seen = 0;
    std::uint64_t good_total = 0;
    std::uint64_t scrapped_total = 0;
  };
  // Out of line and cold: the event path of an unobserved run keeps only the test of observer_.
  [[gnu::noinline, gnu::cold]] void mark_changed(const StationRun& station);
  // Adds the parts counted since the last report to the reported totals.
  void absorb_counts(const StationRun& station);
  void report(Line& line, bool all);

  StationObserver* observer_ = nullptr;
  std::vector<ReportedState> reported_;  // per station, while observed
  std::vector<std::uint32_t> changed_stations_;
};

}  // namespace linetwin::line_run
