// The `linetwin` subcommands. Each one adds its options to the application and returns what
// main() calls when that subcommand was given; main() turns exceptions into exit codes.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/cancellation.hpp"

namespace linetwin::cli {

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> execute;  // returns the exit code
};

// Run, sweep and merge stop when `cancel` (if any) is set: RunCancelled.
Command add_run_command(CLI::App& app, const CancelFlag* cancel);
Command add_replay_command(CLI::App& app);
Command add_calibrate_command(CLI::App& app);
Command add_import_command(CLI::App& app);
Command add_export_command(CLI::App& app);
Command add_check_dtdl_command(CLI::App& app);
Command add_live_command(CLI::App& app);
Command add_sweep_command(CLI::App& app, const CancelFlag* cancel);
Command add_merge_command(CLI::App& app, const CancelFlag* cancel);

}  // namespace linetwin::cli
