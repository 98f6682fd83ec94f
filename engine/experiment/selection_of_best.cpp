#include "experiment/selection_of_best.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace linetwin {

std::optional<SelectionSettingsProblem> selection_settings_problem(
    const SelectionSettings& settings, std::size_t systems) {
  if (!(settings.indifference > 0.0) || !std::isfinite(settings.indifference)) {
    return SelectionSettingsProblem{
        "indifference", fmt::format("expected a positive number in the KPI's unit, found {}",
                                    settings.indifference)};
  }
  // Below 1/k a random pick would do as well; KN's eta needs 2 alpha / (k - 1) < 1, which this
  // implies for every k >= 2.
  const double lowest = systems > 1 ? 1.0 / static_cast<double>(systems) : 0.0;
  if (!(settings.confidence > lowest && settings.confidence < 1.0)) {
    return SelectionSettingsProblem{
        "confidence",
        fmt::format("expected more than {:.6g} (1 / {} variants) and less than 1, found {}", lowest,
                    systems, settings.confidence)};
  }
  if (settings.first_stage < 2) {
    return SelectionSettingsProblem{
        "first_stage",
        fmt::format("expected at least 2 replications (the first stage estimates variances), "
                    "found {}",
                    settings.first_stage)};
  }
  if (settings.max_replications != 0 && settings.max_replications < settings.first_stage) {
    return SelectionSettingsProblem{
        "max_replications",
        fmt::format("expected 0 (no limit) or at least first_stage ({}), found {}",
                    settings.first_stage, settings.max_replications)};
  }
  return std::nullopt;
}

double kim_nelson_eta(std::size_t systems, double confidence, std::uint32_t first_stage) {
  const double alpha = 1.0 - confidence;
  const double k = static_cast<double>(systems);
  return 0.5 * (std::pow(2.0 * alpha / (k - 1.0), -2.0 / (first_stage - 1.0)) - 1.0);
}

KimNelsonSelection::KimNelsonSelection(std::size_t systems, SelectionSettings settings)
    : settings_(settings),
      sign_(settings.maximise ? 1.0 : -1.0),
      systems_(systems),
      closes_at_(systems * systems, 0.0),
      limit_(settings.max_replications != 0 ? settings.max_replications
                                            : std::numeric_limits<std::uint32_t>::max()) {
  assert(systems >= 1);
  assert(!selection_settings_problem(settings, systems));
  if (systems > 1) {
    h2_ = 2.0 * kim_nelson_eta(systems, settings.confidence, settings.first_stage) *
          (settings.first_stage - 1.0);
  }
}

std::vector<SelectionRun> KimNelsonSelection::next_round() const {
  std::vector<SelectionRun> runs;
  if (done()) return runs;
  if (r_ == 0) {
    runs.reserve(systems_.size() * settings_.first_stage);
    for (std::size_t i = 0; i < systems_.size(); ++i) {
      for (std::uint32_t j = 0; j < settings_.first_stage; ++j)
        runs.push_back({i, j});
    }
    return runs;
  }
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    if (systems_[i].contending()) runs.push_back({i, r_});
  }
  return runs;
}

void KimNelsonSelection::eliminate_undefined(std::size_t system) {
  SelectedSystem& outcome = systems_[system].outcome;
  outcome.elimination = Elimination::kUndefinedValue;
  outcome.eliminated_after = outcome.replications;
}

void KimNelsonSelection::add_first_stage(std::span<const double> values) {
  const std::size_t n0 = settings_.first_stage;
  assert(values.size() == systems_.size() * n0);
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    SystemState& s = systems_[i];
    s.outcome.replications = settings_.first_stage;
    for (const double v : values.subspan(i * n0, n0)) {
      if (!std::isfinite(v)) continue;
      s.sum += sign_ * v;
      ++s.defined;
    }
    if (s.defined < n0) eliminate_undefined(i);
  }
  r_ = settings_.first_stage;

  // S2_il = sum_j (X_ij - X_lj - (mean_i - mean_l))^2 / (n0 - 1) over the first stage; the sign
  // does not change it.
  double latest_close = static_cast<double>(r_);
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    for (std::size_t l = i + 1; l < systems_.size(); ++l) {
      if (!systems_[i].contending() || !systems_[l].contending()) continue;
      const double mean_difference = (systems_[i].sum - systems_[l].sum) / n0;
      double squares = 0.0;
      for (std::size_t j = 0; j < n0; ++j) {
        const double d = sign_ * (values[i * n0 + j] - values[l * n0 + j]) - mean_difference;
        squares += d * d;
      }
      const double variance = squares / (n0 - 1.0);
      const double close = h2_ * variance / (settings_.indifference * settings_.indifference);
      closes_at(i, l) = close;
      closes_at(l, i) = close;
      latest_close = std::max(latest_close, std::ceil(close));
    }
  }
  bound_ = static_cast<std::uint32_t>(std::min(latest_close, static_cast<double>(limit_)));
}

