// Checks of the exact reference itself: mean-value analysis (mean_value_analysis.hpp) against
// results known in closed form, before the simulation of a CONWIP loop is compared with it.
//
// - One customer is never queued: the cycle is the sum of the service times, X = 1 / sum s_i.
// - M identical stations with rate mu: the product form makes all (N + M - 1 choose N) states
//   equally likely, so a station is idle with probability (M - 1) / (N + M - 1) and
//   X = mu N / (N + M - 1); with two stations, mu N / (N + 1) (Buzacott & Shanthikumar, Stochastic
//   Models of Manufacturing Systems, closed queueing networks; Hopp & Spearman, Factory Physics,
//   ch. 7 "practical worst case").
// - Asymptotic bounds: X(N) <= min(N / sum s_i, 1 / s_max), X grows with N and tends to
//   1 / s_max, the bottleneck's rate (Denning & Buzen 1978, "The operational analysis of queueing
//   network models", Computing Surveys 10(3)).
// - Unequal stations: the Gordon-Newell product form p(n) ~ prod s_i^(n_i) (Gordon & Newell 1967,
//   "Closed queuing systems with exponential servers", Operations Research 15(2)), summed here
//   over every state, gives X = G(N - 1) / G(N) and the mean queue lengths independently of the
//   MVA recursion.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "validation/mean_value_analysis.hpp"

using namespace linetwin::validation;

namespace {

// The Gordon-Newell product form summed over all states: every way of placing `customers` at
// the stations, each with weight prod s_i^(n_i).
struct ProductForm {
  double normalisation = 0.0;           // G(N)
  std::vector<double> weighted_counts;  // sum over states of weight * n_i
};

void add_states(const std::vector<double>& s, std::size_t station, int left, double weight,
                std::vector<int>& counts, ProductForm& sum) {
  if (station + 1 == s.size()) {
    counts[station] = left;
    const double w = weight * std::pow(s[station], left);
    sum.normalisation += w;
    for (std::size_t i = 0; i < s.size(); ++i)
      sum.weighted_counts[i] += w * counts[i];
    return;
  }
  for (int n = 0; n <= left; ++n) {
    counts[station] = n;
    add_states(s, station + 1, left - n, weight * std::pow(s[station], n), counts, sum);
  }
}

ProductForm product_form(const std::vector<double>& s, int customers) {
  ProductForm sum;
  sum.weighted_counts.assign(s.size(), 0.0);
  std::vector<int> counts(s.size(), 0);
  add_states(s, 0, customers, 1.0, counts, sum);
  return sum;
}

}  // namespace

TEST_CASE("MVA: one customer goes round alone, X = 1 / sum of the service times") {
  const std::vector<double> s{10.0, 25.0, 40.0};
  const ClosedNetworkResult r = analyse_closed_network(s, 1);
  CHECK(r.throughput_per_s == doctest::Approx(1.0 / 75.0).epsilon(1e-14));
  CHECK(r.cycle_time_s == doctest::Approx(75.0).epsilon(1e-14));
  for (std::size_t i = 0; i < s.size(); ++i) {
    CHECK(r.mean_time_s[i] == doctest::Approx(s[i]).epsilon(1e-14));  // never waits
    CHECK(r.mean_queue_length[i] == doctest::Approx(s[i] / 75.0).epsilon(1e-14));
  }
}

TEST_CASE("MVA: two identical stations with rate mu, X = mu N / (N + 1)") {
  const double mean_service_s = 30.0;
  const double mu = 1.0 / mean_service_s;
  for (int n = 1; n <= 20; ++n) {
    CAPTURE(n);
    CHECK(closed_network_throughput({mean_service_s, mean_service_s}, n) ==
          doctest::Approx(mu * n / (n + 1.0)).epsilon(1e-12));
  }
}

TEST_CASE("MVA: M identical stations with rate mu, X = mu N / (N + M - 1), N / M at each") {
  const double mean_service_s = 45.0;
  const double mu = 1.0 / mean_service_s;
  for (int m : {1, 3, 5}) {
    for (int n = 1; n <= 12; ++n) {
      CAPTURE(m);
      CAPTURE(n);
      const ClosedNetworkResult r = analyse_closed_network(
          std::vector<double>(static_cast<std::size_t>(m), mean_service_s), n);
      CHECK(r.throughput_per_s == doctest::Approx(mu * n / (n + m - 1.0)).epsilon(1e-12));
      for (double q : r.mean_queue_length)
        CHECK(q == doctest::Approx(static_cast<double>(n) / m).epsilon(1e-12));
    }
  }
}

TEST_CASE("MVA: throughput rises with N within the asymptotic bounds and tends to 1 / s_max") {
  const std::vector<double> s{20.0, 60.0, 35.0, 50.0};
  const double total = 20.0 + 60.0 + 35.0 + 50.0;
  const double bottleneck_rate = 1.0 / 60.0;
  double previous = 0.0;
  for (int n = 1; n <= 200; ++n) {
    CAPTURE(n);
    const double x = closed_network_throughput(s, n);
    // Strictly while the gain is far above rounding; once converged, it never falls.
    if (n <= 40) CHECK(x > previous);
    CHECK(x >= previous * (1.0 - 1e-14));
    CHECK(x <= n / total * (1.0 + 1e-12));
    CHECK(x <= bottleneck_rate * (1.0 + 1e-12));
    previous = x;
  }
  // The other stations' queues stay bounded as N grows (the next slowest is at 50/60), so the
  // bottleneck is idle with a probability that falls geometrically in N.
  CHECK(closed_network_throughput(s, 200) == doctest::Approx(bottleneck_rate).epsilon(1e-9));
  const ClosedNetworkResult r = analyse_closed_network(s, 200);
  CHECK(r.utilisation[1] == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.mean_queue_length[0] == doctest::Approx(20.0 / (60.0 - 20.0)).epsilon(1e-6));
}

TEST_CASE("MVA: unequal stations match the Gordon-Newell product form over all states") {
  const std::vector<double> s{12.0, 30.0, 18.0};
  for (int n = 1; n <= 8; ++n) {
    CAPTURE(n);
    const ProductForm with_n = product_form(s, n);
    const ProductForm with_one_fewer = product_form(s, n - 1);
    const ClosedNetworkResult r = analyse_closed_network(s, n);
    // X = G(N - 1) / G(N) when every station is visited once per cycle.
    CHECK(r.throughput_per_s ==
          doctest::Approx(with_one_fewer.normalisation / with_n.normalisation).epsilon(1e-12));
    double parts = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      CHECK(r.mean_queue_length[i] ==
            doctest::Approx(with_n.weighted_counts[i] / with_n.normalisation).epsilon(1e-12));
      parts += r.mean_queue_length[i];
    }
    CHECK(parts == doctest::Approx(n).epsilon(1e-12));  // every card is somewhere
    CHECK(r.cycle_time_s ==
          doctest::Approx(r.mean_time_s[0] + r.mean_time_s[1] + r.mean_time_s[2]).epsilon(1e-12));
  }
}
