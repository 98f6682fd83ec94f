// The sweep's HDF5 file (engine/recording/sweep_file.hpp): what is written reads back exactly, to
// the bit; it replaces a file whole or not at all; and a damaged or foreign file is an InputError
// naming the file and the attribute, table, member or row at fault, never a crash. Damage is done
// with the HDF5 C API on a good file, or on its bytes, never through the writer.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <sys/stat.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/input_error_check.hpp"
#include "recording/sweep_file.hpp"
#include "sweep_file/sample_sweep.hpp"
#include "telemetry/recording_fixture/damaged_recordings.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::input_error;
using linetwin::test::says;
using linetwin::test::damage::check;
using linetwin::test::damage::Id;
using linetwin::test::damage::open_file;

namespace {

std::uint64_t bits(double value) {
  return std::bit_cast<std::uint64_t>(value);
}

// Everything of `read` equals `written`, numbers bit for bit (NaN payloads and -0 included).
void check_same(const SweepFile& read, const SweepFile& written) {
  CHECK(read.identity.scenario == written.identity.scenario);
  CHECK(read.identity.scenario_fingerprint == written.identity.scenario_fingerprint);
  CHECK(read.identity.seed == written.identity.seed);
  CHECK(read.identity.replications == written.identity.replications);
  CHECK(read.identity.settings == written.identity.settings);
  CHECK(read.identity.shard_index == written.identity.shard_index);
  CHECK(read.identity.shard_count == written.identity.shard_count);
  REQUIRE(read.variants.size() == written.variants.size());
  for (std::size_t v = 0; v < written.variants.size(); ++v) {
    const SweepFileVariant& a = read.variants[v];
    const SweepFileVariant& b = written.variants[v];
    CAPTURE(b.name);
    CHECK(a.name == b.name);
    CHECK(a.columns == b.columns);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t r = 0; r < b.rows.size(); ++r) {
      CAPTURE(r);
      CHECK(a.rows[r].replication == b.rows[r].replication);
      REQUIRE(a.rows[r].values.size() == b.rows[r].values.size());
      for (std::size_t c = 0; c < b.rows[r].values.size(); ++c)
        CHECK(bits(a.rows[r].values[c]) == bits(b.rows[r].values[c]));
      CHECK(a.rows[r].cycle == b.rows[r].cycle);
      REQUIRE(a.rows[r].deadlocked.size() == b.rows[r].deadlocked.size());
      for (std::size_t e = 0; e < b.rows[r].deadlocked.size(); ++e) {
        CHECK(a.rows[r].deadlocked[e].element == b.rows[r].deadlocked[e].element);
        CHECK(a.rows[r].deadlocked[e].parts == b.rows[r].deadlocked[e].parts);
        CHECK(a.rows[r].deadlocked[e].state == b.rows[r].deadlocked[e].state);
      }
    }
    REQUIRE(a.summary.size() == b.summary.size());
    for (std::size_t k = 0; k < b.summary.size(); ++k) {
      const Estimate& x = a.summary[k].second;
      const Estimate& y = b.summary[k].second;
      CHECK(a.summary[k].first == b.summary[k].first);
      CHECK(bits(x.mean) == bits(y.mean));
      CHECK(bits(x.ci_low) == bits(y.ci_low));
      CHECK(bits(x.ci_high) == bits(y.ci_high));
      CHECK(bits(x.stdev) == bits(y.stdev));
      CHECK(x.replications == y.replications);
      CHECK(x.has_interval == y.has_interval);
      CHECK(x.confidence == y.confidence);
    }
  }
}

std::vector<std::string> member_names(hid_t file, const char* table) {
  const Id dataset(H5Dopen2(file, table, H5P_DEFAULT), H5Dclose);
  const Id type(H5Dget_type(dataset.id), H5Tclose);
  std::vector<std::string> names;
  for (int m = 0; m < H5Tget_nmembers(type.id); ++m) {
    char* name = H5Tget_member_name(type.id, static_cast<unsigned>(m));
    names.emplace_back(name);
    H5free_memory(name);
  }
  return names;
}

