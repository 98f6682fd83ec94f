#include "io/scene_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/duration.hpp"
#include "io/order_file.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {

namespace {

// Products are named in many places; each name must be one the scene declares.
ProductIndex product_ref(const SceneReader& in, const SceneBuilder& builder, const YAML::Node& node,
                         const std::string& path, const std::vector<std::string>& products) {
  const std::string name = in.string(node, path);
  if (auto p = builder.find_product(name)) return *p;
  std::string list;
  for (const std::string& known : products)
    list += (list.empty() ? "" : ", ") + known;
  in.fail(node, path, fmt::format("unknown product '{}'; expected one of: {}", name, list));
}

// A share per product: one number for all, or a mapping with 'default' and product names.
std::vector<double> per_product_share(const SceneReader& in, const SceneBuilder& builder,
                                      const YAML::Node& node, const std::string& path,
                                      const std::vector<std::string>& products) {
  in.count_product_values(node, path, products.size());
  if (node.IsScalar()) return std::vector<double>(products.size(), in.probability(node, path));
  if (!node.IsMap())
    in.fail(node, path, "expected a share, or a mapping of products (and 'default') to shares");
  std::vector<double> shares(products.size(), 0.0);
  if (node["default"])
    shares.assign(products.size(), in.probability(node["default"], path + ".default"));
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (key == "default") continue;
    const ProductIndex p =
        product_ref(in, builder, entry.first, SceneReader::join(path, key), products);
    shares[p] = in.probability(entry.second, SceneReader::join(path, key));
  }
  return shares;
}

SceneBuilder::RouteByIds read_route(const SceneReader& in, const SceneBuilder& builder,
                                    const YAML::Node& node, const std::string& path,
                                    const std::vector<std::string>& products) {
  SceneBuilder::RouteByIds route;
  if (node.IsScalar()) return SceneBuilder::RouteByIds(in.string(node, path));
  if (node.IsMap() && node["via"]) {
    // A transport link: the part rides a vehicle of the fleet to its one target.
    in.expect_map(node, path, {"via", "to", "priority"});
    route = SceneBuilder::RouteByIds(in.string(in.require(node, path, "to"), path + ".to"));
    route.via = in.string(node["via"], path + ".via");
    if (node["priority"])
      route.via_priority = in.count(node["priority"], path + ".priority", 0, 1'000'000);
    route.via_origin = {node["via"].Mark().line + 1, node["via"].Mark().column + 1, path + ".via"};
    return route;
  }
  in.expect_map(node, path,
                {"by_product", "probability", "round_robin", "shortest_queue", "first_free"});
  if (node.size() != 1) {
    in.fail(node, path,
            "expected exactly one routing rule: by_product, probability, round_robin, "
            "shortest_queue or first_free");
  }
  const std::string rule = node.begin()->first.as<std::string>();
  const YAML::Node body = node.begin()->second;
  const std::string body_path = SceneReader::join(path, rule);
  if (rule == "by_product") {
    route.rule = RouteRule::kByProduct;
    if (!body.IsMap()) in.fail(body, body_path, "expected a mapping of products to element ids");
    constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();
    in.count_product_values(body, body_path, products.size());
    route.by_product.assign(products.size(), kUnset);
    for (const auto& entry : body) {
      const std::string key = entry.first.as<std::string>();
      const std::string entry_path = SceneReader::join(body_path, key);
      const ProductIndex p = product_ref(in, builder, entry.first, entry_path, products);
      const std::string target = in.string(entry.second, entry_path);
      auto it = std::find(route.targets.begin(), route.targets.end(), target);
      route.by_product[p] = static_cast<std::uint32_t>(it - route.targets.begin());
      if (it == route.targets.end()) route.targets.push_back(target);
    }
    for (std::size_t p = 0; p < products.size(); ++p) {
      if (route.by_product[p] == kUnset) {
        in.fail(body, body_path,
                fmt::format("expected a target for every product; '{}' has none", products[p]));
      }
    }
    return route;
  } else if (rule == "probability") {
    route.rule = RouteRule::kProbability;
    if (!body.IsMap() || body.size() == 0)
      in.fail(body, body_path, "expected a mapping of element ids to shares");
    for (const auto& entry : body) {
      const std::string id = entry.first.as<std::string>();
      route.targets.push_back(id);
      route.weights.push_back(in.probability(entry.second, SceneReader::join(body_path, id)));
    }
    return route;
  }
  route.rule = rule == "round_robin"      ? RouteRule::kRoundRobin
               : rule == "shortest_queue" ? RouteRule::kShortestQueue
                                          : RouteRule::kFirstFree;
  route.targets = in.strings(body, body_path);
  return route;
}

Pose read_pose(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  in.expect_map(node, path, {"x", "y", "z", "yaw_deg"});
  Pose pose;
  if (node["x"]) pose.x_m = in.number(node["x"], path + ".x");
  if (node["y"]) pose.y_m = in.number(node["y"], path + ".y");
  if (node["z"]) pose.z_m = in.number(node["z"], path + ".z");
  if (node["yaw_deg"]) pose.yaw_deg = in.number(node["yaw_deg"], path + ".yaw_deg");
  return pose;
}

// Reads a time of day, "HH:MM" or "HH:MM:SS", as seconds after midnight.
double time_of_day(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  const std::string text = in.string(node, path);
  int h = -1, m = -1, sec = 0;
  char tail = 0;
  const int fields = std::sscanf(text.c_str(), "%d:%d:%d%c", &h, &m, &sec, &tail);
  const bool ok = (fields == 2 || fields == 3) && h >= 0 && h < 24 && m >= 0 && m < 60 &&
                  sec >= 0 && sec < 60 && text.size() >= 4;
  if (!ok)
    in.fail(node, path,
            fmt::format("expected a time of day HH:MM from 00:00 to 23:59, found '{}'", text));
  return h * 3600.0 + m * 60.0 + sec;
}

