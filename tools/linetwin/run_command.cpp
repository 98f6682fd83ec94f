// `linetwin run SCENE`: simulate a scene, replications in parallel, KPIs with 95% confidence
// intervals, as a table, JSON and CSV. Also one replication alone (--replication), that
// replication saved at a time (--save-state, --at) and continued from there (--from-state), its
// snapshot at a time (--snapshot, --at), replications that start from a snapshot
// (--from-snapshot: "what-if from now", docs/snapshots.md), and each replication's collision
// audit (--collision-audit, docs/physics.md).
#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "experiment/replications.hpp"
#include "io/replication_report.hpp"
#include "io/results_report.hpp"
#include "io/run_object.hpp"
#include "io/scene_file.hpp"
#include "io/snapshot_file.hpp"
#include "plant/line_run.hpp"
#include "progress_bar.hpp"
#include "recording/simulation_recording.hpp"
#if LINETWIN_PHYSICS
#include "physics/collision_audit.hpp"
#endif

namespace linetwin::cli {
namespace {

struct RunOptions {
  std::string scene;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> duration;
  std::optional<std::string> warmup;
  unsigned threads = 0;
  std::string json_path;
  std::string csv_path;
  std::string replications_json_path;
  std::string replications_csv_path;
  bool quiet = false;
  std::string record_path;
  std::string record_interval = "15min";
  std::optional<double> trajectory_rate_hz;
  std::optional<double> collision_audit_hz;
  std::optional<std::uint32_t> replication;
  std::string save_state_path;
  std::optional<std::string> at;
  std::string from_state_path;
  std::string snapshot_path;
  std::string from_snapshot_path;
};

// A saved state holds one replication: --reps, if given, must say so.
void check_one_replication(const RunOptions& options, std::string_view why) {
  if (options.replications && *options.replications != 1) {
    throw InputError({"", 0, 0, "--reps"},
                     fmt::format("expected 1 with {}, found {}", why, *options.replications));
  }
}

// The time --at names, within the run.
double at_time(const RunOptions& options, const ExperimentSettings& settings) {
  const double at_s = flag_duration("--at", *options.at, true);
  const double end_s = settings.run.warmup_s + settings.run.duration_s;
  if (at_s > end_s) {
    throw InputError({"", 0, 0, "--at"},
                     fmt::format("expected a time within the run (warm-up and duration, {} s), "
                                 "found {} s",
                                 end_s, at_s));
  }
  return at_s;
}

// `--save-state F --at T`: replication R to time T, its state written whole to F. A line that
// deadlocked before T is saved as it stopped, and the exit status says so.
int save_state(const Scene& scene, const RunOptions& options, const ExperimentSettings& settings) {
  check_one_replication(options, "--save-state");
  const double at_s = at_time(options, settings);
  LineRun run(scene, settings.seed, options.replication.value_or(0), settings.run);
  run.advance_to(at_s);
  std::ostringstream state;
  run.save_state(state);
  write_whole(options.save_state_path, "--save-state", state.str());
  if (const auto& deadlock = run.deadlock()) {
    fmt::print(stderr,
               "linetwin: the line deadlocked at t = {} s, before --at; the state saved "
               "is the run stopped there\n",
               deadlock->time_s);
    return kExitLineFailed;
  }
  return 0;
}

// When each station's current activity began, as its reports say: a snapshot's times in state.
class ActivityClock final : public StationObserver {
 public:
  explicit ActivityClock(const Scene& scene) : since_s_(scene.stations().size(), 0.0) {
    for (ElementIndex element : scene.stations())
      position_.emplace(element, position_.size());
  }
  void on_station_report(const StationReport& report) override {
    if (report.activity_changed) since_s_[position_.at(report.station)] = report.time_s;
  }
  const std::vector<double>& since_s() const { return since_s_; }