// Sets member `member` of row `row` of `table`, leaving the row's other members as they are.
void set_member(const std::string& path, const char* table, hsize_t row, const char* member,
                hid_t native_type, const void* value) {
  const Id file = open_file(path);
  const Id dataset(H5Dopen2(file.id, table, H5P_DEFAULT), H5Dclose);
  const Id type(H5Tcreate(H5T_COMPOUND, H5Tget_size(native_type)), H5Tclose);
  check(H5Tinsert(type.id, member, 0, native_type));
  const Id rows(H5Dget_space(dataset.id), H5Sclose);
  const hsize_t one = 1;
  check(H5Sselect_hyperslab(rows.id, H5S_SELECT_SET, &row, nullptr, &one, nullptr));
  const Id memory(H5Screate_simple(1, &one, nullptr), H5Sclose);
  check(H5Dwrite(dataset.id, type.id, memory.id, rows.id, H5P_DEFAULT, value));
}

void set_text_member(const std::string& path, const char* table, hsize_t row, const char* member,
                     const std::string& text) {
  std::size_t width = 0;
  {
    const Id file = open_file(path);
    const Id dataset(H5Dopen2(file.id, table, H5P_DEFAULT), H5Dclose);
    const Id type(H5Dget_type(dataset.id), H5Tclose);
    const Id member_type(
        H5Tget_member_type(type.id, static_cast<unsigned>(H5Tget_member_index(type.id, member))),
        H5Tclose);
    width = H5Tget_size(member_type.id);
  }
  REQUIRE(text.size() <= width);
  std::string field(width, '\0');
  field.replace(0, text.size(), text);
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(H5Tset_size(type.id, width));
  check(H5Tset_cset(type.id, H5T_CSET_UTF8));
  set_member(path, table, row, member, type.id, field.data());
}

// The files in a folder, by name.
std::vector<std::string> listing(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("a shard's sweep file reads back exactly: two column sets, NaN, a deadlock") {
  const test::TempDir dir;
  const std::string path = dir.path() + "/shard.h5";
  SweepFile file = test::sample_sweep();
  // Values a conversion would change: a NaN with a payload, -0, infinities, the smallest
  // subnormal, and counts at the edge of exact doubles.
  std::vector<double>& values = file.variants[1].rows[0].values;
  values[1] = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'0000'0abc});
  values[2] = -0.0;
  values[3] = std::numeric_limits<double>::infinity();
  values[4] = -std::numeric_limits<double>::infinity();
  values[5] = std::numeric_limits<double>::denorm_min();
  values[6] = 9007199254740992.0;  // 2^53
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
  CHECK(listing(dir.path()) == std::vector<std::string>{"shard.h5"});

  // The layout: one table, the union of the columns in first-seen order (the baseline's, then
  // the buffer only the second variant has), the replication's number once, as the leading
  // column; NaN where the baseline has no B2b; no summary.
  const Id hdf5(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  CHECK(member_names(hdf5.id, "replications") ==
        std::vector<std::string>{"variant", "replication", "throughput_per_hour", "deadlocked",
                                 "OP30.oee", "B2.occupancy_mean", "ledger.completed",
                                 "B2b.occupancy_mean"});
  CHECK(H5Lexists(hdf5.id, "replications_2", H5P_DEFAULT) == 0);
  CHECK(H5Lexists(hdf5.id, "summary", H5P_DEFAULT) == 0);
  const Id dataset(H5Dopen2(hdf5.id, "replications", H5P_DEFAULT), H5Dclose);
  const Id type(H5Tcreate(H5T_COMPOUND, sizeof(double)), H5Tclose);
  check(H5Tinsert(type.id, "B2b.occupancy_mean", 0, H5T_NATIVE_DOUBLE));
  std::vector<double> b2b(6);
  check(H5Dread(dataset.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, b2b.data()));
  for (std::size_t row = 0; row < 3; ++row)
    CHECK(std::isnan(b2b[row]));  // the baseline's rows
  CHECK(b2b[3] == std::numeric_limits<double>::denorm_min());
  for (std::size_t row = 1; row < 3; ++row)  // column 5 of variant 1, replications 4 and 7
    CHECK(b2b[3 + row] == 1000.0 + 10.0 * static_cast<double>(3 * row + 1) + 5 + 0.25);

  // A `replication` column that is not the row's number would be lost: linetwin's bug, refused.
  file.variants[0].rows[0].values[0] = 2.0;
  CHECK_THROWS_AS(write_sweep_file(path, "--hdf5", file), std::logic_error);
  CHECK(listing(dir.path()) == std::vector<std::string>{"shard.h5"});
}

