#include "event_log.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdio>

#include "state_colours.hpp"
#include "view_states.hpp"

namespace linetwin::viewer {
namespace {

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  const auto it =
      std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
  return it != text.end();
}

// "1h 02min 05s": the time of day a person reads in a log, to the second.
std::string clock_text(double time_s) {
  const auto total = static_cast<long long>(time_s);
  const long long h = total / 3600;
  const long long min = total / 60 % 60;
  const long long s = total % 60;
  char text[48];
  std::snprintf(text, sizeof text, "%lldh %02lldmin %02llds", h, min, s);
  return text;
}

}  // namespace

EventLog::EventLog(const Scene& scene, std::size_t capacity) : scene_(scene), ring_(capacity) {
  assert(capacity > 0);
}

void EventLog::add(const StationReport& report) {
  if (!report.activity_changed) return;
  const EventLogEntry entry{report.time_s, report.station, view_state(report.activity),
                            report.good_total};
  if (count_ < ring_.size()) {
    ring_[(first_ + count_++) % ring_.size()] = entry;
  } else {
    ring_[first_] = entry;  // overwrites the oldest
    first_ = (first_ + 1) % ring_.size();
  }
}

void EventLog::add(const std::vector<StationReport>& reports) {
  for (const StationReport& report : reports)
    add(report);
}

const EventLogEntry& EventLog::entry(std::size_t i) const {
  assert(i < count_);
  return ring_[(first_ + i) % ring_.size()];
}

std::string EventLog::describe(const EventLogEntry& entry) const {
  return clock_text(entry.time_s) + "  " + scene_.element(entry.element).id + "  " +
         std::string(state_name(entry.state));
}

std::vector<std::size_t> EventLog::matching(const EventFilter& filter) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < count_; ++i) {
    const EventLogEntry& e = entry(i);
    if (filter.element && e.element != *filter.element) continue;
    if (filter.state && e.state != *filter.state) continue;
    if (!filter.text.empty() &&
        !contains_ignoring_case(scene_.element(e.element).id, filter.text) &&
        !contains_ignoring_case(state_name(e.state), filter.text))
      continue;
    out.push_back(i);
  }
  return out;
}

void EventLog::clear() {
  first_ = count_ = 0;
}

}  // namespace linetwin::viewer
