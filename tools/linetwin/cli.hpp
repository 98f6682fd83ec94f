// The `linetwin` command line as a function: what the program's main() does, for the Python
// module's `python3 -m linetwin` too. Writes to the process's standard output and error.
#pragma once

#include "core/cancellation.hpp"

namespace linetwin::cli {

// The exit code of a run, sweep or merge stopped by `cancel`, as a shell reports a program that
// SIGINT ended (128 + 2).
constexpr int kExitCancelled = 130;

// Parses `argv` (argv[0] is the program) and runs the subcommand; returns the exit code. Setting
// `cancel` (from any thread) stops `run`, `sweep` and `merge` between stretches of events:
// kExitCancelled, with no output written.
int run_cli(int argc, char** argv, const CancelFlag* cancel = nullptr);

}  // namespace linetwin::cli
