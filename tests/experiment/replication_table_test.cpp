// The replication table: a result written column by column into a blank one is the same result
// (what merging sweep shards relies on), on every bundled scene and on deadlocked lines; and the
// names a scenario gives KPIs by.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "experiment/replication_table.hpp"
#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {

ReplicationResult copy_by_columns(const ReplicationTable& table, const ReplicationResult& r) {
  ReplicationResult out = table.blank();
  for (std::size_t c = 0; c < table.size(); ++c) {
    if (table.type(c) == ReplicationTable::Type::kCount) {
      table.set_count(out, c, table.count(r, c));
    } else {
      table.set_real(out, c, table.value(r, c));
    }
  }
  if (r.deadlock) {  // no numbers: kept beside the table
    out.deadlock->cycle = r.deadlock->cycle;
    out.deadlock->elements = r.deadlock->elements;
  }
  return out;
}

std::string summary_json(const Scene& scene, const ExperimentSettings& settings,
                         const std::vector<ReplicationResult>& results) {
  const ExperimentSummary summary = summarize(results);
  std::ostringstream out;
  write_json(out, RunReport{scene, settings, summary});
  return out.str();
}

void check_round_trip(const Scene& scene, std::uint32_t replications, double duration_s) {
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = replications;
  settings.run.duration_s = duration_s;
  settings.run.warmup_s = 0.0;
  const std::vector<ReplicationResult> results = run_replications(scene, settings);
  const ReplicationTable table(scene);
  std::vector<ReplicationResult> copies;
  for (const ReplicationResult& r : results) {
    copies.push_back(copy_by_columns(table, r));
    for (std::size_t c = 0; c < table.size(); ++c) {
      // Bit for bit, NaN included.
      CHECK_MESSAGE(std::bit_cast<std::uint64_t>(table.value(copies.back(), c)) ==
                        std::bit_cast<std::uint64_t>(table.value(r, c)),
                    table.name(c));
    }
  }
  CHECK(summary_json(scene, settings, copies) == summary_json(scene, settings, results));
}

std::string source(const std::string& relative) {
  return std::string(LINETWIN_SOURCE_DIR) + "/" + relative;
}

}  // namespace

TEST_CASE(
    "replication table: every bundled scene's results survive being written column by column") {
  for (const char* file :
       {"scenes/balanced_line.yaml", "scenes/breakdown_line.yaml", "scenes/final_assembly.yaml",
        "scenes/pocketnc_cell.yaml", "scenes/agv_cell.yaml"}) {
    CAPTURE(file);
    check_round_trip(load_scene_file(source(file)), 3, 8 * 3600.0);
  }
}

TEST_CASE("replication table: a deadlocked line's results survive, with when it deadlocked") {
  for (const char* file : {"tests/plant/scenes/deadlock_rework_loop.yaml",
                           "tests/plant/scenes/deadlock_merge_cycle.yaml",
                           "tests/plant/scenes/deadlock_starved_assembly.yaml"}) {
    CAPTURE(file);
    const Scene scene = load_scene_file(source(file));
    check_round_trip(scene, 3, 8 * 3600.0);
    const ReplicationTable table(scene);
    ExperimentSettings settings = settings_from_scene(scene);
    settings.run.replications = 1;
    const ReplicationResult r = run_replications(scene, settings).front();
    REQUIRE(r.deadlock);
    CHECK(table.count(r, *table.find("deadlocked")) == 1);
    CHECK(table.value(r, *table.find("deadlock_time_s")) == r.deadlock->time_s);
  }
}

TEST_CASE("replication table: KPI names by element id, pool, product and limit") {
  const Scene scene = load_scene_file(source("scenes/final_assembly.yaml"));
  const ReplicationTable table(scene);
  for (const char* name :
       {"throughput_per_hour", "wip_mean", "lead_time_p95_s", "deadlocked", "ledger.created",
        "T10_trim.oee", "T10_trim.down", "T10_trim.bottleneck", "PBS.occupancy_mean",
        "orders.arrivals", "operators.fitters.utilisation", "products.suv.throughput_per_hour",
        "wip_limits.skids.cards_in_use_mean"}) {
    CAPTURE(name);
    CHECK(table.find(name).has_value());
  }
  CHECK_FALSE(table.find("T10_trim.oe").has_value());
  CHECK(table.type(*table.find("T10_trim.parts_processed")) == ReplicationTable::Type::kCount);
  CHECK(table.type(*table.find("T10_trim.oee")) == ReplicationTable::Type::kReal);
  // Names are unique on a scene whose ids shadow no prefix.
  const std::vector<std::string> names = table.names();
  for (std::size_t c = 0; c < names.size(); ++c)
    CHECK(table.find(names[c]) == c);
}

TEST_CASE("replication table: the bottleneck column marks the replication's bottleneck station") {
  const Scene scene = load_scene_file(source("scenes/breakdown_line.yaml"));
  const ReplicationTable table(scene);
  ExperimentSettings settings = settings_from_scene(scene);
  settings.run.replications = 4;
  for (const ReplicationResult& r : run_replications(scene, settings)) {
    std::uint64_t marked = 0;
    for (std::size_t s = 0; s < scene.stations().size(); ++s) {
      const std::string id = scene.element(scene.stations()[s]).id;
      const std::uint64_t mark = table.count(r, *table.find(id + ".bottleneck"));
      marked += mark;
      CHECK(mark == (r.bottleneck_station == static_cast<std::int64_t>(s) ? 1u : 0u));
    }
    CHECK(marked == 1);
  }
}
