// Recordings: a simulation run or a telemetry session (replayed or live) written to an HDF5 file
// that h5py and pandas read without linetwin, and read back by `linetwin replay` and calibration.
// docs/recording-format.md describes the layout; in short, root attributes carry the run's
// metadata (schema, version, scene, seed, source, start time), /samples holds every
// TelemetrySample as one row of a compound table, /kpis a time series of per-machine KPI
// snapshots, and /machines and /names the interned strings the rows refer to by index; a run with
// vehicles may add their poses (/bodies, /body_shapes, /trajectories).
//
// A recording survives a crash of the program that writes it: everything up to the last flush
// can be read back, only rows appended since may be missing. The writer buffers rows and writes
// them in whole chunks, and flushes at an interval of wall time or of samples (RecordingOptions).
// Crash safety comes from HDF5's single-writer/multiple-reader (SWMR) mode, in which the library
// writes the file in an order that keeps it consistent at every instant and never reuses the
// space of data it has rewritten; the same mode lets another process read the rows flushed so
// far while the recording runs. The price is that a partial chunk written at a flush and
// rewritten later leaves its old copy behind: closing the writer copies the recording into a
// compact file (see the cpp), so only a recording cut short by a crash keeps that waste.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

struct TwinKpis;

// Version 2 stores every string fixed-length (names up to kMaxNameBytes), which version 1 did
// not; version 1 recordings are refused (docs/recording-format.md says how to convert one).
inline constexpr const char* kRecordingSchema = "linetwin.recording/2";

enum class RecordingSource : std::uint8_t {
  kSimulation,  // a simulated run: samples emitted by the simulator's stations
  kReplay,      // a recorded log fed into the twins again
  kLive,        // telemetry received from the plant
};
// "simulation", "replay", "live": the `source` attribute.
std::string_view recording_source_name(RecordingSource source);

// A moving body's footprint: a rectangle centred on its pose, long along its heading. A row of
// /body_shapes.
struct BodyShape {
  double length_m = 0.0;
  double width_m = 0.0;
};

// A moving body whose poses a recording holds (a vehicle): its id ("AGV#1", a row of /bodies) and
// its footprint.
struct RecordedBody {
  std::string id;
  BodyShape shape;
};

enum class BodyState : std::uint8_t {
  kParked,    // off the aisles (in its fleet's depot): no pose
  kStanding,  // on the floor, still
  kMoving,
};
inline constexpr int kBodyStateCount = 3;

// One body's pose at one instant: a row of /trajectories (docs/recording-format.md says which
// instants have rows). x, y in metres on the shop floor; heading counter-clockwise from x.
struct BodyPose {
  std::int64_t timestamp_us = 0;
  std::uint32_t body = 0;  // index in /bodies
  BodyState state = BodyState::kParked;
  double x_m = 0.0;
  double y_m = 0.0;
  double heading_rad = 0.0;
};

// What a recording is of. The writer adds the schema, linetwin's version and the creation time.
struct RecordingMetadata {
  RecordingSource source = RecordingSource::kSimulation;
  std::string scene_file;  // the scene's path as given on the command line; empty without one
  std::string scene_text;  // the scene file's text, so that the recording says which line it was
  std::optional<std::uint64_t> seed;         // simulation runs
  std::optional<std::uint32_t> replication;  // simulation runs
  std::int64_t start_time_us = 0;            // UTC µs since the epoch when the run/session began
  // The bodies whose poses the recording holds (simulated runs with vehicles, when asked); the
  // recording has /bodies, /body_shapes and /trajectories only when there are some.
  std::vector<RecordedBody> bodies;
};

// One machine's KPIs at one instant: a row of /kpis. The fields are those of TwinKpis, i.e. the
// simulator's StationResult (same names, same definitions) plus the twin's unknown share,
// throughput and cycle time, so that a simulated run and a live session record the same table.
struct KpiSnapshot {
  std::int64_t timestamp_us = 0;  // the end of the observed period, UTC µs since the epoch
  std::uint32_t machine = 0;      // index in /machines
  double observed_s = 0.0;        // length of the observed period
  // Shares of the observed period; with `unknown` they add up to 1.
  double working = 0.0;
  double setup = 0.0;
  double waiting_operator = 0.0;
  double starved = 0.0;
  double blocked = 0.0;
  double down = 0.0;
  double off_shift = 0.0;
  double unknown = 0.0;
  std::uint64_t parts_processed = 0;
  std::uint64_t parts_good = 0;
  std::uint64_t parts_scrapped = 0;
  std::uint64_t failures = 0;
  std::uint64_t setups = 0;
  double throughput_per_hour = 0.0;  // good parts per observed hour
  double cycle_time_mean_s = 0.0;    // producing time per part processed
  double availability = 0.0;
  double performance = 0.0;
  double quality = 0.0;
  double oee = 0.0;
};

