#include "sweep_support.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "core/random_stream.hpp"
#include "experiment/gates.hpp"
#include "experiment/replication_table.hpp"
#include "experiment/variant_comparison.hpp"
#include "experiment/warmup_detection.hpp"
#include "io/replication_report.hpp"
#include "io/results_report.hpp"
#include "io/snapshot_file.hpp"
#include "io/sweep_html.hpp"

namespace linetwin::cli {
namespace {

// A precision goal without a maximum still ends: at this many replications per variant.
constexpr std::uint32_t kPrecisionReplicationsCap = 10'000;

bool overrides_path(const ScenarioVariant& variant, std::string_view path) {
  return std::any_of(variant.overrides.begin(), variant.overrides.end(),
                     [&](const SceneOverride& o) { return o.path == path; });
}

std::vector<std::size_t> gate_variants(const Scenario& scenario, const ScenarioGate& gate) {
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < scenario.variants.size(); ++v) {
    if (!gate.variant || scenario.variants[v].name == *gate.variant) out.push_back(v);
  }
  return out;
}

Gate gate_of(const Scenario& scenario, const ScenarioGate& g) {
  Gate gate;
  gate.kind = g.kind;
  gate.kpi = g.kpi;
  gate.variants = gate_variants(scenario, g);
  gate.bound = g.bound;
  gate.confidence = g.confidence;
  gate.text = g.text;
  return gate;
}

std::string fingerprint(const Scenario& scenario) {
  // The scenario's, the base scene's and the variants' own scenes' bytes decide every variant's
  // scene.
  std::uint64_t h = stable_hash(scenario.text);
  h = splitmix64(h) ^ stable_hash(scenario.base_text);
  for (const ScenarioVariant& variant : scenario.variants) {
    if (!variant.scene_path.empty()) h = splitmix64(h) ^ stable_hash(variant.scene_text);
  }
  // And the snapshot every run starts from, if any: a file that changed between shards would
  // mix two starting points.
  if (scenario.start) h = splitmix64(h) ^ stable_hash(snapshot_yaml(*scenario.start));
  return fmt::format("{:016x}", h);
}

}  // namespace

