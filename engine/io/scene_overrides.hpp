// Scene overrides: a scene changed by a list of (path, value) pairs, as a scenario file's variants
// and the viewer's what-if write them (docs/scenario-format.md#paths).
//
// A change is made on the scene's YAML and the result loaded like any scene file, so every value
// is checked by the same loader, and the changed text is a scene file that can be saved. The edit
// never writes through a node: each change builds new mappings and lists along its path and shares
// everything else with the base, so a node that YAML anchors share with another place (an alias,
// `*two_shifts`) is still shared, and still one anchor, wherever the change does not go.
// Comments of the base are not kept in the changed text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "plant/scene.hpp"

namespace linetwin {

// At most this many keys in a path after the element, fleet, pool, limit or calendar it names. No
// field of a scene lies deeper than a few (`OP30.breakdowns.time_to_repair.mean` has three), and
// each key is a level of the changed YAML, whose text grows with the square of its depth: a path
// of thousands of keys names nothing, and would take minutes to find so, or overflow the stack.
inline constexpr std::size_t kMaxOverrideKeys = 16;
// At most this many overrides in one list (one variant). Each override copies the mappings along
// its path, and yaml-cpp merges the whole node pool of the base into each new mapping, which
// grows with every copy: the time grows faster than the square of the count (8,000 overrides of one
// element took minutes). A thousand is more than any line has fields worth changing at once.
inline constexpr std::size_t kMaxOverrides = 1'000;

// One change to a scene: a path and the value it takes, as a scenario file writes it.
struct SceneOverride {
  // "B2.capacity", "OP30.processing.mean", "operators.fitters.count", "run.duration",
  // "AGV.vehicles", "insert_buffer"
  std::string path;
  // The value as YAML text: "16", "45s", "{after: OP20, id: B2b, capacity: 4}".
  std::string value_yaml;
  // Where the scenario file (or the viewer) says it: file, line, column, field path. An empty
  // field path stands for `path`.
  InputLocation origin;
};

// The base scene's YAML with the overrides applied in order. InputError at the override's origin
// (naming its path) for an unknown element, fleet, pool, limit or calendar, a field the element
// does not have where the change needs one (a distribution for `.mean`), a value of the wrong type
// or out of range where the loader could not say it as well, and for `seed` and `run.replications`,
// which every variant of a scenario shares.
std::string apply_overrides(std::string_view scene_yaml, const std::string& scene_path,
                            const std::vector<SceneOverride>& overrides);

// apply_overrides, then load_scene_text with `scene_path` as the display name, so relative order
// files resolve and Scene::source_file() is the base's path. A problem the loader finds in the
// changed text is reported at the origin of the override whose path it concerns (else of the
// first override), with the loader's message: never a line of the changed text. The base is
// expected to load on its own (a scenario loads it first), since its own faults would be reported
// at an override too. No overrides: the base as it is.
Scene load_scene_with_overrides(std::string_view scene_yaml, const std::string& scene_path,
                                const std::vector<SceneOverride>& overrides);

}  // namespace linetwin
