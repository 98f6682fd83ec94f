#include "experiment/sweep.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/random_stream.hpp"
#include "experiment/replication_table.hpp"
#include "experiment/replications.hpp"
#include "experiment/variant_comparison.hpp"

namespace linetwin {

std::uint64_t independent_seed(std::uint64_t seed, std::size_t variant) {
  if (variant == 0) return seed;
  // A seed of its own per variant, far from the others in the stream space: the keys of
  // RandomStream mix the seed through splitmix64 first, so neighbouring seeds are as
  // independent as any; hashing the pair keeps "seed 1, variant 2" apart from "seed 2, variant 1".
  std::uint64_t state = seed ^ (0xd1b54a32d192ed03ULL * static_cast<std::uint64_t>(variant));
  return splitmix64(state);
}

namespace {

// The sweep's store of results and the runner that fills it, round by round.
class SweepRunner {
 public:
  SweepRunner(const std::vector<SweepVariant>& variants, const SweepSettings& settings)
      : variants_(variants), settings_(settings), store_(variants.size()) {}

  // Runs replications [from, to) of each listed variant whose store is shorter than `to`.
  void run_round(const std::vector<std::pair<std::size_t, std::uint32_t>>& wanted) {
    std::vector<ReplicationJob> jobs;
    std::vector<std::pair<std::size_t, std::uint32_t>> where;
    for (const auto& [v, count] : wanted) {
      for (auto r = static_cast<std::uint32_t>(store_[v].size()); r < count; ++r) {
        jobs.push_back(job(v, r));
        where.emplace_back(v, r);
      }
    }
    planned_ += jobs.size();
    std::vector<ReplicationResult> results =
        run_jobs(jobs, settings_.threads, progress(), settings_.cancel);
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      auto& slot = store_[where[j].first];
      assert(slot.size() == where[j].second);
      slot.push_back(std::move(results[j]));
    }
  }

  ReplicationJob job(std::size_t v, std::uint32_t r) const {
    const std::uint64_t seed =
        settings_.common_random_numbers ? settings_.seed : independent_seed(settings_.seed, v);
    RunSettings run = variants_[v].run;
    run.replications = settings_.replications;
    return ReplicationJob{variants_[v].scene, seed, r, run, settings_.start};
  }

  std::function<void()> progress() {
    if (!settings_.progress) return {};
    return [this] { settings_.progress(++finished_, planned_); };
  }

  std::vector<std::vector<ReplicationResult>>& store() { return store_; }

 private:
  const std::vector<SweepVariant>& variants_;
  const SweepSettings& settings_;
  std::vector<std::vector<ReplicationResult>> store_;
  std::size_t planned_ = 0;
  std::size_t finished_ = 0;
};

std::size_t kpi_column(const ReplicationTable& table, const std::string& kpi,
                       const std::string& variant, const char* field) {
  if (const auto column = table.find(kpi)) return *column;
  throw InputError({"", 0, 0, field},
                   fmt::format("expected a KPI of variant '{}', found '{}'", variant, kpi));
}

std::vector<PrecisionOutcome> reach_precision(SweepRunner& runner,
                                              const std::vector<SweepVariant>& variants,
                                              const PrecisionSettings& goal) {
  std::vector<ReplicationTable> tables;
  std::vector<std::size_t> columns;
  for (const SweepVariant& v : variants) {
    tables.emplace_back(*v.scene);
    columns.push_back(kpi_column(tables.back(), goal.kpi, v.name, "precision.kpi"));
  }
  std::vector<PrecisionOutcome> outcomes(variants.size());
  std::vector<bool> settled(variants.size(), false);
  for (;;) {
    std::vector<std::pair<std::size_t, std::uint32_t>> wanted;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      if (settled[v]) continue;
      const auto& results = runner.store()[v];
      outcomes[v].estimate = kpi_estimate(tables[v], columns[v], results, goal.confidence);
      const Estimate& e = outcomes[v].estimate;
      const double half_width = (e.ci_high - e.ci_low) / 2.0;
      if (e.has_interval && half_width <= goal.half_width) {
        outcomes[v].reached = true;
        settled[v] = true;
      } else if (results.size() >= goal.max_replications) {
        settled[v] = true;
      } else {
        const auto n = static_cast<std::uint32_t>(results.size());
        wanted.emplace_back(v, std::min(goal.max_replications, n + goal.batch));
      }
    }
    if (wanted.empty()) return outcomes;
    runner.run_round(wanted);
  }
}

