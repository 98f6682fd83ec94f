#include "core/event_calendar.hpp"

namespace linetwin {

bool EventCalendar::is_pending(EventHandle handle) const {
  return handle.slot < slots_.size() && slots_[handle.slot].generation == handle.generation &&
         slots_[handle.slot].heap_index != kNotInHeap;
}

double EventCalendar::time_of(EventHandle handle) const {
  assert(is_pending(handle));
  return heap_[slots_[handle.slot].heap_index].time;
}

void EventCalendar::remove_at(std::size_t index) {
  HeapEntry last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;  // removed the last entry itself
  // The moved entry may belong above or below the hole; exactly one sift applies.
  if (index > 0 && before(last, heap_[(index - 1) / kArity])) {
    sift_up(index, last);
  } else {
    sift_down(index, last);
  }
}

bool EventCalendar::cancel(EventHandle handle) {
  if (!is_pending(handle)) return false;
  std::size_t index = slots_[handle.slot].heap_index;
  remove_at(index);
  release_slot(handle.slot);
  return true;
}

bool EventCalendar::reschedule(EventHandle handle, double new_time) {
  if (!is_pending(handle)) return false;
  std::size_t index = slots_[handle.slot].heap_index;
  HeapEntry entry = heap_[index];
  entry.time = new_time;
  entry.order = next_order(entry.order >> 48);
  // A later key can only move down, an earlier one only up.
  if (index > 0 && before(entry, heap_[(index - 1) / kArity])) {
    sift_up(index, entry);
  } else {
    sift_down(index, entry);
  }
  return true;
}

void EventCalendar::clear() {
  for (const HeapEntry& entry : heap_)
    release_slot(entry.slot);
  heap_.clear();
}

void EventCalendar::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  free_slots_.reserve(n);
}

}  // namespace linetwin
