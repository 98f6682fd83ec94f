// linetwin._core: the engine for Python, as thin as it can be; the package around it (linetwin/)
// shapes what this returns into Python objects.
//
// Everything a user sees from a run is the engine's own output: run() returns the bytes the CLI
// writes for --json and --csv (io/results_report) and the per-replication columns of
// experiment/replication_table as numpy arrays, so Python results equal the CLI's by
// construction and pickle as plain data; replay() and calibrate() return what `linetwin replay`
// and `linetwin calibrate` write, from the CLI library's own functions (*_session.hpp). Scenes
// are the engine's immutable Scene with the YAML text they were read from, which with_changes()
// edits through io/scene_overrides, the sweep's path. Bad input is the engine's InputError,
// translated to linetwin.InputError (a ValueError defined in linetwin/__init__.py) with the same
// text; no C++ exception crosses untranslated.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "calibrate_session.hpp"
#include "cli.hpp"
#include "cli_support.hpp"
#include "core/cancellation.hpp"
#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "experiment/replication_table.hpp"
#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_file.hpp"
#include "io/scene_overrides.hpp"
#include "io/scene_reader.hpp"
#include "io/snapshot_file.hpp"
#include "layout_calls.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live_session.hpp"
#include "plant/line_run.hpp"
#include "replay_session.hpp"
#include "telemetry/simulated_telemetry.hpp"
#if LINETWIN_PHYSICS
#include "physics/physics_conveyor.hpp"
#include "plant/conveyor_physics.hpp"
#endif

namespace py = pybind11;

