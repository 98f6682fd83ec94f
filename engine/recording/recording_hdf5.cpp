// The recording's HDF5 types and the helpers shared by its writer and reader
// (recording_hdf5.hpp).
#include "recording/recording_hdf5.hpp"

#include <array>
#include <cstddef>
#include <fstream>
#include <string_view>

#include "recording/telemetry_recording.hpp"
#include "telemetry/machine_state.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin::recording {

QuietHdf5Errors::QuietHdf5Errors() {
  H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietHdf5Errors::~QuietHdf5Errors() {
  if (restore_) H5Eset_auto2(H5E_DEFAULT, function_, data_);
}

std::optional<int> superblock_version(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 9> start{};
  in.read(start.data(), start.size());
  if (!in || std::string_view(start.data(), 8) != "\x89HDF\r\n\x1a\n") return std::nullopt;
  return static_cast<unsigned char>(start[8]);
}

std::string hdf5_error_text() {
  std::string text;
  // Walking upward starts at the innermost error, the one that says what actually went wrong
  // ("file signature not found"), rather than the API call that failed because of it.
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* error, void* out) -> herr_t {
        auto& message = *static_cast<std::string*>(out);
        if (message.empty() && error->desc != nullptr) message = error->desc;
        return 0;
      },
      &text);
  return text.empty() ? "unknown HDF5 error" : text;
}

namespace {

constexpr Column kSampleColumns[] = {
    {"timestamp_us", offsetof(TelemetrySample, timestamp_us), ColumnType::kInt64},
    {"sequence", offsetof(TelemetrySample, sequence), ColumnType::kUInt64},
    {"value", offsetof(TelemetrySample, value), ColumnType::kFloat64},
    {"machine", offsetof(TelemetrySample, machine), ColumnType::kUInt32},
    {"name", offsetof(TelemetrySample, name), ColumnType::kUInt16},
    {"kind", offsetof(TelemetrySample, kind), ColumnType::kSampleKind},
    {"state", offsetof(TelemetrySample, state), ColumnType::kMachineState},
};

constexpr Column kKpiColumns[] = {
    {"timestamp_us", offsetof(KpiSnapshot, timestamp_us), ColumnType::kInt64},
    {"machine", offsetof(KpiSnapshot, machine), ColumnType::kUInt32},
    {"observed_s", offsetof(KpiSnapshot, observed_s), ColumnType::kFloat64},
    {"working", offsetof(KpiSnapshot, working), ColumnType::kFloat64},
    {"setup", offsetof(KpiSnapshot, setup), ColumnType::kFloat64},
    {"waiting_operator", offsetof(KpiSnapshot, waiting_operator), ColumnType::kFloat64},
    {"starved", offsetof(KpiSnapshot, starved), ColumnType::kFloat64},
    {"blocked", offsetof(KpiSnapshot, blocked), ColumnType::kFloat64},
    {"down", offsetof(KpiSnapshot, down), ColumnType::kFloat64},
    {"off_shift", offsetof(KpiSnapshot, off_shift), ColumnType::kFloat64},
    {"unknown", offsetof(KpiSnapshot, unknown), ColumnType::kFloat64},
    {"parts_processed", offsetof(KpiSnapshot, parts_processed), ColumnType::kUInt64},
    {"parts_good", offsetof(KpiSnapshot, parts_good), ColumnType::kUInt64},
    {"parts_scrapped", offsetof(KpiSnapshot, parts_scrapped), ColumnType::kUInt64},
    {"failures", offsetof(KpiSnapshot, failures), ColumnType::kUInt64},
    {"setups", offsetof(KpiSnapshot, setups), ColumnType::kUInt64},
    {"throughput_per_hour", offsetof(KpiSnapshot, throughput_per_hour), ColumnType::kFloat64},
    {"cycle_time_mean_s", offsetof(KpiSnapshot, cycle_time_mean_s), ColumnType::kFloat64},
    {"availability", offsetof(KpiSnapshot, availability), ColumnType::kFloat64},
    {"performance", offsetof(KpiSnapshot, performance), ColumnType::kFloat64},
    {"quality", offsetof(KpiSnapshot, quality), ColumnType::kFloat64},
    {"oee", offsetof(KpiSnapshot, oee), ColumnType::kFloat64},
};

constexpr Column kBodyShapeColumns[] = {
    {"length_m", offsetof(BodyShape, length_m), ColumnType::kFloat64},
    {"width_m", offsetof(BodyShape, width_m), ColumnType::kFloat64},
};

constexpr Column kPoseColumns[] = {
    {"timestamp_us", offsetof(BodyPose, timestamp_us), ColumnType::kInt64},
    {"body", offsetof(BodyPose, body), ColumnType::kUInt32},
    {"state", offsetof(BodyPose, state), ColumnType::kBodyState},
    {"x_m", offsetof(BodyPose, x_m), ColumnType::kFloat64},
    {"y_m", offsetof(BodyPose, y_m), ColumnType::kFloat64},
    {"heading_rad", offsetof(BodyPose, heading_rad), ColumnType::kFloat64},
};

constexpr const char* kBodyStateNames[] = {"parked", "standing", "moving"};
static_assert(std::size(kBodyStateNames) == kBodyStateCount);

// The file layout must not follow the struct by accident: the sample row is documented as these
// 32 bytes, and writing straight from TelemetrySample memory relies on it.
static_assert(offsetof(TelemetrySample, sequence) == 8 && offsetof(TelemetrySample, value) == 16 &&
              offsetof(TelemetrySample, machine) == 24 && offsetof(TelemetrySample, name) == 28 &&
              offsetof(TelemetrySample, kind) == 30 && offsetof(TelemetrySample, state) == 31);

Hid enum_type(hid_t base, std::span<const char* const> names) {
  Hid type(H5Tenum_create(base), H5Tclose);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto value = static_cast<std::uint8_t>(i);
    H5Tenum_insert(type.get(), names[i], &value);
  }
  return type;
}

}  // namespace

