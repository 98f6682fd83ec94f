// Writing a recording (telemetry_recording.hpp; the layout is in docs/recording-format.md).
//
// Crash safety. A plain HDF5 writer is not crash-safe: between flushes the library frees the
// space of a compressed chunk it rewrites (the partial chunk of the last flush, now filled) and
// may at once reuse that space, so a crash leaves the last flush's metadata pointing at bytes
// that were overwritten, and the whole dataset fails to read. In SWMR mode (single writer,
// multiple readers) HDF5 writes metadata in an order that keeps the file consistent at every
// instant and never frees rewritten chunks, since a reader may still be reading them. So the
// writer creates every object first (SWMR forbids new objects and attributes later), switches to
// SWMR, and from then on only extends datasets and writes rows.
//
// What SWMR costs. Each copy of a chunk that was written and then rewritten stays in the file.
// To bound that, rows are buffered and written in whole chunks; only a flush writes a partial
// chunk, and partial chunks are stored uncompressed at full size (H5D_CHUNK_DONT_FILTER_PARTIAL_
// CHUNKS) so that later flushes rewrite them in place. What is left behind is then at most one
// uncompressed chunk per chunk that a flush cut, not one copy per flush (which, for a slow live
// session that flushes every second into the same chunk for hours, would grow without bound).
// close() then copies the recording into a fresh file and renames it over the old one: whole
// chunks are copied as stored, still compressed (H5Dread_chunk/H5Dwrite_chunk, no
// recompression), and the last partial chunk is compressed at last. The closed recording holds
// nothing left behind, and is a plain HDF5 file that needs no SWMR flag to open.
//
// Ordering. A sample refers to its machine and name by index; new names are written and flushed
// before any sample written after they appeared, so the file never holds a sample whose name is
// missing, whenever it crashes.
#include "recording/telemetry_recording.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/timestamp.hpp"
#include "linetwin_version.hpp"
#include "recording/recording_hdf5.hpp"
#include "telemetry/sample_checks.hpp"
#include "telemetry/twin_kpis.hpp"

