// Reading a recording back (telemetry_recording.hpp; layout in docs/recording-format.md).
//
// A recording comes from outside like any input: it may be another program's HDF5 file, a
// recording written by hand with h5py, or one cut short by a crash. Every dataset and member is
// checked before it is read, and every row's indices after, and what does not fit the format is
// an InputError naming the file and the attribute (`attrs.schema`), dataset (`/samples`), member
// (`/samples.kind`) or row (`/samples[12].machine`) with what was expected. Members may be
// narrower than the format's (an int32 timestamp, a float32 value) but never of a kind or width
// that HDF5 would convert with loss.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "io/recording/recording_hdf5.hpp"
#include "io/recording/telemetry_recording.hpp"
#include "telemetry/machine_state.hpp"

namespace linetwin {
namespace {

using recording::Column;
using recording::ColumnType;
using recording::Hid;

constexpr const char* kSampleKindNames[] = {"state", "counter", "sensor"};
constexpr int kSampleKindCount = 3;

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
      return "a string";
    case H5T_ENUM:
      return "an enum";
    case H5T_COMPOUND:
      return "a compound type (a table row)";
    case H5T_ARRAY:
      return "an array";
    default:
      return "another kind of HDF5 type";
  }
}

bool is_state_or_kind_name(ColumnType type, const std::string& name) {
  if (type == ColumnType::kMachineState) return parse_machine_state(name).has_value();
  for (const char* kind : kSampleKindNames) {
    if (name == kind) return true;
  }
  return false;
}

class RecordingReader {
 public:
  explicit RecordingReader(const std::string& path) : path_(path) {}

  Recording read() {
    open();
    Recording recording;
    recording.closed = closed_;
    read_metadata(recording);
    const std::vector<std::string> machines = read_strings(recording::kMachinesDataset);
    const std::vector<std::string> names = read_strings(recording::kNamesDataset);
    std::vector<TelemetrySample> samples = read_table<TelemetrySample>(
        recording::kSamplesDataset, recording::sample_columns(), "telemetry samples");
    std::vector<KpiSnapshot> kpis =
        read_table<KpiSnapshot>(recording::kKpisDataset, recording::kpi_columns(), "KPI snapshots");
    check_samples(samples, machines.size(), names.size());
    check_kpis(kpis, machines.size());
    intern(machines, names, samples, kpis, recording.log.names);
    recording.log.samples = std::move(samples);
    recording.kpis = std::move(kpis);
    return recording;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError({path_, 0, 0, field}, message);
  }

  void open() {
    std::error_code error;
    if (!std::filesystem::exists(path_, error)) {
      fail("", "cannot read the recording: no such file");
    }
    const htri_t hdf5 = H5Fis_hdf5(path_.c_str());
    if (hdf5 == 0) {
      fail("", "not an HDF5 file; expected a linetwin recording (docs/recording-format.md)");
    }
    if (hdf5 < 0) fail("", "cannot read the recording: " + recording::hdf5_error_text());
    hid_t id = H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) {
      // A file that its writer has not closed (still recording, or crashed) is marked as open
      // for SWMR writing; it can be read as a SWMR reader, up to the writer's last flush.
      const std::string plain_error = recording::hdf5_error_text();
      id = H5Fopen(path_.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
      if (id < 0) fail("", "cannot open the recording: " + plain_error);
      closed_ = false;
    }
    file_ = Hid(id, H5Fclose);
  }

  // --- attributes ---