namespace linetwin::python {
namespace {

// The bounds the CLI puts on --reps and --threads (tools/linetwin/run_command.cpp).
constexpr std::int64_t kMaxReplications = 1'000'000;
constexpr std::int64_t kMaxThreads = 1024;

// A loaded scene and the text it was loaded from: the text is what with_changes() edits, and the
// path names the scene in reports and resolves its order files.
struct SceneHandle {
  std::shared_ptr<const Scene> scene;
  std::string text;
  std::string path;
};

SceneHandle load_scene(const std::filesystem::path& file) {
  const std::string path = file.string();
  SceneHandle handle;
  handle.scene = std::make_shared<const Scene>(load_scene_file(path));
  handle.text = read_input_file(path, "scene file");
  handle.path = path;
  return handle;
}

SceneHandle scene_from_text(const std::string& text, const std::string& display_name) {
  return {std::make_shared<const Scene>(load_scene_text(text, display_name)), text, display_name};
}

// `changes`: (path, value as YAML text) in order, as a scenario variant lists them.
SceneHandle with_changes(const SceneHandle& base,
                         const std::vector<std::pair<std::string, std::string>>& changes) {
  std::vector<SceneOverride> overrides;
  for (const auto& [path, value_yaml] : changes)
    overrides.push_back({path, value_yaml, InputLocation{"", 0, 0, path}});
  // Loaded first, so that a value the loader refuses is reported at its change; the text is then
  // what later changes edit.
  SceneHandle changed;
  changed.scene =
      std::make_shared<const Scene>(load_scene_with_overrides(base.text, base.path, overrides));
  changed.text = apply_overrides(base.text, base.path, overrides);
  changed.path = base.path;
  return changed;
}

std::string element_type(const Element& e) {
  return std::string(to_string(e.type));
}

py::dict distribution_dict(const Distribution& d) {
  py::dict out;
  out["kind"] = std::string(to_string(d.kind()));
  out["mean_s"] = d.mean();
  out["text"] = d.describe();
  return out;
}

// The read-only view of one element: its id, type, connections and the parameters of its kind.
py::dict element_dict(const Scene& scene, ElementIndex index) {
  const Element& e = scene.element(index);
  py::dict out;
  out["id"] = e.id;
  out["type"] = element_type(e);
  std::vector<std::string> to, inputs;
  for (ElementIndex target : e.route.targets)
    to.push_back(scene.element(target).id);
  for (ElementIndex input : e.inputs)
    inputs.push_back(scene.element(input).id);
  out["to"] = to;
  out["inputs"] = inputs;
  switch (e.type) {
    case ElementType::kStation: {
      const StationSpec& s = scene.station_spec(e);
      out["servers"] = s.servers;
      out["processing"] = distribution_dict(s.processing);
      out["batch_min"] = s.batch_min;
      out["batch_max"] = s.batch_max;
      if (s.breakdowns) {
        py::dict breakdowns;
        breakdowns["time_to_failure"] = distribution_dict(s.breakdowns->time_to_failure);
        breakdowns["time_to_repair"] = distribution_dict(s.breakdowns->time_to_repair);
        out["breakdowns"] = breakdowns;
      } else {
        out["breakdowns"] = py::none();
      }
      break;
    }
    case ElementType::kBuffer: {
      const BufferSpec& b = scene.buffer_spec(e);
      // Unlimited is None, not 2^64 - 1.
      out["capacity"] = b.capacity == BufferSpec::kUnlimited ? py::object(py::none())
                                                             : py::object(py::int_(b.capacity));
      break;
    }
    case ElementType::kSource: {
      const SourceSpec& s = scene.source_spec(e);
      out["unlimited_supply"] = s.unlimited_supply;
      const bool draws_arrivals = !s.unlimited_supply && s.orders.empty();
      out["interarrival"] =
          draws_arrivals ? py::object(distribution_dict(s.interarrival)) : py::object(py::none());
      out["orders"] = s.orders.size();
      break;
    }
    case ElementType::kConveyor: {
      const ConveyorSpec& c = scene.conveyor_spec(e);
      out["length_m"] = c.length_m;
      out["speed_m_per_s"] = c.speed_m_per_s;
      out["spacing_m"] = c.spacing_m;
      out["accumulating"] = c.accumulating;
      break;
    }
    case ElementType::kSink:
      break;
  }
  return out;
}

// A duration argument: text as the CLI takes it ("8h"), or seconds as a number, checked by the
// same reader with the argument's name as the field.
using DurationArgument = std::variant<std::string, double>;
std::string duration_text(const DurationArgument& value) {
  return std::holds_alternative<std::string>(value) ? std::get<std::string>(value)
                                                    : fmt::format("{}", std::get<double>(value));
}
double duration_seconds(const DurationArgument& value, const std::string& name, bool allow_zero) {
  return read_duration(duration_text(value), allow_zero, {"", 0, 0, name});
}

// A whole-number argument within [low, high], refused as the CLI's range check words it. A Python
// int has no bounds, so one past 64 bits is out of range too, not an overflow.
std::int64_t in_range(const py::int_& value, std::int64_t low, std::int64_t high,
                      const char* name) {
  int overflow = 0;
  const long long number = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow != 0 || number < low || number > high) {
    throw InputError({"", 0, 0, name},
                     fmt::format("Value {} not in range {} to {}",
                                 py::str(py::handle(value)).cast<std::string>(), low, high));
  }
  return number;
}

// A seed, as the CLI's --seed takes it: a whole number from 0 to 2^64 - 1.
std::uint64_t seed_value(const py::int_& value) {
  const unsigned long long seed = PyLong_AsUnsignedLongLong(value.ptr());
  if (PyErr_Occurred() != nullptr) {
    PyErr_Clear();
    throw InputError({"", 0, 0, "seed"},
                     fmt::format("expected a whole number from 0 to 18446744073709551615 (2^64 - "
                                 "1), found '{}'",
                                 py::str(py::handle(value)).cast<std::string>()));
  }
  return seed;
}

// What the package's Results read: the CLI's --json and --csv texts of `replications` and the
// count of deadlocked ones; "replications" (the per-replication columns) is left empty for the
// caller to fill.
py::dict report_outputs(const Scene& scene, const ExperimentSettings& settings,
                        const std::vector<ReplicationResult>& replications) {
  const ExperimentSummary summary = summarize(replications);
  const RunReport report{scene, settings, summary};
  std::ostringstream json, csv;
  write_json(json, report);
  write_csv(csv, report);
  py::dict out;
  out["json"] = json.str();
  out["csv"] = csv.str();
  out["replications"] = py::list();
  out["deadlocks"] = summary.deadlocks.size();
  return out;
}

// Runs `work(cancel)` on a thread of its own with the GIL released, so that other Python threads
// run meanwhile, and wakes every 50 ms to let Python handle its signals: on Ctrl-C (a handler
// that raises), it sets the cancel flag, waits for the work to give up (the engine looks at the
// flag every million events and between replications) and raises what the handler raised,
// KeyboardInterrupt, with no thread of the work left running. Worker threads never call Python.
template <class Work>
auto interruptible(Work&& work) {
  using Result = decltype(work(static_cast<const CancelFlag*>(nullptr)));
  CancelFlag cancel{false};
  std::optional<Result> result;
  std::exception_ptr failure;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work(&cancel));
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!done) {
      if (finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        // Runs the Python handlers of the signals that came (only on the main thread).
        interrupted = PyErr_CheckSignals() != 0;
      }
      lock.lock();
      if (interrupted) {
        cancel.store(true);
        finished.wait(lock, [&] { return done; });
      }
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

// Where runs start ("what-if from now"): (the snapshot file's path, nothing) or (a name for it,
// the snapshot's text); and the stations kept down, as a scenario's `start: {snapshot, down_for}`
// has them.
using StartArgument = std::pair<std::string, std::optional<std::string>>;
using DownFor = std::vector<std::pair<std::string, DurationArgument>>;

std::shared_ptr<const StartingSnapshot> starting_snapshot(const SceneHandle& handle,
                                                          const std::optional<StartArgument>& start,
                                                          const DownFor& down_for) {
  if (!start) {
    if (down_for.empty()) return nullptr;
    throw InputError({"", 0, 0, "down_for"},
                     "expected start= with it: down_for keeps stations of a starting state down");
  }
  const auto& [name, text] = *start;
  auto starting = std::make_shared<StartingSnapshot>();
  starting->snapshot =
      text ? parse_snapshot(*text, name, *handle.scene) : read_snapshot_file(name, *handle.scene);
  starting->file = name;
  for (const auto& [id, duration] : down_for) {
    const std::string field = "down_for." + id;
    StationSnapshot* station = nullptr;
    for (StationSnapshot& s : starting->snapshot.stations) {
      if (s.id == id) station = &s;
    }
    if (!station) {
      throw InputError({"", 0, 0, field},
                       fmt::format("expected a station of {}, found {}", handle.path, id));
    }
    station->down_for_s = duration_seconds(duration, field, true);
  }
  return starting;
}

// The outputs of a run: the CLI's --json and --csv texts and each per-replication column.
py::dict run(const SceneHandle& handle, const std::optional<py::int_>& reps,
             const std::optional<py::int_>& seed, const std::optional<DurationArgument>& duration,
             const std::optional<DurationArgument>& warmup, const py::int_& threads,
             const std::optional<StartArgument>& start, const DownFor& down_for) {
  const Scene& scene = *handle.scene;
  ExperimentSettings settings = settings_from_scene(scene);
  if (reps)
    settings.run.replications =
        static_cast<std::uint32_t>(in_range(*reps, 1, kMaxReplications, "reps"));
  if (seed) settings.seed = seed_value(*seed);
  if (duration) settings.run.duration_s = duration_seconds(*duration, "duration", false);
  settings.start = starting_snapshot(handle, start, down_for);
  // The line is already running: no warm-up unless asked for (`linetwin run --from-snapshot`).
  if (settings.start) settings.run.warmup_s = 0.0;
  if (warmup) settings.run.warmup_s = duration_seconds(*warmup, "warmup", true);
  if (auto problem = run_settings_problem(settings.run))
    throw InputError({"", 0, 0, duration ? "duration" : "warmup"}, problem->message);
  settings.threads = static_cast<unsigned>(in_range(threads, 0, kMaxThreads, "threads"));

  const std::vector<ReplicationResult> replications = interruptible([&](const CancelFlag* cancel) {
    settings.cancel = cancel;
    return run_replications(scene, settings);
  });
  py::dict out = report_outputs(scene, settings, replications);
  const ReplicationTable table(scene);
  py::list columns;
  for (std::size_t c = 0; c < table.size(); ++c) {
    py::array column;
    if (table.type(c) == ReplicationTable::Type::kCount) {
      py::array_t<std::uint64_t> counts(static_cast<py::ssize_t>(replications.size()));
      auto view = counts.mutable_unchecked<1>();
      for (std::size_t r = 0; r < replications.size(); ++r)
        view(static_cast<py::ssize_t>(r)) = table.count(replications[r], c);
      column = counts;
    } else {
      py::array_t<double> reals(static_cast<py::ssize_t>(replications.size()));
      auto view = reals.mutable_unchecked<1>();
      for (std::size_t r = 0; r < replications.size(); ++r)
        view(static_cast<py::ssize_t>(r)) = table.value(replications[r], c);
      column = reals;
    }
    column.attr("flags").attr("writeable") = false;
    columns.append(py::make_tuple(table.name(c), column));
  }
  out["replications"] = columns;
  return out;
}

// One replication driven step by step from Python (linetwin.Simulation): single-threaded, so
// its callbacks run on the calling thread with the GIL held. A fork is a copy of the run, which
// goes on exactly as the original would; it shares the scene (immutable) but not the callback.
class SimulationHandle {
 public:
  SimulationHandle(const SceneHandle& scene, std::uint64_t seed, std::uint32_t replication,
                   const RunSettings& settings, std::shared_ptr<const StartingSnapshot> start)
      : scene_(scene),
        settings_(settings),
        start_(std::move(start)),
        run_(std::make_unique<LineRun>(
            start_ ? LineRun::from_snapshot(*scene.scene, start_->snapshot, start_->file, seed,
                                            replication, settings)
                   : LineRun(*scene.scene, seed, replication, settings))) {}
  SimulationHandle(const SimulationHandle& other)
      : scene_(other.scene_),
        settings_(other.settings_),
        start_(other.start_),
        run_(std::make_unique<LineRun>(*other.run_)) {
    run_->observe(nullptr);  // the copy would report to the original's callback
  }
  SimulationHandle(SimulationHandle&&) = default;  // the observer stays where it is, on the heap

  double now() const { return run_->now(); }
  double end_time() const { return run_->end_time(); }
  // Without a callback nothing calls Python, so other Python threads run meanwhile.
  void run_until(double time_s) {
    if (observer_) {
      run_->advance_to(time_s);
      return;
    }
    py::gil_scoped_release release;
    run_->advance_to(time_s);
  }
  bool step() { return run_->step(); }
  std::size_t station(const std::string& id) const {
    const Scene& scene = *scene_.scene;
    for (std::size_t i = 0; i < scene.stations().size(); ++i) {
      if (scene.element(scene.stations()[i]).id == id) return i;
    }
    throw InputError({"", 0, 0, "station"},
                     fmt::format("expected a station of {}, found '{}'", scene_.path, id));
  }
  std::string station_state(const std::string& id) const {
    return std::string(machine_state_name(machine_state_of(run_->station_activity(station(id)))));
  }
  std::uint64_t parts_at(const std::string& id) const {
    const std::optional<ElementIndex> element = scene_.scene->find(id);
    if (!element) {
      throw InputError({"", 0, 0, "element"},
                       fmt::format("expected an element of {}, found '{}'", scene_.path, id));
    }
    return run_->parts_at(*element);
  }
  void fail_station(const std::string& id, double repair_s) {
    run_->fail_station(station(id), repair_s);
  }
  // The CLI's `linetwin run --replication R --json` object of the run so far.
  py::dict results() const {
    ExperimentSettings settings;
    settings.seed = run_->seed();
    settings.run = settings_;
    settings.run.replications = 1;
    settings.start = start_;
    return report_outputs(*scene_.scene, settings, {run_->results()});
  }
  // `callback(time_s, station, state, good, scrap)` for every station report from now on (the
  // viewer's event log reads the same reports); None stops them.
  void on_report(py::object callback) {
    run_->observe(nullptr);
    observer_.reset();
    if (callback.is_none()) return;
    observer_ = std::make_unique<Reports>(scene_.scene, std::move(callback));
    run_->observe(observer_.get());
  }

 private:
  struct Reports final : StationObserver {
    Reports(std::shared_ptr<const Scene> of, py::object to)
        : scene(std::move(of)), callback(std::move(to)) {}
    void on_station_report(const StationReport& report) override {
      callback(report.time_s, scene->element(report.station).id,
               std::string(machine_state_name(machine_state_of(report.activity))),
               report.good_total, report.scrapped_total);
    }
    std::shared_ptr<const Scene> scene;
    py::object callback;
  };

  SceneHandle scene_;
  RunSettings settings_;
  std::shared_ptr<const StartingSnapshot> start_;  // nullptr: from an empty line
  std::unique_ptr<LineRun> run_;
  std::unique_ptr<Reports> observer_;
};

SimulationHandle make_simulation(const SceneHandle& scene, const std::optional<py::int_>& seed,
                                 const py::int_& replication,
                                 const std::optional<DurationArgument>& duration,
                                 const std::optional<DurationArgument>& warmup,
                                 const std::optional<StartArgument>& start,
                                 const DownFor& down_for) {
  RunSettings settings = scene.scene->run_settings();
  if (duration) settings.duration_s = duration_seconds(*duration, "duration", false);
  std::shared_ptr<const StartingSnapshot> starting = starting_snapshot(scene, start, down_for);
  if (starting) settings.warmup_s = 0.0;
  if (warmup) settings.warmup_s = duration_seconds(*warmup, "warmup", true);
  settings.replications = 1;
  if (auto problem = run_settings_problem(settings))
    throw InputError({"", 0, 0, duration ? "duration" : "warmup"}, problem->message);
  const auto r =
      static_cast<std::uint32_t>(in_range(replication, 0, kMaxReplications - 1, "replication"));
  return SimulationHandle(scene, seed ? seed_value(*seed) : scene.scene->seed(), r, settings,
                          std::move(starting));
}

// The engine names the CLI's flags in its errors; from Python they are these arguments.
template <class Work>
auto with_argument_names(Work&& work) {
  try {
    return work();
  } catch (const InputError& e) {
    static const std::map<std::string, std::string> names{
        {"--format", "format"},
        {"--machine", "machine"},
        {"--state-at", "state_at"},
        {"--write-state", "state_at"},
        {"--drift-window", "drift.window"},
        {"--drift-every", "drift.every"},
        {"--drift-coverage", "drift.coverage"},
        {"--drift-replications", "drift.replications"},
        {"--broker", "broker"},
        {"--record", "record"},
        {"--connect-timeout", "connect_timeout"}};
    const auto name = names.find(e.where().field_path);
    if (name == names.end()) throw;
    InputLocation where = e.where();
    where.field_path = name->second;
    throw InputError(where, e.message());
  }
}

// A choice of the CLI's, refused in the words of its flag parser.
void check_member(const std::string& value, const std::vector<std::string>& choices,
                  const char* name) {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
  throw InputError({"", 0, 0, name},
                   fmt::format("{} not in {{{}}}", value, fmt::join(choices, ",")));
}

// linetwin.replay's drift argument: (window, every, coverage, replications), the --drift flags.
using DriftArgument =
    std::tuple<DurationArgument, std::optional<DurationArgument>, double, py::int_>;

// What the package's TwinResults read, from a replay's or a live session's outputs.
template <class Outputs>
py::dict twin_outputs(const Outputs& outputs) {
  py::dict out;
  out["json"] = outputs.json;
  out["csv"] = outputs.csv;
  out["table"] = outputs.table;
  out["state"] =
      outputs.state_yaml ? py::object(py::str(*outputs.state_yaml)) : py::object(py::none());
  return out;
}

cli::DriftOptions drift_options(const DriftArgument& drift) {
  const auto& [window, every, coverage, replications] = drift;
  cli::DriftOptions options;
  options.enabled = true;
  options.window = duration_text(window);
  if (every) options.every = duration_text(*every);
  options.coverage = coverage;
  options.replications = static_cast<std::uint32_t>(
      in_range(replications, 0, std::numeric_limits<std::uint32_t>::max(), "drift.replications"));
  return options;
}

// `linetwin replay SCENE LOG --json - [--drift ...]`, its --csv and table, and the state that
// --write-state writes (None when the log cannot tell it).
py::dict replay(const SceneHandle& handle, const std::string& log, const std::string& format,
                const std::optional<std::string>& machine,
                const std::optional<std::string>& state_at,
                const std::optional<DriftArgument>& drift) {
  check_member(format, {"auto", "csv", "mtconnect", "hdf5"}, "format");
  cli::ReplayRequest request;
  request.log = log;
  request.format = format;
  request.machine = machine.value_or("");
  request.state_at = state_at;
  request.announce_drift_bands = false;
  request.announce_drift_alerts = false;
  if (drift) request.drift = drift_options(*drift);
  const cli::ReplayOutputs outputs = with_argument_names([&] {
    cli::ReplayOutputs done = interruptible([&](const CancelFlag* cancel) {
      request.cancel = cancel;
      return cli::replay_log(*handle.scene, request);
    });
    if (state_at && !done.state_yaml) throw cli::no_state_known(log);
    return done;
  });
  return twin_outputs(outputs);
}

// A time on the wall clock, as the CLI's flags of `linetwin live` take it, in milliseconds.
std::chrono::milliseconds wall_duration(const DurationArgument& value, const char* name,
                                        bool allow_zero) {
  return std::chrono::milliseconds(
      std::llround(cli::flag_wall_duration(name, duration_text(value), allow_zero) * 1000.0));
}

// `linetwin live SCENE --broker B --json - -q` and the rest of its report, until Ctrl-C (which
// ends the session with its recording closed, then raises KeyboardInterrupt), until_idle or
// max_samples.
py::dict live(const SceneHandle& handle, const std::string& broker, const std::string& topic,
              const py::int_& qos, const std::optional<DurationArgument>& until_idle,
              const std::optional<py::int_>& max_samples,
              const std::optional<DurationArgument>& connect_timeout,
              const DurationArgument& reorder_window, const std::optional<std::string>& record,
              const std::optional<DriftArgument>& drift) {
  cli::LiveRequest request;
  parse_mqtt_broker(broker, false, "broker", request.mqtt);
  check_mqtt_topic_prefix(topic, "topic");
  request.mqtt.topic_prefix = topic;
  request.mqtt.qos = static_cast<int>(in_range(qos, 0, 1, "qos"));
  // As the CLI's: QoS 1 keeps its session on the broker under a fixed client id.
  if (request.mqtt.qos == 1) request.mqtt.client_id = "linetwin-live-" + topic;
  request.scene_path = handle.path;
  request.reorder_window = wall_duration(reorder_window, "reorder_window", true);
  if (until_idle) request.until_idle = wall_duration(*until_idle, "until_idle", false);
  if (connect_timeout) {
    request.connect_timeout = wall_duration(*connect_timeout, "connect_timeout", false);
    request.connect_timeout_text = duration_text(*connect_timeout);
  }
  if (max_samples) {
    request.max_samples = static_cast<std::uint64_t>(
        in_range(*max_samples, 1, std::numeric_limits<std::int64_t>::max(), "max_samples"));
  }
  if (record) {
    cli::check_can_record(*record, "record");
    request.record_path = *record;
  }
  request.quiet = true;
  request.announce_drift_alerts = false;
  if (drift) request.drift = drift_options(*drift);
  const cli::LiveOutputs outputs = with_argument_names([&] {
    cli::LiveOutputs done = interruptible([&](const CancelFlag* cancel) {
      request.stop_requested = [cancel] { return cancel->load(); };
      return cli::run_live(*handle.scene, request);
    });
    if (done.refused) throw InputError({"", 0, 0, "--broker"}, *done.refused);
    return done;
  });
  return twin_outputs(outputs);
}

// `linetwin calibrate SCENE LOG -o - [--json F]`: the calibrated scene's text, which keeps the
// scene file's, so the scene must be as its file holds it.
py::dict calibrate(const SceneHandle& handle, const std::string& log, const std::string& format,
                   const std::optional<std::string>& machine, double confidence,
                   const py::int_& bootstrap, const py::int_& min_observations,
                   const py::int_& seed) {
  check_member(format, {"auto", "csv", "mtconnect", "hdf5"}, "format");
  bool as_its_file = false;
  try {
    as_its_file = read_input_file(handle.path, "scene file") == handle.text;
  } catch (const InputError&) {
    as_its_file = false;  // no file of that name: a scene built in Python
  }
  if (!as_its_file) {
    throw InputError({"", 0, 0, "scene"},
                     fmt::format("expected a scene as load_scene() reads it from its file, whose "
                                 "text the calibrated scene keeps; found one built or changed in "
                                 "Python ('{}')",
                                 handle.path));
  }
  // As the CLI's range check words it.
  if (!(confidence >= 0.5 && confidence <= 0.9999)) {
    throw InputError({"", 0, 0, "confidence"},
                     fmt::format("Value {} not in range 0.500000 to 0.999900", confidence));
  }
  cli::CalibrateRequest request;
  request.scene_path = handle.path;
  request.log = log;
  request.format = format;
  request.machine = machine.value_or("");
  request.output_path = "calibrated.yaml";  // as `-o -` has it: relative paths from here
  request.confidence = confidence;
  request.bootstrap = static_cast<std::uint32_t>(in_range(bootstrap, 0, 100000, "bootstrap"));
  request.min_observations =
      static_cast<std::size_t>(in_range(min_observations, 2, 1'000'000'000, "min_observations"));
  request.seed = seed_value(seed);
  // Calibration has no cancel flag to look at: Ctrl-C is seen when it ends.
  const cli::CalibrateOutputs outputs = with_argument_names([&] {
    return interruptible(
        [&](const CancelFlag*) { return cli::calibrate_log(*handle.scene, request); });
  });
  py::dict out;
  out["scene"] = outputs.scene_yaml;
  out["json"] = outputs.json;
  out["table"] = outputs.table;
  out["warnings"] = outputs.warnings;
  return out;
}

// `python3 -m linetwin ARGS` and linetwin.sweep: the CLI itself on the process's standard output
// and error. It runs as run() does, so that Ctrl-C stops a run, sweep or merge and raises
// KeyboardInterrupt here (linetwin/__main__.py turns that back into the program's death by
// SIGINT).
int cli_main(const std::vector<std::string>& arguments) {
  std::vector<std::string> args{"linetwin"};
  args.insert(args.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  return interruptible([&](const CancelFlag* cancel) {
    const int code = cli::run_cli(static_cast<int>(args.size()), argv.data(), cancel);
    std::cout.flush();
    std::fflush(stdout);
    std::fflush(stderr);
    return code;
  });
}

}  // namespace
}  // namespace linetwin::python

PYBIND11_MODULE(_core, m) {
  using namespace linetwin::python;
  m.doc() = "The linetwin engine (use the package linetwin, which wraps this module).";
#if LINETWIN_PHYSICS
  // Every run the module makes, on any thread, simulates `mode: physics` conveyors on Bullet, as
  // the linetwin command's do; a module built without the physics layer refuses them with the
  // InputError that names the scene's `mode` (docs/physics.md).
  linetwin::install_conveyor_physics(linetwin::make_bullet_conveyors);
#endif

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const linetwin::InputError& e) {
      // linetwin.InputError is defined before this module is imported (linetwin/__init__.py).
      const py::object type = py::module_::import("linetwin").attr("InputError");
      const linetwin::InputLocation& where = e.where();
      const py::object error =
          type(e.what(), where.file, where.line, where.column, where.field_path, e.message());
      PyErr_SetObject(type.ptr(), error.ptr());
    }
  });

  py::class_<SceneHandle>(m, "SceneHandle")
      .def_property_readonly("name", [](const SceneHandle& h) { return h.scene->name(); })
      .def_property_readonly("path", [](const SceneHandle& h) { return h.path; })
      .def_property_readonly("text", [](const SceneHandle& h) { return h.text; })
      .def_property_readonly("products", [](const SceneHandle& h) { return h.scene->products(); })
      .def_property_readonly("seed", [](const SceneHandle& h) { return h.scene->seed(); })
      .def_property_readonly(
          "replications", [](const SceneHandle& h) { return h.scene->run_settings().replications; })
      .def_property_readonly(
          "duration_s", [](const SceneHandle& h) { return h.scene->run_settings().duration_s; })
      .def_property_readonly("warmup_s",
                             [](const SceneHandle& h) { return h.scene->run_settings().warmup_s; })
      .def_property_readonly("ids",
                             [](const SceneHandle& h) {
                               std::vector<std::string> ids;
                               for (const linetwin::Element& e : h.scene->elements())
                                 ids.push_back(e.id);
                               return ids;
                             })
      .def("element", [](const SceneHandle& h, const std::string& id) -> py::object {
        const auto index = h.scene->find(id);
        if (!index) return py::none();
        return element_dict(*h.scene, *index);
      });

  m.def("load_scene", &load_scene, py::arg("path"));
  m.def("scene_from_text", &scene_from_text, py::arg("text"), py::arg("display_name"));
  m.def("with_changes", &with_changes, py::arg("scene"), py::arg("changes"));
  m.def("run", &run, py::arg("scene"), py::arg("reps"), py::arg("seed"), py::arg("duration"),
        py::arg("warmup"), py::arg("threads"), py::arg("start"), py::arg("down_for"));
  m.def("replay", &replay, py::arg("scene"), py::arg("log"), py::arg("format"), py::arg("machine"),
        py::arg("state_at"), py::arg("drift"));
  m.def("live", &live, py::arg("scene"), py::arg("broker"), py::arg("topic"), py::arg("qos"),
        py::arg("until_idle"), py::arg("max_samples"), py::arg("connect_timeout"),
        py::arg("reorder_window"), py::arg("record"), py::arg("drift"));
  m.def("calibrate", &calibrate, py::arg("scene"), py::arg("log"), py::arg("format"),
        py::arg("machine"), py::arg("confidence"), py::arg("bootstrap"),
        py::arg("min_observations"), py::arg("seed"));
  m.def("cli_main", &cli_main, py::arg("arguments"));
  add_layout_calls(m);

  py::class_<SimulationHandle>(m, "SimulationHandle")
      .def_property_readonly("now", &SimulationHandle::now)
      .def_property_readonly("end_time", &SimulationHandle::end_time)
      .def("run_until", &SimulationHandle::run_until, py::arg("time_s"))
      .def("step", &SimulationHandle::step)
      .def("station_state", &SimulationHandle::station_state, py::arg("station"))
      .def("parts_at", &SimulationHandle::parts_at, py::arg("element"))
      .def("fail_station", &SimulationHandle::fail_station, py::arg("station"), py::arg("repair_s"))
      .def("results", &SimulationHandle::results)
      .def("fork", [](const SimulationHandle& h) { return SimulationHandle(h); })
      .def("on_report", &SimulationHandle::on_report, py::arg("callback"));
  m.def(
      "duration_seconds",
      [](const std::string& text, const std::string& name) {
        return duration_seconds(text, name, true);
      },
      py::arg("text"), py::arg("name"));
  m.def("simulation", &make_simulation, py::arg("scene"), py::arg("seed"), py::arg("replication"),
        py::arg("duration"), py::arg("warmup"), py::arg("start"), py::arg("down_for"));
}
