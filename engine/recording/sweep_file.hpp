// A sweep's results as an HDF5 file (docs/experiments.md, "HDF5"): what `linetwin sweep --hdf5`
// writes, and what each shard of a sharded sweep writes for `linetwin merge` to read back.
//
// Layout, all of it readable by h5py and pandas as it is:
//   /                  attributes: schema "linetwin.sweep/1", linetwin_version, scenario (the
//                      path as given), scenario_fingerprint, seed, replications, settings (the
//                      settings that decide results, as JSON text), shard_index, shard_count
//   /variants          one row per variant: index, name
//   /variant_columns   one row per variant and KPI column it has, in its order: variant, column
//                      (what /replications alone cannot say where a value is NaN legitimately)
//   /replications      one row per variant and replication: variant (index), replication
//                      (uint32), then one float64 column per KPI of the ReplicationTable of any
//                      variant (counts are exact below 2^53), named as the KPI (OP30.oee), in
//                      first-seen order (variant 0's, then later variants' new ones), NaN where
//                      that variant's line has no such column; the table's own column
//                      `replication` is the ReplicationTable's, which holds the same number
//   /replications_2... the KPI columns that do not fit /replications, with the same rows and the
//                      same two leading columns: HDF5 keeps a table's type in 64 KiB, room for
//                      some 1,500 KPI names (line_100_stations has 2,225); most lines have none
//   /deadlocks         one row per element listed in a deadlock: variant, replication, cycle
//                      (1: a cycle, 0: stuck parts), position in the list, element id, parts
//                      held, state in words
//   /summary           one row per variant and KPI: variant, kpi, mean, ci95_low, ci95_high,
//                      stdev, n (absent in a shard)
// Every table is a one-dimensional compound dataset, contiguous. Strings are fixed-length UTF-8,
// as in the recording format (recording_hdf5.hpp says why), each table's as wide as its longest.
//
// The file is written whole or not at all (a temporary file beside it, renamed), and reading one
// checks everything it uses: a damaged or foreign file is an InputError naming it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "plant/replication_result.hpp"

namespace linetwin {

inline constexpr const char* kSweepSchema = "linetwin.sweep/1";

// What makes two shards parts of the same sweep.
struct SweepFileIdentity {
  std::string scenario;              // the scenario file's path, as given on the command line
  std::string scenario_fingerprint;  // of the scenario's and the base scene's bytes
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string settings;  // JSON text: durations, warm-up, common random numbers, ...
  std::uint32_t shard_index = 1;
  std::uint32_t shard_count = 1;
};

// One variant's part of the file: its name, the names of its KPI columns (ReplicationTable order)
// and its replications, each row in that order.
struct SweepFileVariant {
  std::string name;
  std::vector<std::string> columns;
  struct Row {
    std::uint32_t replication = 0;
    std::vector<double> values;  // one per column
    // The deadlock's kind and elements (ids), when the replication deadlocked. The file keeps
    // the kind with the elements: without elements, it reads back false.
    bool cycle = false;
    struct Held {
      std::string element;
      std::uint64_t parts = 0;
      std::string state;
    };
    std::vector<Held> deadlocked;
  };
  std::vector<Row> rows;
  // KPI, estimate: the summary rows (empty in a shard).
  std::vector<std::pair<std::string, Estimate>> summary;
};

struct SweepFile {
  SweepFileIdentity identity;
  std::vector<SweepFileVariant> variants;
};

// InputError naming `path` and `flag` when it cannot be written, or `path` and the field when a
// text is longer than the file holds (4096 bytes; the settings 1 MiB) or not UTF-8; then no file
// is written. Precondition: each row has a value per column of its variant, and a variant's
// columns are distinct ReplicationTable names; a row whose column `replication` is not its
// replication number is std::logic_error (the file could not keep both).
void write_sweep_file(const std::string& path, const std::string& flag, const SweepFile& file);
// InputError naming `path` when it is missing, not HDF5, not a linetwin sweep file, or damaged.
SweepFile read_sweep_file(const std::string& path);

}  // namespace linetwin