namespace linetwin {

using recording::Hid;

std::string_view recording_source_name(RecordingSource source) {
  switch (source) {
    case RecordingSource::kSimulation:
      return "simulation";
    case RecordingSource::kReplay:
      return "replay";
    case RecordingSource::kLive:
      return "live";
  }
  return "simulation";
}

KpiSnapshot make_kpi_snapshot(std::int64_t timestamp_us, std::uint32_t machine,
                              const TwinKpis& kpis) {
  const StationResult& station = kpis.station;
  KpiSnapshot row;
  row.timestamp_us = timestamp_us;
  row.machine = machine;
  row.observed_s = kpis.observed_s;
  row.working = station.working;
  row.setup = station.setup;
  row.waiting_operator = station.waiting_operator;
  row.starved = station.starved;
  row.blocked = station.blocked;
  row.down = station.down;
  row.off_shift = station.off_shift;
  row.unknown = kpis.unknown;
  row.parts_processed = station.parts_processed;
  row.parts_good = station.parts_good;
  row.parts_scrapped = station.parts_scrapped;
  row.failures = station.failures;
  row.setups = station.setups;
  row.throughput_per_hour = kpis.throughput_per_hour;
  row.cycle_time_mean_s = kpis.cycle_time_mean_s;
  row.availability = station.oee.availability;
  row.performance = station.oee.performance;
  row.quality = station.oee.quality;
  row.oee = station.oee.oee;
  return row;
}

namespace {

constexpr hsize_t kKpiChunkRows = 1024;   // about 170 KiB
constexpr hsize_t kNameChunkRows = 16;    // 16 KiB of names of kNameBytes
constexpr hsize_t kPoseChunkRows = 4096;  // 148 KiB of 37-byte rows
// The error of a failed HDF5 call while recording: the file and the step, then HDF5's reason.
[[noreturn]] void fail(const std::string& path, const char* step) {
  throw std::runtime_error(path + ": HDF5 recording: cannot " + step + ": " +
                           recording::hdf5_error_text());
}

void check(herr_t status, const std::string& path, const char* step) {
  if (status < 0) fail(path, step);
}

Hid checked(hid_t id, Hid::Closer closer, const std::string& path, const char* step) {
  if (id < 0) fail(path, step);
  return Hid(id, closer);
}

// A string attribute, fixed-length: as long as its text (an empty one takes a NUL byte).
void write_string_attribute(hid_t object, const char* name, const std::string& value,
                            const std::string& path) {
  const Hid type = recording::text_type(std::max<std::size_t>(value.size(), 1));
  const Hid space(H5Screate(H5S_SCALAR), H5Sclose);
  const Hid attribute =
      checked(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              path, "create an attribute");
  check(H5Awrite(attribute.get(), type.get(), value.c_str()), path, "write an attribute");
}

// The start of a text for an error message: at most 40 bytes, cut at a character boundary, or
// nothing when the text is not UTF-8 (the message must be).
std::string text_start(std::string_view text) {
  if (!is_utf8(text)) return "";
  std::size_t length = std::min<std::size_t>(text.size(), 40);
  while (length > 0 && length < text.size() &&
         (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80)
    --length;
  return fmt::format(" ('{}{}')", text.substr(0, length), length < text.size() ? "..." : "");
}

// What the reader would refuse is refused here, before it is written: text longer than its field
// or not UTF-8. `field` is where it would have gone (`attrs.scene_text`, `/machines[3]`).
void check_text(std::string_view text, std::size_t max_bytes, const std::string& path,
                const std::string& field) {
  if (text.size() > max_bytes) {
    throw InputError({path, 0, 0, field},
                     fmt::format("expected at most {} bytes, found {}{}; a recording holds no "
                                 "longer text (docs/recording-format.md)",
                                 max_bytes, text.size(), text_start(text)));
  }
  if (!is_utf8(text)) {
    throw InputError({path, 0, 0, field},
                     "expected UTF-8 text, found bytes that are not valid UTF-8");
  }
}

template <typename T>
void write_number_attribute(hid_t object, const char* name, hid_t file_type, hid_t memory_type,
                            T value, const std::string& path) {
  const Hid space(H5Screate(H5S_SCALAR), H5Sclose);
  const Hid attribute =
      checked(H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              path, "create an attribute");
  check(H5Awrite(attribute.get(), memory_type, &value), path, "write an attribute");
}

// The metadata's texts as the reader will check them.
void check_metadata(const RecordingMetadata& metadata, const std::string& path) {
  check_text(metadata.scene_file, recording::kMaxAttributeTextBytes, path, "attrs.scene_file");
  check_text(metadata.scene_text, recording::kMaxSceneTextBytes, path, "attrs.scene_text");
  for (std::size_t i = 0; i < metadata.bodies.size(); ++i) {
    const RecordedBody& body = metadata.bodies[i];
    check_text(body.id, recording::kNameBytes, path, fmt::format("/bodies[{}]", i));
    for (std::size_t j = 0; j < i; ++j) {
      if (metadata.bodies[j].id == body.id || body.id.empty()) {
        throw InputError(
            {path, 0, 0, fmt::format("/bodies[{}]", i)},
            fmt::format("expected a non-empty id that no other body has, found '{}'", body.id));
      }
    }
    // The reader's rule (recording_reader.cpp); a vehicle's size comes from a validated scene.
    if (!(std::isfinite(body.shape.length_m) && body.shape.length_m > 0.0 &&
          std::isfinite(body.shape.width_m) && body.shape.width_m > 0.0)) {
      throw std::invalid_argument(
          fmt::format("recording {}: body {} has no positive, finite footprint", path, body.id));
    }
  }
}

void write_metadata(hid_t file, const RecordingMetadata& metadata, const std::string& created,
                    const std::string& path) {
  write_string_attribute(file, "schema", kRecordingSchema, path);
  write_string_attribute(file, "linetwin_version", kLinetwinVersion, path);
  write_string_attribute(file, "created", created, path);
  write_string_attribute(file, "source", std::string(recording_source_name(metadata.source)), path);
  write_string_attribute(file, "scene_file", metadata.scene_file, path);
  write_string_attribute(file, "scene_text", metadata.scene_text, path);
  write_string_attribute(file, "start_time", format_timestamp_iso(metadata.start_time_us), path);
  write_number_attribute(file, "start_time_us", H5T_STD_I64LE, H5T_NATIVE_INT64,
                         metadata.start_time_us, path);
  if (metadata.seed) {
    write_number_attribute(file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, *metadata.seed, path);
  }
  if (metadata.replication) {
    write_number_attribute(file, "replication", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                           *metadata.replication, path);
  }
}

// An empty, extendible, chunked and compressed one-dimensional table.
Hid create_table(hid_t file, const char* name, hid_t type, hsize_t chunk_rows, int deflate_level,
                 const std::string& path) {
  const hsize_t empty = 0;
  const hsize_t unlimited = H5S_UNLIMITED;
  const Hid space(H5Screate_simple(1, &empty, &unlimited), H5Sclose);
  const Hid properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_chunk(properties.get(), 1, &chunk_rows);
  // Shuffle puts the bytes of a column's values side by side (all high bytes of the timestamps,
  // ...), which is what lets deflate find the repetition in rows of numbers.
  H5Pset_shuffle(properties.get());
  H5Pset_deflate(properties.get(), static_cast<unsigned>(deflate_level));
  H5Pset_chunk_opts(properties.get(), H5D_CHUNK_DONT_FILTER_PARTIAL_CHUNKS);
  return checked(
      H5Dcreate2(file, name, type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
      H5Dclose, path, "create a dataset");
}

// Appends `count` rows at the end of a table.
void append_rows(hid_t dataset, hid_t memory_type, hsize_t& rows_in_file, const void* rows,
                 hsize_t count, const std::string& path) {
  if (count == 0) return;
  const hsize_t total = rows_in_file + count;
  check(H5Dset_extent(dataset, &total), path, "extend a dataset");
  const Hid file_space = checked(H5Dget_space(dataset), H5Sclose, path, "select rows");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &rows_in_file, nullptr, &count,
                            nullptr),
        path, "select rows");
  const Hid memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  check(H5Dwrite(dataset, memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT, rows),
        path, "write rows");
  rows_in_file = total;
}

// Checks the strings of `all` past the `stored` first ones, which are to go into the table
// `table` (/machines or /names): a name longer than a field is refused, never cut.
void check_new_strings(const std::vector<std::string>& all, hsize_t stored, const char* table,
                       const std::string& path) {
  for (std::size_t i = stored; i < all.size(); ++i) {
    check_text(all[i], recording::kNameBytes, path, fmt::format("/{}[{}]", table, i));
  }
}

// Appends the strings of `all` past the `stored` first ones; true when there were any.
bool append_strings(hid_t dataset, const char* table, const std::vector<std::string>& all,
                    hsize_t& stored, const std::string& path) {
  if (all.size() <= stored) return false;
  check_new_strings(all, stored, table, path);
  const std::size_t count = all.size() - stored;
  std::vector<char> rows(count * recording::kNameBytes, '\0');
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& text = all[stored + i];
    std::copy(text.begin(), text.end(), rows.data() + i * recording::kNameBytes);
  }
  const Hid type = recording::text_type(recording::kNameBytes);
  append_rows(dataset, type.get(), stored, rows.data(), count, path);
  return true;
}

// Copies a table into another file as close() compacts it: whole chunks as they are stored
// (compressed; read and written raw, never decompressed), and the rows of a last, partial chunk,
// which recording kept uncompressed, through the filters. The copy drops the option that kept
// partial chunks uncompressed, since nobody appends to it.
void copy_table(hid_t source_file, hid_t target_file, const char* name, const std::string& path) {
  const Hid source =
      checked(H5Dopen2(source_file, name, H5P_DEFAULT), H5Dclose, path, "open a dataset to copy");
  const Hid type(H5Dget_type(source.get()), H5Tclose);
  const Hid space(H5Dget_space(source.get()), H5Sclose);
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
  const Hid properties(H5Dget_create_plist(source.get()), H5Pclose);
  H5Pset_chunk_opts(properties.get(), 0);
  const Hid target = checked(H5Dcreate2(target_file, name, type.get(), space.get(), H5P_DEFAULT,
                                        properties.get(), H5P_DEFAULT),
                             H5Dclose, path, "create a dataset");
  hsize_t chunk = 0;
  H5Pget_chunk(properties.get(), 1, &chunk);
  const hsize_t whole = rows / chunk * chunk;
  std::vector<unsigned char> bytes;
  for (hsize_t offset = 0; offset < whole; offset += chunk) {
    hsize_t size = 0;
    check(H5Dget_chunk_storage_size(source.get(), &offset, &size), path, "copy a chunk");
    bytes.resize(size);
    std::uint32_t filters = 0;
    check(H5Dread_chunk(source.get(), H5P_DEFAULT, &offset, &filters, bytes.data()), path,
          "copy a chunk");
    check(H5Dwrite_chunk(target.get(), H5P_DEFAULT, filters, &offset, size, bytes.data()), path,
          "copy a chunk");
  }
  if (whole == rows) return;
  hsize_t count = rows - whole;
  bytes.resize(count * H5Tget_size(type.get()));
  const Hid memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  const Hid source_rows(H5Dget_space(source.get()), H5Sclose);
  H5Sselect_hyperslab(source_rows.get(), H5S_SELECT_SET, &whole, nullptr, &count, nullptr);
  check(H5Dread(source.get(), type.get(), memory_space.get(), source_rows.get(), H5P_DEFAULT,
                bytes.data()),
        path, "copy the last rows");
  const Hid target_rows(H5Dget_space(target.get()), H5Sclose);
  H5Sselect_hyperslab(target_rows.get(), H5S_SELECT_SET, &whole, nullptr, &count, nullptr);
  check(H5Dwrite(target.get(), type.get(), memory_space.get(), target_rows.get(), H5P_DEFAULT,
                 bytes.data()),
        path, "copy the last rows");
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct RecordingWriter::Impl {
  std::string path;
  RecordingMetadata metadata;
  std::string created;
  const TelemetryNames* names = nullptr;
  RecordingOptions options;

  Hid file;
  Hid samples;
  Hid kpis;
  Hid machines_table;
  Hid names_table;
  Hid bodies_table;  // these three only with bodies
  Hid body_shapes;
  Hid trajectories;
  Hid sample_type =
      recording::memory_row_type(recording::sample_columns(), sizeof(TelemetrySample));
  Hid kpi_type = recording::memory_row_type(recording::kpi_columns(), sizeof(KpiSnapshot));
  Hid pose_type = recording::memory_row_type(recording::pose_columns(), sizeof(BodyPose));

  // Rows appended but not yet in the file. The sample buffer holds at most the rest of the chunk
  // that the file's last row is in, so that every write but a flush's ends on a chunk boundary.
  std::vector<TelemetrySample> sample_rows;
  std::vector<KpiSnapshot> kpi_rows;
  std::vector<BodyPose> pose_rows;
  hsize_t samples_in_file = 0;
  hsize_t poses_in_file = 0;
  hsize_t kpis_in_file = 0;
  hsize_t machines_in_file = 0;
  hsize_t names_in_file = 0;

  std::uint64_t samples_appended = 0;
  std::uint64_t samples_since_flush = 0;
  std::chrono::steady_clock::time_point last_flush;

  void create() {
    // Before the file exists, so that what it could not hold leaves no file behind.
    check_metadata(metadata, path);
    check_new_strings(names->machines(), 0, recording::kMachinesDataset, path);
    check_new_strings(names->names(), 0, recording::kNamesDataset, path);
    const Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    // SWMR needs the HDF5 1.10 file format.
    H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
    if (id < 0) {
      throw InputError({path, 0, 0, ""},
                       "cannot create the recording: " + recording::hdf5_error_text());
    }
    file = Hid(id, H5Fclose);
    write_metadata(file.get(), metadata, created, path);
    const auto chunk_rows = static_cast<hsize_t>(options.chunk_rows);
    samples = create_table(file.get(), recording::kSamplesDataset,
                           recording::file_row_type(recording::sample_columns()).get(), chunk_rows,
                           options.deflate_level, path);
    kpis = create_table(file.get(), recording::kKpisDataset,
                        recording::file_row_type(recording::kpi_columns()).get(), kKpiChunkRows,
                        options.deflate_level, path);
    const Hid string_type = recording::text_type(recording::kNameBytes);
    machines_table = create_table(file.get(), recording::kMachinesDataset, string_type.get(),
                                  kNameChunkRows, options.deflate_level, path);
    names_table = create_table(file.get(), recording::kNamesDataset, string_type.get(),
                               kNameChunkRows, options.deflate_level, path);
    store_new_names();
    if (!metadata.bodies.empty()) create_body_tables(string_type.get());
    // SWMR writing creates no dataset: every table a recording may have exists from here on.
    check(H5Fstart_swmr_write(file.get()), path, "switch to SWMR writing");
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path, "flush");
    last_flush = std::chrono::steady_clock::now();
  }

  void create_body_tables(hid_t string_type) {
    const auto level = options.deflate_level;
    bodies_table = create_table(file.get(), recording::kBodiesDataset, string_type, kNameChunkRows,
                                level, path);
    body_shapes = create_table(file.get(), recording::kBodyShapesDataset,
                               recording::file_row_type(recording::body_shape_columns()).get(),
                               kNameChunkRows, level, path);
    trajectories = create_table(file.get(), recording::kTrajectoriesDataset,
                                recording::file_row_type(recording::pose_columns()).get(),
                                kPoseChunkRows, level, path);
    std::vector<std::string> ids;
    std::vector<BodyShape> shapes;
    for (const RecordedBody& body : metadata.bodies) {
      ids.push_back(body.id);
      shapes.push_back(body.shape);
    }
    hsize_t stored = 0;
    append_strings(bodies_table.get(), recording::kBodiesDataset, ids, stored, path);
    stored = 0;
    const Hid shape_type =
        recording::memory_row_type(recording::body_shape_columns(), sizeof(BodyShape));
    append_rows(body_shapes.get(), shape_type.get(), stored, shapes.data(), shapes.size(), path);
  }

  void store_new_names() {
    const bool new_machines = append_strings(machines_table.get(), recording::kMachinesDataset,
                                             names->machines(), machines_in_file, path);
    const bool new_names = append_strings(names_table.get(), recording::kNamesDataset,
                                          names->names(), names_in_file, path);
    if (new_machines) check(H5Dflush(machines_table.get()), path, "flush the machine ids");
    if (new_names) check(H5Dflush(names_table.get()), path, "flush the names");
  }

  void write_samples(const TelemetrySample* rows, std::size_t count) {
    store_new_names();
    append_rows(samples.get(), sample_type.get(), samples_in_file, rows, count, path);
  }

  void append(std::span<const TelemetrySample> rest) {
    const auto chunk = static_cast<std::size_t>(options.chunk_rows);
    while (!rest.empty()) {
      // Rows still missing from the chunk that the file's last row is in.
      const std::size_t room = chunk - static_cast<std::size_t>(samples_in_file % chunk);
      if (sample_rows.empty() && rest.size() >= room) {
        // Whole chunks straight from the caller's memory, without a copy.
        const std::size_t count = room + (rest.size() - room) / chunk * chunk;
        write_samples(rest.data(), count);
        rest = rest.subspan(count);
        continue;
      }
      const std::size_t take = std::min(room - sample_rows.size(), rest.size());
      sample_rows.insert(sample_rows.end(), rest.begin(), rest.begin() + take);
      rest = rest.subspan(take);
      if (sample_rows.size() == room) {
        write_samples(sample_rows.data(), sample_rows.size());
        sample_rows.clear();
      }
    }
  }

  bool anything_to_flush() const {
    return samples_since_flush > 0 || !kpi_rows.empty() || !pose_rows.empty() ||
           names->machines().size() > machines_in_file || names->names().size() > names_in_file;
  }

  void flush_if_due() {
    const bool by_count =
        options.flush_every_samples > 0 && samples_since_flush >= options.flush_every_samples;
    const bool by_time = std::chrono::steady_clock::now() - last_flush >= options.flush_interval;
    if (by_count || (by_time && anything_to_flush())) flush();
  }

  void flush() {
    write_samples(sample_rows.data(), sample_rows.size());
    sample_rows.clear();
    append_rows(kpis.get(), kpi_type.get(), kpis_in_file, kpi_rows.data(), kpi_rows.size(), path);
    kpi_rows.clear();
    if (trajectories.valid()) {
      append_rows(trajectories.get(), pose_type.get(), poses_in_file, pose_rows.data(),
                  pose_rows.size(), path);
    }
    pose_rows.clear();
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path, "flush");
    samples_since_flush = 0;
    last_flush = std::chrono::steady_clock::now();
  }

