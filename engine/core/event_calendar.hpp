// The event calendar: the pending future events of one simulation run, in a total, stable order.
//
// Order: earlier time first; at equal times, smaller `priority` first; at equal time and priority,
// the event scheduled first runs first (a per-calendar insertion sequence). That order is total,
// so a run never depends on how the heap happens to break ties, which is what makes runs
// reproducible event for event.
//
// Data layout: a binary min-heap of 8-byte entries in one contiguous array, and a slot table that
// holds each event's time, payload, priority and insertion sequence. An entry is the top 40 bits
// of the time's order-preserving integer key with the slot number (24 bits) below them, so two
// entries compare as two integers unless those bits are equal: equal times, or times closer than
// the bits kept tell apart (at most a 2^-28 share of the time: 2 ms at a million seconds). Then the
// tie is settled from the slots, which is rare with continuous distributions. Small entries are
// what make the heap as fast as a bare std::priority_queue of (time, id) pairs: the serial line
// runs 11% slower with 24-byte entries than with 16-byte ones (docs/performance.md), and a 4-ary
// heap measured no faster. Pops use Floyd's bottom-up method, as std::pop_heap does: the hole at
// the root sinks to a leaf along the smaller children and the last entry rises from there, which
// saves a comparison per level.
//
// At most kMostSlots (2^24, about 16.8 million) events can be pending at once (cancelled events
// hold a slot until they are dropped, which happens first when the slots run out); one more is
// an InputError that says so, as a scene too large for memory is.
//
// A simulation run takes each event with begin_due() and ends it with end_event(): in between
// (while the model handles the event) the event's entry stays at the top of the heap, and the first
// event the handler schedules takes its place there with one sift instead of a pop and a push.
// Most events schedule exactly one successor (a processing end schedules the next processing end),
// so that saves a sift and a resize of the heap per event.
//
// Cancellation is lazy: cancel() marks the slot, and its heap entry is dropped when it reaches
// the top (or when cancelled entries become the majority and the heap is purged, which keeps
// every operation O(log n) amortised in the number of pending events). A cancelled slot is only
// recycled once its entry has left the heap, so a tie-break never reads a reused slot. Slots carry
// a generation, so a handle to an event that fired or was cancelled is recognised as stale.
//
// The calendar knows nothing about plant elements: an event is a 32-bit target, a 16-bit kind and
// a 16-bit detail that the model above interprets (a switch over its own small enum).
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