int weekday(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::string text = in.string(node, path);
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int d = 0; d < 7; ++d) {
    if (text.substr(0, 3) == kDays[d] &&
        (text.size() == 3 ||
         std::string_view("monday tuesday wednesday thursday friday saturday sunday").find(text) !=
             std::string_view::npos))
      return d;
  }
  in.fail(node, path,
          fmt::format("expected a weekday (mon, tue, wed, thu, fri, sat, sun), found '{}'", text));
}

CalendarSpec read_calendar(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  in.expect_map(node, path, {"start_weekday", "shifts", "maintenance"});
  CalendarSpec spec;
  if (node["start_weekday"])
    spec.start_weekday = weekday(in, node["start_weekday"], path + ".start_weekday");
  if (const YAML::Node shifts = node["shifts"]) {
    if (!shifts.IsSequence()) in.fail(shifts, path + ".shifts", "expected a list of shifts");
    for (std::size_t i = 0; i < shifts.size(); ++i) {
      const YAML::Node n = shifts[i];
      const std::string sp = fmt::format("{}.shifts[{}]", path, i);
      in.expect_map(n, sp, {"name", "weekdays", "start", "end", "breaks"});
      ShiftSpec shift;
      shift.name = n["name"] ? in.string(n["name"], sp + ".name") : fmt::format("shift {}", i + 1);
      const YAML::Node days = in.require(n, sp, "weekdays");
      if (!days.IsSequence()) in.fail(days, sp + ".weekdays", "expected a list of weekdays");
      for (std::size_t d = 0; d < days.size(); ++d)
        shift.weekdays.push_back(weekday(in, days[d], fmt::format("{}.weekdays[{}]", sp, d)));
      shift.start_s = time_of_day(in, in.require(n, sp, "start"), sp + ".start");
      shift.end_s = time_of_day(in, in.require(n, sp, "end"), sp + ".end");
      if (const YAML::Node breaks = n["breaks"]) {
        if (!breaks.IsSequence()) in.fail(breaks, sp + ".breaks", "expected a list of breaks");
        for (std::size_t b = 0; b < breaks.size(); ++b) {
          const std::string bp = fmt::format("{}.breaks[{}]", sp, b);
          in.expect_map(breaks[b], bp, {"start", "duration"});
          BreakSpec pause;
          pause.start_s = time_of_day(in, in.require(breaks[b], bp, "start"), bp + ".start");
          // A break earlier in the day than its shift's start is after midnight (night shift).
          if (pause.start_s < shift.start_s) pause.start_s += 86400.0;
          pause.duration_s =
              in.duration(in.require(breaks[b], bp, "duration"), bp + ".duration", false);
          shift.breaks.push_back(pause);
        }
      }
      spec.shifts.push_back(std::move(shift));
    }
  }
  if (const YAML::Node windows = node["maintenance"]) {
    if (!windows.IsSequence())
      in.fail(windows, path + ".maintenance", "expected a list of maintenance windows");
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const std::string mp = fmt::format("{}.maintenance[{}]", path, i);
      in.expect_map(windows[i], mp, {"name", "start", "end"});
      MaintenanceWindow w;
      w.name = windows[i]["name"] ? in.string(windows[i]["name"], mp + ".name")
                                  : fmt::format("maintenance {}", i + 1);
      w.start_s = in.duration(in.require(windows[i], mp, "start"), mp + ".start", true);
      w.end_s = in.duration(in.require(windows[i], mp, "end"), mp + ".end", true);
      spec.maintenance.push_back(std::move(w));
    }
  }
  return spec;
}