void KimNelsonSelection::add_replication(std::span<const double> values) {
  std::size_t next = 0;
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    SystemState& s = systems_[i];
    if (!s.contending()) continue;
    assert(next < values.size());
    const double v = values[next++];
    ++s.outcome.replications;
    if (!std::isfinite(v)) {
      eliminate_undefined(i);
    } else {
      s.sum += sign_ * v;
      ++s.defined;
    }
  }
  assert(next == values.size());
  ++r_;
}

bool KimNelsonSelection::screen() {
  // Every comparison is against the systems in contention before this screening (KN's I_old), so
  // the order in which systems are looked at does not matter. In sums over r replications, i
  // stays iff sum_i - sum_l >= -r W_il(r) for every other l, where
  //   r W_il(r) = max(0, (delta / 2) (h2 S2_il / delta^2 - r)).
  std::vector<std::size_t> before;
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    if (systems_[i].contending()) before.push_back(i);
  }
  const double r = static_cast<double>(r_);
  std::vector<std::size_t> behind(systems_.size(), systems_.size());
  for (const std::size_t i : before) {
    for (const std::size_t l : before) {
      if (l == i) continue;
      const double allowance = std::max(0.0, 0.5 * settings_.indifference * (closes_at(i, l) - r));
      if (systems_[i].sum - systems_[l].sum < -allowance) {
        behind[i] = l;
        break;
      }
    }
  }
  bool closed = true;
  for (const std::size_t i : before) {
    if (behind[i] != systems_.size()) {
      SelectedSystem& outcome = systems_[i].outcome;
      outcome.elimination = Elimination::kOutsideRegion;
      outcome.eliminated_after = r_;
      outcome.eliminated_by = behind[i];
      continue;
    }
    for (const std::size_t l : before) {
      if (l != i && behind[l] == systems_.size() && r < closes_at(i, l)) closed = false;
    }
  }
  return closed;
}

void KimNelsonSelection::add_round(std::span<const double> values) {
  assert(!done());
  if (r_ == 0) {
    add_first_stage(values);
  } else {
    add_replication(values);
  }
  if (std::none_of(systems_.begin(), systems_.end(),
                   [](const SystemState& s) { return s.contending(); })) {
    end_ = SelectionEnd::kNoneLeft;
    return;
  }
  const bool closed = screen();
  const auto left = std::count_if(systems_.begin(), systems_.end(),
                                  [](const SystemState& s) { return s.contending(); });
  if (left == 1) {
    end_ = SelectionEnd::kOneLeft;
  } else if (closed) {
    end_ = SelectionEnd::kTied;
  } else if (r_ >= limit_) {
    end_ = SelectionEnd::kReplicationLimit;
  }
}

SelectionResult KimNelsonSelection::result() const {
  assert(done());
  SelectionResult result;
  result.end = *end_;
  result.reached = *end_ == SelectionEnd::kOneLeft;
  result.replication_bound = bound_;
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    const SystemState& s = systems_[i];
    SelectedSystem outcome = s.outcome;
    outcome.mean =
        s.defined > 0 ? sign_ * s.sum / s.defined : std::numeric_limits<double>::quiet_NaN();
    result.systems.push_back(outcome);
    if (!s.contending()) continue;
    result.survivors.push_back(i);
    // Survivors have had the same replications, so the largest sum is the best sample mean.
    if (!result.best || s.sum > systems_[*result.best].sum) result.best = i;
  }
  return result;
}

}  // namespace linetwin
