// The event calendar: the pending future events of one simulation run, in a total, stable order.
//
// Order: earlier time first; at equal times, smaller `priority` first; at equal time and priority,
// the event scheduled first runs first (a per-calendar insertion sequence). That order is total,
// so a run never depends on how the heap happens to break ties, which is what makes runs
// reproducible event for event.
//
// Data layout: an indexed 4-ary min-heap of 24-byte entries (time, packed priority+sequence, slot)
// kept in one contiguous array, and a slot table that holds each event's payload and its current
// heap position. The position is what makes cancel and reschedule O(log n); the 4-ary shape halves
// the depth of a binary heap, and keeping the keys inside the heap entries means a sift never
// leaves the heap array to compare. Slots are recycled through a free list; a generation counter
// per slot makes a stale handle (event already fired or cancelled) harmless.
//
// The calendar knows nothing about plant elements: an event is a 32-bit target, a 16-bit kind and
// a 16-bit detail that the model above interprets (a switch over its own small enum).
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

namespace linetwin {

// What an event means to the model that scheduled it.
struct EventPayload {
  std::uint32_t target = 0;  // usually an element index
  std::uint16_t kind = 0;    // the model's own event-kind enum
  std::uint16_t detail = 0;  // e.g. a server index within a station
};

struct ScheduledEvent {
  double time = 0.0;
  EventPayload payload;
};

// Refers to a scheduled event; stays safe to use after the event has fired (cancel then fails).
struct EventHandle {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  bool valid() const { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

class EventCalendar {
 public:
  // Priorities at equal time run in increasing order; the range keeps the packed key exact.
  static constexpr int kMinPriority = -32768;
  static constexpr int kMaxPriority = 32767;

  EventHandle schedule(double time, EventPayload payload, int priority = 0);
  // Removes a pending event. Returns false when the event already fired or was cancelled.
  bool cancel(EventHandle handle);
  // Moves a pending event to a new time; its priority stays, and it is ordered after events
  // already scheduled at that time and priority (as if scheduled anew). Returns false when stale.
  bool reschedule(EventHandle handle, double new_time);
  bool is_pending(EventHandle handle) const;
  double time_of(EventHandle handle) const;

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  double next_time() const {
    return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.front().time;
  }
  // Removes and returns the earliest event. Precondition: !empty().
  ScheduledEvent pop();
  void clear();
  void reserve(std::size_t n);

 private:
  struct HeapEntry {
    double time;
    std::uint64_t order;  // priority (biased, high 16 bits) then insertion sequence (low 48 bits)
    std::uint32_t slot;
  };
  struct Slot {
    EventPayload payload;
    std::uint32_t heap_index;
    std::uint32_t generation;
  };
  static constexpr std::uint32_t kNotInHeap = std::numeric_limits<std::uint32_t>::max();
  static constexpr int kArity = 4;

  static bool before(const HeapEntry& a, const HeapEntry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  std::uint64_t next_order(std::uint64_t priority_bits) {
    return (priority_bits << 48) | (sequence_++ & kSequenceMask);
  }
  void place(std::size_t index, const HeapEntry& entry) {
    heap_[index] = entry;
    slots_[entry.slot].heap_index = static_cast<std::uint32_t>(index);
  }
  void sift_up(std::size_t index, HeapEntry entry);
  void sift_down(std::size_t index, HeapEntry entry);
  void remove_at(std::size_t index);
  void release_slot(std::uint32_t slot);

  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 48) - 1;
  std::vector<HeapEntry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t sequence_ = 0;
};

// ---- hot path, inline ----

inline void EventCalendar::sift_up(std::size_t index, HeapEntry entry) {
  while (index > 0) {
    std::size_t parent = (index - 1) / kArity;
    if (!before(entry, heap_[parent])) break;
    place(index, heap_[parent]);
    index = parent;
  }
  place(index, entry);
}

inline void EventCalendar::sift_down(std::size_t index, HeapEntry entry) {
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t first = index * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    std::size_t last = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < last; ++c) {
      if (before(heap_[c], heap_[best])) best = c;
    }
    if (!before(heap_[best], entry)) break;
    place(index, heap_[best]);
    index = best;
  }
  place(index, entry);
}

inline EventHandle EventCalendar::schedule(double time, EventPayload payload, int priority) {
  assert(time == time && "event time must not be NaN");
  assert(priority >= kMinPriority && priority <= kMaxPriority);
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(Slot{payload, kNotInHeap, 0});
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot].payload = payload;
  }
  std::uint64_t priority_bits = static_cast<std::uint64_t>(priority - kMinPriority);
  heap_.push_back(HeapEntry{});
  sift_up(heap_.size() - 1, HeapEntry{time, next_order(priority_bits), slot});
  return EventHandle{slot, slots_[slot].generation};
}

inline ScheduledEvent EventCalendar::pop() {
  assert(!heap_.empty());
  const HeapEntry top = heap_.front();
  ScheduledEvent event{top.time, slots_[top.slot].payload};
  release_slot(top.slot);
  HeapEntry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
  return event;
}

inline void EventCalendar::release_slot(std::uint32_t slot) {
  slots_[slot].heap_index = kNotInHeap;
  ++slots_[slot].generation;
  free_slots_.push_back(slot);
}

}  // namespace linetwin
