#include "plant/run/station_reports.hpp"

#include <algorithm>

#include "plant/run/line.hpp"

namespace linetwin::line_run {

void StationReports::observe(Line& line, StationObserver* observer) {
  observer_ = observer;
  line.update_attention();
  changed_stations_.clear();
  reported_.assign(observer ? line.stations.size() : 0, ReportedState{});
  if (!observer) return;
  for (ReportedState& r : reported_)
    r.dirty = true;
  report(line, true);
}

void StationReports::mark_changed(const StationRun& station) {
  ReportedState& r = reported_[station.index];
  if (!r.dirty) {
    r.dirty = true;
    changed_stations_.push_back(station.index);
  }
}

void StationReports::absorb_counts(const StationRun& station) {
  ReportedState& r = reported_[station.index];
  r.good_total += station.good_parts() - r.good_seen;
  r.scrapped_total += station.scrapped - r.scrapped_seen;
  r.good_seen = station.good_parts();
  r.scrapped_seen = station.scrapped;
}

void StationReports::on_warmup_end(const Line& line) {
  if (!observer_) return;
  for (const StationRun& station : line.stations.all()) {
    // Reported totals run on from the warm-up; only the baseline of the counts reset here moves.
    absorb_counts(station);
    reported_[station.index].good_seen = reported_[station.index].scrapped_seen = 0;
  }
}

StationActivity StationReports::activity_of(const StationRun& station) {
  if (station.off_shift) return StationActivity::kOffShift;
  if (station.down) return StationActivity::kDown;
  if (station.in(ServerState::kWorking) > 0) return StationActivity::kWorking;
  if (station.in(ServerState::kSetup) > 0) return StationActivity::kSetup;
  if (station.in(ServerState::kWaitingOperator) > 0) return StationActivity::kWaitingOperator;
  if (station.in(ServerState::kBlocked) > 0 && station.in(ServerState::kIdle) == 0)
    return StationActivity::kBlocked;
  return StationActivity::kIdle;
}

void StationReports::report(Line& line, bool all) {
  const auto report_one = [&](const StationRun& station) {
    ReportedState& r = reported_[station.index];
    r.dirty = false;
    StationReport out;
    out.time_s = line.kernel.now();
    out.station = station.element;
    out.activity = activity_of(station);
    out.activity_changed = all || out.activity != r.activity;
    r.activity = out.activity;
    out.counters_changed =
        all || station.good_parts() != r.good_seen || station.scrapped != r.scrapped_seen;
    absorb_counts(station);
    out.good_total = r.good_total;
    out.scrapped_total = r.scrapped_total;
    if (out.activity_changed || out.counters_changed) observer_->on_station_report(out);
  };
  if (all) {
    for (const StationRun& station : line.stations.all())
      report_one(station);
  } else {
    // In station order, so that reports at one instant come out the same way every run.
    std::sort(changed_stations_.begin(), changed_stations_.end());
    for (std::uint32_t index : changed_stations_)
      report_one(line.stations.at(index));
  }
  changed_stations_.clear();
}

}  // namespace linetwin::line_run
