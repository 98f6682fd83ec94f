// Loads a scene file through the installed engine, runs the scene's replications and prints the
// mean throughput in parts per hour alone on a line, for install_test.sh to compare with the
// installed CLI's result on the same scene. The includes are the ones a program in the linetwin
// tree writes: the package puts include/linetwin on the include path.
#include <cstdio>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "linetwin_version.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: consumer SCENE.yaml\n");
    return 2;
  }
  try {
    const linetwin::Scene scene = linetwin::load_scene_file(argv[1]);
    const auto replications =
        linetwin::run_replications(scene, linetwin::settings_from_scene(scene));
    fmt::print(stderr, "linetwin {}: {} replications\n", linetwin::kLinetwinVersion,
               replications.size());
    fmt::print("{}\n", linetwin::summarize(replications).throughput_per_hour.mean);
  } catch (const linetwin::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
  return 0;
}
