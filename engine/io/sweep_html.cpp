#include "io/sweep_html.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "core/duration.hpp"
#include "linetwin_version.hpp"

namespace linetwin {
namespace {

struct Rgb {
  int r, g, b;
};

// A station state in the bars: the run JSON's field and the colour of the viewer's legend
// (tools/viewer/model/state_colours.hpp, copied: the engine does not include tools/), so that a
// state looks the same in the report as in the viewer.
struct StateColumn {
  const char* key;
  const char* label;
  Rgb colour;
  Estimate StationSummary::*share;
};
constexpr std::array<StateColumn, 7> kStates{{
    {"working", "working", {46, 160, 67}, &StationSummary::working},
    {"setup", "setup", {150, 80, 200}, &StationSummary::setup},
    {"waiting_operator", "waiting operator", {240, 130, 20}, &StationSummary::waiting_operator},
    {"starved", "starved", {230, 190, 30}, &StationSummary::starved},
    {"blocked", "blocked", {40, 110, 220}, &StationSummary::blocked},
    {"down", "down", {215, 40, 40}, &StationSummary::down},
    {"off_shift", "off shift", {90, 90, 90}, &StationSummary::off_shift},
}};

// The charts' series: Okabe and Ito's palette, distinct for the common forms of colour blindness.
constexpr std::array<Rgb, 7> kSeriesColours{{{0, 114, 178},
                                             {213, 94, 0},
                                             {0, 158, 115},
                                             {204, 121, 167},
                                             {86, 180, 233},
                                             {230, 159, 0},
                                             {0, 0, 0}}};
constexpr Rgb kBaselineColour{110, 110, 110};

// Written as the text of <style>, where a browser decodes no entity: so no '<', '>' or '&' here.
constexpr const char* kStyle =
    "body{font-family:sans-serif;color:#222;margin:24px auto;max-width:1100px;padding:0 16px}"
    "h1{font-size:1.5em;margin-bottom:4px}"
    "h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}"
    "nav a{margin-right:14px}"
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}"
    "caption{text-align:left;font-weight:bold;padding:4px 0}"
    "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:middle}"
    "thead th{background:#f4f4f4}"
    "td.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tr.differs td{background:#eef6ea}"
    ".pass .verdict{color:rgb(30,120,50);font-weight:bold}"
    ".fail .verdict{color:rgb(190,30,30);font-weight:bold}"
    "figure{margin:12px 0 24px}"
    "figcaption{font-size:13px;color:#555;max-width:720px}"
    "svg text{font-family:sans-serif;font-size:12px;fill:#333}"
    "table.states th{font-weight:normal;min-width:220px}"
    "table.states td{padding:2px 8px}";

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

// "the baseline", with its name where that is not "baseline".
std::string baseline_label(const SweepReport& report) {
  const std::string& name = report.variants.front().name;
  return name == "baseline" ? std::string("the baseline") : "the baseline, " + name;
}

// The value itself: the shortest text that reads back to the same double, as the JSON holds it.
std::string exact(double value) {
  return fmt::format("{}", value);
}
std::string px(double value) {
  return fmt::format("{:.2f}", value);
}
std::string shown(double value) {
  return std::isfinite(value) ? fmt::format("{:.4g}", value) : std::string("–");
}
std::string css(Rgb c) {
  return fmt::format("rgb({},{},{})", c.r, c.g, c.b);
}
std::string interval_text(const Estimate& e) {
  return e.has_interval ? fmt::format("[{}, {}]", shown(e.ci_low), shown(e.ci_high)) : "–";
}
std::string half_width_text(const Estimate& e) {
  return e.has_interval ? "±" + shown((e.ci_high - e.ci_low) / 2.0) : "–";
}

pugi::xml_node add(pugi::xml_node parent, const char* name) {
  return parent.append_child(name);
}
// An element with text; never empty, as an HTML element that may not be empty must not be.
pugi::xml_node add(pugi::xml_node parent, const char* name, const std::string& text) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(text.empty() ? "–" : text.c_str());
  return node;
}
void set(pugi::xml_node node, const char* name, const std::string& value) {
  node.append_attribute(name).set_value(value.c_str());
}
pugi::xml_node number_cell(pugi::xml_node row, const std::string& text) {
  pugi::xml_node cell = add(row, "td", text);
  set(cell, "class", "number");
  return cell;
}
// An SVG shape: its geometry in pixels and one paint (its stroke or its fill).
pugi::xml_node svg_shape(pugi::xml_node parent, const char* name,
                         std::initializer_list<std::pair<const char*, double>> geometry,
                         const char* paint, const std::string& colour) {
  pugi::xml_node node = add(parent, name);
  for (const auto& [attribute, value] : geometry)
    set(node, attribute, px(value));
  set(node, paint, colour);
  return node;
}
pugi::xml_node svg_line(pugi::xml_node parent, double x1, double y1, double x2, double y2,
                        const std::string& stroke) {
  return svg_shape(parent, "line", {{"x1", x1}, {"y1", y1}, {"x2", x2}, {"y2", y2}}, "stroke",
                   stroke);
}
pugi::xml_node svg_text(pugi::xml_node parent, double x, double y, const char* anchor,
                        const std::string& text) {
  pugi::xml_node node = add(parent, "text", text);
  set(node, "x", px(x));
  set(node, "y", px(y));
  set(node, "text-anchor", anchor);
  return node;
}
pugi::xml_node svg_rect(pugi::xml_node parent, double x, double y, double width, double height,
                        const std::string& fill) {
  return svg_shape(parent, "rect", {{"x", x}, {"y", y}, {"width", width}, {"height", height}},
                   "fill", fill);
}

