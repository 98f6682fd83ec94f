// Random streams are reproducible, independent by key, and uniform.
#include <doctest/doctest.h>

#include <cmath>

#include "core/random_stream.hpp"

using namespace linetwin;

TEST_CASE("the same key gives the same stream; any other key gives another") {
  RandomStream a(42, "OP10", "processing", 0);
  RandomStream b(42, "OP10", "processing", 0);
  for (int i = 0; i < 100; ++i)
    CHECK(a.next_u64() == b.next_u64());

  const std::uint64_t reference = RandomStream(42, "OP10", "processing", 0).next_u64();
  CHECK(RandomStream(43, "OP10", "processing", 0).next_u64() != reference);
  CHECK(RandomStream(42, "OP20", "processing", 0).next_u64() != reference);
  CHECK(RandomStream(42, "OP10", "failure", 0).next_u64() != reference);
  CHECK(RandomStream(42, "OP10", "processing", 1).next_u64() != reference);
}

TEST_CASE("uniform draws have the moments of U(0,1) and stay in range") {
  RandomStream rng(1, "x", "y", 0);
  const int n = 200000;
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform01();
    const double v = rng.uniform_open0();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(v > 0.0);
    REQUIRE(v <= 1.0);
    sum += u;
    sum2 += u * u;
  }
  // Mean 1/2 with standard error sqrt(1/12/n); 5 standard errors is a generous bound.
  CHECK(std::fabs(sum / n - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / n));
  CHECK(std::fabs(sum2 / n - 1.0 / 3.0) < 0.005);
}

TEST_CASE("streams of different elements are uncorrelated") {
  RandomStream a(9, "A", "processing", 0);
  RandomStream b(9, "B", "processing", 0);
  const int n = 100000;
  double cov = 0.0;
  for (int i = 0; i < n; ++i)
    cov += (a.uniform01() - 0.5) * (b.uniform01() - 0.5);
  cov /= n;
  // Var of the product of two independent centred uniforms is (1/12)^2.
  CHECK(std::fabs(cov) < 5.0 * (1.0 / 12.0) / std::sqrt(n));
}
