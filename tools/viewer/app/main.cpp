// linetwin-viewer: the line in 3D, simulated, replayed or live, with the panels around it.
// This file parses the command line, builds the source and the window, and turns errors into
// exit codes as `linetwin` does: 0 success, 2 bad input or flags, 1 no OpenGL 3.3 context or an
// internal error, 3 a screenshot of a line that deadlocked. With --screenshot it draws one frame
// offscreen at --time and writes a PNG (tests and the images in docs/ are made this way, under
// Xvfb).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "core/whole_number.hpp"
#include "gl_window.hpp"
#include "io/scene_file.hpp"
#include "live/mqtt_subscriber.hpp"
#include "model/layout_view.hpp"
#include "model/live_source.hpp"
#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "model/sweep_run.hpp"
#include "model/sweep_view.hpp"
#include "panel_selection.hpp"
#include "recording/telemetry_log_file.hpp"
#include "recording/telemetry_recording.hpp"
#include "recording/trajectory_sampler.hpp"
#include "viewer_app.hpp"
#if LINETWIN_PHYSICS
#include "physics/physics_conveyor.hpp"
#endif

namespace {

using namespace linetwin;
using namespace linetwin::viewer;

// Set by SIGINT and SIGTERM; the frame loop ends at the next frame and the window closes
// normally (Dear ImGui writes imgui.ini then).
volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int /*signal*/) {
  stop_requested = 1;
}

constexpr int kExitBadInput = 2;
constexpr int kExitNoContext = 1;
constexpr int kExitLineFailed = 3;  // as `linetwin run`: the line failed a check

struct Options {
  std::string scene;
  std::string replay;
  std::string machine;  // the element an MTConnect log is about
  std::string live;     // HOST[:PORT]
  std::string topic = "linetwin";
  std::optional<std::uint64_t> seed;
  std::string screenshot;
  std::string screenshot_info;      // a JSON file: what the capture drew (models, label boxes)
  std::optional<std::string> time;  // a duration: 37800, 10.5h
  std::string size = "1280x720";
  std::optional<std::string> panels;
  std::string select;
  std::string view = "3d";  // or "plan": the camera the viewer starts with
  bool flow_diagram = false;
  std::string sweep;     // a sweep's results, as `linetwin sweep --json` writes them
  std::string scenario;  // a scenario file to sweep in the background
};

InputError bad_flag(const std::string& flag, const std::string& message) {
  return InputError({}, flag + ": " + message);
}

glm::ivec2 parse_size(const std::string& text) {
  int width = 0;
  int height = 0;
  char x = 0;
  char rest = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &rest) != 3 || x != 'x' ||
      width < 16 || height < 16 || width > 16384 || height > 16384) {
    throw bad_flag("--size",
                   "expected WIDTHxHEIGHT in pixels, 16 to 16384 each, found '" + text + "'");
  }
  return {width, height};
}

MqttOptions parse_broker(const std::string& host_port, const std::string& topic) {
  MqttOptions options;
  // The same forms as `linetwin live --broker`: HOST, HOST:PORT or [IPv6]:PORT.
  parse_mqtt_broker(host_port, false, "--live", options);
  check_mqtt_topic_prefix(topic, "--topic");
  options.topic_prefix = topic;
  options.client_id = "linetwin-viewer-" + topic;
  return options;
}

// A capture that could not be written is bad input, found before the simulation runs.
void check_writable(const std::string& flag, const std::string& path, const std::string& kind) {
  const std::filesystem::path file(path);
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error) || ::access(folder.c_str(), W_OK) != 0) {
    throw bad_flag(flag, "cannot write '" + path + "': the folder '" + folder.string() +
                             "' does not exist or is not writable");
  }
  if (std::filesystem::is_directory(file, error))
    throw bad_flag(flag, "'" + path + "' is a folder; expected a " + kind + " file name");
}

std::unique_ptr<ViewSource> make_source(const Options& o, const Scene& scene) {
  if (!o.replay.empty()) {
    // The files `linetwin replay` reads: HDF5 recordings, linetwin CSV logs, MTConnect exports;
    // a recording may also hold the vehicles' poses.
    if (detect_log_format(o.replay) == "hdf5") {
      Recording recording = read_recording(o.replay);
      return std::make_unique<ReplaySource>(scene, std::move(recording.log),
                                            recording.metadata.bodies, recording.trajectories);
    }
    return std::make_unique<ReplaySource>(
        scene, read_telemetry_log(scene, o.replay, "auto", o.machine, "--machine"));
  }
  if (!o.live.empty()) {
    if (o.time) throw bad_flag("--time", "a live view shows the present; drop --time");
    return std::make_unique<LiveSource>(scene, parse_broker(o.live, o.topic));
  }
  return std::make_unique<SimulationSource>(scene, o.seed.value_or(scene.seed()));
}

