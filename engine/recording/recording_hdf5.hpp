// The HDF5 side of the recording format (docs/recording-format.md), shared by the writer
// (telemetry_recording.cpp) and the reader (recording_reader.cpp) so that the two cannot drift
// apart: the names of the datasets and attributes, the row types as HDF5 compound types, and
// small helpers that make the HDF5 C API safe to use from C++ (identifiers that close themselves,
// errors as text). Only those two files include it, the sweep file (sweep_file_tables.hpp) for the
// helpers, and the tests that damage recordings; nothing outside the engine sees hdf5.h.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "telemetry/sample_checks.hpp"

namespace linetwin::recording {

inline constexpr const char* kSamplesDataset = "samples";
inline constexpr const char* kKpisDataset = "kpis";
inline constexpr const char* kMachinesDataset = "machines";
inline constexpr const char* kNamesDataset = "names";
inline constexpr const char* kBodiesDataset = "bodies";
inline constexpr const char* kBodyShapesDataset = "body_shapes";
inline constexpr const char* kTrajectoriesDataset = "trajectories";

// Every string of a recording is fixed-length UTF-8, padded with NULs. Machine ids and names
// could not be variable-length (SWMR, which makes recordings crash-safe, does not support
// variable-length data), and neither are the metadata attributes: HDF5 reads a variable-length
// string through a length and a heap address in the file that it does not check, so a flipped
// bit there crashes the reader. Names are fields of kMaxNameBytes, the longest name any log holds
// (telemetry/sample_checks.hpp).
inline constexpr std::size_t kNameBytes = kMaxNameBytes;
// The longest text attribute: the scene's text, and the others (a path, a version, a time).
inline constexpr std::size_t kMaxSceneTextBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxAttributeTextBytes = 4096;

// An HDF5 identifier that closes itself with the H5?close function of its kind.
class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Hid() { reset(); }
  Hid(Hid&& other) noexcept : id_(other.id_), closer_(other.closer_) {
    other.id_ = H5I_INVALID_HID;
  }
  Hid& operator=(Hid&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      closer_ = other.closer_;
      other.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns false when HDF5 reports an error (a failed final write, for a file).
  bool reset() {
    bool ok = true;
    if (id_ >= 0 && closer_ != nullptr) ok = closer_(id_) >= 0;
    id_ = H5I_INVALID_HID;
    return ok;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// While alive, HDF5 does not print its error stack to stderr: the recording code reports errors
// as exceptions carrying hdf5_error_text() instead.
class QuietHdf5Errors {
 public:
  QuietHdf5Errors();
  ~QuietHdf5Errors();
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

  // Keeps HDF5 quiet for the rest of the process. After some damaged files HDF5 holds internal
  // state that it never releases (its error paths leak it), and at exit it reports that on stderr
  // as "infinite loop closing library", after linetwin's own error, unless it is quiet.
  void keep_quiet() { restore_ = false; }

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
  bool restore_ = true;
};

// The most specific message on this thread's HDF5 error stack ("file signature not found"), or
// "unknown HDF5 error" when the stack is empty.
std::string hdf5_error_text();

// The version of the HDF5 superblock that starts the file at `path`: the byte after HDF5's 8-byte
// signature. None when the file does not start with that signature (not HDF5, or HDF5 behind a
// user block). Versions 0 and 1 keep no checksums on their metadata; from 2 on, a checksum guards
// every block of it, so a reader of untrusted files refuses the older ones before HDF5 reads them.
std::optional<int> superblock_version(const std::string& path);

// The type of one member of a row.
enum class ColumnType : std::uint8_t {
  kInt64,
  kUInt64,
  kUInt32,
  kUInt16,
  kFloat64,
  kSampleKind,    // enum over uint8: state, counter, sensor
  kMachineState,  // enum over uint8: unknown, producing, idle, blocked, down, setup, off_shift
  kBodyState,     // enum over uint8: parked, standing, moving
};

struct Column {
  const char* name;
  std::size_t offset;  // in the C++ row struct
  ColumnType type;
};

// The members of TelemetrySample, KpiSnapshot, BodyShape and BodyPose, in the order
// of the file's columns.
std::span<const Column> sample_columns();
std::span<const Column> kpi_columns();
std::span<const Column> body_shape_columns();
std::span<const Column> pose_columns();
// "parked", "standing", "moving": BodyState's names in the file's enum.
std::span<const char* const> body_state_names();

// The compound type of a row in memory (native types at the struct's offsets) and in the file
// (little-endian, packed without gaps).
Hid memory_row_type(std::span<const Column> columns, std::size_t row_bytes);
Hid file_row_type(std::span<const Column> columns);

// The HDF5 type of a column's member, in memory or in the file.
Hid column_type(ColumnType type, bool in_file);

// A fixed-length UTF-8 string type of `bytes` bytes, padded with NULs: /machines and /names are
// of text_type(kNameBytes), an attribute of the length of its text.
Hid text_type(std::size_t bytes);

}  // namespace linetwin::recording
