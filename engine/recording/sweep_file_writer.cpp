// Writing a sweep's HDF5 file (sweep_file.hpp; the tables in sweep_file_tables.hpp).
//
// The file is made whole in a temporary file and renamed, so it never needs to grow and nothing
// in it is chunked, and a sweep that fails leaves no half-written file.
#include "recording/sweep_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cerrno>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/utf8.hpp"
#include "linetwin_version.hpp"
#include "recording/recording_hdf5.hpp"
#include "recording/sweep_file_tables.hpp"

namespace linetwin {
namespace {

using namespace sweep_tables;
using recording::Hid;

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
    check_text(identity.scenario, kMaxTableTextBytes, "attrs.scenario");
    check_text(identity.scenario_fingerprint, kMaxTableTextBytes, "attrs.scenario_fingerprint");
    check_text(identity.settings, kMaxSettingsBytes, "attrs.settings");
    for (std::size_t v = 0; v < file_.variants.size(); ++v) {
      const SweepFileVariant& variant = file_.variants[v];
      check_text(variant.name, kMaxTableTextBytes, fmt::format("/variants[{}].name", v));
      assert(std::set<std::string>(variant.columns.begin(), variant.columns.end()).size() ==
             variant.columns.size());
      for (const std::string& column : variant.columns) {
        // ReplicationTable's names: never empty, never the leading column's "variant".
        assert(!column.empty() && column != "variant");
        check_text(column, kMaxTableTextBytes,
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
          check_text(held.element, kMaxTableTextBytes, field + ".element");
          check_text(held.state, kMaxTableTextBytes, field + ".state");
        }
      }
      for (const auto& [kpi, estimate] : variant.summary) {
        check_text(kpi, kMaxTableTextBytes, fmt::format("/summary.kpi ({})", variant.name));
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

}  // namespace

void write_sweep_file(const std::string& path, const std::string& flag, const SweepFile& file) {
  const recording::QuietHdf5Errors quiet;
  SweepFileWriter(path, flag, file).write();
}

}  // namespace linetwin