void read_source(const SceneReader& in, const YAML::Node& node, const std::string& path,
                 SceneBuilder& builder, SceneBuilder::Common common,
                 const std::vector<std::string>& products) {
  in.expect_map(node, path,
                {"id", "type", "to", "pose", "model", "supply", "interarrival", "when_full",
                 "product", "mix", "orders", "calendar"});
  SourceSpec spec;
  const int kinds = static_cast<int>(static_cast<bool>(node["supply"])) +
                    static_cast<int>(static_cast<bool>(node["interarrival"])) +
                    static_cast<int>(static_cast<bool>(node["orders"]));
  if (kinds != 1) {
    in.fail(node, path,
            "a source needs exactly one of 'supply: unlimited', 'interarrival' or 'orders'");
  }
  if (node["supply"]) {
    const std::string supply = in.string(node["supply"], path + ".supply");
    if (supply != "unlimited") {
      in.fail(node["supply"], path + ".supply",
              fmt::format("expected 'unlimited', found '{}'", supply));
    }
    spec.unlimited_supply = true;
  } else if (node["interarrival"]) {
    spec.interarrival = in.distribution(node["interarrival"], path + ".interarrival");
  } else {
    // The order file's path is relative to the scene file.
    const std::string name = in.string(node["orders"], path + ".orders");
    std::filesystem::path file(name);
    if (file.is_relative()) file = std::filesystem::path(in.file()).parent_path() / file;
    spec.orders_file = file.string();
    for (const Order& order : load_order_file(spec.orders_file)) {
      auto p = builder.find_product(order.variant);
      if (!p) {
        std::string list;
        for (const std::string& known : products)
          list += (list.empty() ? "" : ", ") + known;
        throw InputError({spec.orders_file, order.line, 0, "variant"},
                         fmt::format("unknown variant '{}' in order '{}'; expected one of the "
                                     "scene's products: {}",
                                     order.variant, order.id, list));
      }
      spec.orders.push_back({order.id, *p, order.release_s});
    }
  }
  if (node["product"] && node["mix"]) in.fail(node, path, "expected 'product' or 'mix', not both");
  if (node["orders"] && (node["product"] || node["mix"]))
    in.fail(node, path,
            "an order source takes the product of each order from its file; remove 'product' and "
            "'mix'");
  if (node["product"])
    spec.product = product_ref(in, builder, node["product"], path + ".product", products);
  if (node["mix"]) {
    const YAML::Node mix = node["mix"];
    if (!mix.IsMap()) in.fail(mix, path + ".mix", "expected a mapping of products to shares");
    in.count_product_values(mix, path + ".mix", products.size());
    spec.mix.assign(products.size(), 0.0);
    double total = 0.0;
    for (const auto& entry : mix) {
      const std::string key = entry.first.as<std::string>();
      const ProductIndex p = product_ref(in, builder, entry.first, path + ".mix." + key, products);
      total += spec.mix[p] = in.probability(entry.second, path + ".mix." + key);
    }
    if (std::abs(total - 1.0) > 1e-9)
      in.fail(mix, path + ".mix",
              fmt::format("expected shares that add up to 1, found {:.6g}", total));
  }
  if (node["when_full"]) {
    if (spec.unlimited_supply)
      in.fail(node["when_full"], path + ".when_full",
              "an unlimited supply always waits; remove 'when_full'");
    const std::string policy = in.string(node["when_full"], path + ".when_full");
    if (policy == "wait") {
      spec.when_output_full = WhenOutputFull::kWait;
    } else if (policy == "lose") {
      spec.when_output_full = WhenOutputFull::kLose;
    } else {
      in.fail(node["when_full"], path + ".when_full",
              fmt::format("expected 'wait' or 'lose', found '{}'", policy));
    }
  }
  const std::string calendar =
      node["calendar"] ? in.string(node["calendar"], path + ".calendar") : std::string();
  builder.add_source(std::move(common), std::move(spec), calendar);
}

