// libFuzzer target for the saved-state reader (LineRun::restore) on final_assembly's scene, the
// one with every part of a run (operators, calendars, WIP limits, assembly, conveyors): whatever
// the bytes, restore either returns a run or throws InputError. Before reading, the target writes
// the input's true length and checksum into it, so that the fuzzer gets past the container's
// checks (tests/plant/fork_test.cpp covers those) to the fields' own. Seeded with states that
// `linetwin run --save-state` writes (CMakeLists.txt). Any other exception, crash, sanitizer
// report or hang is a finding.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/input_error.hpp"
#include "core/state_stream.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

namespace {

constexpr std::size_t kLengthAt = 20;  // after the 16-byte magic and the version
constexpr std::size_t kChecksumBytes = 8;

void put_u64(std::string& bytes, std::size_t at, std::uint64_t v) {
  for (std::size_t i = 0; i < 8; ++i)
    bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const linetwin::Scene scene = linetwin::load_scene_file(LINETWIN_FUZZ_SCENE);
  std::string state(reinterpret_cast<const char*>(data), size);
  if (state.size() >= kLengthAt + 8 + kChecksumBytes) {
    put_u64(state, kLengthAt, state.size());
    linetwin::StableHash hash;
    hash.bytes(std::string_view(state).substr(0, state.size() - kChecksumBytes));
    put_u64(state, state.size() - kChecksumBytes, hash.value());
  }
  try {
    std::istringstream in(state);
    const linetwin::LineRun run = linetwin::LineRun::restore(scene, in, "fuzz.state");
    if (run.now() > run.end_time()) __builtin_trap();  // the reader checks the clock
  } catch (const linetwin::InputError&) {
    // Refused with the field and what was expected: the outcome for a damaged state.
  }
  return 0;
}