SweepPlan plan_sweep(const Scenario& scenario, const SweepFlags& flags,
                     const std::optional<DetectedWarmup>& known_warmup, const CancelFlag* cancel) {
  SweepPlan plan;
  plan.settings.cancel = cancel;
  const Scene& base = scenario.variants.front().scene;
  plan.settings.seed = flags.seed ? *flags.seed : scenario.seed.value_or(base.seed());
  plan.settings.replications =
      flags.replications ? *flags.replications
                         : scenario.replications.value_or(base.run_settings().replications);
  plan.settings.threads = flags.threads;
  plan.settings.common_random_numbers = scenario.common_random_numbers;
  std::optional<double> duration_s = scenario.duration_s;
  std::optional<double> warmup_s = scenario.warmup_s;
  if (flags.duration) duration_s = flag_duration("--duration", *flags.duration, false);
  const bool warmup_flag_auto = flags.warmup == "auto";
  if (flags.warmup && !warmup_flag_auto) warmup_s = flag_duration("--warmup", *flags.warmup, true);
  // A line started from a snapshot is already running: it has no warm-up to detect, and none
  // unless one is asked for.
  const bool from_snapshot = scenario.start.has_value();
  if (from_snapshot) {
    if (warmup_flag_auto || (!flags.warmup && scenario.warmup_auto)) {
      throw InputError({scenario.file, 0, 0, warmup_flag_auto ? "--warmup" : "run.warmup"},
                       "expected a duration: a warm-up cannot be detected for a line that "
                       "starts from a snapshot (start:), already running");
    }
    auto start = std::make_shared<StartingSnapshot>();
    start->snapshot = *scenario.start;
    start->file = scenario.start_path;
    plan.settings.start = std::move(start);
    if (!warmup_s) warmup_s = 0.0;
  }
  const bool detect =
      !from_snapshot && (warmup_flag_auto ||
                         (!flags.warmup && (scenario.warmup_auto ||
                                            (!scenario.warmup_s && !scenario.base_fixes_warmup))));
  if (detect) {
    RunSettings pilot = base.run_settings();
    if (duration_s) pilot.duration_s = *duration_s;
    WarmupDetectionSettings how;
    DetectedWarmup found;
    found.pilot_replications = how.pilot_replications;
    if (known_warmup) {
      found = *known_warmup;
    } else {
      const WarmupDetection d =
          detect_warmup(base, plan.settings.seed, pilot, how, flags.threads, cancel);
      found.warmup_s = d.warmup_s;
      found.interval_s = d.interval_s;
      found.batches = d.mser.batches;
      found.truncated_batches = d.mser.truncated_batches;
      found.reliable = d.mser.reliable;
    }
    warmup_s = found.warmup_s;
    plan.warmup = found;
  }
  for (const ScenarioVariant& variant : scenario.variants) {
    RunSettings run = variant.scene.run_settings();
    // A flag wins over the variant's own override, which wins over the scenario's run settings.
    if (duration_s && (flags.duration || !overrides_path(variant, "run.duration")))
      run.duration_s = *duration_s;
    if (warmup_s && (flags.warmup || !overrides_path(variant, "run.warmup")))
      run.warmup_s = *warmup_s;
    run.replications = plan.settings.replications;
    if (auto problem = run_settings_problem(run)) {
      throw InputError(
          {scenario.file, 0, 0, flags.duration ? "--duration" : "run." + problem->field},
          fmt::format("variant '{}': {}", variant.name, problem->message));
    }
    plan.variants.push_back(SweepVariant{variant.name, &variant.scene, run});
    std::vector<SweepParameter> parameters;
    for (const ScenarioVariant::Parameter& p : variant.parameters)
      parameters.push_back(SweepParameter{p.path, p.text, p.value});
    plan.parameters.push_back(std::move(parameters));
  }
  if (scenario.precision) {
    const PrecisionGoal& goal = *scenario.precision;
    if (goal.max_replications != 0 && goal.max_replications < plan.settings.replications) {
      InputLocation where = goal.origin;
      where.field_path = "precision.max_replications";
      throw InputError(where,
                       fmt::format("expected at least the {} replications every variant runs "
                                   "first, found {}",
                                   plan.settings.replications, goal.max_replications));
    }
    plan.settings.precision = PrecisionSettings{
        goal.kpi, goal.half_width, goal.batch,
        goal.max_replications == 0 ? kPrecisionReplicationsCap : goal.max_replications, 0.95};
  }
  if (scenario.selection) {
    const SelectionGoal& goal = *scenario.selection;
    SelectionSettings procedure;
    procedure.maximise = goal.maximise;
    procedure.indifference = goal.indifference;
    procedure.confidence = goal.confidence;
    procedure.first_stage = goal.first_stage;
    procedure.max_replications = goal.max_replications;
    if (auto problem = selection_settings_problem(procedure, plan.variants.size())) {
      InputLocation where = goal.origin;
      where.field_path = "selection." + problem->field;
      throw InputError(where, problem->message);
    }
    plan.settings.selection = SelectionOfBestSettings{goal.kpi, procedure};
  }
  return plan;
}

void check_sweep_outputs(const SweepOutputs& outputs) {
  check_one_stdout({{"--json", outputs.json},
                    {"--csv", outputs.csv},
                    {"--html", outputs.html},
                    {"--junit", outputs.junit},
                    {"--replications-csv", outputs.replications_csv}});
  check_can_replace(outputs.json, "--json");
  check_can_replace(outputs.csv, "--csv");
  check_can_replace(outputs.html, "--html");
  check_can_replace(outputs.junit, "--junit");
  check_can_replace(outputs.replications_csv, "--replications-csv");
  check_can_record(outputs.hdf5, "--hdf5");
  check_distinct_outputs({{"--json", outputs.json},
                          {"--csv", outputs.csv},
                          {"--hdf5", outputs.hdf5},
                          {"--html", outputs.html},
                          {"--junit", outputs.junit},
                          {"--replications-csv", outputs.replications_csv}});
}

