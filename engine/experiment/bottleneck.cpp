#include "experiment/bottleneck.hpp"

#include <algorithm>
#include <vector>

namespace linetwin {

double busy_share(const VehicleResult& vehicle) {
  return vehicle.loaded_travel + vehicle.empty_travel + vehicle.handling +
         vehicle.waiting_for_zone + vehicle.charging;
}

double fleet_share(const FleetResult& fleet) {
  return std::max(busy_share(fleet.fleet), fleet.station_wait_max);
}

double active_share(const StationResult& station) {
  const double on_shift = 1.0 - station.off_shift;
  if (!(on_shift > 0.0)) return 0.0;
  return (station.working + station.setup + station.waiting_operator + station.down) / on_shift;
}

std::optional<Bottleneck> line_bottleneck(const ReplicationResult& r) {
  const bool station = r.bottleneck_station >= 0;
  std::vector<double> busy;
  busy.reserve(r.fleets.size());
  for (const FleetResult& fleet : r.fleets)
    busy.push_back(fleet_share(fleet));
  const auto s = static_cast<std::size_t>(r.bottleneck_station);
  // A station never active is nobody's bottleneck, and neither is a fleet never busy.
  if (const auto fleet = busier_fleet(station ? active_share(r.stations[s]) : 0.0, busy))
    return Bottleneck{Bottleneck::Kind::kFleet, *fleet};
  if (station) return Bottleneck{Bottleneck::Kind::kStation, s};
  return std::nullopt;
}

}  // namespace linetwin
