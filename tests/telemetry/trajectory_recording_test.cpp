// Vehicles' poses in a recording (/bodies, /body_shapes, /trajectories; docs/recording-format.md):
// what goes in comes back bit for bit, the tables are laid out as documented (checked with the
// HDF5 C API, not the reader under test), a recording without bodies has none of them, and each
// damaged table is refused naming the file and the field.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "recording/telemetry_recording.hpp"
#include "test_files.hpp"

namespace linetwin {
namespace {

constexpr std::int64_t kStartUs = 1'767'571'200'000'000;

RecordingMetadata with_two_vehicles() {
  RecordingMetadata metadata;
  metadata.scene_file = "agv.yaml";
  metadata.scene_text = "a scene\n";
  metadata.seed = 7;
  metadata.replication = 0;
  metadata.start_time_us = kStartUs;
  metadata.bodies = {{"AGV#1", {1.4, 1.0}}, {"Schlepper #2", {2.25, 0.8}}};
  return metadata;
}

std::vector<BodyPose> some_poses(std::size_t count) {
  std::vector<BodyPose> poses;
  for (std::size_t i = 0; i < count; ++i) {
    poses.push_back(
        {.timestamp_us = kStartUs + static_cast<std::int64_t>(i / 2) * 200'000,
         .body = static_cast<std::uint32_t>(i % 2),
         .state = static_cast<BodyState>(i % 3),
         .x_m = 0.1 * static_cast<double>(i),
         .y_m = -3.0 + 1.0 / (1.0 + static_cast<double>(i)),
         .heading_rad = std::remainder(0.37 * static_cast<double>(i), 6.283185307179586)});
  }
  return poses;
}

void write_recording(const std::string& path, const RecordingMetadata& metadata,
                     const std::vector<BodyPose>& poses) {
  TelemetryNames names;
  names.intern_machine("OP10");
  RecordingWriter writer(path, metadata, names);
  const std::span<const BodyPose> all(poses);
  writer.append_poses(all.first(all.size() / 3));
  writer.flush();
  writer.append_poses(all.subspan(all.size() / 3));
  writer.close();
}

struct H5 {
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5() {
    if (id >= 0) close(id);
  }
};

InputError read_error(const std::string& path) {
  try {
    read_recording(path);
  } catch (const InputError& error) {
    return error;
  }
  FAIL("expected an InputError");
  return InputError({}, "");
}

// Overwrites one member of one row of a table, through HDF5 itself (as a damaged or foreign file
// would have it).
template <typename T>
void overwrite(const std::string& path, const char* table, const char* member, hsize_t row,
               hid_t member_type, T value) {
  const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
  const H5 dataset{H5Dopen2(file.id, table, H5P_DEFAULT), H5Dclose};
  const H5 type{H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose};
  H5Tinsert(type.id, member, 0, member_type);
  const H5 space{H5Dget_space(dataset.id), H5Sclose};
  const hsize_t one = 1;
  H5Sselect_hyperslab(space.id, H5S_SELECT_SET, &row, nullptr, &one, nullptr);
  const H5 memory{H5Screate_simple(1, &one, nullptr), H5Sclose};
  REQUIRE(H5Dwrite(dataset.id, type.id, memory.id, space.id, H5P_DEFAULT, &value) >= 0);
}

}  // namespace

TEST_CASE("trajectories: bodies and poses come back bit for bit, across flushes") {
  test::TempDir dir;
  const std::string path = dir.path() + "/agv.h5";
  const std::vector<BodyPose> poses = some_poses(10001);
  write_recording(path, with_two_vehicles(), poses);
  const Recording recording = read_recording(path);
  REQUIRE(recording.metadata.bodies.size() == 2);
  CHECK(recording.metadata.bodies[1].id == "Schlepper #2");
  CHECK(recording.metadata.bodies[1].shape.length_m == 2.25);
  CHECK(recording.metadata.bodies[1].shape.width_m == 0.8);
  REQUIRE(recording.trajectories.size() == poses.size());
  for (std::size_t i = 0; i < poses.size(); ++i) {
    const BodyPose& a = recording.trajectories[i];
    const BodyPose& b = poses[i];
    CAPTURE(i);
    CHECK(a.timestamp_us == b.timestamp_us);
    CHECK(a.body == b.body);
    CHECK(a.state == b.state);
    CHECK(std::memcmp(&a.x_m, &b.x_m, sizeof(double)) == 0);
    CHECK(std::memcmp(&a.y_m, &b.y_m, sizeof(double)) == 0);
    CHECK(std::memcmp(&a.heading_rad, &b.heading_rad, sizeof(double)) == 0);
  }
}

TEST_CASE("trajectories: the tables are laid out as documented") {
  test::TempDir dir;
  const std::string path = dir.path() + "/agv.h5";
  write_recording(path, with_two_vehicles(), some_poses(5));
  const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const H5 poses{H5Dopen2(file.id, "trajectories", H5P_DEFAULT), H5Dclose};
  const H5 type{H5Dget_type(poses.id), H5Tclose};
  // 37-byte packed rows: timestamp_us int64, body uint32, state enum uint8, x_m, y_m, heading_rad.
  CHECK(H5Tget_size(type.id) == 37);
  const char* names[] = {"timestamp_us", "body", "state", "x_m", "y_m", "heading_rad"};
  const std::size_t offsets[] = {0, 8, 12, 13, 21, 29};
  REQUIRE(H5Tget_nmembers(type.id) == 6);
  for (unsigned i = 0; i < 6; ++i) {
    char* name = H5Tget_member_name(type.id, i);
    CHECK(std::string(name) == names[i]);
    H5free_memory(name);
    CHECK(H5Tget_member_offset(type.id, i) == offsets[i]);
  }
  const H5 state{H5Tget_member_type(type.id, 2), H5Tclose};
  REQUIRE(H5Tget_class(state.id) == H5T_ENUM);
  for (const char* name : {"parked", "standing", "moving"}) {
    std::uint8_t value = 255;
    CHECK(H5Tenum_valueof(state.id, name, &value) >= 0);
  }
  const H5 shapes{H5Dopen2(file.id, "body_shapes", H5P_DEFAULT), H5Dclose};
  const H5 shape_type{H5Dget_type(shapes.id), H5Tclose};
  CHECK(H5Tget_size(shape_type.id) == 16);
  const H5 bodies{H5Dopen2(file.id, "bodies", H5P_DEFAULT), H5Dclose};
  const H5 body_type{H5Dget_type(bodies.id), H5Tclose};
  CHECK(H5Tget_class(body_type.id) == H5T_STRING);
  CHECK(H5Tis_variable_str(body_type.id) == 0);
}

TEST_CASE("trajectories: a recording without bodies has none of the tables") {
  test::TempDir dir;
  const std::string path = dir.path() + "/plain.h5";
  RecordingMetadata metadata = with_two_vehicles();
  metadata.bodies.clear();
  write_recording(path, metadata, {});
  const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  for (const char* table : {"bodies", "body_shapes", "trajectories"})
    CHECK(H5Lexists(file.id, table, H5P_DEFAULT) == 0);
  const Recording recording = read_recording(path);
  CHECK(recording.metadata.bodies.empty());
  CHECK(recording.trajectories.empty());
}

TEST_CASE("trajectories: each damaged table is refused naming the file and the field") {
  test::TempDir dir;
  struct Damage {
    const char* name;
    std::function<void(const std::string&)> apply;
    const char* field;
    const char* message;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Damage> damages = {
      {"a body index past /bodies",
       [](const std::string& p) {
         overwrite(p, "trajectories", "body", 3, H5T_NATIVE_UINT32, std::uint32_t{2});
       },
       "/trajectories[3].body", "index 2 is not in /bodies (2 entries)"},
      {"a position that is not a number",
       [&](const std::string& p) {
         overwrite(p, "trajectories", "x_m", 4, H5T_NATIVE_DOUBLE, nan);
       },
       "/trajectories[4].x_m", "expected a finite number"},
      {"an infinite heading",
       [](const std::string& p) {
         overwrite(p, "trajectories", "heading_rad", 0, H5T_NATIVE_DOUBLE,
                   std::numeric_limits<double>::infinity());
       },
       "/trajectories[0].heading_rad", "expected a finite number"},
      {"rows out of time order",
       [](const std::string& p) {
         overwrite(p, "trajectories", "timestamp_us", 2, H5T_NATIVE_INT64, kStartUs + 10'000'000);
       },
       "/trajectories[3].timestamp_us", "expected rows in time order"},
      {"a time past the year 9999",
       [](const std::string& p) {
         overwrite(p, "trajectories", "timestamp_us", 5, H5T_NATIVE_INT64,
                   std::numeric_limits<std::int64_t>::max());
       },
       "/trajectories[5].timestamp_us", "expected a time from 0001-01-01"},
      {"a footprint of no width",
       [](const std::string& p) {
         overwrite(p, "body_shapes", "width_m", 1, H5T_NATIVE_DOUBLE, 0.0);
       },
       "/body_shapes[1].width_m", "expected a finite number of metres > 0, found 0"},
      {"a missing table",
       [](const std::string& p) {
         const H5 file{H5Fopen(p.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
         H5Ldelete(file.id, "body_shapes", H5P_DEFAULT);
       },
       "/body_shapes", "has only some of them"},
  };
  for (const Damage& damage : damages) {
    CAPTURE(damage.name);
    const std::string path = dir.path() + "/damaged.h5";
    write_recording(path, with_two_vehicles(), some_poses(12));
    damage.apply(path);
    const InputError error = read_error(path);
    CHECK(error.where().file == path);
    CHECK(error.where().field_path == damage.field);
    CHECK_MESSAGE(error.message().find(damage.message) != std::string::npos, error.what());
  }
}

TEST_CASE("trajectories: the writer refuses a body id the reader would refuse") {
  test::TempDir dir;
  RecordingMetadata metadata = with_two_vehicles();
  metadata.bodies[0].id = std::string(2000, 'x');
  TelemetryNames names;
  try {
    RecordingWriter writer(dir.path() + "/long.h5", metadata, names);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().field_path == "/bodies[0]");
  }
}

}  // namespace linetwin
