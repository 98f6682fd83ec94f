// A scene's fingerprint: a 64-bit hash of everything that decides how its runs go, so that a saved
// run (LineRun::save_state) is refused on another scene, or on this scene edited since.
//
// It covers the products, every element's id, type, route (with the fleet, stops and priority of
// a `via:` link) and inputs and its kind's parameters (each distribution to the bit; a conveyor's
// mode), operator pools, WIP limits, calendars, the path network (nodes, edges) and the fleets
// (vehicle, dispatch, traffic, where idle vehicles wait, stops, battery, chargers); not the scene's
// name, file, comments, layout poses other than what operators walk between and vehicles stop
// nearest to, 3D models, seed or run settings (a saved run carries its own seed and settings).
// Stable across machines and releases that keep the scene model: FNV-1a over little-endian numbers
// and length-prefixed texts, in scene order (which decides ties, so reordering elements, nodes or
// edges changes it).
#pragma once

#include <cstdint>

#include "plant/scene.hpp"

namespace linetwin {

std::uint64_t scene_fingerprint(const Scene& scene);

}  // namespace linetwin
