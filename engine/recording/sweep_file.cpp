// Writing and reading a sweep's HDF5 file (sweep_file.hpp).
//
// Every table is a one-dimensional compound dataset, contiguous and written once: the file is
// made whole in a temporary file and renamed, so it never needs to grow and nothing in it is
// chunked. Rows are packed without gaps in memory and in the file alike (RowBuffer), in native
// types in memory and little-endian ones in the file, which HDF5 converts between.
//
// Why /replications may continue in /replications_2, ...: HDF5 stores a dataset's type in one
// object-header message of at most 64 KiB, and a float member costs its name and about 25 bytes,
// so one table holds some 1,500 KPI columns (h5py fails the same way: "object header message is
// too large"). line_100_stations has 2,225. The columns are cut, in order, into tables that fit,
// each with the same leading variant and replication columns and the same rows, so that each
// table is a DataFrame of its own and the tables join side by side.
//
// The reader trusts nothing in the file, as the recording reader does (recording_reader.cpp):
// attributes and members are checked for class, size and kind before they are read, strings are
// fixed-length only, a table may not claim more rows than its storage holds (so memory follows
// the file's size), and the rows are checked against each other: indices in range, no
// replication twice, every value outside a variant's own columns NaN.
#include "recording/sweep_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/utf8.hpp"
#include "linetwin_version.hpp"
#include "recording/recording_hdf5.hpp"