std::span<const Column> sample_columns() {
  return kSampleColumns;
}
std::span<const Column> kpi_columns() {
  return kKpiColumns;
}
std::span<const Column> body_shape_columns() {
  return kBodyShapeColumns;
}
std::span<const Column> pose_columns() {
  return kPoseColumns;
}
std::span<const char* const> body_state_names() {
  return kBodyStateNames;
}

Hid column_type(ColumnType type, bool in_file) {
  switch (type) {
    case ColumnType::kInt64:
      return Hid(H5Tcopy(in_file ? H5T_STD_I64LE : H5T_NATIVE_INT64), H5Tclose);
    case ColumnType::kUInt64:
      return Hid(H5Tcopy(in_file ? H5T_STD_U64LE : H5T_NATIVE_UINT64), H5Tclose);
    case ColumnType::kUInt32:
      return Hid(H5Tcopy(in_file ? H5T_STD_U32LE : H5T_NATIVE_UINT32), H5Tclose);
    case ColumnType::kUInt16:
      return Hid(H5Tcopy(in_file ? H5T_STD_U16LE : H5T_NATIVE_UINT16), H5Tclose);
    case ColumnType::kFloat64:
      return Hid(H5Tcopy(in_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE), H5Tclose);
    case ColumnType::kSampleKind: {
      // In SampleKind's order, so that an enum value is the C++ value.
      static constexpr const char* kNames[] = {"state", "counter", "sensor"};
      return enum_type(in_file ? H5T_STD_U8LE : H5T_NATIVE_UINT8, kNames);
    }
    case ColumnType::kMachineState: {
      const char* names[kMachineStateCount];
      for (int i = 0; i < kMachineStateCount; ++i) {
        // machine_state_name returns views of string literals, so data() is NUL-terminated.
        names[i] = machine_state_name(static_cast<MachineState>(i)).data();
      }
      return enum_type(in_file ? H5T_STD_U8LE : H5T_NATIVE_UINT8, names);
    }
    case ColumnType::kBodyState:
      return enum_type(in_file ? H5T_STD_U8LE : H5T_NATIVE_UINT8, kBodyStateNames);
  }
  return {};
}

Hid memory_row_type(std::span<const Column> columns, std::size_t row_bytes) {
  Hid row(H5Tcreate(H5T_COMPOUND, row_bytes), H5Tclose);
  for (const Column& column : columns) {
    H5Tinsert(row.get(), column.name, column.offset, column_type(column.type, false).get());
  }
  return row;
}

Hid file_row_type(std::span<const Column> columns) {
  std::size_t bytes = 0;
  for (const Column& column : columns)
    bytes += H5Tget_size(column_type(column.type, true).get());
  Hid row(H5Tcreate(H5T_COMPOUND, bytes), H5Tclose);
  std::size_t offset = 0;
  for (const Column& column : columns) {
    const Hid member = column_type(column.type, true);
    H5Tinsert(row.get(), column.name, offset, member.get());
    offset += H5Tget_size(member.get());
  }
  return row;
}

Hid text_type(std::size_t bytes) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), bytes);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

}  // namespace linetwin::recording