// A linear axis over a range rounded out to whole steps of 1, 2 or 5 x 10^k, about five of them.
struct Axis {
  double low = 0.0, high = 1.0, step = 1.0;
  double pixel_low = 0.0, pixel_high = 1.0;  // where low and high are drawn

  double at(double value) const {
    return pixel_low + (value - low) / (high - low) * (pixel_high - pixel_low);
  }
  std::vector<double> ticks() const {
    std::vector<double> values;
    for (long k = std::lround(low / step); k <= std::lround(high / step); ++k)
      values.push_back(static_cast<double>(k) * step);
    return values;
  }
  std::string label(double value) const {
    const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    return fmt::format("{:.{}f}", value, decimals);
  }
};

// `margin`: the share of the range added on each side, so that no point sits on the frame.
Axis nice_axis(double min, double max, double margin, double pixel_low, double pixel_high) {
  if (max > min) {
    const double pad = (max - min) * margin;
    min -= pad;
    max += pad;
  } else {  // one value: a range around it
    const double half = min != 0.0 ? std::fabs(min) * 0.1 : 1.0;
    min -= half;
    max += half;
  }
  const double raw = (max - min) / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalised = raw / magnitude;
  const double step = (normalised <= 1.0   ? 1.0
                       : normalised <= 2.0 ? 2.0
                       : normalised <= 5.0 ? 5.0
                                           : 10.0) *
                      magnitude;
  return Axis{std::floor(min / step) * step, std::ceil(max / step) * step, step, pixel_low,
              pixel_high};
}

const SweepParameter* find_parameter(const SweepVariantReport& v, const std::string& path) {
  for (const SweepParameter& p : v.parameters) {
    if (p.path == path) return &p;
  }
  return nullptr;
}
std::string parameter_text(const SweepVariantReport& v, const std::string& path) {
  const SweepParameter* p = find_parameter(v, path);
  return p != nullptr ? p->text : std::string();
}

// The swept parameters with a numeric value, in the order the variants first name them.
std::vector<std::string> numeric_parameters(const SweepReport& report) {
  std::vector<std::string> paths;
  for (const SweepVariantReport& v : report.variants) {
    for (const SweepParameter& p : v.parameters) {
      if (p.value && std::find(paths.begin(), paths.end(), p.path) == paths.end())
        paths.push_back(p.path);
    }
  }
  return paths;
}

struct ChartPoint {
  const SweepVariantReport* variant;
  double x;
};
struct Series {
  std::string label;               // the other parameters' values; empty for a chart of one series
  std::vector<ChartPoint> points;  // by x
};

