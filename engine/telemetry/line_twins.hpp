// The twins of a whole line: one MachineTwin per element of a scene (stations, buffers, sources,
// sinks, conveyors), addressed by the element's index, which is also its machine index in
// names(). This is what replay and live streaming feed, sample by sample, and what reports read.
//
// The observed period runs from the first sample applied to any twin (or a start given with
// set_observation_start) to the later of advance_to() and the newest sample applied. Every twin
// shares that period, so a machine that sent nothing has been unknown all along, and the shares
// of all twins cover the same time.
//
// advance_to(t) moves the end of the observed period forward, taking each twin's current state
// to last until t (what a live report shows "now"); it does not make samples older than t out of
// order: a sample that arrives late but is newer than its own machine's last sample is still
// applied, and the integrals it changes are then exact.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plant/scene.hpp"
#include "telemetry/machine_twin.hpp"
#include "telemetry/telemetry_sample.hpp"
#include "telemetry/twin_kpis.hpp"

namespace linetwin {

// What the twins were fed: every sample offered, and what became of it.
struct IngestCounts {
  std::uint64_t samples = 0;  // offered, including those for unknown machines
  std::uint64_t applied = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t unknown_machine =
      0;  // for a machine the scene does not have (note_unknown_machine)
};

class LineTwins {
 public:
  // One twin per scene element; names().machines() are the element ids in scene order. The scene
  // must outlive the twins.
  explicit LineTwins(const Scene& scene);

  // The name table the twins' samples index: decoders intern reasons and channels in it, and
  // look machines up in it (find_machine), but add no machines.
  TelemetryNames& names() { return names_; }
  const TelemetryNames& names() const { return names_; }
  const Scene& scene() const { return scene_; }
  std::size_t size() const { return twins_.size(); }

  // `sample.machine` must be a machine of the scene (< size()).
  ApplyOutcome apply(const TelemetrySample& sample);
  // A sample for a machine id the scene does not have: counted, nothing else.
  void note_unknown_machine() {
    ++counts_.samples;
    ++counts_.unknown_machine;
  }
  void advance_to(std::int64_t timestamp_us);
  // Starts the observed period at a given time instead of the first sample; call it before
  // applying samples from that time on.
  void set_observation_start(std::int64_t timestamp_us);

  const MachineTwin& twin(std::uint32_t machine) const { return twins_[machine]; }
  // kNoTime before the first sample.
  std::int64_t observed_from_us() const { return observed_from_us_; }
  std::int64_t observed_until_us() const { return observed_until_us_; }
  const IngestCounts& counts() const { return counts_; }

  // KPIs of one twin over the observed period. The ideal time per part of a station is its
  // processing-time mean (with several products, the mean over the products, since telemetry
  // does not say which product each part was) divided by its largest batch; NaN for elements
  // that are not stations.
  TwinKpis kpis(std::uint32_t machine) const;
  double ideal_cycle_s(std::uint32_t machine) const { return ideal_cycle_s_[machine]; }

 private:
  const Scene& scene_;
  TelemetryNames names_;
  std::vector<MachineTwin> twins_;
  std::vector<double> ideal_cycle_s_;
  std::int64_t observed_from_us_ = kNoTime;
  std::int64_t observed_until_us_ = kNoTime;
  IngestCounts counts_;
};

// A log read with its own name table, bound to the twins': its machine and name indices are
// translated once, so that each of its samples is applied without a string lookup. Names the
// twins do not know yet (reasons, channels) are interned into theirs.
class LogBinding {
 public:
  LogBinding(const TelemetryNames& log_names, LineTwins& twins);
  // The sample in the twins' indices; false (and nothing counted) for a machine the scene lacks.
  bool translate(const TelemetrySample& sample, TelemetrySample& out) const;
  // Applies a sample of the log to the twins (translated), or counts it as for an unknown machine.
  void apply(const TelemetrySample& sample);
  // The machine ids of the samples applied so far that the scene does not have, in the log's
  // order of names.
  std::vector<std::string> unknown_machines() const;

 private:
  static constexpr std::int64_t kUnknown = -1;
  LineTwins& twins_;
  const TelemetryNames& log_names_;
  std::vector<std::int64_t> machine_;  // log machine index -> scene element index, or kUnknown
  std::vector<std::uint16_t> name_;    // log name index -> twins' name index
  std::vector<bool> unknown_seen_;     // per log machine: a sample of it was counted as unknown
};

}  // namespace linetwin
