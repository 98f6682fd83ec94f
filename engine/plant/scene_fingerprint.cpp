#include "plant/scene_fingerprint.hpp"

#include "core/state_stream.hpp"

namespace linetwin {

namespace {

void add(StableHash& h, const std::vector<std::uint32_t>& values) {
  h.number(static_cast<std::uint64_t>(values.size()));
  for (std::uint32_t v : values)
    h.number(std::uint64_t{v});
}

void add(StableHash& h, const std::vector<double>& values) {
  h.number(static_cast<std::uint64_t>(values.size()));
  for (double v : values)
    h.number(v);
}

void add(StableHash& h, const SourceSpec& spec) {
  h.number(std::uint64_t{spec.unlimited_supply});
  spec.interarrival.add_to(h);
  h.number(static_cast<std::uint64_t>(spec.when_output_full));
  h.number(std::uint64_t{spec.product});
  add(h, spec.mix);
  h.number(static_cast<std::uint64_t>(spec.orders.size()));
  for (const OrderRelease& order : spec.orders) {
    h.text(order.id);
    h.number(std::uint64_t{order.product});
    h.number(order.release_s);
  }
  h.number(static_cast<std::uint64_t>(spec.calendar));
}

void add(StableHash& h, const StationSpec& spec) {
  h.number(std::uint64_t{spec.servers});
  spec.processing.add_to(h);
  h.number(static_cast<std::uint64_t>(spec.processing_by_product.size()));
  for (const std::optional<Distribution>& d : spec.processing_by_product) {
    h.number(std::uint64_t{d.has_value()});
    if (d) d->add_to(h);
  }
  h.number(std::uint64_t{spec.breakdowns.has_value()});
  if (spec.breakdowns) {
    spec.breakdowns->time_to_failure.add_to(h);
    spec.breakdowns->time_to_repair.add_to(h);
    h.number(static_cast<std::uint64_t>(spec.breakdowns->counted_on));
  }
  add(h, spec.setup_s);
  h.number(std::uint64_t{spec.quality.has_value()});
  if (spec.quality) {
    add(h, spec.quality->scrap);
    add(h, spec.quality->rework);
    h.number(std::uint64_t{spec.quality->rework_to});
  }
  h.number(std::uint64_t{spec.batch_min});
  h.number(std::uint64_t{spec.batch_max});
  h.number(std::uint64_t{spec.split_into});
  h.number(std::uint64_t{spec.assembly.has_value()});
  if (spec.assembly) {
    h.number(std::uint64_t{spec.assembly->main_from});
    h.number(static_cast<std::uint64_t>(spec.assembly->components.size()));
    for (const BomLine& line : spec.assembly->components) {
      h.number(std::uint64_t{line.from});
      h.number(std::uint64_t{line.quantity});
    }
  }
  for (const std::vector<std::uint32_t>& pools : spec.operator_pools)
    add(h, pools);
  h.number(static_cast<std::uint64_t>(spec.calendar));
  h.number(static_cast<std::uint64_t>(spec.merge));
  add(h, spec.merge_priority);
}

void add(StableHash& h, const TransportLink& link) {
  h.number(std::uint64_t{link.fleet});
  h.number(std::uint64_t{link.pick_up});
  h.number(std::uint64_t{link.drop_off});
  h.number(std::uint64_t{link.priority});
}

void add(StableHash& h, const std::optional<PathNetwork>& paths) {
  h.number(std::uint64_t{paths.has_value()});
  if (!paths) return;
  // Order counts: node and edge indices break ties between equally near nodes and equally fast
  // routes.
  h.number(static_cast<std::uint64_t>(paths->nodes().size()));
  for (const PathNode& node : paths->nodes()) {
    h.text(node.id);
    h.number(node.x_m);
    h.number(node.y_m);
  }
  h.number(static_cast<std::uint64_t>(paths->edges().size()));
  for (const PathEdge& edge : paths->edges()) {
    h.number(std::uint64_t{edge.from});
    h.number(std::uint64_t{edge.to});
    h.number(edge.length_m);
    h.number(edge.width_m);
    h.number(edge.speed_limit_m_per_s);
    h.number(std::uint64_t{edge.two_way});
  }
}

// The legs and charger reserves are computed from the network, the vehicle and the stops, so
// the fields they come from cover them.
void add(StableHash& h, const FleetSpec& fleet) {
  h.text(fleet.id);
  h.number(std::uint64_t{fleet.home});
  h.number(std::uint64_t{fleet.vehicles});
  const VehicleSpec& vehicle = fleet.vehicle;
  h.number(vehicle.motion.max_speed_m_per_s);
  h.number(vehicle.motion.acceleration_m_per_s2);
  h.number(vehicle.motion.deceleration_m_per_s2);
  h.number(vehicle.width_m);
  h.number(vehicle.length_m);
  h.number(vehicle.load_width_m);
  h.number(vehicle.load_length_m);
  vehicle.load_time.add_to(h);
  vehicle.unload_time.add_to(h);
  h.number(static_cast<std::uint64_t>(fleet.dispatch));
  h.number(static_cast<std::uint64_t>(fleet.traffic));
  h.number(static_cast<std::uint64_t>(fleet.idle_at));
  // The stops carry each element's transfer node, whether named or nearest to its pose.
  add(h, fleet.stops);
  h.number(std::uint64_t{fleet.battery.has_value()});
  if (fleet.battery) {
    h.number(fleet.battery->capacity_kwh);
    h.number(fleet.battery->consumption_kwh_per_m);
    h.number(fleet.battery->charge_rate_kw);
    h.number(fleet.battery->charge_below);
    h.number(fleet.battery->charge_to);
  }
  add(h, fleet.chargers);
}

void add(StableHash& h, const ConveyorSpec& spec) {
  h.number(spec.length_m);
  h.number(spec.speed_m_per_s);
  h.number(spec.spacing_m);
  h.number(std::uint64_t{spec.accumulating});
  h.number(static_cast<std::uint64_t>(spec.mode));  // not mode_line: where, not what
  for (double edge : spec.part_size_m)
    h.number(edge);
}

void add(StableHash& h, const CalendarSpec& spec) {
  h.number(static_cast<std::uint64_t>(spec.shifts.size()));
  for (const ShiftSpec& shift : spec.shifts) {
    h.number(static_cast<std::uint64_t>(shift.weekdays.size()));
    for (int day : shift.weekdays)
      h.number(static_cast<std::uint64_t>(day));
    h.number(shift.start_s);
    h.number(shift.end_s);
    h.number(static_cast<std::uint64_t>(shift.breaks.size()));
    for (const BreakSpec& pause : shift.breaks) {
      h.number(pause.start_s);
      h.number(pause.duration_s);
    }
  }
  h.number(static_cast<std::uint64_t>(spec.maintenance.size()));
  for (const MaintenanceWindow& window : spec.maintenance) {
    h.number(window.start_s);
    h.number(window.end_s);
  }
  h.number(static_cast<std::uint64_t>(spec.start_weekday));
}

}  // namespace

std::uint64_t scene_fingerprint(const Scene& scene) {
  StableHash h;
  h.number(static_cast<std::uint64_t>(scene.products().size()));
  for (const std::string& product : scene.products())
    h.text(product);
  h.number(static_cast<std::uint64_t>(scene.elements().size()));
  for (const Element& e : scene.elements()) {
    h.text(e.id);
    h.number(static_cast<std::uint64_t>(e.type));
    // Operators walk between poses: where an element stands decides how long they take.
    h.number(e.pose.x_m);
    h.number(e.pose.y_m);
    h.number(static_cast<std::uint64_t>(e.route.rule));
    add(h, e.route.targets);
    add(h, e.route.weights);
    add(h, e.route.by_product);
    add(h, e.route.via);
    add(h, e.inputs);
    switch (e.type) {
      case ElementType::kSource:
        add(h, scene.source_spec(e));
        break;
      case ElementType::kBuffer:
        h.number(scene.buffer_spec(e).capacity);
        break;
      case ElementType::kStation:
        add(h, scene.station_spec(e));
        break;
      case ElementType::kConveyor:
        add(h, scene.conveyor_spec(e));
        break;
      case ElementType::kSink:
        break;
    }
  }
  h.number(static_cast<std::uint64_t>(scene.operator_pools().size()));
  for (const OperatorPoolSpec& pool : scene.operator_pools()) {
    h.text(pool.name);
    h.number(std::uint64_t{pool.count});
    h.number(pool.walking_speed_m_per_s);
    h.number(std::uint64_t{pool.home});
    h.number(static_cast<std::uint64_t>(pool.calendar));
  }
  h.number(static_cast<std::uint64_t>(scene.wip_limits().size()));
  for (const WipLimitSpec& limit : scene.wip_limits()) {
    h.text(limit.name);
    h.number(std::uint64_t{limit.from});
    h.number(std::uint64_t{limit.to});
    h.number(std::uint64_t{limit.cards});
  }
  h.number(static_cast<std::uint64_t>(scene.calendars().size()));
  for (const NamedCalendar& calendar : scene.calendars()) {
    h.text(calendar.name);
    add(h, calendar.spec);
  }
  add(h, scene.paths());
  h.number(static_cast<std::uint64_t>(scene.fleets().size()));
  for (const FleetSpec& fleet : scene.fleets())
    add(h, fleet);
  return h.value();
}

}  // namespace linetwin
