// Writes the recordings that the tests outside C++ read.
//
// `write_recording OUT_DIR`: for tests/telemetry/recording_test.py, which reads them with h5py and
// pandas alone: OUT_DIR/closed.h5, a recording written and closed, and OUT_DIR/crashed.h5, one
// whose writer dies (_exit) after a flush with more samples appended. Every value follows from the
// row number by the formulas below, which the Python test computes on its own; keep the two in
// step.
//
// `write_recording --damaged OUT_DIR`: for tests/telemetry/recording_cli_test.sh, good.h5 and one
// damaged copy of it per damage of damaged_recordings.hpp, NAME.h5, with OUT_DIR/damaged.tsv
// listing each file, the field its error must name ("-" for the file as a whole) and a part of its
// message.
//
// `write_recording --small OUT_DIR`: small recordings as the seed corpus of the recording fuzz
// target (tests/fuzz/recording_fuzz.cpp).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "damaged_recordings.hpp"
#include "recording/telemetry_recording.hpp"

namespace {

using namespace linetwin;

constexpr std::int64_t kStartUs = 1'700'000'000'000'000;
constexpr std::size_t kSamples = 20'000;
constexpr std::size_t kCrashedFlushed = 12'345;  // flushed before the crash
constexpr std::size_t kCrashedAppended = 13'345;

TelemetryNames fixture_names() {
  TelemetryNames names;
  for (const char* machine : {"OP10", "OP20", "Prüfstand 3"})
    names.intern_machine(machine);
  for (const char* name : {"good", "scrap", "temperature_C", "tool change"}) {
    names.intern_name(name);
  }
  return names;
}

// Row i: machine (i / 3) % 3; kind i % 3 (state, counter, sensor). A state row's state is
// (i / 3) % 7 with the reason "tool change" when down; a counter row counts i / 3 "good" parts
// when (i / 3) is even, else "scrap"; a sensor row reads 20 + (i % 8) / 8 on "temperature_C".
std::vector<TelemetrySample> fixture_samples() {
  std::vector<TelemetrySample> samples(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    TelemetrySample& s = samples[i];
    s.timestamp_us = kStartUs + static_cast<std::int64_t>(i) * 1000;
    s.sequence = i + 1;
    s.machine = static_cast<std::uint32_t>((i / 3) % 3);
    s.kind = static_cast<SampleKind>(i % 3);
    switch (s.kind) {
      case SampleKind::kState:
        s.state = static_cast<MachineState>((i / 3) % 7);
        s.name = s.state == MachineState::kDown ? 4 : 0;
        break;
      case SampleKind::kCounter:
        s.name = (i / 3) % 2 == 0 ? 1 : 2;
        s.value = static_cast<double>(i / 3);
        break;
      case SampleKind::kSensor:
        s.name = 3;
        s.value = 20.0 + static_cast<double>(i % 8) * 0.125;
        break;
    }
  }
  return samples;
}

// Snapshot t (0, 1) of machine m (0..2), taken at (t + 1) minutes.
std::vector<KpiSnapshot> fixture_kpis() {
  std::vector<KpiSnapshot> rows;
  for (std::uint32_t t = 0; t < 2; ++t) {
    for (std::uint32_t m = 0; m < 3; ++m) {
      KpiSnapshot k;
      k.timestamp_us = kStartUs + (t + 1) * 60'000'000LL;
      k.machine = m;
      k.observed_s = 60.0 * (t + 1);
      k.working = 0.5;
      k.setup = 0.0625;
      k.starved = 0.125;
      k.blocked = 0.0625;
      k.down = 0.125;
      k.unknown = 0.125;
      k.parts_processed = 10 * (t + 1) + m;
      k.parts_good = k.parts_processed - 1;
      k.parts_scrapped = 1;
      k.failures = m;
      k.setups = t;
      k.throughput_per_hour = static_cast<double>(k.parts_good) * 3600.0 / k.observed_s;
      k.cycle_time_mean_s = 3.0;
      k.availability = 0.75;
      k.performance = 0.875;
      k.quality = static_cast<double>(k.parts_good) / static_cast<double>(k.parts_processed);
      k.oee = k.availability * k.performance * k.quality;
      rows.push_back(k);
    }
  }
  return rows;
}

RecordingMetadata fixture_metadata() {
  RecordingMetadata metadata;
  metadata.source = RecordingSource::kSimulation;
  metadata.scene_file = "scenes/fixture.yaml";
  metadata.scene_text = "elements: []\n";
  metadata.seed = 42;
  metadata.replication = 3;
  metadata.start_time_us = kStartUs;
  return metadata;
}

void write_damaged(const std::string& out) {
  const std::string good = out + "/good.h5";
  test::write_good_recording(good);
  std::ofstream manifest(out + "/damaged.tsv");
  for (const test::RecordingDamage& damage : test::recording_damages()) {
    const std::string path = out + "/" + damage.name + ".h5";
    std::filesystem::copy_file(good, path, std::filesystem::copy_options::overwrite_existing);
    damage.apply(path);
    // "-" for no field: a shell's read would merge the tabs around an empty one.
    manifest << damage.name << ".h5\t" << (*damage.field != '\0' ? damage.field : "-") << '\t'
             << damage.message << '\n';
  }
  if (!manifest) throw std::runtime_error("cannot write " + out + "/damaged.tsv");
}

// A few samples of each kind: closed (small.h5) and crashed after a flush (small_crashed.h5); a
// few kilobytes each, so that the fuzzer mutates mostly structure.
void write_small(const std::string& out) {
  test::write_good_recording(out + "/small.h5");
  const TelemetryNames names = fixture_names();
  const std::vector<TelemetrySample> samples = fixture_samples();
  RecordingOptions options;
  options.chunk_rows = 16;  // a partial chunk stays in the file uncompressed until closed
  RecordingWriter writer(out + "/small_crashed.h5", fixture_metadata(), names, options);
  writer.append(std::span(samples).first(9));
  writer.flush();
  _exit(0);  // a crash: the file stays marked as open for SWMR writing
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if ((argc != 2 && argc != 3) || (argc == 3 && mode != "--damaged" && mode != "--small")) {
    std::fprintf(stderr, "usage: write_recording [--damaged | --small] OUT_DIR\n");
    return 2;
  }
  const std::string out = argv[argc - 1];
  try {
    if (mode == "--damaged") {
      write_damaged(out);
      return 0;
    }
    if (mode == "--small") write_small(out);
    const TelemetryNames names = fixture_names();
    const std::vector<TelemetrySample> samples = fixture_samples();
    const std::span<const TelemetrySample> all(samples);
    {
      RecordingWriter writer(out + "/closed.h5", fixture_metadata(), names);
      writer.append(all.first(kSamples / 2));
      const std::vector<KpiSnapshot> kpis = fixture_kpis();
      writer.append_kpis(kpis);
      writer.append(all.subspan(kSamples / 2));
      writer.close();
    }
    RecordingWriter writer(out + "/crashed.h5", fixture_metadata(), names);
    writer.append(all.first(kCrashedFlushed));
    writer.flush();
    writer.append(all.subspan(kCrashedFlushed, kCrashedAppended - kCrashedFlushed));
    _exit(0);  // a crash: nothing closed, nothing flushed since
  } catch (const std::exception& error) {
    std::fprintf(stderr, "write_recording: %s\n", error.what());
    return 1;
  }
}