  void close() {
    try {
      flush();
    } catch (...) {
      release();
      throw;
    }
    if (!release()) fail(path, "close the file");
    compact();
  }

  // Closes every object and then the file (which ends SWMR writing); false when the file's
  // last writes failed.
  bool release() {
    samples.reset();
    kpis.reset();
    machines_table.reset();
    names_table.reset();
    bodies_table.reset();
    body_shapes.reset();
    trajectories.reset();
    return file.reset();
  }

  // Copies the recording into a fresh file and renames that over it: the metadata written anew,
  // the tables chunk by chunk.
  void compact() {
    const std::string compacted = path + ".compacting";
    try {
      const Hid source = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path,
                                 "reopen the recording to compact it");
      const Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
      Hid target = checked(H5Fcreate(compacted.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                           H5Fclose, compacted, "create the compacted recording");
      write_metadata(target.get(), metadata, created, compacted);
      for (const char* table : {recording::kSamplesDataset, recording::kKpisDataset,
                                recording::kMachinesDataset, recording::kNamesDataset}) {
        copy_table(source.get(), target.get(), table, compacted);
      }
      if (!metadata.bodies.empty()) {
        for (const char* table : {recording::kBodiesDataset, recording::kBodyShapesDataset,
                                  recording::kTrajectoriesDataset}) {
          copy_table(source.get(), target.get(), table, compacted);
        }
      }
      if (!target.reset()) fail(compacted, "close the compacted recording");
      std::filesystem::rename(compacted, path);
    } catch (const std::exception& error) {
      std::error_code ignored;
      std::filesystem::remove(compacted, ignored);
      throw std::runtime_error(std::string(error.what()) + " (the recording in " + path +
                               " is complete; it was only not compacted)");
    }
  }
};

