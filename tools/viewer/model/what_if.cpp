#include "what_if.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/duration.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

namespace linetwin::viewer {
namespace {

// The parameters of a distribution that are durations: scaling them all by c scales every draw,
// and so the mean, by c (shape parameters are left alone).
constexpr std::string_view kDurationKeys[] = {"value", "min", "max", "mode", "mean", "sd", "scale"};

std::string seconds_text(double seconds) {
  return fmt::format("{}s", seconds);
}

double duration_of(const YAML::Node& node) {
  // The text was loaded as a scene already, so every duration in it parses.
  return parse_duration_seconds(node.Scalar()).value_or(0.0);
}

void scale_distribution(YAML::Node node, double factor) {
  if (node.IsScalar()) {  // a bare duration: a constant
    node = seconds_text(duration_of(node) * factor);
    return;
  }
  for (std::string_view key : kDurationKeys) {
    const std::string k(key);
    if (node[k]) node[k] = seconds_text(duration_of(node[k]) * factor);
  }
  if (YAML::Node samples = node["samples"]) {
    for (std::size_t i = 0; i < samples.size(); ++i)
      samples[i] = seconds_text(duration_of(samples[i]) * factor);
  }
}

InputError change_error(const std::string& display_name, const WhatIfChange& change,
                        const std::string& what) {
  return InputError(
      {display_name, 0, 0, change.element + "." + std::string(parameter_name(change.parameter))},
      what);
}

std::uint64_t whole_number(const std::string& display_name, const WhatIfChange& change,
                           double minimum) {
  if (!(change.value >= minimum) || change.value != std::floor(change.value) ||
      change.value > 1e9) {
    throw change_error(
        display_name, change,
        fmt::format("expected a whole number of at least {}, found {}", minimum, change.value));
  }
  return static_cast<std::uint64_t>(change.value);
}

}  // namespace

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

std::string apply_what_if(std::string_view scene_yaml, const WhatIfChange& change,
                          const std::string& display_name) {
  const Scene scene = load_scene_text(scene_yaml, display_name);
  const std::optional<ElementIndex> index = scene.find(change.element);
  if (!index) {
    throw change_error(display_name, change,
                       fmt::format("expected the id of an element, found '{}'", change.element));
  }
  const ElementType wanted = change.parameter == WhatIfParameter::kBufferCapacity
                                 ? ElementType::kBuffer
                                 : ElementType::kStation;
  if (scene.element(*index).type != wanted) {
    throw change_error(display_name, change,
                       fmt::format("expected a {}, found a {}", to_string(wanted),
                                   to_string(scene.element(*index).type)));
  }

  YAML::Node root = YAML::Load(std::string(scene_yaml));
  YAML::Node element;
  for (YAML::Node e : root["elements"]) {
    if (e["id"].Scalar() == change.element) element = e;
  }
  switch (change.parameter) {
    case WhatIfParameter::kProcessingMean: {
      const double old_mean = current_value(scene, *index, change.parameter);
      if (!(change.value > 0.0) || !std::isfinite(change.value)) {
        throw change_error(display_name, change,
                           fmt::format("expected a mean above 0 s, found {}", change.value));
      }
      if (!element["processing"] || !(old_mean > 0.0)) {
        throw change_error(display_name, change,
                           "expected a station with a processing time for every product");
      }
      const double factor = change.value / old_mean;
      scale_distribution(element["processing"], factor);
      if (YAML::Node by_product = element["processing_by_product"]) {
        for (auto entry : by_product)
          scale_distribution(entry.second, factor);
      }
      break;
    }
    case WhatIfParameter::kServers:
      element["servers"] = whole_number(display_name, change, 1);
      break;
    case WhatIfParameter::kBufferCapacity:
      element["capacity"] = whole_number(display_name, change, 0);
      break;
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

std::vector<ComparisonRow> compare(const Scene& scene,
                                   const std::vector<ReplicationResult>& baseline,
                                   const std::vector<ReplicationResult>& changed,
                                   double confidence) {
  std::vector<ComparisonRow> rows;
  auto add = [&](std::string kpi, auto get) {
    std::vector<double> b, c, d;
    constexpr double kLeftOut = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < baseline.size() && r < changed.size(); ++r) {
      const double vb = baseline[r].deadlock ? kLeftOut : get(baseline[r]);
      const double vc = changed[r].deadlock ? kLeftOut : get(changed[r]);
      if (!std::isnan(vb)) b.push_back(vb);
      if (!std::isnan(vc)) c.push_back(vc);
      if (!std::isnan(vb) && !std::isnan(vc)) d.push_back(vc - vb);
    }
    ComparisonRow row;
    row.kpi = std::move(kpi);
    row.baseline = estimate(b, confidence);
    row.changed = estimate(c, confidence);
    row.difference = estimate(d, confidence);
    row.differs = row.difference.has_interval &&
                  (row.difference.ci_low > 0.0 || row.difference.ci_high < 0.0);
    rows.push_back(std::move(row));
  };
  add("throughput [parts/h]", [](const ReplicationResult& r) { return r.throughput_per_hour; });
  add("WIP [parts]", [](const ReplicationResult& r) { return r.wip_mean; });
  add("lead time [s]", [](const ReplicationResult& r) { return r.lead_time_mean_s; });
  for (std::size_t s = 0; s < scene.stations().size(); ++s) {
    const std::string& id = scene.element(scene.stations()[s]).id;
    add(id + " OEE", [s](const ReplicationResult& r) { return r.stations[s].oee.oee; });
    add(id + " working", [s](const ReplicationResult& r) { return r.stations[s].working; });
  }
  return rows;
}

WhatIfDeadlocks count_deadlocks(const std::vector<ReplicationResult>& baseline,
                                const std::vector<ReplicationResult>& changed) {
  const auto deadlocked = [](const std::vector<ReplicationResult>& results) {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [](const ReplicationResult& r) { return r.deadlock; }));
  };
  return {deadlocked(baseline), deadlocked(changed), std::min(baseline.size(), changed.size())};
}

std::vector<std::string> deadlock_notes(const WhatIfDeadlocks& deadlocks) {
  std::vector<std::string> notes;
  for (const auto& [count, scene] :
       {std::pair{deadlocks.baseline, "baseline"}, std::pair{deadlocks.changed, "changed"}}) {
    if (count > 0) {
      notes.push_back(fmt::format("{} of {} {} replication{} deadlocked", count,
                                  deadlocks.replications, scene,
                                  deadlocks.replications == 1 ? "" : "s"));
    }
  }
  return notes;
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
