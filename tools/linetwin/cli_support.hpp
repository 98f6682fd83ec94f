// What every `linetwin` command shares: exit codes, flag checks and writing results files.
// Each command lives in its own <name>_command.cpp and registers itself through commands.hpp.
#pragma once

#include <sys/types.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

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

// The flags that say how to read a telemetry log, the same for every command that reads one
// (read_telemetry_log): --format (csv, mtconnect, hdf5 or auto) and --machine (an MTConnect log's
// element).
void add_log_format_flags(CLI::App& command, std::string& format, std::string& machine);

// Results files are written whole or not at all: a run that fails at any point leaves no empty,
// partial or temporary file, and a file that was there as it was; a file replaced keeps its
// permissions. Only a process killed outright can leave a `.tmp` file behind.

InputError cannot_write(const std::string& path, const std::string& flag);

// Fails before any work if `path` cannot take the output: a folder, or a folder that does not
// take new files. Unlike a probe that opens `path` itself, it leaves no empty file behind.
// Nothing to check for "" (no output) and "-" (stdout).
void check_can_replace(const std::string& path, const std::string& flag);

// check_can_replace for an HDF5 output (--record, --hdf5), which also refuses "-": HDF5 is
// written in place, no stream.
void check_can_record(const std::string& path, const std::string& flag = "--record");

// Fails before any work if two outputs name the same file (through another spelling of its path
// or a link too): the one written last would silently replace the other. Each is (flag, path);
// "" (no output) and "-" (stdout) name no file.
void check_distinct_outputs(
    std::initializer_list<std::pair<std::string_view, const std::string&>> outputs);

// Fails before any work if more than one output goes to standard output ("-"): they would
// interleave. Each is (flag, path).
void check_one_stdout(
    std::initializer_list<std::pair<std::string_view, const std::string&>> outputs);

// Writes `text` to `path` (stdout for "-") whole or not at all: into a new file in the same
// folder, flushed to disk, which then takes the name (rename is atomic within a file system).
void write_whole(const std::string& path, const std::string& flag, const std::string& text);

// Makes room at `path` for an HDF5 recording, which the engine writes in place and not whole (it
// is flushed as it grows, so that a crash keeps what was recorded and other processes can read
// it meanwhile): a file that is there is moved aside, to a new name beside it. Unless keep() is
// called, the destructor removes what the recording left at `path` (destroy the writer first)
// and moves the old file back.
class RecordingInPlace {
 public:
  RecordingInPlace(std::string path, const std::string& flag);
  ~RecordingInPlace();
  RecordingInPlace(const RecordingInPlace&) = delete;
  RecordingInPlace& operator=(const RecordingInPlace&) = delete;

  // Once the writer has closed the recording: it takes the replaced file's permissions, and the
  // replaced file goes.
  void keep() noexcept;

 private:
  std::string path_;
  std::string aside_;  // where the replaced file waits; empty when there was none
  mode_t mode_ = 0;    // of the replaced file
  bool kept_ = false;
};

}  // namespace linetwin::cli
