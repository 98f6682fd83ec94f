#include "plant/scene.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/duration.hpp"

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
    case ElementType::kConveyor:
      return "conveyor";
  }
  return "unknown";
}

std::optional<ProductIndex> Scene::find_product(std::string_view name) const {
  for (std::size_t i = 0; i < products_.size(); ++i) {
    if (products_[i] == name) return static_cast<ProductIndex>(i);
  }
  return std::nullopt;
}

std::optional<ElementIndex> Scene::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::size_t> Scene::physics_conveyors() const {
  std::vector<std::size_t> physics;
  for (std::size_t c = 0; c < conveyors().size(); ++c) {
    if (conveyor_spec(element(conveyors()[c])).mode == ConveyorMode::kPhysics) physics.push_back(c);
  }
  return physics;
}

std::optional<RunSettingsProblem> run_settings_problem(const RunSettings& run) {
  // Written so that NaN fails every check.
  if (!(run.duration_s > 0.0 && run.duration_s <= kMaxDurationS)) {
    return RunSettingsProblem{"duration",
                              fmt::format("expected a duration > 0 and at most {:.0f}s, "
                                          "found {}s",
                                          kMaxDurationS, run.duration_s)};
  }
  if (!(run.warmup_s >= 0.0 && run.warmup_s <= kMaxDurationS)) {
    return RunSettingsProblem{"warmup", fmt::format("expected a duration >= 0 and at most {:.0f}s, "
                                                    "found {}s",
                                                    kMaxDurationS, run.warmup_s)};
  }
  if (!(run.warmup_s + run.duration_s <= kMaxDurationS)) {
    return RunSettingsProblem{
        "duration",
        fmt::format("the run would end {}s after its start (warm-up {}s and duration {}s); "
                    "expected at most {:.0f}s, the latest a recording of the run holds (from "
                    "2026-01-05 to the end of the year 9999)",
                    run.warmup_s + run.duration_s, run.warmup_s, run.duration_s, kMaxDurationS)};
  }
  if (run.replications < 1)
    return RunSettingsProblem{"replications", "expected at least 1 replication, found 0"};
  return std::nullopt;
}

SceneBuilder::SceneBuilder(std::string name) {
  scene_.name_ = std::move(name);
}

