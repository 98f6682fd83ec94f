// A sweep started from the viewer runs in the background and gives `linetwin sweep`'s results to
// the bit (the same JSON, the same replications) for the same scenario and seed with any thread
// count; it reports its progress, can be cancelled, and a scenario it cannot read is an error
// naming the file, not a crash.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

#include "experiment/sweep.hpp"
#include "io/scenario_file.hpp"
#include "sweep_run.hpp"
#include "sweep_support.hpp"
#include "test_wait.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenario =
    std::string(LINETWIN_SOURCE_DIR) + "/tests/viewer/scenes/sweep_b2.scenario.yaml";

void wait_for(const SweepRun& run) {
  REQUIRE(test::wait_until([&] { return run.finished(); },
                           [] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }));
}

}  // namespace

TEST_CASE("a sweep run from the viewer is linetwin sweep's, to the bit") {
  cli::SweepFlags flags;
  flags.threads = 2;
  SweepRun run(kScenario, flags);
  wait_for(run);
  REQUIRE(run.error().empty());
  CHECK_FALSE(run.cancelled());
  CHECK(run.total() > 0);
  CHECK(run.done() == run.total());
  REQUIRE(run.view());
  CHECK(run.view()->variants().size() == 5);  // the baseline and four values of B2

  // The same scenario planned, run on one thread and written as `linetwin sweep --json` does.
  const Scenario scenario = load_scenario_file(kScenario);
  flags.threads = 1;
  const cli::SweepPlan plan = cli::plan_sweep(scenario, flags);
  const SweepResults direct = run_sweep(plan.variants, plan.settings);
  REQUIRE(run.results().replications.size() == direct.replications.size());
  for (std::size_t v = 0; v < direct.replications.size(); ++v) {
    REQUIRE(run.results().replications[v].size() == direct.replications[v].size());
    for (std::size_t r = 0; r < direct.replications[v].size(); ++r) {
      const ReplicationResult& got = run.results().replications[v][r];
      const ReplicationResult& want = direct.replications[v][r];
      CHECK(got.events == want.events);
      CHECK(got.throughput_per_hour == want.throughput_per_hour);
      CHECK(got.lead_time_mean_s == want.lead_time_mean_s);
      CHECK(got.wip_mean == want.wip_mean);
    }
  }
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("linetwin_sweep_run_test_" + std::to_string(getpid()));
  cli::SweepOutputs outputs;
  outputs.json = file.string();
  cli::finish_sweep(scenario, plan, direct, outputs, true);
  std::ostringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  std::filesystem::remove(file);
  CHECK(run.json() == text.str());
}

TEST_CASE("a sweep run from the viewer can be cancelled") {
  cli::SweepFlags flags;
  flags.threads = 1;
  flags.replications = 100'000;
  SweepRun run(kScenario, flags);
  // Once it has started replicating, so that the cancel stops the sweep, not the reading.
  REQUIRE(test::wait_until([&] { return run.done() > 0 || run.finished(); },
                           [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }));
  run.cancel();
  wait_for(run);
  CHECK(run.cancelled());
  CHECK(run.error().empty());
  CHECK(run.done() < run.total());
  CHECK_FALSE(run.view());
  CHECK(run.json().empty());
}

TEST_CASE("a scenario the sweep cannot read is its error, naming the file") {
  SweepRun run("no_such.scenario.yaml", {});
  wait_for(run);
  CHECK_FALSE(run.cancelled());
  CHECK(run.error().find("no_such.scenario.yaml") != std::string::npos);
  CHECK_FALSE(run.view());
}
