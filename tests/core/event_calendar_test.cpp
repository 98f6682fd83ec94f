// The event calendar's order is total and stable, and cancel/reschedule keep it so.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/random_stream.hpp"
#include "core/simulation_kernel.hpp"
#include "core/state_stream.hpp"

using namespace linetwin;

namespace {
EventPayload tag(std::uint32_t id) {
  return EventPayload{id, 0, 0};
}
}  // namespace

TEST_CASE("events come out by time, then priority, then insertion order") {
  EventCalendar calendar;
  calendar.schedule(5.0, tag(1));
  calendar.schedule(1.0, tag(2), 3);
  calendar.schedule(1.0, tag(3), -1);
  calendar.schedule(1.0, tag(4), 3);
  calendar.schedule(0.5, tag(5));
  calendar.schedule(1.0, tag(6), -1);
  std::vector<std::uint32_t> order;
  while (!calendar.empty())
    order.push_back(calendar.pop().payload.target);
  CHECK(order == std::vector<std::uint32_t>{5, 3, 6, 2, 4, 1});
}

TEST_CASE("a random schedule pops in the same order as a stable sort of (time, priority, seq)") {
  RandomStream rng(7, "calendar", "test", 0);
  EventCalendar calendar;
  struct Reference {
    double time;
    int priority;
    std::uint32_t seq;
  };
  std::vector<Reference> reference;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    // Few distinct times and priorities, so that ties are common.
    const double time = static_cast<double>(rng.next_u64() % 50);
    const int priority = static_cast<int>(rng.next_u64() % 3) - 1;
    handles.push_back(calendar.schedule(time, tag(i), priority));
    reference.push_back({time, priority, i});
  }
  // Cancel every third event and move every fifth.
  std::vector<bool> cancelled(reference.size(), false);
  std::uint32_t next_seq = static_cast<std::uint32_t>(reference.size());
  std::vector<std::uint32_t> rank(reference.size());
  for (std::uint32_t i = 0; i < rank.size(); ++i)
    rank[i] = i;
  for (std::uint32_t i = 0; i < reference.size(); ++i) {
    if (i % 3 == 0) {
      CHECK(calendar.cancel(handles[i]));
      CHECK_FALSE(calendar.cancel(handles[i]));  // stale now
      cancelled[i] = true;
    } else if (i % 5 == 0) {
      const double time = static_cast<double>(rng.next_u64() % 50);
      CHECK(calendar.reschedule(handles[i], time));
      reference[i].time = time;
      rank[i] = next_seq++;  // a rescheduled event queues behind its new equals
    }
  }
  std::vector<std::uint32_t> expected;
  for (std::uint32_t i = 0; i < reference.size(); ++i) {
    if (!cancelled[i]) expected.push_back(i);
  }
  std::sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(reference[a].time, reference[a].priority, rank[a]) <
           std::tie(reference[b].time, reference[b].priority, rank[b]);
  });
  std::vector<std::uint32_t> actual;
  while (!calendar.empty())
    actual.push_back(calendar.pop().payload.target);
  CHECK(actual == expected);
}

TEST_CASE("handles go stale once their event fires, and slots are reused safely") {
  EventCalendar calendar;
  EventHandle first = calendar.schedule(1.0, tag(1));
  CHECK(calendar.is_pending(first));
  CHECK(calendar.time_of(first) == 1.0);
  calendar.pop();
  CHECK_FALSE(calendar.is_pending(first));
  EventHandle second = calendar.schedule(2.0, tag(2));  // reuses the slot
  CHECK(second.slot == first.slot);
  CHECK_FALSE(calendar.cancel(first));
  CHECK_FALSE(calendar.reschedule(first, 0.5));
  CHECK(calendar.is_pending(second));
  CHECK(calendar.pop().payload.target == 2);
}

