#include "core/event_calendar.hpp"

#include <algorithm>

namespace linetwin {

void EventCalendar::drop_orphans_at_top() {
  while (!heap_.empty() && is_orphan(heap_.front())) {
    remove_top();
    --orphans_;
  }
}

void EventCalendar::purge_orphans() {
  std::erase_if(heap_, [this](const HeapEntry& e) { return is_orphan(e); });
  orphans_ = 0;
  // Rebuild with the calendar's own order (std::make_heap would build a binary heap).
  std::vector<HeapEntry> entries = std::move(heap_);
  heap_.clear();
  heap_.reserve(entries.size());
  for (const HeapEntry& e : entries)
    push_entry(e);
}

bool EventCalendar::cancel(EventHandle handle) {
  if (!is_pending(handle)) return false;
  free_slot(handle.slot);  // the heap entry is now an orphan
  ++orphans_;
  drop_orphans_at_top();
  // Orphans cost memory and sift time until they surface; purge once they are the majority,
  // which amortises to O(1) per cancel.
  if (orphans_ > 64 && orphans_ * 2 > heap_.size()) purge_orphans();
  return true;
}

bool EventCalendar::reschedule(EventHandle& handle, double new_time) {
  if (!is_pending(handle)) return false;
  const EventPayload payload = slots_[handle.slot].payload;
  const int priority = slots_[handle.slot].priority;
  cancel(handle);
  handle = schedule(new_time, payload, priority);
  return true;
}

void EventCalendar::clear() {
  for (const HeapEntry& e : heap_) {
    if (!is_orphan(e)) free_slot(e.slot);
  }
  heap_.clear();
  orphans_ = 0;
}

void EventCalendar::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace linetwin