void read_station(const SceneReader& in, const YAML::Node& node, const std::string& path,
                  SceneBuilder& builder, SceneBuilder::Common common,
                  const std::vector<std::string>& products) {
  in.expect_map(node, path,
                {"id", "type", "to", "pose", "model", "transfer_node", "servers", "processing",
                 "processing_by_product", "breakdowns", "setup", "quality", "batch", "split",
                 "assembly", "operators", "calendar", "merge"});
  StationSpec spec;
  SceneBuilder::StationRefs refs;
  if (node["servers"])
    spec.servers = in.count(node["servers"], path + ".servers", 1, kMaxServersPerStation);
  if (node["processing_by_product"]) {
    const YAML::Node by = node["processing_by_product"];
    const std::string bp = path + ".processing_by_product";
    if (!by.IsMap()) in.fail(by, bp, "expected a mapping of products to processing times");
    in.count_product_values(by, bp, products.size());
    spec.processing_by_product.resize(products.size());
    for (const auto& entry : by) {
      const std::string key = entry.first.as<std::string>();
      const ProductIndex p = product_ref(in, builder, entry.first, bp + "." + key, products);
      spec.processing_by_product[p] = in.distribution(entry.second, bp + "." + key);
    }
  }
  bool all_own = !spec.processing_by_product.empty();
  for (const auto& own : spec.processing_by_product)
    all_own = all_own && own.has_value();
  if (node["processing"] || !node["processing_by_product"]) {
    spec.processing = in.distribution(in.require(node, path, "processing"), path + ".processing");
  } else if (all_own) {
    spec.processing = *spec.processing_by_product.front();
  }
  // Otherwise `processing` stays unset, and the builder names the product that has no time.
  if (node["breakdowns"]) {
    const YAML::Node b = node["breakdowns"];
    const std::string bpath = path + ".breakdowns";
    in.expect_map(b, bpath, {"time_to_failure", "time_to_repair", "counted_on"});
    BreakdownSpec breakdowns;
    breakdowns.time_to_failure =
        in.distribution(in.require(b, bpath, "time_to_failure"), bpath + ".time_to_failure");
    if (breakdowns.time_to_failure.mean() <= 0.0) {
      in.fail(b["time_to_failure"], bpath + ".time_to_failure",
              "expected a time to failure with a mean > 0");
    }
    breakdowns.time_to_repair =
        in.distribution(in.require(b, bpath, "time_to_repair"), bpath + ".time_to_repair");
    if (b["counted_on"]) {
      const std::string clock = in.string(b["counted_on"], bpath + ".counted_on");
      if (clock == "operating_time") {
        breakdowns.counted_on = FailureClock::kOperatingTime;
      } else if (clock == "calendar_time") {
        breakdowns.counted_on = FailureClock::kCalendarTime;
      } else {
        in.fail(b["counted_on"], bpath + ".counted_on",
                fmt::format("expected 'operating_time' or 'calendar_time', found '{}'", clock));
      }
    }
    spec.breakdowns = std::move(breakdowns);
  }
  if (const YAML::Node setup = node["setup"]) {
    const std::string sp = path + ".setup";
    in.expect_map(setup, sp, {"products", "times"});
    const YAML::Node listed = in.require(setup, sp, "products");
    const std::vector<std::string> names = in.strings(listed, sp + ".products");
    std::vector<ProductIndex> index;
    for (std::size_t i = 0; i < names.size(); ++i)
      index.push_back(
          product_ref(in, builder, listed[i], fmt::format("{}.products[{}]", sp, i), products));
    const YAML::Node times = in.require(setup, sp, "times");
    if (!times.IsSequence() || times.size() != names.size()) {
      in.fail(times, sp + ".times",
              fmt::format("expected a {0} x {0} matrix (a row per product in 'products', from "
                          "that product to each), found {1} rows",
                          names.size(), times.IsSequence() ? times.size() : 0));
    }
    in.count_product_values(setup, sp, products.size() * products.size());
    spec.setup_s.assign(products.size() * products.size(), 0.0);
    for (std::size_t r = 0; r < names.size(); ++r) {
      const std::string rp = fmt::format("{}.times[{}]", sp, r);
      if (!times[r].IsSequence() || times[r].size() != names.size()) {
        in.fail(times[r], rp,
                fmt::format("expected a row of {} setup times, found {}", names.size(),
                            SceneReader::describe(times[r])));
      }
      for (std::size_t c = 0; c < names.size(); ++c) {
        spec.setup_s[index[r] * products.size() + index[c]] =
            in.duration(times[r][c], fmt::format("{}[{}]", rp, c), true);
      }
    }
  }
  if (const YAML::Node quality = node["quality"]) {
    const std::string qp = path + ".quality";
    in.expect_map(quality, qp, {"scrap", "rework", "rework_to"});
    QualitySpec q;
    // Both shares are kept per product, given or not.
    if (!quality["scrap"]) in.count_product_values(quality, qp, products.size());
    if (!quality["rework"]) in.count_product_values(quality, qp, products.size());
    q.scrap = quality["scrap"]
                  ? per_product_share(in, builder, quality["scrap"], qp + ".scrap", products)
                  : std::vector<double>(products.size(), 0.0);
    q.rework = quality["rework"]
                   ? per_product_share(in, builder, quality["rework"], qp + ".rework", products)
                   : std::vector<double>(products.size(), 0.0);
    if (quality["rework_to"]) refs.rework_to = in.string(quality["rework_to"], qp + ".rework_to");
    spec.quality = std::move(q);
  }
  if (const YAML::Node batch = node["batch"]) {
    const std::string bp = path + ".batch";
    in.expect_map(batch, bp, {"min", "max"});
    spec.batch_max = in.count(in.require(batch, bp, "max"), bp + ".max", 1, kMaxPartsAtOnce);
    spec.batch_min = batch["min"] ? in.count(batch["min"], bp + ".min", 1, kMaxPartsAtOnce) : 1;
  }
  if (node["split"]) spec.split_into = in.count(node["split"], path + ".split", 1, kMaxPartsAtOnce);
  if (const YAML::Node assembly = node["assembly"]) {
    const std::string ap = path + ".assembly";
    in.expect_map(assembly, ap, {"main", "components"});
    refs.assembly_main = in.string(in.require(assembly, ap, "main"), ap + ".main");
    const YAML::Node components = in.require(assembly, ap, "components");
    if (!components.IsSequence())
      in.fail(components, ap + ".components", "expected a list of {from, quantity}");
    for (std::size_t i = 0; i < components.size(); ++i) {
      const std::string cp = fmt::format("{}.components[{}]", ap, i);
      in.expect_map(components[i], cp, {"from", "quantity"});
      const std::string from = in.string(in.require(components[i], cp, "from"), cp + ".from");
      const std::uint32_t quantity =
          components[i]["quantity"]
              ? in.count(components[i]["quantity"], cp + ".quantity", 1, kMaxPartsAtOnce)
              : 1;
      refs.assembly_components.emplace_back(from, quantity);
    }
  }
  if (const YAML::Node ops = node["operators"]) {
    const std::string op = path + ".operators";
    in.expect_map(ops, op, {"processing", "setup", "repair"});
    static constexpr std::string_view kTasks[] = {"processing", "setup", "repair"};
    for (int t = 0; t < kOperatorTasks; ++t) {
      const std::string key(kTasks[t]);
      if (ops[key]) refs.operator_skill[t] = in.string(ops[key], op + "." + key);
    }
  }
  if (node["calendar"]) refs.calendar = in.string(node["calendar"], path + ".calendar");
  if (const YAML::Node merge = node["merge"]) {
    const std::string mp = path + ".merge";
    if (merge.IsScalar()) {
      if (merge.Scalar() != "first_come")
        in.fail(merge, mp,
                fmt::format("expected 'first_come' or {{priority: [inputs]}}, found '{}'",
                            merge.Scalar()));
    } else {
      in.expect_map(merge, mp, {"priority"});
      refs.merge_priority = in.strings(in.require(merge, mp, "priority"), mp + ".priority");
    }
  }
  builder.add_station(std::move(common), std::move(spec), std::move(refs));
}

SceneBuilder::Origin origin_of(const YAML::Node& node, std::string path) {
  return {node.Mark().line + 1, node.Mark().column + 1, std::move(path)};
}

