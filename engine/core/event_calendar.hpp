// The event calendar: the pending future events of one simulation run, in a total, stable order.
//
// Order: earlier time first; at equal times, smaller `priority` first; at equal time and priority,
// the event scheduled first runs first (a per-calendar insertion sequence). That order is total,
// so a run never depends on how the heap happens to break ties, which is what makes runs
// reproducible event for event.
//
// Data layout: a 4-ary min-heap of 24-byte entries (time; priority and sequence packed in one
// 64-bit word; slot; generation) in one contiguous array, and a slot table that holds each
// event's payload. Keeping the whole sort key inside the entry means a sift never leaves the heap
// array, and the 4-ary shape halves the depth of a binary heap (four children share a cache line
// and a half). Pops use Floyd's bottom-up method: the hole at the root sinks to a leaf along the
// smaller children, and the last entry rises from there, which saves a comparison per level.
//
// Cancellation is lazy: cancel() bumps the slot's generation and frees the slot at once, and the
// orphaned heap entry, whose generation no longer matches, is dropped when it reaches the top.
// So the hot path never maintains heap positions (no second array written per move), cancel is
// O(1), and the heap is purged of orphans whenever they outnumber live events, which keeps every
// operation O(log n) in the number of pending events. The top of the heap is always live.
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

// Refers to a scheduled event; stays safe to use after the event has fired or was cancelled.
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
  // Moves a pending event to a new time, keeping its payload and priority; it is ordered after
  // events already scheduled at that time and priority (as if scheduled anew). `handle` is
  // updated to refer to the moved event. Returns false (and changes nothing) when stale.
  bool reschedule(EventHandle& handle, double new_time);
  bool is_pending(EventHandle handle) const {
    return handle.slot < slots_.size() && slots_[handle.slot].generation == handle.generation &&
           slots_[handle.slot].pending;
  }
  // Precondition: is_pending(handle).
  double time_of(EventHandle handle) const {
    assert(is_pending(handle));
    return slots_[handle.slot].time;
  }

  bool empty() const { return heap_.empty(); }
  // Pending events (cancelled ones not counted).
  std::size_t size() const { return heap_.size() - orphans_; }
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
    std::uint32_t generation;  // the slot's generation when scheduled; a mismatch means cancelled
  };
  struct Slot {
    EventPayload payload;
    double time = 0.0;
    std::uint32_t generation = 0;
    std::int16_t priority = 0;
    bool pending = false;
  };
  static constexpr int kArity = 4;
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 48) - 1;

  static bool before(const HeapEntry& a, const HeapEntry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  bool is_orphan(const HeapEntry& e) const { return slots_[e.slot].generation != e.generation; }
  void push_entry(const HeapEntry& entry);
  void remove_top();
  void drop_orphans_at_top();
  void purge_orphans();
  void free_slot(std::uint32_t slot);

  std::vector<HeapEntry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t orphans_ = 0;  // cancelled entries still in the heap
  std::uint64_t sequence_ = 0;
};

// ---- hot path, inline ----

inline void EventCalendar::push_entry(const HeapEntry& entry) {
  std::size_t index = heap_.size();
  heap_.push_back(entry);
  HeapEntry* heap = heap_.data();
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!before(entry, heap[parent])) break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = entry;
}

inline EventHandle EventCalendar::schedule(double time, EventPayload payload, int priority) {
  assert(time == time && "event time must not be NaN");
  assert(priority >= kMinPriority && priority <= kMaxPriority);
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  s.payload = payload;
  s.time = time;
  s.priority = static_cast<std::int16_t>(priority);
  s.pending = true;
  const auto priority_bits = static_cast<std::uint64_t>(priority - kMinPriority);
  push_entry(
      HeapEntry{time, (priority_bits << 48) | (sequence_++ & kSequenceMask), slot, s.generation});
  return EventHandle{slot, s.generation};
}

inline void EventCalendar::remove_top() {
  // Floyd: sink the hole at the root to a leaf along the smaller children, then let the last
  // entry rise from there (it usually belongs near the bottom, so it rarely rises far).
  HeapEntry* heap = heap_.data();
  const std::size_t n = heap_.size() - 1;  // entries that remain; heap[n] is the last one
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < last; ++c) {
      if (before(heap[c], heap[best])) best = c;
    }
    heap[hole] = heap[best];
    hole = best;
  }
  const HeapEntry moving = heap[n];
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / kArity;
    if (!before(moving, heap[parent])) break;
    heap[hole] = heap[parent];
    hole = parent;
  }
  heap[hole] = moving;
  heap_.pop_back();
}

inline void EventCalendar::free_slot(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.pending = false;
  ++s.generation;
  free_slots_.push_back(slot);
}

inline ScheduledEvent EventCalendar::pop() {
  assert(!heap_.empty());
  const HeapEntry top = heap_.front();
  assert(!is_orphan(top));
  const ScheduledEvent event{top.time, slots_[top.slot].payload};
  free_slot(top.slot);
  remove_top();
  if (orphans_ > 0) drop_orphans_at_top();
  return event;
}

}  // namespace linetwin