namespace linetwin {

class StateStream;

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
           slots_[handle.slot].state == SlotState::kPending;
  }
  // Precondition: is_pending(handle).
  double time_of(EventHandle handle) const {
    assert(is_pending(handle));
    return slots_[handle.slot].time;
  }

  bool empty() const { return size() == 0; }
  // Calls f(time, payload) for every pending event, in no particular order (for checks that look
  // at what is still to come, never on the event path).
  template <class F>
  void for_each_pending(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.state == SlotState::kPending) f(s.time, s.payload);
    }
  }
  // Pending events (cancelled ones, and one taken by begin_due(), not counted).
  std::size_t size() const { return heap_.size() - orphans_ - (top_taken_ ? 1 : 0); }
  // Precondition: not between begin_due() and end_event().
  double next_time() const {
    assert(!top_taken_);
    return heap_.empty() ? std::numeric_limits<double>::infinity()
                         : slots_[heap_.front().slot()].time;
  }
  // Removes and returns the earliest event. Preconditions: !empty(), and not between begin_due()
  // and end_event().
  ScheduledEvent pop();
  // Pops the earliest event into `event` if there is one due no later than `until`.
  bool pop_due(double until, ScheduledEvent& event) {
    assert(!top_taken_);
    if (heap_.empty() || slots_[heap_.front().slot()].time > until) return false;
    event = pop();
    return true;
  }
  // As pop_due(), for a run loop: the event is no longer pending (its handle is stale), but its
  // entry keeps the top of the heap for the first event scheduled before end_event(), which must
  // follow before the next begin_due() or pop().
  bool begin_due(double until, ScheduledEvent& event);
  void end_event();
  void clear();
  void reserve(std::size_t n);

  // Saves or restores the calendar as it is, slots, heap, free list and insertion sequence, so
  // that a restored run gives every later event the slot and the place in the order it had
  // (a saved run, core/state_stream.hpp). Only between events. Reading checks that the slots,
  // the heap and the free list fit together, that the heap is in order, and that no pending
  // event is due before `earliest`; `most_pending` bounds the events the model can have pending.
  void transfer_state(StateStream& io, double earliest, std::uint64_t most_pending);

 private:
  static constexpr int kSlotBits = 24;
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
  static constexpr std::size_t kMostSlots = std::size_t{1} << kSlotBits;
  // The time key's top bits, then the slot.
  struct HeapEntry {
    std::uint64_t bits = 0;
    std::uint32_t slot() const { return static_cast<std::uint32_t>(bits & kSlotMask); }
  };
  enum class SlotState : std::uint8_t { kFree, kPending, kCancelled };
  struct Slot {
    EventPayload payload;
    double time = 0.0;
    std::uint64_t order = 0;  // priority (biased, high 16 bits) then insertion sequence (low 48)
    std::uint32_t generation = 0;
    std::uint32_t next_free = 0;  // the free list, threaded through free slots
    SlotState state = SlotState::kFree;
  };
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 48) - 1;
  static constexpr std::uint32_t kEndOfList = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

  // A double's bits compare like the double once the sign is folded in: non-negative values get
  // the top bit set, negative ones are inverted.
  static std::uint64_t key_of_time(double time) {
    const auto bits = std::bit_cast<std::uint64_t>(time + 0.0);  // + 0.0 turns -0 into +0
    const std::uint64_t negative =
        static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> 63);
    return bits ^ (negative | kSignBit);  // branch-free: flip all bits or only the sign
  }
  static HeapEntry entry_of(double time, std::uint32_t slot) {
    return HeapEntry{(key_of_time(time) & ~kSlotMask) | slot};
  }
  bool before(const HeapEntry& a, const HeapEntry& b) const {
    if ((a.bits ^ b.bits) > kSlotMask) [[likely]]
      return a.bits < b.bits;  // the time keys' kept bits differ, and decide
    const Slot& x = slots_[a.slot()];
    const Slot& y = slots_[b.slot()];
    if (x.time != y.time) return x.time < y.time;
    return x.order < y.order;
  }
  bool is_orphan(const HeapEntry& e) const {
    return slots_[e.slot()].state == SlotState::kCancelled;
  }
  // Moves `entry` from the free position `hole` up to where it belongs, and stores it there.
  void sift_up(std::size_t hole, HeapEntry entry);
  void push_entry(HeapEntry entry);
  // Sinks a hole from the root to where `entry` belongs, over the whole heap; the root's old
  // entry is overwritten.
  void replace_top(HeapEntry entry);
  void remove_top();
  void drop_orphans_at_top();
  void purge_orphans();
  void free_slot(std::uint32_t slot);
  // Puts the slot of the event taken by begin_due() (already marked free) on the free list.
  void release_taken_slot(std::uint32_t slot);
  void add_free_slots();  // out of line: the hot path only ever takes a slot from the free list

  std::vector<HeapEntry> heap_;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = kEndOfList;
  std::size_t orphans_ = 0;  // cancelled entries still in the heap
  bool top_taken_ = false;   // the root is an event taken by begin_due(), its slot marked free
  std::uint64_t sequence_ = 0;
};

// ---- hot path, inline ----

inline void EventCalendar::sift_up(std::size_t hole, HeapEntry entry) {
  HeapEntry* heap = heap_.data();
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 2;
    if (!before(entry, heap[parent])) break;
    heap[hole] = heap[parent];
    hole = parent;
  }
  heap[hole] = entry;
}