// A physics conveyor's part_size_m: one edge for a cube, or [length, width, height], each > 0, the
// length at most the belt's and the width at most kConveyorWidth_m (docs/scene-format.md).
void read_part_size(const SceneReader& in, const YAML::Node& node, const std::string& path,
                    ConveyorSpec& spec) {
  const std::string field = path + ".part_size_m";
  if (spec.mode != ConveyorMode::kPhysics) {
    in.fail(node, field,
            "part_size_m is the size of a physics conveyor's parts; expected mode: physics, or "
            "no part_size_m");
  }
  static constexpr std::array<const char*, 3> kEdges = {"length", "width", "height"};
  const bool edges = node.IsSequence();
  if (edges && node.size() != 3) {
    in.fail(
        node, field,
        fmt::format("expected [length, width, height] in metres, found {} numbers", node.size()));
  }
  // Edge k's node and field: the list's item, or the one number of a cube.
  const auto edge = [&](std::size_t k) {
    return std::pair{edges ? node[k] : node, edges ? fmt::format("{}[{}]", field, k) : field};
  };
  for (std::size_t k = 0; k < 3; ++k) {
    const auto [at, at_field] = edge(k);
    spec.part_size_m[k] = in.number(at, at_field);
    if (!(spec.part_size_m[k] > 0.0)) {
      in.fail(at, at_field,
              fmt::format("expected a part's {} > 0 m, found {}", kEdges[k], spec.part_size_m[k]));
    }
  }
  if (spec.part_size_m[0] > spec.length_m) {
    const auto [at, at_field] = edge(0);
    in.fail(at, at_field,
            fmt::format("expected a part no longer than its belt (length_m {} m), found {} m",
                        spec.length_m, spec.part_size_m[0]));
  }
  if (spec.part_size_m[1] > kConveyorWidth_m) {
    const auto [at, at_field] = edge(1);
    in.fail(at, at_field,
            fmt::format("expected a part no wider than the belt ({} m), found {} m",
                        kConveyorWidth_m, spec.part_size_m[1]));
  }
}

void read_element(const SceneReader& in, const YAML::Node& node, const std::string& path,
                  SceneBuilder& builder, const std::vector<std::string>& products) {
  if (!node.IsMap())
    in.fail(node, path, "expected an element mapping, found " + SceneReader::describe(node));
  const std::string type = in.string(in.require(node, path, "type"), path + ".type");
  SceneBuilder::Common common;
  common.id = in.string(in.require(node, path, "id"), path + ".id");
  common.origin = {node.Mark().line + 1, node.Mark().column + 1, path};
  if (node["to"]) common.to = read_route(in, builder, node["to"], path + ".to", products);
  if (node["pose"]) common.pose = read_pose(in, node["pose"], path + ".pose");
  if (const YAML::Node transfer = node["transfer_node"]) {
    builder.vehicle_stop(
        common.id, {in.string(transfer, path + ".transfer_node"), static_cast<bool>(node["pose"]),
                    origin_of(transfer, path + ".transfer_node")});
  } else if (node["pose"]) {
    builder.vehicle_stop(common.id, {"", true, origin_of(node, path + ".pose")});
  }
  if (node["model"]) common.model = in.string(node["model"], path + ".model");

  if (type == "source") {
    read_source(in, node, path, builder, std::move(common), products);
  } else if (type == "buffer") {
    in.expect_map(node, path, {"id", "type", "to", "pose", "model", "transfer_node", "capacity"});
    BufferSpec spec;
    const YAML::Node capacity = in.require(node, path, "capacity");
    if (!(capacity.IsScalar() && capacity.Scalar() == "unlimited")) {
      spec.capacity = in.whole_number(capacity, path + ".capacity",
                                      "a capacity: a whole number >= 0, or 'unlimited'");
    }
    builder.add_buffer(std::move(common), spec);
  } else if (type == "station") {
    read_station(in, node, path, builder, std::move(common), products);
  } else if (type == "conveyor") {
    in.expect_map(node, path,
                  {"id", "type", "to", "pose", "model", "length_m", "speed_m_per_s", "spacing_m",
                   "accumulating", "mode", "part_size_m"});
    ConveyorSpec spec;
    spec.length_m = in.number(in.require(node, path, "length_m"), path + ".length_m");
    spec.speed_m_per_s =
        in.number(in.require(node, path, "speed_m_per_s"), path + ".speed_m_per_s");
    spec.spacing_m = in.number(in.require(node, path, "spacing_m"), path + ".spacing_m");
    if (node["accumulating"]) {
      const std::string a = in.string(node["accumulating"], path + ".accumulating");
      if (a != "true" && a != "false")
        in.fail(node["accumulating"], path + ".accumulating",
                fmt::format("expected true or false, found '{}'", a));
      spec.accumulating = a == "true";
    }
    if (node["mode"]) {
      const std::string mode = in.string(node["mode"], path + ".mode");
      if (mode != "event" && mode != "physics")
        in.fail(node["mode"], path + ".mode",
                fmt::format("expected event or physics, found '{}'", mode));
      spec.mode = mode == "physics" ? ConveyorMode::kPhysics : ConveyorMode::kEvent;
      spec.mode_line = node["mode"].Mark().line + 1;
    }
    if (node["part_size_m"]) read_part_size(in, node["part_size_m"], path, spec);
    builder.add_conveyor(std::move(common), spec);
  } else if (type == "sink") {
    in.expect_map(node, path, {"id", "type", "to", "pose", "model", "transfer_node"});
    builder.add_sink(std::move(common));
  } else {
    in.fail(
        node["type"], path + ".type",
        fmt::format("unknown element type '{}'; expected source, buffer, station, conveyor or sink",
                    type));
  }
}

// The path of each element in errors: elements[ID] by its id, or elements[i] by its place in the
// list when it has no valid id. Ids are checked for duplicates here, before any element is read,
// so that a duplicate is reported before an order file, perhaps a large one, is loaded.
std::vector<std::string> element_paths(const SceneReader& in, const YAML::Node& elements) {
  std::vector<std::string> paths;
  std::unordered_map<std::string, int> line_of_id;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const YAML::Node element = elements[i];
    const YAML::Node id = element.IsMap() ? element["id"] : YAML::Node();
    if (!id || !id.IsScalar() || !is_valid_element_id(id.Scalar())) {
      paths.push_back(fmt::format("elements[{}]", i));
      continue;
    }
    paths.push_back(fmt::format("elements[{}]", id.Scalar()));
    const auto [first, inserted] = line_of_id.emplace(id.Scalar(), element.Mark().line + 1);
    if (!inserted) {
      in.fail(id, paths.back() + ".id",
              fmt::format("expected a unique id, but '{}' is already the id of the element on "
                          "line {}",
                          id.Scalar(), first->second));
    }
  }
  return paths;
}

