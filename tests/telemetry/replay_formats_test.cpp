// One log, two files: the twins fed from a CSV telemetry log and from the same samples recorded
// to HDF5 (recording, what `linetwin replay --format hdf5` reads) end in the same state with
// the same KPIs.
#include <doctest/doctest.h>

#include <string>

#include "io/scene_file.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/csv_telemetry_log.hpp"
#include "telemetry/line_twins.hpp"
#include "test_files.hpp"

namespace linetwin {

namespace {

LineTwins& feed(LineTwins& twins, const TelemetryLog& log) {
  LogBinding binding(log.names, twins);
  for (const TelemetrySample& s : log.samples)
    binding.apply(s);
  return twins;
}

}  // namespace

TEST_CASE("replay formats: a CSV log and its HDF5 recording give the same twins") {
  const Scene scene = load_scene_text(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: 30s, to: out}
  - {id: out, type: sink}
)",
                                      "formats.yaml");
  test::TempDir dir;
  const TelemetryLog csv_log =
      read_telemetry_csv(dir.write("log.csv", R"(timestamp,machine,seq,kind,name,state,value
2024-03-04T06:00:00Z,OP10,1,state,,producing,
2024-03-04T06:00:00Z,OP10,1,counter,good,,0
2024-03-04T06:00:30Z,OP10,2,counter,good,,1
2024-03-04T06:01:00Z,OP10,3,counter,good,,2
2024-03-04T06:01:00Z,OP10,3,state,tool_break,down,
2024-03-04T06:01:00Z,OP10,3,sensor,spindle_temp_c,,61.25
2024-03-04T06:02:00Z,OP10,4,state,,idle,
2024-03-04T06:02:00Z,ghost,1,state,,idle,
)"));
  const std::string h5 = dir.path() + "/log.h5";
  {
    RecordingMetadata metadata;
    metadata.source = RecordingSource::kReplay;
    RecordingWriter writer(h5, metadata, csv_log.names);
    writer.append(csv_log.samples);
    writer.close();
  }
  const TelemetryLog h5_log = read_telemetry_hdf5(h5);

  LineTwins from_csv(scene);
  LineTwins from_h5(scene);
  feed(from_csv, csv_log);
  feed(from_h5, h5_log);
  CHECK(from_csv.counts().applied == 7);
  CHECK(from_csv.counts().unknown_machine == 1);
  CHECK(from_h5.counts().applied == from_csv.counts().applied);
  CHECK(from_h5.counts().unknown_machine == from_csv.counts().unknown_machine);

  const TwinKpis a = from_csv.kpis(1);
  const TwinKpis b = from_h5.kpis(1);
  // Producing 0-60 s, down 60-120 s; two parts of 30 s: performance 1, availability 1/2.
  CHECK(a.observed_s == 120.0);
  CHECK(a.station.working == 0.5);
  CHECK(a.station.down == 0.5);
  CHECK(a.station.parts_good == 2);
  CHECK(a.station.oee.oee == doctest::Approx(0.5));
  CHECK(b.observed_s == a.observed_s);
  CHECK(b.station.working == a.station.working);
  CHECK(b.station.down == a.station.down);
  CHECK(b.station.parts_good == a.station.parts_good);
  CHECK(b.station.oee.oee == a.station.oee.oee);
  CHECK(from_h5.twin(1).state() == MachineState::kIdle);
  REQUIRE(from_h5.twin(1).sensors().size() == 1);
  CHECK(from_h5.twin(1).sensors()[0].value == 61.25);
}

}  // namespace linetwin
