// A sweep's report as one self-contained HTML file (docs/experiments.md, "HTML report"): the
// ranking KPI against each swept parameter with its 95% confidence band, the ranking, each
// variant against the baseline, the gates and the state shares of every station per variant.
//
// The file must open anywhere, from a mail attachment or a CI artifact, and show the same thing:
// so it holds no script and fetches nothing (its Content-Security-Policy forbids every request;
// the charts are inline SVG drawn here, the style inline CSS). It is written with pugixml as
// XHTML-compatible HTML5, so that xmllint checks it well-formed and no text reaches the markup
// unescaped; HTML elements that may not be empty never are, since a browser reads `<td/>` as an
// opening tag. Every chart point, band edge and bar carries the exact value it shows in data-*
// attributes (data-x, data-mean, data-low, data-high), for tests and for whoever scrapes them.
#pragma once

#include <iosfwd>

#include "io/sweep_report.hpp"

namespace linetwin {

void write_sweep_html(std::ostream& out, const SweepReport& report);

}  // namespace linetwin
