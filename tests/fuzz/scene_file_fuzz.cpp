// libFuzzer target for the scene-file reader, the first decoder of outside input: whatever the
// bytes, load_scene_text either returns a valid Scene or throws InputError. Any other exception,
// crash, sanitizer report or hang is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/scene_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const linetwin::Scene scene = linetwin::load_scene_text(text, "fuzz.yaml");
    // A scene that loads must be internally consistent.
    for (const linetwin::Element& e : scene.elements()) {
      if (e.type != linetwin::ElementType::kSink && e.route.targets.empty()) __builtin_trap();
      for (linetwin::ElementIndex target : e.route.targets) {
        if (target >= scene.elements().size()) __builtin_trap();
      }
    }
  } catch (const linetwin::InputError&) {
    // Rejected with a located message: the expected outcome for bad input.
  }
  return 0;
}
