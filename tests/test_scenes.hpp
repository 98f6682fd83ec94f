// The scenes the tests run: the bundled ones (scenes/) and the tests' own (tests/*/scenes/), read
// from the source tree, and run settings that observe a line from its start.
#pragma once

#include <string>

#include "io/scene_file.hpp"
#include "plant/scene.hpp"

namespace linetwin::test {

// `path` from the source tree's root, e.g. "scenes/breakdown_line.yaml".
inline Scene bundled_scene(const std::string& path) {
  return load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/" + path);
}

// `duration_s` of simulated time observed from the empty line at time 0, with no warm-up: what
// tests that stop, fork or restart a run at a time compare against.
inline RunSettings from_start(double duration_s) {
  RunSettings settings;
  settings.duration_s = duration_s;
  settings.warmup_s = 0.0;
  return settings;
}

}  // namespace linetwin::test