TEST_CASE("the kernel stops at a time, after an event count, or on a condition") {
  SimulationKernel kernel;
  for (int i = 1; i <= 10; ++i)
    kernel.schedule_at(i, tag(static_cast<std::uint32_t>(i)));
  std::vector<std::uint32_t> seen;
  auto handler = [&](const ScheduledEvent& e) { seen.push_back(e.payload.target); };

  CHECK(kernel.run(handler, RunLimits{3.5, ~0ull}) == StopReason::kTimeReached);
  CHECK(kernel.now() == 3.5);
  CHECK(seen.size() == 3);

  CHECK(kernel.run(handler, RunLimits{100.0, 2}) == StopReason::kEventLimit);
  CHECK(kernel.now() == 5.0);
  CHECK(seen.size() == 5);

  CHECK(kernel.run_while(handler, RunLimits{}, [&] { return seen.back() == 8; }) ==
        StopReason::kCondition);
  CHECK(kernel.now() == 8.0);

  CHECK(kernel.run(handler, RunLimits{20.0, ~0ull}) == StopReason::kCalendarEmpty);
  CHECK(kernel.now() == 20.0);
  CHECK(seen == std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(kernel.events_executed() == 10);
}

TEST_CASE("an event at exactly the stop time still runs") {
  SimulationKernel kernel;
  kernel.schedule_at(2.0, tag(1));
  int count = 0;
  kernel.run([&](const ScheduledEvent&) { ++count; }, RunLimits{2.0, ~0ull});
  CHECK(count == 1);
}

TEST_CASE("negative times, zero and its sign, and huge times keep their numeric order") {
  EventCalendar calendar;
  const double times[] = {3.5, -0.0, 1e300, -2.0, 0.0, -1e-300, 1e-300, -1e300, 42.0};
  for (std::uint32_t i = 0; i < std::size(times); ++i)
    calendar.schedule(times[i], tag(i));
  std::vector<double> popped;
  std::vector<std::uint32_t> order;
  while (!calendar.empty()) {
    CHECK(calendar.next_time() == calendar.next_time());  // never NaN
    const ScheduledEvent e = calendar.pop();
    popped.push_back(e.time);
    order.push_back(e.payload.target);
  }
  CHECK(std::is_sorted(popped.begin(), popped.end()));
  // -0.0 and 0.0 are equal times, so insertion order decides between them.
  CHECK(order == std::vector<std::uint32_t>{7, 3, 5, 1, 4, 6, 0, 8, 2});
}

TEST_CASE("cancelling most events purges them and keeps the order of the rest") {
  EventCalendar calendar;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 1000; ++i)
    handles.push_back(calendar.schedule(1000.0 - i, tag(i)));
  for (std::uint32_t i = 0; i < 1000; ++i) {
    if (i % 10 != 0) CHECK(calendar.cancel(handles[i]));
  }
  CHECK(calendar.size() == 100);
  double last = -1.0;
  std::size_t count = 0;
  while (!calendar.empty()) {
    const ScheduledEvent e = calendar.pop();
    CHECK(e.payload.target % 10 == 0);
    CHECK(e.time > last);
    last = e.time;
    ++count;
  }
  CHECK(count == 100);
}

TEST_CASE("clear empties the calendar and makes every handle stale") {
  EventCalendar calendar;
  calendar.reserve(16);
  const EventHandle kept = calendar.schedule(2.0, tag(1));
  const EventHandle cancelled = calendar.schedule(1.0, tag(2));
  CHECK(calendar.cancel(cancelled));
  calendar.clear();
  CHECK(calendar.empty());
  CHECK(calendar.size() == 0);
  CHECK_FALSE(calendar.is_pending(kept));
  CHECK_FALSE(calendar.cancel(kept));
  calendar.schedule(5.0, tag(3));
  CHECK(calendar.pop().payload.target == 3);
}

// The run loop takes an event with begin_due() and ends it with end_event(); the handler's first
// schedule takes the taken event's place at the top. Whatever the handler does in between, the
// events come out in the same order as with pop().
TEST_CASE("events taken by begin_due come out in pop order whatever the handler schedules") {
  struct Step {
    int schedules;  // how many events the handler schedules
    bool cancels;   // and whether it cancels a pending one
  };
  auto run = [](bool with_begin_due) {
    RandomStream rng(11, "calendar", "begin_due", 0);
    EventCalendar calendar;
    std::vector<EventHandle> handles;
    for (std::uint32_t i = 0; i < 20; ++i)
      handles.push_back(calendar.schedule(static_cast<double>(rng.next_u64() % 10), tag(i)));
    std::uint32_t next_id = 20;
    std::vector<std::pair<double, std::uint32_t>> order;
    ScheduledEvent event;
    while (order.size() < 3000) {
      if (with_begin_due) {
        if (!calendar.begin_due(1e9, event)) break;
      } else if (!calendar.pop_due(1e9, event)) {
        break;
      }
      order.emplace_back(event.time, event.payload.target);
      // 0, 1 or 2 successors (ties at the same time are common), sometimes a cancellation.
      const Step step{static_cast<int>(rng.next_u64() % 3), rng.next_u64() % 4 == 0};
      for (int s = 0; s < step.schedules; ++s) {
        const double delay = static_cast<double>(rng.next_u64() % 3);
        handles.push_back(calendar.schedule(event.time + delay, tag(next_id++)));
      }
      if (step.cancels) calendar.cancel(handles[rng.next_u64() % handles.size()]);
      if (with_begin_due) calendar.end_event();
    }
    return order;
  };
  const auto popped = run(false);
  CHECK(popped.size() > 100);
  CHECK(run(true) == popped);
}