// The variants with a value of `path` and of the KPI, in series: one per combination of the
// other parameters that vary where `path` is fixed. In a grid that is every other parameter; in
// zipped lists none is, since they move together, and the chart has one series.
std::vector<Series> chart_series(const SweepReport& report, const std::string& path) {
  std::vector<ChartPoint> members;
  for (const SweepVariantReport& v : report.variants) {
    const SweepParameter* p = find_parameter(v, path);
    if (p != nullptr && p->value && std::isfinite(*p->value) && std::isfinite(v.ranked.mean))
      members.push_back({&v, *p->value});
  }
  std::vector<std::string> splitting;
  for (const ChartPoint& a : members) {
    for (const SweepParameter& q : a.variant->parameters) {
      if (q.path == path ||
          std::find(splitting.begin(), splitting.end(), q.path) != splitting.end())
        continue;
      const bool splits = std::any_of(members.begin(), members.end(), [&](const ChartPoint& b) {
        return b.x == a.x && parameter_text(*b.variant, q.path) != q.text;
      });
      if (splits) splitting.push_back(q.path);
    }
  }
  std::vector<Series> series;
  for (const ChartPoint& m : members) {
    std::string label;
    for (const std::string& q : splitting)
      label += (label.empty() ? "" : ", ") + q + " = " + parameter_text(*m.variant, q);
    auto s = std::find_if(series.begin(), series.end(),
                          [&](const Series& candidate) { return candidate.label == label; });
    if (s == series.end()) s = series.insert(series.end(), Series{label, {}});
    s->points.push_back(m);
  }
  for (Series& s : series) {
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const ChartPoint& a, const ChartPoint& b) { return a.x < b.x; });
  }
  return series;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string text;
  for (const std::string& part : parts)
    text += (text.empty() ? "" : separator) + part;
  return text;
}

// One series: the band between the interval ends where every point has one, the line through
// the means, and each point with its error bar.
void write_series(pugi::xml_node svg, const Series& series, Rgb colour, const Axis& x,
                  const Axis& y, const SweepReport& report, const std::string& path) {
  pugi::xml_node group = add(svg, "g");
  set(group, "class", "series");
  set(group, "data-series", series.label);
  const bool banded =
      series.points.size() >= 2 &&
      std::all_of(series.points.begin(), series.points.end(),
                  [](const ChartPoint& p) { return p.variant->ranked.has_interval; });
  if (banded) {
    std::vector<std::string> corners, xs, lows, highs;
    for (const ChartPoint& p : series.points) {
      corners.push_back(px(x.at(p.x)) + "," + px(y.at(p.variant->ranked.ci_high)));
      xs.push_back(exact(p.x));
      lows.push_back(exact(p.variant->ranked.ci_low));
      highs.push_back(exact(p.variant->ranked.ci_high));
    }
    for (auto p = series.points.rbegin(); p != series.points.rend(); ++p)
      corners.push_back(px(x.at(p->x)) + "," + px(y.at(p->variant->ranked.ci_low)));
    pugi::xml_node band = add(group, "polygon");
    set(band, "class", "band");
    set(band, "points", joined(corners, " "));
    set(band, "fill", css(colour));
    set(band, "fill-opacity", "0.15");
    set(band, "data-x", joined(xs, " "));
    set(band, "data-low", joined(lows, " "));
    set(band, "data-high", joined(highs, " "));
  }
  if (series.points.size() >= 2) {
    std::vector<std::string> means;
    for (const ChartPoint& p : series.points)
      means.push_back(px(x.at(p.x)) + "," + px(y.at(p.variant->ranked.mean)));
    pugi::xml_node line = add(group, "polyline");
    set(line, "points", joined(means, " "));
    set(line, "fill", "none");
    set(line, "stroke", css(colour));
    set(line, "stroke-width", "2");
  }
  for (const ChartPoint& p : series.points) {
    const Estimate& e = p.variant->ranked;
    const bool baseline = p.variant == &report.variants.front();
    pugi::xml_node point = add(group, "g");
    set(point, "class", baseline ? "point baseline" : "point");
    set(point, "data-variant", p.variant->name);
    set(point, "data-x", exact(p.x));
    set(point, "data-mean", exact(e.mean));
    if (e.has_interval) {
      set(point, "data-low", exact(e.ci_low));
      set(point, "data-high", exact(e.ci_high));
    }
    add(point, "title",
        fmt::format("{}{}: {} = {}, {} {} {}", p.variant->name, baseline ? " (baseline)" : "", path,
                    parameter_text(*p.variant, path), report.ranking_kpi, shown(e.mean),
                    interval_text(e)));
    const double cx = x.at(p.x);
    if (e.has_interval) {
      for (pugi::xml_node bar :
           {svg_line(point, cx, y.at(e.ci_low), cx, y.at(e.ci_high), css(colour)),
            svg_line(point, cx - 4, y.at(e.ci_low), cx + 4, y.at(e.ci_low), css(colour)),
            svg_line(point, cx - 4, y.at(e.ci_high), cx + 4, y.at(e.ci_high), css(colour))})
        set(bar, "stroke-width", "1.5");
    }
    pugi::xml_node circle = add(point, "circle");
    set(circle, "cx", px(cx));
    set(circle, "cy", px(y.at(e.mean)));
    set(circle, "r", "4.5");
    // The baseline's own point is hollow, as its line is drawn across the chart.
    set(circle, "fill", baseline ? "white" : css(colour));
    set(circle, "stroke", css(colour));
    set(circle, "stroke-width", "2");
  }
}

