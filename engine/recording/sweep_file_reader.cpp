// Reading a sweep's HDF5 file (sweep_file.hpp; the tables in sweep_file_tables.hpp).
//
// The reader trusts nothing in the file, as the recording reader does (recording_reader.cpp):
// attributes and members are checked for class, size and kind before they are read, strings are
// fixed-length only, a table may not claim more rows than its storage holds (so memory follows
// the file's size), and the rows are checked against each other: indices in range, no
// replication twice, every value outside a variant's own columns NaN.
#include "recording/sweep_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/utf8.hpp"
#include "recording/recording_hdf5.hpp"
#include "recording/sweep_file_tables.hpp"

namespace linetwin {
namespace {

using namespace sweep_tables;
using recording::Hid;

std::string describe(hid_t type) {
  const std::size_t size = H5Tget_size(type);
  const std::string bytes = fmt::format("{} byte{}", size, size == 1 ? "" : "s");
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return fmt::format("{} integer of {}",
                         H5Tget_sign(type) == H5T_SGN_NONE ? "an unsigned" : "a signed", bytes);
    case H5T_FLOAT:
      return "a floating-point number of " + bytes;
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0 ? "a variable-length string"
                                          : "a fixed-length string of " + bytes;
    case H5T_COMPOUND:
      return "a compound type (a table row)";
    default:
      return "another kind of HDF5 type";
  }
}

std::string expected(Kind kind, std::size_t max_text_bytes = kMaxTableTextBytes) {
  switch (kind) {
    case Kind::kUInt8:
      return "an unsigned integer of 1 byte (uint8)";
    case Kind::kUInt32:
      return "an unsigned integer of at most 4 bytes (uint32)";
    case Kind::kUInt64:
      return "an unsigned integer of at most 8 bytes (uint64)";
    case Kind::kFloat64:
      return "a floating-point number of at most 8 bytes (float64)";
    case Kind::kText:
      return fmt::format("a fixed-length UTF-8 string of at most {} bytes", max_text_bytes);
  }
  return "";
}

// Whether HDF5 converts the file's member to ours without loss (and never through a pointer in
// the file, as it would for a variable-length string).
bool fits(hid_t type, Kind kind, std::size_t max_text_bytes = kMaxTableTextBytes) {
  const H5T_class_t type_class = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  const bool is_unsigned = type_class == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE;
  switch (kind) {
    case Kind::kUInt8:
      return is_unsigned && size == 1;
    case Kind::kUInt32:
      return is_unsigned && size <= 4;
    case Kind::kUInt64:
      return is_unsigned && size <= 8;
    case Kind::kFloat64:
      return type_class == H5T_FLOAT && size <= 8;
    case Kind::kText:
      return type_class == H5T_STRING && H5Tis_variable_str(type) == 0 && size >= 1 &&
             size <= max_text_bytes;
  }
  return false;
}

class SweepFileReader {
 public:
  explicit SweepFileReader(const std::string& path) : path_(path) {}

  SweepFile read() {
    open();
    SweepFile file;
    read_identity(file.identity);
    read_variants(file.variants);
    read_variant_columns(file.variants);
    read_replications(file.variants);
    read_deadlocks(file.variants);
    read_summary(file.variants);
    return file;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError({path_, 0, 0, field}, message);
  }
  [[noreturn]] void fail_read(const std::string& field) const {
    fail(field,
         "cannot read: " + recording::hdf5_error_text() + " (the file is damaged or cut short)");
  }