 private:
  std::map<ElementIndex, std::size_t> position_;
  std::vector<double> since_s_;
};

// `--snapshot F --at T`: replication R to time T, the line as it stands then written to F as a
// snapshot file, exactly (times in state included), for what-ifs from there and to check the
// snapshots that telemetry gives against.
int write_snapshot(const Scene& scene, const RunOptions& options,
                   const ExperimentSettings& settings) {
  check_one_replication(options, "--snapshot");
  const double at_s = at_time(options, settings);
  LineRun run(scene, settings.seed, options.replication.value_or(0), settings.run);
  ActivityClock clock(scene);
  run.observe(&clock);
  run.advance_to(at_s);
  run.observe(nullptr);
  LineSnapshot snapshot = run.snapshot(clock.since_s());
  snapshot.scene = options.scene;
  write_whole(options.snapshot_path, "--snapshot", snapshot_yaml(snapshot));
  if (const auto& deadlock = run.deadlock()) {
    fmt::print(stderr,
               "linetwin: the line deadlocked at t = {} s, before --at; the snapshot written "
               "is the line stopped there\n",
               deadlock->time_s);
    return kExitLineFailed;
  }
  return 0;
}

// `--from-state F`: the replication the state holds, continued to its end with the seed and run
// settings it was saved with; flags that name others are refused rather than ignored.
ReplicationResult continue_from_state(const Scene& scene, const RunOptions& options,
                                      ExperimentSettings& settings) {
  check_one_replication(options, "--from-state");
  std::ifstream in(options.from_state_path, std::ios::binary);
  if (!in) {
    throw InputError({options.from_state_path, 0, 0, ""},
                     "cannot open the state file (--from-state)");
  }
  LineRun run = LineRun::restore(scene, in, options.from_state_path);
  auto refuse = [](const char* flag, auto given, auto saved) {
    throw InputError({"", 0, 0, flag},
                     fmt::format("the state was saved with {}, found {}", saved, given));
  };
  if (options.seed && *options.seed != run.seed()) refuse("--seed", *options.seed, run.seed());
  if (options.replication && *options.replication != run.replication())
    refuse("--replication", *options.replication, run.replication());
  if (options.duration && settings.run.duration_s != run.settings().duration_s)
    refuse("--duration", settings.run.duration_s, run.settings().duration_s);
  if (options.warmup && settings.run.warmup_s != run.settings().warmup_s)
    refuse("--warmup", settings.run.warmup_s, run.settings().warmup_s);
  settings.seed = run.seed();
  settings.run = run.settings();
  return run.run_to_end();
}

#if LINETWIN_PHYSICS
struct ReplicationAudit {
  std::uint32_t replication = 0;
  CollisionAuditResult result;
};

// The collision audit of each replication: the replication run again with its vehicles' tracks
// recorded (the results are the same bytes with tracks on or off), then audited, on as many
// threads as the replications ran on. Results are kept by replication, so the report is the same
// whatever the thread count.
std::vector<ReplicationAudit> audit_replications(const Scene& scene,
                                                 const ExperimentSettings& settings,
                                                 const std::vector<std::uint32_t>& replications,
                                                 double rate_hz, const CancelFlag* cancel) {
  std::vector<ReplicationAudit> audits(replications.size());
  std::vector<std::exception_ptr> failures(replications.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < replications.size(); i = next++) {
      try {
        if (cancel != nullptr && cancel->load()) throw RunCancelled();
        LineRun line(scene, settings.seed, replications[i], settings.run);
        line.cancel_on(cancel);
        line.record_vehicle_tracks();
        line.run_to_end();
        const std::vector<AuditedVehicle> vehicles = audited_vehicles(scene, line.vehicle_tracks());
        audits[i] = {.replication = replications[i],
                     .result = audit_collisions(vehicles, element_obstacles(scene),
                                                {.rate_hz = rate_hz, .until_s = line.end_time()})};
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(
      replications.size(),
      settings.threads != 0 ? settings.threads : std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t)
    pool.emplace_back(work);
  work();
  pool.clear();  // joins
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  return audits;
}

// The `collision_audit` section of the run's JSON (docs/results-format.md).
nlohmann::ordered_json audit_json(double rate_hz, const std::vector<ReplicationAudit>& audits) {
  nlohmann::ordered_json by_replication = nlohmann::ordered_json::array();
  for (const ReplicationAudit& audit : audits) {
    nlohmann::ordered_json contacts = nlohmann::ordered_json::array();
    for (const CollisionContact& contact : audit.result.contacts) {
      contacts.push_back({{"time_s", contact.time_s},
                          {"bodies", {contact.body_a, contact.body_b}},
                          {"x_m", contact.x_m},
                          {"y_m", contact.y_m}});
    }
    by_replication.push_back({{"replication", audit.replication},
                              {"checks", audit.result.checks},
                              {"contacts", contacts}});
  }
  return {{"rate_hz", rate_hz}, {"replications", by_replication}};
}

// The contacts on stderr, at most `kListed` of them (the JSON holds all); whether there were any.
bool report_contacts(const std::vector<ReplicationAudit>& audits) {
  constexpr std::size_t kListed = 20;
  std::size_t contacts = 0;
  std::size_t with_contacts = 0;
  std::string listed;
  for (const ReplicationAudit& audit : audits) {
    with_contacts += audit.result.contacts.empty() ? 0 : 1;
    for (const CollisionContact& contact : audit.result.contacts) {
      if (contacts++ < kListed) {
        listed += fmt::format("  replication {}, t = {:.2f} s: {} and {} at ({:.2f}, {:.2f}) m\n",
                              audit.replication, contact.time_s, contact.body_a, contact.body_b,
                              contact.x_m, contact.y_m);
      }
    }
  }
  if (contacts == 0) return false;
  if (contacts > kListed) listed += fmt::format("  ... and {} more\n", contacts - kListed);
  fmt::print(stderr, "linetwin: the collision audit found {} contacts in {} of {} replications\n{}",
             contacts, with_contacts, audits.size(), listed);
  return true;
}
#endif

int run_command(const RunOptions& options, const CancelFlag* cancel) {
  check_one_stdout({{"--json", options.json_path},
                    {"--csv", options.csv_path},
                    {"--replications-json", options.replications_json_path},
                    {"--replications-csv", options.replications_csv_path}});
  const Scene scene = load_scene_file(options.scene);
  check_can_replace(options.json_path, "--json");
  check_can_replace(options.csv_path, "--csv");
  check_can_replace(options.replications_json_path, "--replications-json");
  check_can_replace(options.replications_csv_path, "--replications-csv");
  check_can_record(options.record_path);
  if (options.save_state_path == "-") {
    throw InputError({"", 0, 0, "--save-state"},
                     "expected a file path: a saved state is binary, not for standard output");
  }
  check_can_replace(options.save_state_path, "--save-state");
  check_can_replace(options.snapshot_path, "--snapshot");
  if (options.at && options.save_state_path.empty() && options.snapshot_path.empty()) {
    throw InputError({"", 0, 0, "--at"}, "expected --save-state or --snapshot with it");
  }
  if (options.trajectory_rate_hz) {
    if (options.record_path.empty()) {
      throw InputError({"", 0, 0, "--trajectory-rate"}, "expected --record with it");
    }
    if (scene.fleets().empty() && scene.physics_conveyors().empty()) {
      throw InputError({options.scene, 0, 0, "--trajectory-rate"},
                       "expected a scene with vehicles (fleets:) or physics conveyors (mode: "
                       "physics), whose bodies' poses to record; this one has none");
    }
  }
  if (options.collision_audit_hz) {
#if !LINETWIN_PHYSICS
    throw InputError({"", 0, 0, "--collision-audit"},
                     "expected a linetwin built with the physics layer (Bullet); this one was "
                     "built with -DLINETWIN_PHYSICS=OFF");
#endif
    if (scene.fleets().empty()) {
      throw InputError({options.scene, 0, 0, "--collision-audit"},
                       "expected a scene with vehicles (fleets:) to audit; this one has none");
    }
  }
  check_distinct_outputs({{"--json", options.json_path},
                          {"--csv", options.csv_path},
                          {"--replications-json", options.replications_json_path},
                          {"--replications-csv", options.replications_csv_path},
                          {"--record", options.record_path}});
  const double record_interval_s =
      flag_duration("--record-interval", options.record_interval, false);
  ExperimentSettings settings = settings_from_scene(scene);
  if (options.replications) settings.run.replications = *options.replications;
  if (options.seed) settings.seed = *options.seed;
  if (options.duration)
    settings.run.duration_s = flag_duration("--duration", *options.duration, false);
  if (!options.from_snapshot_path.empty()) {
    auto start = std::make_shared<StartingSnapshot>();
    start->snapshot = read_snapshot_file(options.from_snapshot_path, scene);
    start->file = options.from_snapshot_path;
    settings.start = std::move(start);
    // The line is already running: no warm-up unless asked for.
    settings.run.warmup_s = 0.0;
  }
  if (options.warmup) settings.run.warmup_s = flag_duration("--warmup", *options.warmup, true);
  // Each flag is within bounds on its own; with the other, or the scene's, the run may end too
  // late to be recorded.
  if (auto problem = run_settings_problem(settings.run))
    throw InputError({"", 0, 0, options.duration ? "--duration" : "--warmup"}, problem->message);
  settings.threads = options.threads;
  settings.cancel = cancel;
  if (!options.save_state_path.empty()) return save_state(scene, options, settings);
  if (!options.snapshot_path.empty()) return write_snapshot(scene, options, settings);
  if (options.replication) check_one_replication(options, "--replication");

  cli::ProgressBar progress(fmt::format("simulating {}", scene.name()));
  if (!options.quiet && progress.enabled()) {
    settings.progress = [&progress](std::size_t done, std::size_t total) {
      progress.update(done, total);
    };
  }
  std::vector<ReplicationResult> reps;
  if (!options.from_state_path.empty()) {
    reps.push_back(continue_from_state(scene, options, settings));
  } else if (options.replication) {
    settings.run.replications = 1;
    reps = run_jobs(
        {ReplicationJob{&scene, settings.seed, *options.replication, settings.run, settings.start}},
        settings.threads, {}, cancel);
  } else {
    reps = run_replications(scene, settings);
  }
  progress.finish();  // clear the bar before anything is printed
#if LINETWIN_PHYSICS
  std::vector<ReplicationAudit> audits;
  if (options.collision_audit_hz) {
    std::vector<std::uint32_t> replications;
    for (const ReplicationResult& rep : reps)
      replications.push_back(rep.replication);
    audits = audit_replications(scene, settings, replications, *options.collision_audit_hz, cancel);
  }
#endif
  const ExperimentSummary summary = summarize(reps);
  const RunReport report{scene, settings, summary};

  // The recording is made first and kept last, so that a failure in between (a recording
  // refused, a full disk) leaves every output as it was.
  std::optional<RecordingInPlace> recording;
  if (!options.record_path.empty()) {
    // The first replication again, observed: recording never changes what the run measured.
    recording.emplace(options.record_path, "--record");
    SimulationRecordingSettings recording_settings;
    recording_settings.path = options.record_path;
    recording_settings.kpi_interval_s = record_interval_s;
    recording_settings.trajectory_rate_hz = options.trajectory_rate_hz.value_or(0.0);
    std::ifstream scene_file(options.scene, std::ios::binary | std::ios::ate);
    std::string scene_text(
        static_cast<std::size_t>(std::max<std::streamoff>(scene_file.tellg(), 0)), '\0');
    scene_file.seekg(0);
    scene_file.read(scene_text.data(), static_cast<std::streamsize>(scene_text.size()));
    record_simulation(scene, scene_text, settings.seed, options.replication.value_or(0),
                      settings.run, recording_settings);
  }
  if (!options.json_path.empty()) {
    // write_json's object, with the audit's section when there is one.
    nlohmann::ordered_json run = run_object(report);
#if LINETWIN_PHYSICS
    if (options.collision_audit_hz)
      run["collision_audit"] = audit_json(*options.collision_audit_hz, audits);
#endif
    write_whole(options.json_path, "--json", run.dump(2) + "\n");
  }
  if (!options.csv_path.empty()) {
    std::ostringstream text;
    write_csv(text, report);
    write_whole(options.csv_path, "--csv", text.str());
  }
  const std::vector<VariantReplications> per_replication{{"", &scene, &reps}};
  if (!options.replications_json_path.empty()) {
    std::ostringstream text;
    write_replications_json(text, per_replication, false);
    write_whole(options.replications_json_path, "--replications-json", text.str());
  }
  if (!options.replications_csv_path.empty()) {
    std::ostringstream text;
    write_replications_csv(text, per_replication, false);
    write_whole(options.replications_csv_path, "--replications-csv", text.str());
  }
  if (recording) recording->keep();
  const bool stdout_taken = options.json_path == "-" || options.csv_path == "-" ||
                            options.replications_json_path == "-" ||
                            options.replications_csv_path == "-";
  if (!options.quiet && !stdout_taken) write_table(std::cout, report);
  bool failed = false;
#if LINETWIN_PHYSICS
  if (!options.quiet && !stdout_taken) {
    for (const ReplicationAudit& audit : audits) {
      fmt::print("replication {}: collision audit: {} checks, {} contacts\n", audit.replication,
                 audit.result.checks, audit.result.contacts.size());
    }
  }
  failed = report_contacts(audits);
#endif
  if (!summary.deadlocks.empty()) {
    // Always on stderr, also with -q: a deadlocked line is never a plain result.
    std::ostringstream text;
    write_deadlocks(text, report);
    fmt::print(stderr,
               "linetwin: the line deadlocked in {} of {} replications; their KPIs are left "
               "out of the results\n{}",
               summary.deadlocks.size(), summary.replications, text.str());
    failed = true;
  }
  return failed ? kExitLineFailed : 0;
}

}  // namespace

Command add_run_command(CLI::App& app, const CancelFlag* cancel) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand(
      "run", "Simulate a scene: replications in parallel, KPIs with 95% confidence intervals.");
  run->add_option("SCENE", options->scene, "Scene file (YAML)")->required();
  run->add_option("--reps", options->replications,
                  "Number of replications (default: the scene's run.replications)")
      ->check(CLI::Range(1u, 1000000u));
  run->add_option("--seed", options->seed,
                  "Random seed, a whole number from 0 to 2^64 - 1 (default: the scene's)")
      ->check(seed_validator());
  run->add_option("--duration", options->duration,
                  "Observed period after warm-up, e.g. 8h, 90min (default: the scene's)");
  run->add_option("--warmup", options->warmup,
                  "Warm-up discarded before observing, e.g. 1h (default: the scene's)");
  run->add_option("--threads", options->threads,
                  "Worker threads; results are identical for any count (default 0: one per core)")
      ->check(CLI::Range(0u, 1024u));
  run->add_option("--json", options->json_path,
                  "Write results as JSON (schema linetwin.run/5) to FILE, or - for stdout");
  run->add_option("--csv", options->csv_path,
                  "Write results as CSV (one row per KPI) to FILE, or - for stdout");
  run->add_option("--replications-json", options->replications_json_path,
                  "Write every KPI of every replication as JSON (an array, one object per "
                  "replication) to FILE, or - for stdout");
  run->add_option("--replications-csv", options->replications_csv_path,
                  "Write every KPI of every replication as CSV (one row per replication, one "
                  "column per KPI) to FILE, or - for stdout");
  run->add_option("--record", options->record_path,
                  "Record the first replication's (or --replication's) station telemetry and KPI "
                  "time series to an HDF5 file (docs/recording-format.md)");
  run->add_option("--record-interval", options->record_interval,
                  "Simulated time between KPI snapshots in the recording (default 15min)");
  run->add_option("--trajectory-rate", options->trajectory_rate_hz,
                  "With --record: record the vehicles' poses this many times per simulated "
                  "second, e.g. 5 (docs/recording-format.md)")
      ->check(finite_validator())
      ->check(CLI::Range(1e-6, 1000.0));
  CLI::Option* audit =
      run->add_option("--collision-audit", options->collision_audit_hz,
                      "Check every replication's vehicles for contacts with each other and the "
                      "elements' footprints this many times per simulated second while they "
                      "move, e.g. 20 (docs/physics.md); exit status 3 on a contact")
          ->check(finite_validator())
          ->check(CLI::Range(1e-6, 1000.0));
  run->add_flag("-q,--quiet", options->quiet, "No table and no progress bar");
  run->add_option("--replication", options->replication,
                  "Run the one replication R (from 0), reported as --reps 1 but with that index");
  CLI::Option* save = run->add_option(
      "--save-state", options->save_state_path,
      "Run the replication (--replication, default 0) to --at and save its state to FILE, to "
      "continue it with --from-state (docs/results-format.md)");
  CLI::Option* at = run->add_option(
      "--at", options->at,
      "With --save-state or --snapshot: the time to save at, warm-up included, e.g. 6h");
  CLI::Option* snapshot = run->add_option(
      "--snapshot", options->snapshot_path,
      "Run the replication (--replication, default 0) to --at and write the line as it stands "
      "then to FILE as a snapshot (YAML, docs/snapshot-format.md)");
  CLI::Option* from_snapshot = run->add_option(
      "--from-snapshot", options->from_snapshot_path,
      "Start every replication from the line as the snapshot FILE has it (linetwin live or "
      "replay --write-state, --snapshot), without warm-up unless --warmup: what-if from now");
  CLI::Option* from = run->add_option(
      "--from-state", options->from_state_path,
      "Continue the replication saved in FILE (--save-state) to its end and report it as "
      "--reps 1 --replication R would");
  save->needs(at);
  snapshot->needs(at)->excludes(save);
  // A saved state is no result to report, and a continued run no whole run to record.
  for (const char* output :
       {"--json", "--csv", "--replications-json", "--replications-csv", "--record"})
    save->excludes(output);
  from->excludes(save)->excludes("--record");
  snapshot->excludes("--json")->excludes("--csv")->excludes("--replications-json");
  snapshot->excludes("--replications-csv")->excludes("--record");
  // A run from a snapshot starts anew: the recording replays a run from an empty line.
  from_snapshot->excludes(from)->excludes(save)->excludes(snapshot)->excludes("--record");
  // The audit runs whole replications again from time zero.
  audit->excludes(save)->excludes(snapshot)->excludes(from)->excludes(from_snapshot);

  return {run, [options, cancel] { return run_command(*options, cancel); }};
}

}  // namespace linetwin::cli
