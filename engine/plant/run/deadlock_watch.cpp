#include "plant/run/deadlock_watch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/state_stream.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_state.hpp"

namespace linetwin::line_run {

namespace {

// Whether the scene's flow (routes and rework) has a loop: without one, no cycle of blocked
// elements can form.
bool flow_has_loop(const Scene& scene) {
  const std::size_t n = scene.elements().size();
  std::vector<std::vector<ElementIndex>> next(n);
  for (ElementIndex e = 0; e < n; ++e) {
    const Element& element = scene.element(e);
    next[e] = element.route.targets;
    if (element.type == ElementType::kStation) {
      const StationSpec& spec = scene.station_spec(element);
      if (spec.quality && spec.quality->rework_to != kNoElement)
        next[e].push_back(spec.quality->rework_to);
    }
  }
  // Depth-first search with colours: a grey element reached again closes a loop.
  enum : std::uint8_t { kWhite, kGrey, kBlack };
  std::vector<std::uint8_t> colour(n, kWhite);
  std::vector<std::pair<ElementIndex, std::size_t>> stack;
  for (ElementIndex root = 0; root < n; ++root) {
    if (colour[root] != kWhite) continue;
    stack.push_back({root, 0});
    colour[root] = kGrey;
    while (!stack.empty()) {
      auto& [e, child] = stack.back();
      if (child == next[e].size()) {
        colour[e] = kBlack;
        stack.pop_back();
        continue;
      }
      const ElementIndex to = next[e][child++];
      if (colour[to] == kGrey) return true;
      if (colour[to] == kWhite) {
        colour[to] = kGrey;
        stack.push_back({to, 0});
      }
    }
  }
  return false;
}

}  // namespace

void DeadlockWatch::build(const Scene& scene) {
  scene_ = &scene;
  cycles_possible_ = flow_has_loop(scene);
}

// An element is jammed when it cannot pass a part on or take one in until another element moves:
// a station whose every server is blocked, a full buffer, a conveyor whose head is refused.
bool DeadlockWatch::jammed(const Line& line, ElementIndex element) const {
  const Node& node = line.flow.node(element);
  switch (node.type) {
    case ElementType::kStation: {
      const StationRun& station = line.stations.at(node.type_index);
      return station.in(ServerState::kBlocked) == station.servers;
    }
    case ElementType::kBuffer:
      return line.buffers.at(node.type_index).full();
    case ElementType::kConveyor: {
      // Its head refused, and no room at the entry that the belt could still make.
      const ConveyorRun& conveyor = line.conveyors.at(node.type_index);
      return conveyor.head_waiting &&
             (conveyor.full() || conveyor.belt.entry_free_at(line.kernel.now()) ==
                                     std::numeric_limits<double>::infinity());
    }
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
  return false;
}

// The elements a jammed element waits for: those that refused its blocked parts (a station, a
// conveyor), or those that would take its parts (a buffer: the stations after it).
void DeadlockWatch::waits_on(const Line& line, ElementIndex element,
                             std::vector<ElementIndex>& out) const {
  out.clear();
  const Node& node = line.flow.node(element);
  auto held_by_list = [&](const Output& output, std::uint32_t server) {
    for (const Link& target : output.targets) {
      const FifoQueue<Holder>& waiting = line.flow.waiting(target.element);
      for (std::size_t i = 0; i < waiting.size(); ++i) {
        const Holder& h = waiting.at(i);
        if (h.element == element && h.server == server && line.flow.holder_is_current(line, h)) {
          out.push_back(target.element);
          break;
        }
      }
    }
  };
  switch (node.type) {
    case ElementType::kStation: {
      const StationRun& station = line.stations.at(node.type_index);
      for (std::uint32_t k = 0; k < station.servers; ++k) {
        held_by_list(station.output, k);
        held_by_list(station.rework, k);
      }
      break;
    }
    case ElementType::kBuffer:
      for (const Link& target : line.buffers.at(node.type_index).output.targets)
        out.push_back(target.element);
      break;
    case ElementType::kConveyor:
      held_by_list(line.conveyors.at(node.type_index).output, 0);
      break;
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void DeadlockWatch::look_for_cycle(Line& line, ElementIndex start) {
  if (found()) return;
  // The jammed elements reachable from `start` through what each waits on.
  std::vector<ElementIndex> members{start};
  std::vector<std::vector<ElementIndex>> edges;
  std::vector<ElementIndex> targets;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!jammed(line, members[i])) return;  // the start's wait leads somewhere that can move
    waits_on(line, members[i], targets);
    edges.push_back(targets);
    for (ElementIndex t : targets) {
      if (std::find(members.begin(), members.end(), t) == members.end()) members.push_back(t);
    }
  }
  // Every element reached is jammed and waits only on others reached: none can move again.
  // Report the cycle through `start`, found by a depth-first walk back to it.
  auto index_of = [&](ElementIndex e) {
    return static_cast<std::size_t>(std::find(members.begin(), members.end(), e) - members.begin());
  };
  std::vector<std::size_t> path{0};
  std::vector<std::size_t> next_child{0};
  std::vector<bool> on_path(members.size(), false);
  on_path[0] = true;
  while (!path.empty()) {
    const std::size_t at = path.back();
    if (next_child.back() == edges[at].size()) {
      on_path[at] = false;
      path.pop_back();
      next_child.pop_back();
      continue;
    }
    const std::size_t to = index_of(edges[at][next_child.back()++]);
    if (to == 0) break;  // back at the start: the path is the cycle
    if (on_path[to]) continue;
    on_path[to] = true;
    path.push_back(to);
    next_child.push_back(0);
  }
  DeadlockResult result;
  result.time_s = line.kernel.now();
  result.cycle = true;
  result.parts_in_line = line.statistics.parts_in_line();
  for (std::size_t i : path)
    result.elements.push_back(describe(line, members[i]));
  report_ = std::move(result);
  line.update_attention();
}

void DeadlockWatch::vehicles_stuck(Line& line, std::vector<DeadlockResult::Vehicle> cycle) {
  if (found()) return;
  DeadlockResult result;
  result.time_s = line.kernel.now();
  result.cycle = true;
  result.parts_in_line = line.statistics.parts_in_line();
  result.vehicles = std::move(cycle);
  report_ = std::move(result);
  line.update_attention();
}

// Whether the line has run dry: every source but an unlimited supply has released its last order
// and holds none back. What is left in a dry line is left over (components for bodies that were
// never ordered, a batch short of its minimum), not stuck: the line did all it was given.
bool DeadlockWatch::run_dry(const Line& line) const {
  bool orders = false;  // a line fed only by unlimited supplies never runs dry
  for (std::uint32_t s = 0; s < line.sources.size(); ++s) {
    const SourceRun& source = line.sources.at(s);
    if (source.spec->unlimited_supply) continue;
    const bool holds_an_arrival = source.blocked_time.value() > 0.0;
    if (source.spec->orders.empty() || source.next_order < source.spec->orders.size() ||
        holds_an_arrival)
      return false;
    orders = true;
  }
  return orders;
}

void DeadlockWatch::look_for_stuck_parts(Line& line) {
  if (found() || line.statistics.parts_in_line() == 0 || can_move(line) || run_dry(line)) return;
  DeadlockResult result;
  result.time_s = line.kernel.now();
  result.parts_in_line = line.statistics.parts_in_line();
  for (ElementIndex e = 0; e < scene_->elements().size(); ++e) {
    const Node& node = line.flow.node(e);
    // A station that cannot start although parts wait in a buffer in front of it (an assembly
    // short of a component, a batch short of its minimum) is where the parts are stuck.
    const bool starved_with_parts_in_front =
        node.type == ElementType::kStation &&
        line.stations.at(node.type_index).in(ServerState::kIdle) > 0 &&
        std::any_of(line.stations.at(node.type_index).inputs.begin(),
                    line.stations.at(node.type_index).inputs.end(), [&](const Link& input) {
                      return input.type == ElementType::kBuffer &&
                             !line.buffers.at(input.index).queue.empty();
                    });
    if (line.flow.parts_at(line, e) > 0 || starved_with_parts_in_front)
      result.elements.push_back(describe(line, e));
  }
  report_ = std::move(result);
  line.update_attention();
}

bool DeadlockWatch::can_move(const Line& line) const {
  bool moves = false;
  line.kernel.calendar().for_each_pending([&](double, const EventPayload& payload) {
    if (moves) return;
    const RunEvent kind = kind_of(payload);
    moves = moves_parts(kind) || (kind == RunEvent::kArrival &&
                                  can_take_arrival(line, line.sources.at(payload.target).element));
  });
  if (moves) return true;
  // A source off shift brings parts when its shift begins (unless it has released its last order).
  for (std::uint32_t s = 0; s < line.sources.size(); ++s) {
    const SourceRun& source = line.sources.at(s);
    if (!source.on_shift &&
        (source.spec->orders.empty() || source.next_order < source.spec->orders.size()))
      return true;
  }
  for (const StationRun& station : line.stations.all()) {
    // Work interrupted by a stop resumes when the stop ends (a repair is under way or called; a
    // calendar always comes back on shift), and a stopped station may take parts then.
    for (std::uint32_t k = 0; k < station.servers; ++k) {
      if (line.stations.server(station, k).paused) return true;
    }
    if (station.stopped() && could_start(line, station)) return true;
  }
  // A task waits for an operator, who is busy with something that will end.
  return line.operators.requests_pending();
}

// Whether an idle server of the station would take a part now if the station ran.
bool DeadlockWatch::could_start(const Line& line, const StationRun& station) const {
  if (station.in(ServerState::kIdle) == 0 || !line.limits.has_card(station.gate)) return false;
  auto queued = [&](ElementIndex buffer) {
    return line.buffers.at(line.flow.node(buffer).type_index).queue.size();
  };
  const StationSpec& spec = *station.spec;
  if (spec.assembly) {
    bool ready = queued(spec.assembly->main_from) > 0;
    for (const BomLine& bom : spec.assembly->components)
      ready = ready && queued(bom.from) >= bom.quantity;
    return ready;
  }
  auto has_current_holder = [&](ElementIndex element) {
    const FifoQueue<Holder>& waiting = line.flow.waiting(element);
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      if (line.flow.holder_is_current(line, waiting.at(i))) return true;
    }
    return false;
  };
  for (const Link& input : station.inputs) {
    if (input.type == ElementType::kBuffer) {
      const std::size_t parts = queued(input.element);
      if (parts >= spec.batch_min || (spec.batch_min == 1 && parts > 0)) return true;
      if (spec.batch_min == 1 && has_current_holder(input.element)) return true;
    } else if (input.type == ElementType::kSource && line.sources.at(input.index).supplies_now()) {
      return true;
    }
  }
  return spec.batch_min == 1 && has_current_holder(station.element);
}

// Whether an arrival at the source could be taken by one of its targets (WIP cards aside, which
// only a part's moving can free).
bool DeadlockWatch::can_take_arrival(const Line& line, ElementIndex source) const {
  const SourceRun& run = line.sources.at(line.flow.node(source).type_index);
  for (const Link& target : run.output.targets) {
    switch (target.type) {
      case ElementType::kSink:
        return true;
      case ElementType::kBuffer: {
        const BufferRun& buffer = line.buffers.at(target.index);
        if (!buffer.full()) return true;
        for (const Link& taker : buffer.output.targets) {
          if (taker.type == ElementType::kStation &&
              line.stations.at(taker.index).in(ServerState::kIdle) > 0)
            return true;
        }
        break;
      }
      case ElementType::kStation: {
        const StationRun& station = line.stations.at(target.index);
        if (station.takes_offers && station.in(ServerState::kIdle) > 0) return true;
        break;
      }
      case ElementType::kConveyor:
        if (!line.conveyors.at(target.index).full()) return true;
        break;
      case ElementType::kSource:
        break;
    }
  }
  return false;
}

DeadlockResult::Element DeadlockWatch::describe(const Line& line, ElementIndex element) const {
  DeadlockResult::Element out;
  out.element = element;
  out.parts = line.flow.parts_at(line, element);
  const Node& node = line.flow.node(element);
  auto id = [&](ElementIndex e) { return scene_->element(e).id; };
  std::vector<ElementIndex> targets;
  switch (node.type) {
    case ElementType::kStation: {
      const StationRun& station = line.stations.at(node.type_index);
      if (station.in(ServerState::kBlocked) > 0) {
        waits_on(line, element, targets);
        std::string by;
        for (ElementIndex t : targets)
          by += (by.empty() ? "" : ", ") + id(t);
        out.state = fmt::format("{} of {} servers blocked by {}", station.in(ServerState::kBlocked),
                                station.servers, by.empty() ? "?" : by);
      } else if (station.spec->assembly) {
        std::string short_of;
        const AssemblySpec& bom = *station.spec->assembly;
        for (std::size_t i = 0; i <= bom.components.size(); ++i) {
          const ElementIndex from = i == 0 ? bom.main_from : bom.components[i - 1].from;
          const std::uint32_t needed = i == 0 ? 1 : bom.components[i - 1].quantity;
          if (line.buffers.at(line.flow.node(from).type_index).queue.size() < needed)
            short_of += (short_of.empty() ? "" : ", ") + id(from);
        }
        out.state = "cannot start: short of parts from " + short_of;
      } else if (station.in(ServerState::kIdle) > 0 && station.spec->batch_min > 1) {
        out.state = fmt::format("cannot start: a batch needs {} parts", station.spec->batch_min);
      } else {
        out.state = "cannot start";
      }
      break;
    }
    case ElementType::kBuffer: {
      const BufferRun& buffer = line.buffers.at(node.type_index);
      out.state = buffer.full() ? "full" : "holds parts that no station takes";
      break;
    }
    case ElementType::kConveyor: {
      if (line.conveyors.at(node.type_index).head_waiting) {
        waits_on(line, element, targets);
        out.state = "head refused by " + (targets.empty() ? std::string("?") : id(targets[0]));
      } else {
        out.state = "parts on the belt";
      }
      break;
    }
    case ElementType::kSource:
    case ElementType::kSink:
      break;
  }
  return out;
}

void DeadlockWatch::transfer_state(StateStream& io, std::size_t pending) {
  io.tag("DEAD");
  std::uint64_t passive = passive_pending_;
  io.value(passive);
  if (io.reading() && passive > pending)
    io.fail_value("passive_pending", "at most the events pending", passive);
  passive_pending_ = static_cast<std::size_t>(passive);
  bool found = report_.has_value();
  io.value(found);
  if (!found) return;
  if (io.reading()) report_.emplace();
  DeadlockResult& r = *report_;
  const StateStream::Section section(io, "deadlock");
  io.value(r.time_s);
  io.value(r.cycle);
  io.value(r.parts_in_line);
  const std::size_t elements = scene_->elements().size();
  constexpr std::size_t kElementBytes = 20;  // the index, the parts, the state's length
  transfer(io, r.elements, elements, kElementBytes, "elements", [&](DeadlockResult::Element& e) {
    io.index(e.element, elements, "element");
    io.value(e.parts);
    io.text(e.state, "state");
  });
}

}  // namespace linetwin::line_run
