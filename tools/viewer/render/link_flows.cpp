#include "link_flows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace linetwin::viewer {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What an element passed on in the observed period, where the results count it.
double counted_output(const Scene& scene, const ReplicationResult& result, const Element& e) {
  switch (e.type) {
    case ElementType::kSource:
      if (e.type_index < result.sources.size()) {
        const SourceResult& source = result.sources[e.type_index];
        return static_cast<double>(source.arrivals - std::min(source.lost, source.arrivals));
      }
      break;
    case ElementType::kStation:
      if (e.type_index < result.stations.size()) {
        return static_cast<double>(result.stations[e.type_index].parts_good) *
               scene.station_spec(e).split_into;
      }
      break;
    case ElementType::kConveyor:
      if (e.type_index < result.conveyors.size())
        return static_cast<double>(result.conveyors[e.type_index].parts_transported);
      break;
    case ElementType::kBuffer:
    case ElementType::kSink:
      break;
  }
  return kNaN;
}

// What a target took in, where the results count it.
double counted_intake(const ReplicationResult& result, const Element& e) {
  if (e.type == ElementType::kStation && e.type_index < result.stations.size())
    return static_cast<double>(result.stations[e.type_index].parts_processed);
  if (e.type == ElementType::kConveyor && e.type_index < result.conveyors.size())
    return static_cast<double>(result.conveyors[e.type_index].parts_transported);
  return kNaN;
}

// The shares in which a source releases the products.
std::vector<double> source_mix(const Scene& scene, const Element& e) {
  const SourceSpec& spec = scene.source_spec(e);
  std::vector<double> mix(scene.products().size(), 0.0);
  if (!spec.mix.empty()) {
    std::copy_n(spec.mix.begin(), std::min(mix.size(), spec.mix.size()), mix.begin());
  } else if (!spec.orders.empty()) {
    for (const OrderRelease& order : spec.orders)
      mix[order.product] += 1.0 / static_cast<double>(spec.orders.size());
  } else {
    mix[spec.product] = 1.0;
  }
  return mix;
}

// Whether product `p` may go down target `k` of a route.
bool reaches(const Route& route, std::size_t k, std::size_t p) {
  return route.rule != RouteRule::kByProduct ||
         (p < route.by_product.size() && route.by_product[p] == k);
}

// The shares of an element's output that each target gets (see the header).
std::vector<double> target_shares(const Scene& scene, const ReplicationResult& result,
                                  ElementIndex from, const std::vector<double>& mix) {
  const Route& route = scene.element(from).route;
  const std::size_t n = route.targets.size();
  if (n == 1) return {1.0};
  std::vector<double> shares(n, 0.0);
  double taken = 0.0;
  bool measured = true;
  for (std::size_t k = 0; k < n; ++k) {
    const Element& target = scene.element(route.targets[k]);
    shares[k] = counted_intake(result, target);
    measured = measured && target.inputs.size() == 1 && std::isfinite(shares[k]);
    taken += shares[k];
  }
  if (measured && taken > 0.0) {
    for (double& share : shares)
      share /= taken;
    return shares;
  }
  for (std::size_t k = 0; k < n; ++k) {
    switch (route.rule) {
      case RouteRule::kProbability:
        shares[k] = route.weights[k];
        break;
      case RouteRule::kByProduct:
        shares[k] = 0.0;
        for (std::size_t p = 0; p < mix.size(); ++p)
          shares[k] += reaches(route, k, p) ? mix[p] : 0.0;
        break;
      default:
        shares[k] = 1.0 / static_cast<double>(n);
        break;
    }
  }
  return shares;
}

}  // namespace

// Kahn's algorithm over the routes.
std::vector<ElementIndex> flow_order(const Scene& scene) {
  std::vector<std::uint32_t> feeding(scene.elements().size(), 0);
  for (const Element& e : scene.elements()) {
    for (const ElementIndex target : e.route.targets)
      ++feeding[target];
  }
  std::vector<ElementIndex> order;
  for (ElementIndex i = 0; i < feeding.size(); ++i) {
    if (feeding[i] == 0) order.push_back(i);
  }
  for (std::size_t next = 0; next < order.size(); ++next) {
    for (const ElementIndex target : scene.element(order[next]).route.targets) {
      if (--feeding[target] == 0) order.push_back(target);
    }
  }
  return order;
}