KpiSnapshot make_kpi_snapshot(std::int64_t timestamp_us, std::uint32_t machine,
                              const TwinKpis& kpis);

struct RecordingOptions {
  // A flush makes everything appended so far durable; it happens on the first append() or
  // flush_if_due() after either limit is reached. The time limit needs calls to act on: a live
  // loop that may go quiet calls flush_if_due() from its timer.
  std::chrono::milliseconds flush_interval{1000};
  std::size_t flush_every_samples = std::size_t{1} << 20;  // 0: by time only
  // Rows of /samples per HDF5 chunk: 8192 rows are 256 KiB, which fits HDF5's default 1 MiB chunk
  // cache of a reader, and bounds what a flush of a partial chunk leaves behind (see the cpp).
  std::size_t chunk_rows = 8192;
  int deflate_level = 4;  // 1 (fast) to 9 (small); h5py's default for "gzip"
};

// Writes one recording. Not thread-safe: one thread appends, flushes and closes (several writers
// on several threads are fine: Debian's HDF5 is built thread-safe).
class RecordingWriter {
 public:
  // Creates the file at `path` (replacing one that is there) with the metadata and the names
  // known so far, and makes it durable before returning. `names` is the table the samples'
  // indices refer to; it may grow while recording (a live session meets new down reasons) and
  // must outlive the writer: new entries are stored before any sample written after they
  // appeared, and at every flush. Throws InputError naming `path` when the file cannot be made,
  // and naming the field when a name, the scene file or its text is not UTF-8 or longer than a
  // recording holds (kMaxNameBytes for names); append() and flush() do so for a new name.
  RecordingWriter(const std::string& path, const RecordingMetadata& metadata,
                  const TelemetryNames& names, RecordingOptions options = {});
  // Closes the recording; errors are swallowed here, so call close() to see them.
  ~RecordingWriter();
  RecordingWriter(RecordingWriter&&) noexcept;
  RecordingWriter& operator=(RecordingWriter&&) noexcept;

  // Buffers the samples (a copy; cheap), writes every chunk they complete, and flushes when due.
  void append(std::span<const TelemetrySample> samples);
  // KPI snapshots are few: they are written at the next flush.
  void append_kpis(std::span<const KpiSnapshot> snapshots);
  // Poses of the metadata's bodies, in time order: written at the next flush.
  void append_poses(std::span<const BodyPose> poses);
  // Flushes when the interval or the sample count since the last flush has been reached.
  void flush_if_due();
  // Writes everything buffered and makes it durable now.
  void flush();
  // Flushes, closes the file and copies it into a compact one of the same name, which any HDF5
  // reader opens without the SWMR flag. Copying moves the compressed chunks as they are: it
  // costs about as much as reading the file once.
  void close();

  std::uint64_t samples_appended() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A recording as read back.
struct Recording {
  RecordingMetadata metadata;
  std::string linetwin_version;  // of the program that wrote it
  std::string created;           // ISO 8601 UTC time when the file was created
  // False when the writer never closed the file: it crashed, or it is still writing. The rows
  // are those of its last flush.
  bool closed = true;
  TelemetryLog log;
  std::vector<KpiSnapshot> kpis;
  std::vector<BodyPose> trajectories;  // of metadata.bodies
};

// Reads a whole recording, also one still being written or whose writer crashed. Throws
// InputError naming the file, and the attribute, dataset or field at fault with what was
// expected (field paths such as `attrs.schema`, `/samples.kind`, `/samples[12].machine`).
Recording read_recording(const std::string& path);

// The samples and names of a recording: what replay and calibration need.
TelemetryLog read_telemetry_hdf5(const std::string& path);

}  // namespace linetwin
