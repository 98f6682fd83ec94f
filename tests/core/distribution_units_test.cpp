// A distribution made in code is described in seconds, and one given its units in those units;
// the written form costs no space: a Distribution holds its kind and the bytes of the written
// form in one word, then its five numbers and its samples.
#include <doctest/doctest.h>

#include <vector>

#include "core/distribution.hpp"

using namespace linetwin;

TEST_CASE("the unit a duration was typed in") {
  CHECK(duration_unit_of("250ms") == DurationUnit::kMilliseconds);
  CHECK(duration_unit_of("90s") == DurationUnit::kSeconds);
  CHECK(duration_unit_of("90") == DurationUnit::kSeconds);
  CHECK(duration_unit_of("1e3") == DurationUnit::kSeconds);
  CHECK(duration_unit_of("5min") == DurationUnit::kMinutes);
  CHECK(duration_unit_of(" 2.5 h ") == DurationUnit::kHours);
  CHECK(duration_unit_of("1.5d") == DurationUnit::kDays);
  CHECK(duration_unit_of("1w") == DurationUnit::kWeeks);
  CHECK_FALSE(duration_unit_of("5 minutes"));
}

TEST_CASE("a distribution is described in its units, in seconds without them") {
  CHECK(Distribution::exponential(60).describe() == "exponential(mean=60 s)");
  CHECK(Distribution::exponential(60).with_units(DurationUnit::kMinutes).describe() ==
        "exponential(mean=1 min)");
  CHECK(Distribution::erlang(3, 60).describe() == "erlang(k=3, mean=60 s)");
  CHECK(Distribution::erlang(3, 60).with_units(DurationUnit::kMinutes).describe() ==
        "erlang(k=3, mean=1 min)");
  CHECK(Distribution::gamma(3, 20).describe() == "gamma(shape=3, scale=20 s)");
  CHECK(Distribution::lognormal(5400, 1800)
            .with_units(DurationUnit::kHours, DurationUnit::kMinutes)
            .describe() == "lognormal(mean=1.5 h, sd=30 min)");
  // min, mode, max in the order triangular() takes them.
  CHECK(Distribution::triangular(60, 90, 7200)
            .with_units(DurationUnit::kMinutes, DurationUnit::kSeconds, DurationUnit::kHours)
            .describe() == "triangular(1 min, 90 s, 2 h)");
  CHECK(Distribution::deterministic(0.25).with_units(DurationUnit::kMilliseconds).describe() ==
        "deterministic(250 ms)");
  CHECK(Distribution::empirical({1800, 3600, 5400}).with_units(DurationUnit::kHours).describe() ==
        "empirical(3 samples)");
}

TEST_CASE("the written form takes no room and changes no draw") {
  // The kind (one byte) and the written form (four) share the first word.
  CHECK(sizeof(Distribution) == 6 * sizeof(double) + sizeof(std::vector<double>));
  const Distribution plain = Distribution::gamma(3, 20);
  const Distribution written = Distribution::erlang(3, 60).with_units(DurationUnit::kMinutes);
  RandomStream a(7, "units", "draws", 0);
  RandomStream b(7, "units", "draws", 0);
  for (int i = 0; i < 1000; ++i)
    CHECK(plain.sample(a) == written.sample(b));
  CHECK(plain.mean() == written.mean());
}
