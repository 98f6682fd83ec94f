// HDF5 recordings (engine/recording): what goes in comes back bit for bit; the file is laid
// out as docs/recording-format.md says, which these tests check with the HDF5 C API rather than
// with the reader under test; a crash loses only what was appended since the last flush, which
// the tests show by writing in a child process that ends with _exit() and closes nothing; and
// bad files are reported with the file and the attribute, dataset or field at fault.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "linetwin_version.hpp"
#include "recording/telemetry_recording.hpp"
#include "recording_fixture/damaged_recordings.hpp"
#include "telemetry/sample_checks.hpp"
#include "telemetry/twin_kpis.hpp"
#include "test_files.hpp"

// In the sanitizer build: HDF5's own leaks after some damaged files (recording_fixture/
// hdf5_leaks.supp says which) are not this program's; the damage test checks instead that the
// reader closes every identifier it opens.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libhdf5_serial.so\n";
}

namespace linetwin {
namespace {

constexpr std::int64_t kStartUs = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z

TelemetryNames line_names() {
  TelemetryNames names;
  names.intern_machine("OP10");
  names.intern_machine("OP20");
  names.intern_machine("Prüfstand 3");  // UTF-8 must survive
  names.intern_name("good");
  names.intern_name("scrap");
  names.intern_name("temperature_C");
  names.intern_name("tool change");
  return names;
}

RecordingMetadata simulation_metadata() {
  RecordingMetadata metadata;
  metadata.source = RecordingSource::kSimulation;
  metadata.scene_file = "scenes/two_stations.yaml";
  metadata.scene_text = "elements:\n  - id: OP10 # Prüfstand\n";
  metadata.seed = 0xFEDC'BA98'7654'3210ULL;
  metadata.replication = 7;
  metadata.start_time_us = kStartUs;
  return metadata;
}

// Valid samples with every field drawn at random over its whole valid range: times from year 1
// to 9999, and readings as random bit patterns (subnormals, -0.0 for a sensor, the largest
// doubles), so that only a bit-exact store passes.
std::vector<TelemetrySample> random_samples(std::size_t count, const TelemetryNames& names,
                                            std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::int64_t> time(kEarliestSampleTimeUs, kLatestSampleTimeUs);
  std::vector<TelemetrySample> samples(count);
  for (TelemetrySample& sample : samples) {
    sample.timestamp_us = time(random);
    sample.sequence = random();
    sample.machine = static_cast<std::uint32_t>(random() % names.machines().size());
    sample.kind = static_cast<SampleKind>(random() % 3);
    if (sample.kind == SampleKind::kState) {
      sample.state = static_cast<MachineState>(random() % kMachineStateCount);
      sample.name = static_cast<std::uint16_t>(random() % names.names().size());
      continue;
    }
    // Counters and sensors are named: any name but the empty one, names()[0].
    sample.name = static_cast<std::uint16_t>(1 + random() % (names.names().size() - 1));
    do {
      sample.value = std::bit_cast<double>(random());
    } while (!std::isfinite(sample.value));
    if (sample.kind == SampleKind::kCounter) sample.value = std::fabs(sample.value);
  }
  return samples;
}

// Samples as a line sends them: regular times and sequence numbers, which compress well.
std::vector<TelemetrySample> regular_samples(std::size_t count) {
  std::vector<TelemetrySample> samples(count);
  for (std::size_t i = 0; i < count; ++i) {
    samples[i].timestamp_us = kStartUs + static_cast<std::int64_t>(i) * 1000;
    samples[i].sequence = i + 1;
    samples[i].value = static_cast<double>(i / 10);
    samples[i].machine = static_cast<std::uint32_t>(i % 3);
    samples[i].name = 1;
    samples[i].kind = SampleKind::kCounter;
  }
  return samples;
}

bool same_bits(std::span<const TelemetrySample> a, std::span<const TelemetrySample> b) {
  // TelemetrySample has no padding (32 bytes of fields), so its bytes are its values.
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

std::array<std::uint64_t, 22> kpi_bits(const KpiSnapshot& k) {
  const auto bits = [](double value) { return std::bit_cast<std::uint64_t>(value); };
  return {static_cast<std::uint64_t>(k.timestamp_us),
          k.machine,
          bits(k.observed_s),
          bits(k.working),
          bits(k.setup),
          bits(k.waiting_operator),
          bits(k.starved),
          bits(k.blocked),
          bits(k.down),
          bits(k.off_shift),
          bits(k.unknown),
          k.parts_processed,
          k.parts_good,
          k.parts_scrapped,
          k.failures,
          k.setups,
          bits(k.throughput_per_hour),
          bits(k.cycle_time_mean_s),
          bits(k.availability),
          bits(k.performance),
          bits(k.quality),
          bits(k.oee)};
}

// A snapshot whose fields all differ, derived from `i`.
KpiSnapshot numbered_kpis(int i) {
  KpiSnapshot k;
  k.timestamp_us = kStartUs + i * 60'000'000LL;
  k.machine = static_cast<std::uint32_t>(i % 3);
  k.observed_s = 60.0 * (i + 1);
  k.working = 0.5;
  k.setup = 0.0625;
  k.waiting_operator = 0.0;
  k.starved = 0.125;
  k.blocked = 0.0625;
  k.down = 0.125;
  k.off_shift = 0.0;
  k.unknown = 0.125;
  k.parts_processed = 100 + static_cast<std::uint64_t>(i);
  k.parts_good = 97 + static_cast<std::uint64_t>(i);
  k.parts_scrapped = 3;
  k.failures = 2;
  k.setups = 1;
  k.throughput_per_hour = 97.5 + i;
  k.cycle_time_mean_s = std::numeric_limits<double>::quiet_NaN();
  k.availability = 0.8125;
  k.performance = 0.75;
  k.quality = 0.97;
  k.oee = 0.8125 * 0.75 * 0.97;
  return k;
}

long file_bytes(const std::string& path) {
  struct stat status {};
  REQUIRE(stat(path.c_str(), &status) == 0);
  return static_cast<long>(status.st_size);
}

// Runs `record` in a child process, which then ends with _exit() while the writer that `record`
// returns is still open: no flush, no close, no destructor, as in a crash. Returns the child's
// exit status (0 when `record` returned).
int record_then_crash(const std::function<RecordingWriter()>& record) {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      const RecordingWriter writer = record();
      _exit(0);
    } catch (...) {
      _exit(3);
    }
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

// Expects the file to hold at least the first `durable` of `appended` samples and nothing that
// was not appended: a prefix, cut somewhere after the last flush.
void check_prefix(const Recording& recording, std::span<const TelemetrySample> appended,
                  std::size_t durable) {
  const std::vector<TelemetrySample>& read = recording.log.samples;
  CHECK_FALSE(recording.closed);
  CHECK(read.size() >= durable);
  REQUIRE(read.size() <= appended.size());
  CHECK(same_bits(read, appended.first(read.size())));
}

// --- HDF5 C API helpers for the layout checks and for making bad files ---

struct H5 {
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5() {
    if (id >= 0) close(id);
  }
};

// A fixed-length UTF-8 string attribute, as the format stores them.
void set_string_attribute(hid_t object, const char* name, const std::string& value) {
  const H5 type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, value.size());
  H5Tset_cset(type.id, H5T_CSET_UTF8);
  const H5 space{H5Screate(H5S_SCALAR), H5Sclose};
  const H5 attribute{H5Acreate2(object, name, type.id, space.id, H5P_DEFAULT, H5P_DEFAULT),
                     H5Aclose};
  REQUIRE(H5Awrite(attribute.id, type.id, value.data()) >= 0);
}

// The text of a fixed-length string attribute, read with the HDF5 C API.
std::string string_attribute(hid_t object, const char* name) {
  const H5 attribute{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  REQUIRE(attribute.id >= 0);
  const H5 type{H5Aget_type(attribute.id), H5Tclose};
  REQUIRE(H5Tget_class(type.id) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(type.id) == 0);
  CHECK(H5Tget_cset(type.id) == H5T_CSET_UTF8);
  CHECK(H5Tget_strpad(type.id) == H5T_STR_NULLPAD);
  std::string text(H5Tget_size(type.id), '\0');
  REQUIRE(H5Aread(attribute.id, type.id, text.data()) >= 0);
  return text.substr(0, text.find('\0'));
}

// A new HDF5 file in the format recordings use (HDF5 1.10: checksums on all metadata), as h5py
// makes it with libver="latest".
hid_t create_latest_format(const std::string& path) {
  const H5 access{H5Pcreate(H5P_FILE_ACCESS), H5Pclose};
  H5Pset_libver_bounds(access.id, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  return H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.id);
}

template <typename Function>
InputError read_error(const std::string& path, Function read) {
  try {
    read(path);
  } catch (const InputError& error) {
    return error;
  }
  FAIL("expected an InputError for " << path);
  return InputError({}, "");
}

TEST_CASE("recording: samples, names, KPIs and metadata come back bit for bit") {
  test::TempDir dir;
  const std::string path = dir.path() + "/run.h5";
  TelemetryNames names = line_names();
  // Three chunks and a part, appended in pieces that end inside chunks, on their edges, across
  // several at once, one by one.
  const std::vector<TelemetrySample> samples = random_samples(3 * 8192 + 1234, names, 1);
  std::vector<KpiSnapshot> kpis;
  for (int i = 0; i < 5; ++i)
    kpis.push_back(numbered_kpis(i));
  {
    RecordingWriter writer(path, simulation_metadata(), names);
    const std::span<const TelemetrySample> all(samples);
    writer.append(all.subspan(0, 1));
    writer.append(all.subspan(1, 8191));
    writer.append(all.subspan(8192, 5));
    writer.append_kpis(std::span(kpis).first(2));
    writer.flush();
    writer.append(all.subspan(8197, 2 * 8192));
    writer.append_kpis(std::span(kpis).subspan(2));
    for (std::size_t i = 8197 + 2 * 8192; i < samples.size(); ++i)
      writer.append(all.subspan(i, 1));
    CHECK(writer.samples_appended() == samples.size());
    writer.close();
  }
  const Recording recording = read_recording(path);
  CHECK(recording.closed);
  CHECK(same_bits(recording.log.samples, samples));
  CHECK(recording.log.names.machines() == names.machines());
  CHECK(recording.log.names.names() == names.names());
  REQUIRE(recording.kpis.size() == kpis.size());
  for (std::size_t i = 0; i < kpis.size(); ++i) {
    CHECK(kpi_bits(recording.kpis[i]) == kpi_bits(kpis[i]));
  }
  const RecordingMetadata expected = simulation_metadata();
  CHECK(recording.metadata.source == expected.source);
  CHECK(recording.metadata.scene_file == expected.scene_file);
  CHECK(recording.metadata.scene_text == expected.scene_text);
  CHECK(recording.metadata.seed == expected.seed);
  CHECK(recording.metadata.replication == expected.replication);
  CHECK(recording.metadata.start_time_us == expected.start_time_us);
  CHECK(recording.linetwin_version == kLinetwinVersion);
  CHECK(parse_timestamp_us(recording.created).has_value());

  const TelemetryLog log = read_telemetry_hdf5(path);
  CHECK(same_bits(log.samples, samples));
}

TEST_CASE("recording: a live session without seed or replication records none") {
  test::TempDir dir;
  const std::string path = dir.path() + "/live.h5";
  const TelemetryNames names = line_names();
  RecordingMetadata metadata;
  metadata.source = RecordingSource::kLive;
  metadata.start_time_us = kStartUs;
  RecordingWriter(path, metadata, names).close();
  const Recording recording = read_recording(path);
  CHECK(recording.metadata.source == RecordingSource::kLive);
  CHECK_FALSE(recording.metadata.seed.has_value());
  CHECK_FALSE(recording.metadata.replication.has_value());
  CHECK(recording.log.samples.empty());
  CHECK(recording.kpis.empty());
}

TEST_CASE("recording: the file is laid out as documented, chunked, shuffled and deflated") {
  test::TempDir dir;
  const std::string path = dir.path() + "/layout.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = regular_samples(10'000);
  RecordingOptions options;
  options.chunk_rows = 4096;
  options.deflate_level = 6;
  {
    RecordingWriter writer(path, simulation_metadata(), names, options);
    writer.append(samples);
    writer.close();
  }
  // A closed recording opens without the SWMR flag, as any HDF5 reader opens a file.
  const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(file.id >= 0);

  const H5 dataset{H5Dopen2(file.id, "samples", H5P_DEFAULT), H5Dclose};
  REQUIRE(dataset.id >= 0);
  const H5 space{H5Dget_space(dataset.id), H5Sclose};
  hsize_t rows = 0;
  hsize_t max_rows = 0;
  REQUIRE(H5Sget_simple_extent_ndims(space.id) == 1);
  H5Sget_simple_extent_dims(space.id, &rows, &max_rows);
  CHECK(rows == samples.size());
  CHECK(max_rows == H5S_UNLIMITED);

  const H5 properties{H5Dget_create_plist(dataset.id), H5Pclose};
  REQUIRE(H5Pget_layout(properties.id) == H5D_CHUNKED);
  hsize_t chunk = 0;
  CHECK(H5Pget_chunk(properties.id, 1, &chunk) == 1);
  CHECK(chunk == 4096);
  REQUIRE(H5Pget_nfilters(properties.id) == 2);
  unsigned flags = 0;
  std::size_t values = 1;
  unsigned level = 0;
  CHECK(H5Pget_filter2(properties.id, 0, &flags, nullptr, nullptr, 0, nullptr, nullptr) ==
        H5Z_FILTER_SHUFFLE);
  CHECK(H5Pget_filter2(properties.id, 1, &flags, &values, &level, 0, nullptr, nullptr) ==
        H5Z_FILTER_DEFLATE);
  CHECK(level == 6);
  // Closed, the recording keeps no chunk uncompressed, the last partial one included.
  unsigned chunk_options = 1;
  CHECK(H5Pget_chunk_opts(properties.id, &chunk_options) >= 0);
  CHECK(chunk_options == 0);
  // Regular rows compress: well under half of their 32 bytes each.
  CHECK(H5Dget_storage_size(dataset.id) < samples.size() * 32 / 2);

  // The row: 32 bytes, packed, in the documented order and types.
  const H5 type{H5Dget_type(dataset.id), H5Tclose};
  REQUIRE(H5Tget_class(type.id) == H5T_COMPOUND);
  CHECK(H5Tget_size(type.id) == 32);
  struct Member {
    const char* name;
    std::size_t offset;
    H5T_class_t type_class;
    std::size_t size;
  };
  const Member members[] = {{"timestamp_us", 0, H5T_INTEGER, 8}, {"sequence", 8, H5T_INTEGER, 8},
                            {"value", 16, H5T_FLOAT, 8},         {"machine", 24, H5T_INTEGER, 4},
                            {"name", 28, H5T_INTEGER, 2},        {"kind", 30, H5T_ENUM, 1},
                            {"state", 31, H5T_ENUM, 1}};
  REQUIRE(H5Tget_nmembers(type.id) == 7);
  for (unsigned i = 0; i < 7; ++i) {
    char* name = H5Tget_member_name(type.id, i);
    CHECK(std::string(name) == members[i].name);
    H5free_memory(name);
    CHECK(H5Tget_member_offset(type.id, i) == members[i].offset);
    CHECK(H5Tget_member_class(type.id, i) == members[i].type_class);
    const H5 member{H5Tget_member_type(type.id, i), H5Tclose};
    CHECK(H5Tget_size(member.id) == members[i].size);
  }
  const H5 timestamp{H5Tget_member_type(type.id, 0), H5Tclose};
  CHECK(H5Tget_sign(timestamp.id) == H5T_SGN_2);
  // The enums name their values as the docs and the C++ enums do.
  const auto enum_name = [&](unsigned member_index, std::uint8_t value) {
    const H5 member{H5Tget_member_type(type.id, member_index), H5Tclose};
    char text[32] = {};
    REQUIRE(H5Tenum_nameof(member.id, &value, text, sizeof text) >= 0);
    return std::string(text);
  };
  CHECK(enum_name(5, 0) == "state");
  CHECK(enum_name(5, 1) == "counter");
  CHECK(enum_name(5, 2) == "sensor");
  for (int state = 0; state < kMachineStateCount; ++state) {
    CHECK(enum_name(6, static_cast<std::uint8_t>(state)) ==
          machine_state_name(static_cast<MachineState>(state)));
  }

  // The interned strings, fixed-length UTF-8 of 1024 bytes, padded with NULs.
  for (const char* table : {"machines", "names"}) {
    const H5 strings{H5Dopen2(file.id, table, H5P_DEFAULT), H5Dclose};
    const H5 string_type{H5Dget_type(strings.id), H5Tclose};
    CHECK(H5Tget_class(string_type.id) == H5T_STRING);
    CHECK(H5Tis_variable_str(string_type.id) == 0);
    CHECK(H5Tget_size(string_type.id) == 1024);
    CHECK(H5Tget_cset(string_type.id) == H5T_CSET_UTF8);
    CHECK(H5Tget_strpad(string_type.id) == H5T_STR_NULLPAD);
  }
  const H5 kpis{H5Dopen2(file.id, "kpis", H5P_DEFAULT), H5Dclose};
  CHECK(kpis.id >= 0);

  // Metadata as root attributes, the strings fixed-length and as long as their text.
  const RecordingMetadata metadata = simulation_metadata();
  CHECK(string_attribute(file.id, "schema") == "linetwin.recording/2");
  CHECK(string_attribute(file.id, "linetwin_version") == kLinetwinVersion);
  CHECK(parse_timestamp_us(string_attribute(file.id, "created")).has_value());
  CHECK(string_attribute(file.id, "source") == "simulation");
  CHECK(string_attribute(file.id, "scene_file") == metadata.scene_file);
  CHECK(string_attribute(file.id, "scene_text") == metadata.scene_text);
  CHECK(string_attribute(file.id, "start_time") == format_timestamp_iso(kStartUs));
  for (const char* name : {"start_time_us", "seed", "replication"}) {
    CAPTURE(name);
    CHECK(H5Aexists(file.id, name) > 0);
  }
}

TEST_CASE("recording: another process reads the flushed rows while the writer records") {
  test::TempDir dir;
  const std::string path = dir.path() + "/live.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = regular_samples(3500);
  int to_parent[2];
  int to_child[2];
  REQUIRE(pipe(to_parent) == 0);
  REQUIRE(pipe(to_child) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int status = 0;
    try {
      RecordingOptions options;
      options.flush_interval = std::chrono::hours(1);
      options.flush_every_samples = 0;
      RecordingWriter writer(path, simulation_metadata(), names, options);
      writer.append(std::span(samples).first(3000));
      writer.flush();
      writer.append(std::span(samples).subspan(3000));  // buffered, not flushed
      char signal = 'f';
      if (write(to_parent[1], &signal, 1) != 1 || read(to_child[0], &signal, 1) != 1) status = 2;
      writer.close();
    } catch (...) {
      status = 3;
    }
    _exit(status);
  }
  char signal = 0;
  REQUIRE(read(to_parent[0], &signal, 1) == 1);
  const Recording during = read_recording(path);
  CHECK_FALSE(during.closed);
  CHECK(same_bits(during.log.samples, std::span(samples).first(3000)));
  REQUIRE(write(to_child[1], &signal, 1) == 1);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const Recording after = read_recording(path);
  CHECK(after.closed);
  CHECK(same_bits(after.log.samples, samples));
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]})
    close(fd);
}

