// A sweep's HTML report read back as XML: every chart point, band edge and state bar shows the
// value the JSON report holds (to 6 significant digits), where the chart draws it; nothing in the
// file could fetch anything; and it is HTML a browser parses as written. The browser itself opens
// it in tests/sweep_html.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/sweep_html.hpp"
#include "sweep_html/sample_sweep_report.hpp"

using namespace linetwin;
using nlohmann::json;

namespace {

struct Written {
  pugi::xml_document html;
  json results;
};

void write_both(const SweepReport& report, Written& out) {
  std::ostringstream html, results;
  write_sweep_html(html, report);
  write_sweep_json(results, report);
  const pugi::xml_parse_result parsed = out.html.load_string(html.str().c_str());
  INFO(parsed.description(), " at offset ", parsed.offset);
  REQUIRE(parsed);
  out.results = json::parse(results.str());
}

std::string six_digits(double value) {
  return fmt::format("{:.6g}", value);
}
std::string six_digits(const char* text) {
  return six_digits(std::strtod(text, nullptr));
}

const json& variant_json(const json& results, const std::string& name) {
  for (const json& v : results["variants"]) {
    if (v["name"] == name) return v;
  }
  FAIL("no variant named " << name << " in the JSON");
  return results;
}

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> parts;
  for (std::string part; in >> part;)
    parts.push_back(part);
  return parts;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<pugi::xml_node> select(const pugi::xml_node& root, const char* xpath) {
  std::vector<pugi::xml_node> nodes;
  for (const pugi::xpath_node& n : root.select_nodes(xpath))
    nodes.push_back(n.node());
  return nodes;
}

// The texts of a table's header cells and of each of its body rows' cells.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};
Table read_table(const pugi::xml_node& section) {
  Table t;
  for (const pugi::xml_node& th : select(section, ".//table/thead/tr/th"))
    t.columns.push_back(th.text().get());
  for (const pugi::xml_node& tr : select(section, ".//table/tbody/tr")) {
    std::vector<std::string> cells;
    for (const pugi::xml_node& td : tr.children("td"))
      cells.push_back(td.text().get());
    t.rows.push_back(cells);
  }
  return t;
}

// An axis as its ticks draw it: each tick's value and where its grid line is.
struct Scale {
  std::vector<std::pair<double, double>> ticks;  // (value, pixel)

  double at(double value) const {
    const auto [v0, p0] = ticks.front();
    const auto [v1, p1] = ticks.back();
    return p0 + (value - v0) / (v1 - v0) * (p1 - p0);
  }
};
Scale read_scale(const pugi::xml_node& chart, const char* axis) {
  Scale scale;
  const std::string selector = std::string("g[@class='tick ") + axis + "']";
  for (const pugi::xml_node& tick : select(chart, selector.c_str())) {
    const double value = tick.attribute("data-value").as_double();
    const pugi::xml_node line = tick.child("line");
    scale.ticks.emplace_back(value, line.attribute(*axis == 'x' ? "x1" : "y1").as_double());
    // The label says the value.
    CHECK(std::strtod(tick.child("text").text().get(), nullptr) == doctest::Approx(value));
  }
  REQUIRE(scale.ticks.size() >= 2);
  // Evenly spaced by 1, 2 or 5 times a power of ten, on one line.
  const double step = scale.ticks[1].first - scale.ticks[0].first;
  const double leading = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  CHECK((leading == doctest::Approx(1.0) || leading == doctest::Approx(2.0) ||
         leading == doctest::Approx(5.0)));
  for (std::size_t i = 1; i < scale.ticks.size(); ++i) {
    CHECK(scale.ticks[i].first - scale.ticks[i - 1].first == doctest::Approx(step));
    CHECK(std::fabs(scale.at(scale.ticks[i].first) - scale.ticks[i].second) < 0.02);
  }
  return scale;
}

// Where an SVG coordinate is written to a hundredth of a pixel.
bool at_pixel(double drawn, double expected) {
  return std::fabs(drawn - expected) < 0.006;
}

// Nothing in the file could fetch anything, and it is HTML that a browser parses as written.
void check_markup(const pugi::xml_document& html) {
  const pugi::xml_node head = html.child("html").child("head");
  const pugi::xml_node policy =
      head.find_child_by_attribute("meta", "http-equiv", "Content-Security-Policy");
  REQUIRE(policy);
  CHECK(std::string(policy.attribute("content").value()) ==
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  const std::string style = lower(head.child("style").text().get());
  CHECK(style.find("url(") == std::string::npos);
  CHECK(style.find("@import") == std::string::npos);

  // The elements of HTML that have no end tag; any other one written empty (<td/>) would be read
  // by a browser as an opening tag. SVG's elements may be empty.
  const std::set<std::string> void_elements{"area",  "base", "br",   "col",    "embed", "hr", "img",
                                            "input", "link", "meta", "source", "track", "wbr"};
  const auto visit = [&](const auto& self, const pugi::xml_node& node, bool in_svg) -> void {
    const std::string name = lower(node.name());
    CAPTURE(name);
    CHECK(name != "script");
    CHECK(name != "iframe");
    CHECK(name != "object");
    for (const pugi::xml_attribute& a : node.attributes()) {
      const std::string attribute = lower(a.name());
      const std::string value = lower(a.value());
      CAPTURE(attribute);
      CAPTURE(value);
      CHECK(value.rfind("http", 0) != 0);
      CHECK(attribute.rfind("on", 0) != 0);  // no event handler: they are scripts
      if (attribute == "src" || attribute == "href" || attribute == "xlink:href")
        CHECK((value.rfind('#', 0) == 0 || value.rfind("data:", 0) == 0));
    }
    const bool svg = in_svg || name == "svg";
    if (!svg && !node.first_child()) CHECK(void_elements.count(name) == 1);
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() == pugi::node_element) self(self, child, svg);
    }
  };
  REQUIRE(std::string(html.document_element().name()) == "html");
  visit(visit, html.document_element(), false);
}

}  // namespace

