#include "telemetry/drift_monitor.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/line_check_failed.hpp"
#include "experiment/replications.hpp"

namespace linetwin {

std::string_view to_string(DriftKpi kpi) {
  switch (kpi) {
    case DriftKpi::kProducingShare:
      return "producing_share";
    case DriftKpi::kIdleShare:
      return "idle_share";
    case DriftKpi::kBlockedShare:
      return "blocked_share";
    case DriftKpi::kDownShare:
      return "down_share";
    case DriftKpi::kSetupShare:
      return "setup_share";
    case DriftKpi::kGoodPartsPerHour:
      return "good_parts_per_hour";
  }
  return "unknown";
}

namespace {

// The KPI of one simulated window, as the twin would measure it.
double model_kpi(const StationResult& r, DriftKpi kpi, double window_s) {
  switch (kpi) {
    case DriftKpi::kProducingShare:
      return r.working;
    case DriftKpi::kIdleShare:
      return r.starved + r.waiting_operator;
    case DriftKpi::kBlockedShare:
      return r.blocked;
    case DriftKpi::kDownShare:
      return r.down;
    case DriftKpi::kSetupShare:
      return r.setup;
    case DriftKpi::kGoodPartsPerHour:
      return static_cast<double>(r.parts_good) * 3600.0 / window_s;
  }
  return 0.0;
}

constexpr DriftKpi kShareOf[kMachineStateCount] = {
    // Indexed by MachineState; unknown and off-shift are not judged (kGoodPartsPerHour: none).
    DriftKpi::kGoodPartsPerHour, DriftKpi::kProducingShare, DriftKpi::kIdleShare,
    DriftKpi::kBlockedShare,     DriftKpi::kDownShare,      DriftKpi::kSetupShare,
    DriftKpi::kGoodPartsPerHour,
};

}  // namespace

ModelPrediction predict_station_windows(const Scene& scene, const DriftSettings& settings) {
  const std::uint32_t r = settings.replications;
  // The band [x(j), x(R+1-j)] holds a new window with probability (R + 1 - 2j) / (R + 1).
  const auto j = static_cast<std::uint32_t>(
      std::floor((static_cast<double>(r) + 1.0) * (1.0 - settings.coverage) / 2.0 + 1e-9));
  if (!(settings.coverage > 0.0 && settings.coverage < 1.0) || j < 1) {
    throw InputError(
        {"", 0, 0, "replications"},
        fmt::format("expected at least {:.0f} replications for a {:g}% prediction band, found {}",
                    std::ceil(2.0 / (1.0 - settings.coverage) - 1.0), 100.0 * settings.coverage,
                    r));
  }
  ExperimentSettings experiment = settings_from_scene(scene);
  experiment.run.duration_s = settings.window_s;
  experiment.run.warmup_s = settings.warmup_s                     ? *settings.warmup_s
                            : scene.run_settings().warmup_s > 0.0 ? scene.run_settings().warmup_s
                                                                  : settings.window_s;
  experiment.run.replications = r;
  if (settings.seed) experiment.seed = *settings.seed;
  experiment.threads = settings.threads;
  const std::vector<ReplicationResult> reps = run_replications(scene, experiment);
  // A model that deadlocks predicts nothing about a line that runs: its windows stop short.
  const ExperimentSummary summary = summarize(reps);
  if (!summary.deadlocks.empty()) {
    const auto& [replication, deadlock] = summary.deadlocks.front();
    throw LineCheckFailed(fmt::format(
        "the model deadlocks in {} of {} replications of the drift prediction (replication {} at "
        "t = {} s, {}); a prediction of a line that stops means nothing: run `linetwin run` on "
        "the scene to see where",
        summary.deadlocks.size(), r, replication, deadlock.time_s,
        deadlock.cycle ? "a cycle of blocked elements" : "parts that nothing can move"));
  }

  ModelPrediction prediction;
  prediction.window_s = settings.window_s;
  prediction.replications = r;
  prediction.coverage = (static_cast<double>(r) + 1.0 - 2.0 * j) / (static_cast<double>(r) + 1.0);
  std::vector<double> values(r);
  for (std::size_t s = 0; s < scene.stations().size(); ++s) {
    StationPrediction station;
    station.element = scene.stations()[s];
    const Element& e = scene.element(station.element);
    station.station = e.id;
    station.shares_judged = scene.station_spec(e).servers == 1;
    for (int k = 0; k < kDriftKpiCount; ++k) {
      for (std::uint32_t i = 0; i < r; ++i)
        values[i] = model_kpi(reps[i].stations[s], static_cast<DriftKpi>(k), settings.window_s);
      KpiBand& band = station.bands[static_cast<std::size_t>(k)];
      band.mean = sample_mean(values);
      std::sort(values.begin(), values.end());
      band.low = values[j - 1];
      band.high = values[r - j];
    }
    prediction.stations.push_back(std::move(station));
  }
  return prediction;
}

DriftMonitor::DriftMonitor(const Scene& scene, const TelemetryNames& names,
                           const DriftSettings& settings)
    : DriftMonitor(scene, names, predict_station_windows(scene, settings), settings) {}

DriftMonitor::DriftMonitor(const Scene& scene, const TelemetryNames& names,
                           ModelPrediction prediction, const DriftSettings& settings)
    : scene_(scene),
      names_(names),
      settings_(settings),
      prediction_(std::move(prediction)),
      windows_(scene.stations().size()) {
  settings_.window_s = prediction_.window_s;
}

std::int64_t DriftMonitor::station_of(std::uint32_t machine) {
  while (station_of_machine_.size() < names_.machines().size()) {
    const std::string& id = names_.machines()[station_of_machine_.size()];
    std::int64_t position = -1;
    if (const auto element = scene_.find(id);
        element && scene_.element(*element).type == ElementType::kStation) {
      position = scene_.element(*element).type_index;
    }
    station_of_machine_.push_back(position);
  }
  return machine < station_of_machine_.size() ? station_of_machine_[machine] : -1;
}

void DriftMonitor::forget_before(StationWindow& w, std::int64_t t) const {
  // Keeps the last entry at or before t: it says what held when the window began.
  while (w.states.size() > 1 && w.states[1].first <= t)
    w.states.pop_front();
  while (w.good.size() > 1 && w.good[1].first <= t)
    w.good.pop_front();
}

void DriftMonitor::observe(const TelemetrySample& sample) {
  const std::int64_t position = station_of(sample.machine);
  if (position < 0) return;
  StationWindow& w = windows_[static_cast<std::size_t>(position)];
  if (sample.timestamp_us < w.newest_us) {
    ++out_of_order_;
    return;
  }
  w.newest_us = sample.timestamp_us;
  if (sample.kind == SampleKind::kState) {
    if (w.states.empty() || w.states.back().second != sample.state)
      w.states.emplace_back(sample.timestamp_us, sample.state);
  } else if (sample.kind == SampleKind::kCounter && sample.name < names_.names().size() &&
             names_.names()[sample.name] == kGoodPartsCounter) {
    // A reading below the last one means the machine reset its counter: counting restarts at 0.
    if (w.has_reading)
      w.good_total += sample.value >= w.last_reading ? sample.value - w.last_reading : sample.value;
    w.last_reading = sample.value;
    w.has_reading = true;
    w.good.emplace_back(sample.timestamp_us, w.good_total);
  }
  forget_before(w, sample.timestamp_us - static_cast<std::int64_t>(settings_.window_s * 1e6));
}

std::vector<DriftCheck> DriftMonitor::evaluate(std::int64_t now_us) const {
  std::vector<DriftCheck> out;
  const auto window_us = static_cast<std::int64_t>(std::llround(settings_.window_s * 1e6));
  const std::int64_t start = now_us - window_us;
  for (std::size_t s = 0; s < windows_.size(); ++s) {
    const StationWindow& w = windows_[s];
    const StationPrediction& predicted = prediction_.stations[s];
    if (w.states.empty() || w.states.front().first > start) continue;
    // Time in each state within [start, now].
    double in_state[kMachineStateCount] = {};
    for (std::size_t i = 0; i < w.states.size(); ++i) {
      const std::int64_t from = std::max(w.states[i].first, start);
      const std::int64_t to =
          std::min(i + 1 < w.states.size() ? w.states[i + 1].first : now_us, now_us);
      if (to > from)
        in_state[static_cast<int>(w.states[i].second)] += static_cast<double>(to - from);
    }
    const double span = static_cast<double>(window_us);
    if (in_state[static_cast<int>(MachineState::kUnknown)] / span > settings_.max_unknown_share)
      continue;
    auto add = [&](DriftKpi kpi, double observed) {
      DriftCheck check;
      check.element = predicted.element;
      check.station = predicted.station;
      check.kpi = kpi;
      check.observed = observed;
      check.band = predicted.bands[static_cast<std::size_t>(kpi)];
      check.outside = observed < check.band.low || observed > check.band.high;
      check.window_start_us = start;
      check.window_end_us = now_us;
      out.push_back(std::move(check));
    };
    if (predicted.shares_judged) {
      double shares[kDriftKpiCount] = {};
      for (int state = 0; state < kMachineStateCount; ++state) {
        const DriftKpi kpi = kShareOf[state];
        if (kpi != DriftKpi::kGoodPartsPerHour)
          shares[static_cast<int>(kpi)] += in_state[state] / span;
      }
      for (int k = 0; k < kDriftKpiCount; ++k) {
        if (static_cast<DriftKpi>(k) != DriftKpi::kGoodPartsPerHour)
          add(static_cast<DriftKpi>(k), shares[k]);
      }
    }
    // Parts made in the window: the running total at its end less that at its start.
    if (!w.good.empty() && w.good.front().first <= start) {
      double at_start = 0.0, at_end = 0.0;
      for (const auto& [t, total] : w.good) {
        if (t <= start) at_start = total;
        if (t <= now_us) at_end = total;
      }
      add(DriftKpi::kGoodPartsPerHour, (at_end - at_start) * 3600.0 / settings_.window_s);
    }
  }
  return out;
}

std::vector<DriftAlert> DriftMonitor::check(std::int64_t now_us) const {
  std::vector<DriftAlert> alerts = evaluate(now_us);
  std::erase_if(alerts, [](const DriftCheck& c) { return !c.outside; });
  return alerts;
}

}  // namespace linetwin
