// A rectangle of the window in pixels, for the panels' geometry that the application and the
// screenshot tests read (the 3D view's area, the state timeline's plot).
#pragma once

namespace linetwin::viewer {

// Top left to bottom right, y down, as ImGui's pixels.
struct ScreenRect {
  float x0 = 0.0f;
  float y0 = 0.0f;
  float x1 = 0.0f;
  float y1 = 0.0f;
};

}  // namespace linetwin::viewer
