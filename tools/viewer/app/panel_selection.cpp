#include "panel_selection.hpp"

#include <string>

#include "core/input_error.hpp"

namespace linetwin::viewer {

namespace {

bool* flag_of(PanelSelection& selection, std::string_view name) {
  PanelVisibility& p = selection.panels;
  if (name == "controls") return &p.source_controls;
  if (name == "kpi") return &p.kpi_dashboard;
  if (name == "states") return &p.state_shares;
  if (name == "inspector") return &p.inspector;
  if (name == "events") return &p.event_log;
  if (name == "whatif") return &p.what_if;
  if (name == "legend") return &p.legend;
  if (name == "timeline") return &p.timeline;
  if (name == "sweep") return &p.sweep;
  if (name == "help") return &selection.help;
  return nullptr;
}

}  // namespace

PanelSelection parse_panel_list(std::string_view list) {
  PanelSelection selection;
  const bool all = list == "all";
  for (const std::string_view name : kPanelNames)
    *flag_of(selection, name) = all;
  if (all || list == "none") return selection;
  // Every name between commas must be known: "", "kpi," and "kpi,,help" are mistakes too.
  for (std::size_t start = 0;;) {
    const std::size_t comma = list.find(',', start);
    std::string_view name =
        list.substr(start, comma == std::string_view::npos ? comma : comma - start);
    // "kpi, states" as the docs write lists: spaces around a name do not count.
    while (!name.empty() && name.front() == ' ')
      name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ')
      name.remove_suffix(1);
    bool* flag = flag_of(selection, name);
    if (flag == nullptr && (name == "all" || name == "none")) {
      throw InputError({}, "--panels: '" + std::string(name) +
                               "' stands alone; name the panels instead, separated by commas");
    }
    if (flag == nullptr) {
      std::string accepted = "all, none";
      for (const std::string_view known : kPanelNames)
        accepted += ", " + std::string(known);
      throw InputError({}, "--panels: unknown panel '" + std::string(name) + "'; expected " +
                               accepted + " (several separated by commas)");
    }
    *flag = true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return selection;
}

}  // namespace linetwin::viewer
