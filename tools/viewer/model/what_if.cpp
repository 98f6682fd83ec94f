#include "what_if.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "plant/line_run.hpp"

namespace linetwin::viewer {

std::string_view parameter_name(WhatIfParameter parameter) {
  switch (parameter) {
    case WhatIfParameter::kProcessingMean:
      return "processing mean";
    case WhatIfParameter::kServers:
      return "servers";
    case WhatIfParameter::kBufferCapacity:
      return "capacity";
  }
  return "";
}

std::string describe(const WhatIfChange& change) {
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
    }
  }
  return overrides;
}

WhatIfRun::WhatIfRun(const Scene& baseline, const Scene& changed, ExperimentSettings settings)
    : baseline_(baseline),
      changed_(changed),
      settings_(std::move(settings)),
      total_(2 * std::size_t{settings_.run.replications}),
      thread_([this] { work(); }) {}

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
      try {
        LineRun run(which == 0 ? baseline_ : changed_, settings_.seed, r, settings_.run);
        results_[which][r] = run.run_to_end();
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
