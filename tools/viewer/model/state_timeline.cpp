#include "state_timeline.hpp"

#include <algorithm>
#include <cassert>

#include "view_states.hpp"

namespace linetwin::viewer {
namespace {

// `into` takes `part`'s time: the state with the most time of the two is drawn.
void fold(StateSpan& into, const StateSpan& part) {
  into.mixed = true;
  if (into.state == part.state) {
    into.state_s += part.state_s;
  } else if (part.state_s > into.state_s) {
    into.state = part.state;
    into.state_s = part.state_s;
  }
}

}  // namespace

StateTimeline::StateTimeline(const Scene& scene, std::size_t columns)
    : columns_(columns), station_of_(scene.elements().size(), -1), spans_(scene.stations().size()) {
  assert(columns >= 2);
  for (std::size_t s = 0; s < scene.stations().size(); ++s)
    station_of_[scene.stations()[s]] = static_cast<std::int64_t>(s);
}

void StateTimeline::clear() {
  for (std::vector<StateSpan>& spans : spans_)
    spans.clear();
  end_s_ = 0.0;
  resolution_s_ = kFirstResolutionS;
}

void StateTimeline::take(const std::vector<StationReport>& reports, double now_s) {
  if (now_s < end_s_) clear();
  for (const StationReport& report : reports)
    add(report);
  reach(now_s);
}

double StateTimeline::span_end(std::size_t station, std::size_t span) const {
  const std::vector<StateSpan>& spans = spans_[station];
  return span + 1 < spans.size() ? spans[span + 1].start_s : end_s_;
}

void StateTimeline::add(const StationReport& report) {
  // A counters-only report says nothing of the state (a twin gone unknown reports no activity).
  if (!report.activity_changed) return;
  const std::int64_t s = station_of_.at(report.station);
  assert(s >= 0);
  std::vector<StateSpan>& spans = spans_[static_cast<std::size_t>(s)];
  const ViewState state = view_state(report.activity);
  if (spans.empty()) {
    reach(report.time_s);
    spans.push_back({report.time_s, 0.0f, state, false});
    return;
  }
  if (spans.back().state == state) return;
  const double t = std::max(report.time_s, spans.back().start_s);
  reach(t);
  // Two changes at one instant: the span between them took no time and is dropped, and the
  // span before it goes on when the station is back in its state.
  if (t == spans.back().start_s) {
    spans.pop_back();
    if (!spans.empty() && !spans.back().mixed && spans.back().state == state) return;
    spans.push_back({t, 0.0f, state, false});
    return;
  }
  spans.back().state_s = static_cast<float>(t - spans.back().start_s);
  spans.push_back({t, 0.0f, state, false});
  settle(spans, spans.size() - 2);
}

void StateTimeline::settle(std::vector<StateSpan>& spans, std::size_t i) const {
  const double width = spans[i + 1].start_s - spans[i].start_s;
  const bool narrow = width < resolution_s_;
  if (i > 0 && spans[i - 1].mixed && (spans[i].mixed || narrow)) {
    fold(spans[i - 1], spans[i]);
    spans.erase(spans.begin() + static_cast<std::ptrdiff_t>(i));
  } else if (narrow) {
    spans[i].mixed = true;
  }
}

void StateTimeline::reach(double time_s) {
  if (time_s <= end_s_) return;
  end_s_ = time_s;
  if (end_s_ <= static_cast<double>(columns_) * resolution_s_) return;
  while (end_s_ > static_cast<double>(columns_) * resolution_s_)
    resolution_s_ *= 2.0;
  // The closed spans again, at the coarser resolution: spans now narrower than it are folded.
  for (std::vector<StateSpan>& spans : spans_) {
    if (spans.size() < 2) continue;  // the open span alone: nothing closed
    std::vector<StateSpan> kept;
    kept.reserve(spans.size());
    for (std::size_t i = 0; i + 1 < spans.size(); ++i) {
      StateSpan span = spans[i];
      const bool narrow = spans[i + 1].start_s - span.start_s < resolution_s_;
      if (!kept.empty() && kept.back().mixed && (span.mixed || narrow)) {
        fold(kept.back(), span);
        continue;
      }
      span.mixed = span.mixed || narrow;
      kept.push_back(span);
    }
    kept.push_back(spans.back());
    spans = std::move(kept);
  }
}

}  // namespace linetwin::viewer
