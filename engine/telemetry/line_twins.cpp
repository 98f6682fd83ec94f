#include "telemetry/line_twins.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace linetwin {

LineTwins::LineTwins(const Scene& scene) : scene_(scene) {
  const PartCounterNames counters{names_.intern_name(kGoodPartsCounter),
                                  names_.intern_name(kScrapPartsCounter)};
  twins_.reserve(scene.elements().size());
  ideal_cycle_s_.reserve(scene.elements().size());
  for (const Element& e : scene.elements()) {
    names_.intern_machine(e.id);
    twins_.emplace_back(counters);
    double ideal = std::numeric_limits<double>::quiet_NaN();
    if (e.type == ElementType::kStation) {
      const StationSpec& spec = scene.station_spec(e);
      double sum = 0.0;
      for (std::size_t p = 0; p < scene.products().size(); ++p)
        sum += spec.processing_for(static_cast<ProductIndex>(p)).mean();
      ideal = sum / static_cast<double>(scene.products().size()) / spec.batch_max;
    }
    ideal_cycle_s_.push_back(ideal);
  }
}

ApplyOutcome LineTwins::apply(const TelemetrySample& sample) {
  assert(sample.machine < twins_.size());
  ++counts_.samples;
  if (observed_from_us_ == kNoTime) set_observation_start(sample.timestamp_us);
  const ApplyOutcome outcome = twins_[sample.machine].apply(sample);
  switch (outcome) {
    case ApplyOutcome::kApplied:
      ++counts_.applied;
      observed_until_us_ = std::max(observed_until_us_, sample.timestamp_us);
      break;
    case ApplyOutcome::kDuplicate:
      ++counts_.duplicates;
      break;
    case ApplyOutcome::kOutOfOrder:
      ++counts_.out_of_order;
      break;
  }
  return outcome;
}

void LineTwins::advance_to(std::int64_t timestamp_us) {
  observed_until_us_ = std::max(observed_until_us_, timestamp_us);
}

void LineTwins::set_observation_start(std::int64_t timestamp_us) {
  observed_from_us_ = timestamp_us;
  for (MachineTwin& twin : twins_)
    twin.set_observation_start(timestamp_us);
}

TwinKpis LineTwins::kpis(std::uint32_t machine) const {
  return compute_twin_kpis(twins_[machine], observed_until_us_, ideal_cycle_s_[machine]);
}

LogBinding::LogBinding(const TelemetryNames& log_names, LineTwins& twins)
    : twins_(twins), log_names_(log_names) {
  for (const std::string& id : log_names.machines())
    machine_.push_back(twins.names().find_machine(id));
  for (const std::string& name : log_names.names())
    name_.push_back(twins.names().intern_name(name));
  unknown_seen_.assign(machine_.size(), false);
}

bool LogBinding::translate(const TelemetrySample& sample, TelemetrySample& out) const {
  const std::int64_t machine = machine_[sample.machine];
  if (machine == kUnknown) return false;
  out = sample;
  out.machine = static_cast<std::uint32_t>(machine);
  out.name = name_[sample.name];
  return true;
}

void LogBinding::apply(const TelemetrySample& sample) {
  TelemetrySample translated;
  if (translate(sample, translated)) {
    twins_.apply(translated);
  } else {
    twins_.note_unknown_machine();
    unknown_seen_[sample.machine] = true;
  }
}

std::vector<std::string> LogBinding::unknown_machines() const {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < unknown_seen_.size(); ++i)
    if (unknown_seen_[i]) ids.push_back(log_names_.machines()[i]);
  return ids;
}

}  // namespace linetwin
