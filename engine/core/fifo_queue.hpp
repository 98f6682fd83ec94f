// A first-in first-out queue on a growable ring buffer: one allocation that is reused, no
// per-element nodes (std::deque allocates in blocks and is slower to walk for small queues).
// Used for parts in buffers and for elements waiting to hand a part over.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace linetwin {

template <class T>
class FifoQueue {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  [[gnu::always_inline]] void push_back(T value) {
    if (size_ == capacity_) grow();
    slots_[(head_ + size_) & (capacity_ - 1)] = std::move(value);
    ++size_;
  }
  [[gnu::always_inline]] T pop_front() {
    assert(size_ > 0);
    T value = std::move(slots_[head_]);
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
    return value;
  }
  const T& front() const {
    assert(size_ > 0);
    return slots_[head_];
  }
  // Random access and removal, for the rare scans by priority; erase is O(size).
  const T& at(std::size_t i) const {
    assert(i < size_);
    return slots_[(head_ + i) & (capacity_ - 1)];
  }
  T erase(std::size_t i) {
    assert(i < size_);
    T value = std::move(slots_[(head_ + i) & (capacity_ - 1)]);
    for (std::size_t k = i; k + 1 < size_; ++k) {
      slots_[(head_ + k) & (capacity_ - 1)] = std::move(slots_[(head_ + k + 1) & (capacity_ - 1)]);
    }
    --size_;
    return value;
  }
  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  [[gnu::noinline]] void grow() {
    // Capacity stays a power of two so that wrapping is a mask.
    std::vector<T> bigger(slots_.empty() ? 8 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = std::move(slots_[(head_ + i) & (capacity_ - 1)]);
    slots_ = std::move(bigger);
    capacity_ = slots_.size();
    head_ = 0;
  }
  std::vector<T> slots_;
  // slots_.size(), kept apart: the event path wraps on every push and pop, and a vector's size
  // is a division by the element size.
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace linetwin
