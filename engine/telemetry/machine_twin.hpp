// The twin of one machine: what its telemetry says it is doing now, and what it has done over
// the observed period, kept so that its KPIs (twin_kpis.hpp) come out exactly as the simulator's
// StationResult would for the same history.
//
// A twin follows the samples of its machine in timestamp order (docs/twins.md, "Ordering"):
//  - its clock is the timestamp of the newest sample it applied; a sample older than that is
//    out of order: counted, and not applied at all (a state in the past would rewrite time
//    already integrated, and an old counter reading would look like a counter reset);
//  - a sample that repeats one already applied (same timestamp and sequence number, same kind and
//    name; e.g. an MQTT QoS 1 re-delivery) is a duplicate: counted, not applied. Re-deliveries of
//    the last 16 messages are recognised; an older one counts as out of order;
//  - samples at the same instant are applied in arrival order.
// Times are integer microseconds, so state integrals are exact sums of the intervals.
//
// Counters are cumulative readings. The first reading is the baseline; each later reading adds
// its increase over the previous one. A lower reading means the machine reset the counter (to
// zero) and has counted up to the reading since, which is added whole.
//
// For an estimate of the line's state (line_state_estimate.hpp) a twin also keeps what its machine
// holds through a stop (the state before it), when its current reason began, and the processing
// time spent on the part in process: a few fields set on state changes and part counts.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "telemetry/machine_state.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

enum class ApplyOutcome : std::uint8_t {
  kApplied,
  kDuplicate,
  kOutOfOrder,  // older than the twin's newest sample: counted, not applied
};

// No time yet (no sample, no observation start).
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// The name indices (in TelemetryNames::names) of the counters a twin interprets.
struct PartCounterNames {
  std::uint16_t good = 0;   // kGoodPartsCounter; 0 (the empty name) matches no counter
  std::uint16_t scrap = 0;  // kScrapPartsCounter
};

class MachineTwin {
 public:
  struct Counter {
    std::uint16_t name = 0;
    double reading = 0.0;  // the last reading
    double total = 0.0;    // counted within the observed period, resets accounted for
    std::uint64_t resets = 0;
  };
  struct Sensor {
    std::uint16_t channel = 0;
    double value = 0.0;
    std::int64_t timestamp_us = kNoTime;
  };

  explicit MachineTwin(PartCounterNames counters = {}) : counters_names_(counters) {}

  // Where the observed period starts: time before it is not integrated and counter increases
  // before it are not counted (samples before it still set the state and the counters' baseline).
  // Without a call, the first applied sample's time is the start.
  void set_observation_start(std::int64_t timestamp_us) { observed_from_us_ = timestamp_us; }
  std::int64_t observation_start_us() const { return observed_from_us_; }

  ApplyOutcome apply(const TelemetrySample& sample);

  // The current state, since when (kNoTime before the first state sample) and its reason (name
  // index; 0 = none). A machine reports a reason mostly when down.
  MachineState state() const { return state_; }
  std::int64_t state_since_us() const { return state_since_us_; }
  std::uint16_t reason() const { return reason_; }
  // When the current reason began: the state's start, or a later change of reason within the
  // state (idle, then idle waiting for an operator).
  std::int64_t reason_since_us() const { return reason_since_us_; }
  // While down or off shift: the state and reason before the stop began (a stop during a stop
  // keeps them); kUnknown when no state came before it.
  MachineState state_before_stop() const { return state_before_stop_; }
  std::uint16_t reason_before_stop() const { return reason_before_stop_; }
  // The processing time spent on the part in process up to `until_us` (not before the newest
  // sample): the time producing since the last increase of the good or scrap counter, or since
  // the machine went from idle, blocked or setup to producing, whichever came last; time stopped
  // in between does not count. Nothing when neither was seen (its first state was producing).
  std::optional<std::int64_t> work_on_part_us(std::int64_t until_us) const;

