// Selection of the best variant: the fully sequential procedure KN of Kim & Nelson ("A fully
// sequential procedure for indifference-zone selection in simulation", ACM TOMACS 11(3), 2001).
//
// Among k systems (variants), KN picks the best mean with probability at least 1 - alpha whenever
// the best is at least `indifference` (delta) better than every other. It runs a first stage of n0
// replications of every system, estimates the variance of each pairwise difference from it, and
// from then on adds one replication of each system still in contention at a time, eliminating a
// system as soon as its sum of differences to another leaves a triangular continuation region that
// narrows to nothing by a replication count fixed after the first stage. Because it works with the
// variances of differences, it is valid under common random numbers, and CRN is what makes it
// cheap: replication r of every system draws the same streams. The guarantee assumes that the
// replications of a system are independent and normally distributed, as a KPI averaged over a
// long enough run is, to a good approximation.
//
// The procedure is a state machine with no threads, so that its decisions depend only on the
// values handed to it: the caller asks next_round() which (system, replication) runs are needed,
// runs them in whatever order and on whatever threads it likes, and hands the values back by
// index. The same values always give the same selection.
//
// It always ends. With S2_il the first-stage variance of the difference of systems i and l and
// h2 = 2 eta (n0 - 1), the region of a pair has closed once r >= h2 S2_il / delta^2; from there a
// pair can only be told apart by its sample means, so after
//   max(n0, ceil(h2 max S2_il / delta^2))
// replications every survivor has exactly the same sample mean. Exact ties (identical outputs,
// as two variants that never differ under CRN give) cannot be broken by more of the same, so the
// procedure stops there with every tied survivor (reached: false; the guarantee does not cover
// that case).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linetwin {

struct SelectionSettings {
  bool maximise = true;
  double indifference = 0.0;           // delta, in the KPI's unit, > 0
  double confidence = 0.95;            // 1 - alpha, in (1/k, 1)
  std::uint32_t first_stage = 10;      // n0 >= 2
  std::uint32_t max_replications = 0;  // per system, >= first_stage; 0: none (it ends anyway)
};

// The first rule the settings break for `systems` systems, as the field (named like the member:
// "indifference", "confidence", "first_stage", "max_replications") and what was expected;
// nothing when they are valid. The scenario loader reports it as bad input; KimNelsonSelection
// asserts that there is none.
struct SelectionSettingsProblem {
  std::string field;
  std::string message;
};
std::optional<SelectionSettingsProblem> selection_settings_problem(
    const SelectionSettings& settings, std::size_t systems);

// KN's eta for k systems, confidence 1 - alpha and first stage n0 (c = 1):
//   eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2
double kim_nelson_eta(std::size_t systems, double confidence, std::uint32_t first_stage);

// One replication of one system.
struct SelectionRun {
  std::size_t system = 0;
  std::uint32_t replication = 0;
  bool operator==(const SelectionRun&) const = default;
};

enum class SelectionEnd : std::uint8_t {
  kOneLeft,           // every other system was eliminated: the guarantee holds
  kReplicationLimit,  // max_replications came first: several survivors, no guarantee
  kTied,              // the survivors' sample means are exactly equal where the region closed
  kNoneLeft,          // every system gave an undefined value
};

enum class Elimination : std::uint8_t {
  kNone,            // still in contention at the end
  kOutsideRegion,   // fell behind another system by more than the continuation region allows
  kUndefinedValue,  // a replication gave NaN or infinity: a deadlock, or an undefined KPI
};

struct SelectedSystem {
  std::uint32_t replications = 0;  // runs made of it, the one that gave NaN included
  double mean = 0.0;  // sample mean of its defined values, in the KPI's sign; NaN if none
  Elimination elimination = Elimination::kNone;
  std::uint32_t eliminated_after = 0;  // replications when it was eliminated; 0 if it was not
  // kOutsideRegion: the lowest-indexed system in contention that it fell behind.
  std::optional<std::size_t> eliminated_by;
};

struct SelectionResult {
  // The selected system: the only survivor, or else the survivor with the best sample mean (the
  // lowest index among equals); none when every system gave an undefined value.
  std::optional<std::size_t> best;
  // Whether KN's stopping rule was met (end == kOneLeft), which is when "best is the best with
  // probability >= confidence if it is at least `indifference` better than the rest" holds.
  bool reached = false;
  SelectionEnd end = SelectionEnd::kOneLeft;
  std::vector<std::size_t> survivors;  // in index order
  std::vector<SelectedSystem> systems;
  // After the first stage, the most replications per system the procedure can take: the bound
  // above, or max_replications when that is smaller.
  std::uint32_t replication_bound = 0;
};

class KimNelsonSelection {
 public:
  // Precondition: systems >= 1 and selection_settings_problem(settings, systems) finds nothing.
  KimNelsonSelection(std::size_t systems, SelectionSettings settings);

  // The runs needed next: the first stage of every system (system by system, replications 0 to
  // n0 - 1), then replication r of each system still in contention. Empty once done().
  std::vector<SelectionRun> next_round() const;
  // The values of the runs that next_round() listed, in its order. A NaN (or an infinity)
  // eliminates its system: the replication deadlocked, or the KPI was undefined in it.
  void add_round(std::span<const double> values);
  bool done() const { return end_.has_value(); }
  // Precondition: done().
  SelectionResult result() const;

 private:
  struct SystemState {
    double sum = 0.0;  // of its defined values, sign-adjusted so that larger is better
    std::uint32_t defined = 0;
    SelectedSystem outcome;
    bool contending() const { return outcome.elimination == Elimination::kNone; }
  };
  void add_first_stage(std::span<const double> values);
  void add_replication(std::span<const double> values);
  void eliminate_undefined(std::size_t system);
  // KN's screening of the systems in contention at replication count r_; true when every pair of
  // survivors has reached the end of its region.
  bool screen();
  // h2 S2_il / delta^2: the replication count at which the region of pair (i, l) closes.
  double& closes_at(std::size_t i, std::size_t l) { return closes_at_[i * systems_.size() + l]; }
  double closes_at(std::size_t i, std::size_t l) const {
    return closes_at_[i * systems_.size() + l];
  }

  SelectionSettings settings_;
  double sign_ = 1.0;  // +1 when maximising, -1 when minimising
  double h2_ = 0.0;    // 2 c eta (n0 - 1), c = 1
  std::vector<SystemState> systems_;
  std::vector<double> closes_at_;  // systems x systems
  std::uint32_t r_ = 0;            // replications of every system in contention so far
  std::uint32_t limit_ = 0;        // replications per system at which the procedure stops
  std::uint32_t bound_ = 0;
  std::optional<SelectionEnd> end_;
};

}  // namespace linetwin
