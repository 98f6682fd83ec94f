#include "sweep_view.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"

namespace linetwin::viewer {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSchemaPrefix = "linetwin.sweep/";
constexpr std::string_view kSchema = "linetwin.sweep/1";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* type_name(const Json& value) {
  return value.is_null() ? "null" : value.type_name();
}

// Reads the fields of one file, each by its JSON path, so that every refusal says where.
class Fields {
 public:
  explicit Fields(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw InputError({file_, 0, 0, path}, message);
  }

  const Json& member(const Json& object, const std::string& path, std::string_view key) const {
    const auto it = object.find(key);
    if (it == object.end())
      fail(join(path, key), "missing; expected it in a linetwin.sweep/1 file");
    return *it;
  }
  const Json& object(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (!value.is_object()) fail(join(path, key), expected("an object", value));
    return value;
  }
  const Json& array(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (!value.is_array()) fail(join(path, key), expected("an array", value));
    return value;
  }
  std::string text(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (!value.is_string()) fail(join(path, key), expected("a string", value));
    return value.get<std::string>();
  }
  bool boolean(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (!value.is_boolean()) fail(join(path, key), expected("true or false", value));
    return value.get<bool>();
  }
  std::uint64_t whole(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (!value.is_number_unsigned()) fail(join(path, key), expected("a whole number", value));
    return value.get<std::uint64_t>();
  }
  // A number, or null for an undefined value (json_values.hpp writes NaN as null).
  double number(const Json& object, const std::string& path, std::string_view key) const {
    const Json& value = member(object, path, key);
    if (value.is_null()) return kNaN;
    if (!value.is_number()) fail(join(path, key), expected("a number or null", value));
    return value.get<double>();
  }
  SweepEstimate estimate(const Json& parent, const std::string& path, std::string_view key) const {
    const Json& e = object(parent, path, key);
    const std::string at = join(path, key);
    return {number(e, at, "mean"), number(e, at, "ci95_low"), number(e, at, "ci95_high"),
            static_cast<std::size_t>(whole(e, at, "n"))};
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string item(const std::string& path, std::size_t i) {
    return fmt::format("{}[{}]", path, i);
  }

 private:
  static std::string expected(const char* what, const Json& found) {
    return fmt::format("expected {}, found {}", what, type_name(found));
  }
  const std::string& file_;
};

// The direction of the KPIs every sweep compares, and of a station's usual ones; the ranking
// and the selection say it for theirs.
int direction_of(std::string_view kpi) {
  const auto ends = [&](std::string_view tail) { return kpi.ends_with(tail); };
  if (ends("_per_hour") || ends("oee") || ends("utilisation")) return 1;
  if (kpi.starts_with("wip") || ends("_s") || ends("scrap_rate")) return -1;
  return 0;
}

std::string unit_of(std::string_view kpi) {
  if (kpi.ends_with("_per_hour")) return "parts/h";
  if (kpi.ends_with("_s")) return "s";
  if (kpi.starts_with("wip")) return "parts";
  return "";
}

std::string format_value(double value) {
  return fmt::format("{:g}", value);
}

}  // namespace

bool SweepEstimate::has_interval() const {
  return std::isfinite(low) && std::isfinite(high);
}

std::string SweepView::parameter_unit(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::string_view leaf = dot == std::string_view::npos ? path : path.substr(dot + 1);
  if (leaf == "capacity" || leaf == "limit") return "parts";
  if (leaf == "servers") return "servers";
  // A scenario's durations are in seconds (docs/scenario-format.md): a processing time, a
  // failure's or repair's, a setup, the run's own.
  for (const std::string_view timed :
       {"processing", "time_to_", "setup", "duration", "warmup", "travel", "repair"}) {
    if (path.find(timed) != std::string_view::npos) return "s";
  }
  return "";
}

SweepView SweepView::read(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError({path, 0, 0, ""}, "cannot open the file");
  std::ostringstream text;
  text << file.rdbuf();
  return parse(text.str(), path);
}

SweepView SweepView::parse(std::string_view text, const std::string& file) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // The line and column of the byte nlohmann stopped at.
    const std::size_t at = std::min<std::size_t>(e.byte, text.size());
    const std::string_view before = text.substr(0, at > 0 ? at - 1 : 0);
    const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const std::size_t line_start = before.rfind('\n');
    const auto column = static_cast<int>(
        before.size() - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1);
    throw InputError({file, line, column, ""},
                     fmt::format("not JSON ({}); expected a linetwin.sweep/1 file", e.what()));
  }
  const Fields f(file);
  if (!root.is_object())
    f.fail("", fmt::format("expected a JSON object (linetwin.sweep/1), found {}", type_name(root)));
  const std::string schema = f.text(root, "", "schema");
  if (!schema.starts_with(kSchemaPrefix)) {
    f.fail("schema", fmt::format("expected {} (the JSON of `linetwin sweep --json`), found '{}'",
                                 kSchema, schema));
  }
  if (schema != kSchema)
    f.fail("schema", fmt::format("this viewer reads {}, found '{}'", kSchema, schema));

  SweepView view;
  view.name_ = f.text(root, "", "name");
  view.scenario_ = f.text(root, "", "scenario");
  view.seed_ = f.whole(root, "", "seed");
  view.common_random_numbers_ = f.boolean(root, "", "common_random_numbers");

  const Json& variants = f.array(root, "", "variants");
  if (variants.empty()) f.fail("variants", "expected the baseline and its variants, found none");
  // The KPIs compared with the baseline, first compared first; with only a baseline, its run's.
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::string at = Fields::item("variants", v);
    if (!variants[v].is_object()) f.fail(at, "expected an object");
    const Json& comparison = f.array(variants[v], at, "comparison");
    for (std::size_t k = 0; k < comparison.size(); ++k) {
      const std::string kpi = f.text(comparison[k], Fields::item(at + ".comparison", k), "kpi");
      if (!view.kpi_index(kpi)) view.kpis_.push_back({kpi, unit_of(kpi), direction_of(kpi)});
    }
  }
  if (view.kpis_.empty()) {
    const Json& kpis =
        f.object(f.object(variants[0], "variants[0]", "run"), "variants[0].run", "kpis");
    for (const auto& [kpi, value] : kpis.items())
      view.kpis_.push_back({kpi, unit_of(kpi), direction_of(kpi)});
  }

  // The baseline's estimate of a KPI that is not a line KPI: from the first comparison with it.
  std::map<std::string, SweepEstimate> baseline_of;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::string at = Fields::item("variants", v);
    SweepVariantRow row;
    row.name = f.text(variants[v], at, "name");
    for (const auto& [path, value] : f.object(variants[v], at, "parameters").items()) {
      if (value.is_number()) {
        row.parameters.emplace_back(path, value.get<double>());
        if (std::find(view.swept_.begin(), view.swept_.end(), path) == view.swept_.end())
          view.swept_.push_back(path);
      } else if (!value.is_string()) {
        f.fail(at + ".parameters." + path,
               fmt::format("expected a number or a string, found {}", type_name(value)));
      }
    }
    row.replications = f.whole(variants[v], at, "replications");
    const Json& run_kpis = f.object(f.object(variants[v], at, "run"), at + ".run", "kpis");
    const Json& comparison = f.array(variants[v], at, "comparison");
    row.cells.resize(view.kpis_.size());
    for (std::size_t k = 0; k < view.kpis_.size(); ++k) {
      const std::string& kpi = view.kpis_[k].name;
      if (run_kpis.contains(kpi)) {
        row.cells[k].estimate = f.estimate(run_kpis, at + ".run.kpis", kpi);
      } else {
        row.cells[k].estimate = {kNaN, kNaN, kNaN, 0};
      }
    }
    for (std::size_t c = 0; c < comparison.size(); ++c) {
      const std::string cat = Fields::item(at + ".comparison", c);
      const std::size_t k = *view.kpi_index(f.text(comparison[c], cat, "kpi"));
      SweepCell& cell = row.cells[k];
      cell.difference = f.estimate(comparison[c], cat, "difference");
      cell.differs = f.boolean(comparison[c], cat, "differs");
      if (!run_kpis.contains(view.kpis_[k].name)) {
        cell.estimate = f.estimate(comparison[c], cat, "variant");
        baseline_of.try_emplace(view.kpis_[k].name, f.estimate(comparison[c], cat, "baseline"));
      }
    }
    view.variants_.push_back(std::move(row));
  }
  for (std::size_t k = 0; k < view.kpis_.size(); ++k) {
    const auto it = baseline_of.find(view.kpis_[k].name);
    if (it != baseline_of.end()) view.variants_[0].cells[k].estimate = it->second;
  }

  const auto position = [&](const std::string& name, const std::string& at) {
    for (std::size_t v = 0; v < view.variants_.size(); ++v) {
      if (view.variants_[v].name == name) return v;
    }
    f.fail(at, fmt::format("expected the name of a variant, found '{}'", name));
  };
  const Json& ranking = f.object(root, "", "ranking");
  view.ranking_kpi_ = f.text(ranking, "ranking", "kpi");
  const std::string best_first = f.text(ranking, "ranking", "best_first");
  if (best_first != "largest" && best_first != "smallest")
    f.fail("ranking.best_first", "expected largest or smallest, found '" + best_first + "'");
  const Json& order = f.array(ranking, "ranking", "variants");
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::string at = Fields::item("ranking.variants", i);
    if (!order[i].is_string()) f.fail(at, "expected a variant's name");
    view.ranking_.push_back(position(order[i].get<std::string>(), at));
  }
  if (const auto k = view.kpi_index(view.ranking_kpi_))
    view.kpis_[*k].direction = best_first == "largest" ? 1 : -1;

  const Json& gates = f.array(root, "", "gates");
  for (std::size_t g = 0; g < gates.size(); ++g) {
    const std::string at = Fields::item("gates", g);
    SweepGate gate{f.text(gates[g], at, "gate"), f.boolean(gates[g], at, "passed"), {}};
    const Json& failures = f.array(gates[g], at, "failures");
    for (std::size_t i = 0; i < failures.size(); ++i) {
      if (!failures[i].is_string()) f.fail(Fields::item(at + ".failures", i), "expected a string");
      gate.failures.push_back(failures[i].get<std::string>());
    }
    view.gates_.push_back(std::move(gate));
  }

  const Json& selection = f.member(root, "", "selection");
  if (!selection.is_null()) {
    if (!selection.is_object()) f.fail("selection", "expected an object or null");
    view.selection_kpi_ = f.text(selection, "selection", "kpi");
    view.selection_statement_ = f.text(selection, "selection", "statement");
    const std::string goal = f.text(selection, "selection", "goal");
    if (goal != "max" && goal != "min")
      f.fail("selection.goal", "expected max or min, found '" + goal + "'");
    if (const auto k = view.kpi_index(view.selection_kpi_))
      view.kpis_[*k].direction = goal == "max" ? 1 : -1;
    const Json& best = f.member(selection, "selection", "best");
    if (best.is_string()) {
      view.selected_ = position(best.get<std::string>(), "selection.best");
    } else if (!best.is_null()) {
      f.fail("selection.best", "expected a variant's name or null");
    }
  }

  // The charts' lines: the points that share every swept value but the first's.
  if (!view.swept_.empty()) {
    const std::string& x_path = view.swept_.front();
    std::vector<std::vector<double>> keys;
    for (std::size_t v = 0; v < view.variants_.size(); ++v) {
      const auto& parameters = view.variants_[v].parameters;
      const auto x = std::find_if(parameters.begin(), parameters.end(),
                                  [&](const auto& p) { return p.first == x_path; });
      if (x == parameters.end()) continue;
      std::vector<double> key;
      std::string label;
      for (std::size_t s = 1; s < view.swept_.size(); ++s) {
        const auto it = std::find_if(parameters.begin(), parameters.end(),
                                     [&](const auto& p) { return p.first == view.swept_[s]; });
        key.push_back(it == parameters.end() ? kNaN : it->second);
        if (it != parameters.end()) {
          label += fmt::format("{}{} = {}", label.empty() ? "" : ", ", view.swept_[s],
                               format_value(it->second));
        }
      }
      // A parameter a point lacks is NaN in its key, which never equals itself: two absences match.
      const auto same = [&](const std::vector<double>& a) {
        return std::equal(a.begin(), a.end(), key.begin(), key.end(), [](double p, double q) {
          return p == q || (std::isnan(p) && std::isnan(q));
        });
      };
      const auto line =
          static_cast<std::size_t>(std::find_if(keys.begin(), keys.end(), same) - keys.begin());
      if (line == keys.size()) {
        keys.push_back(key);
        view.series_.push_back({label, {}});
      }
      view.series_[line].points.push_back({x->second, v});
    }
    for (SweepSeries& s : view.series_) {
      std::stable_sort(s.points.begin(), s.points.end(),
                       [](const auto& a, const auto& b) { return a.x < b.x; });
    }
  }
  return view;
}

std::optional<std::size_t> SweepView::kpi_index(std::string_view name) const {
  for (std::size_t k = 0; k < kpis_.size(); ++k) {
    if (kpis_[k].name == name) return k;
  }
  return std::nullopt;
}

std::optional<SweepBest> SweepView::best(std::size_t kpi) const {
  if (selected_ && kpis_[kpi].name == selection_kpi_) return SweepBest{*selected_, true};
  const int direction = kpis_[kpi].direction;
  if (direction == 0) return std::nullopt;
  std::optional<std::size_t> best;
  for (std::size_t v = 0; v < variants_.size(); ++v) {
    const double mean = variants_[v].cells[kpi].estimate.mean;
    if (std::isnan(mean)) continue;
    // The first of equal means, as the sweep's ranking orders ties.
    if (!best || direction * (mean - variants_[*best].cells[kpi].estimate.mean) > 0.0) best = v;
  }
  if (!best) return std::nullopt;
  return SweepBest{*best, false};
}

}  // namespace linetwin::viewer
