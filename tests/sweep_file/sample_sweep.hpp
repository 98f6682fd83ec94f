// A sweep file's contents made from formulas, for the round-trip tests (sweep_file_test.cpp) and
// for the file that sweep_file_test.py reads with h5py, which computes the same formulas.
//
// Shard 2 of 3 of a sweep of two variants: "baseline" and "B2 16, with B2b", which has a buffer
// more (its column B2b.occupancy_mean comes after B2's, so the union's order differs from its
// own). Replications 1, 4 and 7 of each. The first column, `replication`, is the replication's
// number r, as in a ReplicationTable. The value of any other column c (in the variant's own
// order) of replication r of variant v is 1000 v + 10 r + c + 0.25, except that OP30.oee of the
// baseline's replication 4 is NaN (nothing measured), and replication 7 of the second variant
// deadlocked: its `deadlocked` column is 1, and a cycle of three elements is listed.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "recording/sweep_file.hpp"

namespace linetwin::test {

inline SweepFile sample_sweep() {
  SweepFile file;
  file.identity.scenario = "scenarios/buffer_allocation.yaml";
  file.identity.scenario_fingerprint = "3f9a0c51e2d74b68";
  file.identity.seed = 42;
  file.identity.replications = 9;
  file.identity.settings = R"({"duration_s":28800,"warmup_s":3600,"common_random_numbers":true})";
  file.identity.shard_index = 2;
  file.identity.shard_count = 3;
  const std::vector<std::string> baseline = {"replication",       "throughput_per_hour",
                                             "deadlocked",        "OP30.oee",
                                             "B2.occupancy_mean", "ledger.completed"};
  std::vector<std::string> more_buffer = baseline;
  more_buffer.insert(more_buffer.begin() + 5, "B2b.occupancy_mean");
  for (const auto& [name, columns] :
       {std::pair{"baseline", baseline}, std::pair{"B2 16, with B2b", more_buffer}}) {
    SweepFileVariant& variant = file.variants.emplace_back();
    variant.name = name;
    variant.columns = columns;
    const double v = static_cast<double>(file.variants.size() - 1);
    for (const std::uint32_t r : {1u, 4u, 7u}) {
      SweepFileVariant::Row& row = variant.rows.emplace_back();
      row.replication = r;
      row.values.push_back(r);
      for (std::size_t c = 1; c < columns.size(); ++c)
        row.values.push_back(1000.0 * v + 10.0 * r + static_cast<double>(c) + 0.25);
    }
  }
  file.variants[0].rows[1].values[3] = std::nan("");
  SweepFileVariant::Row& deadlocked = file.variants[1].rows[2];
  deadlocked.values[2] = 1.0;
  deadlocked.cycle = true;
  deadlocked.deadlocked = {{"OP30", 1, "blocked by B2b"},
                           {"B2b", 16, "full, waiting for Prüfstand 3"},
                           {"Prüfstand 3", 1, "blocked by OP30"}};
  return file;
}

// A variant of `columns` KPI columns with long names, which take several /replications tables.
inline SweepFile wide_sweep(std::size_t columns) {
  SweepFile file;
  file.identity.scenario = "wide.yaml";
  SweepFileVariant& variant = file.variants.emplace_back();
  variant.name = "wide";
  for (std::size_t c = 0; c < columns; ++c)
    variant.columns.push_back("Station_" + std::to_string(c) + ".waiting_operator_share");
  for (std::uint32_t r = 0; r < 2; ++r) {
    SweepFileVariant::Row& row = variant.rows.emplace_back();
    row.replication = r;
    for (std::size_t c = 0; c < columns; ++c)
      row.values.push_back(static_cast<double>(c) + 0.5 * r);
  }
  return file;
}

}  // namespace linetwin::test
