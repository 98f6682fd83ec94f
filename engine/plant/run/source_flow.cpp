#include "plant/run/source_flow.hpp"

#include <algorithm>
#include <limits>

#include "core/state_stream.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

void SourceFlow::build(const Scene& scene, std::uint64_t seed, std::uint32_t replication) {
  for (ElementIndex index : scene.sources()) {
    const Element& e = scene.element(index);
    SourceRun source;
    source.element = index;
    source.output = make_output(scene, e, seed, replication);
    source.spec = &scene.source_spec(e);
    source.interarrival_rng = RandomStream(seed, e.id, "interarrival", replication);
    source.mix_rng = RandomStream(seed, e.id, "mix", replication);
    sources_.push_back(std::move(source));
  }
}

void SourceFlow::start(Line& line) {
  for (SourceRun& source : sources_) {
    if (source.spec->unlimited_supply) {
      if (source.on_shift) supply_unlimited(line, source);
    } else {
      schedule_arrival(line, source);
    }
  }
}

ProductIndex SourceFlow::next_product(SourceRun& source) {
  const std::vector<double>& mix = source.spec->mix;
  if (mix.empty()) return source.spec->product;
  const double u = source.mix_rng.uniform01();
  double sum = 0.0;
  for (std::size_t p = 0; p + 1 < mix.size(); ++p) {
    sum += mix[p];
    if (u < sum) return static_cast<ProductIndex>(p);
  }
  return static_cast<ProductIndex>(mix.size() - 1);
}

Part SourceFlow::draw_supply(Line& line, SourceRun& source) {
  Part part;
  ++source.arrivals;
  line.statistics.enter(line.kernel.now(), part, next_product(source));
  return part;
}

void SourceFlow::supply_unlimited(Line& line, SourceRun& source) {
  const double now = line.kernel.now();
  const Holder self{source.element, 0, source.ticket, now};
  for (;;) {
    Part part;
    line.statistics.enter(now, part, next_product(source));
    // A station fed by an unlimited supply pulls from it directly (refill) and needs no place on
    // a waiting list; a buffer or conveyor admits from its list, where the supply always stands.
    const bool pulled_directly = source.output.rule == RouteRule::kSingle &&
                                 source.output.single.type == ElementType::kStation;
    if (!line.flow.hand_on(line, source.output, part, pulled_directly ? Holder{} : self)) {
      source.held = part;  // its product was chosen (a route may depend on it): keep it
      line.statistics.refused_entry(now);
      break;
    }
    ++source.arrivals;
  }
}

void SourceFlow::schedule_arrival(Line& line, SourceRun& source) {
  const auto target = static_cast<std::uint32_t>(&source - sources_.data());
  const std::vector<OrderRelease>& orders = source.spec->orders;
  if (!orders.empty()) {
    // Off shift, the next order waits for the shift to begin (set_on_shift).
    if (source.next_order < orders.size() && source.on_shift) {
      line.deadlocks.passive_scheduled();
      source.arrival =
          line.kernel.schedule_at(std::max(line.kernel.now(), orders[source.next_order].release_s),
                                  event(RunEvent::kArrival, target));
    }
    return;
  }
  const double gap_s = source.spec->interarrival.sample(source.interarrival_rng);
  if (!source.on_shift) {
    source.arrival_left_s = gap_s;  // the clock starts with the shift
    return;
  }
  line.deadlocks.passive_scheduled();
  source.arrival = line.kernel.schedule_in(gap_s, event(RunEvent::kArrival, target));
}

