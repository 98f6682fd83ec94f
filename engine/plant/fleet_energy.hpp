// What a battery vehicle must have to set off: the energy of the drive (or of an order's two
// legs) plus what it must keep to reach a charger from where it ends, and whether a charge level
// is enough for it. The scene's check that a vehicle charged at any charger can do every order
// and drive home (scene_fleets.cpp) and the run's tests before each order and each drive
// (run/transport_flow.cpp) use these, so that they agree. A vehicle's charge is its full charge
// less each leg's energy, subtracted one leg at a time, which rounds differently from the sum the
// scene checked: a battery exactly as large as an order needs would pass the scene's check, and
// the vehicle that did the order would then be short, by the last bit, of the energy to reach a
// charger, and wait for ever.
#pragma once

#include <cstdint>

#include "plant/scene.hpp"

namespace linetwin {

// To drive from stop `from` to stop `to` and still reach a charger from there.
inline double energy_to_drive_kwh(const FleetSpec& fleet, std::uint32_t from, std::uint32_t to) {
  return fleet.energy_kwh(from, to) + fleet.charger_reserve_kwh[to];
}

// To drive from stop `from` to the link's pick-up, carry the part to its drop-off, and still
// reach a charger from there.
inline double energy_to_carry_kwh(const FleetSpec& fleet, std::uint32_t from,
                                  const TransportLink& link) {
  return fleet.energy_kwh(from, link.pick_up) + fleet.energy_kwh(link.pick_up, link.drop_off) +
         fleet.charger_reserve_kwh[link.drop_off];
}

// Whether `charge_kwh` is enough for `need_kwh`: short by less than a billionth of the battery's
// capacity (rounding of the sums and differences of leg energies, far below any leg's energy)
// counts as enough.
inline bool enough_charge(const FleetSpec& fleet, double need_kwh, double charge_kwh) {
  return need_kwh <= charge_kwh + 1e-9 * fleet.battery->capacity_kwh;
}

}  // namespace linetwin