// The path network; its builder checks it and names the node or edge at fault, here by line.
PathNetwork read_paths(const SceneReader& in, const YAML::Node& paths) {
  in.expect_map(paths, "paths", {"nodes", "edges"});
  PathNetworkBuilder network(in.file(), "paths");
  const YAML::Node nodes = in.require(paths, "paths", "nodes");
  if (!nodes.IsSequence()) in.fail(nodes, "paths.nodes", "expected a list of {id, x_m, y_m}");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string np = fmt::format("paths.nodes[{}]", i);
    in.expect_map(nodes[i], np, {"id", "x_m", "y_m"});
    network.node(in.string(in.require(nodes[i], np, "id"), np + ".id"),
                 in.number(in.require(nodes[i], np, "x_m"), np + ".x_m"),
                 in.number(in.require(nodes[i], np, "y_m"), np + ".y_m"),
                 {nodes[i].Mark().line + 1, nodes[i].Mark().column + 1});
  }
  if (const YAML::Node edges = paths["edges"]) {
    if (!edges.IsSequence())
      in.fail(edges, "paths.edges", "expected a list of {from, to, width_m, speed_limit_m_per_s}");
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const YAML::Node e = edges[i];
      const std::string ep = fmt::format("paths.edges[{}]", i);
      in.expect_map(e, ep, {"from", "to", "one_way", "width_m", "speed_limit_m_per_s", "length_m"});
      PathEdgeSpec spec;
      spec.from = in.string(in.require(e, ep, "from"), ep + ".from");
      spec.to = in.string(in.require(e, ep, "to"), ep + ".to");
      spec.width_m = in.number(in.require(e, ep, "width_m"), ep + ".width_m");
      spec.speed_limit_m_per_s =
          in.number(in.require(e, ep, "speed_limit_m_per_s"), ep + ".speed_limit_m_per_s");
      if (e["length_m"]) spec.length_m = in.number(e["length_m"], ep + ".length_m");
      if (e["one_way"]) {
        const std::string one_way = in.string(e["one_way"], ep + ".one_way");
        if (one_way != "true" && one_way != "false")
          in.fail(e["one_way"], ep + ".one_way",
                  fmt::format("expected true or false, found '{}'", one_way));
        spec.two_way = one_way == "false";
      }
      network.edge(std::move(spec), {e.Mark().line + 1, e.Mark().column + 1});
    }
  }
  return network.build();
}

// docs/transport.md, "Batteries and charging": every amount > 0, the threshold strictly inside
// (0, 1) and the level charged to above it, at most the capacity.
BatterySpec read_battery(const SceneReader& in, const YAML::Node& node, const std::string& path) {
  in.expect_map(
      node, path,
      {"capacity_kwh", "consumption_kwh_per_m", "charge_rate_kw", "charge_below", "charge_to"});
  auto positive = [&](const char* key) {
    const YAML::Node value = in.require(node, path, key);
    const double x = in.number(value, path + "." + key);
    if (!(x > 0.0 && std::isfinite(x)))
      in.fail(value, path + "." + key, fmt::format("expected a number > 0, found {}", x));
    return x;
  };
  BatterySpec battery;
  battery.capacity_kwh = positive("capacity_kwh");
  battery.consumption_kwh_per_m = positive("consumption_kwh_per_m");
  battery.charge_rate_kw = positive("charge_rate_kw");
  const YAML::Node below = in.require(node, path, "charge_below");
  battery.charge_below = in.number(below, path + ".charge_below");
  if (!(battery.charge_below > 0.0 && battery.charge_below < 1.0))
    in.fail(below, path + ".charge_below",
            fmt::format("expected a fraction of the capacity strictly between 0 and 1, found {}",
                        battery.charge_below));
  if (const YAML::Node to = node["charge_to"]) {
    battery.charge_to = in.number(to, path + ".charge_to");
    if (!(battery.charge_to > battery.charge_below && battery.charge_to <= 1.0))
      in.fail(to, path + ".charge_to",
              fmt::format("expected a fraction of the capacity above charge_below ({}) and at "
                          "most 1, found {}",
                          battery.charge_below, battery.charge_to));
  }
  return battery;
}

