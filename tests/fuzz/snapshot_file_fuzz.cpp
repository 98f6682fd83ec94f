// libFuzzer target for the snapshot-file reader (parse_snapshot) on final_assembly's scene, whose
// stations have one and two servers and whose buffers have several capacities: whatever the
// bytes, it either throws InputError or returns a snapshot that fits the scene (every station and
// buffer in scene order, parts within servers, levels within capacities, times that a run can
// take), which snapshot_yaml writes and parse_snapshot reads back to the same text. Any other
// exception, crash, sanitizer report or hang is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "io/scene_file.hpp"
#include "io/snapshot_file.hpp"

namespace {

const linetwin::Scene& scene() {
  static const linetwin::Scene loaded = linetwin::load_scene_file(LINETWIN_FUZZ_SCENE);
  return loaded;
}

// A time the file may hold: unknown (NaN), or from 0 (above 0 where `positive`) to the longest
// duration anything accepts.
bool valid_time(double s, bool positive) {
  return std::isnan(s) || (s >= 0.0 && s <= linetwin::kMaxDurationS && (!positive || s > 0.0));
}

void check(const linetwin::LineSnapshot& s) {
  const linetwin::Scene& line = scene();
  if (s.stations.size() != line.stations().size()) __builtin_trap();
  if (s.buffers.size() != line.buffers().size()) __builtin_trap();
  if (!valid_time(s.simulated_time_s, false)) __builtin_trap();
  for (std::size_t i = 0; i < s.stations.size(); ++i) {
    const linetwin::Element& e = line.element(line.stations()[i]);
    const linetwin::StationSnapshot& st = s.stations[i];
    if (st.id != e.id || st.parts.size() > line.station_spec(e).servers) __builtin_trap();
    if (!valid_time(st.in_state_s, false)) __builtin_trap();
    if (st.down_for_s && (std::isnan(*st.down_for_s) || !valid_time(*st.down_for_s, true)))
      __builtin_trap();
    for (const linetwin::HeldPart& p : st.parts) {
      if (!valid_time(p.work_done_s, false)) __builtin_trap();
    }
  }
  for (std::size_t i = 0; i < s.buffers.size(); ++i) {
    const linetwin::Element& e = line.element(line.buffers()[i]);
    const linetwin::BufferSnapshot& b = s.buffers[i];
    if (b.id != e.id) __builtin_trap();
    if (b.level && *b.level > line.buffer_spec(e).capacity) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  linetwin::LineSnapshot snapshot;
  try {
    snapshot = linetwin::parse_snapshot(text, "fuzz.yaml", scene());
  } catch (const linetwin::InputError&) {
    return 0;  // refused with the file, line and field: the outcome for bad input
  }
  check(snapshot);
  // What was read is written and read back the same: the text fixes every field, doubles to
  // the bit.
  const std::string written = linetwin::snapshot_yaml(snapshot);
  try {
    if (linetwin::snapshot_yaml(linetwin::parse_snapshot(written, "written.yaml", scene())) !=
        written)
      __builtin_trap();
  } catch (const linetwin::InputError&) {
    __builtin_trap();  // linetwin wrote a file it refuses
  }
  return 0;
}
