// The hand-written serial line: a binary heap of (time, event) and flat arrays of station state
// and buffer counts. See hand_written_line.hpp for the model.
//
// Failures need no cancelled events: the failure clock only runs while a station processes, so
// when processing starts (or resumes after a repair) the loop compares the operating time left to
// the next failure with the work left, and schedules whichever comes first: the failure or the
// end of processing.
#include "hand_written_line.hpp"

#include <cassert>
#include <cmath>
#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "core/random_stream.hpp"

namespace linetwin::bench {
namespace {

enum class EventKind : std::uint32_t { kServiceEnd, kFailure, kRepairEnd };

struct Event {
  double time;
  std::uint32_t station;
  EventKind kind;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const { return a.time > b.time; }
};

// kWorking includes being down: a failure only ever hits a station that holds a part in process.
enum class StationState : std::uint8_t { kIdle, kWorking, kBlocked };

struct Station {
  StationState state = StationState::kIdle;
  double end_s = 0.0;              // when the part in process is done, if no failure comes first
  double remaining_s = 0.0;        // work left on the part while the station is down
  double time_to_failure_s = 0.0;  // operating time left, counted from operating_since_s
  double operating_since_s = 0.0;
  RandomStream processing_rng;
  RandomStream failure_rng;
  RandomStream repair_rng;
};

double exponential(RandomStream& rng, double mean) {
  return -mean * std::log(rng.uniform_open0());
}

class Simulation {
 public:
  explicit Simulation(const HandWrittenLine& line)
      : line_(line),
        stations_(static_cast<std::size_t>(line.stations)),
        buffers_(static_cast<std::size_t>(line.stations - 1), 0) {
    assert(line.stations >= 1 && line.buffer_capacity >= 1);
    std::vector<Event> storage;
    storage.reserve(static_cast<std::size_t>(2 * line.stations));
    events_ = Queue(Later{}, std::move(storage));
    for (std::size_t k = 0; k < stations_.size(); ++k) {
      std::string id = "S";
      id += std::to_string(k + 1);
      Station& s = stations_[k];
      s.processing_rng = RandomStream(line.seed, id, "processing", 0);
      s.failure_rng = RandomStream(line.seed, id, "failure", 0);
      s.repair_rng = RandomStream(line.seed, id, "repair", 0);
      s.time_to_failure_s = exponential(s.failure_rng, line.time_to_failure_mean_s);
    }
  }

  HandWrittenLineResult run() {
    start(0);  // the unlimited supply hands the first station its first part
    while (!events_.empty() && events_.top().time <= line_.duration_s) {
      const Event event = events_.top();
      events_.pop();
      now_ = event.time;
      ++result_.events;
      switch (event.kind) {
        case EventKind::kServiceEnd:
          on_service_end(event.station);
          break;
        case EventKind::kFailure:
          on_failure(event.station);
          break;
        case EventKind::kRepairEnd:
          on_repair_end(event.station);
          break;
      }
    }
    return result_;
  }

 private:
  using Queue = std::priority_queue<Event, std::vector<Event>, Later>;

  void start(std::uint32_t k) {
    Station& s = stations_[k];
    s.state = StationState::kWorking;
    s.operating_since_s = now_;
    s.end_s = now_ + exponential(s.processing_rng, line_.processing_mean_s);
    schedule_end_or_failure(k);
  }

  void schedule_end_or_failure(std::uint32_t k) {
    const Station& s = stations_[k];
    const double failure_s = s.operating_since_s + s.time_to_failure_s;
    if (failure_s <= s.end_s) {
      events_.push(Event{failure_s, k, EventKind::kFailure});
    } else {
      events_.push(Event{s.end_s, k, EventKind::kServiceEnd});
    }
  }

  void on_service_end(std::uint32_t k) {
    Station& s = stations_[k];
    s.time_to_failure_s -= now_ - s.operating_since_s;
    if (k + 1 == stations_.size()) {
      ++result_.parts_completed;
    } else if (stations_[k + 1].state == StationState::kIdle) {
      start(k + 1);  // an idle station has an empty buffer in front of it: pass straight on
    } else if (buffers_[k] < line_.buffer_capacity) {
      ++buffers_[k];
    } else {
      s.state = StationState::kBlocked;
      return;
    }
    s.state = StationState::kIdle;
    pull(k);
  }

  // Station k has become idle: it takes the next part from upstream. That frees a place in the
  // buffer, so a blocked station upstream puts its part there, becomes idle and pulls in turn.
  void pull(std::uint32_t k) {
    for (;;) {
      if (k == 0) {
        start(0);  // unlimited supply
        return;
      }
      int& buffer = buffers_[k - 1];
      if (buffer == 0) return;  // upstream cannot be blocked: the buffer is not full
      --buffer;
      start(k);
      Station& upstream = stations_[k - 1];
      if (upstream.state != StationState::kBlocked) return;
      ++buffer;
      upstream.state = StationState::kIdle;
      --k;
    }
  }

  void on_failure(std::uint32_t k) {
    Station& s = stations_[k];
    s.remaining_s = s.end_s - now_;
    events_.push(Event{now_ + exponential(s.repair_rng, line_.time_to_repair_mean_s), k,
                       EventKind::kRepairEnd});
  }

  void on_repair_end(std::uint32_t k) {
    Station& s = stations_[k];
    s.time_to_failure_s = exponential(s.failure_rng, line_.time_to_failure_mean_s);
    s.operating_since_s = now_;
    s.end_s = now_ + s.remaining_s;
    schedule_end_or_failure(k);
  }

  HandWrittenLine line_;
  std::vector<Station> stations_;
  std::vector<int> buffers_;  // buffers_[k]: parts waiting between station k and station k + 1
  Queue events_;
  double now_ = 0.0;
  HandWrittenLineResult result_;
};

}  // namespace

HandWrittenLineResult run_hand_written_line(const HandWrittenLine& line) {
  return Simulation(line).run();
}

}  // namespace linetwin::bench