TEST_CASE("sweep HTML: every chart point and band edge is the JSON's value, where it is drawn") {
  const test::SampleSweep sweep;
  Written w;
  write_both(sweep.report(), w);
  const pugi::xml_node body = w.html.child("html").child("body");

  const std::vector<pugi::xml_node> charts = select(body, ".//svg[@class='chart']");
  REQUIRE(charts.size() == 2);  // one per swept parameter
  std::set<std::string> parameters;
  for (const pugi::xml_node& chart : charts) {
    const std::string path = chart.attribute("data-parameter").value();
    parameters.insert(path);
    CAPTURE(path);
    CHECK(std::string(chart.attribute("data-kpi").value()) == "throughput_per_hour");

    // A grid of two parameters: one line per value of the other one, each through two points.
    const std::vector<pugi::xml_node> series = select(chart, "g[@class='series']");
    CHECK(series.size() == 2);
    const Scale x = read_scale(chart, "x");
    const Scale y = read_scale(chart, "y");
    CHECK(y.ticks.back().second < y.ticks.front().second);  // larger values higher up
    for (const pugi::xml_node& s : series) {
      const std::vector<pugi::xml_node> points = select(s, "g[starts-with(@class, 'point')]");
      CHECK(points.size() == 2);
      std::vector<std::string> xs, lows, highs;
      for (const pugi::xml_node& point : points) {
        const std::string name = point.attribute("data-variant").value();
        CAPTURE(name);
        const json& v = variant_json(w.results, name);
        const json& kpi = v["run"]["kpis"]["throughput_per_hour"];
        CHECK(six_digits(point.attribute("data-mean").value()) ==
              six_digits(kpi["mean"].get<double>()));
        CHECK(six_digits(point.attribute("data-low").value()) ==
              six_digits(kpi["ci95_low"].get<double>()));
        CHECK(six_digits(point.attribute("data-high").value()) ==
              six_digits(kpi["ci95_high"].get<double>()));
        CHECK(six_digits(point.attribute("data-x").value()) ==
              six_digits(v["parameters"][path].get<double>()));
        xs.push_back(six_digits(point.attribute("data-x").value()));
        lows.push_back(six_digits(point.attribute("data-low").value()));
        highs.push_back(six_digits(point.attribute("data-high").value()));
        // Drawn where the axes put its values: the mean's circle, the interval's bar.
        const pugi::xml_node circle = point.child("circle");
        const double px = x.at(point.attribute("data-x").as_double());
        CHECK(at_pixel(circle.attribute("cx").as_double(), px));
        CHECK(at_pixel(circle.attribute("cy").as_double(),
                       y.at(point.attribute("data-mean").as_double())));
        const pugi::xml_node bar = point.child("line");
        CHECK(at_pixel(bar.attribute("x1").as_double(), px));
        CHECK(at_pixel(bar.attribute("y1").as_double(),
                       y.at(point.attribute("data-low").as_double())));
        CHECK(at_pixel(bar.attribute("y2").as_double(),
                       y.at(point.attribute("data-high").as_double())));
      }
      // The band's edges are the same points' interval ends, in the same order.
      const pugi::xml_node band = s.find_child_by_attribute("polygon", "class", "band");
      REQUIRE(band);
      std::vector<std::string> band_xs, band_lows, band_highs;
      for (const std::string& v : split(band.attribute("data-x").value()))
        band_xs.push_back(six_digits(v.c_str()));
      for (const std::string& v : split(band.attribute("data-low").value()))
        band_lows.push_back(six_digits(v.c_str()));
      for (const std::string& v : split(band.attribute("data-high").value()))
        band_highs.push_back(six_digits(v.c_str()));
      CHECK(band_xs == xs);
      CHECK(band_lows == lows);
      CHECK(band_highs == highs);
      // Its corners: along the high ends, then back along the low ones.
      const std::vector<std::string> corners = split(band.attribute("points").value());
      REQUIRE(corners.size() == 2 * points.size());
      for (std::size_t i = 0; i < corners.size(); ++i) {
        const pugi::xml_node point = points[i < points.size() ? i : corners.size() - 1 - i];
        const char* edge = i < points.size() ? "data-high" : "data-low";
        double cx = 0.0, cy = 0.0;
        REQUIRE(std::sscanf(corners[i].c_str(), "%lf,%lf", &cx, &cy) == 2);
        CHECK(at_pixel(cx, x.at(point.attribute("data-x").as_double())));
        CHECK(at_pixel(cy, y.at(point.attribute(edge).as_double())));
      }
    }
    // The baseline, which is no point of the grid, is the dashed line at its mean.
    const pugi::xml_node baseline = chart.find_child_by_attribute("line", "class", "baseline");
    REQUIRE(baseline);
    CHECK(
        six_digits(baseline.attribute("data-mean").value()) ==
        six_digits(
            w.results["variants"][0]["run"]["kpis"]["throughput_per_hour"]["mean"].get<double>()));
    CHECK(at_pixel(baseline.attribute("y1").as_double(),
                   y.at(baseline.attribute("data-mean").as_double())));
  }
  CHECK(parameters == std::set<std::string>{"B2.capacity", "OP30.breakdowns.time_to_repair.mean"});
}

