// The `linetwin` command line as a function: what the program's main() does, for the Python
// module's `python3 -m linetwin` too. Writes to the process's standard output and error.
#pragma once

namespace linetwin::cli {

// Parses `argv` (argv[0] is the program) and runs the subcommand; returns the exit code.
int run_cli(int argc, char** argv);

}  // namespace linetwin::cli
