// Reading a recording back (telemetry_recording.hpp; layout in docs/recording-format.md).
//
// A recording is untrusted input like any other: it may be another program's HDF5 file, one
// written by hand with h5py, one cut short by a crash, or one damaged on its way. Nothing the file
// says is trusted before it is checked: every attribute's and dataset's type, rank, size and
// storage is checked before it is read, so that HDF5 never allocates or copies by a size that the
// file made up; strings are only read fixed-length, into buffers of their checked size (HDF5
// reads a variable-length string through a heap address and length that it does not check, and
// a flipped bit there crashes it); and every row is checked after, against the rules every log
// reader applies (telemetry/sample_checks.hpp). What does not fit is an InputError naming the
// file and the attribute (`attrs.schema`), dataset (`/samples`), member (`/samples.kind`) or row
// (`/samples[12].machine`) with what was expected. Members may be narrower than the format's (an
// int32 timestamp, a float32 value) but never of a kind or width that HDF5 would convert with loss.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "recording/recording_hdf5.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/machine_state.hpp"
#include "telemetry/sample_checks.hpp"

namespace linetwin {
namespace {

using recording::Column;
using recording::ColumnType;
using recording::Hid;

constexpr const char* kSampleKindNames[] = {"state", "counter", "sensor"};

// A SWMR reader reads a piece of metadata again while its checksum fails, since a writer may be
// rewriting it at that instant, waiting twice as long before each try. HDF5's 100 tries would
// wait for years on a damaged file; 24 tries wait about 30 ms in all.
constexpr unsigned kSwmrReadAttempts = 24;

// Bounds on what the file may ask the reader to allocate (docs/recording-format.md).
constexpr hsize_t kMaxMachines = hsize_t{1} << 20;
constexpr hsize_t kMaxNames = hsize_t{1} << 16;  // samples refer to them by a uint16
constexpr std::size_t kMaxRowBytes = 4096;
constexpr std::size_t kMaxChunkBytes = std::size_t{16} << 20;
// String tables are read this many rows at a time, so that memory follows what the file holds.
constexpr hsize_t kStringRowsPerRead = 1024;

std::string quoted(const std::string& text) {
  return '"' + text + '"';
}

// How a column's member is described in an error: what was expected.
std::string expected_member(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "a signed integer of at most 8 bytes (int64)";
    case ColumnType::kUInt64:
      return "an unsigned integer of at most 8 bytes (uint64)";
    case ColumnType::kUInt32:
      return "an unsigned integer of at most 4 bytes (uint32)";
    case ColumnType::kUInt16:
      return "an unsigned integer of at most 2 bytes (uint16)";
    case ColumnType::kFloat64:
      return "a floating-point number of at most 8 bytes (float64)";
    case ColumnType::kSampleKind:
      return "an enum of the names state, counter, sensor";
    case ColumnType::kMachineState:
      return "an enum of the names unknown, producing, idle, blocked, down, setup, off_shift";
    case ColumnType::kBodyState:
      return "an enum of the names parked, standing, moving";
  }
  return "";
}

// What an HDF5 type is, in the words of an error message: "a signed integer of 8 bytes".
std::string describe_type(hid_t type) {
  const std::string bytes = std::to_string(H5Tget_size(type)) + " bytes";
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "an unsigned" : "a signed") +
             " integer of " + bytes;
    case H5T_FLOAT:
      return "a floating-point number of " + bytes;
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0 ? "a variable-length string"
                                          : "a fixed-length string of " + bytes;
    case H5T_ENUM:
      return "an enum";
    case H5T_COMPOUND:
      return "a compound type (a table row)";
    case H5T_ARRAY:
      return "an array";
    case H5T_VLEN:
      return "a variable-length sequence";
    default:
      return "another kind of HDF5 type";
  }
}