std::optional<LinkFlows> link_flows(const Scene& scene, const ReplicationResult& result) {
  if (!(result.observed_s > 0.0)) return std::nullopt;
  const double hours = result.observed_s / 3600.0;
  const std::size_t products = scene.products().size();
  const std::size_t count = scene.elements().size();
  // Parts brought in over the observed period, in all and by product.
  std::vector<double> brought(count, 0.0);
  std::vector<std::vector<double>> brought_by_product(count, std::vector<double>(products, 0.0));

  // Where each element's links start in LineView::links order.
  std::vector<std::size_t> first_link(count + 1, 0);
  for (ElementIndex i = 0; i < count; ++i)
    first_link[i + 1] = first_link[i] + scene.element(i).route.targets.size();
  LinkFlows flows;
  for (ElementIndex i = 0; i < count; ++i) {
    for (const ElementIndex target : scene.element(i).route.targets)
      flows.links.push_back({i, target, kNaN, std::vector<double>(products, kNaN)});
  }

  // Elements whose parts all end up as an assembly's components (kits and their stations): those
  // parts are no product of the scene's, so their links are not split by product, and an
  // assembly's product mix is its main input's.
  const std::vector<ElementIndex> order = flow_order(scene);
  std::vector<char> components_only(count, 0);
  for (const ElementIndex station : scene.stations()) {
    if (const auto& assembly = scene.station_spec(scene.element(station)).assembly) {
      for (const BomLine& line : assembly->components)
        components_only[line.from] = 1;
    }
  }
  for (auto i = order.rbegin(); i != order.rend(); ++i) {
    const auto& targets = scene.element(*i).route.targets;
    if (!targets.empty() && std::all_of(targets.begin(), targets.end(),
                                        [&](ElementIndex t) { return components_only[t] != 0; })) {
      components_only[*i] = 1;
    }
  }

  for (const ElementIndex i : order) {
    const Element& e = scene.element(i);
    const Route& route = e.route;
    if (route.targets.empty()) continue;
    // A buffer counts nothing of its own: it passes on what its one target took from it where
    // that target counts it (which holds parts that come back by rework too), else what its
    // links bring in.
    double out = counted_output(scene, result, e);
    if (e.type == ElementType::kBuffer) {
      const Element& target = scene.element(route.targets.front());
      const double taken = counted_intake(result, target);
      out = route.targets.size() == 1 && target.inputs.size() == 1 && std::isfinite(taken)
                ? taken
                : brought[i];
    }
    std::vector<double> mix;
    if (components_only[i] != 0) {
      mix.assign(products, kNaN);
    } else if (e.type == ElementType::kSource) {
      mix = source_mix(scene, e);
    } else {
      mix = brought_by_product[i];
      const double all = std::accumulate(mix.begin(), mix.end(), 0.0);
      for (double& share : mix)
        share = all > 0.0 ? share / all : kNaN;
    }
    const std::vector<double> shares = target_shares(scene, result, i, mix);
    for (std::size_t k = 0; k < route.targets.size(); ++k) {
      LinkFlow& link = flows.links[first_link[i] + k];
      const double parts = out * shares[k];
      link.parts_per_hour = parts / hours;
      // The products that go down this link, in the mix, scaled to the link's parts.
      double reaching = 0.0;
      for (std::size_t p = 0; p < products; ++p)
        reaching += reaches(route, k, p) ? mix[p] : 0.0;
      for (std::size_t p = 0; p < products; ++p) {
        const double part_of_link =
            reaches(route, k, p) ? (reaching > 0.0 ? mix[p] / reaching : kNaN) : 0.0;
        link.by_product_per_hour[p] = link.parts_per_hour * part_of_link;
        // What is not known by product (a kit, a buffer fed by rework alone) leaves the mix
        // to the rest.
        if (components_only[i] == 0 && std::isfinite(part_of_link) && std::isfinite(parts))
          brought_by_product[link.to][p] += parts * part_of_link;
      }
      brought[link.to] += parts;
      if (std::isfinite(link.parts_per_hour))
        flows.max_parts_per_hour = std::max(flows.max_parts_per_hour, link.parts_per_hour);
    }
  }
  const bool any = std::any_of(flows.links.begin(), flows.links.end(), [](const LinkFlow& link) {
    return std::isfinite(link.parts_per_hour);
  });
  if (!any) return std::nullopt;
  return flows;
}

}  // namespace linetwin::viewer
