#include "io/sweep_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <pugixml.hpp>

#include "experiment/replication_table.hpp"
#include "io/csv_field.hpp"
#include "io/json_values.hpp"
#include "io/results_report.hpp"
#include "io/run_object.hpp"
#include "linetwin_version.hpp"

namespace linetwin {
namespace {

using json_values::number;
using nlohmann::ordered_json;

ordered_json estimate_json(const Estimate& e) {
  ordered_json j;
  j["mean"] = number(e.mean);
  j["ci95_low"] = e.has_interval ? number(e.ci_low) : ordered_json(nullptr);
  j["ci95_high"] = e.has_interval ? number(e.ci_high) : ordered_json(nullptr);
  j["stdev"] = number(e.stdev);
  j["n"] = e.replications;
  return j;
}

ordered_json comparison_json(const KpiComparison& c) {
  ordered_json j;
  j["kpi"] = c.kpi;
  j["paired"] = c.paired;
  j["baseline"] = estimate_json(c.baseline);
  j["variant"] = estimate_json(c.variant);
  j["difference"] = estimate_json(c.difference);
  j["p_value"] = number(c.p_value);
  j["differs"] = c.differs;
  j["unpaired_half_width"] = number(c.unpaired_half_width);
  return j;
}

RunReport run_report(const SweepVariantReport& v) {
  return RunReport{*v.scene, v.settings, v.summary};
}

std::size_t deadlocked(const SweepReport& report) {
  std::size_t n = 0;
  for (const SweepVariantReport& v : report.variants)
    n += v.summary.deadlocks.size();
  return n;
}

bool gates_passed(const SweepReport& report) {
  for (const GateOutcome& g : report.gates) {
    if (!g.passed) return false;
  }
  return true;
}

const char* end_text(SelectionEnd end) {
  switch (end) {
    case SelectionEnd::kOneLeft:
      return "one left";
    case SelectionEnd::kReplicationLimit:
      return "replication limit";
    case SelectionEnd::kTied:
      return "tied";
    case SelectionEnd::kNoneLeft:
      return "none left";
  }
  return "";
}

ordered_json selection_json(const SweepReport& report) {
  if (!report.selection) return nullptr;
  const SelectionOfBestSettings& how = *report.selection_settings;
  const SelectionResult& s = *report.selection;
  ordered_json j;
  j["method"] = "Kim and Nelson (2001), KN";
  j["kpi"] = how.kpi;
  j["goal"] = how.procedure.maximise ? "max" : "min";
  j["indifference"] = how.procedure.indifference;
  j["confidence"] = how.procedure.confidence;
  j["first_stage"] = how.procedure.first_stage;
  j["max_replications"] = how.procedure.max_replications;
  j["best"] = s.best ? ordered_json(report.variants[*s.best].name) : ordered_json(nullptr);
  j["reached"] = s.reached;
  j["end"] = end_text(s.end);
  j["statement"] = selection_statement(report);
  j["replication_bound"] = s.replication_bound;
  ordered_json variants = ordered_json::array();
  for (std::size_t v = 0; v < s.systems.size(); ++v) {
    const SelectedSystem& system = s.systems[v];
    ordered_json row;
    row["name"] = report.variants[v].name;
    row["replications"] = system.replications;
    row["mean"] = number(system.mean);
    if (system.elimination == Elimination::kNone) {
      row["eliminated"] = nullptr;
    } else {
      ordered_json e;
      e["after_replications"] = system.eliminated_after;
      e["why"] = system.elimination == Elimination::kOutsideRegion ? "behind" : "undefined value";
      e["behind"] = system.eliminated_by ? ordered_json(report.variants[*system.eliminated_by].name)
                                         : ordered_json(nullptr);
      row["eliminated"] = e;
    }
    variants.push_back(row);
  }
  j["variants"] = variants;
  return j;
}

}  // namespace

std::string selection_statement(const SweepReport& report) {
  const SelectionOfBestSettings& how = *report.selection_settings;
  const SelectionResult& s = *report.selection;
  if (!s.best)
    return "no variant could be selected: every one deadlocked or left the KPI undefined";
  const std::string& best = report.variants[*s.best].name;
  if (s.reached) {
    return fmt::format(
        "{} is the best on {} with probability at least {:g}% when the best is at "
        "least {:g} better than the rest",
        best, how.kpi, 100.0 * how.procedure.confidence, how.procedure.indifference);
  }
  return fmt::format(
      "not decided ({}): {} has the best sample mean of the {} variants still in "
      "contention, with no guarantee",
      end_text(s.end), best, s.survivors.size());
}

std::string warmup_statement(const SweepReport& report) {
  const DetectedWarmup& w = *report.warmup;
  const Scene& baseline = *report.variants.front().scene;
  const char* calendar = baseline.calendars().empty()
                             ? ""
                             : "; the line follows a shift calendar and repeats a daily pattern "
                               "rather than settling, which MSER assumes: fix the warm-up instead "
                               "(whole days)";
  return fmt::format(
      "warm-up {:.0f} s, detected by MSER-5 on WIP ({} of {} batches of {:g} s){}{}", w.warmup_s,
      w.truncated_batches, w.batches, 5.0 * w.interval_s,
      w.reliable ? "" : "; NOT RELIABLE: the transient may last half the run, run longer",
      calendar);
}

SweepReport make_sweep_report(const SweepReportInput& input, const SweepResults& results,
                              std::vector<GateOutcome> gates) {
  SweepReport report;
  report.scenario = input.scenario;
  report.name = input.name;
  report.seed = input.settings.seed;
  report.common_random_numbers = input.settings.common_random_numbers;
  report.precision = input.settings.precision;
  report.ranking_kpi = input.ranking_kpi;
  report.larger_is_better = input.larger_is_better;
  report.gates = std::move(gates);
  report.warmup = input.warmup;
  report.selection_settings = input.settings.selection;
  report.selection = results.selection;
  std::vector<std::string> kpis{"throughput_per_hour", "wip_mean", "lead_time_mean_s"};
  for (const std::string& k : input.compared_kpis) {
    if (std::find(kpis.begin(), kpis.end(), k) == kpis.end()) kpis.push_back(k);
  }
  const double confidence = 0.95;
  const ReplicationTable baseline_table(*input.variants.front().scene);
  const auto& baseline = results.replications.front();
  std::vector<Estimate> ranked;
  for (std::size_t v = 0; v < input.variants.size(); ++v) {
    const SweepVariant& variant = input.variants[v];
    const auto& reps = results.replications[v];
    SweepVariantReport row;
    row.name = variant.name;
    row.scene = variant.scene;
    row.settings.seed = input.settings.common_random_numbers
                            ? input.settings.seed
                            : independent_seed(input.settings.seed, v);
    row.settings.run = variant.run;
    row.settings.run.replications = static_cast<std::uint32_t>(reps.size());
    row.summary = summarize(reps, confidence);
    if (v < input.parameters.size()) row.parameters = input.parameters[v];
    if (v < results.precision.size()) row.precision = results.precision[v];
    const ReplicationTable table(*variant.scene);
    if (const auto column = table.find(input.ranking_kpi)) {
      row.ranked = kpi_estimate(table, *column, reps, confidence);
    } else {
      row.ranked.mean = std::numeric_limits<double>::quiet_NaN();
    }
    ranked.push_back(row.ranked);
    if (v > 0) {
      for (const std::string& kpi : kpis) {
        const auto b = baseline_table.find(kpi);
        const auto c = table.find(kpi);
        if (!b || !c) continue;  // a KPI of an element only one of the two lines has
        row.comparison.push_back(compare_kpi(kpi, kpi_values(baseline_table, *b, baseline),
                                             kpi_values(table, *c, reps),
                                             input.settings.common_random_numbers, confidence));
      }
    }
    report.variants.push_back(std::move(row));
  }
  report.ranking = rank_by_mean(ranked, input.larger_is_better);
  return report;
}

void write_sweep_json(std::ostream& out, const SweepReport& report) {
  ordered_json j;
  j["schema"] = kSweepResultsSchema;
  j["linetwin_version"] = kLinetwinVersion;
  j["scenario"] = report.scenario;
  j["name"] = report.name;
  j["seed"] = report.seed;
  j["common_random_numbers"] = report.common_random_numbers;
  j["confidence"] = 0.95;
  if (report.precision) {
    ordered_json p;
    p["kpi"] = report.precision->kpi;
    p["half_width"] = report.precision->half_width;
    p["batch"] = report.precision->batch;
    p["max_replications"] = report.precision->max_replications;
    j["precision_goal"] = p;
  } else {
    j["precision_goal"] = nullptr;
  }
  if (report.warmup) {
    const DetectedWarmup& w = *report.warmup;
    ordered_json detected;
    detected["method"] = "MSER-5 on WIP, the baseline's pilot replications averaged";
    detected["warmup_s"] = w.warmup_s;
    detected["interval_s"] = w.interval_s;
    detected["batches"] = w.batches;
    detected["truncated_batches"] = w.truncated_batches;
    detected["reliable"] = w.reliable;
    detected["pilot_replications"] = w.pilot_replications;
    j["warmup_detection"] = detected;
  } else {
    j["warmup_detection"] = nullptr;
  }
  ordered_json variants = ordered_json::array();
  for (const SweepVariantReport& v : report.variants) {
    ordered_json row;
    row["name"] = v.name;
    ordered_json parameters = ordered_json::object();
    for (const SweepParameter& p : v.parameters)
      parameters[p.path] = p.value ? number(*p.value) : ordered_json(p.text);
    row["parameters"] = parameters;
    row["replications"] = v.summary.replications;
    if (v.precision) {
      ordered_json p;
      p["reached"] = v.precision->reached;
      p["estimate"] = estimate_json(v.precision->estimate);
      row["precision"] = p;
    } else {
      row["precision"] = nullptr;
    }
    ordered_json comparison = ordered_json::array();
    for (const KpiComparison& c : v.comparison)
      comparison.push_back(comparison_json(c));
    row["comparison"] = comparison;
    row["run"] = run_object(run_report(v));
    variants.push_back(row);
  }
  j["variants"] = variants;
  ordered_json ranking;
  ranking["kpi"] = report.ranking_kpi;
  ranking["best_first"] = report.larger_is_better ? "largest" : "smallest";
  ordered_json order = ordered_json::array();
  for (std::size_t v : report.ranking)
    order.push_back(report.variants[v].name);
  ranking["variants"] = order;
  j["ranking"] = ranking;
  ordered_json gates = ordered_json::array();
  for (const GateOutcome& g : report.gates) {
    ordered_json row;
    row["gate"] = g.text;
    row["passed"] = g.passed;
    row["failures"] = g.failures;
    row["passes"] = g.passes;
    gates.push_back(row);
  }
  j["gates"] = gates;
  j["selection"] = selection_json(report);
  j["gates_passed"] = gates_passed(report);
  j["deadlocked_replications"] = deadlocked(report);
  out << j.dump(2) << '\n';
}

void write_sweep_csv(std::ostream& out, const SweepReport& report) {
  out << "variant,section,id,kpi,mean,ci95_low,ci95_high,stdev,n\n";
  for (const SweepVariantReport& v : report.variants) {
    const std::string variant = csv_field(v.name);
    std::ostringstream rows;
    write_csv(rows, run_report(v));
    std::istringstream lines(rows.str());
    std::string line;
    std::getline(lines, line);  // the run CSV's header
    while (std::getline(lines, line))
      out << variant << ',' << line << '\n';
    // Variant minus baseline, paired under common random numbers.
    for (const KpiComparison& c : v.comparison) {
      const Estimate& d = c.difference;
      fmt::print(out, "{},difference,,{},{},{},{},{},{}\n", variant, c.kpi, csv_number(d.mean),
                 d.has_interval ? csv_number(d.ci_low) : "",
                 d.has_interval ? csv_number(d.ci_high) : "", csv_number(d.stdev), d.replications);
    }
  }
}

void write_sweep_junit(std::ostream& out, const SweepReport& report) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  std::size_t failures = 0;
  for (const GateOutcome& g : report.gates)
    failures += g.passed ? 0 : 1;
  pugi::xml_node suites = doc.append_child("testsuites");
  suites.append_attribute("tests") = static_cast<unsigned long long>(report.gates.size());
  suites.append_attribute("failures") = static_cast<unsigned long long>(failures);
  pugi::xml_node suite = suites.append_child("testsuite");
  suite.append_attribute("name") = ("linetwin sweep: " + report.name).c_str();
  suite.append_attribute("tests") = static_cast<unsigned long long>(report.gates.size());
  suite.append_attribute("failures") = static_cast<unsigned long long>(failures);
  suite.append_attribute("errors") = 0;
  for (const GateOutcome& g : report.gates) {
    pugi::xml_node test = suite.append_child("testcase");
    test.append_attribute("classname") = "linetwin.gates";
    test.append_attribute("name") = g.text.c_str();
    std::string details;
    for (const std::string& s : g.failures)
      details += s + "\n";
    for (const std::string& s : g.passes)
      details += s + "\n";
    if (!g.passed) {
      pugi::xml_node failure = test.append_child("failure");
      failure.append_attribute("message") = g.failures.front().c_str();
      failure.append_attribute("type") = "gate";
      failure.append_child(pugi::node_pcdata).set_value(details.c_str());
    } else {
      test.append_child("system-out").append_child(pugi::node_pcdata).set_value(details.c_str());
    }
  }
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
}

