// Stopping work under way from outside (Ctrl-C in Python): a run that is asked to stop gives up
// after its current stretch of events, a pool of replications starts no more and rethrows
// RunCancelled, and a flag that is never set changes nothing, to the bit.
#include <doctest/doctest.h>

#include <string>

#include "core/cancellation.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"

using namespace linetwin;

namespace {

Scene bundled(const std::string& path) {
  return load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/" + path);
}

}  // namespace

TEST_CASE("a run asked to stop gives up after its stretch of events, not at its end") {
  const Scene scene = bundled("scenes/balanced_line.yaml");
  RunSettings long_run;
  long_run.duration_s = 3650 * 24 * 3600.0;  // ten years: far more than a million events
  CancelFlag stop{true};
  LineRun run(scene, 1, 0, long_run);
  run.cancel_on(&stop);
  CHECK_THROWS_AS(run.run_to_end(), RunCancelled);
  CHECK(run.now() < long_run.duration_s);
  CHECK(run.results().events <= 1'000'000);
  // Not asked: the same flag, cleared, lets the fork of the stopped run go on.
  stop.store(false);
  LineRun fork = run;
  CHECK(fork.advance_to(run.now() + 3600.0) == StopReason::kTimeReached);
}

TEST_CASE("replications asked to stop start no more and throw RunCancelled") {
  const Scene scene = bundled("scenes/breakdown_line.yaml");
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 40;
  settings.threads = 2;
  CancelFlag stop{false};
  settings.cancel = &stop;
  std::size_t seen = 0;
  // The first replication to finish asks for the stop.
  settings.progress = [&](std::size_t done, std::size_t) {
    seen = done;
    stop.store(true);
  };
  CHECK_THROWS_AS(run_replications(scene, settings), RunCancelled);
  CHECK(seen >= 1);
  CHECK(seen < 40);
}

TEST_CASE("a cancel flag that is never set changes nothing") {
  const Scene scene = bundled("scenes/breakdown_line.yaml");
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 3;
  const std::vector<ReplicationResult> plain = run_replications(scene, settings);
  CancelFlag never{false};
  settings.cancel = &never;
  const std::vector<ReplicationResult> watched = run_replications(scene, settings);
  for (std::size_t r = 0; r < plain.size(); ++r) {
    CHECK(watched[r].events == plain[r].events);
    CHECK(watched[r].parts_completed == plain[r].parts_completed);
    CHECK(watched[r].throughput_per_hour == plain[r].throughput_per_hour);
  }
}
