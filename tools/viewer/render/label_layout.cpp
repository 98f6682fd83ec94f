#include "label_layout.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include <glm/common.hpp>

namespace linetwin::viewer {

namespace {

// A place a label may take: its box and where it points at its element.
struct Place {
  glm::vec2 min_px{0.0f};
  glm::vec2 max_px{0.0f};
  glm::vec2 anchor_px{0.0f};
};

Place place_at(const LabelCandidate& label, glm::vec2 top_left, glm::vec2 anchor,
               glm::vec2 frame_px) {
  // Kept inside the frame: a label at an element near the edge slides in rather than being cut.
  const glm::vec2 limit = glm::max(frame_px - label.size_px, glm::vec2(0.0f));
  const glm::vec2 at = glm::clamp(top_left, glm::vec2(0.0f), limit);
  return {at, at + label.size_px, anchor};
}

// The labels placed so far, found by the cells of a coarse grid over the frame that each covers, so
// that a new label is tested against its neighbours only: with thousands of elements on screen a
// test against every placed label would cost more than the frame.
class PlacedLabels {
 public:
  explicit PlacedLabels(glm::vec2 frame_px)
      : columns_(cell_count(frame_px.x)),
        rows_(cell_count(frame_px.y)),
        cells_(static_cast<std::size_t>(columns_ * rows_)) {}

  bool overlaps_any(const Place& box) const {
    bool found = false;
    for_cells(box, [&](std::vector<std::size_t>& cell) {
      for (const std::size_t k : cell)
        found = found || too_close(box, placed_[k]);
    });
    return found;
  }

  void add(const LabelBox& box) {
    placed_.push_back(box);
    for_cells(box, [&](std::vector<std::size_t>& cell) { cell.push_back(placed_.size() - 1); });
  }

  std::vector<LabelBox> take() { return std::move(placed_); }

 private:
  static constexpr float kCellPx = 64.0f;

  static int cell_count(float extent_px) {
    return std::max(1, static_cast<int>(std::ceil(extent_px / kCellPx)));
  }

  static bool too_close(const Place& a, const LabelBox& b) {
    return a.min_px.x < b.max_px.x + kLabelGapPx && b.min_px.x < a.max_px.x + kLabelGapPx &&
           a.min_px.y < b.max_px.y + kLabelGapPx && b.min_px.y < a.max_px.y + kLabelGapPx;
  }

  // Calls `visit` with every cell the box, widened by the gap, touches.
  template <typename Box, typename Visit>
  void for_cells(const Box& box, Visit visit) const {
    const auto cell = [](float px, int count) {
      return std::clamp(static_cast<int>(std::floor(px / kCellPx)), 0, count - 1);
    };
    const int x0 = cell(box.min_px.x - kLabelGapPx, columns_);
    const int x1 = cell(box.max_px.x + kLabelGapPx, columns_);
    const int y0 = cell(box.min_px.y - kLabelGapPx, rows_);
    const int y1 = cell(box.max_px.y + kLabelGapPx, rows_);
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x)
        visit(cells_[static_cast<std::size_t>(y * columns_ + x)]);
    }
  }

  int columns_;
  int rows_;
  mutable std::vector<std::vector<std::size_t>> cells_;
  std::vector<LabelBox> placed_;
};

}  // namespace

bool labels_overlap(const LabelBox& a, const LabelBox& b) {
  return a.min_px.x < b.max_px.x && b.min_px.x < a.max_px.x && a.min_px.y < b.max_px.y &&
         b.min_px.y < a.max_px.y;
}

std::vector<LabelBox> place_labels(std::vector<LabelCandidate> candidates, glm::vec2 frame_px,
                                   std::size_t max_labels) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const LabelCandidate& a, const LabelCandidate& b) {
                     if (a.always != b.always) return a.always;
                     if (a.priority != b.priority) return a.priority > b.priority;
                     if (a.vehicle != b.vehicle) return b.vehicle;
                     return a.element < b.element;
                   });
  PlacedLabels placed(frame_px);
  std::size_t optional_placed = 0;
  for (const LabelCandidate& label : candidates) {
    if (!label.always && optional_placed >= max_labels) break;
    const float row = label.size_px.y + kLabelGapPx;
    std::array<Place, kLabelRowsAbove + kLabelRowsBelow> places;
    for (int k = 0; k < kLabelRowsAbove; ++k) {
      const glm::vec2 top_left =
          label.above_px -
          glm::vec2(label.size_px.x / 2, label.size_px.y + static_cast<float>(k) * row);
      places[static_cast<std::size_t>(k)] = place_at(label, top_left, label.above_px, frame_px);
    }
    for (int k = 0; k < kLabelRowsBelow; ++k) {
      const glm::vec2 top_left =
          label.below_px + glm::vec2(-label.size_px.x / 2, static_cast<float>(k) * row);
      places[static_cast<std::size_t>(kLabelRowsAbove + k)] =
          place_at(label, top_left, label.below_px, frame_px);
    }
    const auto free = std::find_if(places.begin(), places.end(),
                                   [&](const Place& place) { return !placed.overlaps_any(place); });
    // Named even where it covers another, if it must be.
    if (free == places.end() && !label.always) continue;
    const Place& chosen = free != places.end() ? *free : places.front();
    placed.add({label.element, label.vehicle, label.text, chosen.min_px, chosen.max_px,
                chosen.anchor_px, &chosen != &places.front()});
    if (!label.always) ++optional_placed;
  }
  return placed.take();
}

}  // namespace linetwin::viewer
