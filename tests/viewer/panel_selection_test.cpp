// The --panels option: which windows a run of the viewer opens (the doc screenshots rely on it to
// show one panel per image).
#include <doctest/doctest.h>

#include <string>

#include "core/input_error.hpp"
#include "panel_selection.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

int open_count(const PanelSelection& s) {
  const PanelVisibility& p = s.panels;
  return p.source_controls + p.kpi_dashboard + p.state_shares + p.inspector + p.event_log +
         p.what_if + p.legend + p.timeline + p.sweep + s.help;
}

}  // namespace

TEST_CASE("--panels: all opens every window, none opens none") {
  CHECK(open_count(parse_panel_list("all")) == static_cast<int>(kPanelNames.size()));
  CHECK(open_count(parse_panel_list("none")) == 0);
}

TEST_CASE("--panels: a list opens exactly the windows it names") {
  const PanelSelection kpi_and_help = parse_panel_list("kpi,help");
  CHECK(open_count(kpi_and_help) == 2);
  CHECK(kpi_and_help.panels.kpi_dashboard);
  CHECK(kpi_and_help.help);
  // Each name alone opens one window, and a different one for each name.
  for (const std::string_view name : kPanelNames) {
    CAPTURE(name);
    CHECK(open_count(parse_panel_list(name)) == 1);
  }
  CHECK(open_count(parse_panel_list(
            "controls,kpi,states,inspector,events,whatif,legend,timeline,sweep,help")) ==
        static_cast<int>(kPanelNames.size()));
}

TEST_CASE("--panels: an unknown name is an input error that lists the accepted ones") {
  try {
    parse_panel_list("kpi,charts");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const std::string message = e.what();
    CHECK(message.find("'charts'") != std::string::npos);
    CHECK(message.find("inspector") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_panel_list(""), InputError);
  CHECK_THROWS_AS(parse_panel_list("kpi,"), InputError);
}

TEST_CASE("--panels: spaces around names are allowed; all and none stand alone") {
  const PanelSelection spaced = parse_panel_list("kpi, states ,  help");
  CHECK(open_count(spaced) == 3);
  CHECK(spaced.panels.state_shares);
  try {
    parse_panel_list("all,kpi");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("'all' stands alone") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_panel_list("kpi,none"), InputError);
}
