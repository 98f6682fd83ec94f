// A continuous-time Markov chain built by exploring the states reachable from a start state, and
// its stationary distribution: the exact reference against which the validation tests of lines
// with finite buffers and breakdowns compare the simulation.
//
// A model is a state type (any value with a default ordering, e.g. a struct with a defaulted
// operator<=>) and a transition function that, given a state, reports each (next state, rate)
// pair. Exploring from the start state enumerates exactly the states of its communicating class
// when the start state is recurrent (as an empty line is), so the chain is irreducible and the
// stationary distribution unique: pi Q = 0 with sum(pi) = 1 (Gross & Harris, Fundamentals of
// Queueing Theory, ch. 2; Kleinrock, Queueing Systems Vol. 1, ch. 2). It is solved as a
// dense linear system with one balance equation replaced by the normalisation: the chains here
// have at most about a thousand states.
#pragma once

#include <Eigen/Dense>

#include <cassert>
#include <cstddef>
#include <map>
#include <vector>

namespace linetwin::validation {

template <class State>
struct StationaryChain {
  std::vector<State> states;
  Eigen::VectorXd probability;  // stationary probability of states[i]
  Eigen::MatrixXd generator;    // Q: off-diagonal rates, rows sum to zero

  // The stationary expectation of f(state).
  template <class F>
  double expectation(F f) const {
    double sum = 0.0;
    for (std::size_t i = 0; i < states.size(); ++i)
      sum += probability[static_cast<Eigen::Index>(i)] * f(states[i]);
    return sum;
  }
};

// `transitions(state, emit)` calls `emit(next_state, rate)` for each transition out of `state`;
// rates of transitions that lead back to `state` itself or are zero are ignored.
template <class State, class Transitions>
StationaryChain<State> solve_stationary(const State& start, Transitions transitions) {
  StationaryChain<State> chain;
  std::map<State, std::size_t> index_of;
  struct Rate {
    std::size_t from, to;
    double rate;
  };
  std::vector<Rate> rates;

  index_of.emplace(start, 0);
  chain.states.push_back(start);
  for (std::size_t i = 0; i < chain.states.size(); ++i) {
    const State from = chain.states[i];  // a copy: emit may grow the vector
    transitions(from, [&](const State& to, double rate) {
      assert(rate >= 0.0);
      if (rate == 0.0 || to == from) return;
      const auto [it, added] = index_of.emplace(to, chain.states.size());
      if (added) chain.states.push_back(to);
      rates.push_back(Rate{i, it->second, rate});
    });
  }

  const auto n = static_cast<Eigen::Index>(chain.states.size());
  chain.generator = Eigen::MatrixXd::Zero(n, n);
  for (const Rate& r : rates) {
    const auto from = static_cast<Eigen::Index>(r.from);
    const auto to = static_cast<Eigen::Index>(r.to);
    chain.generator(from, to) += r.rate;
    chain.generator(from, from) -= r.rate;
  }
  // pi Q = 0 is Q^T pi^T = 0; its rows are linearly dependent (rank n - 1 for an irreducible
  // chain), so the last one is replaced by sum(pi) = 1.
  Eigen::MatrixXd system = chain.generator.transpose();
  system.row(n - 1).setOnes();
  Eigen::VectorXd right = Eigen::VectorXd::Zero(n);
  right[n - 1] = 1.0;
  chain.probability = system.fullPivLu().solve(right);
  return chain;
}

}  // namespace linetwin::validation
