// KN selection of the best, on values made by hand: every decision below is worked out from the
// procedure's definition (Kim & Nelson 2001) in the comments, never read off the code's output.
//
// The hand-worked cases use k = 3 systems, confidence 0.75 (alpha = 0.25), n0 = 3 and delta = 1,
// for which eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2 = (0.25^-1 - 1) / 2 = 1.5 and
// h2 = 2 eta (n0 - 1) = 6: a pair with first-stage difference variance S2 keeps both while
// |sum_i - sum_l| <= (delta / 2)(h2 S2 / delta^2 - r) = (6 S2 - r) / 2, and its region closes at
// r = 6 S2.
#include "experiment/selection_of_best.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace linetwin;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SelectionSettings hand_worked(bool maximise = true) {
  return {.maximise = maximise,
          .indifference = 1.0,
          .confidence = 0.75,
          .first_stage = 3,
          .max_replications = 0};
}

// Replication by replication, the values of systems A, B and C.
//   First stage: A 10 12 11 (sum 33), B 10 11 12 (33), C 5 7 6 (18).
//   A - B: 0 1 -1, mean 0, S2 = 1: closes at r = 6.   A - C: 5 5 5, S2 = 0: closed from the start.
//   B - C: 5 4 6, mean 5, S2 = 1: closes at r = 6.
//   r = 3: C - A = -15 < -0 and C - B = -15 < -(6 - 3)/2: C is out, behind A (the lower index).
//          A - B = 0: both stay.
//   r = 4 (A 12, B 11): sums 45 and 44, B - A = -1 >= -(6 - 4)/2 = -1: both stay.
//   r = 5 (A 12, B 11): sums 57 and 55, B - A = -2 < -(6 - 5)/2: B is out, behind A. A is left.
const std::vector<std::vector<double>> kFirstStage = {{10, 12, 11}, {10, 11, 12}, {5, 7, 6}};
const std::vector<double> kLater[] = {{12, 11}, {12, 11}};

std::vector<double> flatten(const std::vector<std::vector<double>>& by_system, double scale) {
  std::vector<double> values;
  for (const auto& system : by_system) {
    for (const double v : system)
      values.push_back(scale * v);
  }
  return values;
}

std::vector<double> scaled(std::vector<double> values, double scale) {
  for (double& v : values)
    v *= scale;
  return values;
}

void check_system(const SelectedSystem& got, const SelectedSystem& want) {
  CHECK(got.replications == want.replications);
  CHECK(got.mean == doctest::Approx(want.mean));
  CHECK(got.elimination == want.elimination);
  CHECK(got.eliminated_after == want.eliminated_after);
  CHECK(got.eliminated_by == want.eliminated_by);
}

}  // namespace

TEST_CASE("KN's eta solves (k - 1) / 2 (1 + 2 eta)^(-(n0 - 1) / 2) = alpha") {
  // The Bonferroni bound of Kim & Nelson's proof with c = 1 set equal to alpha.
  for (const std::size_t k : {2u, 3u, 10u}) {
    for (const std::uint32_t n0 : {2u, 10u, 20u}) {
      const double eta = kim_nelson_eta(k, 0.95, n0);
      CHECK((k - 1.0) / 2.0 * std::pow(1.0 + 2.0 * eta, -(n0 - 1.0) / 2.0) ==
            doctest::Approx(0.05).epsilon(1e-12));
    }
  }
  // Two systems, 95%, n0 = 10: 1 + 2 eta = 0.1^(-2/9) = 10^(2/9) = 1.66810...
  CHECK(kim_nelson_eta(2, 0.95, 10) == doctest::Approx(0.33405).epsilon(1e-4));
  CHECK(kim_nelson_eta(3, 0.75, 3) == doctest::Approx(1.5));
}

TEST_CASE("KN on hand-worked values: rounds, elimination order, the best and the bound") {
  for (const bool maximise : {true, false}) {
    // Minimising the negated values is the same problem: every decision must be the same.
    CAPTURE(maximise);
    const double sign = maximise ? 1.0 : -1.0;
    KimNelsonSelection kn(3, hand_worked(maximise));
    CHECK_FALSE(kn.done());
    const std::vector<SelectionRun> first = kn.next_round();
    REQUIRE(first.size() == 9);
    for (std::size_t n = 0; n < first.size(); ++n)
      CHECK(first[n] == SelectionRun{n / 3, static_cast<std::uint32_t>(n % 3)});
    kn.add_round(flatten(kFirstStage, sign));

    CHECK(kn.next_round() == std::vector<SelectionRun>{{0, 3}, {1, 3}});
    kn.add_round(scaled(kLater[0], sign));
    CHECK_FALSE(kn.done());
    CHECK(kn.next_round() == std::vector<SelectionRun>{{0, 4}, {1, 4}});
    kn.add_round(scaled(kLater[1], sign));
    REQUIRE(kn.done());
    CHECK(kn.next_round().empty());

    const SelectionResult result = kn.result();
    CHECK(result.best == 0u);
    CHECK(result.reached);
    CHECK(result.end == SelectionEnd::kOneLeft);
    CHECK(result.survivors == std::vector<std::size_t>{0});
    CHECK(result.replication_bound == 6);  // max(n0, ceil(h2 max S2 / delta^2)) = 6
    REQUIRE(result.systems.size() == 3);
    check_system(result.systems[0], {5, sign * 57.0 / 5.0, Elimination::kNone, 0, {}});
    check_system(result.systems[1], {5, sign * 11.0, Elimination::kOutsideRegion, 5, 0});
    check_system(result.systems[2], {3, sign * 6.0, Elimination::kOutsideRegion, 3, 0});
  }
}