// How --time moves a source: a simulation runs up to it, a replay seeks to it; nothing moves a
// live source.
std::function<void(double)> time_control(ViewSource& source) {
  if (auto* simulation = dynamic_cast<SimulationSource*>(&source)) {
    return [simulation](double t_s) { simulation->run_until(t_s); };
  }
  if (auto* replay = dynamic_cast<ReplaySource*>(&source)) {
    return [replay](double t_s) { replay->seek(t_s); };
  }
  return {};
}

int run(const Options& o) {
  const Scene scene = load_scene_file(o.scene);
  const std::filesystem::path scene_path = std::filesystem::absolute(o.scene);
  const glm::ivec2 size = parse_size(o.size);
  if (!o.screenshot.empty()) check_writable("--screenshot", o.screenshot, "PNG");
  if (!o.screenshot_info.empty()) check_writable("--screenshot-info", o.screenshot_info, "JSON");
  const PanelSelection panels = o.panels ? parse_panel_list(*o.panels) : PanelSelection{};
  std::optional<double> time_s;
  if (o.time) {
    try {
      time_s = read_duration(*o.time, true, {});
    } catch (const InputError& e) {
      throw bad_flag("--time", "the time from the start: " + e.message());
    }
  }
  std::optional<ElementIndex> selected;
  std::optional<std::size_t> selected_vehicle;
  if (!o.select.empty()) {
    selected = scene.find(o.select);
    const std::vector<RecordedBody> vehicles = vehicle_bodies(scene);
    for (std::size_t v = 0; v < vehicles.size() && !selected; ++v) {
      if (vehicles[v].id == o.select) selected_vehicle = v;
    }
    if (!selected && !selected_vehicle) {
      throw bad_flag("--select", "the scene has no element or vehicle '" + o.select + "'");
    }
  }
  // A sweep's results are read before any window opens, so that a bad file is exit status 2.
  std::optional<SweepView> sweep;
  if (!o.sweep.empty()) sweep = SweepView::read(o.sweep);
  std::unique_ptr<ViewSource> source = make_source(o, scene);
  // A time past the end shows the end, and says so: a capture's history (the KPI charts, the
  // event log) is then spread over the run, not over the time asked for.
  if (time_s) {
    std::optional<double> end_s;
    if (const auto* simulation = dynamic_cast<const SimulationSource*>(source.get()))
      end_s = simulation->end_time_s();
    if (const auto* replay = dynamic_cast<const ReplaySource*>(source.get()))
      end_s = replay->duration_s();
    if (end_s && *time_s > *end_s) {
      fmt::print(stderr,
                 "linetwin-viewer: note: --time {} is past the end of the {} at {}; showing the "
                 "end\n",
                 *o.time, source->kind(), format_duration(*end_s));
      time_s = end_s;
    }
  }

  const bool headless = !o.screenshot.empty();
  WindowOptions window_options;
  window_options.size_px = size;
  window_options.visible = !headless;
  // A capture must not depend on (or change) the window layout someone saved on this machine.
  if (!headless) window_options.settings_file = default_settings_file();
  GlWindow window(window_options);

  const std::string title = fmt::format("linetwin viewer: {} ({})", scene.name(), source->kind());
  ViewerApp app(window, layout_view(scene, scene_path.parent_path()), *source, title, scene,
                scene_path);
  app.show(panels);
  if (selected) app.select(*selected);
  if (selected_vehicle) app.select_vehicle(*selected_vehicle);
  app.set_plan_view(o.view == "plan");
  app.show_flow_diagram(o.flow_diagram);
  if (sweep) app.show_sweep(std::move(*sweep));
  const std::function<void(double)> move_to = time_control(*source);
  if (headless) {
    // A capture shows a scenario's sweep once it has run; a window shows it running.
    if (!o.scenario.empty()) {
      const SweepRun run(o.scenario, {});
      while (!run.finished())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!run.error().empty()) throw bad_flag("--scenario", run.error());
      app.show_sweep(*run.view());
    }
    app.capture(o.screenshot, move_to, time_s.value_or(0.0));
    if (!o.screenshot_info.empty()) {
      std::ofstream info(o.screenshot_info);
      info << app.screenshot_info().dump(2) << '\n';
      if (!info) throw std::runtime_error("cannot write '" + o.screenshot_info + "'");
    }
    // The image shows what went wrong and is written; the exit status says the line failed.
    const auto* simulation = dynamic_cast<const SimulationSource*>(source.get());
    if (simulation != nullptr && simulation->deadlock()) {
      fmt::print(stderr, "linetwin-viewer: the line deadlocked; {} shows it\n{}\n", o.screenshot,
                 fmt::join(deadlock_report(scene, *simulation->deadlock()), "\n"));
      return kExitLineFailed;
    }
  } else {
    if (!o.scenario.empty()) app.start_sweep(o.scenario);
    if (move_to && time_s) move_to(*time_s);
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    app.run(&stop_requested);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{
      "linetwin-viewer: the production line of a scene file in 3D, simulated, replayed from a\n"
      "recording or live from an MQTT broker, with KPI, state, inspector, event log and what-if\n"
      "panels. Press F1 in the window for the keyboard and mouse controls.\n"
      "Exit codes: 0 success, 2 bad input or flags, 1 no OpenGL 3.3 context or internal error,\n"
      "3 a --screenshot of a line that deadlocked (the image is written).",
      "linetwin-viewer"};
  cli.add_option("SCENE", o.scene, "Scene file (YAML, see docs/scene-format.md)")
      ->required()
      ->check(CLI::ExistingFile);
  auto* replay = cli.add_option("--replay", o.replay,
                                "Replay a recorded telemetry log (CSV or HDF5) instead of "
                                "simulating")
                     ->check(CLI::ExistingFile);
  cli.add_option("--machine", o.machine,
                 "For an MTConnect log: the element it is about (default: the scene's only "
                 "station)")
      ->needs(replay);
  auto* live =
      cli.add_option("--live", o.live,
                     "Show live telemetry from the MQTT broker HOST[:PORT] (port 1883 by default)")
          ->excludes(replay);
  cli.add_option("--topic", o.topic,
                 "Topic prefix for --live; subscribes to PREFIX/# "
                 "(default linetwin)")
      ->needs(live);
  // As `linetwin run --seed`: CLI11 alone would take -1, and anything beyond 2^64 - 1, as
  // 2^64 - 1.
  const CLI::Validator whole_number(
      [](const std::string& value) {
        return parse_whole_number(value) ? std::string()
                                         : "expected a whole number from 0 to "
                                           "18446744073709551615 (2^64 - 1), found '" +
                                               value + "'";
      },
      "UINT64");
  cli.add_option("--seed", o.seed, "Random seed of the simulation (default: the scene's)")
      ->check(whole_number)
      ->excludes(replay)
      ->excludes(live);
  // An empty value is a mistake (a shell variable left unset), not "no screenshot": without the
  // check, a script would open a window and wait for a person.
  const CLI::Validator not_empty(
      [](const std::string& value) { return value.empty() ? "expected a value, found ''" : ""; },
      "NOT EMPTY");
  auto* shot = cli.add_option("--screenshot", o.screenshot,
                              "Draw one frame offscreen and write it to this PNG file, then exit")
                   ->check(not_empty);
  cli.add_option("--screenshot-info", o.screenshot_info,
                 "With --screenshot: also write what the frame drew as JSON (each element's model "
                 "file, the box of each label and of each vehicle)")
      ->check(not_empty)
      ->needs(shot);
  cli.add_option("--time", o.time,
                 "Start at this time from the start of the run (seconds, or 10.5h, 90min): "
                 "simulated up to it, or the replay moved to it");
  cli.add_option("--size", o.size, "Window or image size WIDTHxHEIGHT (default 1280x720)");
  std::string panel_help = "Windows to open: all, none, or names separated by commas:";
  for (const std::string_view name : kPanelNames)
    panel_help += " " + std::string(name);
  cli.add_option("--panels", o.panels, panel_help);
  cli.add_option("--select", o.select,
                 "Select this element (the inspector shows it) or vehicle (AGV#1) at the start")
      ->check(not_empty);

  cli.add_option("--view", o.view,
                 "The camera to start with: 3d (the default) or plan (top down, as a layout "
                 "drawing); P switches in the window")
      ->check(CLI::IsMember({"3d", "plan"}));
  cli.add_flag("--flow-diagram", o.flow_diagram,
               "Open the material-flow diagram (parts per hour between the elements) under the "
               "view; M shows or hides it in the window");
  auto* sweep = cli.add_option("--sweep", o.sweep,
                               "Open a sweep's results (the JSON of linetwin sweep --json) in the "
                               "sweep window: each KPI against the swept parameters, the "
                               "comparison table, the best variant")
                    ->check(CLI::ExistingFile);
  cli.add_option("--scenario", o.scenario,
                 "Sweep this scenario file in the background (as linetwin sweep does) and show "
                 "its results in the sweep window; a --screenshot waits for them")
      ->check(CLI::ExistingFile)
      ->excludes(sweep);

#if LINETWIN_PHYSICS
  // As in `linetwin`: the simulation, and the what-ifs and sweeps run from the window, simulate
  // `mode: physics` conveyors on Bullet; a viewer without the layer refuses them (exit status 2).
  install_conveyor_physics(make_bullet_conveyors);
#endif
  try {
    cli.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return kExitBadInput;
  }
  try {
    return run(o);
  } catch (const InputError& e) {
    fmt::print(stderr, "linetwin-viewer: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const NoGlContext& e) {
    fmt::print(stderr, "linetwin-viewer: error: {}\n", e.what());
    return kExitNoContext;
  } catch (const std::exception& e) {
    fmt::print(stderr, "linetwin-viewer: internal error: {}\n", e.what());
    return 1;
  }
}
