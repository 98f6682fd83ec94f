// What every `linetwin` command shares: exit codes, flag checks and writing result files.
// Each command lives in its own <name>_command.cpp and registers itself through commands.hpp.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/input_error.hpp"

namespace linetwin::cli {

// Exit codes are part of the interface: 0 success, 2 bad input (file, message or flag; the
// message goes to stderr and names the file, line and field), 1 an internal error.
constexpr int kExitSuccess = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
// The line failed a check: a replication deadlocked (later, a failed gate).
constexpr int kExitLineFailed = 3;

// A duration flag such as --duration 8h, in seconds: > 0 (>= 0 with `allow_zero`) and at most
// kMaxDurationS, the longest duration a run can record.
double flag_duration(const std::string& flag, const std::string& text, bool allow_zero);

// The longest wall-clock duration a flag takes (linetwin live, linetwin-publish): half of what the
// steady clock's int64 nanoseconds hold (2^62 ns, about 146 years), so that the time now plus it
// cannot overflow.
inline constexpr double kMaxWallDurationS = 4'611'686'018.0;

// A flag that times the wall clock, such as --until-idle 10s: as flag_duration, and at most
// kMaxWallDurationS.
double flag_wall_duration(const std::string& flag, const std::string& text, bool allow_zero);

// For --seed: a whole number from 0 to 2^64 - 1. CLI11 alone would take -1, and anything beyond
// 2^64 - 1, as 2^64 - 1.
CLI::Validator seed_validator();

// For numbers that CLI::Range bounds: refuses NaN and infinities, which a range lets through or
// reports as out of it without saying why.
CLI::Validator finite_validator();

InputError cannot_write(const std::string& path, const std::string& flag);

// Fails before any work if a results file cannot be written. Opening for appending creates a
// missing file but leaves an existing one as it is until the results are ready.
void check_writable(const std::string& path, const std::string& flag);

// Writes to a file, or to stdout for "-". The whole text is built first so that a failed run
// never leaves a half-written result file behind.
void write_output(const std::string& path, const std::string& flag, const std::string& text);

}  // namespace linetwin::cli
