#include "plant/run/routing.hpp"

namespace linetwin::line_run {

Output make_output(const Scene& scene, const Element& e, std::uint64_t seed,
                   std::uint32_t replication) {
  Output out;
  out.rule = e.route.rule;
  for (ElementIndex target : e.route.targets)
    out.targets.push_back(link_to(scene, target));
  if (!out.targets.empty()) out.single = out.targets.front();
  double sum = 0.0;
  for (double w : e.route.weights)
    out.cumulative.push_back(sum += w);
  out.by_product = &e.route.by_product;
  out.via = e.route.via;
  out.rng = RandomStream(seed, e.id, "route", replication);
  return out;
}

Output make_rework_output(const Scene& scene, ElementIndex target) {
  Output out;
  out.single = link_to(scene, target);
  out.targets = {out.single};
  return out;
}

}  // namespace linetwin::line_run
