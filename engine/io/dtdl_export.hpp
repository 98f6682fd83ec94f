// DTDL export: a scene's twins described for a twin platform (Azure Digital Twins and any DTDL
// v3 tool). The models are one interface per element kind, each extending a common Element
// interface (the twin's state and reason, its good and scrap counters, its pose, `feedsInto`),
// and a Line interface that `contains` the elements; the twin graph has one twin per element,
// its id the element's id and its properties the scene's parameters, and one `feedsInto`
// relationship per link (docs/dtdl.md).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace linetwin {

struct DtdlExport {
  // A JSON array of every interface: what a DTDL parser and a twin platform's model upload take.
  std::string models_json;
  // The twin graph as an Azure Digital Twins import-job file (NDJSON: a Header, the Models, the
  // Twins and the Relationships sections), which also holds the models so that it stands alone.
  std::string twins_ndjson;
  std::size_t interfaces = 0;
  std::size_t twins = 0;          // one per element, and the line's
  std::size_t relationships = 0;  // feedsInto, one per link; contains, one per element
};

// The DTMI of each model (dtmi:linetwin:KIND;1) and the line twin's id: "line:" and the scene's
// name, which no element id can be (element ids have no ':').
inline constexpr std::string_view kDtdlElementModel = "dtmi:linetwin:Element;1";
inline constexpr std::string_view kDtdlLineModel = "dtmi:linetwin:Line;1";
std::string dtdl_line_twin_id(const std::string& scene_name);

// Loads and checks the scene first (InputError naming the file, line and field). `twin_states`
// are the states the twins follow, the values of the state telemetry's Enum: the telemetry
// layer's (telemetry/machine_state.hpp), which this layer sits below and cannot include.
DtdlExport export_dtdl_file(const std::string& scene_path,
                            std::span<const std::string_view> twin_states);

}  // namespace linetwin
