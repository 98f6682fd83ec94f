#include "telemetry/line_state_estimate.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <limits>
#include <optional>

#include "telemetry/simulated_telemetry.hpp"

namespace linetwin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kNone = -1;

std::optional<std::uint16_t> find_name(const TelemetryNames& names, std::string_view text) {
  for (std::size_t i = 1; i < names.names().size(); ++i) {
    if (names.names()[i] == text) return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

bool is_stop(MachineState state) {
  return state == MachineState::kDown || state == MachineState::kOffShift;
}

// A station as its own telemetry shows it, and then what the counts around it tell: the parts in
// process, and the finished parts its state cannot show (servers blocked while others work, or
// parts it may have handed over while stopped after being blocked).
struct StationView {
  ElementIndex element = 0;
  std::uint32_t servers = 1;
  std::optional<StationActivity> activity;  // nothing: its state is not known
  bool stopped = false;
  bool idle = false;  // not stopped, and at least one server is free to take a part
  // Parts in process: at least in_process, up to servers less the finished ones.
  std::uint32_t in_process = 0;
  std::uint32_t finished = 0;     // shown by its state: every server when blocked
  std::uint32_t unseen_most = 0;  // finished parts it may hold besides
  std::uint32_t unseen = 0;       // as its output buffer's count decides, or a guess without one
  double work_done_s = kNaN;      // of its part in process (one server only)
};

const std::string& reason_text(const LineTwins& twins, std::uint16_t reason) {
  return twins.names().names()[reason];
}

StationView view_station(const LineTwins& twins, ElementIndex element, std::int64_t at_us) {
  const Scene& scene = twins.scene();
  const MachineTwin& twin = twins.twin(element);
  StationView v;
  v.element = element;
  v.servers = scene.station_spec(scene.element(element)).servers;
  v.activity = station_activity_of(twin.state(), reason_text(twins, twin.reason()));
  if (!v.activity) return v;
  v.stopped = is_stop(twin.state());
  // What it holds is what it held when the stop began.
  const MachineState state = v.stopped ? twin.state_before_stop() : twin.state();
  const std::uint16_t reason = v.stopped ? twin.reason_before_stop() : twin.reason();
  const bool waiting_operator =
      state == MachineState::kIdle && reason_text(twins, reason) == kWaitingOperatorReason;
  const bool starved = state == MachineState::kIdle && !waiting_operator;
  v.idle = starved && !v.stopped;
  switch (state) {
    case MachineState::kProducing:
    case MachineState::kSetup:
      v.in_process = 1;
      break;
    case MachineState::kIdle:
      v.in_process = waiting_operator ? 1 : 0;
      break;
    case MachineState::kBlocked:
      // Blocked: every server holds a finished part. Stopped after that, it may have handed
      // them on since (a stopped station still hands over); taken to hold them unless a count says.
      (v.stopped ? v.unseen_most : v.finished) = v.servers;
      v.unseen = v.unseen_most;
      break;
    case MachineState::kDown:
    case MachineState::kOffShift:
    case MachineState::kUnknown:
      break;  // nothing seen before the stop: taken to hold nothing
  }
  if (v.servers > 1 && state != MachineState::kBlocked) {
    // Some servers may be blocked while the others work or starve; none is seen.
    v.unseen_most = v.servers - std::max<std::uint32_t>(v.in_process, starved ? 1 : 0);
  }
  if (v.in_process > 0 && v.servers == 1) {
    v.work_done_s = 0.0;  // in setup, or waiting for its operator
    if (state == MachineState::kProducing) {
      const std::optional<std::int64_t> work = twin.work_on_part_us(at_us);
      v.work_done_s = work ? static_cast<double>(*work) / 1e6 : kNaN;
    }
  }
  return v;
}

// The reading of a station's good or scrap counter for a count from the line's start, or why
// there is none.
struct Reading {
  double value = 0.0;
  std::string unknown;  // why the reading cannot be used; empty when it can
};

Reading counter_reading(const LineTwins& twins, ElementIndex machine, bool scrap,
                        bool may_be_absent) {
  const MachineTwin& twin = twins.twin(machine);
  const std::string_view name = scrap ? kScrapPartsCounter : kGoodPartsCounter;
  const std::string& id = twins.scene().element(machine).id;
  const MachineTwin::Counter* counter =
      twin.counter(scrap ? twin.part_counter_names().scrap : twin.part_counter_names().good);
  if (!counter) {
    if (may_be_absent) return {};
    return {0.0, fmt::format("{} reports no {} counter", id, name)};
  }
  if (counter->resets > 0) {
    return {0.0, fmt::format("the {} counter of {} was reset, so it no longer counts from the "
                             "line's start",
                             name, id)};
  }
  return {counter->reading, ""};
}

bool can_scrap(const StationSpec& spec) {
  if (!spec.quality) return false;
  for (double share : spec.quality->scrap) {
    if (share > 0.0) return true;
  }
  return false;
}

bool reworks(const StationSpec& spec) {
  if (!spec.quality) return false;
  for (double share : spec.quality->rework) {
    if (share > 0.0) return true;
  }
  return false;
}

bool one_at_a_time(const StationSpec& spec) {
  return !spec.assembly && spec.batch_max == 1 && spec.split_into == 1;
}

// One buffer's count from the stations around it (docs/snapshots.md, "Buffer levels"):
// X = sum over the stations that feed it of (good - finished parts held) less sum over the
// stations that take from it of (good + scrap) = level + the parts in process at those.
class BufferCount {
 public:
  BufferCount(const LineTwins& twins, std::vector<StationView>& stations,
              const std::vector<std::int64_t>& station_of, ElementIndex buffer)
      : twins_(twins), stations_(stations), station_of_(station_of), buffer_(buffer) {}

  // The level, or why it is unknown ("counters do not add up (...)" or what keeps the stations
  // from counting it). Sets the parts in process at the stations after it, and the finished parts
  // unseen at those before it, when the count adds up.
  std::optional<std::uint64_t> level(std::string& unknown) {
    const Scene& scene = twins_.scene();
    const Element& b = scene.element(buffer_);
    double x = 0.0;
    for (ElementIndex input : b.inputs) {
      if (!(unknown = check_feeder(input)).empty()) return std::nullopt;
      const Reading good = counter_reading(twins_, input, false, false);
      if (!(unknown = good.unknown).empty()) return std::nullopt;
      x += good.value - view(input).finished;
      feeders_.push_back(&view(input));
    }
    for (ElementIndex target : b.route.targets) {
      if (!(unknown = check_taker(target)).empty()) return std::nullopt;
      const Reading good = counter_reading(twins_, target, false, false);
      const bool scraps = can_scrap(scene.station_spec(scene.element(target)));
      const Reading scrap = counter_reading(twins_, target, true, !scraps);
      if (!(unknown = good.unknown).empty() || !(unknown = scrap.unknown).empty())
        return std::nullopt;
      x -= good.value + scrap.value;
      takers_.push_back(&view(target));
    }
    if (std::floor(x) != x || std::fabs(x) > 0x1p53) {
      unknown = "counters do not add up (their readings are not whole numbers)";
      return std::nullopt;
    }
    return share_out(static_cast<std::int64_t>(x), unknown);
  }

 private:
  StationView& view(ElementIndex station) { return stations_[station_of_[station]]; }

  std::string check_feeder(ElementIndex input) const {
    const Scene& scene = twins_.scene();
    const Element& e = scene.element(input);
    if (e.type != ElementType::kStation) {
      return fmt::format("fed by {} {}, which has no part counters", to_string(e.type), e.id);
    }
    if (e.route.targets.size() != 1 || e.route.targets[0] != buffer_) {
      const bool rework = e.route.targets.size() == 1 && scene.station_spec(e).quality &&
                          scene.station_spec(e).quality->rework_to == buffer_;
      return rework
                 ? fmt::format("{} sends its reworked parts to it, which no counter counts", e.id)
                 : fmt::format("fed by {}, which sends parts to several elements", e.id);
    }
    if (!one_at_a_time(scene.station_spec(e))) {
      return fmt::format("fed by {}, which assembles, batches or splits parts", e.id);
    }
    if (!stations_[station_of_[input]].activity)
      return fmt::format("{}, which feeds it, has reported no state", e.id);
    return "";
  }

  std::string check_taker(ElementIndex target) const {
    const Scene& scene = twins_.scene();
    const Element& e = scene.element(target);
    if (e.type != ElementType::kStation) {
      return fmt::format("it empties into {} {}, which has no part counters", to_string(e.type),
                         e.id);
    }
    if (e.inputs.size() != 1) return fmt::format("{} also takes parts from elsewhere", e.id);
    const StationSpec& spec = scene.station_spec(e);
    if (!one_at_a_time(spec)) {
      return fmt::format("{}, which takes from it, assembles, batches or splits parts", e.id);
    }
    if (reworks(spec)) {
      return fmt::format("{}, which takes from it, reworks parts, which no counter counts", e.id);
    }
    if (!stations_[station_of_[target]].activity)
      return fmt::format("{}, which takes from it, has reported no state", e.id);
    return "";
  }

  // Shares x out between the parts in process after the buffer, its level and the finished
  // parts held unseen before it, by the rules a line follows: a free server takes a queued part
  // at once, and a station holds finished parts only while the buffer is full.
  std::optional<std::uint64_t> share_out(std::int64_t x, std::string& unknown) {
    const Scene& scene = twins_.scene();
    const Element& b = scene.element(buffer_);
    const std::uint64_t capacity = scene.buffer_spec(b).capacity;
    std::int64_t left = x;
    for (const StationView* taker : takers_)
      left -= taker->in_process;
    if (left < 0) {
      unknown = fmt::format(
          "counters do not add up ({} parts in it or in process after it, fewer than the parts "
          "in process there)",
          x);
      return std::nullopt;
    }
    // Running stations that hold work take more until their free servers are full.
    std::vector<std::uint32_t> in_process;
    for (const StationView* taker : takers_) {
      std::uint32_t parts = taker->in_process;
      if (!taker->stopped && parts > 0) {
        const std::uint32_t room = taker->servers - taker->finished - taker->unseen - parts;
        const auto more = static_cast<std::uint32_t>(std::min<std::int64_t>(left, room));
        parts += more;
        left -= more;
      }
      in_process.push_back(parts);
    }
    // Above its capacity: the rest are finished parts that wait before it, in scene order of
    // the stations that may hold them unseen.
    std::vector<std::uint32_t> unseen(feeders_.size(), 0);
    if (static_cast<std::uint64_t>(left) > capacity) {
      std::int64_t over = left - static_cast<std::int64_t>(capacity);
      for (std::size_t i = 0; i < feeders_.size(); ++i) {
        unseen[i] =
            static_cast<std::uint32_t>(std::min<std::int64_t>(over, feeders_[i]->unseen_most));
        over -= unseen[i];
      }
      if (over > 0) {
        unknown =
            fmt::format("counters do not add up ({} would hold {} parts, above its capacity {})",
                        b.id, static_cast<std::int64_t>(capacity) + over, capacity);
        return std::nullopt;
      }
      left = static_cast<std::int64_t>(capacity);
    }
    if (left > 0) {
      for (const StationView* taker : takers_) {
        if (!taker->idle) continue;
        unknown = fmt::format(
            "counters do not add up ({} would hold {} parts while {}, which "
            "takes from it, is idle)",
            b.id, left, scene.element(taker->element).id);
        return std::nullopt;
      }
    }
    for (std::size_t i = 0; i < takers_.size(); ++i)
      takers_[i]->in_process = in_process[i];
    for (std::size_t i = 0; i < feeders_.size(); ++i)
      feeders_[i]->unseen = unseen[i];
    return static_cast<std::uint64_t>(left);
  }

  const LineTwins& twins_;
  std::vector<StationView>& stations_;
  const std::vector<std::int64_t>& station_of_;
  ElementIndex buffer_;
  std::vector<StationView*> feeders_;
  std::vector<StationView*> takers_;
};

// The positions in scene.buffers() with each buffer after those downstream of it (through a
// station that feeds only the next buffer), so that what a station holds finished, which its
// output buffer's count decides, is known before its input buffer's count needs it. Buffers on a
// loop (rework) come last, in scene order.
std::vector<std::size_t> downstream_first(const Scene& scene) {
  const std::vector<ElementIndex>& buffers = scene.buffers();
  std::vector<std::int64_t> position(scene.elements().size(), kNone);
  for (std::size_t i = 0; i < buffers.size(); ++i)
    position[buffers[i]] = static_cast<std::int64_t>(i);
  std::vector<std::vector<std::size_t>> upstream(buffers.size());
  std::vector<std::size_t> downstream_left(buffers.size(), 0);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    for (ElementIndex target : scene.element(buffers[i]).route.targets) {
      const Element& station = scene.element(target);
      if (station.type != ElementType::kStation || station.route.targets.size() != 1) continue;
      const std::int64_t next = position[station.route.targets[0]];
      if (next == kNone) continue;
      upstream[static_cast<std::size_t>(next)].push_back(i);
      ++downstream_left[i];
    }
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(buffers.size(), false);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (downstream_left[i] == 0) order.push_back(i);
  }
  for (std::size_t next = 0; next < order.size(); ++next) {
    placed[order[next]] = true;
    for (std::size_t up : upstream[order[next]]) {
      if (--downstream_left[up] == 0) order.push_back(up);
    }
  }
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (!placed[i]) order.push_back(i);
  }
  return order;
}

