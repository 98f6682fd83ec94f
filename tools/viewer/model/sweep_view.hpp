// SweepView: a sweep's results (the JSON `linetwin sweep --json` writes, schema linetwin.sweep/1,
// docs/experiments.md) as the sweep panel shows them: per KPI each variant's mean with its
// confidence interval, the points of a swept parameter against it, the comparison with the
// baseline, the gates and the best variant. No GL and no ImGui, so that a test reads it headless.
//
// Read with nlohmann::json, as the engine writes it; every field the panel uses is checked, and a
// file that is not a sweep's, or lacks a field, is refused with an InputError naming the file and
// the field's JSON path (`variants[2].comparison[0].difference.ci95_low`).
//
// A variant's estimate of a line KPI (throughput_per_hour, wip_mean, lead_time_*_s, scrap_rate) is
// its run's, over all its replications; any other compared KPI (a station's, named by a gate or the
// selection) comes from the comparison with the baseline, which covers the replications both
// have. The best variant of a KPI is the one the sweep's selection of the best chose when it ran
// on that KPI, else the highest or lowest mean as the KPI's direction says (SweepBest says which).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linetwin::viewer {

// A mean with its 95% interval; low and high are NaN when the interval is undefined (fewer than
// two replications), and the mean too when the KPI is (every replication deadlocked).
struct SweepEstimate {
  double mean = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::size_t n = 0;
  bool has_interval() const;
};

struct SweepKpi {
  std::string name;  // "throughput_per_hour", "OP30.oee"
  std::string unit;  // "parts/h", "s", "parts"; empty when the name does not tell
  // Which way is better: +1 larger, -1 smaller, 0 unknown (no best is named then).
  int direction = 0;
};

// One variant's values of one KPI.
struct SweepCell {
  SweepEstimate estimate;
  std::optional<SweepEstimate> difference;  // against the baseline; none for the baseline itself
  bool differs = false;                     // the difference's interval excludes zero
};

struct SweepVariantRow {
  std::string name;
  // A sweep point's parameters by path, in the order the scenario swept them; numbers only (a
  // duration in seconds). Empty for the baseline and named variants.
  std::vector<std::pair<std::string, double>> parameters;
  std::size_t replications = 0;
  std::vector<SweepCell> cells;  // per KPI, in SweepView::kpis() order
};

struct SweepGate {
  std::string text;  // "throughput_per_hour >= 50 (95%)"
  bool passed = false;
  std::vector<std::string> failures;  // one sentence per variant that failed it
};

struct SweepBest {
  std::size_t variant = 0;
  bool by_selection = false;  // chosen by the sweep's selection of the best, not by its mean
};

// A line of a KPI's chart: the sweep points that share the values of every swept parameter but
// the first, ordered by the first.
struct SweepSeries {
  std::string label;  // "B2.capacity = 8"; empty with a single swept parameter
  struct Point {
    double x = 0.0;  // the first swept parameter's value
    std::size_t variant = 0;
  };
  std::vector<Point> points;
};

class SweepView {
 public:
  // Reads a sweep's JSON file; an InputError naming `path` and the field when it is not one.
  static SweepView read(const std::string& path);
  // The same from text, `file` naming it in errors.
  static SweepView parse(std::string_view text, const std::string& file);

  const std::string& name() const { return name_; }
  const std::string& scenario() const { return scenario_; }
  std::uint64_t seed() const { return seed_; }
  bool common_random_numbers() const { return common_random_numbers_; }
  const std::vector<SweepKpi>& kpis() const { return kpis_; }
  std::optional<std::size_t> kpi_index(std::string_view name) const;
  const std::vector<SweepVariantRow>& variants() const { return variants_; }
  // The swept parameters' paths, first swept first (the charts' x axis is the first).
  const std::vector<std::string>& swept() const { return swept_; }
  // The unit of a swept parameter, from its path: "parts" for a capacity, "s" for a time.
  static std::string parameter_unit(std::string_view path);
  const std::vector<SweepGate>& gates() const { return gates_; }
  // The ranking's KPI and order (variant positions, best first).
  const std::string& ranking_kpi() const { return ranking_kpi_; }
  const std::vector<std::size_t>& ranking() const { return ranking_; }
  // The selection of the best's statement (docs/experiments.md), empty when the sweep ran none.
  const std::string& selection_statement() const { return selection_statement_; }
  // The best variant on `kpi` (a kpis() position); none when the KPI has no direction or no
  // variant has a mean.
  std::optional<SweepBest> best(std::size_t kpi) const;
  // The lines of a KPI's chart against the first swept parameter; empty when nothing was swept.
  const std::vector<SweepSeries>& series() const { return series_; }

 private:
  std::string name_;
  std::string scenario_;
  std::uint64_t seed_ = 0;
  bool common_random_numbers_ = true;
  std::vector<SweepKpi> kpis_;
  std::vector<SweepVariantRow> variants_;
  std::vector<std::string> swept_;
  std::vector<SweepGate> gates_;
  std::string ranking_kpi_;
  std::vector<std::size_t> ranking_;
  std::string selection_kpi_;
  std::optional<std::size_t> selected_;
  std::string selection_statement_;
  std::vector<SweepSeries> series_;
};

}  // namespace linetwin::viewer