// The ranking KPI against one swept parameter.
void write_chart(pugi::xml_node parent, const SweepReport& report, const std::string& path,
                 const std::vector<Series>& series) {
  const Estimate& baseline = report.variants.front().ranked;
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_min = x_min, y_max = -x_min;
  auto cover_y = [&](double value) {
    y_min = std::min(y_min, value);
    y_max = std::max(y_max, value);
  };
  for (const Series& s : series) {
    for (const ChartPoint& p : s.points) {
      x_min = std::min(x_min, p.x);
      x_max = std::max(x_max, p.x);
      cover_y(p.variant->ranked.mean);
      if (p.variant->ranked.has_interval) {
        cover_y(p.variant->ranked.ci_low);
        cover_y(p.variant->ranked.ci_high);
      }
    }
  }
  if (std::isfinite(baseline.mean)) cover_y(baseline.mean);
  constexpr double kWidth = 720.0, kLeft = 76.0, kRight = 700.0, kTop = 16.0, kBottom = 316.0;
  const Axis x = nice_axis(x_min, x_max, 0.05, kLeft, kRight);
  const Axis y = nice_axis(y_min, y_max, 0.05, kBottom, kTop);
  const bool legend = series.size() > 1;
  const double height = kBottom + 48.0 + (legend ? 18.0 * static_cast<double>(series.size()) : 0.0);

  pugi::xml_node figure = add(parent, "figure");
  pugi::xml_node svg = add(figure, "svg");
  set(svg, "class", "chart");
  set(svg, "width", px(kWidth));
  set(svg, "height", px(height));
  set(svg, "viewBox", fmt::format("0 0 {} {}", kWidth, height));
  set(svg, "role", "img");
  set(svg, "data-parameter", path);
  set(svg, "data-kpi", report.ranking_kpi);
  add(svg, "title", report.ranking_kpi + " against " + path);
  // Each tick's grid line, with its value: what a reader reads the points against.
  const auto tick = [&](const char* axis, double value) {
    pugi::xml_node group = add(svg, "g");
    set(group, "class", std::string("tick ") + axis);
    set(group, "data-value", exact(value));
    return group;
  };
  for (double t : y.ticks()) {
    pugi::xml_node group = tick("y", t);
    svg_line(group, kLeft, y.at(t), kRight, y.at(t), "#e6e6e6");
    svg_text(group, kLeft - 6.0, y.at(t) + 4.0, "end", y.label(t));
  }
  for (double t : x.ticks()) {
    pugi::xml_node group = tick("x", t);
    svg_line(group, x.at(t), kTop, x.at(t), kBottom, "#e6e6e6");
    svg_line(group, x.at(t), kBottom, x.at(t), kBottom + 5.0, "#888");
    svg_text(group, x.at(t), kBottom + 18.0, "middle", x.label(t));
  }
  pugi::xml_node frame = svg_rect(svg, kLeft, kTop, kRight - kLeft, kBottom - kTop, "none");
  set(frame, "stroke", "#999");
  svg_text(svg, (kLeft + kRight) / 2.0, kBottom + 36.0, "middle", path);
  set(svg_text(svg, -(kTop + kBottom) / 2.0, 18.0, "middle", report.ranking_kpi), "transform",
      "rotate(-90)");
  if (std::isfinite(baseline.mean)) {
    pugi::xml_node line = svg_line(svg, kLeft, y.at(baseline.mean), kRight, y.at(baseline.mean),
                                   css(kBaselineColour));
    set(line, "class", "baseline");
    set(line, "data-variant", report.variants.front().name);
    set(line, "data-mean", exact(baseline.mean));
    set(line, "stroke-dasharray", "6 4");
    set(line, "stroke-width", "1.5");
    svg_text(svg, kLeft + 6.0, y.at(baseline.mean) - 5.0, "start", baseline_label(report));
  }
  for (std::size_t i = 0; i < series.size(); ++i)
    write_series(svg, series[i], kSeriesColours[i % kSeriesColours.size()], x, y, report, path);
  if (legend) {
    for (std::size_t i = 0; i < series.size(); ++i) {
      const Rgb colour = kSeriesColours[i % kSeriesColours.size()];
      const double row = kBottom + 56.0 + 18.0 * static_cast<double>(i);
      set(svg_line(svg, kLeft, row - 4.0, kLeft + 24.0, row - 4.0, css(colour)), "stroke-width",
          "3");
      svg_text(svg, kLeft + 32.0, row, "start", series[i].label);
    }
  }
  add(figure, "figcaption",
      fmt::format("{} against {}: the mean of each variant's replications, with its 95% "
                  "confidence interval as a bar and, along each line, as a shaded band; the "
                  "dashed line is the baseline's mean.",
                  report.ranking_kpi, path));
}