  std::optional<Hid> attribute(const char* name) const {
    if (H5Aexists(file_.get(), name) <= 0) return std::nullopt;
    Hid opened(H5Aopen(file_.get(), name, H5P_DEFAULT), H5Aclose);
    if (!opened.valid()) {
      fail(std::string("attrs.") + name, "cannot read: " + recording::hdf5_error_text());
    }
    const Hid space(H5Aget_space(opened.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) {
      fail(std::string("attrs.") + name, "expected a single value, found an array");
    }
    return opened;
  }

  std::optional<std::string> string_attribute(const char* name) const {
    const std::optional<Hid> opened = attribute(name);
    if (!opened) return std::nullopt;
    const std::string field = std::string("attrs.") + name;
    const Hid type(H5Aget_type(opened->get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) {
      fail(field, "expected a string, found " + describe_type(type.get()));
    }
    const Hid memory_type(H5Tcopy(type.get()), H5Tclose);
    if (H5Tis_variable_str(type.get()) > 0) {
      char* text = nullptr;
      if (H5Aread(opened->get(), memory_type.get(), &text) < 0) {
        fail(field, "cannot read: " + recording::hdf5_error_text());
      }
      std::string value = text != nullptr ? text : "";
      H5free_memory(text);
      return value;
    }
    std::string value(H5Tget_size(type.get()), '\0');
    if (H5Aread(opened->get(), memory_type.get(), value.data()) < 0) {
      fail(field, "cannot read: " + recording::hdf5_error_text());
    }
    return fixed_string(value.data(), value.size(), H5Tget_strpad(type.get()));
  }

  // An integer attribute as T (int64 or uint64); HDF5 converts narrower integers.
  template <typename T>
  std::optional<T> integer_attribute(const char* name) const {
    const std::optional<Hid> opened = attribute(name);
    if (!opened) return std::nullopt;
    constexpr bool kUnsigned = !std::numeric_limits<T>::is_signed;
    const Hid type(H5Aget_type(opened->get()), H5Tclose);
    const bool fits = H5Tget_class(type.get()) == H5T_INTEGER &&
                      (kUnsigned ? H5Tget_sign(type.get()) == H5T_SGN_NONE
                                 : H5Tget_sign(type.get()) != H5T_SGN_NONE ||
                                       H5Tget_size(type.get()) < sizeof(T));
    if (!fits) {
      fail(std::string("attrs.") + name, std::string("expected ") +
                                             (kUnsigned ? "an unsigned" : "a signed") +
                                             " integer, found " + describe_type(type.get()));
    }
    T value = 0;
    if (H5Aread(opened->get(), kUnsigned ? H5T_NATIVE_UINT64 : H5T_NATIVE_INT64, &value) < 0) {
      fail(std::string("attrs.") + name, "cannot read: " + recording::hdf5_error_text());
    }
    return value;
  }

  void read_metadata(Recording& recording) const {
    const std::optional<std::string> schema = string_attribute("schema");
    if (!schema) {
      fail("attrs.schema", std::string("missing: expected the string ") + quoted(kRecordingSchema) +
                               " (this is not a linetwin recording)");
    }
    if (*schema != kRecordingSchema) {
      fail("attrs.schema", "expected " + quoted(kRecordingSchema) + ", found " + quoted(*schema) +
                               (schema->starts_with("linetwin.recording/")
                                    ? " (a recording of another version of the format)"
                                    : ""));
    }
    RecordingMetadata& metadata = recording.metadata;
    const std::optional<std::string> source = string_attribute("source");
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
    metadata.scene_file = string_attribute("scene_file").value_or("");
    metadata.scene_text = string_attribute("scene_text").value_or("");
    metadata.start_time_us = integer_attribute<std::int64_t>("start_time_us").value_or(0);
    metadata.seed = integer_attribute<std::uint64_t>("seed");
    if (const auto replication = integer_attribute<std::uint64_t>("replication")) {
      if (*replication > std::numeric_limits<std::uint32_t>::max()) {
        fail("attrs.replication",
             "expected a replication number below 2^32, found " + std::to_string(*replication));
      }
      metadata.replication = static_cast<std::uint32_t>(*replication);
    }
    recording.linetwin_version = string_attribute("linetwin_version").value_or("");
    recording.created = string_attribute("created").value_or("");
  }

  // --- datasets ---

  static std::string fixed_string(const char* data, std::size_t size, H5T_str_t padding) {
    std::size_t length = 0;
    while (length < size && data[length] != '\0')
      ++length;
    if (padding == H5T_STR_SPACEPAD) {
      while (length > 0 && data[length - 1] == ' ')
        --length;
    }
    return std::string(data, length);
  }

  // A one-dimensional dataset and its number of rows.
  std::pair<Hid, hsize_t> table(const char* name, const std::string& what) const {
    const std::string field = std::string("/") + name;
    if (H5Lexists(file_.get(), name, H5P_DEFAULT) <= 0) fail(field, "missing: expected " + what);
    Hid dataset(H5Dopen2(file_.get(), name, H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) {
      fail(field, "expected a dataset of " + what + ": " + recording::hdf5_error_text());
    }
    const Hid space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank != 1) {
      fail(field, "expected a one-dimensional dataset of " + what + ", found " +
                      std::to_string(rank) + " dimensions");
    }
    hsize_t rows = 0;
    H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
    return {std::move(dataset), rows};
  }

  std::vector<std::string> read_strings(const char* name) const {
    const std::string field = std::string("/") + name;
    const std::string what =
        std::string("strings (the ") +
        (name == std::string(recording::kMachinesDataset) ? "machine ids" : "names") +
        " that samples refer to by index)";
    const auto [dataset, rows] = table(name, what);
    const Hid type(H5Dget_type(dataset.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) {
      fail(field, "expected " + what + ", found " + describe_type(type.get()));
    }
    const Hid memory_type(H5Tcopy(type.get()), H5Tclose);
    std::vector<std::string> strings;
    strings.reserve(rows);
    if (H5Tis_variable_str(type.get()) > 0) {
      std::vector<char*> texts(rows, nullptr);
      if (H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) <
          0) {
        fail(field, "cannot read: " + recording::hdf5_error_text());
      }
      for (char* text : texts)
        strings.emplace_back(text != nullptr ? text : "");
      const Hid space(H5Dget_space(dataset.get()), H5Sclose);
      H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, texts.data());
      return strings;
    }
    const std::size_t width = H5Tget_size(type.get());
    std::vector<char> data(rows * width);
    if (H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0) {
      fail(field, "cannot read: " + recording::hdf5_error_text());
    }
    for (hsize_t i = 0; i < rows; ++i) {
      strings.push_back(fixed_string(data.data() + i * width, width, H5Tget_strpad(type.get())));
    }
    return strings;
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
      case ColumnType::kMachineState: {
        // HDF5 converts enums by name, so the file's values may differ from ours; its names may
        // not be other than ours.
        if (type_class != H5T_ENUM) return false;
        const int count = H5Tget_nmembers(member);
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
    const auto [dataset, rows] = table(name, what);
    const Hid type(H5Dget_type(dataset.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_COMPOUND) {
      fail(field,
           "expected a table (compound rows) of " + what + ", found " + describe_type(type.get()));
    }
    for (const Column& column : columns) {
      const int index = H5Tget_member_index(type.get(), column.name);
      if (index < 0) {
        fail(field + "." + column.name, "missing: expected " + expected_member(column.type));
      }
      const Hid member(H5Tget_member_type(type.get(), static_cast<unsigned>(index)), H5Tclose);
      if (!member_fits(member.get(), column.type)) {
        fail(field + "." + column.name,
             "expected " + expected_member(column.type) + ", found " + describe_type(member.get()));
      }
    }
    std::vector<Row> data(rows);
    const Hid memory_type = recording::memory_row_type(columns, sizeof(Row));
    if (rows > 0 &&
        H5Dread(dataset.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0) {
      fail(field, "cannot read: " + recording::hdf5_error_text());
    }
    return data;
  }

  // --- rows ---

  void check_samples(const std::vector<TelemetrySample>& samples, std::size_t machines,
                     std::size_t names) const {
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const TelemetrySample& sample = samples[i];
      const std::string row = "/samples[" + std::to_string(i) + "].";
      if (sample.machine >= machines) {
        fail(row + "machine", "index " + std::to_string(sample.machine) + " is not in /machines (" +
                                  std::to_string(machines) + " entries)");
      }
      if (sample.name >= names) {
        fail(row + "name", "index " + std::to_string(sample.name) + " is not in /names (" +
                               std::to_string(names) + " entries)");
      }
      // An enum value that had no name in the file's enum cannot be converted by name.
      if (static_cast<int>(sample.kind) >= kSampleKindCount) {
        fail(row + "kind", "expected one of state, counter, sensor");
      }
      if (static_cast<int>(sample.state) >= kMachineStateCount) {
        fail(row + "state",
             "expected one of unknown, producing, idle, blocked, down, setup, "
             "off_shift");
      }
    }
  }

  void check_kpis(const std::vector<KpiSnapshot>& kpis, std::size_t machines) const {
    for (std::size_t i = 0; i < kpis.size(); ++i) {
      if (kpis[i].machine >= machines) {
        fail("/kpis[" + std::to_string(i) + "].machine",
             "index " + std::to_string(kpis[i].machine) + " is not in /machines (" +
                 std::to_string(machines) + " entries)");
      }
    }
  }

  // Builds the names table from the file's lists. A file written by linetwin lists each string
  // once, with "" first in /names, so indices stay as they are; any other file's indices are
  // mapped onto the interned ones.
  void intern(const std::vector<std::string>& machines, const std::vector<std::string>& names,
              std::vector<TelemetrySample>& samples, std::vector<KpiSnapshot>& kpis,
              TelemetryNames& table) const {
    if (names.size() > std::size_t{std::numeric_limits<std::uint16_t>::max()} + 1) {
      fail("/names", "expected at most 65536 names (samples refer to them by a uint16), found " +
                         std::to_string(names.size()));
    }
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
  const recording::QuietHdf5Errors quiet;
  return RecordingReader(path).read();
}

TelemetryLog read_telemetry_hdf5(const std::string& path) {
  return std::move(read_recording(path).log);
}

}  // namespace linetwin
