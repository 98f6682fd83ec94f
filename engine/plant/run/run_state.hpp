// Saving and restoring a line run (LineRun::save_state, LineRun::restore), part by part: each part
// of the run has a transfer_state() that passes its own fields through a StateStream
// (core/state_stream.hpp), written and read by the same code. What is saved is only what changes
// as the run goes on; what the build steps make from the scene (links, specs, fast paths) is made
// again by building the run, and what the parts derive from other fields (servers per state, a
// station's busy count) is derived again after reading.
//
// Here: the fields of the small values the parts pass between them, each checked on reading
// against the run as built, and the whole line in its order.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/event_calendar.hpp"
#include "core/fifo_queue.hpp"
#include "core/state_stream.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct Line;

// Bytes a Part takes in a state (entered_s, product, cards): what bounds a count of parts.
inline constexpr std::size_t kPartBytes = 12;

void transfer(StateStream& io, Part& part, const Scene& scene);
void transfer(StateStream& io, Output& output);
// Any value: a handle is checked against the calendar wherever it is used.
void transfer(StateStream& io, EventHandle& handle);

// The items of a queue or a vector in order, at most `most` of them; `item(value)` passes one.
template <class T, class Item>
void transfer(StateStream& io, FifoQueue<T>& queue, std::uint64_t most, std::size_t bytes_each,
              std::string_view field, Item&& item) {
  const std::size_t n = io.count(queue.size(), most, bytes_each, field);
  if (!io.reading()) {
    for (std::size_t i = 0; i < n; ++i) {
      T value = queue.at(i);
      item(value);
    }
    return;
  }
  queue.clear();
  for (std::size_t i = 0; i < n; ++i) {
    T value{};
    item(value);
    queue.push_back(value);
  }
}
template <class T, class Item>
void transfer(StateStream& io, std::vector<T>& items, std::uint64_t most, std::size_t bytes_each,
              std::string_view field, Item&& item) {
  const std::size_t n = io.count(items.size(), most, bytes_each, field);
  if (io.reading()) items.assign(n, T{});
  for (T& value : items)
    item(value);
}

// The whole line, part by part; after reading, what the parts derive, and a check that every
// pending event refers to something the run has.
void transfer_state(StateStream& io, const Scene& scene, Line& line);

}  // namespace linetwin::line_run
