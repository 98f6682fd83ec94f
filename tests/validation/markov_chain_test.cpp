// Checks of the exact reference itself: the Markov chain solver and the two-machine line model
// (markov_chain.hpp, two_machine_line.hpp) against results known in closed form, before the
// simulation is compared with them.
//
// - A machine that fails on operating time, saturated, alternates between up and down: its
//   throughput is mu * MTTF / (MTTF + MTTR) (Buzacott & Shanthikumar, Stochastic Models of
//   Manufacturing Systems, single-stage systems with failures; Gershwin, Manufacturing Systems
//   Engineering, ch. 3 "isolated efficiency").
// - M/M/1/K is a birth-death chain with P_K = (1 - rho) rho^K / (1 - rho^(K+1)) (Gross & Harris,
//   Fundamentals of Queueing Theory, ch. 2; Kleinrock, Queueing Systems Vol. 1, ch. 3).
// - Without failures the two-machine line is a birth-death chain too: levels 0 .. N with
//   N = capacity + 2 (the buffer, M2's part, and M1's blocked part as the top level), births at
//   mu1 and deaths at mu2, so p_k ~ (mu1/mu2)^k and the throughput is
//   mu2 (1 - p_0) = mu1 mu2 (mu1^N - mu2^N) / (mu1^(N+1) - mu2^(N+1)), or mu N / (N + 1) with equal
//   rates; for capacity 0, 1 / (1/mu1 + 1/mu2 - 1/(mu1 + mu2)) (Buzacott & Shanthikumar, two-stage
//   lines with exponential stations; Gershwin, ch. 3).
// - With failures: every part M1 finishes leaves through M2 (flow conservation); the line and its
//   reverse have the same throughput (reversibility, Dallery & Gershwin 1992, "Manufacturing flow
//   line systems: a review of models and analytical results", Queueing Systems 12); with a very
//   large buffer the throughput tends to the slower machine's isolated production rate.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "validation/markov_chain.hpp"
#include "validation/two_machine_line.hpp"

using namespace linetwin::validation;

namespace {
double isolated_rate(const MachineRates& m) {
  return m.failure == 0.0 ? m.processing : m.processing * m.repair / (m.repair + m.failure);
}

template <class State>
void check_is_stationary(const StationaryChain<State>& chain) {
  CHECK(chain.probability.sum() == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(chain.probability.minCoeff() >= -1e-15);
  const Eigen::RowVectorXd balance = chain.probability.transpose() * chain.generator;
  CHECK(balance.cwiseAbs().maxCoeff() < 1e-12 * chain.generator.cwiseAbs().maxCoeff());
}
}  // namespace

TEST_CASE("CTMC solver: a machine with failures is up MTTF / (MTTF + MTTR) of the time") {
  const double mu = 1.0 / 50.0, mttf = 1800.0, mttr = 300.0;
  enum class Machine { kUp, kDown };
  const auto chain = solve_stationary(Machine::kUp, [&](Machine s, auto emit) {
    emit(s == Machine::kUp ? Machine::kDown : Machine::kUp,
         s == Machine::kUp ? 1.0 / mttf : 1.0 / mttr);
  });
  check_is_stationary(chain);
  REQUIRE(chain.states.size() == 2);
  const double throughput =
      chain.expectation([&](Machine s) { return s == Machine::kUp ? mu : 0.0; });
  CHECK(throughput == doctest::Approx(mu * mttf / (mttf + mttr)).epsilon(1e-12));
}

TEST_CASE("CTMC solver: M/M/1/K blocking probability") {
  for (const double rho : {0.5, 0.8, 1.0 + 1e-9, 1.25, 3.0}) {
    for (const int capacity : {1, 2, 5, 12}) {
      const double lambda = rho, mu = 1.0;
      const auto chain = solve_stationary(0, [&](int n, auto emit) {
        if (n < capacity) emit(n + 1, lambda);
        if (n > 0) emit(n - 1, mu);
      });
      check_is_stationary(chain);
      REQUIRE(chain.states.size() == static_cast<std::size_t>(capacity + 1));
      const double full = chain.expectation([&](int n) { return n == capacity ? 1.0 : 0.0; });
      const double exact =
          (1.0 - rho) * std::pow(rho, capacity) / (1.0 - std::pow(rho, capacity + 1));
      CHECK(full == doctest::Approx(exact).epsilon(1e-6));
    }
  }
}

TEST_CASE("two-machine line model without failures matches the birth-death closed form") {
  for (const auto& means : {std::pair{55.0, 60.0}, {60.0, 45.0}, {50.0, 50.0}}) {
    // Plain variables, not a structured binding: clang 14 cannot capture those in INFO's lambda.
    const double mean1 = means.first, mean2 = means.second;
    const MachineRates m1{1.0 / mean1, 0.0, 0.0};
    const MachineRates m2{1.0 / mean2, 0.0, 0.0};
    for (int capacity = 0; capacity <= 6; ++capacity) {
      INFO("means ", mean1, " s and ", mean2, " s, buffer ", capacity);
      const auto chain = two_machine_line_chain(m1, m2, capacity);
      check_is_stationary(chain);
      CHECK(chain.states.size() == static_cast<std::size_t>(capacity + 3));
      const double mu1 = m1.processing, mu2 = m2.processing;
      const double n = capacity + 2.0;
      const double exact = mean1 == mean2 ? mu1 * n / (n + 1.0)
                                          : mu1 * mu2 * (std::pow(mu1, n) - std::pow(mu2, n)) /
                                                (std::pow(mu1, n + 1.0) - std::pow(mu2, n + 1.0));
      CHECK(two_machine_line_throughput(m1, m2, capacity) == doctest::Approx(exact).epsilon(1e-10));
      if (capacity == 0) {
        CHECK(exact == doctest::Approx(1.0 / (1.0 / mu1 + 1.0 / mu2 - 1.0 / (mu1 + mu2))));
      }
    }
  }
}

TEST_CASE("two-machine line model with failures: conservation, reversibility, large buffer") {
  const MachineRates m1{1.0 / 50.0, 1.0 / 1800.0, 1.0 / 300.0};
  const MachineRates m2{1.0 / 40.0, 1.0 / 3600.0, 1.0 / 600.0};
  for (const int capacity : {0, 1, 4, 10}) {
    INFO("buffer ", capacity);
    const auto chain = two_machine_line_chain(m1, m2, capacity);
    check_is_stationary(chain);
    const double throughput = two_machine_line_throughput(m1, m2, capacity);
    const double m1_rate = chain.expectation([&](const TwoMachineState& s) {
      return !s.m1_blocked && !s.m1_down ? m1.processing : 0.0;
    });
    CHECK(m1_rate == doctest::Approx(throughput).epsilon(1e-10));
    CHECK(two_machine_line_throughput(m2, m1, capacity) ==
          doctest::Approx(throughput).epsilon(1e-10));
    CHECK(throughput < std::min(isolated_rate(m1), isolated_rate(m2)));
  }
  // With 150 places the buffer almost never fills or empties: the slower machine sets the pace.
  const double limit = std::min(isolated_rate(m1), isolated_rate(m2));
  CHECK(two_machine_line_throughput(m1, m2, 150) == doctest::Approx(limit).epsilon(1e-3));
}
