#include "plant/scene.hpp"

#include <cmath>

#include <fmt/format.h>

namespace linetwin {

std::string_view to_string(ElementType type) {
  switch (type) {
    case ElementType::kSource:
      return "source";
    case ElementType::kBuffer:
      return "buffer";
    case ElementType::kStation:
      return "station";
    case ElementType::kSink:
      return "sink";
  }
  return "unknown";
}

std::optional<ElementIndex> Scene::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

SceneBuilder::SceneBuilder(std::string name) {
  scene_.name_ = std::move(name);
}

SceneBuilder& SceneBuilder::source_file(std::string path) {
  scene_.source_file_ = std::move(path);
  return *this;
}
SceneBuilder& SceneBuilder::product(std::string name) {
  scene_.product_ = std::move(name);
  return *this;
}
SceneBuilder& SceneBuilder::elements_origin(Origin origin) {
  elements_origin_ = std::move(origin);
  return *this;
}
SceneBuilder& SceneBuilder::seed(std::uint64_t seed) {
  scene_.seed_ = seed;
  return *this;
}
SceneBuilder& SceneBuilder::run_settings(RunSettings settings) {
  scene_.run_settings_ = settings;
  return *this;
}

SceneBuilder& SceneBuilder::add_source(Common common, SourceSpec spec) {
  scene_.source_specs_.push_back(std::move(spec));
  pending_.push_back({std::move(common), ElementType::kSource});
  return *this;
}
SceneBuilder& SceneBuilder::add_buffer(Common common, BufferSpec spec) {
  scene_.buffer_specs_.push_back(spec);
  pending_.push_back({std::move(common), ElementType::kBuffer});
  return *this;
}
SceneBuilder& SceneBuilder::add_station(Common common, StationSpec spec) {
  scene_.station_specs_.push_back(std::move(spec));
  pending_.push_back({std::move(common), ElementType::kStation});
  return *this;
}
SceneBuilder& SceneBuilder::add_sink(Common common) {
  pending_.push_back({std::move(common), ElementType::kSink});
  return *this;
}

InputError SceneBuilder::error_at(const Origin& origin, std::string_view field,
                                  const std::string& what) const {
  std::string path = origin.field_path;
  if (!field.empty()) {
    if (!path.empty()) path.push_back('.');
    path.append(field);
  }
  return InputError({scene_.source_file_, origin.line, origin.column, path}, what);
}

namespace {
bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

Scene SceneBuilder::build() const {
  Scene scene = scene_;
  const RunSettings& run = scene.run_settings_;
  if (!(std::isfinite(run.duration_s) && run.duration_s > 0.0)) {
    throw InputError({scene.source_file_, 0, 0, "run.duration"},
                     fmt::format("expected a duration > 0, found {}s", run.duration_s));
  }
  if (!(std::isfinite(run.warmup_s) && run.warmup_s >= 0.0)) {
    throw InputError({scene.source_file_, 0, 0, "run.warmup"},
                     fmt::format("expected a duration >= 0, found {}s", run.warmup_s));
  }
  if (run.replications < 1) {
    throw InputError({scene.source_file_, 0, 0, "run.replications"},
                     "expected at least 1 replication, found 0");
  }

  // Pass 1: ids, types and per-type parameters.
  std::uint32_t counts[4] = {0, 0, 0, 0};
  for (const Pending& p : pending_) {
    const Origin& origin = p.common.origin;
    if (!valid_id(p.common.id)) {
      throw error_at(origin, "id",
                     fmt::format("expected a non-empty id of letters, digits, '_', '-' or '.', "
                                 "found '{}'",
                                 p.common.id));
    }
    auto [it, inserted] =
        scene.by_id_.emplace(p.common.id, static_cast<ElementIndex>(scene.elements_.size()));
    if (!inserted) {
      throw error_at(origin, "id",
                     fmt::format("expected a unique id, but '{}' is already used by "
                                 "element {}",
                                 p.common.id, it->second));
    }
    Element e;
    e.id = p.common.id;
    e.type = p.type;
    e.type_index = counts[static_cast<int>(p.type)]++;
    e.pose = p.common.pose;
    e.model = p.common.model;
    scene.of_type_[static_cast<int>(p.type)].push_back(
        static_cast<ElementIndex>(scene.elements_.size()));
    scene.elements_.push_back(std::move(e));
  }
  if (scene.sources().empty()) throw error_at(elements_origin_, "", "expected at least one source");
  if (scene.sinks().empty()) throw error_at(elements_origin_, "", "expected at least one sink");
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Element& e = scene.elements_[i];
    const Origin& origin = pending_[i].common.origin;
    auto check = [&](const Distribution& d, std::string_view field) {
      if (auto problem = d.problem()) throw error_at(origin, field, *problem);
    };
    if (e.type == ElementType::kSource) {
      const SourceSpec& spec = scene.source_specs_[e.type_index];
      if (!spec.unlimited_supply) {
        check(spec.interarrival, "interarrival");
        // Arrivals that take no time on average would never let the clock advance.
        if (!(spec.interarrival.mean() > 0.0)) {
          throw error_at(origin, "interarrival", "expected an inter-arrival time with a mean > 0");
        }
      }
    } else if (e.type == ElementType::kStation) {
      const StationSpec& spec = scene.station_specs_[e.type_index];
      if (spec.servers < 1) {
        throw error_at(origin, "servers", "expected at least 1 server, found 0");
      }
      check(spec.processing, "processing");
      if (!(spec.processing.mean() > 0.0)) {
        throw error_at(origin, "processing",
                       "expected a processing time with a mean > 0 (a line of stations that take "
                       "no time would never let the clock advance)");
      }
      if (spec.breakdowns) {
        check(spec.breakdowns->time_to_failure, "breakdowns.time_to_failure");
        check(spec.breakdowns->time_to_repair, "breakdowns.time_to_repair");
        if (spec.breakdowns->time_to_failure.mean() <= 0.0) {
          throw error_at(origin, "breakdowns.time_to_failure",
                         "expected a mean time to failure > 0, found 0");
        }
      }
    }
  }