// The level a buffer's level signal gives, or why it cannot be one.
std::optional<std::uint64_t> signalled_level(const MachineTwin::Sensor& sensor,
                                             std::uint64_t capacity, std::string& unknown) {
  const double value = sensor.value;
  if (value >= 0.0 && std::floor(value) == value && value <= static_cast<double>(capacity))
    return static_cast<std::uint64_t>(value);
  unknown = fmt::format("the level signal reads {}, not a whole number from 0 to the capacity {}",
                        value, capacity);
  return std::nullopt;
}

StationSnapshot station_snapshot(const LineTwins& twins, const StationView& v, std::int64_t at_us) {
  const MachineTwin& twin = twins.twin(v.element);
  StationSnapshot s;
  s.id = twins.scene().element(v.element).id;
  if (!v.activity) return s;  // idle, for as long as nobody knows, holding nothing
  s.activity = *v.activity;
  // Idle and idle waiting for an operator are one machine state with two reasons.
  const std::int64_t since =
      twin.state() == MachineState::kIdle ? twin.reason_since_us() : twin.state_since_us();
  s.in_state_s = static_cast<double>(at_us - since) / 1e6;
  for (std::uint32_t p = 0; p < v.in_process; ++p)
    s.parts.push_back(HeldPart{false, p == 0 ? v.work_done_s : kNaN});
  for (std::uint32_t p = 0; p < v.finished + v.unseen; ++p)
    s.parts.push_back(HeldPart{true, kNaN});
  return s;
}

}  // namespace