[[gnu::always_inline]] inline void EventCalendar::push_entry(HeapEntry entry) {
  heap_.push_back(entry);
  sift_up(heap_.size() - 1, entry);
}

[[gnu::always_inline]] inline EventHandle EventCalendar::schedule(double time, EventPayload payload,
                                                                  int priority) {
  assert(time == time && "event time must not be NaN");
  assert(priority >= kMinPriority && priority <= kMaxPriority);
  // The event taken by begin_due() hands over its slot and its place at the top.
  const bool replaces_top = top_taken_;
  std::uint32_t slot;
  if (replaces_top) {
    slot = heap_.front().slot();
    top_taken_ = false;
  } else {
    if (free_head_ == kEndOfList) add_free_slots();
    slot = free_head_;
    free_head_ = slots_[slot].next_free;
  }
  Slot& s = slots_[slot];
  s.payload = payload;
  s.time = time;
  const auto priority_bits = static_cast<std::uint64_t>(priority - kMinPriority);
  s.order = (priority_bits << 48) | (sequence_++ & kSequenceMask);
  s.state = SlotState::kPending;
  const HeapEntry entry = entry_of(time, slot);
  if (replaces_top) {
    replace_top(entry);
  } else {
    push_entry(entry);
  }
  return EventHandle{slot, s.generation};
}

inline void EventCalendar::replace_top(HeapEntry entry) {
  // Floyd: sink the hole at the root to a leaf along the smaller children, then let the entry
  // rise from there (a new or last entry usually belongs near the bottom, so it rarely rises far).
  HeapEntry* heap = heap_.data();
  const std::size_t n = heap_.size();
  std::size_t hole = 0;
  std::size_t child = 1;
  while (child + 1 < n) {  // both children in the heap
    child += before(heap[child + 1], heap[child]) ? 1 : 0;
    heap[hole] = heap[child];
    hole = child;
    child = 2 * hole + 1;
  }
  if (child < n) {  // a lone left child
    heap[hole] = heap[child];
    hole = child;
  }
  sift_up(hole, entry);
}

inline void EventCalendar::remove_top() {
  const HeapEntry last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) replace_top(last);
}

inline void EventCalendar::free_slot(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.state = SlotState::kFree;
  ++s.generation;
  s.next_free = free_head_;
  free_head_ = slot;
}

inline ScheduledEvent EventCalendar::pop() {
  assert(!heap_.empty() && !top_taken_);
  const std::uint32_t slot = heap_.front().slot();
  assert(!is_orphan(heap_.front()));
  const ScheduledEvent event{slots_[slot].time, slots_[slot].payload};
  remove_top();
  free_slot(slot);
  if (orphans_ > 0) drop_orphans_at_top();
  return event;
}

inline bool EventCalendar::begin_due(double until, ScheduledEvent& event) {
  assert(!top_taken_);
  if (heap_.empty()) return false;
  const std::uint32_t slot = heap_.front().slot();
  assert(!is_orphan(heap_.front()));
  Slot& s = slots_[slot];
  if (s.time > until) return false;  // the slot's time is read anyway: no key to make of `until`
  event = ScheduledEvent{s.time, s.payload};
  // The event's handle is stale at once, as after pop(); its slot stays off the free list, for
  // the next schedule() to take over with the place at the top, or end_event() to free.
  s.state = SlotState::kFree;
  ++s.generation;
  top_taken_ = true;
  return true;
}

inline void EventCalendar::end_event() {
  if (top_taken_) {
    const std::uint32_t slot = heap_.front().slot();
    remove_top();
    release_taken_slot(slot);
  }
  if (orphans_ > 0) drop_orphans_at_top();
}

inline void EventCalendar::release_taken_slot(std::uint32_t slot) {
  top_taken_ = false;
  slots_[slot].next_free = free_head_;
  free_head_ = slot;
}

}  // namespace linetwin