  void open() {
    std::error_code error;
    if (!std::filesystem::exists(path_, error))
      fail("", "cannot read the sweep file: no such file");
    if (!std::filesystem::is_regular_file(path_, error)) {
      fail("", "not a file; expected a linetwin sweep file (docs/experiments.md)");
    }
    file_bytes_ = std::filesystem::file_size(path_, error);
    // Before superblock version 2 the format kept no checksums on its metadata, so a flipped
    // bit is misread rather than caught.
    const std::optional<int> version = recording::superblock_version(path_);
    if (!version) {
      fail("", "not an HDF5 file; expected a linetwin sweep file (docs/experiments.md)");
    }
    if (*version < 2) {
      fail("", fmt::format("expected the HDF5 format of version 1.8 or later (superblock 2 or 3), "
                           "as linetwin writes it; found superblock {}",
                           *version));
    }
    file_ = Hid(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file_.valid()) {
      fail("", "cannot open the sweep file: " + recording::hdf5_error_text() +
                   " (the file is damaged or cut short)");
    }
  }

  // --- attributes ---

  // An attribute of the root and its type, checked: one value, of a type that `kind` takes
  // without loss (a string of at most `max_text_bytes`), stored in as many bytes as its type has.
  std::pair<Hid, Hid> attribute(const char* name, Kind kind, std::size_t max_text_bytes) const {
    const std::string field = std::string("attrs.") + name;
    const htri_t exists = H5Aexists(file_.get(), name);
    if (exists < 0) fail_read("attrs");
    if (exists == 0) fail(field, "missing: expected " + expected(kind, max_text_bytes));
    Hid attribute(H5Aopen(file_.get(), name, H5P_DEFAULT), H5Aclose);
    if (!attribute.valid()) fail_read(field);
    const Hid space(H5Aget_space(attribute.get()), H5Sclose);
    Hid type(H5Aget_type(attribute.get()), H5Tclose);
    if (!space.valid() || !type.valid()) fail_read(field);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) {
      fail(field, "expected a single value, found an array or no value");
    }
    if (!fits(type.get(), kind, max_text_bytes)) {
      fail(field, "expected " + expected(kind, max_text_bytes) + ", found " + describe(type.get()));
    }
    if (H5Aget_storage_size(attribute.get()) != H5Tget_size(type.get())) {
      fail(field,
           "its value is stored in fewer or more bytes than its type has: the file is "
           "damaged");
    }
    return {std::move(attribute), std::move(type)};
  }

  std::string text_attribute(const char* name, std::size_t max_bytes = kMaxTableTextBytes) const {
    const auto [attribute, type] = this->attribute(name, Kind::kText, max_bytes);
    std::string data(H5Tget_size(type.get()), '\0');
    if (H5Aread(attribute.get(), type.get(), data.data()) < 0) {
      fail_read(std::string("attrs.") + name);
    }
    std::string value(data.c_str());
    if (!is_utf8(value)) {
      fail(std::string("attrs.") + name,
           "expected UTF-8 text, found bytes that are not valid UTF-8");
    }
    return value;
  }

  std::uint64_t number_attribute(const char* name, Kind kind) const {
    const auto [attribute, type] = this->attribute(name, kind, 0);
    std::uint64_t value = 0;
    if (H5Aread(attribute.get(), H5T_NATIVE_UINT64, &value) < 0) {
      fail_read(std::string("attrs.") + name);
    }
    return value;
  }

  void read_identity(SweepFileIdentity& identity) const {
    const htri_t has_schema = H5Aexists(file_.get(), "schema");
    if (has_schema < 0) fail_read("attrs");
    if (has_schema == 0) {
      fail("attrs.schema", fmt::format("missing: expected the string \"{}\" (this is not a "
                                       "linetwin sweep file)",
                                       kSweepSchema));
    }
    const std::string schema = text_attribute("schema");
    if (schema != kSweepSchema) {
      fail("attrs.schema", fmt::format("expected \"{}\", found \"{}\"{}", kSweepSchema, schema,
                                       schema.starts_with("linetwin.sweep/")
                                           ? " (a sweep file of another version of the format)"
                                           : " (this is not a linetwin sweep file)"));
    }
    identity.scenario = text_attribute("scenario");
    identity.scenario_fingerprint = text_attribute("scenario_fingerprint");
    identity.settings = text_attribute("settings", kMaxSettingsBytes);
    identity.seed = number_attribute("seed", Kind::kUInt64);
    identity.replications =
        static_cast<std::uint32_t>(number_attribute("replications", Kind::kUInt32));
    identity.shard_index =
        static_cast<std::uint32_t>(number_attribute("shard_index", Kind::kUInt32));
    identity.shard_count =
        static_cast<std::uint32_t>(number_attribute("shard_count", Kind::kUInt32));
    if (identity.shard_count == 0 || identity.shard_index == 0 ||
        identity.shard_index > identity.shard_count) {
      fail("attrs.shard_index",
           fmt::format("expected a shard from 1 to shard_count, found shard {} of {}",
                       identity.shard_index, identity.shard_count));
    }
  }