TEST_CASE("recording: a crash keeps every sample flushed by count") {
  test::TempDir dir;
  const std::string path = dir.path() + "/crash.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = random_samples(3700, names, 2);
  // A flush happens on the first append that brings the samples since the last one to 1000:
  // after batches 3, 6 and 9 of 370 samples, so 9 * 370 = 3330 are durable; the last 370 are
  // still in the writer's buffer when it dies.
  const int status = record_then_crash([&] {
    RecordingOptions options;
    options.flush_interval = std::chrono::hours(1);
    options.flush_every_samples = 1000;
    options.chunk_rows = 4096;
    RecordingWriter writer(path, simulation_metadata(), names, options);
    for (std::size_t i = 0; i < 10; ++i)
      writer.append(std::span(samples).subspan(i * 370, 370));
    return writer;
  });
  REQUIRE(status == 0);
  check_prefix(read_recording(path), samples, 3330);
}

TEST_CASE("recording: a crash after the flushed partial chunk was rewritten keeps the flush") {
  // The case that breaks a plain HDF5 writer: a flush stores a partial chunk; later writes fill
  // it and compress it again, and write whole chunks after it; then the writer dies before the
  // next flush. The rows of the first flush must still read back.
  test::TempDir dir;
  const std::string path = dir.path() + "/crash.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = random_samples(1500 + 5000, names, 3);
  const int status = record_then_crash([&] {
    RecordingOptions options;
    options.flush_interval = std::chrono::hours(1);
    options.flush_every_samples = 0;
    options.chunk_rows = 1024;
    RecordingWriter writer(path, simulation_metadata(), names, options);
    writer.append(std::span(samples).first(1500));
    writer.flush();
    writer.append(std::span(samples).subspan(1500));
    return writer;
  });
  REQUIRE(status == 0);
  check_prefix(read_recording(path), samples, 1500);
}

