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

void add(StableHash& h, const ConveyorSpec& spec) {
  h.number(spec.length_m);
  h.number(spec.speed_m_per_s);
  h.number(spec.spacing_m);
  h.number(std::uint64_t{spec.accumulating});
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
  return h.value();
}

}  // namespace linetwin
