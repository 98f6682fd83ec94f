#include "replay_session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "core/timestamp.hpp"
#include "io/snapshot_file.hpp"
#include "recording/telemetry_log_file.hpp"
#include "telemetry/drift_report.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/twin_report.hpp"

namespace linetwin::cli {
namespace {

// How many samples are applied between looks at the cancel flag: a few milliseconds of work.
constexpr std::size_t kSamplesBetweenCancelChecks = 4096;

// --state-at: a time within the log, when the replay stops.
std::int64_t state_time_us(const std::string& text, const TelemetryLog& log,
                           const std::string& log_path) {
  const std::optional<std::int64_t> at = parse_timestamp_us(text);
  if (!at) {
    throw InputError({"", 0, 0, "--state-at"},
                     fmt::format("expected {}, found '{}'", kTimestampSyntax, text));
  }
  if (log.samples.empty() || *at < log.samples.front().timestamp_us ||
      *at > log.samples.back().timestamp_us) {
    throw InputError(
        {log_path, 0, 0, "--state-at"},
        log.samples.empty()
            ? fmt::format("expected a time within the log, which holds no samples")
            : fmt::format("expected a time within the log, from {} to {}, found {}",
                          format_timestamp_iso(log.samples.front().timestamp_us),
                          format_timestamp_iso(log.samples.back().timestamp_us), text));
  }
  return *at;
}

}  // namespace

InputError no_state_known(const std::string& log_path) {
  return InputError(
      {log_path, 0, 0, "--write-state"},
      "expected samples of the scene's machines to tell the line's state, found none");
}

ReplayOutputs replay_log(const Scene& scene, const ReplayRequest& request) {
  const std::string format =
      request.format == "auto" ? detect_log_format(request.log, "--format") : request.format;
  TelemetryLog log = read_telemetry_log(scene, request.log, format, request.machine);
  // A recorded file is put in time order as a whole; ties keep the order of the file.
  std::stable_sort(log.samples.begin(), log.samples.end(),
                   [](const TelemetrySample& a, const TelemetrySample& b) {
                     return a.timestamp_us < b.timestamp_us;
                   });
  const std::optional<std::int64_t> state_at =
      request.state_at ? std::optional(state_time_us(*request.state_at, log, request.log))
                       : std::nullopt;

  LineTwins twins(scene);
  LogBinding binding(log.names, twins);
  const std::unique_ptr<DriftWatch> drift = make_drift_watch(
      request.drift, scene, twins.names(), "replay", !request.announce_drift_bands,
      log.samples.empty()
          ? std::nullopt
          : std::optional(TelemetryExtent{log.samples.front().timestamp_us,
                                          log.samples.back().timestamp_us, log.samples.size()}));
  std::size_t drift_alerts_shown = 0;
  auto announce_alerts = [&] {
    if (request.announce_drift_alerts) print_new_drift_alerts(*drift, drift_alerts_shown, "replay");
  };
  const auto wall_start = std::chrono::steady_clock::now();
  std::size_t applied = 0;
  for (const TelemetrySample& sample : log.samples) {
    if (state_at && sample.timestamp_us > *state_at) break;
    if (request.cancel && ++applied % kSamplesBetweenCancelChecks == 0 && request.cancel->load())
      throw RunCancelled();
    if (request.speed > 0.0) {
      // Each sample is applied when its message time, scaled, has passed since the first.
      const double message_s =
          static_cast<double>(sample.timestamp_us - log.samples.front().timestamp_us) / 1e6;
      // At most what the clock can count: a very slow replay would otherwise overflow it.
      const double wait_s = std::min(message_s / request.speed, kMaxWallDurationS);
      std::this_thread::sleep_until(wall_start +
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(wait_s)));
    }
    TelemetrySample translated;
    if (drift && binding.translate(sample, translated)) {
      // The samples the twins applied, as `linetwin live --drift` hands them to its watch.
      if (twins.apply(translated) == ApplyOutcome::kApplied) drift->observe(translated);
      announce_alerts();
    } else {
      binding.apply(sample);
    }
  }
  // The twins' clock to the time asked, not only to the last sample before it.
  if (state_at) twins.advance_to(*state_at);
  if (drift) {
    drift->finish(twins.observed_until_us());
    announce_alerts();
  }

  ReplayOutputs outputs;
  if (twins.observed_until_us() != kNoTime) {
    outputs.state_yaml =
        snapshot_yaml(estimate_line_state(twins, twins.observed_until_us(), "replay"));
  }
  const TwinReport report{twins, request.log, format, binding.unknown_machines()};
  std::ostringstream json, csv, table;
  write_twins_json(json, report);
  outputs.json = drift ? add_drift_json(json.str(), *drift) : json.str();
  write_twins_csv(csv, report);
  outputs.csv = csv.str();
  write_twins_table(table, report);
  outputs.table = table.str();
  return outputs;
}

}  // namespace linetwin::cli