SelectionResult select_best(SweepRunner& runner, const std::vector<SweepVariant>& variants,
                            const SelectionOfBestSettings& selection) {
  std::vector<ReplicationTable> tables;
  std::vector<std::size_t> columns;
  for (const SweepVariant& v : variants) {
    tables.emplace_back(*v.scene);
    columns.push_back(kpi_column(tables.back(), selection.kpi, v.name, "selection.kpi"));
  }
  KimNelsonSelection procedure(variants.size(), selection.procedure);
  while (!procedure.done()) {
    const std::vector<SelectionRun> round = procedure.next_round();
    std::vector<std::pair<std::size_t, std::uint32_t>> wanted;
    for (const SelectionRun& run : round) {
      const auto have = std::find_if(wanted.begin(), wanted.end(),
                                     [&](const auto& w) { return w.first == run.system; });
      if (have == wanted.end()) {
        wanted.emplace_back(run.system, run.replication + 1);
      } else {
        have->second = std::max(have->second, run.replication + 1);
      }
    }
    runner.run_round(wanted);  // runs only what the store lacks
    std::vector<double> values;
    for (const SelectionRun& run : round) {
      const ReplicationResult& r = runner.store()[run.system][run.replication];
      // A deadlocked replication has no value: it eliminates its variant.
      values.push_back(r.deadlock ? std::nan("")
                                  : tables[run.system].value(r, columns[run.system]));
    }
    procedure.add_round(values);
  }
  return procedure.result();
}

}  // namespace

SweepResults run_sweep(const std::vector<SweepVariant>& variants, const SweepSettings& settings) {
  SweepResults out;
  if (settings.shard.count > 1) {
    assert(!settings.precision && !settings.selection);
    // Every count-th item of the variant-major list (variant, replication).
    std::vector<ReplicationJob> jobs;
    SweepRunner runner(variants, settings);
    for (std::uint32_t v = 0; v < variants.size(); ++v) {
      for (std::uint32_t r = 0; r < settings.replications; ++r) {
        const std::size_t item = std::size_t{v} * settings.replications + r;
        if (item % settings.shard.count != settings.shard.index - 1) continue;
        jobs.push_back(runner.job(v, r));
        out.items.push_back(SweepItem{v, r, {}});
      }
    }
    std::size_t finished = 0;
    std::function<void()> finished_one;
    if (settings.progress) finished_one = [&] { settings.progress(++finished, jobs.size()); };
    std::vector<ReplicationResult> results =
        run_jobs(jobs, settings.threads, finished_one, settings.cancel);
    for (std::size_t j = 0; j < jobs.size(); ++j)
      out.items[j].result = std::move(results[j]);
    return out;
  }
  SweepRunner runner(variants, settings);
  std::vector<std::pair<std::size_t, std::uint32_t>> first;
  for (std::size_t v = 0; v < variants.size(); ++v)
    first.emplace_back(v, settings.replications);
  runner.run_round(first);
  if (settings.precision) out.precision = reach_precision(runner, variants, *settings.precision);
  if (settings.selection) out.selection = select_best(runner, variants, *settings.selection);
  out.replications = std::move(runner.store());
  return out;
}

std::vector<std::vector<ReplicationResult>> merge_sweep_items(std::vector<SweepItem> items,
                                                              std::size_t variants,
                                                              std::uint32_t replications) {
  std::vector<std::vector<ReplicationResult>> out(variants);
  for (auto& results : out)
    results.resize(replications);
  std::vector<std::vector<bool>> seen(variants, std::vector<bool>(replications, false));
  for (SweepItem& item : items) {
    if (item.variant >= variants || item.replication >= replications) {
      throw std::invalid_argument(fmt::format(
          "variant {} replication {} is outside the sweep ({} variants, {} replications)",
          item.variant, item.replication, variants, replications));
    }
    if (seen[item.variant][item.replication]) {
      throw std::invalid_argument(
          fmt::format("variant {} replication {} is there twice", item.variant, item.replication));
    }
    seen[item.variant][item.replication] = true;
    out[item.variant][item.replication] = std::move(item.result);
  }
  for (std::size_t v = 0; v < variants; ++v) {
    for (std::uint32_t r = 0; r < replications; ++r) {
      if (!seen[v][r]) {
        throw std::invalid_argument(fmt::format("variant {} replication {} is missing", v, r));
      }
    }
  }
  return out;
}

}  // namespace linetwin
