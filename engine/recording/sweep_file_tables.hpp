// The tables of a sweep's HDF5 file (sweep_file.hpp), as the writer and the reader share them:
// table names, text bounds, the kinds of member a row holds, packed rows, and the cut of a wide
// KPI table into tables that HDF5 can describe.
//
// Every table is a one-dimensional compound dataset, contiguous and written once. Rows are packed
// without gaps in memory and in the file alike (RowBuffer), in native types in memory and
// little-endian ones in the file, which HDF5 converts between.
//
// Why /replications may continue in /replications_2, ...: HDF5 stores a dataset's type in one
// object-header message of at most 64 KiB, and a float member costs its name and about 25 bytes,
// so one table holds some 1,500 KPI columns (h5py fails the same way: "object header message is
// too large"). line_100_stations has 2,225. The columns are cut, in order, into tables that fit,
// each with the same leading variant and replication columns and the same rows, so that each
// table is a DataFrame of its own and the tables join side by side.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "recording/recording_hdf5.hpp"
#include "recording/sweep_file.hpp"

namespace linetwin::sweep_tables {

using recording::Hid;

constexpr const char* kVariantsTable = "variants";
constexpr const char* kVariantColumnsTable = "variant_columns";
constexpr const char* kReplicationsTable = "replications";
constexpr const char* kDeadlocksTable = "deadlocks";
constexpr const char* kSummaryTable = "summary";

// Text bounds, the same for the writer (which refuses more) and the reader: names, ids, paths
// and states; and the settings' JSON.
constexpr std::size_t kMaxTableTextBytes = recording::kMaxAttributeTextBytes;
constexpr std::size_t kMaxSettingsBytes = std::size_t{1} << 20;
// A compound type's description must fit HDF5's 64 KiB header message: a member costs its name,
// a NUL, its offset and its type's description (20 bytes for a float); this counts 32.
constexpr std::size_t kTypeBudgetBytes = 60000;
constexpr std::size_t kMemberCostBytes = 32;
constexpr std::size_t kMaxReplicationTables = 4096;

inline std::string replications_table_name(std::size_t table) {
  return table == 0 ? kReplicationsTable : fmt::format("{}_{}", kReplicationsTable, table + 1);
}

// --- rows -----------------------------------------------------------------------------------

enum class Kind : std::uint8_t { kUInt8, kUInt32, kUInt64, kFloat64, kText };

struct Member {
  std::string name;
  Kind kind = Kind::kFloat64;
  std::size_t text_bytes = 0;  // kText: the field's width
};

inline std::size_t member_bytes(const Member& member) {
  switch (member.kind) {
    case Kind::kUInt8:
      return 1;
    case Kind::kUInt32:
      return 4;
    case Kind::kUInt64:
    case Kind::kFloat64:
      return 8;
    case Kind::kText:
      return member.text_bytes;
  }
  return 0;
}

inline Hid member_type(const Member& member, bool in_file) {
  switch (member.kind) {
    case Kind::kUInt8:
      return Hid(H5Tcopy(in_file ? H5T_STD_U8LE : H5T_NATIVE_UINT8), H5Tclose);
    case Kind::kUInt32:
      return recording::column_type(recording::ColumnType::kUInt32, in_file);
    case Kind::kUInt64:
      return recording::column_type(recording::ColumnType::kUInt64, in_file);
    case Kind::kFloat64:
      return recording::column_type(recording::ColumnType::kFloat64, in_file);
    case Kind::kText:
      return recording::text_type(member.text_bytes);
  }
  return {};
}

// Rows of a table, packed: each member at the sum of the sizes before it.
class RowBuffer {
 public:
  RowBuffer(std::vector<Member> members, std::size_t rows) : members_(std::move(members)) {
    for (const Member& member : members_) {
      offsets_.push_back(row_bytes_);
      row_bytes_ += member_bytes(member);
    }
    bytes_.assign(rows * row_bytes_, '\0');
  }

  std::size_t rows() const { return row_bytes_ == 0 ? 0 : bytes_.size() / row_bytes_; }
  const std::vector<Member>& members() const { return members_; }
  char* data() { return bytes_.data(); }
  const char* data() const { return bytes_.data(); }

  // The row's compound type. Members have distinct names (the writer's callers promise it, and
  // the reader builds its types from its own lists); a member HDF5 refuses is linetwin's bug,
  // never to be left out of a file in silence.
  Hid type(bool in_file) const {
    Hid row(H5Tcreate(H5T_COMPOUND, std::max<std::size_t>(row_bytes_, 1)), H5Tclose);
    for (std::size_t m = 0; m < members_.size(); ++m) {
      if (H5Tinsert(row.get(), members_[m].name.c_str(), offsets_[m],
                    member_type(members_[m], in_file).get()) < 0) {
        throw std::logic_error("sweep file: HDF5 refuses the member '" + members_[m].name +
                               "': " + recording::hdf5_error_text());
      }
    }
    return row;
  }