void read_fleets(const SceneReader& in, const YAML::Node& fleets, SceneBuilder& builder) {
  if (!fleets.IsSequence()) in.fail(fleets, "fleets", "expected a list of fleets");
  for (std::size_t i = 0; i < fleets.size(); ++i) {
    const YAML::Node n = fleets[i];
    const std::string fp = fmt::format("fleets[{}]", i);
    in.expect_map(n, fp,
                  {"id", "home", "vehicles", "dispatch", "traffic", "idle_at", "vehicle", "battery",
                   "chargers"});
    FleetSpec fleet;
    fleet.id = in.string(in.require(n, fp, "id"), fp + ".id");
    if (n["vehicles"]) fleet.vehicles = in.count(n["vehicles"], fp + ".vehicles", 1, 100'000);
    if (n["dispatch"]) {
      const std::string rule = in.string(n["dispatch"], fp + ".dispatch");
      if (rule != "nearest_idle" && rule != "fifo" && rule != "priority")
        in.fail(n["dispatch"], fp + ".dispatch",
                fmt::format("expected 'nearest_idle' or 'fifo', found '{}' (or 'priority': queued "
                            "orders by their links' priority)",
                            rule));
      fleet.dispatch = rule == "fifo"       ? DispatchRule::kFifo
                       : rule == "priority" ? DispatchRule::kPriority
                                            : DispatchRule::kNearestIdle;
    }
    if (n["traffic"]) {
      const std::string rule = in.string(n["traffic"], fp + ".traffic");
      if (rule != "zones" && rule != "none")
        in.fail(n["traffic"], fp + ".traffic",
                fmt::format("expected 'zones' or 'none', found '{}'", rule));
      fleet.traffic = rule == "none" ? TrafficControl::kNone : TrafficControl::kZones;
    }
    if (n["idle_at"]) {
      const std::string place = in.string(n["idle_at"], fp + ".idle_at");
      if (place != "home" && place != "pick_up")
        in.fail(n["idle_at"], fp + ".idle_at",
                fmt::format("expected 'home' (park in the depot) or 'pick_up' (wait at a pick-up "
                            "stop), found '{}'",
                            place));
      fleet.idle_at = place == "pick_up" ? IdlePlace::kPickUp : IdlePlace::kHome;
    }
    const YAML::Node v = in.require(n, fp, "vehicle");
    const std::string vp = fp + ".vehicle";
    in.expect_map(v, vp,
                  {"max_speed_m_per_s", "acceleration_m_per_s2", "deceleration_m_per_s2", "width_m",
                   "length_m", "load", "load_time", "unload_time"});
    VehicleSpec& vehicle = fleet.vehicle;
    vehicle.motion.max_speed_m_per_s =
        in.number(in.require(v, vp, "max_speed_m_per_s"), vp + ".max_speed_m_per_s");
    vehicle.motion.acceleration_m_per_s2 =
        in.number(in.require(v, vp, "acceleration_m_per_s2"), vp + ".acceleration_m_per_s2");
    vehicle.motion.deceleration_m_per_s2 =
        in.number(in.require(v, vp, "deceleration_m_per_s2"), vp + ".deceleration_m_per_s2");
    vehicle.width_m = in.number(in.require(v, vp, "width_m"), vp + ".width_m");
    if (v["length_m"]) vehicle.length_m = in.number(v["length_m"], vp + ".length_m");
    if (const YAML::Node load = v["load"]) {
      const std::string lp = vp + ".load";
      in.expect_map(load, lp, {"length_m", "width_m"});
      // Given, a load has a size: 0 is what no `load` key means (within the vehicle).
      auto size = [&](const char* key, const char* what) {
        const YAML::Node node = in.require(load, lp, key);
        const double m = in.number(node, lp + "." + key);
        if (!(m > 0.0 && std::isfinite(m)))
          in.fail(node, lp + "." + key, fmt::format("expected a {} > 0, found {}", what, m));
        return m;
      };
      vehicle.load_length_m = size("length_m", "length");
      vehicle.load_width_m = size("width_m", "width");
    }
    vehicle.load_time = in.distribution(in.require(v, vp, "load_time"), vp + ".load_time");
    vehicle.unload_time = in.distribution(in.require(v, vp, "unload_time"), vp + ".unload_time");
    if (const YAML::Node b = n["battery"]) fleet.battery = read_battery(in, b, fp + ".battery");
    const std::string home = in.string(in.require(n, fp, "home"), fp + ".home");
    builder.add_fleet(std::move(fleet), home, origin_of(n, fp));
    if (const YAML::Node chargers = n["chargers"])
      builder.fleet_chargers(in.strings(chargers, fp + ".chargers"),
                             origin_of(chargers, fp + ".chargers"));
  }
}

Scene read_scene(const YAML::Node& root, const std::string& file) {
  SceneReader in(file);
  in.expect_map(
      root, "",
      {"linetwin_scene", "name", "description", "seed", "product", "products", "run", "operators",
       "calendars", "calendar", "wip_limits", "paths", "fleets", "elements"});
  const YAML::Node version = in.require(root, "", "linetwin_scene");
  const std::uint64_t v = in.whole_number(version, "linetwin_scene", "a format version number");
  if (v != kSceneFormatVersion) {
    in.fail(
        version, "linetwin_scene",
        fmt::format("this build reads scene format {}, found format {}", kSceneFormatVersion, v));
  }
  SceneBuilder builder(root["name"] ? in.string(root["name"], "name")
                                    : std::string("unnamed line"));
  builder.source_file(file);
  if (root["description"]) in.string(root["description"], "description");
  std::vector<std::string> products{"part"};
  if (root["product"] && root["products"])
    in.fail(root, "products", "expected 'product' (one) or 'products' (several), not both");
  if (root["product"]) products = {in.string(root["product"], "product")};
  if (root["products"]) products = in.strings(root["products"], "products");
  builder.products(products);
  if (root["seed"]) {
    builder.seed(in.whole_number(
        root["seed"], "seed", "a seed: a whole number from 0 to 18446744073709551615 (2^64 - 1)"));
  }

  RunSettings run;
  if (root["run"]) {
    const YAML::Node r = root["run"];
    in.expect_map(r, "run", {"duration", "warmup", "replications"});
    if (r["duration"]) run.duration_s = in.duration(r["duration"], "run.duration", false);
    if (r["warmup"]) run.warmup_s = in.duration(r["warmup"], "run.warmup", true);
    if (r["replications"])
      run.replications = in.count(r["replications"], "run.replications", 1, 1000000);
    // Each is within bounds on its own; together they may not be.
    if (auto problem = run_settings_problem(run)) {
      const YAML::Node at = r[problem->field] ? r[problem->field] : r;
      in.fail(at, "run." + problem->field, problem->message);
    }
  }
  builder.run_settings(run);

  if (const YAML::Node pools = root["operators"]) {
    if (!pools.IsSequence()) in.fail(pools, "operators", "expected a list of operator pools");
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const std::string pp = fmt::format("operators[{}]", i);
      in.expect_map(pools[i], pp,
                    {"pool", "count", "skills", "walking_speed_m_per_s", "home", "calendar"});
      OperatorPoolSpec pool;
      pool.name = in.string(in.require(pools[i], pp, "pool"), pp + ".pool");
      pool.count =
          in.count(in.require(pools[i], pp, "count"), pp + ".count", 1, kMaxOperatorsPerPool);
      pool.skills = in.strings(in.require(pools[i], pp, "skills"), pp + ".skills");
      if (pools[i]["walking_speed_m_per_s"])
        pool.walking_speed_m_per_s =
            in.number(pools[i]["walking_speed_m_per_s"], pp + ".walking_speed_m_per_s");
      const std::string home = pools[i]["home"] ? in.string(pools[i]["home"], pp + ".home") : "";
      const std::string calendar =
          pools[i]["calendar"] ? in.string(pools[i]["calendar"], pp + ".calendar") : "";
      builder.add_operator_pool(std::move(pool), home, origin_of(pools[i], pp), calendar);
    }
  }
  if (const YAML::Node calendars = root["calendars"]) {
    if (!calendars.IsMap())
      in.fail(calendars, "calendars", "expected a mapping of calendar names to calendars");
    for (const auto& entry : calendars) {
      const std::string name = entry.first.as<std::string>();
      builder.add_calendar(name, read_calendar(in, entry.second, "calendars." + name),
                           origin_of(entry.second, "calendars." + name));
    }
  }
  if (root["calendar"])
    builder.line_calendar(in.string(root["calendar"], "calendar"),
                          origin_of(root["calendar"], "calendar"));
  if (const YAML::Node limits = root["wip_limits"]) {
    if (!limits.IsSequence()) in.fail(limits, "wip_limits", "expected a list of WIP limits");
    for (std::size_t i = 0; i < limits.size(); ++i) {
      const std::string lp = fmt::format("wip_limits[{}]", i);
      in.expect_map(limits[i], lp, {"name", "from", "to", "cards"});
      builder.add_wip_limit(
          limits[i]["name"] ? in.string(limits[i]["name"], lp + ".name")
                            : fmt::format("limit {}", i + 1),
          in.string(in.require(limits[i], lp, "from"), lp + ".from"),
          in.string(in.require(limits[i], lp, "to"), lp + ".to"),
          in.count(in.require(limits[i], lp, "cards"), lp + ".cards", 1, kMaxWipCards),
          origin_of(limits[i], lp));
    }
  }

  if (root["paths"]) builder.paths(read_paths(in, root["paths"]));
  if (root["fleets"]) read_fleets(in, root["fleets"], builder);

  const YAML::Node elements = in.require(root, "", "elements");
  builder.elements_origin({elements.Mark().line + 1, elements.Mark().column + 1, "elements"});
  if (!elements.IsSequence() || elements.size() == 0) {
    in.fail(elements, "elements",
            "expected a non-empty list of elements, found " + SceneReader::describe(elements));
  }
  if (elements.size() > kMaxElements) {
    in.fail(elements, "elements",
            fmt::format("expected at most {} elements, found {}", kMaxElements, elements.size()));
  }
  const std::vector<std::string> paths = element_paths(in, elements);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    read_element(in, elements[i], paths[i], builder, products);
  }
  // A scenario's path starts with the id of what it changes (B2.capacity, AGV.vehicles), so an id
  // names an element or a fleet, never both. read_fleets checked that each fleet's id is text.
  if (const YAML::Node fleets = root["fleets"]) {
    for (std::size_t f = 0; f < fleets.size(); ++f) {
      const YAML::Node id = fleets[f]["id"];
      const auto same = std::find(paths.begin(), paths.end(), "elements[" + id.Scalar() + "]");
      if (same != paths.end()) {
        in.fail(
            id, fmt::format("fleets[{}].id", f),
            fmt::format("expected an id that no element has, found '{}', the id of the "
                        "element on line {}",
                        id.Scalar(),
                        elements[static_cast<std::size_t>(same - paths.begin())].Mark().line + 1));
      }
    }
  }
  return builder.build();
}

Scene load_scene(std::string_view yaml, const std::string& display_name) {
  const YAML::Node root = parse_yaml(yaml, display_name, "scene file");
  try {
    return read_scene(root, display_name);
  } catch (const YAML::Exception& e) {
    // A conversion the reader did not anticipate; still say where.
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1, ""}, e.msg);
  }
}

// The limits keep what a scene asks for within bounds, but the machine may have less memory
// than they allow. What was allocated is freed by the time this is caught.
InputError out_of_memory(const std::string& display_name) {
  return InputError({display_name, 0, 0, ""},
                    "not enough memory to load this scene; expected a scene that fits in this "
                    "machine's memory (docs/scene-format.md#limits says what a scene may ask for)");
}

}  // namespace

Scene load_scene_text(std::string_view yaml, const std::string& display_name) {
  try {
    return load_scene(yaml, display_name);
  } catch (const std::bad_alloc&) {
    throw out_of_memory(display_name);
  }
}

Scene load_scene_file(const std::string& path) {
  try {
    return load_scene(read_input_file(path, "scene file"), path);
  } catch (const std::bad_alloc&) {
    throw out_of_memory(path);
  }
}

}  // namespace linetwin
