// Damaged recordings, each the kind of damage that once crashed, hung or fooled the reader: a
// small good recording is written, copied and damaged in one way, and the reader must refuse the
// copy with an InputError naming the file and the field at fault. recording_test.cpp reads each
// with read_recording; write_recording --damaged writes them all for recording_cli_test.sh, which
// runs `linetwin replay`, `linetwin calibrate` and `linetwin-publish` on them. Damage is done with
// the HDF5 C API on the copy, or on its bytes (a flipped bit, a cut), never through the writer.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "recording/recording_hdf5.hpp"
#include "recording/telemetry_recording.hpp"

namespace linetwin::test {

// The good recording's machines are stations of scenes/balanced_line.yaml, so that the CLI test
// replays it into that scene.
inline constexpr std::int64_t kDamageStartUs = 1'709'532'000'000'000;  // 2024-03-04T06:00:00Z

// Samples 0-4: OP10 producing; OP10 counts 0 good parts; OP20's spindle at 41.5 °C; OP20 idle;
// OP10 counts 1 good part a minute later. Then one KPI row per machine.
inline void write_good_recording(const std::string& path) {
  TelemetryNames names;
  const std::uint32_t op10 = names.intern_machine("OP10");
  const std::uint32_t op20 = names.intern_machine("OP20");
  const std::uint16_t good = names.intern_name("good");
  const std::uint16_t spindle = names.intern_name("spindle_temp_c");
  const auto sample = [](std::int64_t offset_s, std::uint32_t machine, SampleKind kind,
                         MachineState state, std::uint16_t name, double value) {
    TelemetrySample s;
    s.timestamp_us = kDamageStartUs + offset_s * 1'000'000;
    s.machine = machine;
    s.kind = kind;
    s.state = state;
    s.name = name;
    s.value = value;
    return s;
  };
  const std::vector<TelemetrySample> samples = {
      sample(0, op10, SampleKind::kState, MachineState::kProducing, 0, 0.0),
      sample(0, op10, SampleKind::kCounter, MachineState::kUnknown, good, 0.0),
      sample(1, op20, SampleKind::kSensor, MachineState::kUnknown, spindle, 41.5),
      sample(1, op20, SampleKind::kState, MachineState::kIdle, 0, 0.0),
      sample(60, op10, SampleKind::kCounter, MachineState::kUnknown, good, 1.0)};
  std::vector<KpiSnapshot> kpis(2);
  for (std::uint32_t m = 0; m < 2; ++m) {
    kpis[m].timestamp_us = kDamageStartUs + 60'000'000;
    kpis[m].machine = m;
    kpis[m].observed_s = 60.0;
    kpis[m].working = 1.0;
    kpis[m].oee = std::numeric_limits<double>::quiet_NaN();  // undefined: allowed
  }
  RecordingMetadata metadata;
  metadata.source = RecordingSource::kReplay;
  metadata.scene_file = "scenes/balanced_line.yaml";
  metadata.scene_text = "linetwin_scene: 1\n";
  metadata.start_time_us = kDamageStartUs;
  RecordingWriter writer(path, metadata, names);
  writer.append(samples);
  writer.append_kpis(kpis);
  writer.close();
}

namespace damage {

// An HDF5 identifier that closes itself; a failed call is a broken test, not a finding.
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  Id(hid_t value, herr_t (*closer)(hid_t)) : id(value), close(closer) {
    if (id < 0) throw std::runtime_error("damaged_recordings: an HDF5 call failed");
  }
  ~Id() { close(id); }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
};

inline void check(herr_t status) {
  if (status < 0) throw std::runtime_error("damaged_recordings: an HDF5 call failed");
}

inline Id open_file(const std::string& path) {
  return Id(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
}

inline std::vector<char> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("damaged_recordings: cannot write " + path);
}

// Flips bit `bit` of the byte `offset` bytes after the first occurrence of `marker`.
inline void flip_bit_after(const std::string& path, const std::string& marker, std::size_t offset,
                           int bit) {
  std::vector<char> bytes = bytes_of(path);
  const auto at = std::search(bytes.begin(), bytes.end(), marker.begin(), marker.end());
  if (at == bytes.end()) throw std::runtime_error("damaged_recordings: no " + marker);
  const auto index = static_cast<std::size_t>(at - bytes.begin()) + offset;
  bytes.at(index) = static_cast<char>(bytes.at(index) ^ (1 << bit));
  write_bytes(path, bytes);
}

// Replaces a root attribute with a string attribute of `type` holding `text`.
inline void set_attribute(hid_t file, const char* name, hid_t type, const void* text) {
  if (H5Aexists(file, name) > 0) check(H5Adelete(file, name));
  const Id space(H5Screate(H5S_SCALAR), H5Sclose);
  const Id attribute(H5Acreate2(file, name, type, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(H5Awrite(attribute.id, type, text));
}

inline void set_fixed_attribute(const std::string& path, const char* name,
                                const std::string& bytes) {
  const Id file = open_file(path);
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(H5Tset_size(type.id, bytes.size()));
  check(H5Tset_cset(type.id, H5T_CSET_UTF8));
  set_attribute(file.id, name, type.id, bytes.data());
}

inline void set_variable_attribute(hid_t file, const char* name, const std::string& text) {
  const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(H5Tset_size(type.id, H5T_VARIABLE));
  check(H5Tset_cset(type.id, H5T_CSET_UTF8));
  const char* data = text.c_str();
  set_attribute(file, name, type.id, &data);
}

// A recording as version 1 wrote it: every string attribute variable-length.
inline void make_version_1(const std::string& path) {
  const Id file = open_file(path);
  set_variable_attribute(file.id, "schema", "linetwin.recording/1");
  for (const char* name : {"linetwin_version", "created", "source", "scene_file", "scene_text"}) {
    set_variable_attribute(file.id, name, name == std::string("source") ? "replay" : "text");
  }
}

// Reads every sample row, lets `edit` change them, and writes them back.
inline void edit_samples(const std::string& path,
                         const std::function<void(std::vector<TelemetrySample>&)>& edit) {
  const Id file = open_file(path);
  const Id dataset(H5Dopen2(file.id, recording::kSamplesDataset, H5P_DEFAULT), H5Dclose);
  const Id space(H5Dget_space(dataset.id), H5Sclose);
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space.id, &rows, nullptr);
  std::vector<TelemetrySample> samples(rows);
  const recording::Hid type =
      recording::memory_row_type(recording::sample_columns(), sizeof(TelemetrySample));
  check(H5Dread(dataset.id, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, samples.data()));
  edit(samples);
  check(H5Dwrite(dataset.id, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, samples.data()));
}

inline void edit_kpi(const std::string& path, const std::function<void(KpiSnapshot&)>& edit) {
  const Id file = open_file(path);
  const Id dataset(H5Dopen2(file.id, recording::kKpisDataset, H5P_DEFAULT), H5Dclose);
  std::vector<KpiSnapshot> kpis(2);
  const recording::Hid type =
      recording::memory_row_type(recording::kpi_columns(), sizeof(KpiSnapshot));
  check(H5Dread(dataset.id, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, kpis.data()));
  edit(kpis[0]);
  check(H5Dwrite(dataset.id, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, kpis.data()));
}

// Overwrites entry `row` of /machines or /names with `bytes`, past the writer's checks.
inline void set_string_row(const std::string& path, const char* table, hsize_t row,
                           const std::string& bytes) {
  const Id file = open_file(path);
  const Id dataset(H5Dopen2(file.id, table, H5P_DEFAULT), H5Dclose);
  const Id type(H5Dget_type(dataset.id), H5Tclose);
  std::string field(H5Tget_size(type.id), '\0');
  std::copy(bytes.begin(), bytes.end(), field.begin());
  const Id file_rows(H5Dget_space(dataset.id), H5Sclose);
  const hsize_t one = 1;
  check(H5Sselect_hyperslab(file_rows.id, H5S_SELECT_SET, &row, nullptr, &one, nullptr));
  const Id memory_rows(H5Screate_simple(1, &one, nullptr), H5Sclose);
  check(H5Dwrite(dataset.id, type.id, memory_rows.id, file_rows.id, H5P_DEFAULT, field.data()));
}

// Replaces /samples with one row whose `value` is an int64: a wrong dtype.
inline void integer_values(const std::string& path) {
  const Id file = open_file(path);
  check(H5Ldelete(file.id, recording::kSamplesDataset, H5P_DEFAULT));
  const Id type(H5Tcreate(H5T_COMPOUND, 32), H5Tclose);
  const recording::Hid kind = recording::column_type(recording::ColumnType::kSampleKind, true);
  const recording::Hid state = recording::column_type(recording::ColumnType::kMachineState, true);
  check(H5Tinsert(type.id, "timestamp_us", 0, H5T_STD_I64LE));
  check(H5Tinsert(type.id, "sequence", 8, H5T_STD_U64LE));
  check(H5Tinsert(type.id, "value", 16, H5T_STD_I64LE));
  check(H5Tinsert(type.id, "machine", 24, H5T_STD_U32LE));
  check(H5Tinsert(type.id, "name", 28, H5T_STD_U16LE));
  check(H5Tinsert(type.id, "kind", 30, kind.get()));
  check(H5Tinsert(type.id, "state", 31, state.get()));
  const hsize_t rows = 1;
  const Id space(H5Screate_simple(1, &rows, nullptr), H5Sclose);
  const Id dataset(H5Dcreate2(file.id, recording::kSamplesDataset, type.id, space.id, H5P_DEFAULT,
                              H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
  const std::vector<char> row(32, '\0');
  check(H5Dwrite(dataset.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, row.data()));
}

// Replaces /machines with two int32s.
inline void integer_machines(const std::string& path) {
  const Id file = open_file(path);
  check(H5Ldelete(file.id, recording::kMachinesDataset, H5P_DEFAULT));
  const hsize_t rows = 2;
  const Id space(H5Screate_simple(1, &rows, nullptr), H5Sclose);
  const Id dataset(H5Dcreate2(file.id, recording::kMachinesDataset, H5T_STD_I32LE, space.id,
                              H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
  const std::int32_t values[] = {10, 20};
  check(H5Dwrite(dataset.id, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values));
}

// Rewrites a recording in HDF5's oldest file format (superblock version 0), which h5py writes
// by default: its datasets and root attributes as they are, its metadata without checksums.
inline void to_oldest_format(const std::string& path) {
  const std::string copy = path + ".oldest";
  {
    const Id from(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    const Id to(H5Fcreate(copy.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    for (const char* table : {recording::kSamplesDataset, recording::kKpisDataset,
                              recording::kMachinesDataset, recording::kNamesDataset}) {
      check(H5Ocopy(from.id, table, to.id, table, H5P_DEFAULT, H5P_DEFAULT));
    }
    const auto copy_attribute = [](hid_t object, const char* name, const H5A_info_t*,
                                   void* target) -> herr_t {
      const Id attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
      const Id type(H5Aget_type(attribute.id), H5Tclose);
      const Id space(H5Aget_space(attribute.id), H5Sclose);
      std::vector<char> value(H5Aget_storage_size(attribute.id));
      check(H5Aread(attribute.id, type.id, value.data()));
      const Id created(H5Acreate2(*static_cast<hid_t*>(target), name, type.id, space.id,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       H5Aclose);
      check(H5Awrite(created.id, type.id, value.data()));
      return 0;
    };
    hid_t target = to.id;
    check(H5Aiterate2(from.id, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, copy_attribute, &target));
  }
  std::filesystem::rename(copy, path);
}

}  // namespace damage

// HDF5 identifiers open now, of the kinds the reader opens. The library keeps some of its own
// (the predefined types), so only a change between two calls says anything: a reader that
// closes all it opens, on every error path too, leaves the count as it found it.
inline long open_hdf5_identifiers() {
  long open = 0;
  for (const H5I_type_t type :
       {H5I_FILE, H5I_GROUP, H5I_DATATYPE, H5I_DATASPACE, H5I_DATASET, H5I_ATTR, H5I_GENPROP_LST}) {
    hsize_t count = 0;
    H5Inmembers(type, &count);
    open += static_cast<long>(count);
  }
  return open;
}

// One kind of damage: `apply` damages a copy of the good recording in place; the reader must
// then name `field` ("" when the file as a whole cannot be opened) and say `message`.
struct RecordingDamage {
  const char* name;
  const char* field;
  const char* message;
  void (*apply)(const std::string& path);
};

inline std::span<const RecordingDamage> recording_damages() {
  using damage::edit_samples;
  using Samples = std::vector<TelemetrySample>;
  static const RecordingDamage kDamages[] = {
      // A flipped bit in an attribute's text: the block of attributes fails its checksum.
      {"attribute_bit_flip", "attrs", "checksum",
       [](const std::string& path) { damage::flip_bit_after(path, "replay", 2, 0); }},
      // The crash of version 1: its string attributes were variable-length, read through a heap
      // address and length in the file; a flipped bit in the heap's object size made HDF5 copy
      // past its buffer. Variable-length strings are refused unread.
      {"version_1_damaged_heap", "attrs.schema", "version 1",
       [](const std::string& path) {
         damage::make_version_1(path);
         damage::flip_bit_after(path, "GCOL", 26, 6);
       }},
      {"variable_length_attribute", "attrs.scene_text", "found a variable-length one",
       [](const std::string& path) {
         const damage::Id file = damage::open_file(path);
         damage::set_variable_attribute(file.id, "scene_text", "linetwin_scene: 1\n");
       }},
      {"attribute_not_utf8", "attrs.scene_file", "not valid UTF-8",
       [](const std::string& path) { damage::set_fixed_attribute(path, "scene_file", "a\xff"); }},
      {"attribute_of_a_wrong_type", "attrs.start_time_us",
       "expected a signed integer of at most 8 bytes, found a floating-point number",
       [](const std::string& path) {
         const damage::Id file = damage::open_file(path);
         const double start = 1.7e15;
         damage::set_attribute(file.id, "start_time_us", H5T_IEEE_F64LE, &start);
       }},
      {"nan_counter", "/samples[1].value", "a number >= 0, found nan",
       [](const std::string& path) {
         edit_samples(path,
                      [](Samples& s) { s[1].value = std::numeric_limits<double>::quiet_NaN(); });
       }},
      {"negative_counter", "/samples[4].value", "a number >= 0, found -1",
       [](const std::string& path) { edit_samples(path, [](Samples& s) { s[4].value = -1.0; }); }},
      {"infinite_sensor", "/samples[2].value", "a finite number, found inf",
       [](const std::string& path) {
         edit_samples(path,
                      [](Samples& s) { s[2].value = std::numeric_limits<double>::infinity(); });
       }},
      {"value_in_a_state_row", "/samples[0].value", "nothing (0) in a state row",
       [](const std::string& path) { edit_samples(path, [](Samples& s) { s[0].value = 3.0; }); }},
      {"earliest_timestamp", "/samples[3].timestamp", "from 0001-01-01T00:00:00Z",
       [](const std::string& path) {
         edit_samples(path, [](Samples& s) {
           s[3].timestamp_us = std::numeric_limits<std::int64_t>::min();
         });
       }},
      {"latest_timestamp", "/samples[3].timestamp", "to 9999-12-31T23:59:59.999999Z",
       [](const std::string& path) {
         edit_samples(path, [](Samples& s) {
           s[3].timestamp_us = std::numeric_limits<std::int64_t>::max();
         });
       }},
      {"name_index", "/samples[2].name", "index 9 is not in /names (3 entries)",
       [](const std::string& path) { edit_samples(path, [](Samples& s) { s[2].name = 9; }); }},
      {"negative_kpi", "/kpis[0].observed_s", "found -60",
       [](const std::string& path) {
         damage::edit_kpi(path, [](KpiSnapshot& k) { k.observed_s = -60.0; });
       }},
      {"integer_values", "/samples.value", "expected a floating-point number",
       damage::integer_values},
      {"integer_machines", "/machines", "found a signed integer of 4 bytes",
       damage::integer_machines},
      {"machine_not_utf8", "/machines[1]", "not valid UTF-8",
       [](const std::string& path) { damage::set_string_row(path, "machines", 1, "OP\xff"); }},
      {"name_not_utf8", "/names[1]", "not valid UTF-8",
       [](const std::string& path) { damage::set_string_row(path, "names", 1, "go\xc3od"); }},
      {"empty_machine_id", "/samples[0].machine", "expected a machine id, found index 0",
       [](const std::string& path) { damage::set_string_row(path, "machines", 0, ""); }},
      // A dataset that claims 2^40 rows: HDF5 would make up the missing ones as zeros.
      {"oversized_dims", "/samples", "but only 1 chunks are stored",
       [](const std::string& path) {
         const damage::Id file = damage::open_file(path);
         const damage::Id dataset(H5Dopen2(file.id, recording::kSamplesDataset, H5P_DEFAULT),
                                  H5Dclose);
         const hsize_t rows = hsize_t{1} << 40;
         damage::check(H5Dset_extent(dataset.id, &rows));
       }},
      // HDF5's oldest format keeps no checksums: this one flipped bit, in the root group's
      // header, made HDF5 allocate 23 GB while opening the file. The format is refused unread.
      {"oldest_format_bit_flip", "", "found superblock version 0",
       [](const std::string& path) {
         damage::to_oldest_format(path);
         damage::flip_bit_after(path, "\x89HDF", 132, 2);
       }},
      {"truncated", "", "truncated file",
       [](const std::string& path) {
         std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
       }},
      // The hang: a superblock that fails its checksum was read again and again by the SWMR
      // reader, waiting twice as long each time.
      {"superblock_bit_flip", "", "checksum",
       [](const std::string& path) { damage::flip_bit_after(path, "\x89HDF", 17, 7); }},
  };
  return kDamages;
}

}  // namespace linetwin::test