LineSnapshot estimate_line_state(const LineTwins& twins, std::int64_t at_us, std::string origin) {
  assert(twins.observed_until_us() == kNoTime || at_us >= twins.observed_until_us());
  const Scene& scene = twins.scene();
  std::vector<std::int64_t> station_of(scene.elements().size(), kNone);
  std::vector<StationView> stations;
  for (ElementIndex e : scene.stations()) {
    station_of[e] = static_cast<std::int64_t>(stations.size());
    stations.push_back(view_station(twins, e, at_us));
  }

  LineSnapshot out;
  out.timestamp_us = at_us;
  out.origin = std::move(origin);
  out.scene = scene.source_file();
  out.buffers.resize(scene.buffers().size());
  const std::optional<std::uint16_t> level_channel = find_name(twins.names(), kBufferLevelChannel);
  for (std::size_t i : downstream_first(scene)) {
    const Element& e = scene.element(scene.buffers()[i]);
    BufferSnapshot& buffer = out.buffers[i];
    buffer.id = e.id;
    std::string unknown;
    // Counted even where a signal gives the level: the count tells the parts at the stations.
    const std::optional<std::uint64_t> counted =
        BufferCount(twins, stations, station_of, scene.buffers()[i]).level(unknown);
    const MachineTwin& twin = twins.twin(scene.buffers()[i]);
    for (const MachineTwin::Sensor& sensor : twin.sensors()) {
      if (!level_channel || sensor.channel != *level_channel) continue;
      unknown.clear();
      buffer.level = signalled_level(sensor, scene.buffer_spec(e).capacity, unknown);
      buffer.source = buffer.level ? "level signal" : "unknown: " + unknown;
    }
    if (!buffer.source.empty()) continue;
    buffer.level = counted;
    buffer.source = counted ? "counters" : "unknown: " + unknown;
  }
  for (const StationView& v : stations)
    out.stations.push_back(station_snapshot(twins, v, at_us));
  return out;
}

}  // namespace linetwin