void write_charts(pugi::xml_node body, const SweepReport& report) {
  pugi::xml_node section = add(body, "section");
  set(section, "id", "charts");
  add(section, "h2", report.ranking_kpi + " against each swept parameter");
  bool any = false;
  for (const std::string& path : numeric_parameters(report)) {
    const std::vector<Series> series = chart_series(report, path);
    if (series.empty()) continue;
    write_chart(section, report, path, series);
    any = true;
  }
  if (!any) add(section, "p", "No variant has a numeric swept parameter and a value of the KPI.");
}

pugi::xml_node table_with_head(pugi::xml_node parent, const std::vector<std::string>& columns) {
  pugi::xml_node table = add(parent, "table");
  pugi::xml_node row = add(add(table, "thead"), "tr");
  for (const std::string& c : columns)
    add(row, "th", c);
  return add(table, "tbody");
}

void write_ranking(pugi::xml_node body, const SweepReport& report) {
  pugi::xml_node section = add(body, "section");
  set(section, "id", "ranking");
  add(section, "h2",
      fmt::format("Ranking by {}, {} first", report.ranking_kpi,
                  report.larger_is_better ? "largest" : "smallest"));
  if (report.selection) {
    add(section, "p",
        "Selection of the best (Kim and Nelson's procedure KN): " + selection_statement(report) +
            ".");
  }
  if (report.precision) {
    add(section, "p",
        fmt::format("Precision goal: {} within ±{} (95%), replications added in batches of {} up "
                    "to {} per variant.",
                    report.precision->kpi, shown(report.precision->half_width),
                    report.precision->batch, report.precision->max_replications));
  }
  std::vector<std::string> columns{
      "#", "variant", "parameters", "replications", report.ranking_kpi + " mean", "95% interval"};
  if (report.precision) columns.push_back("precision");
  columns.push_back("deadlocked");
  pugi::xml_node rows = table_with_head(section, columns);
  for (std::size_t rank = 0; rank < report.ranking.size(); ++rank) {
    const std::size_t index = report.ranking[rank];
    const SweepVariantReport& v = report.variants[index];
    pugi::xml_node row = add(rows, "tr");
    number_cell(row, std::to_string(rank + 1));
    add(row, "td", index == 0 && v.name != "baseline" ? v.name + " (baseline)" : v.name);
    std::vector<std::string> parameters;
    for (const SweepParameter& p : v.parameters)
      parameters.push_back(p.path + " = " + p.text);
    add(row, "td", joined(parameters, ", "));
    number_cell(row, std::to_string(v.summary.replications));
    number_cell(row, shown(v.ranked.mean));
    number_cell(row, interval_text(v.ranked));
    if (report.precision) {
      add(row, "td",
          v.precision ? fmt::format("{}, {}", v.precision->reached ? "reached" : "not reached",
                                    half_width_text(v.precision->estimate))
                      : "–");
    }
    number_cell(row, std::to_string(v.summary.deadlocks.size()));
  }
}

