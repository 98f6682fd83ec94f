// libFuzzer target for the AutomationML importer: whatever the bytes, import_aml_text either
// returns a scene text that loads or throws InputError, with and without --layout-only. Any other
// exception, crash, sanitizer report or hang is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/aml_import.hpp"
#include "io/scene_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool layout_only : {false, true}) {
    linetwin::AmlImportOptions options;
    options.layout_only = layout_only;
    options.lenient = !layout_only;
    try {
      const linetwin::AmlImport imported =
          linetwin::import_aml_text(text, "fuzz.aml", "fuzz-aml", options);
      // What the importer returns has passed the scene loader; it must load again.
      const linetwin::Scene scene = linetwin::load_scene_text(imported.scene_yaml, "fuzz.yaml");
      if (scene.elements().size() < imported.elements.size()) __builtin_trap();
    } catch (const linetwin::InputError&) {
      // Rejected with a located message: the expected outcome for bad input.
    }
  }
  return 0;
}