TEST_CASE("KN compares with every system in contention before the screening") {
  // A 3 3, B 2 2, C 1 1 with delta = 1: every difference is constant, so S2 = 0 and every region
  // is closed from the start (an allowance of 0). B and C are both behind A and leave in the
  // first screening, each named behind A, the lowest-indexed system it fell behind.
  KimNelsonSelection kn(3, {.indifference = 1.0, .confidence = 0.9, .first_stage = 2});
  kn.add_round(std::vector<double>{3, 3, 2, 2, 1, 1});
  REQUIRE(kn.done());
  const SelectionResult result = kn.result();
  CHECK(result.best == 0u);
  CHECK(result.reached);
  CHECK(result.systems[1].eliminated_by == 0u);
  CHECK(result.systems[1].eliminated_after == 2);
  CHECK(result.systems[2].eliminated_by == 0u);

  // The other way round (A 1 1, B 2 2, C 3 3): A is behind B and C, B behind C. A is named behind
  // B although B leaves in the same screening: KN compares with the systems in contention before
  // it (its I_old), so the order in which systems are looked at changes nothing.
  KimNelsonSelection reversed(3, {.indifference = 1.0, .confidence = 0.9, .first_stage = 2});
  reversed.add_round(std::vector<double>{1, 1, 2, 2, 3, 3});
  const SelectionResult r = reversed.result();
  CHECK(r.best == 2u);
  CHECK(r.systems[0].eliminated_by == 1u);
  CHECK(r.systems[1].eliminated_by == 2u);
}

TEST_CASE("KN: an undefined value eliminates its system and says so") {
  SUBCASE("in the first stage") {
    // C's second replication deadlocked: C is out after its 3 runs, with the mean of the two
    // defined values; A and B go on exactly as in the hand-worked case.
    KimNelsonSelection kn(3, hand_worked());
    kn.add_round(std::vector<double>{10, 12, 11, 10, 11, 12, 5, kNaN, 6});
    CHECK(kn.next_round() == std::vector<SelectionRun>{{0, 3}, {1, 3}});
    kn.add_round(kLater[0]);
    kn.add_round(kLater[1]);
    REQUIRE(kn.done());
    const SelectionResult result = kn.result();
    CHECK(result.best == 0u);
    CHECK(result.reached);
    CHECK(result.systems[2].elimination == Elimination::kUndefinedValue);
    CHECK(result.systems[2].eliminated_after == 3);
    CHECK(result.systems[2].replications == 3);
    CHECK(result.systems[2].mean == doctest::Approx(5.5));
    CHECK_FALSE(result.systems[2].eliminated_by);
    CHECK(result.systems[1].elimination == Elimination::kOutsideRegion);
  }
  SUBCASE("later, leaving one system") {
    // B's fourth replication is NaN (an infinity counts the same): A is the only one left.
    for (const double undefined : {kNaN, std::numeric_limits<double>::infinity()}) {
      KimNelsonSelection kn(3, hand_worked());
      kn.add_round(flatten(kFirstStage, 1.0));
      kn.add_round(std::vector<double>{12, undefined});
      REQUIRE(kn.done());
      const SelectionResult result = kn.result();
      CHECK(result.best == 0u);
      CHECK(result.reached);
      CHECK(result.end == SelectionEnd::kOneLeft);
      CHECK(result.systems[1].elimination == Elimination::kUndefinedValue);
      CHECK(result.systems[1].eliminated_after == 4);
      CHECK(result.systems[1].replications == 4);
      CHECK(result.systems[1].mean == doctest::Approx(11.0));  // (10 + 11 + 12) / 3
      CHECK(result.systems[0].replications == 4);
    }
  }
  SUBCASE("every system") {
    KimNelsonSelection kn(2, hand_worked());
    kn.add_round(std::vector<double>{1, kNaN, 2, 2, 2, kNaN});
    REQUIRE(kn.done());
    const SelectionResult result = kn.result();
    CHECK_FALSE(result.best);
    CHECK_FALSE(result.reached);
    CHECK(result.end == SelectionEnd::kNoneLeft);
    CHECK(result.survivors.empty());
    CHECK(result.systems[0].mean == doctest::Approx(1.5));
    CHECK(result.systems[1].mean == doctest::Approx(2.0));
  }
}