  // --- tables ---

  struct Table {
    Hid dataset;
    Hid type;
    hsize_t rows = 0;
  };

  // A one-dimensional compound dataset stored contiguously, as linetwin writes them, that holds
  // in its storage every row it claims; nullopt when it is absent and not `required`.
  std::optional<Table> open_table(const std::string& name, bool required) const {
    const std::string field = "/" + name;
    const htri_t exists = H5Lexists(file_.get(), name.c_str(), H5P_DEFAULT);
    if (exists < 0) fail_read(field);
    if (exists == 0) {
      if (!required) return std::nullopt;
      fail(field, "missing: expected a table (docs/experiments.md, \"HDF5\")");
    }
    Table table;
    table.dataset = Hid(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!table.dataset.valid()) fail(field, "expected a dataset: " + recording::hdf5_error_text());
    const Hid space(H5Dget_space(table.dataset.get()), H5Sclose);
    table.type = Hid(H5Dget_type(table.dataset.get()), H5Tclose);
    const Hid properties(H5Dget_create_plist(table.dataset.get()), H5Pclose);
    if (!space.valid() || !table.type.valid() || !properties.valid()) fail_read(field);
    if (H5Sget_simple_extent_ndims(space.get()) != 1) {
      fail(field, "expected a one-dimensional dataset (a table)");
    }
    H5Sget_simple_extent_dims(space.get(), &table.rows, nullptr);
    if (H5Tget_class(table.type.get()) != H5T_COMPOUND) {
      fail(field, "expected a table of compound rows, found " + describe(table.type.get()));
    }
    const H5D_layout_t layout = H5Pget_layout(properties.get());
    if (layout != H5D_CONTIGUOUS && layout != H5D_COMPACT) {
      fail(field, "expected a contiguous dataset, as linetwin writes them, found another layout");
    }
    const std::size_t row_bytes = H5Tget_size(table.type.get());
    if (row_bytes == 0) fail_read(field);
    // Rows stored contiguously lie within the file, whatever the file says of its storage.
    if (table.rows > file_bytes_ / row_bytes) {
      fail(field, fmt::format("holds {} rows of {} bytes, more than the file's {} bytes: the file "
                              "is damaged",
                              table.rows, row_bytes, file_bytes_));
    }
    if (table.rows > H5Dget_storage_size(table.dataset.get()) / row_bytes) {
      fail(field, fmt::format("holds {} rows of {} bytes, but only {} bytes are stored: the file "
                              "is damaged or cut short",
                              table.rows, row_bytes, H5Dget_storage_size(table.dataset.get())));
    }
    return table;
  }

  // The names of a table's members, in the file's order.
  std::vector<std::string> member_names(const Table& table, const std::string& field) const {
    const int count = H5Tget_nmembers(table.type.get());
    if (count < 0) fail_read(field);
    std::vector<std::string> names;
    for (int m = 0; m < count; ++m) {
      char* name = H5Tget_member_name(table.type.get(), static_cast<unsigned>(m));
      if (name == nullptr) fail_read(field);
      names.emplace_back(name);
      H5free_memory(name);
    }
    return names;
  }