TEST_CASE("between begin_due and end_event the taken event is gone and the rest is intact") {
  EventCalendar calendar;
  const EventHandle first = calendar.schedule(1.0, tag(1));
  const EventHandle second = calendar.schedule(2.0, tag(2));
  ScheduledEvent event;
  REQUIRE(calendar.begin_due(5.0, event));
  CHECK(event.payload.target == 1);
  CHECK_FALSE(calendar.is_pending(first));
  CHECK_FALSE(calendar.cancel(first));
  CHECK(calendar.size() == 1);
  CHECK_FALSE(calendar.empty());
  CHECK(calendar.cancel(second));
  CHECK(calendar.empty());
  calendar.end_event();
  CHECK(calendar.empty());
  CHECK_FALSE(calendar.begin_due(5.0, event));

  // An event that schedules nothing leaves the next one on top.
  calendar.schedule(3.0, tag(3));
  calendar.schedule(4.0, tag(4));
  REQUIRE(calendar.begin_due(5.0, event));
  calendar.end_event();
  CHECK(calendar.next_time() == 4.0);
  // Not due yet: nothing is taken.
  CHECK_FALSE(calendar.begin_due(3.5, event));
  CHECK(calendar.size() == 1);
}

TEST_CASE("a purge or a clear while an event is taken keeps the calendar whole") {
  EventCalendar calendar;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 200; ++i)
    handles.push_back(calendar.schedule(1.0 + i, tag(i)));
  ScheduledEvent event;
  REQUIRE(calendar.begin_due(1e9, event));
  CHECK(event.payload.target == 0);
  // Cancelling most of the rest purges the orphans (and the taken event's entry) at once.
  for (std::uint32_t i = 1; i < 200; ++i) {
    if (i % 10 != 0) CHECK(calendar.cancel(handles[i]));
  }
  CHECK(calendar.size() == 19);
  calendar.schedule(0.5, tag(1000));  // a successor earlier than all the rest
  calendar.end_event();
  CHECK(calendar.size() == 20);
  std::vector<std::uint32_t> order;
  while (!calendar.empty())
    order.push_back(calendar.pop().payload.target);
  REQUIRE(order.size() == 20);
  CHECK(order.front() == 1000);
  for (std::size_t k = 1; k < order.size(); ++k)
    CHECK(order[k] == 10 * k);

  // clear() while an event is taken frees every slot once: the slots are reused without clashes.
  for (std::uint32_t i = 0; i < 5; ++i)
    calendar.schedule(1.0 + i, tag(i));
  REQUIRE(calendar.begin_due(1e9, event));
  calendar.clear();
  CHECK(calendar.empty());
  std::vector<EventHandle> fresh;
  for (std::uint32_t i = 0; i < 8; ++i)
    fresh.push_back(calendar.schedule(10.0 - i, tag(i)));
  for (std::size_t a = 0; a < fresh.size(); ++a) {
    for (std::size_t b = a + 1; b < fresh.size(); ++b)
      CHECK(fresh[a].slot != fresh[b].slot);
  }
  CHECK(calendar.pop().payload.target == 7);
}

TEST_CASE("the kernel ends an event whose handler throws, and the run can go on") {
  SimulationKernel kernel;
  kernel.schedule_at(1.0, tag(1));
  kernel.schedule_at(2.0, tag(2));
  std::vector<std::uint32_t> seen;
  auto handler = [&](const ScheduledEvent& e) {
    seen.push_back(e.payload.target);
    if (e.payload.target == 1) throw std::runtime_error("model error");
  };
  CHECK_THROWS_AS(kernel.run(handler), std::runtime_error);
  CHECK(kernel.calendar().size() == 1);
  CHECK(kernel.run(handler) == StopReason::kCalendarEmpty);
  CHECK(seen == std::vector<std::uint32_t>{1, 2});
}

namespace {

// The calendar's order as a reference: (time, priority, insertion sequence) -> event id.
using ReferenceKey = std::tuple<double, int, std::uint64_t>;

std::string saved(EventCalendar& calendar, double now) {
  std::string bytes;
  StateStream out = StateStream::writer(bytes);
  calendar.transfer_state(out, now, 1000);
  out.finish();
  return bytes;
}

EventCalendar restored(const std::string& bytes, double now) {
  EventCalendar calendar;
  StateStream in = StateStream::reader(bytes, "calendar.state");
  calendar.transfer_state(in, now, 1000);
  return calendar;
}

}  // namespace

