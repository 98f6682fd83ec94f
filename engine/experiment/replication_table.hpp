// One replication's results as a flat row of named columns: the same columns for every
// replication of a scene, so that a set of replications is a table that pandas, h5py and a
// spreadsheet read as it is, and gates, precision goals and selection name a KPI by its column.
//
// Names (docs/experiments.md lists them all):
//   line KPIs           throughput_per_hour, wip_mean, lead_time_mean_s, ..., events
//   an element's        ID.KPI: OP30.oee, OP30.down, B2.occupancy_mean, blanks.arrivals,
//                       OP40.starved_by.C_doors (an assembly input), OP30.bottleneck (1 when it
//                       was this replication's bottleneck, experiment/bottleneck.hpp)
//   fleets              fleets.AGV.loaded_travel, ..., fleets.AGV.busy, fleets.AGV.bottleneck,
//                       fleets.AGV.1.busy (its first vehicle)
//   the part ledger     ledger.created, ledger.completed, ledger.scrapped, ledger.consumed,
//                       ledger.in_line
//   pools, limits and   operators.POOL.utilisation, wip_limits.NAME.cards_in_use_mean,
//   products            products.NAME.throughput_per_hour
// An element whose id is "ledger", "operators", "wip_limits" or "products" shadows nothing: the
// first column of a name wins in find().
//
// The row holds everything a ReplicationResult holds except a deadlock's kind and list of
// elements (the columns say whether and when the line deadlocked, and the parts it held): writing a
// result into a blank one column by column gives back the same result, which is how shards of a
// sweep are merged.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

class ReplicationTable {
 public:
  // A count is a whole number of parts or events (exact as 64 bits); a real is a time, share,
  // rate or mean, NaN where the replication left it undefined (no part completed).
  enum class Type : std::uint8_t { kReal, kCount };

  explicit ReplicationTable(const Scene& scene);

  std::size_t size() const { return columns_.size(); }
  const std::string& name(std::size_t column) const { return columns_[column].name; }
  Type type(std::size_t column) const { return columns_[column].type; }
  std::optional<std::size_t> find(std::string_view name) const;
  std::vector<std::string> names() const;

  // The column's value as a number (a count converted: exact below 2^53).
  double value(const ReplicationResult& r, std::size_t column) const;
  // Precondition: type(column) == kCount.
  std::uint64_t count(const ReplicationResult& r, std::size_t column) const;

  // A result with every per-element list sized to the scene and nothing measured: what the
  // setters fill.
  ReplicationResult blank() const;
  // Precondition: the type fits, and `r` came from blank(). Columns are set in order: the
  // deadlock's time after whether it deadlocked.
  void set_real(ReplicationResult& r, std::size_t column, double value) const;
  void set_count(ReplicationResult& r, std::size_t column, std::uint64_t value) const;

 private:
  struct Column {
    std::string name;
    Type type = Type::kReal;
    std::function<double(const ReplicationResult&)> get_real;
    std::function<void(ReplicationResult&, double)> set_real;
    std::function<std::uint64_t(const ReplicationResult&)> get_count;
    std::function<void(ReplicationResult&, std::uint64_t)> set_count;
  };
  // `locate(r)` names the field in r, const or not (a generic lambda returning auto&).
  template <class Locate>
  void add_real(std::string name, Locate locate);
  template <class Locate>
  void add_count(std::string name, Locate locate);
  // A vehicle's (or a fleet's) shares and orders: `locate(r)` names its VehicleResult.
  template <class Locate>
  void add_vehicle_columns(const std::string& prefix, Locate locate);

  std::vector<Column> columns_;
  std::size_t stations_ = 0, buffers_ = 0, sources_ = 0, conveyors_ = 0, pools_ = 0, products_ = 0,
              limits_ = 0;
  std::vector<std::size_t> assembly_lines_;  // per station: bill-of-materials lines (0: none)
  std::vector<std::size_t> fleet_vehicles_;  // per fleet: its vehicles
};

}  // namespace linetwin
