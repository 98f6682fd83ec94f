// Where the element names go on screen so that none covers another: the decluttering of the 3D
// view's labels. Each element offers its name's size and two anchors (above its top, below its
// foot); in priority order each label takes the first place that overlaps no label placed before
// it, trying above its element and then stacked higher, then below it; a label with no such place
// is left out. Every place is kept inside the frame. GL- and ImGui-free, so the screenshot info and
// the tests see the boxes the overlay draws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <glm/vec2.hpp>

namespace linetwin::viewer {

struct LabelCandidate {
  std::size_t element = 0;  // an index in LineView::elements, or in LineView::vehicles
  bool vehicle = false;
  std::string text;
  glm::vec2 size_px{0.0f};
  glm::vec2 above_px{0.0f};  // the middle of the label's lower edge when it stands above
  glm::vec2 below_px{0.0f};  // the middle of its upper edge when it hangs below the element
  // Higher first; equal ones by element index. always: named whatever it covers (selected, or
  // in a deadlock).
  float priority = 0.0f;
  bool always = false;
};

struct LabelBox {
  std::size_t element = 0;
  bool vehicle = false;
  std::string text;
  glm::vec2 min_px{0.0f};  // top left, window pixels (y down)
  glm::vec2 max_px{0.0f};
  glm::vec2 anchor_px{0.0f};  // where the label points at its element
  bool moved = false;         // not at its first place: drawn with a leader line to the anchor
};

// Rows of labels tried above an element (the first at its anchor, each next one row higher)
// before the places below it.
inline constexpr int kLabelRowsAbove = 4;
inline constexpr int kLabelRowsBelow = 2;
// A vehicle is named only when the box around its model on screen is at least this wide or high
// (close zoom), and after every element: many small names would crowd the stations' out.
inline constexpr float kVehicleLabelMinPx = 48.0f;
// Free space kept between two labels, in pixels.
inline constexpr float kLabelGapPx = 2.0f;

// The labels placed, at most `max_labels` (besides those that are `always`), for a frame of
// `frame_px` pixels.
std::vector<LabelBox> place_labels(std::vector<LabelCandidate> candidates, glm::vec2 frame_px,
                                   std::size_t max_labels);

// Whether two boxes share more than an edge.
bool labels_overlap(const LabelBox& a, const LabelBox& b);

}  // namespace linetwin::viewer
