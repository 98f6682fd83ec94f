#include "cli_support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/duration.hpp"
#include "core/whole_number.hpp"

namespace linetwin::cli {

double flag_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  return read_duration(text, allow_zero, {"", 0, 0, flag});
}

double flag_wall_duration(const std::string& flag, const std::string& text, bool allow_zero) {
  return read_duration(
      text, allow_zero, {"", 0, 0, flag},
      {kMaxWallDurationS, "2^62 nanoseconds, about 146 years, what the clock that times it holds"});
}

CLI::Validator seed_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return parse_whole_number(text) ? ""
                                        : "expected a whole number from 0 to "
                                          "18446744073709551615 (2^64 - 1), found '" +
                                              text + "'";
      },
      "UINT64");
}

CLI::Validator finite_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11's ranges let NaN through: it compares false with both ends. Anything that is no
        // number at all is left to CLI11's own conversion to report.
        double value = 0.0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool number = error == std::errc{} && end == text.data() + text.size();
        return number && !std::isfinite(value) ? "expected a finite number, found '" + text + "'"
                                               : "";
      },
      "FINITE");
}

void add_log_format_flags(CLI::App& command, std::string& format, std::string& machine) {
  command
      .add_option("--format", format,
                  "Log format: csv, mtconnect, hdf5, or auto (default: told by the file's "
                  "first bytes)")
      ->check(CLI::IsMember({"auto", "csv", "mtconnect", "hdf5"}));
  command.add_option("--machine", machine,
                     "MTConnect logs: the scene element the log is about (default: the scene's "
                     "only station)");
}

namespace {

// A new file beside `path` that no one else has opened (O_EXCL): its name, and its descriptor,
// or -1 with errno set.
std::pair<std::string, int> create_beside(const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    std::string name = fmt::format("{}.{}-{}.tmp", path, ::getpid(), attempt);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST || attempt == 100) return {std::move(name), fd};
  }
}

// Removes a file the command made, keeping the errno of the failure being reported.
void remove_quietly(const std::string& path) {
  const int error = errno;
  ::unlink(path.c_str());
  errno = error;
}

}  // namespace

InputError cannot_write(const std::string& path, const std::string& flag) {
  return InputError({path, 0, 0, flag},
                    fmt::format("cannot write the results file: {}", std::strerror(errno)));
}

void check_can_replace(const std::string& path, const std::string& flag) {
  if (path.empty() || path == "-") return;
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    errno = EISDIR;
    throw cannot_write(path, flag);
  }
  const auto [probe, fd] = create_beside(path);
  if (fd < 0) throw cannot_write(path, flag);
  ::close(fd);
  ::unlink(probe.c_str());
}

void check_can_record(const std::string& path, const std::string& flag) {
  if (path == "-") {
    throw InputError({"", 0, 0, flag},
                     "expected a file path: an HDF5 file cannot go to standard output");
  }
  check_can_replace(path, flag);
}

void check_distinct_outputs(
    std::initializer_list<std::pair<std::string_view, const std::string&>> outputs) {
  std::vector<std::pair<std::string_view, std::filesystem::path>> files;
  for (const auto& [flag, path] : outputs) {
    if (path.empty() || path == "-") continue;
    std::error_code error;
    std::filesystem::path file = std::filesystem::weakly_canonical(path, error);
    if (error) file = std::filesystem::absolute(path).lexically_normal();
    for (const auto& [other_flag, other] : files) {
      if (other == file) {
        throw InputError(
            {path, 0, 0, std::string(flag)},
            fmt::format("expected a file of its own; {} writes to the same file", other_flag));
      }
    }
    files.emplace_back(flag, std::move(file));
  }
}

void check_one_stdout(
    std::initializer_list<std::pair<std::string_view, const std::string&>> outputs) {
  std::vector<std::string_view> to_stdout;
  for (const auto& [flag, path] : outputs) {
    if (path == "-") to_stdout.push_back(flag);
  }
  if (to_stdout.size() > 1) {
    throw InputError({"", 0, 0, std::string(to_stdout.back())},
                     fmt::format("expected at most one output on standard output, found {}",
                                 fmt::join(to_stdout, " and ")));
  }
}

void write_whole(const std::string& path, const std::string& flag, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  const auto [temporary, fd] = create_beside(path);
  if (fd < 0) throw cannot_write(path, flag);
  bool written = true;
  for (std::size_t done = 0; written && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    if (n == 0) errno = EIO;  // no progress, and no error said why
    written = n > 0 || (n < 0 && errno == EINTR);
  }
  // A file that is replaced keeps its permissions; a new one gets what the umask gives.
  struct stat existing {};
  if (written && ::stat(path.c_str(), &existing) == 0)
    written = ::fchmod(fd, existing.st_mode & 07777) == 0;
  written = written && ::fsync(fd) == 0;
  written = ::close(fd) == 0 && written;
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    remove_quietly(temporary);
    throw cannot_write(path, flag);
  }
}

RecordingInPlace::RecordingInPlace(std::string path, const std::string& flag)
    : path_(std::move(path)) {
  struct stat existing {};
  if (::stat(path_.c_str(), &existing) != 0) return;
  mode_ = existing.st_mode & 07777;
  // A name of our own beside it, which the rename then takes over atomically.
  auto [aside, fd] = create_beside(path_);
  if (fd < 0) throw cannot_write(path_, flag);
  ::close(fd);
  if (::rename(path_.c_str(), aside.c_str()) != 0) {
    remove_quietly(aside);
    throw cannot_write(path_, flag);
  }
  aside_ = std::move(aside);
}

RecordingInPlace::~RecordingInPlace() {
  if (kept_) return;
  ::unlink(path_.c_str());
  if (!aside_.empty()) ::rename(aside_.c_str(), path_.c_str());
}

void RecordingInPlace::keep() noexcept {
  kept_ = true;
  if (aside_.empty()) return;
  // The recording is ours, in a folder we write to: only a file system gone read-only since
  // could refuse the mode, and the recording is whole either way.
  ::chmod(path_.c_str(), mode_);
  ::unlink(aside_.c_str());
}

}  // namespace linetwin::cli
