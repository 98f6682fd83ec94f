#include "plant/run/shift_calendars.hpp"

#include "core/state_stream.hpp"
#include "plant/run/line.hpp"

namespace linetwin::line_run {

void ShiftCalendars::build(const Scene& scene) {
  for (const NamedCalendar& named : scene.calendars())
    calendars_.push_back(CalendarRun{ShiftCalendar(named.spec), {}, {}, {}, true});
  auto follow = [&](std::int32_t calendar, std::vector<std::uint32_t> CalendarRun::*list,
                    std::uint32_t index) {
    if (calendar >= 0) (calendars_[static_cast<std::size_t>(calendar)].*list).push_back(index);
  };
  for (ElementIndex e : scene.stations())
    follow(scene.station_spec(scene.element(e)).calendar, &CalendarRun::stations,
           scene.element(e).type_index);
  for (ElementIndex e : scene.sources())
    follow(scene.source_spec(scene.element(e)).calendar, &CalendarRun::sources,
           scene.element(e).type_index);
  for (std::uint32_t p = 0; p < scene.operator_pools().size(); ++p)
    follow(scene.operator_pools()[p].calendar, &CalendarRun::pools, p);
}

void ShiftCalendars::start(Line& line) {
  for (std::uint32_t c = 0; c < calendars_.size(); ++c) {
    CalendarRun& calendar = calendars_[c];
    if (!calendar.followed()) continue;
    calendar.on_shift = calendar.calendar.on_shift(0.0);
    if (!calendar.on_shift) apply(line, calendar);
    schedule_next(line, c, 0.0);
  }
}

void ShiftCalendars::on_change(Line& line, std::uint32_t c) {
  CalendarRun& calendar = calendars_[c];
  const double now = line.kernel.now();
  calendar.on_shift = calendar.calendar.on_shift(now);
  apply(line, calendar);
  schedule_next(line, c, now);
}

void ShiftCalendars::apply(Line& line, const CalendarRun& calendar) {
  const bool off = !calendar.on_shift;
  if (off) {
    for (std::uint32_t s : calendar.sources)
      line.sources.set_on_shift(line, line.sources.at(s), false);
  } else {
    for (std::uint32_t p : calendar.pools)
      line.operators.set_on_duty(line, p, true);
  }
  for (std::uint32_t s : calendar.stations)
    line.stops.set_off_shift(line, line.stations.at(s), off);
  if (off) {
    for (std::uint32_t p : calendar.pools)
      line.operators.set_on_duty(line, p, false);
  } else {
    for (std::uint32_t s : calendar.sources)
      line.sources.set_on_shift(line, line.sources.at(s), true);
  }
}

void ShiftCalendars::schedule_next(Line& line, std::uint32_t c, double after_s) {
  const double next = calendars_[c].calendar.next_change_after(after_s);
  if (next > line.end_time()) return;
  line.deadlocks.passive_scheduled();
  line.kernel.schedule_at(next, event(RunEvent::kShiftChange, c));
}

void ShiftCalendars::transfer_state(StateStream& io) {
  io.tag("CALS");
  for (std::size_t c = 0; c < calendars_.size(); ++c) {
    const StateStream::Section section(io, "calendars", c);
    io.value(calendars_[c].on_shift);
  }
}

}  // namespace linetwin::line_run
