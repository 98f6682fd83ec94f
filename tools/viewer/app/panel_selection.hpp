// Which windows a run of the viewer opens: the panels (PanelVisibility) and the help window, from
// the --panels option ("all", "none", or names separated by commas). The doc screenshots use it
// to show one panel per image.
#pragma once

#include <array>
#include <string_view>

#include "panels/viewer_panels.hpp"

namespace linetwin::viewer {

struct PanelSelection {
  PanelVisibility panels;
  bool help = false;
};

// The names --panels accepts, in the order the help text lists them.
inline constexpr std::array<std::string_view, 10> kPanelNames = {
    "controls", "kpi",    "states",   "inspector", "events",
    "whatif",   "legend", "timeline", "sweep",     "help"};

// Throws InputError naming the unknown word and the accepted ones.
PanelSelection parse_panel_list(std::string_view list);

}  // namespace linetwin::viewer
