// EventLog: the stations' state changes for the event-log panel, newest kept, oldest dropped once
// `capacity` entries are held (a ring), with a filter by element, state and free text. Counter
// reports (a part finished) are not events a person reads; only state changes are logged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "line_view.hpp"
#include "plant/scene.hpp"
#include "plant/station_observer.hpp"

namespace linetwin::viewer {

struct EventLogEntry {
  double time_s = 0.0;
  ElementIndex element = 0;
  ViewState state = ViewState::kUnknown;
  std::uint64_t good_total = 0;  // the station's good parts so far, at the change
};

struct EventFilter {
  std::optional<ElementIndex> element;
  std::optional<ViewState> state;
  std::string text;  // case-insensitive, in the element id or the state's name; empty: any
};

class EventLog {
 public:
  // The scene (for element ids) must outlive the log.
  explicit EventLog(const Scene& scene, std::size_t capacity = 10000);

  // Logs the report when it changes the station's activity.
  void add(const StationReport& report);
  void add(const std::vector<StationReport>& reports);
  std::size_t size() const { return count_; }
  std::size_t capacity() const { return ring_.size(); }
  // Oldest first: 0 is the oldest entry still held.
  const EventLogEntry& entry(std::size_t i) const;
  // "1h 02min 05s  OP30  down"
  std::string describe(const EventLogEntry& entry) const;
  // The positions (as entry() takes them) of the entries that pass `filter`, oldest first.
  std::vector<std::size_t> matching(const EventFilter& filter) const;
  void clear();

 private:
  const Scene& scene_;
  std::vector<EventLogEntry> ring_;
  std::size_t first_ = 0;  // the oldest entry's slot
  std::size_t count_ = 0;
};

}  // namespace linetwin::viewer
