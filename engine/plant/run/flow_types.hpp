// The few values every part of a line run passes between them: a part, an element waiting to
// hand one over, a resolved connection, and each element's place among the run's arrays.
#pragma once

#include <cstdint>
#include <limits>

#include "plant/scene.hpp"

namespace linetwin::line_run {

inline constexpr std::uint8_t kNoGate = 0xFF;  // no WIP limit starts at the element
inline constexpr std::uint32_t kNoOperator = std::numeric_limits<std::uint32_t>::max();

struct Part {
  double entered_s = 0.0;  // when the part entered the line (was taken from its source)
  ProductIndex product = 0;
  std::uint16_t cards = 0;  // one bit per WIP limit whose card it holds
};

// An element that could not hand its part over and waits for room.
struct Holder {
  ElementIndex element = kNoElement;
  std::uint32_t server = 0;
  std::uint32_t ticket = 0;  // stale once the holder's part was taken elsewhere (first free)
  double since_s = 0.0;      // when it began to wait (first-come merges)
};

// A connection resolved when the run is built, so that the event path indexes the array of the
// target's kind directly instead of looking the element up.
struct Link {
  ElementType type = ElementType::kSink;
  std::uint32_t index = 0;  // into the run array of its kind (unused for a sink)
  ElementIndex element = kNoElement;
};

inline Link link_to(const Scene& scene, ElementIndex element) {
  const Element& e = scene.element(element);
  return Link{e.type, e.type_index, element};
}

// An element's kind, its index among the elements of that kind (Element carries strings), and
// the WIP limits that start and end at it.
struct Node {
  ElementType type = ElementType::kSink;
  std::uint32_t type_index = 0;
  std::uint8_t gate = kNoGate;  // the WIP limit that starts here
  std::uint16_t exits = 0;      // WIP limits that end here, one bit each
};

}  // namespace linetwin::line_run