  // Pass 2: connections.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Element& e = scene.elements_[i];
    const Origin& origin = pending_[i].common.origin;
    const std::string& to = pending_[i].common.to;
    if (e.type == ElementType::kSink) {
      if (!to.empty()) {
        throw error_at(
            origin, "to",
            fmt::format("a sink is the end of the line and takes no 'to', found '{}'", to));
      }
      continue;
    }
    if (to.empty()) {
      throw error_at(origin, "to",
                     fmt::format("expected the id of the element this {} hands its parts to",
                                 to_string(e.type)));
    }
    auto target = scene.find(to);
    if (!target) {
      throw error_at(origin, "to",
                     fmt::format("expected the id of an element in this scene, found "
                                 "'{}', which no element has",
                                 to));
    }
    if (*target == i)
      throw error_at(origin, "to", "expected another element, found the element itself");
    const Element& t = scene.elements_[*target];
    if (t.type == ElementType::kSource) {
      throw error_at(origin, "to",
                     fmt::format("'{}' is a source and takes no parts; expected a "
                                 "buffer, station or sink",
                                 to));
    }
    if (e.type == ElementType::kBuffer && t.type == ElementType::kBuffer) {
      throw error_at(origin, "to",
                     fmt::format("a buffer feeds a station or a sink, found buffer "
                                 "'{}' (join the two buffers into one)",
                                 to));
    }
    e.downstream = *target;
    if (t.type == ElementType::kStation) {
      Element& station = scene.elements_[*target];
      if (station.upstream != kNoElement) {
        throw error_at(origin, "to",
                       fmt::format("station '{}' is already fed by '{}'; a station has one input, "
                                   "so merge flows in a buffer in front of it",
                                   to, scene.elements_[station.upstream].id));
      }
      station.upstream = static_cast<ElementIndex>(i);
    }
  }
  for (ElementIndex s : scene.stations()) {
    if (scene.elements_[s].upstream == kNoElement) {
      throw error_at(pending_[s].common.origin, "",
                     fmt::format("station '{}' has no input: expected some element with 'to: {}'",
                                 scene.elements_[s].id, scene.elements_[s].id));
    }
  }
  // An unlimited supply must be paced by a station: straight into a sink, or into a buffer that
  // never fills, it would create parts without end at one instant.
  for (ElementIndex index : scene.sources()) {
    const Element& source = scene.elements_[index];
    if (!scene.source_spec(source).unlimited_supply) continue;
    const Element& next = scene.elements_[source.downstream];
    const bool paced = next.type == ElementType::kStation ||
                       (next.type == ElementType::kBuffer &&
                        scene.buffer_spec(next).capacity != BufferSpec::kUnlimited &&
                        scene.elements_[next.downstream].type == ElementType::kStation);
    if (!paced) {
      throw error_at(pending_[index].common.origin, "to",
                     fmt::format("an unlimited supply must feed a station, or a buffer of limited "
                                 "capacity in front of a station; '{}' is not",
                                 next.id));
    }
  }
  // Every element's chain of downstream links must end in a sink (no loops: a loop without a
  // release point would deadlock). Each element has one link, so walking it is enough.
  std::vector<std::uint8_t> reaches_sink(scene.elements_.size(), 0);
  for (ElementIndex start = 0; start < scene.elements_.size(); ++start) {
    std::vector<ElementIndex> path;
    ElementIndex at = start;
    while (scene.elements_[at].type != ElementType::kSink && !reaches_sink[at]) {
      for (ElementIndex seen : path) {
        if (seen == at) {
          throw error_at(pending_[start].common.origin, "to",
                         fmt::format("the flow from '{}' runs in a loop through '{}' and never "
                                     "reaches a sink",
                                     scene.elements_[start].id, scene.elements_[at].id));
        }
      }
      path.push_back(at);
      at = scene.elements_[at].downstream;
    }
    for (ElementIndex p : path)
      reaches_sink[p] = 1;
  }
  return scene;
}

}  // namespace linetwin