  // Reads a table whose members are exactly `members` (in any order, of types that fit); text
  // members take the file's width.
  RowBuffer read_rows(const Table& table, const std::string& name,
                      std::vector<Member> members) const {
    const std::string field = "/" + name;
    const std::vector<std::string> names = member_names(table, field);
    for (const std::string& found : names) {
      const bool known = std::any_of(members.begin(), members.end(),
                                     [&](const Member& member) { return member.name == found; });
      if (!known) {
        std::string listed;
        for (const Member& member : members)
          listed += (listed.empty() ? "" : ", ") + member.name;
        fail(field + "." + found,
             fmt::format("expected no such member: {} has the members {}", field, listed));
      }
    }
    for (Member& member : members) {
      const int index = H5Tget_member_index(table.type.get(), member.name.c_str());
      if (index < 0) fail(field + "." + member.name, "missing: expected " + expected(member.kind));
      const Hid type(H5Tget_member_type(table.type.get(), static_cast<unsigned>(index)), H5Tclose);
      if (!type.valid()) fail_read(field);
      if (!fits(type.get(), member.kind)) {
        fail(field + "." + member.name,
             "expected " + expected(member.kind) + ", found " + describe(type.get()));
      }
      if (member.kind == Kind::kText) member.text_bytes = H5Tget_size(type.get());
    }
    RowBuffer rows(std::move(members), table.rows);
    if (table.rows > 0 && H5Dread(table.dataset.get(), rows.type(false).get(), H5S_ALL, H5S_ALL,
                                  H5P_DEFAULT, rows.data()) < 0) {
      fail_read(field);
    }
    return rows;
  }

  RowBuffer read_table(const std::string& name, std::vector<Member> members) const {
    return read_rows(*open_table(name, true), name, std::move(members));
  }

  // A text member's value, checked to be UTF-8.
  std::string text(const RowBuffer& rows, std::size_t row, std::size_t member,
                   const std::string& table) const {
    std::string value = rows.text(row, member);
    if (!is_utf8(value)) {
      fail(fmt::format("/{}[{}].{}", table, row, rows.members()[member].name),
           "expected UTF-8 text, found bytes that are not valid UTF-8");
    }
    return value;
  }

  // A variant index of a row, checked to be in /variants.
  std::uint32_t variant(const RowBuffer& rows, std::size_t row, const std::string& table) const {
    const auto index = rows.get<std::uint32_t>(row, 0);
    if (index >= variants_) {
      fail(fmt::format("/{}[{}].variant", table, row),
           fmt::format("index {} is not in /variants ({} entries)", index, variants_));
    }
    return index;
  }

  void read_variants(std::vector<SweepFileVariant>& variants) {
    const RowBuffer rows = read_table(kVariantsTable, variant_members(0));
    for (std::size_t row = 0; row < rows.rows(); ++row) {
      if (rows.get<std::uint32_t>(row, 0) != row) {
        fail(fmt::format("/variants[{}].index", row),
             fmt::format("expected {} (variants are listed in order), found {}", row,
                         rows.get<std::uint32_t>(row, 0)));
      }
      variants.emplace_back().name = text(rows, row, 1, kVariantsTable);
    }
    variants_ = variants.size();
  }

  void read_variant_columns(std::vector<SweepFileVariant>& variants) {
    const RowBuffer rows = read_table(kVariantColumnsTable, variant_column_members(0));
    std::vector<std::set<std::string>> seen(variants.size());
    for (std::size_t row = 0; row < rows.rows(); ++row) {
      const std::uint32_t v = variant(rows, row, kVariantColumnsTable);
      std::string column = text(rows, row, 1, kVariantColumnsTable);
      if (column.empty() || column == "variant" || !seen[v].insert(column).second) {
        fail(fmt::format("/variant_columns[{}].column", row),
             fmt::format("expected a KPI name not yet listed for variant {}, found \"{}\"", v,
                         column));
      }
      variants[v].columns.push_back(std::move(column));
    }
  }