RecordingWriter::RecordingWriter(const std::string& path, const RecordingMetadata& metadata,
                                 const TelemetryNames& names, RecordingOptions options)
    : impl_(std::make_unique<Impl>()) {
  assert(options.chunk_rows > 0 && options.deflate_level >= 0 && options.deflate_level <= 9);
  const recording::QuietHdf5Errors quiet;
  impl_->path = path;
  impl_->metadata = metadata;
  impl_->created = format_timestamp_iso(now_us());
  impl_->names = &names;
  impl_->options = options;
  impl_->sample_rows.reserve(options.chunk_rows);
  impl_->create();
}

RecordingWriter::~RecordingWriter() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; close() is how a caller sees errors
  }
}

RecordingWriter::RecordingWriter(RecordingWriter&&) noexcept = default;
RecordingWriter& RecordingWriter::operator=(RecordingWriter&&) noexcept = default;

void RecordingWriter::append(std::span<const TelemetrySample> samples) {
  assert(impl_ && impl_->file.valid());
  const recording::QuietHdf5Errors quiet;
  impl_->append(samples);
  impl_->samples_appended += samples.size();
  impl_->samples_since_flush += samples.size();
  impl_->flush_if_due();
}

void RecordingWriter::append_kpis(std::span<const KpiSnapshot> snapshots) {
  assert(impl_ && impl_->file.valid());
  impl_->kpi_rows.insert(impl_->kpi_rows.end(), snapshots.begin(), snapshots.end());
}

