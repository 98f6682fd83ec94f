// libFuzzer target for the scenario-file reader (load_scenario_file), and through it for the scene
// overrides and the loader of every variant: whatever the bytes, it either returns a Scenario
// whose variants are consistent or throws InputError. Any other exception, crash, sanitizer report
// or hang is a finding. The reader takes a path and resolves `base:` against the file's folder, so
// the bytes go to a file in a folder of their own, beside a copy of scenario_line.yaml
// named line.yaml, the base that the seeds (scenario_corpus) name: a small scene with every part a
// path can name, so that the fuzzer's overrides reach each kind of change.
//
// Every variant is a scene loaded and checked in full, about 2 ms each in a release build and 10 to
// 25 ms under the sanitizers, so a scenario of a hundred bytes can ask for minutes of work within
// the documented limit of 10,000 variants (a grid of three lists of 21 values). That cost is linear
// in the variants, by design; inputs that ask for more than kMostVariants are skipped, so that the
// fuzzer's timeout finds hangs rather than large sweeps. The refusal past the limit, counted
// before any variant is built, is io_tests' (scenario_file_test.cpp).
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <unordered_set>

#include <yaml-cpp/yaml.h>

#include "core/input_error.hpp"
#include "io/scenario_file.hpp"

namespace {

// A folder of its own for one input, with the base scene in it, removed when the input is done:
// libFuzzer ends its process with _Exit, which runs no atexit handler, so a folder kept for the
// whole process would be left behind by every run.
class Folder {
 public:
  Folder() {
    const char* tmp = std::getenv("TMPDIR");
    std::string name = std::string(tmp != nullptr ? tmp : "/tmp") + "/scenario_fuzz_XXXXXX";
    if (mkdtemp(name.data()) == nullptr) std::abort();
    path_ = name;
    std::filesystem::copy_file(LINETWIN_FUZZ_BASE, path_ / "line.yaml");
  }
  ~Folder() { std::filesystem::remove_all(path_); }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

constexpr std::size_t kMostVariants = 200;

// At least as many variants as the scenario asks for (its named ones and its sweep's points), or
// 0 where the text is not YAML.
std::size_t variants_asked(const std::uint8_t* data, std::size_t size) {
  // A key that is absent gives an invalid node, whose type yaml-cpp throws for: hence `node &&`.
  auto list_size = [](const YAML::Node& node) -> std::size_t {
    return node && node.IsSequence() ? node.size() : 1;
  };
  try {
    const YAML::Node root = YAML::Load(std::string(reinterpret_cast<const char*>(data), size));
    if (!root.IsMap()) return 0;
    std::size_t asked = root["variants"] ? list_size(root["variants"]) : 0;
    const YAML::Node sweep = root["sweep"];
    for (const std::string kind : {"grid", "zip"}) {
      const YAML::Node lists = sweep && sweep.IsMap() ? sweep[kind] : YAML::Node();
      if (!lists || !lists.IsMap()) continue;
      std::size_t points = 1;  // a grid's product, a zip's longest list
      for (const auto& entry : lists) {
        const std::size_t values = list_size(entry.second);
        if (kind == "zip") {
          points = std::max(points, values);
        } else if (__builtin_mul_overflow(points, values, &points)) {
          return std::numeric_limits<std::size_t>::max();
        }
      }
      asked += points;
    }
    return asked;
  } catch (const YAML::Exception&) {
    return 0;
  }
}

void check(const linetwin::Scenario& scenario) {
  const std::size_t n = scenario.variants.size();
  if (n == 0 || n > linetwin::kMaxScenarioVariants) __builtin_trap();
  if (!scenario.variants.front().overrides.empty()) __builtin_trap();  // the base as it is
  std::unordered_set<std::string> names;
  for (const linetwin::ScenarioVariant& v : scenario.variants) {
    if (v.name.empty() || v.name.size() > linetwin::kMaxScenarioNameBytes) __builtin_trap();
    if (!names.insert(v.name).second) __builtin_trap();
    if (v.scene.elements().empty()) __builtin_trap();
  }
  for (const linetwin::ScenarioGate& gate : scenario.gates) {
    if (gate.variant && !names.contains(*gate.variant)) __builtin_trap();
    if (!(gate.confidence > 0.0 && gate.confidence < 1.0)) __builtin_trap();
  }
  if (scenario.selection && (n < 2 || scenario.selection->first_stage < 2)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (variants_asked(data, size) > kMostVariants) return 0;
  const Folder folder;
  const std::string path = (folder.path() / "fuzz.scenario.yaml").string();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  if (std::fclose(file) != 0) std::abort();
  try {
    check(linetwin::load_scenario_file(path));
  } catch (const linetwin::InputError&) {
    // Refused with the file, line and field: the outcome for bad input.
  }
  return 0;
}