  // The KPI tables: /replications and its continuations, each with the same variant and
  // replication columns. Each variant's values come from the members of its own columns; every
  // other value must be NaN.
  void read_replications(std::vector<SweepFileVariant>& variants) const {
    std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> where;  // table, member
    std::vector<RowBuffer> tables;
    for (std::size_t t = 0; t < kMaxReplicationTables; ++t) {
      const std::string name = replications_table_name(t);
      std::optional<Table> table = open_table(name, t == 0);
      if (!table) break;
      std::vector<Member> members{{"variant", Kind::kUInt32}, {kReplicationColumn, Kind::kUInt32}};
      for (std::string& member : member_names(*table, "/" + name)) {
        if (member == "variant" || member == kReplicationColumn) continue;
        if (!where.try_emplace(member, t, members.size()).second) {
          fail("/" + name + "." + member, "expected each KPI in one table only, found it twice");
        }
        members.push_back({std::move(member), Kind::kFloat64});
      }
      tables.push_back(read_rows(*table, name, std::move(members)));
      check_same_rows(tables.front(), tables.back(), name);
    }
    const RowBuffer& first = tables.front();
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (std::size_t row = 0; row < first.rows(); ++row) {
      const std::uint32_t v = variant(first, row, kReplicationsTable);
      const auto replication = first.get<std::uint32_t>(row, 1);
      if (!seen.emplace(v, replication).second) {
        fail(fmt::format("/replications[{}]", row),
             fmt::format("expected each replication of a variant once, found replication {} of "
                         "variant {} again",
                         replication, v));
      }
      SweepFileVariant::Row& out = variants[v].rows.emplace_back();
      out.replication = replication;
      for (const std::string& column : variants[v].columns) {
        if (column == kReplicationColumn) {
          out.values.push_back(replication);
          continue;
        }
        const auto found = where.find(column);
        if (found == where.end()) {
          fail("/replications." + column,
               fmt::format("missing: /variant_columns lists it for variant {}", v));
        }
        out.values.push_back(tables[found->second.first].get<double>(row, found->second.second));
      }
    }
    check_nan_elsewhere(variants, tables);
  }

  // A continuation table holds the same rows as /replications: variant and replication alike.
  void check_same_rows(const RowBuffer& first, const RowBuffer& table,
                       const std::string& name) const {
    for (std::size_t row = 0; row < std::max(first.rows(), table.rows()); ++row) {
      if (row >= first.rows() || row >= table.rows() ||
          first.get<std::uint32_t>(row, 0) != table.get<std::uint32_t>(row, 0) ||
          first.get<std::uint32_t>(row, 1) != table.get<std::uint32_t>(row, 1)) {
        fail(fmt::format("/{}[{}]", name, row),
             fmt::format("expected the rows of /replications ({} rows), variant and replication "
                         "alike; {} has {}",
                         first.rows(), name, table.rows()));
      }
    }
  }

  // A value where its variant has no such column is NaN, as the writer leaves it: anything else
  // means /variant_columns and /replications disagree.
  void check_nan_elsewhere(const std::vector<SweepFileVariant>& variants,
                           const std::vector<RowBuffer>& tables) const {
    std::vector<std::unordered_set<std::string_view>> columns(variants.size());
    for (std::size_t v = 0; v < variants.size(); ++v)
      columns[v].insert(variants[v].columns.begin(), variants[v].columns.end());
    std::vector<std::vector<std::vector<bool>>> own(variants.size());  // [variant][table][member]
    for (std::size_t t = 0; t < tables.size(); ++t) {
      for (std::size_t v = 0; v < variants.size(); ++v)
        own[v].emplace_back(tables[t].members().size(), false);
      for (std::size_t m = 2; m < tables[t].members().size(); ++m) {
        bool any = false;
        for (std::size_t v = 0; v < variants.size(); ++v) {
          own[v][t][m] = columns[v].contains(tables[t].members()[m].name);
          any = any || own[v][t][m];
        }
        if (!any) {
          fail(fmt::format("/{}.{}", replications_table_name(t), tables[t].members()[m].name),
               "expected a column of some variant: /variant_columns lists it for none");
        }
      }
    }
    for (std::size_t t = 0; t < tables.size(); ++t) {
      const RowBuffer& table = tables[t];
      for (std::size_t row = 0; row < table.rows(); ++row) {
        const auto v = table.get<std::uint32_t>(row, 0);
        for (std::size_t m = 2; m < table.members().size(); ++m) {
          if (own[v][t][m] || std::isnan(table.get<double>(row, m))) continue;
          fail(fmt::format("/{}[{}].{}", replications_table_name(t), row, table.members()[m].name),
               fmt::format("expected NaN: variant {} has no such column, found {}", v,
                           table.get<double>(row, m)));
        }
      }
    }
  }

