// libFuzzer target for the HDF5 recording reader, the decoder of the binary files that travel
// between machines and survive crashes: whatever the bytes, read_recording either returns a
// recording whose every sample and name passes the rules of telemetry/sample_checks.hpp or
// throws InputError, and leaves no HDF5 identifier open. A crash, a sanitizer report, a hang,
// another exception, an identifier left open or a recording that breaks a rule is a finding. The
// bytes go to a file, since HDF5 reads recordings by name; HDF5's own C library is not
// instrumented, so the fuzzer sees coverage of linetwin's reader only, and a fault inside HDF5
// shows as a crash without its line.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../telemetry/recording_fixture/damaged_recordings.hpp"
#include "core/input_error.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/sample_checks.hpp"

namespace {

// One file per fuzzing process, rewritten for each input and removed at exit.
const std::string& input_path() {
  static const std::string path = [] {
    const char* folder = std::getenv("TMPDIR");
    std::string name = std::string(folder != nullptr ? folder : "/tmp") + "/recording_fuzz_XXXXXX";
    const int fd = mkstemp(name.data());
    if (fd < 0) std::abort();
    close(fd);
    std::atexit([] { std::remove(input_path().c_str()); });
    return name;
  }();
  return path;
}

void check(const linetwin::Recording& recording) {
  const linetwin::TelemetryNames& names = recording.log.names;
  for (const std::string& text : names.machines()) {
    if (linetwin::check_name_text(text)) __builtin_trap();
  }
  for (const std::string& text : names.names()) {
    if (linetwin::check_name_text(text)) __builtin_trap();
  }
  for (const linetwin::TelemetrySample& s : recording.log.samples) {
    if (s.machine >= names.machines().size() || s.name >= names.names().size()) __builtin_trap();
    if (linetwin::check_sample(s, names.machines()[s.machine], names.names()[s.name]))
      __builtin_trap();
  }
  for (const linetwin::KpiSnapshot& k : recording.kpis) {
    if (k.machine >= names.machines().size()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = input_path();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0)
    std::abort();
  const long open_before = linetwin::test::open_hdf5_identifiers();
  try {
    check(linetwin::read_recording(path));
  } catch (const linetwin::InputError&) {
    // Refused with the file and the field: the expected outcome for a damaged recording.
  }
  if (linetwin::test::open_hdf5_identifiers() != open_before) __builtin_trap();
  return 0;
}