TEST_CASE("sweep HTML: each state bar is the JSON's share of that state, per station and variant") {
  const test::SampleSweep sweep;
  Written w;
  write_both(sweep.report(), w);
  const std::vector<pugi::xml_node> bars =
      select(w.html, "//section[@id='states']//svg[@class='states']");
  // Every variant of the sample has the line's four stations.
  CHECK(bars.size() == 4 * w.results["variants"].size());
  std::set<std::string> states_seen;
  for (const pugi::xml_node& bar : bars) {
    const std::string station = bar.attribute("data-station").value();
    const json& v = variant_json(w.results, bar.attribute("data-variant").value());
    const json* row = nullptr;
    for (const json& s : v["run"]["stations"]) {
      if (s["id"] == station) row = &s;
    }
    REQUIRE(row != nullptr);
    double total = 0.0;
    for (const pugi::xml_node& rect : select(bar, "rect[@class='state']")) {
      const std::string state = rect.attribute("data-state").value();
      states_seen.insert(state);
      CAPTURE(station);
      CAPTURE(state);
      CHECK(six_digits(rect.attribute("data-mean").value()) ==
            six_digits((*row)[state]["mean"].get<double>()));
      total += rect.attribute("data-mean").as_double();
    }
    // The states split the observed period: the bars fill their width.
    CHECK(total == doctest::Approx(1.0).epsilon(1e-9));
  }
  // breakdown_line's stations work, starve, block and break down, and do nothing else.
  CHECK(states_seen == std::set<std::string>{"working", "starved", "blocked", "down"});
}

TEST_CASE("sweep HTML: nothing could fetch anything, and browsers parse it as written") {
  const test::SampleSweep sweep;
  Written w;
  write_both(sweep.report(), w);
  check_markup(w.html);

  // The gates: one passed, one failed with the failing variant named.
  const pugi::xml_node gates = w.html.select_node("//section[@id='gates']").node();
  REQUIRE(gates);
  CHECK(select(gates, "ul/li[@class='pass']").size() == 1);
  const std::vector<pugi::xml_node> failed = select(gates, "ul/li[@class='fail']");
  REQUIRE(failed.size() == 1);
  CHECK(std::string(failed[0].child("ul").child("li").text().get()).rfind("baseline: ", 0) == 0);
}