void RecordingWriter::append_poses(std::span<const BodyPose> poses) {
  assert(impl_ && impl_->file.valid() && (poses.empty() || impl_->trajectories.valid()));
  impl_->pose_rows.insert(impl_->pose_rows.end(), poses.begin(), poses.end());
  // Written out in whole chunks as they fill, so that memory stays bounded between flushes.
  const std::size_t whole = impl_->pose_rows.size() / kPoseChunkRows * kPoseChunkRows;
  if (whole >= 16 * kPoseChunkRows) {
    const recording::QuietHdf5Errors quiet;
    append_rows(impl_->trajectories.get(), impl_->pose_type.get(), impl_->poses_in_file,
                impl_->pose_rows.data(), whole, impl_->path);
    impl_->pose_rows.erase(impl_->pose_rows.begin(),
                           impl_->pose_rows.begin() + static_cast<std::ptrdiff_t>(whole));
  }
}

void RecordingWriter::flush_if_due() {
  assert(impl_ && impl_->file.valid());
  const recording::QuietHdf5Errors quiet;
  impl_->flush_if_due();
}

void RecordingWriter::flush() {
  assert(impl_ && impl_->file.valid());
  const recording::QuietHdf5Errors quiet;
  impl_->flush();
}

void RecordingWriter::close() {
  if (!impl_ || !impl_->file.valid()) return;
  const recording::QuietHdf5Errors quiet;
  impl_->close();
}

std::uint64_t RecordingWriter::samples_appended() const {
  return impl_->samples_appended;
}

}  // namespace linetwin