SweepFileIdentity sweep_identity(const Scenario& scenario, const SweepPlan& plan) {
  SweepFileIdentity id;
  id.scenario = scenario.file;
  id.scenario_fingerprint = fingerprint(scenario);
  id.seed = plan.settings.seed;
  id.replications = plan.settings.replications;
  nlohmann::ordered_json settings;
  settings["common_random_numbers"] = plan.settings.common_random_numbers;
  if (plan.warmup) {
    nlohmann::ordered_json w;
    w["warmup_s"] = plan.warmup->warmup_s;
    w["interval_s"] = plan.warmup->interval_s;
    w["batches"] = plan.warmup->batches;
    w["truncated_batches"] = plan.warmup->truncated_batches;
    w["reliable"] = plan.warmup->reliable;
    w["pilot_replications"] = plan.warmup->pilot_replications;
    settings["warmup_detection"] = w;
  }
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  for (const SweepVariant& v : plan.variants) {
    nlohmann::ordered_json row;
    row["name"] = v.name;
    row["duration_s"] = v.run.duration_s;
    row["warmup_s"] = v.run.warmup_s;
    variants.push_back(row);
  }
  settings["variants"] = variants;
  id.settings = settings.dump();
  id.shard_index = plan.settings.shard.index;
  id.shard_count = plan.settings.shard.count;
  return id;
}

SweepFile sweep_file_of(const Scenario& scenario, const SweepPlan& plan,
                        const std::vector<SweepItem>& items) {
  SweepFile file;
  file.identity = sweep_identity(scenario, plan);
  std::vector<ReplicationTable> tables;
  for (const SweepVariant& v : plan.variants) {
    tables.emplace_back(*v.scene);
    SweepFileVariant out;
    out.name = v.name;
    out.columns = tables.back().names();
    file.variants.push_back(std::move(out));
  }
  for (const SweepItem& item : items) {
    const ReplicationTable& table = tables[item.variant];
    const Scene& scene = *plan.variants[item.variant].scene;
    SweepFileVariant::Row row;
    row.replication = item.replication;
    for (std::size_t c = 0; c < table.size(); ++c)
      row.values.push_back(table.value(item.result, c));
    if (const auto& d = item.result.deadlock) {
      row.cycle = d->cycle;
      for (const DeadlockResult::Element& e : d->elements)
        row.deadlocked.push_back({scene.element(e.element).id, e.parts, e.state});
    }
    file.variants[item.variant].rows.push_back(std::move(row));
  }
  return file;
}

std::vector<SweepItem> items_of(const SweepFile& file, const SweepPlan& plan,
                                const std::string& path) {
  if (file.variants.size() != plan.variants.size()) {
    throw InputError({path, 0, 0, "variants"},
                     fmt::format("expected the scenario's {} variants, found {}",
                                 plan.variants.size(), file.variants.size()));
  }
  std::vector<SweepItem> items;
  for (std::uint32_t v = 0; v < file.variants.size(); ++v) {
    const SweepFileVariant& variant = file.variants[v];
    const Scene& scene = *plan.variants[v].scene;
    const ReplicationTable table(scene);
    if (variant.name != plan.variants[v].name || variant.columns != table.names()) {
      throw InputError({path, 0, 0, "variants"},
                       fmt::format("expected variant {} to be '{}' with its line's KPIs, found "
                                   "'{}': a shard of another scenario",
                                   v, plan.variants[v].name, variant.name));
    }
    for (const SweepFileVariant::Row& row : variant.rows) {
      ReplicationResult result = table.blank();
      for (std::size_t c = 0; c < table.size(); ++c) {
        const double value = row.values[c];
        if (table.type(c) == ReplicationTable::Type::kCount) {
          if (!(value >= 0.0 && value < 9007199254740992.0) || value != std::floor(value)) {
            throw InputError({path, 0, 0, "replications." + table.name(c)},
                             fmt::format("expected a whole number, found {}", value));
          }
          table.set_count(result, c, static_cast<std::uint64_t>(value));
        } else {
          table.set_real(result, c, value);
        }
      }
      if (result.deadlock) {
        result.deadlock->cycle = row.cycle;
        for (const SweepFileVariant::Row::Held& held : row.deadlocked) {
          const auto element = scene.find(held.element);
          if (!element) {
            throw InputError({path, 0, 0, "deadlocks.element"},
                             fmt::format("expected an element of variant '{}', found '{}'",
                                         variant.name, held.element));
          }
          result.deadlock->elements.push_back({*element, held.parts, held.state});
        }
      }
      items.push_back(SweepItem{v, row.replication, std::move(result)});
    }
  }
  return items;
}