  template <typename T>
  void set(std::size_t row, std::size_t member, T value) {
    static_assert(std::is_arithmetic_v<T>);
    std::memcpy(at(row, member), &value, sizeof value);
  }
  void set_text(std::size_t row, std::size_t member, std::string_view text) {
    std::memcpy(at(row, member), text.data(), text.size());  // checked to fit before
  }

  template <typename T>
  T get(std::size_t row, std::size_t member) const {
    T value{};
    std::memcpy(&value, at(row, member), sizeof value);
    return value;
  }
  // Up to the field's first NUL (the writer pads with NULs; a space-padded field is not ours).
  std::string text(std::size_t row, std::size_t member) const {
    const char* field = at(row, member);
    const std::size_t width = members_[member].text_bytes;
    return std::string(field, std::find(field, field + width, '\0'));
  }

 private:
  char* at(std::size_t row, std::size_t member) {
    return bytes_.data() + row * row_bytes_ + offsets_[member];
  }
  const char* at(std::size_t row, std::size_t member) const {
    return bytes_.data() + row * row_bytes_ + offsets_[member];
  }

  std::vector<Member> members_;
  std::vector<std::size_t> offsets_;
  std::size_t row_bytes_ = 0;
  std::vector<char> bytes_;
};

inline Member text_member(std::string name, std::size_t longest) {
  // A field of no bytes is no HDF5 string type: an empty table or empty texts take one.
  return {std::move(name), Kind::kText, std::max<std::size_t>(longest, 1)};
}

// The members of each table but /replications, for the writer and the reader alike; text widths
// are the writer's (the reader takes the file's).
inline std::vector<Member> variant_members(std::size_t name_bytes) {
  return {{"index", Kind::kUInt32}, text_member("name", name_bytes)};
}
inline std::vector<Member> variant_column_members(std::size_t column_bytes) {
  return {{"variant", Kind::kUInt32}, text_member("column", column_bytes)};
}
inline std::vector<Member> deadlock_members(std::size_t element_bytes, std::size_t state_bytes) {
  return {{"variant", Kind::kUInt32},
          {"replication", Kind::kUInt32},
          {"cycle", Kind::kUInt8},
          {"position", Kind::kUInt32},
          text_member("element", element_bytes),
          {"parts", Kind::kUInt64},
          text_member("state", state_bytes)};
}
inline std::vector<Member> summary_members(std::size_t kpi_bytes) {
  return {{"variant", Kind::kUInt32},   text_member("kpi", kpi_bytes), {"mean", Kind::kFloat64},
          {"ci95_low", Kind::kFloat64}, {"ci95_high", Kind::kFloat64}, {"stdev", Kind::kFloat64},
          {"n", Kind::kUInt64}};
}

// ReplicationTable's column of the replication's number is the leading column of the same name:
// the same number, stored once, as the integer it is.
constexpr const char* kReplicationColumn = "replication";
constexpr std::size_t kLeadingColumn = std::numeric_limits<std::size_t>::max();

// The KPI columns of all variants: variant 0's, then each later variant's new names in its order;
// and where each variant's columns are among them (kLeadingColumn: the replication's number).
struct ColumnUnion {
  std::vector<std::string> names;
  std::vector<std::vector<std::size_t>> of_variant;  // [variant][its column] -> union index

  explicit ColumnUnion(const std::vector<SweepFileVariant>& variants) {
    std::unordered_map<std::string, std::size_t> index{{kReplicationColumn, kLeadingColumn}};
    for (const SweepFileVariant& variant : variants) {
      std::vector<std::size_t>& positions = of_variant.emplace_back();
      for (const std::string& column : variant.columns) {
        const auto [it, added] = index.try_emplace(column, names.size());
        if (added) names.push_back(column);
        positions.push_back(it->second);
      }
    }
  }
};

// The union's columns cut, in order, into tables whose types HDF5 can store: [first, end) of
// each. There is always one table, if only of the leading two columns.
inline std::vector<std::pair<std::size_t, std::size_t>> split_columns(
    const std::vector<std::string>& names) {
  const std::size_t leading = 2 * (sizeof "replication" + kMemberCostBytes);
  std::vector<std::pair<std::size_t, std::size_t>> tables{{0, 0}};
  std::size_t cost = leading;
  for (std::size_t c = 0; c < names.size(); ++c) {
    const std::size_t member = names[c].size() + 1 + kMemberCostBytes;
    if (cost + member > kTypeBudgetBytes && tables.back().second > tables.back().first) {
      tables.emplace_back(c, c);
      cost = leading;
    }
    cost += member;
    tables.back().second = c + 1;
  }
  return tables;
}

}  // namespace linetwin::sweep_tables
