// The colour and name of each ViewState: one table that the renderer, the legend, the panels and
// the screenshot test all read, so a state is drawn and checked in the same colour everywhere.
// Colours follow the convention of andon boards (green working, red down, yellow starved, blue
// blocked) and stay distinct for the common forms of colour blindness in their brightness.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "line_view.hpp"

namespace linetwin::viewer {

struct Rgb8 {
  std::uint8_t r, g, b;
};

inline constexpr std::array<Rgb8, kViewStateCount> kStateColours = {{
    {46, 160, 67},    // working: green
    {230, 190, 30},   // starved: yellow
    {40, 110, 220},   // blocked: blue
    {215, 40, 40},    // down: red
    {150, 80, 200},   // setup: purple
    {90, 90, 90},     // off shift: dark grey
    {240, 130, 20},   // waiting for an operator: orange
    {170, 170, 170},  // unknown: light grey
    {120, 135, 150},  // passive (buffers, conveyors, sources, sinks): slate
}};

inline constexpr std::array<std::string_view, kViewStateCount> kStateNames = {
    "working",          "starved", "blocked",          "down", "setup", "off shift",
    "waiting operator", "unknown", "buffer / conveyor"};

// A deadlock (docs/viewer.md): the pad drawn under each element of it and the banner across the
// top of the view. Magenta is a hue that neither a state nor the selection outline (cyan) uses.
inline constexpr Rgb8 kDeadlockHighlight{255, 0, 220};
inline constexpr Rgb8 kDeadlockBanner{120, 0, 100};
// The material-flow arrows on the floor along every link: a pale sky blue, lighter than blocked's
// blue and apart from the selection's cyan, drawn unlit so that it is exactly this colour.
inline constexpr Rgb8 kFlowArrow{150, 215, 235};

// Vehicles (the plate on their deck): moving white, standing a warm tan, apart from every state,
// the selection's cyan and the deadlock's magenta.
inline constexpr Rgb8 kVehicleMoving{245, 245, 245};
inline constexpr Rgb8 kVehicleStanding{190, 140, 90};
// Parts (in a buffer, at a station, on a belt, and a vehicle's load): a pale wood, apart from the
// state colours and from the plates on the vehicles it rides on.
inline constexpr Rgb8 kPart{222, 200, 160};

constexpr Rgb8 state_colour(ViewState state) {
  return kStateColours[static_cast<int>(state)];
}
constexpr std::string_view state_name(ViewState state) {
  return kStateNames[static_cast<int>(state)];
}

}  // namespace linetwin::viewer
