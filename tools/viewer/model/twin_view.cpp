#include "twin_view.hpp"

#include <cmath>
#include <limits>

#include "view_states.hpp"

namespace linetwin::viewer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string_view reason_of(const LineTwins& twins, const MachineTwin& twin) {
  return twins.names().names()[twin.reason()];
}

// A station whose route hands on to a sink: its good parts leave the line.
bool feeds_sink(const Scene& scene, const Element& station) {
  for (ElementIndex target : station.route.targets) {
    if (scene.element(target).type == ElementType::kSink) return true;
  }
  return false;
}

}  // namespace

double twins_time_s(const LineTwins& twins) {
  if (twins.observed_from_us() == kNoTime) return 0.0;
  return static_cast<double>(twins.observed_until_us() - twins.observed_from_us()) * 1e-6;
}

void show_twins(const LineTwins& twins, LineView& view) {
  view.time_s = twins_time_s(twins);
  for (ElementIndex station : twins.scene().stations()) {
    const MachineTwin& twin = twins.twin(station);
    view.elements[station].state = view_state(twin.state(), reason_of(twins, twin));
  }
}

std::optional<ReplicationResult> twin_line_kpis(const LineTwins& twins) {
  if (twins.observed_from_us() == kNoTime) return std::nullopt;
  const Scene& scene = twins.scene();
  ReplicationResult r;
  r.observed_s = twins_time_s(twins);
  double completed = 0.0;
  bool counted = false;
  for (ElementIndex station : scene.stations()) {
    const TwinKpis kpis = twins.kpis(station);
    r.stations.push_back(kpis.station);
    const MachineTwin& twin = twins.twin(station);
    if (feeds_sink(scene, scene.element(station)) && twin.reports_parts()) {
      completed += twin.good_parts();
      counted = true;
    }
  }
  r.parts_completed = static_cast<std::uint64_t>(std::llround(completed));
  r.throughput_per_hour = counted && r.observed_s > 0.0 ? completed / r.observed_s * 3600.0 : kNaN;
  r.wip_mean = kNaN;
  r.lead_time_mean_s = r.lead_time_p50_s = r.lead_time_p95_s = kNaN;
  return r;
}

TwinReporter::TwinReporter(const Scene& scene)
    : scene_(scene), station_of_(scene.elements().size(), -1), seen_(scene.stations().size()) {
  for (std::size_t s = 0; s < scene.stations().size(); ++s)
    station_of_[scene.stations()[s]] = static_cast<std::int64_t>(s);
}

void TwinReporter::reset() {
  seen_.assign(scene_.stations().size(), Seen{});
  held_.clear();
}

void TwinReporter::note(const LineTwins& twins, std::uint32_t machine) {
  const std::int64_t s = station_of_[machine];
  if (s < 0) return;
  const MachineTwin& twin = twins.twin(machine);
  Seen& seen = seen_[static_cast<std::size_t>(s)];
  const bool state_changed = twin.state() != seen.state || twin.reason() != seen.reason;
  const bool counters_changed = twin.good_parts() != seen.good || twin.scrap_parts() != seen.scrap;
  if (!state_changed && !counters_changed) return;
  seen = {twin.state(), twin.reason(), twin.good_parts(), twin.scrap_parts()};
  const std::optional<StationActivity> activity =
      station_activity_of(twin.state(), reason_of(twins, twin));
  StationReport report;
  report.time_s = static_cast<double>(twin.last_message_us() - twins.observed_from_us()) * 1e-6;
  report.station = machine;
  report.activity = activity.value_or(StationActivity::kIdle);
  // A twin that went back to unknown (its machine says it is unavailable) has no activity to
  // report; its counters still do.
  report.activity_changed = state_changed && activity.has_value();
  report.good_total = static_cast<std::uint64_t>(std::llround(twin.good_parts()));
  report.scrapped_total = static_cast<std::uint64_t>(std::llround(twin.scrap_parts()));
  report.counters_changed = counters_changed;
  if (!report.activity_changed && !report.counters_changed) return;
  if (held_.size() == kMaxHeldReports) held_.pop_front();
  held_.push_back(report);
}

void TwinReporter::take(std::vector<StationReport>& out) {
  out.insert(out.end(), held_.begin(), held_.end());
  held_.clear();
}

}  // namespace linetwin::viewer
