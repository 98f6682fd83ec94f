#include "core/event_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/input_error.hpp"
#include "core/state_stream.hpp"

namespace linetwin {

void EventCalendar::drop_orphans_at_top() {
  if (top_taken_) return;  // end_event() drops them once the taken event has left the top
  while (!heap_.empty() && is_orphan(heap_.front())) {
    const std::uint32_t slot = heap_.front().slot();
    remove_top();  // compares with the orphan's slot still intact, then recycles it
    free_slot(slot);
    --orphans_;
  }
}

void EventCalendar::purge_orphans() {
  std::vector<HeapEntry> entries = std::move(heap_);
  heap_.clear();
  heap_.reserve(entries.size());
  // An event taken by begin_due() leaves with the orphans.
  const std::size_t first = top_taken_ ? 1 : 0;
  if (top_taken_) release_taken_slot(entries.front().slot());
  for (std::size_t i = first; i < entries.size(); ++i) {
    const HeapEntry& e = entries[i];
    if (is_orphan(e)) {
      free_slot(e.slot());
    } else {
      push_entry(e);  // rebuilds with the calendar's own order (std::make_heap is binary)
    }
  }
  orphans_ = 0;
}

bool EventCalendar::cancel(EventHandle handle) {
  if (!is_pending(handle)) return false;
  Slot& s = slots_[handle.slot];
  s.state = SlotState::kCancelled;
  ++s.generation;  // the handle is stale from now on; the slot stays out of use until purged
  ++orphans_;
  drop_orphans_at_top();
  // Orphans cost memory and sift time until they surface; purge once they are the majority,
  // which amortises to O(1) per cancel.
  if (orphans_ > 64 && orphans_ * 2 > heap_.size()) purge_orphans();
  return true;
}

bool EventCalendar::reschedule(EventHandle& handle, double new_time) {
  if (!is_pending(handle)) return false;
  const Slot& s = slots_[handle.slot];
  const EventPayload payload = s.payload;
  const int priority = static_cast<int>(s.order >> 48) + kMinPriority;
  cancel(handle);
  handle = schedule(new_time, payload, priority);
  return true;
}

void EventCalendar::clear() {
  const std::size_t first = top_taken_ ? 1 : 0;
  if (top_taken_) release_taken_slot(heap_.front().slot());
  for (std::size_t i = first; i < heap_.size(); ++i)
    free_slot(heap_[i].slot());
  heap_.clear();
  orphans_ = 0;
}

void EventCalendar::add_free_slots() {
  const std::size_t old_size = slots_.size();
  if (old_size >= kMostSlots) {
    // Cancelled events waiting to surface hold slots too: free them before refusing.
    if (orphans_ > 0) purge_orphans();
    if (free_head_ != kEndOfList) return;
    throw InputError({}, "more than " + std::to_string(kMostSlots) +
                             " events pending at once, the most a run's event calendar holds: "
                             "the line is too large to simulate");
  }
  const std::size_t new_size = std::min(kMostSlots, std::max<std::size_t>(16, 2 * old_size));
  slots_.resize(new_size);
  for (std::size_t i = new_size; i-- > old_size;) {
    slots_[i].next_free = free_head_;
    free_head_ = static_cast<std::uint32_t>(i);
  }
}

void EventCalendar::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
}

void EventCalendar::transfer_state(StateStream& io, double earliest, std::uint64_t most_pending) {
  assert(!top_taken_);
  // Cancelled entries stay until they surface or outnumber the pending ones (at most
  // max(pending + 64, 2 pending) entries), and the slots at most double past the entries.
  const std::uint64_t most_entries = 2 * most_pending + 64;
  const std::uint64_t most_slots = 2 * most_entries + 16;
  constexpr std::size_t kSlotBytes = 33;
  const std::size_t slots =
      io.count(slots_.size(), std::min<std::uint64_t>(most_slots, kMostSlots), kSlotBytes, "slots");
  if (io.reading()) slots_.assign(slots, Slot{});
  for (std::size_t i = 0; i < slots; ++i) {
    const StateStream::Section section(io, "slots", i);
    Slot& s = slots_[i];
    io.value(s.payload.target);
    io.value(s.payload.kind);
    io.value(s.payload.detail);
    io.value(s.time);
    io.value(s.order);
    io.value(s.generation);
    io.value(s.next_free);
    io.enumerator(s.state, SlotState::kCancelled, "state");
  }
  const std::size_t entries = io.count(heap_.size(), slots, 4, "heap");
  if (io.reading()) heap_.assign(entries, HeapEntry{});
  for (std::size_t i = 0; i < entries; ++i) {
    std::uint32_t slot = heap_[i].slot();
    io.value(slot);
    io.check(slot < slots, "heap", "slot numbers below " + std::to_string(slots));
    if (io.reading()) heap_[i] = entry_of(slots_[slot].time, slot);
  }
  io.index(free_head_, slots, "free_head", kEndOfList);
  io.value(sequence_);
  if (!io.reading()) return;

  // Every slot in use is in the heap once, due no earlier than `earliest`; the rest are free.
  std::vector<std::uint8_t> seen(slots, 0);
  orphans_ = 0;
  for (const HeapEntry& e : heap_) {
    const Slot& s = slots_[e.slot()];
    io.check(s.state != SlotState::kFree && seen[e.slot()] == 0, "heap",
             "each event of the heap once, in a slot in use");
    io.check(std::isfinite(s.time) && s.time >= earliest, "heap",
             "events due no earlier than the state's time, " + std::to_string(earliest) + " s");
    seen[e.slot()] = 1;
    if (s.state == SlotState::kCancelled) ++orphans_;
  }
  std::size_t free_slots = 0;
  for (const Slot& s : slots_)
    free_slots += s.state == SlotState::kFree ? 1 : 0;
  io.check(free_slots + entries == slots, "heap", "every slot in use in the heap");
  io.check(entries - orphans_ <= most_pending, "heap",
           "at most " + std::to_string(most_pending) + " pending events");
  io.check(heap_.empty() || !is_orphan(heap_.front()), "heap", "a pending event first");
  for (std::size_t i = 1; i < entries; ++i)
    io.check(!before(heap_[i], heap_[(i - 1) / 2]), "heap", "events in the calendar's order");
  // The free list threads every free slot once and ends.
  std::size_t listed = 0;
  for (std::uint32_t slot = free_head_; slot != kEndOfList; slot = slots_[slot].next_free) {
    io.check(slot < slots && slots_[slot].state == SlotState::kFree && seen[slot] == 0, "free_head",
             "a list of the free slots, each once");
    seen[slot] = 1;
    ++listed;
  }
  io.check(listed == free_slots, "free_head", "a list of every free slot");
  top_taken_ = false;
}

}  // namespace linetwin
