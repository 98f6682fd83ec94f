// Forks from now: a run copied at any time, or saved to a state and restored, goes on exactly as
// the run it came from. "Exactly" is every column of the replication table to the bit (NaN
// included) and the deadlock, if any, element by element: a simulation that continues from the
// same state with the same random streams has nothing that could make it differ, so any
// difference is a field the copy or the state left behind.
//
// The scenes: breakdown_line (breakdowns with a warm-up) and final_assembly (operators, shift
// calendars, WIP limits, assembly, conveyors), each forked early, in the middle of a breakdown and
// late; and a rework loop that deadlocks, forked before and after its deadlock. Then states that
// must be refused: truncated at every length, a bit flipped in every byte, another magic, version
// or scene, and fields that the checksum would pass but the reader must not.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/state_stream.hpp"
#include "experiment/replication_table.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"
#include "test_scenes.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;

namespace {

// Every column of the replication table, to the bit, and the deadlock field by field.
void check_identical(const Scene& scene, const ReplicationResult& expected,
                     const ReplicationResult& actual) {
  const ReplicationTable table(scene);
  for (std::size_t c = 0; c < table.size(); ++c) {
    CAPTURE(table.name(c));
    if (table.type(c) == ReplicationTable::Type::kCount) {
      CHECK(table.count(actual, c) == table.count(expected, c));
    } else {
      CHECK(std::bit_cast<std::uint64_t>(table.value(actual, c)) ==
            std::bit_cast<std::uint64_t>(table.value(expected, c)));
    }
  }
  REQUIRE(actual.deadlock.has_value() == expected.deadlock.has_value());
  if (!expected.deadlock) return;
  CHECK(std::bit_cast<std::uint64_t>(actual.deadlock->time_s) ==
        std::bit_cast<std::uint64_t>(expected.deadlock->time_s));
  CHECK(actual.deadlock->cycle == expected.deadlock->cycle);
  CHECK(actual.deadlock->parts_in_line == expected.deadlock->parts_in_line);
  REQUIRE(actual.deadlock->elements.size() == expected.deadlock->elements.size());
  for (std::size_t i = 0; i < expected.deadlock->elements.size(); ++i) {
    CHECK(actual.deadlock->elements[i].element == expected.deadlock->elements[i].element);
    CHECK(actual.deadlock->elements[i].parts == expected.deadlock->elements[i].parts);
    CHECK(actual.deadlock->elements[i].state == expected.deadlock->elements[i].state);
  }
}

// The first whole minute from `from` at which a station of the run is down: a fork there has a
// repair under way (and, on operating time, a failure clock stopped).
double time_in_breakdown(const Scene& scene, double from) {
  LineRun probe(scene, scene.seed(), 0);
  for (double t = from; t < probe.end_time(); t += 60.0) {
    probe.advance_to(t);
    for (std::size_t s = 0; s < scene.stations().size(); ++s) {
      if (probe.station_activity(s) == StationActivity::kDown) return t;
    }
  }
  FAIL("no station of ", scene.name(), " is ever down after ", from, " s");
  return 0.0;
}

struct ForkCase {
  std::string scene;
  std::vector<double> times;  // early, in a breakdown, late
};

std::vector<ForkCase> fork_cases() {
  const Scene breakdown = bundled_scene("scenes/breakdown_line.yaml");
  const Scene assembly = bundled_scene("scenes/final_assembly.yaml");
  // breakdown_line: 4 h of warm-up, then 40 h; final_assembly: 48 h from Monday 00:00, its first
  // shift at 06:00.
  return {{"scenes/breakdown_line.yaml",
           {1800.0, time_in_breakdown(breakdown, 20 * 3600.0), 43.5 * 3600.0}},
          {"scenes/final_assembly.yaml",
           {7 * 3600.0, time_in_breakdown(assembly, 20 * 3600.0), 47 * 3600.0}}};
}

std::string saved(const LineRun& run) {
  std::ostringstream out;
  run.save_state(out);
  return out.str();
}

LineRun restored(const Scene& scene, const std::string& state,
                 const std::string& name = "state.bin") {
  std::istringstream in(state);
  return LineRun::restore(scene, in, name);
}

// A state with its checksum made right again after an edit: what gets past the checksum and
// must still be refused by the fields' own checks.
std::string with_checksum(std::string state) {
  StableHash hash;
  hash.bytes(std::string_view(state).substr(0, state.size() - 8));
  for (int i = 0; i < 8; ++i)
    state[state.size() - 8 + i] = static_cast<char>((hash.value() >> (8 * i)) & 0xFF);
  return state;
}

void put_u64(std::string& state, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    state[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// The error restoring `state` gives, with the file's name in it.
std::string refusal(const Scene& scene, const std::string& state) {
  try {
    restored(scene, state, "damaged.state");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("damaged.state") != std::string::npos);
    return e.what();
  }
  FAIL("a damaged state was restored");
  return {};
}

}  // namespace

TEST_CASE("a copy of a run, at any time, finishes exactly as the original, which it leaves alone") {
  for (const ForkCase& fork_case : fork_cases()) {
    const Scene scene = bundled_scene(fork_case.scene);
    const ReplicationResult whole = LineRun(scene, scene.seed(), 0).run_to_end();
    for (double t : fork_case.times) {
      CAPTURE(fork_case.scene);
      CAPTURE(t);
      LineRun original(scene, scene.seed(), 0);
      original.advance_to(t);
      LineRun fork = original;
      // In turns, each a stretch ahead of the other, so that a state the two shared (a buffer, a
      // stream, the calendar) would show in the one left behind.
      const double end = original.end_time();
      for (double step = t; step < end; step += 3 * 3600.0) {
        fork.advance_to(std::min(step + 3 * 3600.0, end));
        original.advance_to(std::min(step + 1800.0, end));
      }
      check_identical(scene, whole, fork.run_to_end());
      check_identical(scene, whole, original.run_to_end());
    }
  }
}

TEST_CASE("a run copied before and after its deadlock stops at the same instant, reported alike") {
  const Scene scene = bundled_scene("tests/plant/scenes/deadlock_rework_loop.yaml");
  const ReplicationResult whole = LineRun(scene, scene.seed(), 0).run_to_end();
  REQUIRE(whole.deadlock.has_value());
  for (double t : {10.0, whole.deadlock->time_s + 1.0}) {
    CAPTURE(t);
    LineRun original(scene, scene.seed(), 0);
    original.advance_to(t);
    LineRun fork = original;
    check_identical(scene, whole, fork.run_to_end());
    check_identical(scene, whole, original.run_to_end());
    // And through a saved state: the deadlock found, or still to come.
    check_identical(scene, whole, restored(scene, saved(original)).run_to_end());
  }
}

TEST_CASE("a saved state restores a run that finishes exactly as the uninterrupted one") {
  test::TempDir dir;
  for (const ForkCase& fork_case : fork_cases()) {
    const Scene scene = bundled_scene(fork_case.scene);
    for (std::uint32_t replication : {0u, 3u}) {
      const ReplicationResult whole = LineRun(scene, scene.seed(), replication).run_to_end();
      for (double t : fork_case.times) {
        CAPTURE(fork_case.scene);
        CAPTURE(replication);
        CAPTURE(t);
        LineRun run(scene, scene.seed(), replication);
        run.advance_to(t);
        const std::string state = saved(run);

        // In memory.
        LineRun back = restored(scene, state);
        CHECK(back.now() == t);
        CHECK(back.seed() == scene.seed());
        CHECK(back.replication() == replication);
        CHECK(back.settings().duration_s == scene.run_settings().duration_s);
        CHECK(back.settings().warmup_s == scene.run_settings().warmup_s);
        // The restored run's own state is the state it was restored from, byte for byte.
        CHECK(saved(back) == state);
        check_identical(scene, whole, back.run_to_end());
        // Through a file.
        const std::string path = dir.write("run.state", state);
        std::ifstream in(path, std::ios::binary);
        check_identical(scene, whole, LineRun::restore(scene, in, path).run_to_end());
        // Saving takes nothing from the run: it goes on as if never saved.
        check_identical(scene, whole, run.run_to_end());
      }
    }
  }
}

TEST_CASE("a state with other settings or seed runs as a run started with them") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  RunSettings settings = scene.run_settings();
  settings.duration_s = 10 * 3600.0;
  settings.warmup_s = 0.0;
  const ReplicationResult whole = LineRun(scene, 99, 1, settings).run_to_end();
  LineRun run(scene, 99, 1, settings);
  run.advance_to(5 * 3600.0);
  LineRun back = restored(scene, saved(run));
  CHECK(back.seed() == 99);
  CHECK(back.settings().duration_s == settings.duration_s);
  CHECK(back.settings().warmup_s == 0.0);
  check_identical(scene, whole, back.run_to_end());
}

