// Where an element sends a finished part: its route resolved to run links, with the state a rule
// keeps between parts (the next turn of a round robin, the random stream of a probability rule).
#pragma once

#include <cstdint>
#include <vector>

#include "core/random_stream.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct Output {
  RouteRule rule = RouteRule::kSingle;
  Link single;  // the one target (kSingle), else the first
  std::vector<Link> targets;
  std::vector<double> cumulative;  // kProbability: running sums of the weights
  const std::vector<std::uint32_t>* by_product = nullptr;
  std::uint32_t next = 0;  // kRoundRobin
  RandomStream rng;        // kProbability
  TransportLink via;       // a fleet carries the part to `single` (TransportFlow)
};

Output make_output(const Scene& scene, const Element& e, std::uint64_t seed,
                   std::uint32_t replication);

// The one output of a station's rework: a single target.
Output make_rework_output(const Scene& scene, ElementIndex target);

// The target a rule picks for `part`, for every rule but first free (which tries them all) and
// shortest queue (which needs the targets' loads: `load(link)`).
template <class LoadOf>
const Link& choose_target(Output& output, const Part& part, LoadOf&& load) {
  switch (output.rule) {
    case RouteRule::kSingle:
    case RouteRule::kFirstFree:
      break;
    case RouteRule::kByProduct:
      return output.targets[(*output.by_product)[part.product]];
    case RouteRule::kProbability: {
      const double u = output.rng.uniform01();
      std::size_t k = 0;
      while (k + 1 < output.cumulative.size() && u >= output.cumulative[k])
        ++k;
      return output.targets[k];
    }
    case RouteRule::kRoundRobin: {
      const Link& target = output.targets[output.next];
      output.next = (output.next + 1) % static_cast<std::uint32_t>(output.targets.size());
      return target;
    }
    case RouteRule::kShortestQueue: {
      const Link* best_target = &output.single;
      std::uint64_t best = ~std::uint64_t{0};
      for (const Link& t : output.targets) {
        const std::uint64_t l = load(t);
        if (l < best) {
          best = l;
          best_target = &t;
        }
      }
      return *best_target;
    }
  }
  return output.single;
}

}  // namespace linetwin::line_run
