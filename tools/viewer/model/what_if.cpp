#include "what_if.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace linetwin::viewer {

std::string_view parameter_name(WhatIfParameter parameter) {
  switch (parameter) {
    case WhatIfParameter::kProcessingMean:
      return "processing mean";
    case WhatIfParameter::kServers:
      return "servers";
    case WhatIfParameter::kBufferCapacity:
      return "capacity";
    case WhatIfParameter::kDownFor:
      return "stays down for";
  }
  return "";
}

std::string describe(const WhatIfChange& change) {
  if (change.parameter == WhatIfParameter::kDownFor)
    return fmt::format("{} stays down for {:.6g} h", change.element, change.value);
  return fmt::format("{} {} = {:.6g}", change.element, parameter_name(change.parameter),
                     change.value);
}

double current_value(const Scene& scene, ElementIndex element, WhatIfParameter parameter) {
  const Element& e = scene.element(element);
  switch (parameter) {
    case WhatIfParameter::kProcessingMean:
      return scene.station_spec(e).processing.mean();
    case WhatIfParameter::kServers:
      return scene.station_spec(e).servers;
    case WhatIfParameter::kBufferCapacity:
      return static_cast<double>(scene.buffer_spec(e).capacity);
    case WhatIfParameter::kDownFor:
      return 0.0;
  }
  return 0.0;
}

std::vector<SceneOverride> what_if_overrides(const Scene& scene,
                                             const std::vector<WhatIfChange>& changes,
                                             const std::string& display_name) {
  std::vector<SceneOverride> overrides;
  auto add = [&](std::string path, std::string value) {
    InputLocation origin{display_name, 0, 0, path};
    overrides.push_back({std::move(path), std::move(value), std::move(origin)});
  };
  for (const WhatIfChange& change : changes) {
    switch (change.parameter) {
      case WhatIfParameter::kProcessingMean: {
        add(change.element + ".processing.mean", fmt::format("{}s", change.value));
        // Each product's own processing time keeps its ratio to the station's.
        const std::optional<ElementIndex> index = scene.find(change.element);
        if (!index || scene.element(*index).type != ElementType::kStation) break;
        const StationSpec& spec = scene.station_spec(scene.element(*index));
        const double factor = change.value / spec.processing.mean();
        for (std::size_t p = 0; p < spec.processing_by_product.size(); ++p) {
          if (!spec.processing_by_product[p]) continue;
          add(fmt::format("{}.processing_by_product.{}.mean", change.element, scene.products()[p]),
              fmt::format("{}s", spec.processing_by_product[p]->mean() * factor));
        }
        break;
      }
      case WhatIfParameter::kServers:
        add(change.element + ".servers", fmt::format("{}", change.value));
        break;
      case WhatIfParameter::kBufferCapacity:
        add(change.element + ".capacity", fmt::format("{}", change.value));
        break;
      case WhatIfParameter::kDownFor:
        break;  // the snapshot's, not the scene's (what_if_starts)
    }
  }
  return overrides;
}

WhatIfStarts what_if_starts(const LineSnapshot& now,
                            const std::vector<std::optional<std::uint64_t>>& given_levels,
                            const std::vector<WhatIfChange>& changes,
                            const std::string& display_name) {
  auto baseline = std::make_shared<StartingSnapshot>(StartingSnapshot{now, display_name});
  // Every level the estimate could not tell, all named at once: the window asks for each.
  std::string missing;
  std::string first_field;
  for (std::size_t i = 0; i < baseline->snapshot.buffers.size(); ++i) {
    BufferSnapshot& buffer = baseline->snapshot.buffers[i];
    if (buffer.level) continue;
    if (i < given_levels.size() && given_levels[i]) {
      buffer.level = given_levels[i];
      buffer.source = "given";
      continue;
    }
    if (first_field.empty()) first_field = "buffers." + buffer.id + ".level";
    missing += fmt::format("{}{} ({})", missing.empty() ? "" : ", ", buffer.id, buffer.source);
  }
  if (!missing.empty()) {
    throw InputError({display_name, 0, 0, first_field},
                     "expected a level for each buffer whose level the telemetry cannot tell; "
                     "enter one for " +
                         missing);
  }
  auto changed = std::make_shared<StartingSnapshot>(*baseline);
  for (const WhatIfChange& change : changes) {
    if (!acts_on_state(change.parameter)) continue;
    const std::string field = "stations." + change.element + ".down_for";
    const auto station =
        std::find_if(changed->snapshot.stations.begin(), changed->snapshot.stations.end(),
                     [&](const StationSnapshot& s) { return s.id == change.element; });
    if (station == changed->snapshot.stations.end()) {
      throw InputError({display_name, 0, 0, field},
                       fmt::format("expected a station of the line, found {}", change.element));
    }
    if (!(std::isfinite(change.value) && change.value >= 0.0)) {
      throw InputError({display_name, 0, 0, field},
                       fmt::format("expected hours of 0 or more, found {}", change.value));
    }
    station->down_for_s = change.value * 3600.0;
  }
  return {std::move(baseline), std::move(changed)};
}

WhatIfRun::WhatIfRun(const Scene& baseline, const Scene& changed, ExperimentSettings settings,
                     std::shared_ptr<const StartingSnapshot> changed_start)
    : baseline_(baseline),
      changed_(changed),
      settings_(std::move(settings)),
      changed_start_(std::move(changed_start)),
      total_(2 * std::size_t{settings_.run.replications}),
      thread_([this] { work(); }) {
  assert((settings_.start == nullptr) == (changed_start_ == nullptr));
}

WhatIfRun::~WhatIfRun() {
  cancel();
  thread_.join();
}

void WhatIfRun::work() {
  const std::size_t n = settings_.run.replications;
  results_[0].resize(n);
  results_[1].resize(n);
  unsigned threads = settings_.threads == 0 ? std::max(1u, std::thread::hardware_concurrency())
                                            : settings_.threads;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(total_, 1)));
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  // Jobs alternate between the scenes, so that both advance together.
  auto worker = [&] {
    while (!cancel_.load()) {
      const std::size_t job = next.fetch_add(1);
      if (job >= total_) return;
      const std::size_t which = job % 2;
      const auto r = static_cast<std::uint32_t>(job / 2);
      const ReplicationJob one{which == 0 ? &baseline_ : &changed_, settings_.seed, r,
                               settings_.run, which == 0 ? settings_.start : changed_start_};
      try {
        // One job at a time, on this worker, so that cancel() is seen between replications.
        results_[which][r] = run_job(one);
      } catch (const std::exception& e) {
        // Exceptions never cross a thread: keep the first as text and stop handing out work.
        std::lock_guard lock(error_mutex);
        if (error_.empty()) error_ = e.what();
        next.store(total_);
        return;
      }
      done_.fetch_add(1);
    }
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t)
      pool.emplace_back(worker);
    worker();
  }
  if (!cancel_.load() && error_.empty()) {
    rows_ = compare(baseline_, results_[0], results_[1]);
    deadlocks_ = count_deadlocks(results_[0], results_[1]);
  }
  finished_.store(true);
}

}  // namespace linetwin::viewer
