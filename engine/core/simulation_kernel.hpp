// The simulation kernel: a clock and an event calendar, and the loop that advances one by the
// other.
//
// The loop is a template over the model's event handler so that dispatch compiles to a direct,
// inlinable call (the model then switches over its own small event-kind enum): no virtual call
// and no std::function per event. A run stops at a time, after a number of events, or when a
// condition becomes true, whichever comes first; the clock never moves backwards and never past
// the stop time, so a run can be continued from where it stopped.
#pragma once

#include <cstdint>
#include <limits>

#include "core/event_calendar.hpp"

namespace linetwin {

class StateStream;

enum class StopReason : std::uint8_t {
  kTimeReached,    // the next event lies after the stop time; the clock stands at the stop time
  kEventLimit,     // the requested number of events has been executed
  kCondition,      // the stop condition became true after an event
  kCalendarEmpty,  // nothing left to happen before the stop time
  kStopped         // the handler threw StopRun: the model ended the run (a deadlock, say)
};

// Thrown by a handler to end the run at the event in progress: the event is ended, the clock
// stays at its time, and run() returns StopReason::kStopped. An exception costs the event loop
// nothing until it is thrown, unlike a flag tested after every event.
struct StopRun {};

struct RunLimits {
  double until = std::numeric_limits<double>::infinity();
  std::uint64_t max_events = std::numeric_limits<std::uint64_t>::max();
};

class SimulationKernel {
 public:
  double now() const { return now_; }
  EventCalendar& calendar() { return calendar_; }
  const EventCalendar& calendar() const { return calendar_; }
  std::uint64_t events_executed() const { return events_executed_; }
  // Saves or restores the clock (at most `latest`), the count of events and the calendar
  // (EventCalendar::transfer_state), between events (a saved run, core/state_stream.hpp).
  void transfer_state(StateStream& io, double latest, std::uint64_t most_pending);

  // Schedules `delay` seconds from now. Delays are never negative (asserted).
  [[gnu::always_inline]] EventHandle schedule_in(double delay, EventPayload payload,
                                                 int priority = 0) {
    assert(delay >= 0.0);
    return calendar_.schedule(now_ + delay, payload, priority);
  }
  [[gnu::always_inline]] EventHandle schedule_at(double time, EventPayload payload,
                                                 int priority = 0) {
    assert(time >= now_);
    return calendar_.schedule(time, payload, priority);
  }

  // `handler(const ScheduledEvent&)` is called once per event with the clock already advanced;
  // it may end the run by throwing StopRun.
  template <class Handler>
  StopReason run(Handler&& handler, RunLimits limits = {}) {
    return run_while(handler, limits, [] { return false; });
  }

  // As run(), and also stops as soon as `stop_condition()` is true after an event.
  template <class Handler, class Condition>
  StopReason run_while(Handler&& handler, RunLimits limits, Condition&& stop_condition) {
    try {
      return loop(handler, limits, stop_condition);
    } catch (const StopRun&) {
      return StopReason::kStopped;
    }
  }

 private:
  template <class Handler, class Condition>
  StopReason loop(Handler& handler, const RunLimits& limits, Condition& stop_condition) {
    std::uint64_t executed = 0;
    ScheduledEvent event;
    for (;;) {
      if (executed >= limits.max_events) return StopReason::kEventLimit;
      if (!calendar_.begin_due(limits.until, event)) {
        const bool nothing_left = calendar_.empty();
        if (!nothing_left || limits.until != std::numeric_limits<double>::infinity()) {
          now_ = limits.until;
        }
        return nothing_left ? StopReason::kCalendarEmpty : StopReason::kTimeReached;
      }
      now_ = event.time;
      ++executed;
      ++events_executed_;
      {
        const EventInProgress in_progress{calendar_};  // ends the event even if handler throws
        handler(event);
      }
      if (stop_condition()) return StopReason::kCondition;
    }
  }

  struct EventInProgress {
    EventCalendar& calendar;
    ~EventInProgress() { calendar.end_event(); }
  };

  double now_ = 0.0;
  std::uint64_t events_executed_ = 0;
  EventCalendar calendar_;
};

}  // namespace linetwin
