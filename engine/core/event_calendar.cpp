#include "core/event_calendar.hpp"

#include <algorithm>

namespace linetwin {

void EventCalendar::drop_orphans_at_top() {
  if (top_taken_) return;  // end_event() drops them once the taken event has left the top
  while (!heap_.empty() && is_orphan(heap_.front())) {
    const std::uint32_t slot = heap_.front().slot;
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
  if (top_taken_) release_taken_slot(entries.front().slot);
  for (std::size_t i = first; i < entries.size(); ++i) {
    const HeapEntry& e = entries[i];
    if (is_orphan(e)) {
      free_slot(e.slot);
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
  if (top_taken_) release_taken_slot(heap_.front().slot);
  for (std::size_t i = first; i < heap_.size(); ++i)
    free_slot(heap_[i].slot);
  heap_.clear();
  orphans_ = 0;
}

void EventCalendar::add_free_slots() {
  const std::size_t old_size = slots_.size();
  const std::size_t new_size = std::max<std::size_t>(16, 2 * old_size);
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

}  // namespace linetwin
