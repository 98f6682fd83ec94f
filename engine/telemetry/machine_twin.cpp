#include "telemetry/machine_twin.hpp"

#include <algorithm>
#include <cmath>

namespace linetwin {

namespace {

// The simulator's active states: working on the part (or about to), or down; not waiting for
// parts or for room downstream.
bool is_active(MachineState state) {
  return state == MachineState::kProducing || state == MachineState::kSetup ||
         state == MachineState::kDown;
}

bool is_stop(MachineState state) {
  return state == MachineState::kDown || state == MachineState::kOffShift;
}

std::uint32_t item_of(const TelemetrySample& sample) {
  return static_cast<std::uint32_t>(sample.kind) << 16 | sample.name;
}

}  // namespace

ApplyOutcome MachineTwin::classify(const TelemetrySample& sample) {
  const MessageKey key{sample.timestamp_us, sample.sequence};
  const std::uint32_t item = item_of(sample);
  if (key == current_) {
    // The same message: the next of its samples, or one of them again.
    if (std::find(current_items_.begin(), current_items_.end(), item) != current_items_.end())
      return ApplyOutcome::kDuplicate;
    current_items_.push_back(item);
    return ApplyOutcome::kApplied;
  }
  if (sample.timestamp_us <= last_time_us_ &&
      std::find(recent_.begin(), recent_.end(), key) != recent_.end())
    return ApplyOutcome::kDuplicate;
  if (sample.timestamp_us < last_time_us_) return ApplyOutcome::kOutOfOrder;
  if (current_.timestamp_us != kNoTime) {
    recent_[recent_next_] = current_;
    recent_next_ = (recent_next_ + 1) % kRecentMessages;
  }
  current_ = key;
  current_items_.assign(1, item);
  return ApplyOutcome::kApplied;
}

ApplyOutcome MachineTwin::apply(const TelemetrySample& sample) {
  const ApplyOutcome outcome = classify(sample);
  if (outcome == ApplyOutcome::kDuplicate) {
    ++duplicates_;
    return outcome;
  }
  if (outcome == ApplyOutcome::kOutOfOrder) {
    ++out_of_order_;
    return outcome;
  }
  ++applied_;
  if (observed_from_us_ == kNoTime) observed_from_us_ = sample.timestamp_us;
  last_time_us_ = sample.timestamp_us;
  last_sequence_ = sample.sequence;
  switch (sample.kind) {
    case SampleKind::kState:
      enter_state(sample.state, sample.name, sample.timestamp_us);
      break;
    case SampleKind::kCounter:
      count(sample);
      break;
    case SampleKind::kSensor: {
      auto it = std::find_if(sensors_.begin(), sensors_.end(),
                             [&](const Sensor& s) { return s.channel == sample.name; });
      if (it == sensors_.end()) it = sensors_.insert(sensors_.end(), Sensor{sample.name});
      it->value = sample.value;
      it->timestamp_us = sample.timestamp_us;
      break;
    }
  }
  return outcome;
}

void MachineTwin::enter_state(MachineState state, std::uint16_t reason, std::int64_t at_us) {
  if (state == state_) {
    // A repeated state (a heartbeat), or a new reason for the same state.
    if (reason != reason_) reason_since_us_ = at_us;
    reason_ = reason;
    return;
  }
  const std::int64_t from = std::max(state_since_us_, observed_from_us_);
  if (at_us > from) in_state_us_[static_cast<int>(state_)] += at_us - from;
  if (observed(at_us)) {
    // A period running when the observation starts counts once, as the simulator counts it.
    if (!is_active(state_) && is_active(state) && at_us > inactive_since_us_) ++active_periods_;
    if (is_active(state_) && state_since_us_ < observed_from_us_) ++active_periods_;
    // Coming from unknown, the machine may have been down or in setup all along: not counted.
    if (state_ != MachineState::kUnknown) {
      if (state == MachineState::kDown) ++failures_;
      if (state == MachineState::kSetup) ++setups_;
    }
  }
  if (is_active(state_) && !is_active(state)) inactive_since_us_ = at_us;
  if (is_stop(state) && !is_stop(state_)) {
    state_before_stop_ = state_;
    reason_before_stop_ = reason_;
  }
  follow_work(state, at_us);
  state_ = state;
  state_since_us_ = at_us;
  reason_ = reason;
  reason_since_us_ = at_us;
}

void MachineTwin::follow_work(MachineState state, std::int64_t at_us) {
  if (state_ == MachineState::kProducing) work_closed_us_ += at_us - work_from_us_;
  if (state != MachineState::kProducing) return;
  work_from_us_ = at_us;
  switch (state_) {
    case MachineState::kIdle:
    case MachineState::kBlocked:
    case MachineState::kSetup:
      // Nothing was in process (or only set up): a new part starts. Idle waiting for an operator
      // counts too, although a part whose operator left in mid-processing resumes here.
      work_closed_us_ = 0;
      work_known_ = true;
      break;
    case MachineState::kUnknown:
      // Producing at its first state: since when is not known.
      work_closed_us_ = 0;
      work_known_ = false;
      break;
    case MachineState::kDown:
    case MachineState::kOffShift:
    case MachineState::kProducing:
      break;  // resumes the part the stop interrupted
  }
}

std::optional<std::int64_t> MachineTwin::work_on_part_us(std::int64_t until_us) const {
  if (!work_known_) return std::nullopt;
  std::int64_t work = work_closed_us_;
  if (state_ == MachineState::kProducing)
    work += std::max<std::int64_t>(until_us - work_from_us_, 0);
  return work;
}

const MachineTwin::Counter* MachineTwin::counter(std::uint16_t name) const {
  for (const Counter& c : counters_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void MachineTwin::count(const TelemetrySample& sample) {
  if (!std::isfinite(sample.value)) return;  // decoders pass only finite readings
  const bool is_good = sample.name == counters_names_.good && sample.name != 0;
  const bool is_scrap = sample.name == counters_names_.scrap && sample.name != 0;
  if (is_good || is_scrap) reports_parts_ = true;
  auto it = std::find_if(counters_.begin(), counters_.end(),
                         [&](const Counter& c) { return c.name == sample.name; });
  if (it == counters_.end()) {
    counters_.push_back(Counter{sample.name, sample.value, 0.0, 0});  // the baseline
    return;
  }
  double increase = sample.value - it->reading;
  if (sample.value < it->reading) {
    increase = sample.value;  // reset to zero, then counted up to the reading
    ++it->resets;
  }
  it->reading = sample.value;
  if (increase > 0.0 && (is_good || is_scrap)) {
    // A part ended: the next one's processing starts from here.
    work_closed_us_ = 0;
    work_from_us_ = sample.timestamp_us;
    work_known_ = true;
  }
  if (increase <= 0.0 || !observed(sample.timestamp_us)) return;
  it->total += increase;
  if (!is_good && !is_scrap) return;
  (is_good ? good_ : scrap_) += increase;
  if (last_part_us_ != kNoTime && sample.timestamp_us > last_part_us_)
    last_cycle_s_ = static_cast<double>(sample.timestamp_us - last_part_us_) / 1e6 / increase;
  last_part_us_ = sample.timestamp_us;
}

std::int64_t MachineTwin::time_in_state_us(MachineState state, std::int64_t until_us) const {
  if (observed_from_us_ == kNoTime) return 0;
  std::int64_t total = in_state_us_[static_cast<int>(state)];
  if (state == state_) {
    const std::int64_t from = std::max(state_since_us_, observed_from_us_);
    if (until_us > from) total += until_us - from;
  }
  return total;
}

std::uint64_t MachineTwin::active_periods() const {
  // One running since before the observation started, not yet ended, counts too.
  const bool running_from_start = is_active(state_) && state_since_us_ < observed_from_us_;
  return active_periods_ + (running_from_start ? 1 : 0);
}

}  // namespace linetwin