SceneBuilder& SceneBuilder::source_file(std::string path) {
  scene_.source_file_ = std::move(path);
  return *this;
}
SceneBuilder& SceneBuilder::products(std::vector<std::string> names) {
  scene_.products_ = std::move(names);
  return *this;
}
std::optional<ProductIndex> SceneBuilder::find_product(std::string_view name) const {
  return scene_.find_product(name);
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

void SceneBuilder::add_pending(Common common, ElementType type, StationRefs refs) {
  // Errors name an element by its id, which a reader finds in the file; by its place in the list
  // only when it has no usable id.
  if (common.origin.field_path.empty()) {
    common.origin.field_path = is_valid_element_id(common.id)
                                   ? fmt::format("elements[{}]", common.id)
                                   : fmt::format("elements[{}]", pending_.size());
  }
  pending_.push_back({std::move(common), type, std::move(refs)});
}
SceneBuilder& SceneBuilder::add_source(Common common, SourceSpec spec, std::string calendar) {
  scene_.source_specs_.push_back(std::move(spec));
  StationRefs refs;
  refs.calendar = std::move(calendar);
  add_pending(std::move(common), ElementType::kSource, std::move(refs));
  return *this;
}
SceneBuilder& SceneBuilder::add_buffer(Common common, BufferSpec spec) {
  scene_.buffer_specs_.push_back(spec);
  add_pending(std::move(common), ElementType::kBuffer, {});
  return *this;
}
SceneBuilder& SceneBuilder::add_station(Common common, StationSpec spec, StationRefs refs) {
  scene_.station_specs_.push_back(std::move(spec));
  add_pending(std::move(common), ElementType::kStation, std::move(refs));
  return *this;
}
SceneBuilder& SceneBuilder::add_conveyor(Common common, ConveyorSpec spec) {
  scene_.conveyor_specs_.push_back(spec);
  add_pending(std::move(common), ElementType::kConveyor, {});
  return *this;
}
SceneBuilder& SceneBuilder::add_sink(Common common) {
  add_pending(std::move(common), ElementType::kSink, {});
  return *this;
}
SceneBuilder& SceneBuilder::add_operator_pool(OperatorPoolSpec pool, std::string home_id,
                                              Origin origin, std::string calendar) {
  scene_.operator_pools_.push_back(std::move(pool));
  pool_homes_.emplace_back(std::move(home_id), std::move(origin));
  pool_calendars_.push_back(std::move(calendar));
  return *this;
}
SceneBuilder& SceneBuilder::add_wip_limit(std::string name, std::string from, std::string to,
                                          std::uint32_t cards, Origin origin) {
  limits_.push_back({std::move(name), std::move(from), std::move(to), cards, std::move(origin)});
  return *this;
}
SceneBuilder& SceneBuilder::add_calendar(std::string name, CalendarSpec spec, Origin origin) {
  scene_.calendars_.push_back({std::move(name), std::move(spec)});
  calendar_origins_.push_back(std::move(origin));
  return *this;
}
SceneBuilder& SceneBuilder::line_calendar(std::string name, Origin origin) {
  line_calendar_ = std::move(name);
  line_calendar_origin_ = std::move(origin);
  return *this;
}

SceneBuilder& SceneBuilder::paths(PathNetwork network) {
  scene_.paths_ = std::move(network);
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

bool is_valid_element_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

namespace {

// Product names appear in reports and CSV files: any text without commas, quotes or line breaks.
bool valid_product_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c == ',' || c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

bool is_probability(double p) {
  return p >= 0.0 && p <= 1.0;
}

// The words for a count bounded one by one and all together: "servers" of "stations", one
// "station".
struct CountWords {
  std::string_view what, holders, holder;
};

// Adds `count` to `total` and says what is wrong, if anything: a count outside 1 to `most`, or a
// total above `most_in_all`.
std::optional<std::string> count_problem(std::uint64_t count, std::uint64_t most,
                                         std::uint64_t& total, std::uint64_t most_in_all,
                                         const CountWords& words) {
  if (count < 1 || count > most)
    return fmt::format("expected 1 to {} {}, found {}", most, words.what, count);
  total += count;
  if (total > most_in_all) {
    return fmt::format(
        "expected at most {} {} in all {} together; with this {}'s {} they come "
        "to {}",
        most_in_all, words.what, words.holders, words.holder, count, total);
  }
  return std::nullopt;
}
}  // namespace

Scene SceneBuilder::build() const {
  Scene scene = scene_;
  if (auto problem = run_settings_problem(scene.run_settings_))
    throw InputError({scene.source_file_, 0, 0, "run." + problem->field}, problem->message);
  if (scene.products_.empty() || scene.products_.size() > kMaxProducts) {
    throw InputError(
        {scene.source_file_, 0, 0, "products"},
        fmt::format("expected 1 to {} products, found {}", kMaxProducts, scene.products_.size()));
  }
  for (std::size_t i = 0; i < scene.products_.size(); ++i) {
    if (!valid_product_name(scene.products_[i]) ||
        std::find(scene.products_.begin(), scene.products_.begin() + static_cast<long>(i),
                  scene.products_[i]) != scene.products_.begin() + static_cast<long>(i)) {
      throw InputError({scene.source_file_, 0, 0, fmt::format("products[{}]", i)},
                       fmt::format("expected a unique, non-empty product name without commas, "
                                   "quotes or line breaks, found '{}'",
                                   scene.products_[i]));
    }
  }

  if (pending_.size() > kMaxElements) {
    throw error_at(
        elements_origin_, "",
        fmt::format("expected at most {} elements, found {}", kMaxElements, pending_.size()));
  }
  // Ids and types.
  std::uint32_t counts[kElementTypes] = {};
  for (const Pending& p : pending_) {
    const Origin& origin = p.common.origin;
    if (!is_valid_element_id(p.common.id)) {
      throw error_at(origin, "id",
                     fmt::format("expected a non-empty id of letters, digits, '_', '-' or '.', "
                                 "found '{}'",
                                 p.common.id));
    }
    auto [it, inserted] =
        scene.by_id_.emplace(p.common.id, static_cast<ElementIndex>(scene.elements_.size()));
    if (!inserted) {
      // Both have the same path, elements[ID]: say where the first one is.
      const Origin& first = pending_[it->second].common.origin;
      throw error_at(origin, "id",
                     first.line > 0
                         ? fmt::format("expected a unique id, but '{}' is already the id of the "
                                       "element on line {}",
                                       p.common.id, first.line)
                         : fmt::format("expected a unique id, but '{}' is already the id of "
                                       "element {} in the list",
                                       p.common.id, it->second + 1));
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

  check_parameters(scene);
  connect(scene);
  resolve_station_refs(scene);
  check_flow(scene);
  connect_fleets(scene);
  return scene;
}

void SceneBuilder::check_parameters(Scene& scene) const {
  const std::size_t products = scene.products_.size();
  std::uint64_t servers = 0;
  std::size_t product_values = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Element& e = scene.elements_[i];
    const Origin& origin = pending_[i].common.origin;
    auto check = [&](const Distribution& d, std::string_view field) {
      if (auto problem = d.problem()) throw error_at(origin, field, *problem);
    };
    auto count_product_values = [&](std::size_t values, std::string_view field) {
      product_values += values;
      if (product_values > kMaxProductValues) {
        throw error_at(origin, field,
                       fmt::format("the scene's values per product would pass {} here ({} "
                                   "products); expected fewer products, or fewer elements with "
                                   "values per product (docs/scene-format.md#limits)",
                                   kMaxProductValues, products));
      }
    };
    count_product_values(pending_[i].common.to.by_product.size(), "to.by_product");
    if (e.type == ElementType::kSource) {
      const SourceSpec& spec = scene.source_specs_[e.type_index];
      if (!spec.unlimited_supply && spec.orders.empty()) {
        check(spec.interarrival, "interarrival");
        // Arrivals that take no time on average would never let the clock advance.
        if (!(spec.interarrival.mean() > 0.0)) {
          throw error_at(origin, "interarrival", "expected an inter-arrival time with a mean > 0");
        }
      }
      if (spec.product >= products) {
        throw error_at(origin, "product", fmt::format("expected one of the {} products", products));
      }
      count_product_values(spec.mix.size(), "mix");
      if (!spec.mix.empty()) {
        double total = 0.0;
        bool valid = spec.mix.size() == products;
        for (double w : spec.mix) {
          valid = valid && is_probability(w);
          total += w;
        }
        if (!valid || std::abs(total - 1.0) > 1e-9) {
          throw error_at(origin, "mix",
                         fmt::format("expected a share from 0 to 1 per product, adding up to 1; "
                                     "found a total of {:.6g}",
                                     total));
        }
      }
    } else if (e.type == ElementType::kStation) {
      const StationSpec& spec = scene.station_specs_[e.type_index];
      if (auto problem = count_problem(spec.servers, kMaxServersPerStation, servers, kMaxServers,
                                       {"servers", "stations", "station"}))
        throw error_at(origin, "servers", *problem);
      count_product_values(spec.processing_by_product.size(), "processing_by_product");
      if (!spec.processing_by_product.empty() && spec.processing_by_product.size() != products) {
        throw error_at(origin, "processing_by_product",
                       fmt::format("expected one entry per product ({}), found {}", products,
                                   spec.processing_by_product.size()));
      }
      for (std::size_t p = 0; p < products; ++p) {
        const Distribution& d = spec.processing_for(static_cast<ProductIndex>(p));
        const bool own = p < spec.processing_by_product.size() && spec.processing_by_product[p];
        const std::string field =
            own ? "processing_by_product." + scene.products_[p] : std::string("processing");
        check(d, field);
        if (!(d.mean() > 0.0) && !own && !spec.processing_by_product.empty()) {
          // Most likely no processing time was given at all: processing_by_product left this
          // product out.
          throw error_at(origin, "processing_by_product",
                         fmt::format("station '{}' has no processing time for product '{}': "
                                     "expected an entry for '{}' in processing_by_product, or a "
                                     "'processing' time with a mean > 0 for the products without "
                                     "their own",
                                     e.id, scene.products_[p], scene.products_[p]));
        }
        if (!(d.mean() > 0.0)) {
          throw error_at(origin, field,
                         fmt::format("expected a processing time with a mean > 0 for product "
                                     "'{}' (a line of stations that take no time would never let "
                                     "the clock advance)",
                                     scene.products_[p]));
        }
      }
      if (spec.breakdowns) {
        check(spec.breakdowns->time_to_failure, "breakdowns.time_to_failure");
        check(spec.breakdowns->time_to_repair, "breakdowns.time_to_repair");
        if (spec.breakdowns->time_to_failure.mean() <= 0.0) {
          throw error_at(origin, "breakdowns.time_to_failure",
                         "expected a mean time to failure > 0, found 0");
        }
      }
      count_product_values(spec.setup_s.size(), "setup");
      if (!spec.setup_s.empty()) {
        if (spec.setup_s.size() != products * products) {
          throw error_at(origin, "setup",
                         fmt::format("expected a {} x {} matrix of setup times (one row and one "
                                     "column per product)",
                                     products, products));
        }
        for (double t : spec.setup_s) {
          if (!(std::isfinite(t) && t >= 0.0))
            throw error_at(origin, "setup", "expected setup times >= 0");
        }
      }
      if (spec.quality) {
        const QualitySpec& q = *spec.quality;
        count_product_values(q.scrap.size() + q.rework.size(), "quality");
        if (q.scrap.size() != products || q.rework.size() != products) {
          throw error_at(origin, "quality", "expected scrap and rework shares for every product");
        }
        for (std::size_t p = 0; p < products; ++p) {
          if (!is_probability(q.scrap[p]) || !is_probability(q.rework[p]) ||
              q.scrap[p] + q.rework[p] > 1.0 + 1e-12) {
            throw error_at(origin, "quality",
                           fmt::format("expected scrap and rework shares between 0 and 1 that "
                                       "add up to at most 1 for product '{}', found {} and {}",
                                       scene.products_[p], q.scrap[p], q.rework[p]));
          }
        }
      }
      if (spec.batch_min < 1 || spec.batch_min > spec.batch_max ||
          spec.batch_max > kMaxPartsAtOnce) {
        throw error_at(origin, "batch",
                       fmt::format("expected 1 <= min <= max <= {}, found min {} and max {}",
                                   kMaxPartsAtOnce, spec.batch_min, spec.batch_max));
      }
      if (spec.split_into < 1 || spec.split_into > kMaxPartsAtOnce) {
        throw error_at(origin, "split",
                       fmt::format("expected a count from 1 to {}, found {}", kMaxPartsAtOnce,
                                   spec.split_into));
      }
    } else if (e.type == ElementType::kConveyor) {
      const ConveyorSpec& spec = scene.conveyor_specs_[e.type_index];
      if (auto problem = conveyor_problem(spec)) throw error_at(origin, "", *problem);
      if (spec.length_m / spec.spacing_m > kMaxConveyorParts) {
        throw error_at(origin, "",
                       fmt::format("expected a belt that holds at most {:.0f} parts "
                                   "(length_m / spacing_m), found {:.6g} m / {:.6g} m = {:.6g}",
                                   kMaxConveyorParts, spec.length_m, spec.spacing_m,
                                   spec.length_m / spec.spacing_m));
      }
    }
  }
}

void SceneBuilder::connect(Scene& scene) const {
  const std::size_t products = scene.products_.size();
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Element& e = scene.elements_[i];
    const Origin& origin = pending_[i].common.origin;
    const RouteByIds& to = pending_[i].common.to;
    if (e.type == ElementType::kSink) {
      if (!to.targets.empty()) {
        throw error_at(origin, "to",
                       fmt::format("a sink is the end of the line and takes no 'to', found '{}'",
                                   to.targets.front()));
      }
      continue;
    }
    if (to.targets.empty()) {
      throw error_at(origin, "to",
                     fmt::format("expected the id of the element this {} hands its parts to",
                                 to_string(e.type)));
    }
    e.route.rule = to.rule;
    for (const std::string& id : to.targets) {
      auto target = scene.find(id);
      if (!target) {
        throw error_at(origin, "to",
                       fmt::format("expected the id of an element in this scene, found "
                                   "'{}', which no element has",
                                   id));
      }
      if (*target == i)
        throw error_at(origin, "to", "expected another element, found the element itself");
      const Element& t = scene.elements_[*target];
      if (t.type == ElementType::kSource) {
        throw error_at(origin, "to",
                       fmt::format("'{}' is a source and takes no parts; expected a "
                                   "buffer, station, conveyor or sink",
                                   id));
      }
      if (e.type == ElementType::kBuffer && t.type != ElementType::kStation &&
          t.type != ElementType::kSink) {
        throw error_at(origin, "to",
                       fmt::format("a buffer feeds stations or sinks, which take parts from it; "
                                   "found {} '{}'",
                                   to_string(t.type), id));
      }
      if (std::find(e.route.targets.begin(), e.route.targets.end(), *target) !=
          e.route.targets.end()) {
        throw error_at(origin, "to", fmt::format("'{}' is named twice; expected each once", id));
      }
      e.route.targets.push_back(*target);
      scene.elements_[*target].inputs.push_back(static_cast<ElementIndex>(i));
    }
    if (e.type == ElementType::kBuffer && to.rule != RouteRule::kSingle &&
        to.rule != RouteRule::kFirstFree) {
      throw error_at(origin, "to",
                     "a buffer is first in, first out: the stations after it take its parts as "
                     "they become free (first_free); route by product, probability, turn or "
                     "queue before the buffer instead");
    }
    if (to.rule == RouteRule::kProbability) {
      double total = 0.0;
      for (std::size_t k = 0; k < to.weights.size(); ++k) {
        if (!(to.weights[k] > 0.0 && to.weights[k] <= 1.0)) {
          throw error_at(origin, "to.probability." + to.targets[k],
                         fmt::format("expected a share > 0 and <= 1, found {:.6g}", to.weights[k]));
        }
        total += to.weights[k];
      }
      if (to.weights.size() != to.targets.size() || std::abs(total - 1.0) > 1e-9) {
        throw error_at(
            origin, "to.probability",
            fmt::format("expected shares that add up to 1, found a total of {:.6g}", total));
      }
      e.route.weights = to.weights;
    }
    if (to.rule == RouteRule::kByProduct) {
      if (to.by_product.size() != products) {
        throw error_at(origin, "to.by_product", "expected a target for every product");
      }
      for (std::size_t p = 0; p < products; ++p) {
        if (to.by_product[p] >= to.targets.size()) {
          throw error_at(
              origin, "to.by_product",
              fmt::format("expected a target for product '{}'; found none", scene.products_[p]));
        }
      }
      e.route.by_product = to.by_product;
    }
  }
}

void SceneBuilder::resolve_station_refs(Scene& scene) const {
  // Rework first: a station that reworks into another is one of that element's inputs, which
  // the merge and assembly checks below must see.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Element& e = scene.elements_[i];
    const std::string& rework_to = pending_[i].refs.rework_to;
    if (e.type != ElementType::kStation || rework_to.empty()) continue;
    auto target = scene.find(rework_to);
    if (!target) {
      throw error_at(
          pending_[i].common.origin, "quality.rework_to",
          fmt::format("expected the id of an element in this scene, found '{}'", rework_to));
    }
    auto& inputs = scene.elements_[*target].inputs;
    // Rework at the station itself happens in place (its server starts the part again).
    if (*target != i && std::find(inputs.begin(), inputs.end(), i) == inputs.end())
      inputs.push_back(static_cast<ElementIndex>(i));
  }
  for (std::size_t i = 0; i < scene.elements_.size(); ++i) {
    const Element& e = scene.elements_[i];
    if ((e.type == ElementType::kStation || e.type == ElementType::kConveyor) && e.inputs.empty()) {
      throw error_at(pending_[i].common.origin, "",
                     fmt::format("{} '{}' has no input: expected some element with 'to: {}'",
                                 to_string(e.type), e.id, e.id));
    }
  }

  auto buffer_capacity = [&](ElementIndex index) {
    return scene.buffer_specs_[scene.elements_[index].type_index].capacity;
  };
  // Calendars first: stations refer to them.
  for (std::size_t c = 0; c < scene.calendars_.size(); ++c) {
    const NamedCalendar& calendar = scene.calendars_[c];
    for (std::size_t d = 0; d < c; ++d) {
      if (scene.calendars_[d].name == calendar.name) {
        throw error_at(
            calendar_origins_[c], "",
            fmt::format("calendar '{}' is defined twice; expected unique names", calendar.name));
      }
    }
    if (auto problem = calendar_problem(calendar.spec))
      throw error_at(calendar_origins_[c], problem->field, problem->message);
  }
  auto find_calendar = [&](const std::string& name) -> std::int32_t {
    for (std::size_t c = 0; c < scene.calendars_.size(); ++c) {
      if (scene.calendars_[c].name == name) return static_cast<std::int32_t>(c);
    }
    return -1;
  };
  std::int32_t line_calendar = -1;
  if (!line_calendar_.empty()) {
    line_calendar = find_calendar(line_calendar_);
    if (line_calendar < 0) {
      throw error_at(line_calendar_origin_, "",
                     fmt::format("expected the name of a calendar under 'calendars', found '{}'",
                                 line_calendar_));
    }
  }
  auto calendar_named = [&](const std::string& name, const Origin& origin) {
    const std::int32_t c = find_calendar(name);
    if (c < 0) {
      throw error_at(
          origin, "calendar",
          fmt::format("expected the name of a calendar under 'calendars', found '{}'", name));
    }
    return c;
  };
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Element& e = scene.elements_[i];
    if (e.type == ElementType::kSource && !pending_[i].refs.calendar.empty()) {
      scene.source_specs_[e.type_index].calendar =
          calendar_named(pending_[i].refs.calendar, pending_[i].common.origin);
    }
  }
  std::uint64_t operators = 0;
  for (std::size_t k = 0; k < scene.operator_pools_.size(); ++k) {
    OperatorPoolSpec& pool = scene.operator_pools_[k];
    const Origin& origin = pool_homes_[k].second;
    if (!pool_calendars_[k].empty()) pool.calendar = calendar_named(pool_calendars_[k], origin);
    if (auto problem = count_problem(pool.count, kMaxOperatorsPerPool, operators, kMaxOperators,
                                     {"operators", "pools", "pool"}))
      throw error_at(origin, "count", *problem);
    if (!(std::isfinite(pool.walking_speed_m_per_s) && pool.walking_speed_m_per_s > 0.0)) {
      throw error_at(origin, "walking_speed_m_per_s", "expected a walking speed > 0");
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (scene.operator_pools_[j].name == pool.name)
        throw error_at(origin, "pool", fmt::format("pool '{}' is defined twice", pool.name));
    }
    if (!pool_homes_[k].first.empty()) {
      auto home = scene.find(pool_homes_[k].first);
      if (!home) {
        throw error_at(
            origin, "home",
            fmt::format("expected the id of an element, found '{}'", pool_homes_[k].first));
      }
      pool.home = *home;
    }
  }

  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Element& e = scene.elements_[i];
    if (e.type != ElementType::kStation) continue;
    StationSpec& spec = scene.station_specs_[e.type_index];
    const StationRefs& refs = pending_[i].refs;
    const Origin& origin = pending_[i].common.origin;
    auto element_ref = [&](const std::string& id, std::string_view field) {
      auto found = scene.find(id);
      if (!found) {
        throw error_at(origin, field,
                       fmt::format("expected the id of an element in this scene, found '{}'", id));
      }
      return *found;
    };
    auto is_input = [&](ElementIndex index) {
      return std::find(e.inputs.begin(), e.inputs.end(), index) != e.inputs.end();
    };
    if (spec.quality) {
      if (refs.rework_to.empty()) {
        bool reworks = false;
        for (double r : spec.quality->rework)
          reworks = reworks || r > 0.0;
        if (reworks)
          throw error_at(origin, "quality.rework_to", "expected where reworked parts go");
      } else {
        const ElementIndex to = element_ref(refs.rework_to, "quality.rework_to");
        const ElementType type = scene.elements_[to].type;
        if (type == ElementType::kSource || type == ElementType::kSink) {
          throw error_at(origin, "quality.rework_to",
                         fmt::format("expected a station, buffer or conveyor to rework at; '{}' "
                                     "is a {}",
                                     refs.rework_to, to_string(type)));
        }
        spec.quality->rework_to = to;
      }
    }
    if (!refs.assembly_main.empty()) {
      AssemblySpec assembly;
      std::vector<ElementIndex> used;
      auto bom_input = [&](const std::string& id, std::uint32_t quantity, std::string field) {
        const ElementIndex from = element_ref(id, field);
        const Element& b = scene.elements_[from];
        if (b.type != ElementType::kBuffer || !is_input(from) || b.route.targets.size() != 1) {
          throw error_at(
              origin, field,
              fmt::format("expected a buffer that feeds only '{}'; '{}' is not one", e.id, id));
        }
        if (buffer_capacity(from) < quantity) {
          throw error_at(origin, field,
                         fmt::format("buffer '{}' holds {} parts, fewer than the {} this station "
                                     "needs at once",
                                     id, buffer_capacity(from), quantity));
        }
        if (std::find(used.begin(), used.end(), from) != used.end())
          throw error_at(origin, field, fmt::format("'{}' is named twice", id));
        used.push_back(from);
        return from;
      };
      if (spec.batch_max > 1)
        throw error_at(origin, "assembly", "expected an assembly or a batch, not both");
      assembly.main_from = bom_input(refs.assembly_main, 1, "assembly.main");
      for (std::size_t c = 0; c < refs.assembly_components.size(); ++c) {
        const auto& [id, quantity] = refs.assembly_components[c];
        const std::string field = fmt::format("assembly.components[{}]", c);
        if (quantity < 1 || quantity > kMaxPartsAtOnce) {
          throw error_at(
              origin, field + ".quantity",
              fmt::format("expected a quantity from 1 to {}, found {}", kMaxPartsAtOnce, quantity));
        }
        assembly.components.push_back({bom_input(id, quantity, field + ".from"), quantity});
      }
      for (ElementIndex input : e.inputs) {
        if (std::find(used.begin(), used.end(), input) == used.end()) {
          throw error_at(origin, "assembly",
                         fmt::format("'{}' feeds this assembly station but is not in its bill "
                                     "of materials",
                                     scene.elements_[input].id));
        }
      }
      spec.assembly = std::move(assembly);
    }
    if (spec.batch_min > 1) {
      for (ElementIndex input : e.inputs) {
        const Element& b = scene.elements_[input];
        if (b.type != ElementType::kBuffer || buffer_capacity(input) < spec.batch_min) {
          throw error_at(origin, "batch.min",
                         fmt::format("a batch station takes its parts from buffers that hold at "
                                     "least a minimum batch; '{}' is not one",
                                     b.id));
        }
      }
    }
    if (!refs.merge_priority.empty()) {
      spec.merge = MergeRule::kPriority;
      for (std::size_t k = 0; k < refs.merge_priority.size(); ++k) {
        const std::string field = fmt::format("merge.priority[{}]", k);
        const ElementIndex input = element_ref(refs.merge_priority[k], field);
        if (!is_input(input)) {
          throw error_at(origin, field,
                         fmt::format("'{}' does not feed this station", refs.merge_priority[k]));
        }
        spec.merge_priority.push_back(input);
      }
      for (ElementIndex input : e.inputs) {
        if (std::find(spec.merge_priority.begin(), spec.merge_priority.end(), input) ==
            spec.merge_priority.end()) {
          throw error_at(origin, "merge.priority",
                         fmt::format("expected every input in the priority list; '{}' is missing",
                                     scene.elements_[input].id));
        }
      }
    }
    static constexpr std::string_view kTaskNames[] = {"processing", "setup", "repair"};
    for (int task = 0; task < kOperatorTasks; ++task) {
      const std::string& skill = refs.operator_skill[task];
      if (skill.empty()) continue;
      for (std::uint32_t k = 0; k < scene.operator_pools_.size(); ++k) {
        const auto& skills = scene.operator_pools_[k].skills;
        if (std::find(skills.begin(), skills.end(), skill) != skills.end())
          spec.operator_pools[task].push_back(k);
      }
      if (spec.operator_pools[task].empty()) {
        throw error_at(origin, fmt::format("operators.{}", kTaskNames[task]),
                       fmt::format("no operator pool has the skill '{}'", skill));
      }
    }
    if (!spec.operator_pools[static_cast<int>(OperatorTask::kRepair)].empty() && !spec.breakdowns) {
      throw error_at(origin, "operators.repair", "the station has no breakdowns to repair");
    }
    spec.calendar = line_calendar;
    if (!refs.calendar.empty()) {
      spec.calendar = find_calendar(refs.calendar);
      if (spec.calendar < 0) {
        throw error_at(origin, "calendar",
                       fmt::format("expected the name of a calendar under 'calendars', found "
                                   "'{}'",
                                   refs.calendar));
      }
    }
  }

  if (limits_.size() > kMaxWipLimits) {
    throw error_at(limits_[kMaxWipLimits].origin, "",
                   fmt::format("expected at most {} WIP limits", kMaxWipLimits));
  }
  for (const PendingLimit& limit : limits_) {
    WipLimitSpec spec{limit.name, kNoElement, kNoElement, limit.cards};
    for (const auto& [id, field, out] :
         {std::tuple{&limit.from, "from", &spec.from}, std::tuple{&limit.to, "to", &spec.to}}) {
      auto found = scene.find(*id);
      if (!found) {
        throw error_at(limit.origin, field,
                       fmt::format("expected the id of an element in this scene, found '{}'", *id));
      }
      const ElementType type = scene.elements_[*found].type;
      if (type == ElementType::kSource || (type == ElementType::kSink && out == &spec.from)) {
        throw error_at(limit.origin, field,
                       fmt::format("a WIP limit runs between elements that hold parts; '{}' is "
                                   "a {}",
                                   *id, to_string(type)));
      }
      *out = *found;
    }
    if (limit.cards < 1 || limit.cards > kMaxWipCards) {
      throw error_at(limit.origin, "cards",
                     fmt::format("expected 1 to {} cards, found {}", kMaxWipCards, limit.cards));
    }
    for (const WipLimitSpec& other : scene.wip_limits_) {
      if (other.from == spec.from) {
        throw error_at(
            limit.origin, "from",
            fmt::format("WIP limit '{}' already starts at '{}'", other.name, limit.from));
      }
    }
    // The segment must be a path of the flow, or cards would never come back.
    std::vector<std::uint8_t> seen(scene.elements_.size(), 0);
    std::vector<ElementIndex> stack{spec.from};
    bool reaches = false;
    while (!stack.empty() && !reaches) {
      const ElementIndex at = stack.back();
      stack.pop_back();
      if (seen[at]) continue;
      seen[at] = 1;
      reaches = at == spec.to;
      for (ElementIndex next : scene.elements_[at].route.targets)
        stack.push_back(next);
    }
    if (!reaches) {
      throw error_at(limit.origin, "to",
                     fmt::format("parts entering '{}' never reach '{}'", limit.from, limit.to));
    }
    scene.wip_limits_.push_back(std::move(spec));
  }
}

