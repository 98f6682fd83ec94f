#include "label_layout.hpp"

#include <algorithm>

#include <glm/common.hpp>

namespace linetwin::viewer {

namespace {

LabelBox box_at(const LabelCandidate& label, glm::vec2 top_left, glm::vec2 frame_px) {
  // Kept inside the frame: a label at an element near the edge slides in rather than being cut.
  const glm::vec2 limit = glm::max(frame_px - label.size_px, glm::vec2(0.0f));
  const glm::vec2 at = glm::clamp(top_left, glm::vec2(0.0f), limit);
  return {label.element, label.text, at, at + label.size_px, label.above_px, false};
}

bool overlaps_any(const LabelBox& box, const std::vector<LabelBox>& placed) {
  return std::any_of(placed.begin(), placed.end(), [&](const LabelBox& other) {
    return box.min_px.x < other.max_px.x + kLabelGapPx &&
           other.min_px.x < box.max_px.x + kLabelGapPx &&
           box.min_px.y < other.max_px.y + kLabelGapPx &&
           other.min_px.y < box.max_px.y + kLabelGapPx;
  });
}

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
                     return a.element < b.element;
                   });
  std::vector<LabelBox> placed;
  std::size_t optional_placed = 0;
  for (const LabelCandidate& label : candidates) {
    if (!label.always && optional_placed >= max_labels) break;
    const float row = label.size_px.y + kLabelGapPx;
    std::vector<LabelBox> places;
    for (int k = 0; k < kLabelRowsAbove; ++k) {
      places.push_back(
          box_at(label,
                 label.above_px -
                     glm::vec2(label.size_px.x / 2, label.size_px.y + static_cast<float>(k) * row),
                 frame_px));
    }
    for (int k = 0; k < kLabelRowsBelow; ++k) {
      places.push_back(box_at(
          label, label.below_px + glm::vec2(-label.size_px.x / 2, static_cast<float>(k) * row),
          frame_px));
      places.back().anchor_px = label.below_px;
    }
    const auto free = std::find_if(places.begin(), places.end(),
                                   [&](const LabelBox& box) { return !overlaps_any(box, placed); });
    if (free != places.end()) {
      free->moved = free != places.begin();
      placed.push_back(*free);
    } else if (label.always) {
      placed.push_back(places.front());  // named even where it covers another
    } else {
      continue;
    }
    if (!label.always) ++optional_placed;
  }
  return placed;
}

}  // namespace linetwin::viewer
