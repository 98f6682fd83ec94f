// LineRun::save_state and LineRun::restore: the state's header, then every part of the run
// (plant/run/run_state.hpp). docs/architecture.md ("Forks and saved states") has the format.
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/input_error.hpp"

#include "core/state_stream.hpp"
#include "plant/line_run.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"
#include "plant/scene_fingerprint.hpp"

namespace linetwin {

void refuse_fleets(const Scene& scene, std::string_view what) {
  if (scene.fleets().empty()) return;
  // Vehicles, their orders and reserved places are not part of a state yet: refused rather than
  // continued without them.
  throw InputError({scene.source_file(), 0, 0, "fleets"},
                   fmt::format("{} of a line with fleets is not supported yet; expected a scene "
                               "without 'fleets'",
                               what));
}

void LineRun::save_state(std::ostream& out) const {
  refuse_fleets(*scene_, "saving the state");
  std::string bytes;
  StateStream io = StateStream::writer(bytes);
  // One function per part both writes and reads its fields (run_state.hpp), so it takes them by
  // reference; writing only reads them.
  auto& line = const_cast<line_run::Line&>(*line_);
  io.tag("LRUN");
  std::uint64_t fingerprint = scene_fingerprint(*scene_);
  io.value(fingerprint);
  std::uint64_t seed = seed_;
  io.value(seed);
  io.value(line.replication);
  io.value(line.settings.duration_s);
  io.value(line.settings.warmup_s);
  line_run::transfer_state(io, *scene_, line);
  io.finish();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

LineRun LineRun::restore(const Scene& scene, std::istream& in, const std::string& display_name) {
  refuse_fleets(scene, "restoring a state");
  const std::string bytes = StateStream::read_bytes(in, display_name);
  StateStream io = StateStream::reader(bytes, display_name);
  io.tag("LRUN");
  std::uint64_t fingerprint = 0;
  io.value(fingerprint);
  if (fingerprint != scene_fingerprint(scene)) {
    io.fail("", "a state saved from the scene " + scene.source_file() +
                    ", found one of another scene (or of this one before an edit)");
  }
  std::uint64_t seed = 0;
  std::uint32_t replication = 0;
  RunSettings settings = scene.run_settings();
  io.value(seed);
  io.value(replication);
  io.value(settings.duration_s);
  io.value(settings.warmup_s);
  settings.replications = 1;
  if (auto problem = run_settings_problem(settings)) io.fail(problem->field, problem->message);
  LineRun run(scene, seed, replication, settings, BuiltOnly{});
  line_run::transfer_state(io, scene, *run.line_);
  io.finish();
  return run;
}

}  // namespace linetwin