// A calendar as a run uses it (each event taken with begin_due, its successors scheduled while it
// is taken), growing to a hundred pending events and back to none five times, with cancellations:
// events come in the calendar's order throughout, and a calendar saved and restored at any point
// saves the same bytes again and goes on alike.
TEST_CASE("a calendar growing and shrinking keeps its order, and saves and restores alike") {
  RandomStream rng(11, "calendar", "shapes", 0);
  EventCalendar calendar;
  std::map<ReferenceKey, std::uint32_t> reference;
  std::map<std::uint32_t, std::pair<EventHandle, ReferenceKey>> pending;
  std::uint64_t sequence = 0;
  std::uint32_t next_id = 0;
  double now = 0.0;
  auto schedule = [&] {
    // Few distinct times, so that ties are common and settled by priority and sequence.
    const double time = now + static_cast<double>(rng.next_u64() % 8);
    const int priority = static_cast<int>(rng.next_u64() % 3) - 1;
    const std::uint32_t id = next_id++;
    const ReferenceKey key{time, priority, sequence++};
    pending[id] = {calendar.schedule(time, tag(id), priority), key};
    reference[key] = id;
  };
  std::size_t most = 0;
  std::size_t saves = 0;
  // The size swings between 0 and up to 100 five times, through both limits each way.
  for (int swing = 0; swing < 10; ++swing) {
    const bool growing = swing % 2 == 0;
    const std::size_t goal = growing ? 20 + 20 * static_cast<std::size_t>(swing / 2) : 0;
    for (int step = 0; step < 400 && (growing ? pending.size() < goal : !pending.empty()); ++step) {
      // A step takes the next event, as a run does, and schedules 0 to 2 while it is taken;
      // now and then it cancels one at random.
      ScheduledEvent event;
      const bool taken = !pending.empty();
      if (taken) {
        REQUIRE(calendar.begin_due(now + 1e9, event));
        const auto first = reference.begin();
        CHECK(event.payload.target == first->second);
        CHECK(event.time == std::get<0>(first->first));
        pending.erase(first->second);
        reference.erase(first);
        now = event.time;
      }
      const std::uint64_t draws = rng.next_u64() % 4;
      const std::uint64_t new_events = growing ? (draws == 0 ? 1 : 2) : (draws == 0 ? 1 : 0);
      for (std::uint64_t k = 0; k < new_events; ++k)
        schedule();
      if (taken) calendar.end_event();
      if (rng.next_u64() % 5 == 0 && !pending.empty()) {
        auto victim = pending.begin();
        std::advance(victim, static_cast<long>(rng.next_u64() % pending.size()));
        CHECK(calendar.cancel(victim->second.first));
        reference.erase(victim->second.second);
        pending.erase(victim);
      }
      CHECK(calendar.size() == pending.size());
      most = std::max(most, pending.size());
      if (step % 37 == 0) {
        // Saved and restored in either shape: the copy saves the same bytes and goes on alike.
        const std::string bytes = saved(calendar, now);
        EventCalendar copy = restored(bytes, now);
        CHECK(saved(copy, now) == bytes);
        calendar = std::move(copy);
        ++saves;
      }
    }
  }
  CHECK(most >= 100);
  CHECK(saves > 10);
  CHECK(reference.empty());
}

// A heap entry keeps only the top bits of an event's time (event_calendar.hpp): times closer than
// those bits tell apart, here within a millisecond at a million seconds, still come out in the
// order of their full times, then priorities, then insertion.
TEST_CASE("times closer than a heap entry's bits come out in the order of their full times") {
  const double t = 1e6;
  const double next = std::nextafter(t, 2e6);
  RandomStream rng(5, "calendar", "close times", 0);
  EventCalendar calendar;
  std::vector<ReferenceKey> keys;
  // Scheduled latest first, so that insertion order alone would give the reverse.
  for (std::uint32_t i = 0; i < 200; ++i) {
    const std::uint64_t draw = rng.next_u64();
    const double time = draw % 3 == 0 ? next : t + 1e-3 * static_cast<double>(200 - i) / 200.0;
    const int priority = static_cast<int>(draw % 5) - 2;
    calendar.schedule(time, tag(i), priority);
    keys.emplace_back(time, priority, i);
  }
  calendar.schedule(t, tag(1000), 1);
  calendar.schedule(t, tag(1001), -1);
  keys.emplace_back(t, 1, 1000);
  keys.emplace_back(t, -1, 1001);
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint32_t> expected;
  for (const ReferenceKey& key : keys)
    expected.push_back(static_cast<std::uint32_t>(std::get<2>(key)));
  std::vector<std::uint32_t> actual;
  while (!calendar.empty())
    actual.push_back(calendar.pop().payload.target);
  CHECK(actual == expected);
  CHECK(actual.front() == 1001);  // t at priority -1, before t at priority 1
  CHECK(actual[1] == 1000);
}