void write_comparison(pugi::xml_node body, const SweepReport& report) {
  pugi::xml_node section = add(body, "section");
  set(section, "id", "comparison");
  add(section, "h2", "Each variant against " + baseline_label(report));
  add(section, "p",
      report.common_random_numbers
          ? "Common random numbers: replication r of every variant drew the same random "
            "streams, so each difference is the paired one (Student t on the paired "
            "differences)."
          : "Independent seeds per variant: each difference is Welch's.");
  pugi::xml_node rows =
      table_with_head(section, {"variant", "KPI", "baseline", "variant", "difference",
                                "95% interval", "test", "p-value", "differs"});
  bool any = false;
  for (const SweepVariantReport& v : report.variants) {
    for (const KpiComparison& c : v.comparison) {
      pugi::xml_node row = add(rows, "tr");
      if (c.differs) set(row, "class", "differs");
      add(row, "td", v.name);
      add(row, "td", c.kpi);
      number_cell(row, shown(c.baseline.mean));
      number_cell(row, shown(c.variant.mean));
      number_cell(row, std::isfinite(c.difference.mean) ? fmt::format("{:+.4g}", c.difference.mean)
                                                        : std::string("–"));
      number_cell(row, interval_text(c.difference));
      add(row, "td", c.paired ? "paired t" : "Welch");
      number_cell(row,
                  std::isfinite(c.p_value) ? fmt::format("{:.3g}", c.p_value) : std::string("–"));
      add(row, "td", c.differs ? "yes" : "no");
      any = true;
    }
  }
  if (!any) {
    pugi::xml_node row = add(rows, "tr");
    set(add(row, "td", "No variant besides the baseline."), "colspan", "9");
  }
}

void write_gates(pugi::xml_node body, const SweepReport& report) {
  pugi::xml_node section = add(body, "section");
  set(section, "id", "gates");
  add(section, "h2", "Gates");
  if (report.gates.empty()) {
    add(section, "p", "The scenario has no gates.");
    return;
  }
  pugi::xml_node list = add(section, "ul");
  for (const GateOutcome& g : report.gates) {
    pugi::xml_node item = add(list, "li");
    set(item, "class", g.passed ? "pass" : "fail");
    set(add(item, "span", g.passed ? "passed" : "FAILED"), "class", "verdict");
    add(item, "span", g.text);
    if (g.failures.empty() && g.passes.empty()) continue;
    pugi::xml_node details = add(item, "ul");
    for (const std::string& s : g.failures)
      add(details, "li", s);
    for (const std::string& s : g.passes)
      add(details, "li", s);
  }
}