void SourceFlow::set_on_shift(Line& line, SourceRun& source, bool on_shift) {
  if (source.on_shift == on_shift) return;
  source.on_shift = on_shift;
  const double now = line.kernel.now();
  if (source.spec->unlimited_supply) {
    if (!on_shift) {
      ++source.ticket;  // its places on waiting lists lapse: it hands nothing over off shift
      return;
    }
    supply_unlimited(line, source);
    // A station it feeds directly pulls from it (and found nothing off shift).
    if (source.output.rule == RouteRule::kSingle &&
        source.output.single.type == ElementType::kStation)
      line.stations.refill_all(line, line.stations.at(source.output.single.index));
    return;
  }
  if (!on_shift) {
    EventCalendar& calendar = line.kernel.calendar();
    if (!calendar.is_pending(source.arrival)) return;  // it holds an arrival, or has no more
    if (source.spec->orders.empty()) source.arrival_left_s = calendar.time_of(source.arrival) - now;
    line.deadlocks.passive_gone();
    calendar.cancel(source.arrival);
    return;
  }
  if (source.arrival_left_s >= 0.0) {
    line.deadlocks.passive_scheduled();
    source.arrival = line.kernel.schedule_in(
        source.arrival_left_s,
        event(RunEvent::kArrival, static_cast<std::uint32_t>(&source - sources_.data())));
    source.arrival_left_s = -1.0;
  } else if (!source.spec->orders.empty() && !source.holds_an_arrival()) {
    schedule_arrival(line, source);
  }
}

void SourceFlow::on_arrival(Line& line, SourceRun& source) {
  ++source.arrivals;
  Part part;
  const std::vector<OrderRelease>& orders = source.spec->orders;
  const ProductIndex product =
      orders.empty() ? next_product(source) : orders[source.next_order++].product;
  const double now = line.kernel.now();
  line.statistics.enter(now, part, product);
  const bool lose = source.spec->when_output_full == WhenOutputFull::kLose;
  const Holder self{lose ? kNoElement : source.element, 0, ++source.ticket, now};
  if (line.flow.hand_on(line, source.output, part, self)) {
    schedule_arrival(line, source);
    return;
  }
  line.statistics.refused_entry(now);  // refused: it has not entered yet
  if (lose) {
    ++source.lost;
    schedule_arrival(line, source);
    return;
  }
  source.held = part;
  source.blocked_time.add(now, 1.0);
}

Part SourceFlow::take_held(Line& line, SourceRun& source) {
  ++source.ticket;
  if (source.spec->unlimited_supply) ++source.arrivals;
  // It enters the line only now, with the product it was offered with.
  Part part;
  line.statistics.enter(line.kernel.now(), part, source.held.product);
  return part;
}

void SourceFlow::release_held(Line& line, SourceRun& source) {
  if (source.spec->unlimited_supply) {
    supply_unlimited(line, source);
  } else {
    source.blocked_time.add(line.kernel.now(), -1.0);
    schedule_arrival(line, source);
  }
}

void SourceFlow::reset(double now) {
  for (SourceRun& source : sources_) {
    source.arrivals = source.lost = 0;
    source.blocked_time.reset(now);
  }
}

void SourceFlow::write(double now, double observed_s, ReplicationResult& r) const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (const SourceRun& source : sources_) {
    SourceResult out{source.arrivals, source.lost, 0.0, 0.0};
    // An unlimited supply always has a part ready, so being blocked means nothing for it.
    out.blocked =
        source.spec->unlimited_supply ? kNaN : source.blocked_time.integral(now) / observed_s;
    out.loss_probability = source.arrivals > 0 ? static_cast<double>(source.lost) /
                                                     static_cast<double>(source.arrivals)
                                               : kNaN;
    r.sources.push_back(out);
  }
}

void SourceFlow::transfer_state(StateStream& io, const Scene& scene) {
  io.tag("SRCS");
  for (SourceRun& source : sources_) {
    const StateStream::Section section(io, "sources", scene.element(source.element).id);
    transfer(io, source.output);
    source.interarrival_rng.transfer_state(io);
    source.mix_rng.transfer_state(io);
    std::uint64_t next_order = source.next_order;
    io.value(next_order);
    if (io.reading() && next_order > source.spec->orders.size())
      io.fail_value("next_order", "at most the source's orders", next_order);
    source.next_order = static_cast<std::size_t>(next_order);
    transfer(io, source.held, scene);
    io.value(source.ticket);
    source.blocked_time.transfer_state(io);
    io.value(source.arrivals);
    io.value(source.lost);
    io.value(source.on_shift);
    transfer(io, source.arrival);
    io.value(source.arrival_left_s);
  }
}

}  // namespace linetwin::line_run
