// libFuzzer target for the DTDL checker (`linetwin check-dtdl`): whatever the bytes, check_dtdl
// returns its problems in both versions' modes, with and without external references, and never
// throws, crashes or hangs; each problem names the document. The input is split at the first NUL
// into two documents, so that the checks across files (extends, components, targets) are reached.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/dtdl_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = bytes.find('\0');
  std::vector<linetwin::DtdlDocument> documents{{"a.json", std::string(bytes.substr(0, cut))}};
  if (cut != std::string_view::npos)
    documents.push_back({"b.json", std::string(bytes.substr(cut + 1))});
  for (const int version : {2, 3}) {
    for (const bool allow_external : {false, true}) {
      const linetwin::DtdlCheck check =
          linetwin::check_dtdl(documents, {.version = version, .allow_external = allow_external});
      for (const linetwin::DtdlProblem& problem : check.problems) {
        if (problem.file != "a.json" && problem.file != "b.json") __builtin_trap();
      }
    }
  }
  return 0;
}