bool is_state_or_kind_name(ColumnType type, const std::string& name) {
  if (type == ColumnType::kMachineState) return parse_machine_state(name).has_value();
  if (type == ColumnType::kBodyState) {
    const auto names = recording::body_state_names();
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  return std::find(std::begin(kSampleKindNames), std::end(kSampleKindNames), name) !=
         std::end(kSampleKindNames);
}

// The text of a fixed-length string field: up to its first NUL, without the trailing spaces of a
// space-padded type.
std::string fixed_string(const char* data, std::size_t size, H5T_str_t padding) {
  std::size_t length = std::find(data, data + size, '\0') - data;
  if (padding == H5T_STR_SPACEPAD) {
    while (length > 0 && data[length - 1] == ' ')
      --length;
  }
  return std::string(data, length);
}

class RecordingReader {
 public:
  explicit RecordingReader(const std::string& path) : path_(path) {}

  Recording read() {
    open();
    Recording recording;
    recording.closed = closed_;
    read_metadata(recording);
    const std::vector<std::string> machines =
        read_strings(recording::kMachinesDataset, "the machine ids", kMaxMachines);
    const std::vector<std::string> names = read_strings(
        recording::kNamesDataset, "the reasons, counter names and sensor channels", kMaxNames);
    std::vector<TelemetrySample> samples = read_table<TelemetrySample>(
        recording::kSamplesDataset, recording::sample_columns(), "telemetry samples");
    std::vector<KpiSnapshot> kpis =
        read_table<KpiSnapshot>(recording::kKpisDataset, recording::kpi_columns(), "KPI snapshots");
    check_samples(samples, machines, names);
    check_kpis(kpis, machines.size());
    read_bodies(recording);
    intern(machines, names, samples, kpis, recording.log.names);
    recording.log.samples = std::move(samples);
    recording.kpis = std::move(kpis);
    return recording;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError({path_, 0, 0, field}, message);
  }

  // HDF5's reason for a failed call, with a word on what it most likely means.
  [[noreturn]] void fail_read(const std::string& field) const {
    fail(field,
         "cannot read: " + recording::hdf5_error_text() + " (the file is damaged or cut short)");
  }

  void open() {
    std::error_code error;
    if (!std::filesystem::exists(path_, error)) {
      fail("", "cannot read the recording: no such file");
    }
    if (!std::filesystem::is_regular_file(path_, error)) {
      fail("", "not a file; expected a linetwin recording (docs/recording-format.md)");
    }
    const htri_t hdf5 = H5Fis_hdf5(path_.c_str());
    if (hdf5 == 0) {
      fail("", "not an HDF5 file; expected a linetwin recording (docs/recording-format.md)");
    }
    if (hdf5 < 0) fail("", "cannot read the recording: " + recording::hdf5_error_text());
    check_superblock_version();
    const Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_metadata_read_attempts(access.get(), kSwmrReadAttempts);
    hid_t id = H5Fopen(path_.c_str(), H5F_ACC_RDONLY, access.get());
    if (id < 0) {
      // A file that its writer has not closed (still recording, or crashed) is marked as open
      // for SWMR writing; it can be read as a SWMR reader, up to the writer's last flush.
      const std::string plain_error = recording::hdf5_error_text();
      id = H5Fopen(path_.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, access.get());
      if (id < 0) {
        fail("",
             "cannot open the recording: " + plain_error + " (the file is damaged or cut short)");
      }
      closed_ = false;
    }
    file_ = Hid(id, H5Fclose);
  }

  // The file format, before HDF5 reads anything else. HDF5's superblock starts with its 8-byte
  // signature and its version. Versions 0 and 1, the format before HDF5 1.8 (and h5py's default),
  // keep no checksums on their metadata: a single flipped bit there made HDF5 allocate 23 GB while
  // opening a file. From version 2 on, a checksum guards every block of metadata and catches a
  // flipped bit before HDF5 uses what it damaged; linetwin writes version 3.
  void check_superblock_version() const {
    const std::optional<int> version = recording::superblock_version(path_);
    if (!version) {
      fail("",
           "expected the HDF5 signature at the start of the file, as linetwin writes it "
           "(a file with a user block is not a recording)");
    }
    if (*version < 2) {
      fail("", fmt::format("expected the HDF5 file format of version 1.8 or later (superblock "
                           "version 2 or 3), whose metadata carries checksums; found superblock "
                           "version {}, the oldest format, which a flipped bit can make HDF5 "
                           "misread (h5py writes it unless given libver=\"latest\")",
                           *version));
    }
  }

  // --- attributes ---

  // An attribute of the root and its type, or nullopt when there is none. Checked before anything
  // is read: one value, stored in as many bytes as its type says.
  std::optional<std::pair<Hid, Hid>> attribute(const char* name) const {
    const std::string field = std::string("attrs.") + name;
    // Looking an attribute up reads the root's attributes as a whole.
    const htri_t exists = H5Aexists(file_.get(), name);
    if (exists < 0) fail_read("attrs");
    if (exists == 0) return std::nullopt;
    Hid opened(H5Aopen(file_.get(), name, H5P_DEFAULT), H5Aclose);
    if (!opened.valid()) fail_read(field);
    const Hid space(H5Aget_space(opened.get()), H5Sclose);
    if (!space.valid()) fail_read(field);
    const H5S_class_t shape = H5Sget_simple_extent_type(space.get());
    if (shape != H5S_SCALAR &&
        (shape != H5S_SIMPLE || H5Sget_simple_extent_npoints(space.get()) != 1)) {
      fail(field, "expected a single value, found an array or no value");
    }
    Hid type(H5Aget_type(opened.get()), H5Tclose);
    if (!type.valid()) fail_read(field);
    return std::pair{std::move(opened), std::move(type)};
  }

  // Checks that an attribute of a fixed-size type holds as many bytes as its type has (HDF5 would
  // otherwise copy by the type's size from a smaller buffer), then reads it into `buffer`.
  void read_attribute(const std::string& field, hid_t attribute, hid_t file_type, hid_t memory_type,
                      void* buffer) const {
    const std::size_t bytes = H5Tget_size(file_type);
    if (H5Aget_storage_size(attribute) != bytes) {
      fail(field, fmt::format("its value is stored in {} bytes, but its type has {}: the file is "
                              "damaged",
                              H5Aget_storage_size(attribute), bytes));
    }
    if (H5Aread(attribute, memory_type, buffer) < 0) fail_read(field);
  }

  std::optional<std::string> string_attribute(const char* name, std::size_t max_bytes) const {
    const auto opened = attribute(name);
    if (!opened) return std::nullopt;
    const auto& [value_id, type] = *opened;
    const std::string field = std::string("attrs.") + name;
    if (H5Tget_class(type.get()) != H5T_STRING) {
      fail(field, "expected a string, found " + describe_type(type.get()));
    }
    if (H5Tis_variable_str(type.get()) != 0) {
      fail(field,
           "expected a fixed-length string, found a variable-length one: HDF5 cannot read those "
           "safely from a damaged file, so linetwin does not read them (docs/recording-format.md)");
    }
    const std::size_t bytes = H5Tget_size(type.get());
    if (bytes == 0 || bytes > max_bytes) {
      fail(field,
           fmt::format("expected a string of at most {} bytes, found one of {}", max_bytes, bytes));
    }
    std::string data(bytes, '\0');
    read_attribute(field, value_id.get(), type.get(), type.get(), data.data());
    std::string value = fixed_string(data.data(), data.size(), H5Tget_strpad(type.get()));
    if (!is_utf8(value)) fail(field, "expected UTF-8 text, found bytes that are not valid UTF-8");
    return value;
  }

  // An integer attribute as T (int64 or uint64); HDF5 converts narrower integers.
  template <typename T>
  std::optional<T> integer_attribute(const char* name) const {
    const auto opened = attribute(name);
    if (!opened) return std::nullopt;
    const auto& [value_id, type] = *opened;
    constexpr bool kUnsigned = !std::numeric_limits<T>::is_signed;
    const std::size_t bytes = H5Tget_size(type.get());
    const bool fits = H5Tget_class(type.get()) == H5T_INTEGER && bytes <= sizeof(T) &&
                      (kUnsigned ? H5Tget_sign(type.get()) == H5T_SGN_NONE
                                 : H5Tget_sign(type.get()) != H5T_SGN_NONE || bytes < sizeof(T));
    if (!fits) {
      fail(std::string("attrs.") + name,
           fmt::format("expected {} integer of at most {} bytes, found {}",
                       kUnsigned ? "an unsigned" : "a signed", sizeof(T),
                       describe_type(type.get())));
    }
    T value = 0;
    read_attribute(std::string("attrs.") + name, value_id.get(), type.get(),
                   kUnsigned ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64, &value);
    return value;
  }

  std::string short_text(const char* name) const {
    return string_attribute(name, recording::kMaxAttributeTextBytes).value_or("");
  }

  void read_metadata(Recording& recording) const {
    read_schema();
    RecordingMetadata& metadata = recording.metadata;
    const std::optional<std::string> source =
        string_attribute("source", recording::kMaxAttributeTextBytes);
    if (!source) fail("attrs.source", "missing: expected one of simulation, replay, live");
    bool known = false;
    for (const auto candidate :
         {RecordingSource::kSimulation, RecordingSource::kReplay, RecordingSource::kLive}) {
      if (*source == recording_source_name(candidate)) {
        metadata.source = candidate;
        known = true;
      }
    }
    if (!known) {
      fail("attrs.source", "expected one of simulation, replay, live, found " + quoted(*source));
    }
    metadata.scene_file = short_text("scene_file");
    metadata.scene_text =
        string_attribute("scene_text", recording::kMaxSceneTextBytes).value_or("");
    metadata.start_time_us = integer_attribute<std::int64_t>("start_time_us").value_or(0);
    if (metadata.start_time_us < kEarliestSampleTimeUs ||
        metadata.start_time_us > kLatestSampleTimeUs) {
      fail("attrs.start_time_us",
           fmt::format("expected a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z "
                       "in µs since the epoch, found {}",
                       metadata.start_time_us));
    }
    metadata.seed = integer_attribute<std::uint64_t>("seed");
    if (const auto replication = integer_attribute<std::uint64_t>("replication")) {
      if (*replication > std::numeric_limits<std::uint32_t>::max()) {
        fail("attrs.replication",
             "expected a replication number below 2^32, found " + std::to_string(*replication));
      }
      metadata.replication = static_cast<std::uint32_t>(*replication);
    }
    recording.linetwin_version = short_text("linetwin_version");
    recording.created = short_text("created");
    short_text("start_time");  // read only to check it: start_time_us says the same
  }

  void read_schema() const {
    const auto opened = attribute("schema");
    if (!opened) {
      fail("attrs.schema", "missing: expected the string " + quoted(kRecordingSchema) +
                               " (this is not a linetwin recording)");
    }
    const Hid& type = opened->second;
    if (H5Tget_class(type.get()) == H5T_STRING && H5Tis_variable_str(type.get()) > 0) {
      // Version 1 stored its metadata as variable-length strings, which are not read (above).
      fail("attrs.schema", "expected the fixed-length string " + quoted(kRecordingSchema) +
                               ", found a variable-length string as in recordings of version 1 "
                               "(linetwin.recording/1), which are no longer read: "
                               "docs/recording-format.md says how to convert one");
    }
    const std::string schema = *string_attribute("schema", recording::kMaxAttributeTextBytes);
    if (schema != kRecordingSchema) {
      fail("attrs.schema", "expected " + quoted(kRecordingSchema) + ", found " + quoted(schema) +
                               (schema.starts_with("linetwin.recording/")
                                    ? " (a recording of another version of the format)"
                                    : ""));
    }
  }

  // --- datasets ---

  // A one-dimensional dataset of `what`, of at most `max_rows` rows, its type and its number of
  // rows. Its rows must be stored in the file: a chunked dataset may not claim more rows than its
  // stored chunks hold (HDF5 would make the rest up as zeros), a contiguous one more than its
  // storage; and no row or chunk may be larger than linetwin would ever write.
  struct Table {
    Hid dataset;
    Hid type;
    hsize_t rows = 0;
  };

  Table table(const char* name, const std::string& what, hsize_t max_rows) const {
    const std::string field = std::string("/") + name;
    const htri_t exists = H5Lexists(file_.get(), name, H5P_DEFAULT);
    if (exists < 0) fail_read(field);
    if (exists == 0) fail(field, "missing: expected " + what);
    Table table;
    table.dataset = Hid(H5Dopen2(file_.get(), name, H5P_DEFAULT), H5Dclose);
    if (!table.dataset.valid()) {
      fail(field, "expected a dataset of " + what + ": " + recording::hdf5_error_text());
    }
    const hid_t dataset = table.dataset.get();
    const Hid space(H5Dget_space(dataset), H5Sclose);
    if (!space.valid()) fail_read(field);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank != 1 || H5Sget_simple_extent_type(space.get()) != H5S_SIMPLE) {
      fail(field, fmt::format("expected a one-dimensional dataset of {}, found {} dimensions", what,
                              std::max(rank, 0)));
    }
    H5Sget_simple_extent_dims(space.get(), &table.rows, nullptr);
    if (table.rows > max_rows) {
      fail(field,
           fmt::format("expected at most {} rows of {}, found {}", max_rows, what, table.rows));
    }
    table.type = Hid(H5Dget_type(dataset), H5Tclose);
    if (!table.type.valid()) fail_read(field);
    const std::size_t row_bytes = H5Tget_size(table.type.get());
    if (row_bytes == 0 || row_bytes > kMaxRowBytes) {
      fail(field, fmt::format("expected rows of at most {} bytes, found {} bytes", kMaxRowBytes,
                              row_bytes));
    }
    const Hid properties(H5Dget_create_plist(dataset), H5Pclose);
    if (!properties.valid()) fail_read(field);
    switch (H5Pget_layout(properties.get())) {
      case H5D_CHUNKED: {
        hsize_t chunk_rows = 0;
        if (H5Pget_chunk(properties.get(), 1, &chunk_rows) != 1 || chunk_rows == 0)
          fail_read(field);
        if (chunk_rows > kMaxChunkBytes / row_bytes) {
          fail(field, fmt::format("expected chunks of at most {} bytes, found chunks of {} rows "
                                  "of {} bytes",
                                  kMaxChunkBytes, chunk_rows, row_bytes));
        }
        hsize_t stored = 0;
        if (H5Dget_num_chunks(dataset, space.get(), &stored) < 0) fail_read(field);
        const hsize_t needed = table.rows / chunk_rows + (table.rows % chunk_rows != 0 ? 1 : 0);
        if (needed > stored) {
          fail(field, fmt::format("holds {} rows in chunks of {}, but only {} chunks are stored: "
                                  "the file is damaged or cut short",
                                  table.rows, chunk_rows, stored));
        }
        break;
      }
      case H5D_CONTIGUOUS:
      case H5D_COMPACT:
        if (table.rows > H5Dget_storage_size(dataset) / row_bytes) {
          fail(field, fmt::format("holds {} rows of {} bytes, but only {} bytes are stored: the "
                                  "file is damaged or cut short",
                                  table.rows, row_bytes, H5Dget_storage_size(dataset)));
        }
        break;
      default:
        fail(field, "expected rows stored in the file, found another layout (a virtual dataset?)");
    }
    return table;
  }

  std::vector<std::string> read_strings(const char* name, const std::string& what,
                                        hsize_t max_rows) const {
    const std::string field = std::string("/") + name;
    const std::string described = "fixed-length strings of at most " +
                                  std::to_string(recording::kNameBytes) + " bytes (" + what +
                                  " that samples refer to by index)";
    const Table strings = table(name, described, max_rows);
    const hid_t type = strings.type.get();
    if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) != 0 ||
        H5Tget_size(type) > recording::kNameBytes) {
      fail(field, "expected " + described + ", found " + describe_type(type));
    }
    const std::size_t width = H5Tget_size(type);
    const H5T_str_t padding = H5Tget_strpad(type);
    std::vector<std::string> texts;
    std::vector<char> data;
    for (hsize_t first = 0; first < strings.rows; first += kStringRowsPerRead) {
      hsize_t count = std::min(kStringRowsPerRead, strings.rows - first);
      data.assign(count * width, '\0');
      const Hid file_rows(H5Dget_space(strings.dataset.get()), H5Sclose);
      const Hid memory_rows(H5Screate_simple(1, &count, nullptr), H5Sclose);
      if (H5Sselect_hyperslab(file_rows.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) <
              0 ||
          H5Dread(strings.dataset.get(), type, memory_rows.get(), file_rows.get(), H5P_DEFAULT,
                  data.data()) < 0) {
        fail_read(field);
      }
      for (hsize_t i = 0; i < count; ++i) {
        std::string text = fixed_string(data.data() + i * width, width, padding);
        if (!is_utf8(text)) {
          fail(fmt::format("{}[{}]", field, first + i),
               "expected UTF-8 text, found bytes that are not valid UTF-8");
        }
        texts.push_back(std::move(text));
      }
    }
    return texts;
  }

  // Whether a member of a file's row type can be read as the column without loss.
  static bool member_fits(hid_t member, ColumnType type) {
    const H5T_class_t type_class = H5Tget_class(member);
    const std::size_t size = H5Tget_size(member);
    const bool is_unsigned = H5Tget_sign(member) == H5T_SGN_NONE;
    switch (type) {
      case ColumnType::kInt64:
        return type_class == H5T_INTEGER && size <= 8 && (!is_unsigned || size < 8);
      case ColumnType::kUInt64:
        return type_class == H5T_INTEGER && is_unsigned && size <= 8;
      case ColumnType::kUInt32:
        return type_class == H5T_INTEGER && is_unsigned && size <= 4;
      case ColumnType::kUInt16:
        return type_class == H5T_INTEGER && is_unsigned && size <= 2;
      case ColumnType::kFloat64:
        return type_class == H5T_FLOAT && size <= 8;
      case ColumnType::kSampleKind:
      case ColumnType::kMachineState:
      case ColumnType::kBodyState: {
        // HDF5 converts enums by name, so the file's values may differ from ours; its names may
        // not be other than ours, and its values are bytes, as ours.
        if (type_class != H5T_ENUM || size != 1) return false;
        const int count = H5Tget_nmembers(member);
        if (count < 0 || count > kMachineStateCount) return false;
        for (int i = 0; i < count; ++i) {
          char* name = H5Tget_member_name(member, static_cast<unsigned>(i));
          const bool known = name != nullptr && is_state_or_kind_name(type, name);
          H5free_memory(name);
          if (!known) return false;
        }
        return true;
      }
    }
    return false;
  }

  template <typename Row>
  std::vector<Row> read_table(const char* name, std::span<const Column> columns,
                              const std::string& what) const {
    const std::string field = std::string("/") + name;
    const Table rows = table(name, "a table of " + what, std::numeric_limits<hsize_t>::max());
    const hid_t type = rows.type.get();
    if (H5Tget_class(type) != H5T_COMPOUND) {
      fail(field, "expected a table (compound rows) of " + what + ", found " + describe_type(type));
    }
    // Members linetwin does not read are not converted, but are refused all the same when HDF5
    // would follow a pointer in the file to read them.
    const int members = H5Tget_nmembers(type);
    for (int i = 0; i < members; ++i) {
      const Hid member(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
      if (!member.valid()) fail_read(field);
      const H5T_class_t member_class = H5Tget_class(member.get());
      if (member_class == H5T_VLEN || member_class == H5T_REFERENCE ||
          member_class == H5T_COMPOUND || member_class == H5T_ARRAY ||
          (member_class == H5T_STRING && H5Tis_variable_str(member.get()) != 0)) {
        fail(field,
             "expected a table of numbers, found a member that is " + describe_type(member.get()));
      }
    }
    for (const Column& column : columns) {
      const int index = H5Tget_member_index(type, column.name);
      if (index < 0) {
        fail(field + "." + column.name, "missing: expected " + expected_member(column.type));
      }
      const Hid member(H5Tget_member_type(type, static_cast<unsigned>(index)), H5Tclose);
      if (!member_fits(member.get(), column.type)) {
        fail(field + "." + column.name,
             "expected " + expected_member(column.type) + ", found " + describe_type(member.get()));
      }
    }
    std::vector<Row> data(rows.rows);
    const Hid memory_type = recording::memory_row_type(columns, sizeof(Row));
    if (rows.rows > 0 && H5Dread(rows.dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL,
                                 H5P_DEFAULT, data.data()) < 0) {
      fail_read(field);
    }
    return data;
  }

  // --- rows ---

  void check_samples(const std::vector<TelemetrySample>& samples,
                     const std::vector<std::string>& machines,
                     const std::vector<std::string>& names) const {
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const TelemetrySample& sample = samples[i];
      const std::string row = fmt::format("/samples[{}].", i);
      if (sample.machine >= machines.size()) {
        fail(row + "machine", fmt::format("index {} is not in /machines ({} entries)",
                                          sample.machine, machines.size()));
      }
      if (sample.name >= names.size()) {
        fail(row + "name",
             fmt::format("index {} is not in /names ({} entries)", sample.name, names.size()));
      }
      const std::optional<SampleFault> fault =
          check_sample(sample, machines[sample.machine], names[sample.name]);
      if (!fault) continue;
      std::string found;
      if (fault->field == "timestamp") {
        found = std::to_string(sample.timestamp_us);
      } else if (fault->field == "machine") {
        found = fmt::format("index {}, an empty id", sample.machine);
      } else if (fault->field == "name") {
        found = fmt::format("index {}, the empty name", sample.name);
      } else if (fault->field == "value") {
        found = fmt::format("{}", sample.value);
      } else if (fault->field == "state") {
        found = static_cast<int>(sample.state) < kMachineStateCount
                    ? std::string(machine_state_name(sample.state))
                    : "a value without a name in the file's enum";
      } else {
        found = "a value without a name in the file's enum";
      }
      fail(row + std::string(fault->field),
           fmt::format("expected {}, found {}", fault->expected, found));
    }
  }

  // A row's time: within the years a sample's may be in (telemetry/sample_checks.hpp).
  void check_time(const std::string& field, std::int64_t timestamp_us) const {
    if (timestamp_us < kEarliestSampleTimeUs || timestamp_us > kLatestSampleTimeUs) {
      fail(field,
           fmt::format("expected a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z "
                       "in µs since the epoch, found {}",
                       timestamp_us));
    }
  }

  // KPI rows: a time in range, a known machine, and numbers that are NaN (undefined) or finite
  // and >= 0, as the twins compute them.
  void check_kpis(const std::vector<KpiSnapshot>& kpis, std::size_t machines) const {
    for (std::size_t i = 0; i < kpis.size(); ++i) {
      const KpiSnapshot& kpi = kpis[i];
      const std::string row = fmt::format("/kpis[{}].", i);
      check_time(row + "timestamp_us", kpi.timestamp_us);
      if (kpi.machine >= machines) {
        fail(row + "machine",
             fmt::format("index {} is not in /machines ({} entries)", kpi.machine, machines));
      }
      for (const Column& column : recording::kpi_columns()) {
        if (column.type != ColumnType::kFloat64) continue;
        double value = 0.0;
        std::memcpy(&value, reinterpret_cast<const char*>(&kpi) + column.offset, sizeof value);
        if (std::isnan(value) || (std::isfinite(value) && value >= 0.0)) continue;
        fail(row + column.name,
             fmt::format("expected a finite number >= 0, or NaN where undefined, found {}", value));
      }
    }
  }

  // The bodies and their poses: all three tables or none (a recording without vehicles).
  void read_bodies(Recording& recording) const {
    const char* tables[] = {recording::kBodiesDataset, recording::kBodyShapesDataset,
                            recording::kTrajectoriesDataset};
    int present = 0;
    for (const char* name : tables)
      present += H5Lexists(file_.get(), name, H5P_DEFAULT) > 0 ? 1 : 0;
    if (present == 0) return;
    for (const char* name : tables) {
      if (H5Lexists(file_.get(), name, H5P_DEFAULT) <= 0) {
        fail(std::string("/") + name,
             "missing: a recording with moving bodies has /bodies, /body_shapes and "
             "/trajectories, and this one has only some of them");
      }
    }
    const std::vector<std::string> ids =
        read_strings(recording::kBodiesDataset, "the moving bodies' ids", kMaxMachines);
    const std::vector<BodyShape> shapes = read_table<BodyShape>(
        recording::kBodyShapesDataset, recording::body_shape_columns(), "body footprints");
    if (shapes.size() != ids.size()) {
      fail("/body_shapes", fmt::format("expected one row per body in /bodies ({}), found {}",
                                       ids.size(), shapes.size()));
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (ids[i].empty() || !seen.insert(ids[i]).second) {
        fail(fmt::format("/bodies[{}]", i),
             fmt::format("expected a non-empty id that no other body has, found {}",
                         quoted(ids[i])));
      }
      for (const auto& [name, value] :
           {std::pair{"length_m", shapes[i].length_m}, std::pair{"width_m", shapes[i].width_m}}) {
        if (!(std::isfinite(value) && value > 0.0)) {
          fail(fmt::format("/body_shapes[{}].{}", i, name),
               fmt::format("expected a finite number of metres > 0, found {}", value));
        }
      }
      recording.metadata.bodies.push_back({ids[i], shapes[i]});
    }
    std::vector<BodyPose> poses = read_table<BodyPose>(recording::kTrajectoriesDataset,
                                                       recording::pose_columns(), "body poses");
    for (std::size_t i = 0; i < poses.size(); ++i) {
      const BodyPose& pose = poses[i];
      const std::string row = fmt::format("/trajectories[{}].", i);
      check_time(row + "timestamp_us", pose.timestamp_us);
      if (i > 0 && pose.timestamp_us < poses[i - 1].timestamp_us) {
        fail(row + "timestamp_us", fmt::format("expected rows in time order, found {} after {}",
                                               pose.timestamp_us, poses[i - 1].timestamp_us));
      }
      if (pose.body >= ids.size()) {
        fail(row + "body",
             fmt::format("index {} is not in /bodies ({} entries)", pose.body, ids.size()));
      }
      if (static_cast<int>(pose.state) >= kBodyStateCount) {
        fail(row + "state", "expected parked, standing or moving, found a value without a name");
      }
      for (const auto& [name, value] : {std::pair{"x_m", pose.x_m}, std::pair{"y_m", pose.y_m},
                                        std::pair{"heading_rad", pose.heading_rad}}) {
        if (!std::isfinite(value)) {
          fail(row + name, fmt::format("expected a finite number, found {}", value));
        }
      }
    }
    recording.trajectories = std::move(poses);
  }

  // Builds the names table from the file's lists. A file written by linetwin lists each string
  // once, with "" first in /names, so indices stay as they are; any other file's indices are
  // mapped onto the interned ones.
  void intern(const std::vector<std::string>& machines, const std::vector<std::string>& names,
              std::vector<TelemetrySample>& samples, std::vector<KpiSnapshot>& kpis,
              TelemetryNames& table) const {
    bool same = true;
    std::vector<std::uint32_t> machine_index(machines.size());
    for (std::size_t i = 0; i < machines.size(); ++i) {
      machine_index[i] = table.intern_machine(machines[i]);
      same = same && machine_index[i] == i;
    }
    std::vector<std::uint16_t> name_index(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      name_index[i] = table.intern_name(names[i]);
      same = same && name_index[i] == i;
    }
    if (table.names().size() > kMaxNames) {
      fail("/names", fmt::format("expected at most {} names, the empty one included (samples refer "
                                 "to them by a uint16), found {}",
                                 kMaxNames, table.names().size()));
    }
    if (same) return;
    for (TelemetrySample& sample : samples) {
      sample.machine = machine_index[sample.machine];
      sample.name = name_index[sample.name];
    }
    for (KpiSnapshot& kpi : kpis)
      kpi.machine = machine_index[kpi.machine];
  }

  std::string path_;
  Hid file_;
  bool closed_ = true;
};

}  // namespace

Recording read_recording(const std::string& path) {
  recording::QuietHdf5Errors quiet;
  try {
    return RecordingReader(path).read();
  } catch (const InputError&) {
    quiet.keep_quiet();
    throw;
  }
}

TelemetryLog read_telemetry_hdf5(const std::string& path) {
  return std::move(read_recording(path).log);
}

}  // namespace linetwin