TEST_CASE("sweep HTML: the ranking is the JSON's, with each variant's precision outcome") {
  PrecisionSettings precision;
  precision.kpi = "throughput_per_hour";
  precision.half_width = 1.0;
  precision.batch = 2;
  precision.max_replications = 6;
  const test::SampleSweep sweep(precision);
  Written w;
  write_both(sweep.report(), w);
  const Table ranking = read_table(w.html.select_node("//section[@id='ranking']").node());
  const auto column = [&](const std::string& name) {
    const auto at = std::find(ranking.columns.begin(), ranking.columns.end(), name);
    REQUIRE(at != ranking.columns.end());
    return static_cast<std::size_t>(at - ranking.columns.begin());
  };
  const json& order = w.results["ranking"]["variants"];
  REQUIRE(ranking.rows.size() == order.size());
  for (std::size_t rank = 0; rank < ranking.rows.size(); ++rank) {
    const std::vector<std::string>& row = ranking.rows[rank];
    const std::string name = order[rank].get<std::string>();
    CAPTURE(name);
    CHECK(row[column("#")] == std::to_string(rank + 1));
    CHECK(row[column("variant")].rfind(name, 0) == 0);
    const json& v = variant_json(w.results, name);
    CHECK(row[column("replications")] == std::to_string(v["replications"].get<int>()));
    const std::string outcome = row[column("precision")];
    CHECK(outcome.rfind(v["precision"]["reached"].get<bool>() ? "reached," : "not reached,", 0) ==
          0);
  }

  // Without a precision goal, no such column.
  const test::SampleSweep plain;
  Written without;
  write_both(plain.report(), without);
  const Table columns = read_table(without.html.select_node("//section[@id='ranking']").node());
  CHECK(std::find(columns.columns.begin(), columns.columns.end(), "precision") ==
        columns.columns.end());
  // The comparison table: a row per variant but the baseline and per KPI the JSON compares it on.
  const Table comparison =
      read_table(without.html.select_node("//section[@id='comparison']").node());
  std::vector<std::vector<std::string>> expected;
  for (const json& v : without.results["variants"]) {
    for (const json& c : v["comparison"])
      expected.push_back({v["name"].get<std::string>(), c["kpi"].get<std::string>(),
                          c["differs"].get<bool>() ? "yes" : "no"});
  }
  std::vector<std::vector<std::string>> shown;
  for (const std::vector<std::string>& row : comparison.rows)
    shown.push_back({row[0], row[1], row.back()});
  CHECK(shown == expected);
  CHECK(expected.size() == 3 * (without.results["variants"].size() - 1));
}

TEST_CASE("sweep HTML: parameters that move together (zipped lists) make one line per chart") {
  const test::SampleSweep sweep;
  // B2 8 with the repairs as they are, then B2 16 with quicker ones: zipped lists of two values.
  SweepReport zipped = sweep.report();
  REQUIRE(zipped.variants.size() == 5);
  zipped.variants.erase(zipped.variants.begin() + 2, zipped.variants.begin() + 4);
  zipped.ranking = {0, 1, 2};
  Written w;
  write_both(zipped, w);
  check_markup(w.html);
  const std::vector<pugi::xml_node> charts = select(w.html, "//svg[@class='chart']");
  CHECK(charts.size() == 2);
  for (const pugi::xml_node& chart : charts) {
    const std::vector<pugi::xml_node> series = select(chart, "g[@class='series']");
    REQUIRE(series.size() == 1);
    CHECK(std::string(series[0].attribute("data-series").value()).empty());
    CHECK(select(series[0], "g[@class='point']").size() == 2);
    CHECK(select(series[0], "polygon[@class='band']").size() == 1);
  }
}

TEST_CASE("sweep HTML: the baseline alone, one replication: no chart, no interval, whole HTML") {
  const Scene base =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml");
  RunSettings run = base.run_settings();
  run.duration_s = 8 * 3600.0;
  SweepReportInput in;
  in.scenario = "alone.scenario.yaml";
  in.name = "Alone";
  in.variants = {SweepVariant{"as it is", &base, run}};
  in.settings.seed = base.seed();
  in.settings.replications = 1;
  Written w;
  write_both(make_sweep_report(in, run_sweep(in.variants, in.settings), {}), w);
  check_markup(w.html);
  const pugi::xml_node body = w.html.child("html").child("body");
  CHECK(select(body, ".//svg[@class='chart']").empty());
  CHECK(std::string(body.select_node("section[@id='charts']/p").node().text().get()) ==
        "No variant has a numeric swept parameter and a value of the KPI.");
  const Table ranking = read_table(body.select_node("section[@id='ranking']").node());
  REQUIRE(ranking.rows.size() == 1);
  CHECK(ranking.rows[0][1] == "as it is (baseline)");
  CHECK(ranking.rows[0][5] == "–");  // one replication: no interval
  CHECK(std::string(body.select_node("section[@id='gates']/p").node().text().get()) ==
        "The scenario has no gates.");
  // One replication still has its state shares.
  CHECK(select(body, ".//svg[@class='states']").size() == 4);
}