TEST_CASE("a truncated, damaged or foreign state is refused, naming the file") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(time_in_breakdown(scene, 20 * 3600.0));
  const std::string state = saved(run);
  REQUIRE(state.size() > 200);

  SUBCASE("truncated at every length") {
    for (std::size_t n = 0; n < state.size(); ++n) {
      CAPTURE(n);
      const std::string message = refusal(scene, state.substr(0, n));
      CHECK((message.find("truncated") != std::string::npos ||
             message.find("not a linetwin state file") != std::string::npos));
    }
  }
  SUBCASE("extended") {
    CHECK(refusal(scene, state + "x").find("damaged or extended") != std::string::npos);
  }
  SUBCASE("a bit flipped in any byte") {
    for (std::size_t i = 0; i < state.size(); ++i) {
      CAPTURE(i);
      std::string damaged = state;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << (i % 8)));
      refusal(scene, damaged);
    }
  }
  SUBCASE("another magic: no state at all") {
    CHECK(refusal(scene, "linetwin_scene: 1\nelements: []\n").find("not a linetwin state file") !=
          std::string::npos);
    std::string damaged = state;
    damaged[0] = 'L';
    CHECK(refusal(scene, damaged).find("not a linetwin state file") != std::string::npos);
  }
  SUBCASE("another format version") {
    std::string damaged = state;
    damaged[16] = 2;
    CHECK(refusal(scene, damaged).find("format version 2, expected 1") != std::string::npos);
  }
  SUBCASE("another scene, or this one edited") {
    const Scene other = bundled_scene("scenes/final_assembly.yaml");
    CHECK(refusal(other, state).find("another scene") != std::string::npos);
    const Scene edited = load_scene_text(
        "linetwin_scene: 1\nseed: 4711\nelements:\n"
        "  - {id: in, type: source, supply: unlimited, to: OP10}\n"
        "  - {id: OP10, type: station, processing: 50s, to: out}\n"
        "  - {id: out, type: sink}\n",
        "edited.yaml");
    CHECK(refusal(edited, state).find("another scene") != std::string::npos);
  }
  // Past the checksum (made right again): the fields' own checks. The layout's first fields are
  // fixed: the container (16 bytes of magic, the version, the length), then "LRUN", the scene's
  // fingerprint, the seed, the replication, duration and warm-up, then "KERN", the time, the
  // events executed, and the calendar's count of slots.
  constexpr std::size_t kKern = 28 + 4 + 8 + 8 + 4 + 8 + 8;
  REQUIRE(state.substr(kKern, 4) == "KERN");
  SUBCASE("a time that is no time") {
    std::string damaged = state;
    put_u64(damaged, kKern + 4, std::bit_cast<std::uint64_t>(std::nan("")));
    const std::string message = refusal(scene, with_checksum(damaged));
    CHECK(message.find("field 'now'") != std::string::npos);
    CHECK(message.find("expected a time from 0 s to 158400 s") != std::string::npos);
  }
  SUBCASE("a count larger than the scene allows or the file holds") {
    std::string damaged = state;
    put_u64(damaged, kKern + 20, std::uint64_t{1} << 60);
    CHECK(refusal(scene, with_checksum(damaged)).find("field 'calendar.slots'") !=
          std::string::npos);
  }
  SUBCASE("settings no run may have") {
    std::string damaged = state;
    put_u64(damaged, 28 + 4 + 8 + 8 + 4, std::bit_cast<std::uint64_t>(-1.0));  // the duration
    CHECK(refusal(scene, with_checksum(damaged)).find("duration") != std::string::npos);
  }
  SUBCASE("any byte changed past the checksum: refused or restored, never a crash") {
    // Each field of the state is read through a check of what it may be; a value that passes is
    // still a state the reader can hold. (Under AddressSanitizer this is the proof.)
    std::size_t refused = 0;
    for (std::size_t i = 28; i + 8 < state.size(); ++i) {
      for (unsigned char value : {0x00, 0xFF}) {
        std::string damaged = state;
        damaged[i] = static_cast<char>(value);
        try {
          restored(scene, with_checksum(damaged));
        } catch (const InputError&) {
          ++refused;
        }
      }
    }
    CHECK(refused > 0);
  }
}
