// The `linetwin` command line as a function, so that the program (main.cpp) and the Python
// module (`python3 -m linetwin`, bindings/python) run the very same code: this file parses the
// command line and turns errors into exit codes (cli_support.hpp): 0 success, 2 bad input, 1
// internal error, 3 the line failed a check (a deadlock, a failed gate). Each subcommand lives in
// its own <name>_command.cpp.
#include "cli.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "core/line_check_failed.hpp"
#include "linetwin_version.hpp"
#include "plant/conveyor_physics.hpp"
#if LINETWIN_PHYSICS
#include "physics/physics_conveyor.hpp"
#endif

namespace linetwin::cli {

int run_cli(int argc, char** argv, const CancelFlag* cancel) {
  CLI::App app{
      "linetwin: simulate production lines as digital twins.\n"
      "Runs a scene file (YAML, see docs/scene-format.md) and reports throughput, WIP, lead\n"
      "time, station states and the bottleneck with 95% confidence intervals.\n"
      "Exit codes: 0 success, 2 bad input or flags, 1 internal error, 3 the line failed a check\n"
      "(a replication deadlocked, or a sweep's gate failed).",
      "linetwin"};
  app.set_version_flag("--version", std::string("linetwin ") + linetwin::kLinetwinVersion);
  app.require_subcommand(1);
#if LINETWIN_PHYSICS
  // Every run any command makes (run, sweep, replay, live), on any thread, simulates `mode:
  // physics` conveyors on Bullet; a linetwin without the layer refuses them at the run's start
  // (exit status 2).
  install_conveyor_physics(make_bullet_conveyors);
#endif

  const std::vector<Command> commands = {
      add_run_command(app, cancel), add_sweep_command(app, cancel), add_merge_command(app, cancel),
      add_replay_command(app),      add_live_command(app),          add_calibrate_command(app),
      add_import_command(app),      add_export_command(app),        add_check_dtdl_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      // CLI11 would only say that a subcommand is required; name the word it did not know.
      std::vector<std::string> names;
      for (const Command& command : commands)
        names.push_back(command.subcommand->get_name());
      fmt::print(stderr,
                 "linetwin: unknown command '{}'; expected one of: {} (see linetwin --help)\n",
                 argv[1], fmt::join(names, ", "));
      return kExitBadInput;
    }
    app.exit(e);  // prints the message and a hint to stderr
    return kExitBadInput;
  }

  try {
    for (const Command& command : commands) {
      if (command.subcommand->parsed()) return command.execute();
    }
  } catch (const linetwin::InputError& e) {
    fmt::print(stderr, "linetwin: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const linetwin::RunCancelled&) {
    // Whoever cancelled knows why; the program killed by SIGINT says nothing either.
    return kExitCancelled;
  } catch (const linetwin::LineCheckFailed& e) {
    fmt::print(stderr, "linetwin: {}\n", e.what());
    return kExitLineFailed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "linetwin: internal error: {}\n", e.what());
    return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace linetwin::cli
