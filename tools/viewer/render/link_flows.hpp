// Parts per hour along each link of the material flow, by product, from what a run measured
// (ReplicationResult, over its observed period). The engine counts what each element passes on,
// not what goes down each of its links, so a link's flow is derived here, in the order of the
// flow (sources first):
//
// - What an element passes on: a source's arrivals less those it lost, a station's good parts
//   times its split, a conveyor's parts transported; a buffer what its one target took from it,
//   where that target is fed by it alone and counts it, else what its links bring in.
// - An element with one target sends it all of that. One with several splits it in the shares
//   its targets took, where each target is fed by it alone and counts what it took (a station's
//   parts processed, a conveyor's parts transported); otherwise in the route's own shares (the
//   weights of a probability route, the product mix for a by-product route, equal shares for the
//   others).
// - Products: a source releases them in its own shares (its product, its mix, or its orders);
//   an element passes on the mix that its links bring in, and a by-product route sends each
//   product down its own link. Parts that all end up as an assembly's components (kits) are no
//   product of the scene's: their links' flows are known in all only (NaN by product), and an
//   assembly passes on its main input's mix.
//
// Rework loops are not links (the scene's `to:`), so a reworked part is counted once.
// GL-free, so the renderer (arrow widths), the flow diagram and the tests share one derivation.
#pragma once

#include <optional>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

struct LinkFlow {
  ElementIndex from = 0;
  ElementIndex to = 0;
  double parts_per_hour = 0.0;              // NaN where the results do not tell
  std::vector<double> by_product_per_hour;  // one per product of the scene (NaN likewise)
};

struct LinkFlows {
  std::vector<LinkFlow> links;  // as LineView::links: by element, then in its targets' order
  double max_parts_per_hour = 0.0;
};

// The elements in the order of the flow: each after every element whose route names it (routes
// have no loops; rework is not a route).
std::vector<ElementIndex> flow_order(const Scene& scene);

// Over the results' observed period so far (in the warm-up, since the start). Nothing at the
// start (no time observed yet) or when the results count no element that feeds a link (a
// telemetry source before its first sample).
std::optional<LinkFlows> link_flows(const Scene& scene, const ReplicationResult& result);

}  // namespace linetwin::viewer