void write_sweep_table(std::ostream& out, const SweepReport& report) {
  const std::string kpi = report.ranking_kpi;
  fmt::print(out, "{} — {} variants, seed {}, {}\n", report.name, report.variants.size(),
             report.seed,
             report.common_random_numbers ? "common random numbers (paired differences)"
                                          : "independent seeds per variant (Welch's differences)");
  if (report.warmup) fmt::print(out, "{}\n", warmup_statement(report));
  std::size_t width = 32;  // the variant column, as wide as the longest name
  for (const SweepVariantReport& v : report.variants)
    width = std::max(width, v.name.size());
  const auto row = [&](std::string_view name, const std::string& reps, const std::string& value,
                       const std::string& difference, const std::string& p,
                       const std::string& note) {
    std::string line = fmt::format("{:<{}} {:>5}  {:>22}  {:>24}  {:>8}  {}", name, width, reps,
                                   value, difference, p, note);
    line.erase(line.find_last_not_of(' ') + 1);
    fmt::print(out, "{}\n", line);
  };
  row("variant", "reps", kpi, "difference (95%)", "p", "note");
  for (std::size_t rank = 0; rank < report.ranking.size(); ++rank) {
    const SweepVariantReport& v = report.variants[report.ranking[rank]];
    const KpiComparison* c = nullptr;
    for (const KpiComparison& k : v.comparison) {
      if (k.kpi == kpi) c = &k;
    }
    const Estimate& e = v.ranked;
    const std::string value =
        e.has_interval ? fmt::format("{:.3f} ± {:.3f}", e.mean, (e.ci_high - e.ci_low) / 2.0)
                       : (std::isfinite(e.mean) ? fmt::format("{:.3f}", e.mean) : "-");
    std::string difference = "baseline", p;
    std::vector<std::string> notes;
    if (c != nullptr) {
      difference = c->difference.has_interval
                       ? fmt::format("{:+.3f} ± {:.3f}", c->difference.mean,
                                     (c->difference.ci_high - c->difference.ci_low) / 2.0)
                       : "-";
      p = std::isfinite(c->p_value) ? fmt::format("{:.3g}", c->p_value) : "-";
      if (c->paired && c->difference.replications != v.summary.replications)
        notes.push_back(fmt::format("difference over {} pairs", c->difference.replications));
    }
    if (!v.summary.deadlocks.empty())
      notes.push_back(fmt::format("{} deadlocked", v.summary.deadlocks.size()));
    if (v.precision && !v.precision->reached) notes.push_back("precision not reached");
    std::string note;
    for (const std::string& n : notes)
      note += (note.empty() ? "" : "; ") + n;
    row(v.name, std::to_string(v.summary.replications), value, difference, p, note);
  }
  if (report.selection) fmt::print(out, "selection: {}\n", selection_statement(report));
  for (const GateOutcome& g : report.gates) {
    fmt::print(out, "gate {}: {}\n", g.passed ? "passed" : "FAILED", g.text);
    for (const std::string& s : g.failures)
      fmt::print(out, "  {}\n", s);
  }
}

}  // namespace linetwin