  // Time spent in `state` within the observed period up to `until_us`, taking the current state
  // to last until then. Time before the first state sample counts as kUnknown.
  std::int64_t time_in_state_us(MachineState state, std::int64_t until_us) const;
  // Spans in which the machine was producing, in setup or down (the simulator's active periods,
  // Roser et al. 2001) that began within the observed period, plus one running at its start.
  std::uint64_t active_periods() const;
  std::uint64_t failures() const { return failures_; }  // entries into kDown while observed
  std::uint64_t setups() const { return setups_; }      // entries into kSetup while observed

  // Good and scrap parts counted while observed, and whether either counter was ever reported
  // (a machine that reports no counters has unknown, not zero, output).
  double good_parts() const { return good_; }
  double scrap_parts() const { return scrap_; }
  bool reports_parts() const { return reports_parts_; }
  // The time between the last two increases of the good or scrap counter, per part; NaN until
  // there were two.
  double last_cycle_s() const { return last_cycle_s_; }

  const std::vector<Counter>& counters() const { return counters_; }
  // The counter `name`, or nullptr when it never reported.
  const Counter* counter(std::uint16_t name) const;
  const PartCounterNames& part_counter_names() const { return counters_names_; }
  const std::vector<Sensor>& sensors() const { return sensors_; }

  std::int64_t last_message_us() const { return last_time_us_; }  // kNoTime before any sample
  std::uint64_t last_sequence() const { return last_sequence_; }
  std::uint64_t applied() const { return applied_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t out_of_order() const { return out_of_order_; }

 private:
  struct MessageKey {
    std::int64_t timestamp_us = kNoTime;
    std::uint64_t sequence = 0;
    bool operator==(const MessageKey&) const = default;
  };
  static constexpr std::size_t kRecentMessages = 16;

  ApplyOutcome classify(const TelemetrySample& sample);
  void enter_state(MachineState state, std::uint16_t reason, std::int64_t at_us);
  void count(const TelemetrySample& sample);
  void follow_work(MachineState state, std::int64_t at_us);
  bool observed(std::int64_t timestamp_us) const { return timestamp_us >= observed_from_us_; }

  PartCounterNames counters_names_;
  std::int64_t observed_from_us_ = kNoTime;

  MachineState state_ = MachineState::kUnknown;
  std::int64_t state_since_us_ = kNoTime;
  std::uint16_t reason_ = 0;
  std::int64_t reason_since_us_ = kNoTime;
  MachineState state_before_stop_ = MachineState::kUnknown;
  std::uint16_t reason_before_stop_ = 0;
  // The part in process: producing time in closed spells, where the open spell's share starts,
  // and whether its start was seen.
  std::int64_t work_closed_us_ = 0;
  std::int64_t work_from_us_ = kNoTime;
  bool work_known_ = false;
  std::array<std::int64_t, kMachineStateCount> in_state_us_{};  // closed intervals only
  std::int64_t inactive_since_us_ = kNoTime;
  std::uint64_t active_periods_ = 0;
  std::uint64_t failures_ = 0;
  std::uint64_t setups_ = 0;

  double good_ = 0.0;
  double scrap_ = 0.0;
  bool reports_parts_ = false;
  std::int64_t last_part_us_ = kNoTime;
  double last_cycle_s_ = std::numeric_limits<double>::quiet_NaN();
  std::vector<Counter> counters_;
  std::vector<Sensor> sensors_;

  std::int64_t last_time_us_ = kNoTime;
  std::uint64_t last_sequence_ = 0;
  // The message being applied (the newest key) and the kinds and names applied under it, to tell
  // the next sample of the same message from a re-delivery of one already applied.
  MessageKey current_;
  std::vector<std::uint32_t> current_items_;
  std::array<MessageKey, kRecentMessages> recent_{};  // earlier keys, a ring
  std::size_t recent_next_ = 0;
  std::uint64_t applied_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t out_of_order_ = 0;
};

}  // namespace linetwin