TEST_CASE("recording: a crash keeps every sample flushed by time") {
  test::TempDir dir;
  const std::string path = dir.path() + "/crash.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = random_samples(150, names, 4);
  const int status = record_then_crash([&] {
    RecordingOptions options;
    options.flush_interval = std::chrono::milliseconds(20);
    options.flush_every_samples = 0;
    RecordingWriter writer(path, simulation_metadata(), names, options);
    writer.append(std::span(samples).first(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    writer.flush_if_due();  // the interval has passed: the 100 samples become durable
    writer.append(std::span(samples).subspan(100));
    return writer;
  });
  REQUIRE(status == 0);
  check_prefix(read_recording(path), samples, 100);
}

TEST_CASE("recording: names that appear during a session are stored with their samples") {
  test::TempDir dir;
  const std::string path = dir.path() + "/crash.h5";
  TelemetryNames names = line_names();
  const int status = record_then_crash([&] {
    RecordingOptions options;
    options.flush_every_samples = 0;
    RecordingWriter writer(path, simulation_metadata(), names, options);
    TelemetrySample sample;
    sample.timestamp_us = kStartUs;
    sample.machine = names.intern_machine("OP30");
    sample.name = names.intern_name("spindle overload");
    sample.kind = SampleKind::kState;
    sample.state = MachineState::kDown;
    writer.append(std::span(&sample, 1));
    writer.flush();
    return writer;
  });
  REQUIRE(status == 0);
  const Recording recording = read_recording(path);
  REQUIRE(recording.log.samples.size() == 1);
  const TelemetrySample& sample = recording.log.samples[0];
  CHECK(recording.log.names.machines().at(sample.machine) == "OP30");
  CHECK(recording.log.names.names().at(sample.name) == "spindle overload");
  CHECK(sample.state == MachineState::kDown);
}

TEST_CASE("recording: closing compacts a recording whose flushes left chunks behind") {
  test::TempDir dir;
  const std::string path = dir.path() + "/compact.h5";
  const TelemetryNames names = line_names();
  const std::vector<TelemetrySample> samples = regular_samples(100 * 1024);
  RecordingOptions options;
  options.chunk_rows = 1024;
  options.flush_every_samples = 500;
  RecordingWriter writer(path, simulation_metadata(), names, options);
  for (std::size_t i = 0; i < samples.size(); i += 256) {
    writer.append(std::span(samples).subspan(i, 256));
  }
  // Every chunk was cut by a flush, stored uncompressed (32 KiB) and later compressed into new
  // space: the old copy of each stays behind while recording.
  const long recording_bytes = file_bytes(path);
  CHECK(recording_bytes > 100 * 32 * 1024);
  writer.close();
  const long closed_bytes = file_bytes(path);
  CHECK(closed_bytes < recording_bytes / 4);
  const Recording recording = read_recording(path);
  CHECK(recording.closed);
  CHECK(same_bits(recording.log.samples, samples));
  // The copy keeps the table's chunking and filters.
  const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const H5 dataset{H5Dopen2(file.id, "samples", H5P_DEFAULT), H5Dclose};
  const H5 properties{H5Dget_create_plist(dataset.id), H5Pclose};
  hsize_t chunk = 0;
  H5Pget_chunk(properties.id, 1, &chunk);
  CHECK(chunk == 1024);
  CHECK(H5Pget_nfilters(properties.id) == 2);
}

TEST_CASE("recording: bad files are reported with the file and what is wrong in it") {
  test::TempDir dir;
  const TelemetryNames names = line_names();
  const auto valid_recording = [&](const std::string& name) {
    const std::string path = dir.path() + "/" + name;
    RecordingWriter writer(path, simulation_metadata(), names);
    writer.append(regular_samples(10));
    writer.close();
    return path;
  };

  SUBCASE("a missing file") {
    const std::string path = dir.path() + "/absent.h5";
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().file == path);
    CHECK(error.message().find("no such file") != std::string::npos);
  }
  SUBCASE("a file that is not HDF5") {
    const std::string path = dir.write("log.h5", "timestamp,machine,state\n");
    const InputError error = read_error(path, read_telemetry_hdf5);
    CHECK(error.where().file == path);
    CHECK(error.message().find("not an HDF5 file") != std::string::npos);
  }
  SUBCASE("an HDF5 file that is not a recording") {
    const std::string path = dir.path() + "/other.h5";
    H5Fclose(create_latest_format(path));
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().field_path == "attrs.schema");
    CHECK(error.message().find("missing") != std::string::npos);
  }
  SUBCASE("an HDF5 file of the oldest format, whose metadata has no checksums") {
    const std::string path = dir.path() + "/oldest.h5";
    H5Fclose(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().file == path);
    CHECK(error.message().find("found superblock version 0") != std::string::npos);
  }
  SUBCASE("a recording of another schema") {
    const std::string path = valid_recording("v9.h5");
    {
      const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
      H5Adelete(file.id, "schema");
      set_string_attribute(file.id, "schema", "linetwin.recording/9");
    }
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().field_path == "attrs.schema");
    CHECK(error.message().find("\"linetwin.recording/9\"") != std::string::npos);
    CHECK(error.message().find(kRecordingSchema) != std::string::npos);
  }
  SUBCASE("a recording without its samples") {
    const std::string path = valid_recording("cut.h5");
    {
      const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
      REQUIRE(H5Ldelete(file.id, "samples", H5P_DEFAULT) >= 0);
    }
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().file == path);
    CHECK(error.where().field_path == "/samples");
    CHECK(error.message().find("missing") != std::string::npos);
  }
  SUBCASE("a sample table without a documented member") {
    const std::string path = valid_recording("short_rows.h5");
    {
      const H5 file{H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose};
      REQUIRE(H5Ldelete(file.id, "samples", H5P_DEFAULT) >= 0);
      const H5 type{H5Tcreate(H5T_COMPOUND, 12), H5Tclose};
      H5Tinsert(type.id, "timestamp_us", 0, H5T_STD_I64LE);
      H5Tinsert(type.id, "machine", 8, H5T_STD_U32LE);
      const hsize_t rows = 1;
      const H5 space{H5Screate_simple(1, &rows, nullptr), H5Sclose};
      const H5 dataset{
          H5Dcreate2(file.id, "samples", type.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          H5Dclose};
      REQUIRE(dataset.id >= 0);
      const std::array<char, 12> row{};
      REQUIRE(H5Dwrite(dataset.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, row.data()) >= 0);
    }
    const InputError error = read_error(path, read_recording);
    // Members are checked in the documented order: sequence is the first one missing.
    CHECK(error.where().field_path == "/samples.sequence");
    CHECK(error.message().find("missing") != std::string::npos);
  }
  SUBCASE("a sample member of the wrong type") {
    const std::string path = dir.path() + "/wrong_type.h5";
    // A recording written by hand, as h5py would: machine stored as float64.
    {
      const H5 file{create_latest_format(path), H5Fclose};
      set_string_attribute(file.id, "schema", kRecordingSchema);
      set_string_attribute(file.id, "source", "replay");
      const H5 type{H5Tcreate(H5T_COMPOUND, 40), H5Tclose};
      H5Tinsert(type.id, "timestamp_us", 0, H5T_STD_I64LE);
      H5Tinsert(type.id, "sequence", 8, H5T_STD_U64LE);
      H5Tinsert(type.id, "value", 16, H5T_IEEE_F64LE);
      H5Tinsert(type.id, "machine", 24, H5T_IEEE_F64LE);
      H5Tinsert(type.id, "name", 32, H5T_STD_U16LE);
      const hsize_t rows = 0;
      const H5 space{H5Screate_simple(1, &rows, nullptr), H5Sclose};
      for (const char* name : {"machines", "names"}) {
        const H5 strings{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(strings.id, 16);
        H5Dclose(
            H5Dcreate2(file.id, name, strings.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
      }
      H5Dclose(
          H5Dcreate2(file.id, "samples", type.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    }
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().field_path == "/samples.machine");
    CHECK(error.message().find("unsigned integer of at most 4 bytes") != std::string::npos);
    CHECK(error.message().find("found a floating-point number of 8 bytes") != std::string::npos);
  }
  SUBCASE("a sample whose machine is not in /machines") {
    const std::string path = dir.path() + "/dangling.h5";
    {
      RecordingWriter writer(path, simulation_metadata(), names);
      TelemetrySample sample;
      sample.machine = 3;  // three machines: 0, 1, 2
      writer.append(std::span(&sample, 1));
      writer.close();
    }
    const InputError error = read_error(path, read_recording);
    CHECK(error.where().field_path == "/samples[0].machine");
    CHECK(error.message().find("index 3 is not in /machines (3 entries)") != std::string::npos);
  }
  SUBCASE("a recording that cannot be created") {
    const std::string path = dir.path() + "/no/such/folder/run.h5";
    try {
      RecordingWriter writer(path, simulation_metadata(), names);
      FAIL("expected an InputError");
    } catch (const InputError& error) {
      CHECK(error.where().file == path);
      CHECK(error.message().find("cannot create the recording") != std::string::npos);
    }
  }
}

TEST_CASE("recording: each damaged recording is refused with the file and the field at fault") {
  // Each of these once crashed the reader inside HDF5, hung it, or was accepted (damaged_
  // recordings.hpp says which); now each is an InputError naming the file and the field.
  test::TempDir dir;
  const std::string good = dir.path() + "/good.h5";
  test::write_good_recording(good);
  REQUIRE(read_recording(good).log.samples.size() == 5);
  for (const test::RecordingDamage& damage : test::recording_damages()) {
    CAPTURE(damage.name);
    const std::string path = dir.path() + "/" + damage.name + ".h5";
    std::filesystem::copy_file(good, path);
    damage.apply(path);
    const long open_before = test::open_hdf5_identifiers();
    const InputError error = read_error(path, read_recording);
    CHECK(test::open_hdf5_identifiers() == open_before);  // closed on the error path too
    CHECK(error.where().file == path);
    CHECK(error.where().field_path == damage.field);
    CHECK_MESSAGE(error.message().find(damage.message) != std::string::npos, error.what());
    CHECK(read_error(path, read_telemetry_hdf5).where().field_path == damage.field);
  }
}

TEST_CASE("recording: a recording of version 1 is refused unread, with what to do") {
  test::TempDir dir;
  const std::string path = dir.path() + "/v1.h5";
  test::write_good_recording(path);
  test::damage::make_version_1(path);
  const InputError error = read_error(path, read_recording);
  CHECK(error.where().field_path == "attrs.schema");
  CHECK(error.message().find("linetwin.recording/1") != std::string::npos);
  CHECK(error.message().find("docs/recording-format.md says how to convert one") !=
        std::string::npos);
}

TEST_CASE("recording: names up to 1024 bytes are stored whole, longer ones are refused") {
  test::TempDir dir;
  const std::string path = dir.path() + "/long.h5";
  TelemetryNames names = line_names();
  // 300 bytes: longer than version 1's fields, which cut it; 1024: the longest a field holds,
  // ending in a two-byte character.
  const std::string station(300, 'S');
  const std::string reason = std::string(1022, 'r') + "é";
  REQUIRE(reason.size() == 1024);
  const std::uint32_t machine = names.intern_machine(station);
  const std::uint16_t name = names.intern_name(reason);
  TelemetrySample sample;
  sample.timestamp_us = kStartUs;
  sample.machine = machine;
  sample.name = name;
  sample.kind = SampleKind::kState;
  sample.state = MachineState::kDown;
  {
    RecordingWriter writer(path, simulation_metadata(), names);
    writer.append(std::span(&sample, 1));
    writer.close();
  }
  const Recording recording = read_recording(path);
  CHECK(recording.log.names.machines() == names.machines());
  CHECK(recording.log.names.names() == names.names());
  REQUIRE(recording.log.samples.size() == 1);
  CHECK(recording.log.names.machines()[recording.log.samples[0].machine] == station);

  SUBCASE("a machine id longer than a field: refused before the file is made") {
    const std::string refused = dir.path() + "/refused.h5";
    TelemetryNames longer = line_names();
    longer.intern_machine(std::string(1025, 'M'));
    try {
      RecordingWriter writer(refused, simulation_metadata(), longer);
      FAIL("expected an InputError");
    } catch (const InputError& error) {
      CHECK(error.where().file == refused);
      CHECK(error.where().field_path == "/machines[3]");
      CHECK(error.message().find("expected at most 1024 bytes, found 1025") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(refused));
  }
  SUBCASE("a name that appears while recording, longer than a field: refused when stored") {
    const std::string refused = dir.path() + "/refused_later.h5";
    TelemetryNames growing = line_names();
    RecordingWriter writer(refused, simulation_metadata(), growing);
    growing.intern_name(std::string(2000, 'n'));
    try {
      writer.flush();
      FAIL("expected an InputError");
    } catch (const InputError& error) {
      CHECK(error.where().field_path == "/names[5]");
      CHECK(error.message().find("found 2000") != std::string::npos);
    }
  }
  SUBCASE("a machine id that is not UTF-8") {
    TelemetryNames bad = line_names();
    bad.intern_machine("OP\xc3");
    try {
      RecordingWriter writer(dir.path() + "/bad.h5", simulation_metadata(), bad);
      FAIL("expected an InputError");
    } catch (const InputError& error) {
      CHECK(error.where().field_path == "/machines[3]");
      CHECK(error.message().find("not valid UTF-8") != std::string::npos);
    }
  }
}

TEST_CASE("recording: the scene's text is stored whole, up to 16 MiB") {
  test::TempDir dir;
  const std::string path = dir.path() + "/scene.h5";
  const TelemetryNames names = line_names();
  RecordingMetadata metadata = simulation_metadata();
  // Longer than the 64 KiB an attribute can hold in the object header.
  for (int i = 0; metadata.scene_text.size() < 200'000; ++i)
    metadata.scene_text += "  - {id: OP" + std::to_string(i) + ", type: station}\n";
  RecordingWriter(path, metadata, names).close();
  CHECK(read_recording(path).metadata.scene_text == metadata.scene_text);

  metadata.scene_text.assign((std::size_t{16} << 20) + 1, '#');
  const std::string refused = dir.path() + "/huge.h5";
  try {
    RecordingWriter writer(refused, metadata, names);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().field_path == "attrs.scene_text");
    CHECK(error.message().find("expected at most 16777216 bytes") != std::string::npos);
  }
}

TEST_CASE("recording: a KPI snapshot carries the twin's KPIs field by field") {
  TwinKpis kpis;
  kpis.observed_s = 3600.0;
  kpis.station.working = 0.5;
  kpis.station.setup = 0.03125;
  kpis.station.waiting_operator = 0.0;
  kpis.station.starved = 0.125;
  kpis.station.blocked = 0.0625;
  kpis.station.down = 0.15625;
  kpis.station.off_shift = 0.0625;
  kpis.unknown = 0.0625;
  kpis.station.parts_processed = 120;
  kpis.station.parts_good = 114;
  kpis.station.parts_scrapped = 6;
  kpis.station.failures = 4;
  kpis.station.setups = 2;
  kpis.station.oee = {0.75, 0.875, 0.95, 0.75 * 0.875 * 0.95};
  kpis.throughput_per_hour = 114.0;
  kpis.cycle_time_mean_s = 15.0;
  const KpiSnapshot row = make_kpi_snapshot(kStartUs, 2, kpis);
  CHECK(row.timestamp_us == kStartUs);
  CHECK(row.machine == 2);
  CHECK(row.observed_s == 3600.0);
  CHECK(row.working == 0.5);
  CHECK(row.setup == 0.03125);
  CHECK(row.waiting_operator == 0.0);
  CHECK(row.starved == 0.125);
  CHECK(row.blocked == 0.0625);
  CHECK(row.down == 0.15625);
  CHECK(row.off_shift == 0.0625);
  CHECK(row.unknown == 0.0625);
  CHECK(row.parts_processed == 120);
  CHECK(row.parts_good == 114);
  CHECK(row.parts_scrapped == 6);
  CHECK(row.failures == 4);
  CHECK(row.setups == 2);
  CHECK(row.throughput_per_hour == 114.0);
  CHECK(row.cycle_time_mean_s == 15.0);
  CHECK(row.availability == 0.75);
  CHECK(row.performance == 0.875);
  CHECK(row.quality == 0.95);
  CHECK(row.oee == 0.75 * 0.875 * 0.95);
}

}  // namespace
}  // namespace linetwin