namespace linetwin {
namespace {

using recording::Hid;

constexpr const char* kVariantsTable = "variants";
constexpr const char* kVariantColumnsTable = "variant_columns";
constexpr const char* kReplicationsTable = "replications";
constexpr const char* kDeadlocksTable = "deadlocks";
constexpr const char* kSummaryTable = "summary";

// Text bounds, the same for the writer (which refuses more) and the reader: names, ids, paths
// and states; and the settings' JSON.
constexpr std::size_t kMaxNameBytes = recording::kMaxAttributeTextBytes;
constexpr std::size_t kMaxSettingsBytes = std::size_t{1} << 20;
// A compound type's description must fit HDF5's 64 KiB header message: a member costs its name,
// a NUL, its offset and its type's description (20 bytes for a float); this counts 32.
constexpr std::size_t kTypeBudgetBytes = 60000;
constexpr std::size_t kMemberCostBytes = 32;
constexpr std::size_t kMaxReplicationTables = 4096;

std::string replications_table_name(std::size_t table) {
  return table == 0 ? kReplicationsTable : fmt::format("{}_{}", kReplicationsTable, table + 1);
}

// --- rows -----------------------------------------------------------------------------------

enum class Kind : std::uint8_t { kUInt8, kUInt32, kUInt64, kFloat64, kText };

struct Member {
  std::string name;
  Kind kind = Kind::kFloat64;
  std::size_t text_bytes = 0;  // kText: the field's width
};

std::size_t member_bytes(const Member& member) {
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

Hid member_type(const Member& member, bool in_file) {
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

Member text_member(std::string name, std::size_t longest) {
  // A field of no bytes is no HDF5 string type: an empty table or empty texts take one.
  return {std::move(name), Kind::kText, std::max<std::size_t>(longest, 1)};
}

// The members of each table but /replications, for the writer and the reader alike; text widths
// are the writer's (the reader takes the file's).
std::vector<Member> variant_members(std::size_t name_bytes) {
  return {{"index", Kind::kUInt32}, text_member("name", name_bytes)};
}
std::vector<Member> variant_column_members(std::size_t column_bytes) {
  return {{"variant", Kind::kUInt32}, text_member("column", column_bytes)};
}
std::vector<Member> deadlock_members(std::size_t element_bytes, std::size_t state_bytes) {
  return {{"variant", Kind::kUInt32},
          {"replication", Kind::kUInt32},
          {"cycle", Kind::kUInt8},
          {"position", Kind::kUInt32},
          text_member("element", element_bytes),
          {"parts", Kind::kUInt64},
          text_member("state", state_bytes)};
}
std::vector<Member> summary_members(std::size_t kpi_bytes) {
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
std::vector<std::pair<std::size_t, std::size_t>> split_columns(
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

// --- writing --------------------------------------------------------------------------------

class SweepFileWriter {
 public:
  SweepFileWriter(const std::string& path, const std::string& flag, const SweepFile& file)
      : path_(path), flag_(flag), file_(file), columns_(file.variants) {}

  void write() {
    check_texts();  // before any file exists, so that what cannot be written leaves none
    reserve_temporary();
    try {
      const Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
      // The 1.10 format, whose metadata carries checksums (the reader refuses older ones).
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
      Hid hdf5(H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
      if (!hdf5.valid()) fail_hdf5();
      write_attributes(hdf5.get());
      write_variants(hdf5.get());
      write_replications(hdf5.get());
      write_deadlocks(hdf5.get());
      write_summary(hdf5.get());
      if (!hdf5.reset()) fail_hdf5();
      take_name();
    } catch (...) {
      ::unlink(temporary_.c_str());
      throw;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw InputError({path_, 0, 0, flag_}, "cannot write the sweep file: " + reason);
  }
  // `what`: the attribute or table being written, if any.
  [[noreturn]] void fail_hdf5(const std::string& what = "") const {
    fail(fmt::format("HDF5: {}{}", recording::hdf5_error_text(),
                     what.empty() ? "" : " (writing " + what + ")"));
  }

  // What the reader would refuse is refused here: text longer than its bound or not UTF-8.
  void check_text(std::string_view text, std::size_t max_bytes, const std::string& field) const {
    if (text.size() > max_bytes) {
      throw InputError({path_, 0, 0, field},
                       fmt::format("expected at most {} bytes, found {}: a sweep file holds no "
                                   "longer text",
                                   max_bytes, text.size()));
    }
    if (!is_utf8(text)) {
      throw InputError({path_, 0, 0, field},
                       "expected UTF-8 text, found bytes that are not valid UTF-8");
    }
  }

  void check_texts() const {
    const SweepFileIdentity& identity = file_.identity;
    check_text(identity.scenario, kMaxNameBytes, "attrs.scenario");
    check_text(identity.scenario_fingerprint, kMaxNameBytes, "attrs.scenario_fingerprint");
    check_text(identity.settings, kMaxSettingsBytes, "attrs.settings");
    for (std::size_t v = 0; v < file_.variants.size(); ++v) {
      const SweepFileVariant& variant = file_.variants[v];
      check_text(variant.name, kMaxNameBytes, fmt::format("/variants[{}].name", v));
      assert(std::set<std::string>(variant.columns.begin(), variant.columns.end()).size() ==
             variant.columns.size());
      for (const std::string& column : variant.columns) {
        // ReplicationTable's names: never empty, never the leading column's "variant".
        assert(!column.empty() && column != "variant");
        check_text(column, kMaxNameBytes,
                   fmt::format("/variant_columns.column ({})", variant.name));
      }
      const auto replication_column =
          std::find(variant.columns.begin(), variant.columns.end(), kReplicationColumn);
      for (const SweepFileVariant::Row& row : variant.rows) {
        assert(row.values.size() == variant.columns.size());
        // Not an assert: a file that lost the number must not be written, even in a release.
        const double number = static_cast<double>(row.replication);
        if (replication_column != variant.columns.end() &&
            std::bit_cast<std::uint64_t>(
                row.values[replication_column - variant.columns.begin()]) !=
                std::bit_cast<std::uint64_t>(number)) {
          throw std::logic_error(fmt::format(
              "{}: variant {}'s replication {} has another number in its column 'replication'",
              path_, variant.name, row.replication));
        }
        for (const SweepFileVariant::Row::Held& held : row.deadlocked) {
          const std::string field =
              fmt::format("/deadlocks ({}, replication {})", variant.name, row.replication);
          check_text(held.element, kMaxNameBytes, field + ".element");
          check_text(held.state, kMaxNameBytes, field + ".state");
        }
      }
      for (const auto& [kpi, estimate] : variant.summary) {
        check_text(kpi, kMaxNameBytes, fmt::format("/summary.kpi ({})", variant.name));
      }
    }
  }

  // A new file beside the target that nobody else has opened (O_EXCL), for HDF5 to fill.
  void reserve_temporary() {
    for (int attempt = 0;; ++attempt) {
      temporary_ = fmt::format("{}.{}-{}.tmp", path_, ::getpid(), attempt);
      const int fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      if (errno != EEXIST || attempt == 100) fail(std::strerror(errno));
    }
  }

  // The finished file takes the target's name (atomically, within one file system), after it is
  // on disk, with the permissions of the file it replaces, if any.
  void take_name() const {
    const int fd = ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
    bool done = fd >= 0;
    struct stat existing {};
    if (done && ::stat(path_.c_str(), &existing) == 0)
      done = ::fchmod(fd, existing.st_mode & 07777) == 0;
    done = done && ::fsync(fd) == 0;
    if (fd >= 0) done = ::close(fd) == 0 && done;
    if (!done || ::rename(temporary_.c_str(), path_.c_str()) != 0) fail(std::strerror(errno));
  }

  void write_text_attribute(hid_t file, const char* name, const std::string& value) const {
    const Hid type = recording::text_type(std::max<std::size_t>(value.size(), 1));
    const Hid space(H5Screate(H5S_SCALAR), H5Sclose);
    const Hid attribute(H5Acreate2(file, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                        H5Aclose);
    if (!attribute.valid() || H5Awrite(attribute.get(), type.get(), value.c_str()) < 0)
      fail_hdf5(std::string("attrs.") + name);
  }

  void write_number_attribute(hid_t file, const char* name, std::uint64_t value,
                              hid_t file_type) const {
    const Hid space(H5Screate(H5S_SCALAR), H5Sclose);
    const Hid attribute(H5Acreate2(file, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                        H5Aclose);
    if (!attribute.valid() || H5Awrite(attribute.get(), H5T_NATIVE_UINT64, &value) < 0)
      fail_hdf5(std::string("attrs.") + name);
  }

  void write_attributes(hid_t file) const {
    const SweepFileIdentity& identity = file_.identity;
    write_text_attribute(file, "schema", kSweepSchema);
    write_text_attribute(file, "linetwin_version", kLinetwinVersion);
    write_text_attribute(file, "scenario", identity.scenario);
    write_text_attribute(file, "scenario_fingerprint", identity.scenario_fingerprint);
    write_text_attribute(file, "settings", identity.settings);
    write_number_attribute(file, "seed", identity.seed, H5T_STD_U64LE);
    write_number_attribute(file, "replications", identity.replications, H5T_STD_U32LE);
    write_number_attribute(file, "shard_index", identity.shard_index, H5T_STD_U32LE);
    write_number_attribute(file, "shard_count", identity.shard_count, H5T_STD_U32LE);
  }

  void write_table(hid_t file, const std::string& name, const RowBuffer& rows) const {
    const auto count = static_cast<hsize_t>(rows.rows());
    const Hid space(H5Screate_simple(1, &count, nullptr), H5Sclose);
    const Hid dataset(H5Dcreate2(file, name.c_str(), rows.type(true).get(), space.get(),
                                 H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      H5Dclose);
    if (!dataset.valid()) fail_hdf5("/" + name);
    if (count > 0 && H5Dwrite(dataset.get(), rows.type(false).get(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                              rows.data()) < 0)
      fail_hdf5("/" + name);
  }

  void write_variants(hid_t file) const {
    std::size_t longest_name = 0, longest_column = 0, column_rows = 0;
    for (const SweepFileVariant& variant : file_.variants) {
      longest_name = std::max(longest_name, variant.name.size());
      for (const std::string& column : variant.columns)
        longest_column = std::max(longest_column, column.size());
      column_rows += variant.columns.size();
    }
    RowBuffer variants(variant_members(longest_name), file_.variants.size());
    RowBuffer columns(variant_column_members(longest_column), column_rows);
    std::size_t row = 0;
    for (std::size_t v = 0; v < file_.variants.size(); ++v) {
      variants.set(v, 0, static_cast<std::uint32_t>(v));
      variants.set_text(v, 1, file_.variants[v].name);
      for (const std::string& column : file_.variants[v].columns) {
        columns.set(row, 0, static_cast<std::uint32_t>(v));
        columns.set_text(row++, 1, column);
      }
    }
    write_table(file, kVariantsTable, variants);
    write_table(file, kVariantColumnsTable, columns);
  }

  void write_replications(hid_t file) const {
    std::size_t rows = 0;
    for (const SweepFileVariant& variant : file_.variants)
      rows += variant.rows.size();
    const auto tables = split_columns(columns_.names);
    for (std::size_t t = 0; t < tables.size(); ++t) {
      const auto [first, end] = tables[t];
      std::vector<Member> members{{"variant", Kind::kUInt32}, {kReplicationColumn, Kind::kUInt32}};
      for (std::size_t c = first; c < end; ++c)
        members.push_back({columns_.names[c], Kind::kFloat64});
      RowBuffer table(std::move(members), rows);
      std::size_t row = 0;
      for (std::size_t v = 0; v < file_.variants.size(); ++v) {
        // Where each of the table's columns is among the variant's, if it has it.
        std::vector<std::optional<std::size_t>> source(end - first);
        const std::vector<std::size_t>& positions = columns_.of_variant[v];
        for (std::size_t i = 0; i < positions.size(); ++i) {
          if (positions[i] >= first && positions[i] < end) source[positions[i] - first] = i;
        }
        for (const SweepFileVariant::Row& r : file_.variants[v].rows) {
          table.set(row, 0, static_cast<std::uint32_t>(v));
          table.set(row, 1, r.replication);
          for (std::size_t c = 0; c < source.size(); ++c) {
            table.set(row, 2 + c,
                      source[c] ? r.values[*source[c]] : std::numeric_limits<double>::quiet_NaN());
          }
          ++row;
        }
      }
      write_table(file, replications_table_name(t), table);
    }
  }

  void write_deadlocks(hid_t file) const {
    std::size_t rows = 0, longest_element = 0, longest_state = 0;
    for (const SweepFileVariant& variant : file_.variants) {
      for (const SweepFileVariant::Row& row : variant.rows) {
        rows += row.deadlocked.size();
        for (const SweepFileVariant::Row::Held& held : row.deadlocked) {
          longest_element = std::max(longest_element, held.element.size());
          longest_state = std::max(longest_state, held.state.size());
        }
      }
    }
    RowBuffer table(deadlock_members(longest_element, longest_state), rows);
    std::size_t row = 0;
    for (std::size_t v = 0; v < file_.variants.size(); ++v) {
      for (const SweepFileVariant::Row& r : file_.variants[v].rows) {
        for (std::size_t p = 0; p < r.deadlocked.size(); ++p) {
          table.set(row, 0, static_cast<std::uint32_t>(v));
          table.set(row, 1, r.replication);
          table.set(row, 2, static_cast<std::uint8_t>(r.cycle ? 1 : 0));
          table.set(row, 3, static_cast<std::uint32_t>(p));
          table.set_text(row, 4, r.deadlocked[p].element);
          table.set(row, 5, r.deadlocked[p].parts);
          table.set_text(row++, 6, r.deadlocked[p].state);
        }
      }
    }
    write_table(file, kDeadlocksTable, table);
  }

  // Absent, rather than empty, when no variant has a summary: a shard has none.
  void write_summary(hid_t file) const {
    std::size_t rows = 0, longest_kpi = 0;
    for (const SweepFileVariant& variant : file_.variants) {
      rows += variant.summary.size();
      for (const auto& [kpi, estimate] : variant.summary)
        longest_kpi = std::max(longest_kpi, kpi.size());
    }
    if (rows == 0) return;
    RowBuffer table(summary_members(longest_kpi), rows);
    std::size_t row = 0;
    for (std::size_t v = 0; v < file_.variants.size(); ++v) {
      for (const auto& [kpi, estimate] : file_.variants[v].summary) {
        table.set(row, 0, static_cast<std::uint32_t>(v));
        table.set_text(row, 1, kpi);
        table.set(row, 2, estimate.mean);
        table.set(row, 3, estimate.ci_low);
        table.set(row, 4, estimate.ci_high);
        table.set(row, 5, estimate.stdev);
        table.set(row++, 6, static_cast<std::uint64_t>(estimate.replications));
      }
    }
    write_table(file, kSummaryTable, table);
  }

  const std::string& path_;
  const std::string& flag_;
  const SweepFile& file_;
  ColumnUnion columns_;
  std::string temporary_;
};

// --- reading --------------------------------------------------------------------------------

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

std::string expected(Kind kind, std::size_t max_text_bytes = kMaxNameBytes) {
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
bool fits(hid_t type, Kind kind, std::size_t max_text_bytes = kMaxNameBytes) {
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

  std::string text_attribute(const char* name, std::size_t max_bytes = kMaxNameBytes) const {
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

void write_sweep_file(const std::string& path, const std::string& flag, const SweepFile& file) {
  const recording::QuietHdf5Errors quiet;
  SweepFileWriter(path, flag, file).write();
}

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
