// Quantiles, time averages, durations and Student t intervals against values known in closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/duration.hpp"
#include "core/random_stream.hpp"
#include "core/statistics.hpp"

using namespace linetwin;

TEST_CASE("quantiles interpolate between order statistics like numpy's default") {
  std::vector<double> v{5, 1, 4, 2, 3};
  CHECK(quantile(v, 0.5) == 3.0);
  CHECK(quantile(v, 0.0) == 1.0);
  CHECK(quantile(v, 1.0) == 5.0);
  // Position 0.95 * 4 = 3.8: 4 + 0.8 * (5 - 4).
  CHECK(quantile(v, 0.95) == doctest::Approx(4.8));
  std::vector<double> empty;
  CHECK(std::isnan(quantile(empty, 0.5)));
}

TEST_CASE("a time average integrates a step function") {
  TimeAverage wip;
  wip.reset(0.0);
  wip.set(0.0, 2.0);
  wip.set(10.0, 4.0);   // 2 for 10 s
  wip.add(15.0, -4.0);  // 4 for 5 s, then 0
  CHECK(wip.mean(20.0) == doctest::Approx((2.0 * 10 + 4.0 * 5) / 20.0));
  wip.reset(20.0);
  CHECK(wip.mean(30.0) == 0.0);
}

TEST_CASE("a time integral of a value kept elsewhere integrates it as a time average does") {
  // A queue whose length the caller keeps: 0 until t = 1, 2 until t = 4, 1 until t = 10, with a
  // reset at t = 2. The integral from 2 to 10 is 2 * 2 + 1 * 6 = 10, the mean 10 / 8.
  TimeIntegral integral;
  TimeAverage average;
  double length = 0.0;
  auto change = [&](double now, double delta) {
    length += delta;
    integral.add(now, delta);
    average.add(now, delta);
  };
  change(1.0, 2.0);
  integral.reset(2.0, length);
  average.reset(2.0);
  change(4.0, -1.0);
  CHECK(integral.integral(10.0, length) == 10.0);
  CHECK(integral.mean(10.0, length) == 10.0 / 8.0);
  CHECK(integral.integral(10.0, length) == average.integral(10.0));
  CHECK(integral.mean(2.0, length) == length);  // no time yet: the value itself
}

TEST_CASE("Student t intervals use the textbook critical values") {
  CHECK(student_t_critical(0.95, 9) == doctest::Approx(2.262157).epsilon(1e-6));
  CHECK(student_t_critical(0.99, 4) == doctest::Approx(4.604095).epsilon(1e-6));
  const std::vector<double> values{1.0, 2.0, 3.0, 4.0, 5.0};
  const Estimate e = estimate(values, 0.95);
  CHECK(e.mean == 3.0);
  CHECK(e.stdev == doctest::Approx(std::sqrt(2.5)));
  const double half = 2.776445 * std::sqrt(2.5) / std::sqrt(5.0);
  CHECK(e.ci_low == doctest::Approx(3.0 - half).epsilon(1e-6));
  CHECK(e.ci_high == doctest::Approx(3.0 + half).epsilon(1e-6));
  CHECK(e.has_interval);
  const std::vector<double> one{7.0};
  CHECK_FALSE(estimate(one).has_interval);
  CHECK(estimate(one).ci_low == 7.0);
}

TEST_CASE("durations parse with units and reject anything else") {
  CHECK(parse_duration_seconds("90") == 90.0);
  CHECK(parse_duration_seconds("90s") == 90.0);
  CHECK(parse_duration_seconds("5min") == 300.0);
  CHECK(parse_duration_seconds("8h") == 28800.0);
  CHECK(parse_duration_seconds("1.5d") == 129600.0);
  CHECK(parse_duration_seconds("250ms") == doctest::Approx(0.25));
  CHECK(parse_duration_seconds(" 2 h ") == 7200.0);
  CHECK(parse_duration_seconds("1w") == 604800.0);
  CHECK_FALSE(parse_duration_seconds("5 minutes").has_value());
  CHECK_FALSE(parse_duration_seconds("h").has_value());
  CHECK_FALSE(parse_duration_seconds("").has_value());
  CHECK_FALSE(parse_duration_seconds("nan").has_value());
  CHECK(format_duration(28800.0) == "8h");
  CHECK(format_duration(90.0) == "1.5min");
}

TEST_CASE("several quantiles at once agree with one at a time") {
  linetwin::RandomStream rng(5, "quantiles", "test", 0);
  std::vector<double> values(10001);
  for (double& v : values)
    v = static_cast<double>(rng.next_u64() % 1000);  // many ties
  // 0.50005 and 0.50004 share their lower order statistic: the second one computed needs the
  // order statistic just above what the first one left in front.
  const double probabilities[] = {0.5, 0.95, 0.0, 1.0, 0.25, 0.999, 0.50005, 0.50004};
  double together[8];
  std::vector<double> copy = values;
  quantiles(copy, probabilities, together);
  for (int i = 0; i < 8; ++i) {
    std::vector<double> alone = values;
    CHECK(together[i] == quantile(alone, probabilities[i]));
  }
  std::vector<double> empty;
  double none[1];
  const double half[] = {0.5};
  quantiles(empty, half, none);
  CHECK(std::isnan(none[0]));
}