TEST_CASE("a whole sweep's file reads back its summary, an interval or none") {
  const test::TempDir dir;
  const std::string path = dir.path() + "/sweep.h5";
  SweepFile file = test::sample_sweep();
  file.identity.shard_index = file.identity.shard_count = 1;
  const std::vector<double> throughput = {12.25, 13.5, 11.0};
  file.variants[0].summary = {{"throughput_per_hour", estimate(throughput)},
                              {"OP30.oee", estimate(std::vector<double>{0.75})},
                              {"lead_time_mean_s", estimate(std::vector<double>{})}};
  file.variants[1].summary = {{"B2b.occupancy_mean", estimate(throughput)}};
  REQUIRE(file.variants[0].summary[0].second.has_interval);
  REQUIRE_FALSE(file.variants[0].summary[1].second.has_interval);
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
}

TEST_CASE("edge cases read back: no variants, a variant without rows, settings past 64 KiB") {
  const test::TempDir dir;
  const std::string path = dir.path() + "/edge.h5";
  SweepFile file;
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
  file = test::wide_sweep(2);
  file.variants[0].rows.clear();
  file.variants.push_back({"no columns", {}, {}, {}});
  // Larger than an HDF5 header message: stored apart from the root's header.
  file.identity.settings = "{\"note\":\"" + std::string(200'000, 'x') + "\"}";
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
  file.identity.settings = std::string((std::size_t{1} << 20) + 1, ' ');
  const InputError error = input_error([&] { write_sweep_file(path, "--hdf5", file); });
  CHECK(error.where().field_path == "attrs.settings");
  CHECK(says(error, "expected at most 1048576 bytes"));
}

TEST_CASE("a sweep of more KPI columns than one HDF5 table holds continues in /replications_2") {
  const test::TempDir dir;
  const std::string path = dir.path() + "/wide.h5";
  // 3,000 names of about 35 bytes: twice what one table's type can describe in 64 KiB.
  const SweepFile file = test::wide_sweep(3000);
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
  const Id hdf5(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  std::size_t columns = 0, tables = 0;
  for (std::string name = "replications"; H5Lexists(hdf5.id, name.c_str(), H5P_DEFAULT) > 0;
       name = "replications_" + std::to_string(tables + 1)) {
    const std::vector<std::string> members = member_names(hdf5.id, name.c_str());
    REQUIRE(members.size() > 2);
    CHECK(members[0] == "variant");
    CHECK(members[1] == "replication");
    CHECK(members[2] == file.variants[0].columns[columns]);  // in order, none left out
    columns += members.size() - 2;
    ++tables;
  }
  CHECK(tables >= 2);
  CHECK(columns == 3000);
}

TEST_CASE("a sweep file replaces the old one whole, keeping its permissions") {
  const test::TempDir dir;
  const std::string path = dir.path() + "/sweep.h5";
  write_sweep_file(path, "--hdf5", test::wide_sweep(3));
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  const SweepFile file = test::sample_sweep();
  write_sweep_file(path, "--hdf5", file);
  check_same(read_sweep_file(path), file);
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  CHECK((status.st_mode & 07777) == 0640);
  CHECK(listing(dir.path()) == std::vector<std::string>{"sweep.h5"});

  SUBCASE("what a sweep file cannot hold is refused before the old file is touched") {
    SweepFile bad = file;
    bad.variants[1].name = std::string(5000, 'v');
    const InputError long_name = input_error([&] { write_sweep_file(path, "--hdf5", bad); });
    CHECK(long_name.where().file == path);
    CHECK(long_name.where().field_path == "/variants[1].name");
    CHECK(says(long_name, "expected at most 4096 bytes, found 5000"));
    bad = file;
    bad.variants[1].rows[2].deadlocked[0].element = "OP\xff";
    const InputError not_utf8 = input_error([&] { write_sweep_file(path, "--hdf5", bad); });
    CHECK(not_utf8.where().field_path == "/deadlocks (B2 16, with B2b, replication 7).element");
    CHECK(says(not_utf8, "expected UTF-8 text"));
    check_same(read_sweep_file(path), file);
    CHECK(listing(dir.path()) == std::vector<std::string>{"sweep.h5"});
  }
  SUBCASE("a folder that does not exist is named with the flag") {
    const std::string missing = dir.path() + "/no/such/folder/sweep.h5";
    const InputError error = input_error([&] { write_sweep_file(missing, "--hdf5", file); });
    CHECK(error.where().file == missing);
    CHECK(error.where().field_path == "--hdf5");
    CHECK(says(error, "cannot write the sweep file: No such file or directory"));
  }
}

TEST_CASE("a damaged or foreign sweep file is bad input naming the file and the field") {
  const test::TempDir dir;
  const std::string good = dir.path() + "/good.h5";
  write_sweep_file(good, "--hdf5", test::sample_sweep());
  const std::string path = dir.path() + "/damaged.h5";
  std::filesystem::copy_file(good, path);
  // The error reading `path` after the damage: it names the file, and `field`.
  const auto refused = [&](const std::string& field) {
    const InputError error = input_error([&] { read_sweep_file(path); });
    CHECK(error.where().file == path);
    CHECK(error.where().field_path == field);
    return error;
  };

  SUBCASE("no file") {
    std::filesystem::remove(path);
    CHECK(says(refused(""), "no such file"));
  }
  SUBCASE("not HDF5") {
    test::damage::write_bytes(path, {'v', 'a', 'r', 'i', 'a', 'n', 't', ',', '\n'});
    CHECK(says(refused(""), "not an HDF5 file; expected a linetwin sweep file"));
  }
  SUBCASE("cut short, anywhere") {
    const std::vector<char> bytes = test::damage::bytes_of(good);
    for (const std::size_t length : {std::size_t{100}, bytes.size() / 4, bytes.size() / 2,
                                     bytes.size() - 100, bytes.size() - 1}) {
      CAPTURE(length);
      test::damage::write_bytes(path, {bytes.begin(), bytes.begin() + length});
      CHECK(says(refused(""), "damaged or cut short"));
    }
  }
  SUBCASE("a table missing") {
    check(H5Ldelete(open_file(path).id, "deadlocks", H5P_DEFAULT));
    CHECK(says(refused("/deadlocks"), "missing: expected a table"));
  }
  SUBCASE("another schema") {
    test::damage::set_fixed_attribute(path, "schema", "linetwin.recording/2");
    CHECK(says(refused("attrs.schema"),
               "expected \"linetwin.sweep/1\", found \"linetwin.recording/2\" (this is not"));
  }
  SUBCASE("no schema") {
    check(H5Adelete(open_file(path).id, "schema"));
    CHECK(says(refused("attrs.schema"), "missing: expected the string \"linetwin.sweep/1\""));
  }
  SUBCASE("a variable-length string, which HDF5 reads through an unchecked address") {
    test::damage::set_variable_attribute(open_file(path).id, "scenario", "a.yaml");
    CHECK(says(refused("attrs.scenario"),
               "expected a fixed-length UTF-8 string of at most 4096 bytes, found a "
               "variable-length string"));
  }
  SUBCASE("a shard out of its count") {
    const std::uint32_t four = 4;
    test::damage::set_attribute(open_file(path).id, "shard_index", H5T_NATIVE_UINT32, &four);
    CHECK(says(refused("attrs.shard_index"), "found shard 4 of 3"));
  }
  SUBCASE("an index out of place") {
    struct Edit {
      const char* table;
      hsize_t row;
      const char* member;
      std::uint32_t value;
      const char* field;
      const char* message;
    };
    for (const Edit& edit : {
             Edit{"replications", 0, "variant", 2, "/replications[0].variant",
                  "index 2 is not in /variants (2 entries)"},
             Edit{"deadlocks", 1, "replication", 8, "/deadlocks[1].replication",
                  "replication 8 of variant 1 is not in /replications"},
             Edit{"deadlocks", 1, "position", 5, "/deadlocks[1].position",
                  "expected 1 (the elements of a deadlock in order), found 5"},
             Edit{"replications", 1, "replication", 1, "/replications[1]",
                  "found replication 1 of variant 0 again"},
             Edit{"variants", 1, "index", 0, "/variants[1].index",
                  "expected 1 (variants are listed in order), found 0"},
         }) {
      CAPTURE(edit.field);
      std::filesystem::copy_file(good, path, std::filesystem::copy_options::overwrite_existing);
      set_member(path, edit.table, edit.row, edit.member, H5T_NATIVE_UINT32, &edit.value);
      CHECK(says(refused(edit.field), edit.message));
    }
  }
  SUBCASE("a value where the variant has no such column") {
    const double value = 3.0;
    set_member(path, "replications", 0, "B2b.occupancy_mean", H5T_NATIVE_DOUBLE, &value);
    CHECK(says(refused("/replications[0].B2b.occupancy_mean"),
               "expected NaN: variant 0 has no such column, found 3"));
  }
  SUBCASE("a variant's column that no table holds") {
    set_text_member(path, "variant_columns", 0, "column", "OP99.oee");
    CHECK(says(refused("/replications.OP99.oee"),
               "missing: /variant_columns lists it for variant 0"));
  }
  SUBCASE("a KPI member that is not a number") {
    // /deadlocks in the place of /replications: its first member after the two is `cycle`.
    {
      const Id file = open_file(path);
      check(H5Ldelete(file.id, "replications", H5P_DEFAULT));
      check(H5Ocopy(file.id, "deadlocks", file.id, "replications", H5P_DEFAULT, H5P_DEFAULT));
    }
    const InputError error = input_error([&] { read_sweep_file(path); });
    CHECK(error.where().field_path == "/replications.cycle");
    CHECK(says(error,
               "expected a floating-point number of at most 8 bytes (float64), found an "
               "unsigned integer of 1 byte"));
  }
  SUBCASE("a table that is not a table") {
    {
      const Id file = open_file(path);
      check(H5Ldelete(file.id, "deadlocks", H5P_DEFAULT));
      const hsize_t shape[2] = {2, 2};
      const Id space(H5Screate_simple(2, shape, nullptr), H5Sclose);
      const Id dataset(H5Dcreate2(file.id, "deadlocks", H5T_IEEE_F64LE, space.id, H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
    }
    CHECK(says(refused("/deadlocks"), "expected a one-dimensional dataset"));
  }
}

// For the sanitizer build's leak checker: HDF5 keeps some internal state of certain damaged files
// for good, since its error paths never free it (tests/telemetry/recording_fixture/
// hdf5_leaks.supp, which the recording tests name in LSAN_OPTIONS, says the same). Leaks inside
// libhdf5 are HDF5's; every other leak is still reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libhdf5_serial.so\n";
}

TEST_CASE("a sweep file with any one bit flipped is read or refused, never a crash") {
  const test::TempDir dir;
  const std::string good = dir.path() + "/good.h5";
  write_sweep_file(good, "--hdf5", test::sample_sweep());
  const std::vector<char> bytes = test::damage::bytes_of(good);
  const std::string path = dir.path() + "/flipped.h5";
  std::size_t refused = 0;
  // Every 7th byte, each time another bit: the metadata (checksummed) and the rows alike.
  for (std::size_t at = 0; at < bytes.size(); at += 7) {
    std::vector<char> flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ (1 << (at % 8)));
    test::damage::write_bytes(path, flipped);
    try {
      read_sweep_file(path);
    } catch (const InputError& error) {
      CHECK(error.where().file == path);
      ++refused;
    }
  }
  MESSAGE(refused << " of " << (bytes.size() + 6) / 7 << " flipped files refused");
  CHECK(refused > 0);
}