int finish_sweep(const Scenario& scenario, const SweepPlan& plan, const SweepResults& results,
                 const SweepOutputs& outputs, bool quiet) {
  std::vector<GateVariant> gate_variants_in;
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    gate_variants_in.push_back(
        {plan.variants[v].name, plan.variants[v].scene, &results.replications[v]});
  }
  std::vector<GateOutcome> outcomes;
  for (const ScenarioGate& g : scenario.gates)
    outcomes.push_back(evaluate_gate(gate_of(scenario, g), gate_variants_in));

  SweepReportInput input;
  input.scenario = scenario.file;
  input.name = scenario.name;
  input.variants = plan.variants;
  input.parameters = plan.parameters;
  input.settings = plan.settings;
  input.warmup = plan.warmup;
  for (const ScenarioGate& g : scenario.gates) {
    if (!g.kpi.empty()) input.compared_kpis.push_back(g.kpi);
  }
  if (scenario.precision) input.compared_kpis.push_back(scenario.precision->kpi);
  if (scenario.selection) {
    input.ranking_kpi = scenario.selection->kpi;
    input.larger_is_better = scenario.selection->maximise;
    input.compared_kpis.push_back(scenario.selection->kpi);
  }
  const SweepReport report = make_sweep_report(input, results, outcomes);

  // Each text output whole or not at all, when asked for.
  const auto write_text = [](const std::string& path, const char* flag, const auto& write) {
    if (path.empty()) return;
    std::ostringstream text;
    write(text);
    write_whole(path, flag, text.str());
  };
  write_text(outputs.json, "--json", [&](std::ostream& out) { write_sweep_json(out, report); });
  write_text(outputs.csv, "--csv", [&](std::ostream& out) { write_sweep_csv(out, report); });
  write_text(outputs.html, "--html", [&](std::ostream& out) { write_sweep_html(out, report); });
  write_text(outputs.junit, "--junit", [&](std::ostream& out) { write_sweep_junit(out, report); });
  write_text(outputs.replications_csv, "--replications-csv", [&](std::ostream& out) {
    std::vector<VariantReplications> all;
    for (std::size_t v = 0; v < plan.variants.size(); ++v)
      all.push_back({plan.variants[v].name, plan.variants[v].scene, &results.replications[v]});
    write_replications_csv(out, all, true);
  });
  if (!outputs.hdf5.empty()) {
    std::vector<SweepItem> items;
    for (std::uint32_t v = 0; v < results.replications.size(); ++v) {
      for (const ReplicationResult& r : results.replications[v])
        items.push_back(SweepItem{v, r.replication, r});
    }
    SweepFile file = sweep_file_of(scenario, plan, items);
    for (std::size_t v = 0; v < plan.variants.size(); ++v) {
      const ReplicationTable table(*plan.variants[v].scene);
      for (std::size_t c = 0; c < table.size(); ++c) {
        file.variants[v].summary.emplace_back(
            table.name(c), kpi_estimate(table, c, results.replications[v], 0.95));
      }
    }
    write_sweep_file(outputs.hdf5, "--hdf5", file);
  }
  const bool stdout_taken = outputs.json == "-" || outputs.csv == "-" || outputs.html == "-" ||
                            outputs.junit == "-" || outputs.replications_csv == "-";
  if (!quiet && !stdout_taken) write_sweep_table(std::cout, report);

  int exit_code = kExitSuccess;
  std::size_t deadlocked = 0;
  for (const SweepVariantReport& v : report.variants) {
    if (v.summary.deadlocks.empty()) continue;
    deadlocked += v.summary.deadlocks.size();
    std::ostringstream text;
    write_deadlocks(text, RunReport{*v.scene, v.settings, v.summary});
    fmt::print(stderr, "linetwin: variant '{}': the line deadlocked in {} of {} replications\n{}",
               v.name, v.summary.deadlocks.size(), v.summary.replications, text.str());
  }
  if (deadlocked > 0) exit_code = kExitLineFailed;
  for (const GateOutcome& g : report.gates) {
    if (g.passed) continue;
    fmt::print(stderr, "linetwin: gate failed: {}\n", g.text);
    for (const std::string& s : g.failures)
      fmt::print(stderr, "  {}\n", s);
    exit_code = kExitLineFailed;
  }
  return exit_code;
}

}  // namespace linetwin::cli