  void read_deadlocks(std::vector<SweepFileVariant>& variants) const {
    const RowBuffer rows = read_table(kDeadlocksTable, deadlock_members(0, 0));
    std::map<std::pair<std::uint32_t, std::uint32_t>, SweepFileVariant::Row*> by_replication;
    for (std::size_t v = 0; v < variants.size(); ++v) {
      for (SweepFileVariant::Row& row : variants[v].rows)
        by_replication[{static_cast<std::uint32_t>(v), row.replication}] = &row;
    }
    for (std::size_t row = 0; row < rows.rows(); ++row) {
      const std::uint32_t v = variant(rows, row, kDeadlocksTable);
      const auto replication = rows.get<std::uint32_t>(row, 1);
      const auto found = by_replication.find({v, replication});
      const std::string field = fmt::format("/deadlocks[{}]", row);
      if (found == by_replication.end()) {
        fail(field + ".replication",
             fmt::format("replication {} of variant {} is not in /replications", replication, v));
      }
      SweepFileVariant::Row& target = *found->second;
      const auto cycle = rows.get<std::uint8_t>(row, 2);
      const auto position = rows.get<std::uint32_t>(row, 3);
      if (position != target.deadlocked.size()) {
        fail(field + ".position",
             fmt::format("expected {} (the elements of a deadlock in order), found {}",
                         target.deadlocked.size(), position));
      }
      if (cycle > 1 || (position > 0 && (cycle == 1) != target.cycle)) {
        fail(field + ".cycle",
             fmt::format("expected {} (1: a cycle, 0: stuck parts, the same for every element of "
                         "one deadlock), found {}",
                         position > 0 ? std::to_string(target.cycle ? 1 : 0) : "0 or 1", cycle));
      }
      target.cycle = cycle == 1;
      target.deadlocked.push_back({text(rows, row, 4, kDeadlocksTable),
                                   rows.get<std::uint64_t>(row, 5),
                                   text(rows, row, 6, kDeadlocksTable)});
    }
  }

  void read_summary(std::vector<SweepFileVariant>& variants) const {
    const std::optional<Table> table = open_table(kSummaryTable, false);
    if (!table) return;
    const RowBuffer rows = read_rows(*table, kSummaryTable, summary_members(0));
    for (std::size_t row = 0; row < rows.rows(); ++row) {
      Estimate estimate;
      estimate.mean = rows.get<double>(row, 2);
      estimate.ci_low = rows.get<double>(row, 3);
      estimate.ci_high = rows.get<double>(row, 4);
      estimate.stdev = rows.get<double>(row, 5);
      estimate.replications = rows.get<std::uint64_t>(row, 6);
      // As estimate() decides it; the interval is always the 95% one.
      estimate.has_interval = estimate.replications >= 2;
      variants[variant(rows, row, kSummaryTable)].summary.emplace_back(
          text(rows, row, 1, kSummaryTable), estimate);
    }
  }

  const std::string& path_;
  Hid file_;
  std::uintmax_t file_bytes_ = 0;
  std::size_t variants_ = 0;
};

}  // namespace

SweepFile read_sweep_file(const std::string& path) {
  recording::QuietHdf5Errors quiet;
  try {
    return SweepFileReader(path).read();
  } catch (const InputError&) {
    quiet.keep_quiet();  // HDF5 reports what damaged files leave behind at exit otherwise
    throw;
  }
}

}  // namespace linetwin