TEST_CASE("KN: the replication limit comes first") {
  // The hand-worked case stopped at 4 replications: B is still within A's region there (B - A =
  // -1 >= -1), so both survive, A with the better sample mean (45 / 4 against 44 / 4).
  SelectionSettings settings = hand_worked();
  settings.max_replications = 4;
  KimNelsonSelection kn(3, settings);
  kn.add_round(flatten(kFirstStage, 1.0));
  kn.add_round(kLater[0]);
  REQUIRE(kn.done());
  const SelectionResult result = kn.result();
  CHECK_FALSE(result.reached);
  CHECK(result.end == SelectionEnd::kReplicationLimit);
  CHECK(result.best == 0u);
  CHECK(result.survivors == std::vector<std::size_t>{0, 1});
  CHECK(result.replication_bound == 4);
  CHECK(result.systems[0].mean == doctest::Approx(45.0 / 4.0));
  CHECK(result.systems[1].elimination == Elimination::kNone);

  // A limit equal to the first stage stops after it; equal means go to the lower index.
  settings.max_replications = 3;
  KimNelsonSelection first_only(3, settings);
  first_only.add_round(flatten(kFirstStage, 1.0));
  REQUIRE(first_only.done());
  CHECK(first_only.result().survivors == std::vector<std::size_t>{0, 1});
  CHECK(first_only.result().best == 0u);
}

TEST_CASE("KN: identical systems tie where their region closes, and the procedure ends") {
  // Equal values in every replication: S2 = 0, so the region is closed at once and more of the
  // same could never separate them.
  KimNelsonSelection kn(2, hand_worked());
  kn.add_round(std::vector<double>{4, 5, 6, 4, 5, 6});
  REQUIRE(kn.done());
  const SelectionResult result = kn.result();
  CHECK(result.end == SelectionEnd::kTied);
  CHECK_FALSE(result.reached);
  CHECK(result.survivors == std::vector<std::size_t>{0, 1});
  CHECK(result.best == 0u);
}

TEST_CASE("KN: first-stage sizes, and one system") {
  for (const std::uint32_t n0 : {2u, 5u, 20u}) {
    KimNelsonSelection kn(4, {.indifference = 0.5, .first_stage = n0});
    const std::vector<SelectionRun> runs = kn.next_round();
    REQUIRE(runs.size() == 4 * n0);
    for (std::size_t i = 0; i < 4; ++i) {
      for (std::uint32_t j = 0; j < n0; ++j)
        CHECK(runs[i * n0 + j] == SelectionRun{i, j});
    }
  }
  // One system is the best after its first stage; its mean is still estimated.
  KimNelsonSelection one(1, {.indifference = 0.5, .first_stage = 3});
  one.add_round(std::vector<double>{1, 2, 6});
  REQUIRE(one.done());
  CHECK(one.result().best == 0u);
  CHECK(one.result().reached);
  CHECK(one.result().systems[0].mean == doctest::Approx(3.0));
}

TEST_CASE("KN settings: each broken rule names its field") {
  auto field = [](SelectionSettings settings, std::size_t systems) {
    const auto problem = selection_settings_problem(settings, systems);
    return problem ? problem->field : std::string();
  };
  const SelectionSettings good{.indifference = 0.5};
  CHECK(field(good, 4).empty());
  CHECK(field({.indifference = 0.0}, 4) == "indifference");
  CHECK(field({.indifference = -1.0}, 4) == "indifference");
  CHECK(field({.indifference = kNaN}, 4) == "indifference");
  CHECK(field({.indifference = std::numeric_limits<double>::infinity()}, 4) == "indifference");
  CHECK(field({.indifference = 0.5, .confidence = 1.0}, 4) == "confidence");
  CHECK(field({.indifference = 0.5, .confidence = 0.25}, 4) == "confidence");  // = 1/k
  CHECK(field({.indifference = 0.5, .confidence = 0.26}, 4).empty());
  CHECK(field({.indifference = 0.5, .confidence = 0.5}, 2) == "confidence");
  CHECK(field({.indifference = 0.5, .confidence = kNaN}, 2) == "confidence");
  CHECK(field({.indifference = 0.5, .confidence = 0.1}, 1).empty());
  CHECK(field({.indifference = 0.5, .first_stage = 1}, 4) == "first_stage");
  CHECK(field({.indifference = 0.5, .first_stage = 10, .max_replications = 9}, 4) ==
        "max_replications");
  CHECK(field({.indifference = 0.5, .first_stage = 10, .max_replications = 10}, 4).empty());
  const auto problem = selection_settings_problem({.indifference = 0.5, .confidence = 0.2}, 4);
  REQUIRE(problem);
  CHECK(problem->message == "expected more than 0.25 (1 / 4 variants) and less than 1, found 0.2");
}