// Stations by id, in the order the variants first list them (a variant may lack one).
std::vector<std::string> station_ids(const SweepReport& report) {
  std::vector<std::string> ids;
  for (const SweepVariantReport& v : report.variants) {
    for (ElementIndex station : v.scene->stations()) {
      const std::string& id = v.scene->element(station).id;
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  return ids;
}

void write_state_shares(pugi::xml_node body, const SweepReport& report) {
  pugi::xml_node section = add(body, "section");
  set(section, "id", "states");
  add(section, "h2", "Station states per variant");
  add(section, "p",
      "Mean share of the observed period each station spent in each state, over the "
      "replications that did not deadlock.");
  constexpr double kLegendStep = 130.0;
  pugi::xml_node legend = add(section, "svg");
  set(legend, "class", "legend");
  set(legend, "width", px(kLegendStep * kStates.size()));
  set(legend, "height", "20");
  for (std::size_t i = 0; i < kStates.size(); ++i) {
    const double left = kLegendStep * static_cast<double>(i);
    svg_rect(legend, left, 3.0, 14.0, 14.0, css(kStates[i].colour));
    svg_text(legend, left + 20.0, 14.0, "start", kStates[i].label);
  }
  constexpr double kBarWidth = 600.0, kBarHeight = 16.0;
  for (const std::string& id : station_ids(report)) {
    pugi::xml_node table = add(section, "table");
    set(table, "class", "states");
    add(table, "caption", id);
    pugi::xml_node rows = add(table, "tbody");
    for (const SweepVariantReport& v : report.variants) {
      const auto& stations = v.scene->stations();
      const auto station = std::find_if(stations.begin(), stations.end(), [&](ElementIndex s) {
        return v.scene->element(s).id == id;
      });
      if (station == stations.end()) continue;
      const StationSummary& summary =
          v.summary.stations[static_cast<std::size_t>(station - stations.begin())];
      pugi::xml_node row = add(rows, "tr");
      add(row, "th", v.name);
      pugi::xml_node cell = add(row, "td");
      pugi::xml_node svg = add(cell, "svg");
      set(svg, "class", "states");
      set(svg, "data-station", id);
      set(svg, "data-variant", v.name);
      set(svg, "width", px(kBarWidth));
      set(svg, "height", px(kBarHeight));
      svg_rect(svg, 0.0, 0.0, kBarWidth, kBarHeight, "#f2f2f2");
      double left = 0.0;
      for (const StateColumn& state : kStates) {
        const double share = (summary.*state.share).mean;
        if (!std::isfinite(share) || share <= 0.0) continue;
        pugi::xml_node rect =
            svg_rect(svg, left, 0.0, share * kBarWidth, kBarHeight, css(state.colour));
        set(rect, "class", "state");
        set(rect, "data-state", state.key);
        set(rect, "data-mean", exact(share));
        add(rect, "title", fmt::format("{}: {:.1f}%", state.label, share * 100.0));
        left += share * kBarWidth;
      }
    }
  }
}

}  // namespace

void write_sweep_html(std::ostream& out, const SweepReport& report) {
  assert(!report.variants.empty() && "a sweep report holds at least its baseline");
  pugi::xml_document doc;
  doc.append_child(pugi::node_doctype).set_value("html");
  pugi::xml_node html = add(doc, "html");
  set(html, "lang", "en");
  pugi::xml_node head = add(html, "head");
  set(add(head, "meta"), "charset", "utf-8");
  pugi::xml_node policy = add(head, "meta");
  set(policy, "http-equiv", "Content-Security-Policy");
  set(policy, "content", kContentSecurityPolicy);
  add(head, "title", "linetwin sweep: " + report.name);
  add(head, "style", kStyle);

  pugi::xml_node body = add(html, "body");
  add(body, "h1", report.name);
  const SweepVariantReport& baseline = report.variants.front();
  add(body, "p",
      fmt::format(
          "Scenario {}: {} variants, seed {}, {}; the baseline runs {} replications of {} "
          "after a warm-up of {}. Written by linetwin {}.",
          report.scenario, report.variants.size(), report.seed,
          report.common_random_numbers ? "common random numbers" : "independent seeds per variant",
          baseline.summary.replications, format_duration(baseline.settings.run.duration_s),
          format_duration(baseline.settings.run.warmup_s), kLinetwinVersion));
  if (report.warmup) add(body, "p", "The " + warmup_statement(report) + ".");
  pugi::xml_node nav = add(body, "nav");
  for (const auto& [target, label] :
       std::array<std::pair<const char*, const char*>, 5>{{{"#charts", "Charts"},
                                                           {"#ranking", "Ranking"},
                                                           {"#comparison", "Comparison"},
                                                           {"#gates", "Gates"},
                                                           {"#states", "Station states"}}})
    set(add(nav, "a", label), "href", target);
  write_charts(body, report);
  write_ranking(body, report);
  write_comparison(body, report);
  write_gates(body, report);
  write_state_shares(body, report);
  doc.save(out, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
}

}  // namespace linetwin