void SceneBuilder::check_flow(const Scene& scene) const {
  auto gated = [&](ElementIndex index) {
    for (const WipLimitSpec& limit : scene.wip_limits_) {
      if (limit.from == index) return true;
    }
    return false;
  };
  // An unlimited supply must be paced: straight into a sink, or into a buffer that never fills,
  // it would create parts without end at one instant.
  for (ElementIndex index : scene.sources()) {
    const Element& source = scene.elements_[index];
    if (!scene.source_spec(source).unlimited_supply) continue;
    for (ElementIndex target : source.route.targets) {
      const Element& next = scene.elements_[target];
      bool paced = next.type == ElementType::kStation || next.type == ElementType::kConveyor ||
                   gated(target);
      if (next.type == ElementType::kBuffer &&
          scene.buffer_spec(next).capacity != BufferSpec::kUnlimited) {
        paced = true;
        for (ElementIndex after : next.route.targets)
          paced = paced && scene.elements_[after].type == ElementType::kStation;
      }
      if (!paced) {
        throw error_at(pending_[index].common.origin, "to",
                       fmt::format("an unlimited supply must feed a station, a conveyor, a "
                                   "buffer of limited capacity in front of stations, or the "
                                   "start of a WIP limit; '{}' is none of these",
                                   next.id));
      }
    }
  }
  // No loops in the flow (rework aside): a loop without a release point would deadlock. Depth-
  // first search with colours; every element but a sink has a target, so without loops every
  // flow ends in a sink.
  const std::size_t n = scene.elements_.size();
  std::vector<std::uint8_t> colour(n, 0);  // 0 unvisited, 1 on the path, 2 done
  for (ElementIndex start = 0; start < n; ++start) {
    if (colour[start]) continue;
    std::vector<std::pair<ElementIndex, std::size_t>> stack{{start, 0}};
    colour[start] = 1;
    while (!stack.empty()) {
      auto& [at, next] = stack.back();
      const auto& targets = scene.elements_[at].route.targets;
      if (next == targets.size()) {
        colour[at] = 2;
        stack.pop_back();
        continue;
      }
      const ElementIndex t = targets[next++];
      if (colour[t] == 1) {
        throw error_at(pending_[at].common.origin, "to",
                       fmt::format("the flow runs in a loop from '{}' back through '{}' and "
                                   "never reaches a sink (loops are only for rework: "
                                   "quality.rework_to)",
                                   scene.elements_[at].id, scene.elements_[t].id));
      }
      if (colour[t] == 0) {
        colour[t] = 1;
        stack.push_back({t, 0});
      }
    }
  }
}

}  // namespace linetwin
