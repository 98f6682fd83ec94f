// How a station's idle server takes its next part on the general path (StationFlow): by merge
// rule from several inputs, a batch, or an assembly of a main part and its components.
#include <algorithm>
#include <limits>

#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/station_flow.hpp"

namespace linetwin::line_run {

void StationFlow::refill_elsewhere(Line& line, StationRun& station, std::uint32_t k) {
  if (station.stopped() || servers_[station.first_server + k].state != ServerState::kIdle) return;
  if (station.plain()) {
    // One input: a buffer (empty, but a part may wait to be handed straight through it), an
    // unlimited supply, or elements waiting on this station's own list.
    Holder holder;
    const Link& input = station.first_input;
    if (input.type == ElementType::kBuffer) {
      const BufferRun& buffer = line.buffers.at(input.index);
      // What waits on a buffer that vehicles fill waits for a vehicle, never for the station.
      if (line.limits.has_card(buffer.gate) && !buffer.paths.filled_by_vehicles &&
          line.flow.pop_holder(line, line.flow.waiting(input.element), holder)) {
        Part part = line.flow.take_from(line, holder);
        line.limits.take_card(line.kernel.now(), buffer.gate, part);
        line.limits.leave(line, line.flow.node(input.element), part);
        start_service(line, station, k, part);
        line.flow.release(line, holder);
      }
      return;
    }
    if (input.type == ElementType::kSource && line.sources.at(input.index).supplies_now()) {
      start_service(line, station, k, line.sources.draw_supply(line, line.sources.at(input.index)));
      return;
    }
    if (line.flow.pop_holder(line, line.flow.waiting(station.element), holder)) {
      start_service(line, station, k, line.flow.take_from(line, holder));
      line.flow.release(line, holder);
    }
    return;
  }
  const StationSpec& spec = *station.spec;
  if (spec.assembly) {
    try_assemble(line, station, k);
    return;
  }
  Part part;
  if (spec.batch_max > 1) {
    // With a minimum of 1, a part waiting to be handed over directly is a batch of its own.
    if (!pull_batch(line, station, k) && spec.batch_min == 1) pull_part(line, station, part);
    return;
  }
  pull_part(line, station, part);
}

// Chooses the next part among the station's inputs, by its merge rule, loads it into the first
// idle server and lets the input take in what waits for it. Returns whether a part was taken.
bool StationFlow::pull_part(Line& line, StationRun& station, Part& part) {
  if (!line.limits.has_card(station.gate)) return false;
  const double now = line.kernel.now();
  const bool priority = station.spec->merge == MergeRule::kPriority;
  // Candidates: the head of each input buffer (or a holder waiting to hand over straight through
  // a buffer of capacity 0), an unlimited supply, and holders on this station's own list.
  enum class From : std::uint8_t { kNone, kBuffer, kBufferHolder, kSupply, kOwnList };
  From from = From::kNone;
  const Link* chosen = nullptr;
  std::size_t own_index = 0;
  double best_ready = std::numeric_limits<double>::infinity();
  std::size_t best_rank = std::numeric_limits<std::size_t>::max();
  auto consider = [&](From kind, const Link* link, double ready, std::size_t rank,
                      std::size_t index) {
    const bool better = priority
                            ? rank < best_rank
                            : (ready < best_ready || (ready == best_ready && rank < best_rank));
    if (!better) return;
    from = kind;
    chosen = link;
    own_index = index;
    best_ready = ready;
    best_rank = rank;
  };
  for (std::size_t rank = 0; rank < station.inputs.size(); ++rank) {
    const Link& input = station.inputs[rank];
    if (input.type == ElementType::kBuffer) {
      BufferRun& buffer = line.buffers.at(input.index);
      if (!buffer.queue.empty()) {
        consider(From::kBuffer, &input,
                 buffer.paths.tracks_arrival ? buffer.arrived_s.front() : now, rank, 0);
      } else if (!buffer.paths.filled_by_vehicles) {
        // A buffer of capacity 0 hands a waiting part straight through, if its card allows.
        FifoQueue<Holder>& waiting = line.flow.waiting(input.element);
        while (!waiting.empty() && !line.flow.holder_is_current(line, waiting.front()))
          waiting.pop_front();
        if (!waiting.empty() && line.limits.has_card(buffer.gate))
          consider(From::kBufferHolder, &input, waiting.front().since_s, rank, 0);
      }
    } else if (input.type == ElementType::kSource && line.sources.at(input.index).supplies_now()) {
      consider(From::kSupply, &input, now, rank, 0);
    }
  }
  // Holders refused by this station itself: the earliest, or the one of the best-ranked input.
  FifoQueue<Holder>& own = line.flow.waiting(station.element);
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (!line.flow.holder_is_current(line, own.at(i))) {
      own.erase(i--);
      continue;
    }
    std::size_t rank = 0;
    while (rank < station.inputs.size() && station.inputs[rank].element != own.at(i).element)
      ++rank;
    consider(From::kOwnList, nullptr, own.at(i).since_s, rank, i);
    if (!priority) break;  // the list is in first-come order already
  }

  const std::uint32_t k = first_idle_server(station);
  switch (from) {
    case From::kNone:
      return false;
    case From::kBuffer: {
      BufferRun& buffer = line.buffers.at(chosen->index);
      part = line.buffers.take_head(now, buffer);
      line.limits.leave(line, line.flow.node(buffer.element), part);
      line.limits.take_card(now, station.gate, part);
      load_server(station, k, part);
      begin_tasks(line, station, k);
      line.buffers.admit_waiting(line, buffer);
      return true;
    }
    case From::kBufferHolder: {
      Holder holder;
      line.flow.pop_holder(line, line.flow.waiting(chosen->element), holder);
      part = line.flow.take_from(line, holder);
      line.limits.take_card(now, line.flow.node(chosen->element).gate, part);
      line.limits.leave(line, line.flow.node(chosen->element), part);
      line.limits.take_card(now, station.gate, part);
      load_server(station, k, part);
      begin_tasks(line, station, k);
      line.flow.release(line, holder);
      return true;
    }
    case From::kSupply: {
      part = line.sources.draw_supply(line, line.sources.at(chosen->index));
      line.limits.take_card(now, station.gate, part);
      load_server(station, k, part);
      begin_tasks(line, station, k);
      return true;
    }
    case From::kOwnList: {
      const Holder holder = own.erase(own_index);
      part = line.flow.take_from(line, holder);
      line.limits.take_card(now, station.gate, part);
      load_server(station, k, part);
      begin_tasks(line, station, k);
      line.flow.release(line, holder);
      return true;
    }
  }
  return false;
}

// A batch: from the first input (by merge order) that has at least the minimum batch waiting,
// up to the maximum batch; the server starts on it at once.
bool StationFlow::pull_batch(Line& line, StationRun& station, std::uint32_t k) {
  const StationSpec& spec = *station.spec;
  ServerRun& server = servers_[station.first_server + k];
  ServerLoad& load = loads_[station.first_server + k];
  const double now = line.kernel.now();
  for (const Link& input : station.inputs) {
    if (input.type != ElementType::kBuffer) continue;
    BufferRun& buffer = line.buffers.at(input.index);
    if (buffer.queue.size() < spec.batch_min) continue;
    std::size_t take = std::min<std::size_t>(buffer.queue.size(), spec.batch_max);
    if (station.gate != kNoGate)
      take = std::min<std::size_t>(take, line.limits.cards_free(station.gate));
    if (take < spec.batch_min) return false;
    load.batch.clear();
    for (std::size_t i = 0; i < take; ++i) {
      Part part = line.buffers.take_head(now, buffer);
      line.limits.leave(line, line.flow.node(buffer.element), part);
      line.limits.take_card(now, station.gate, part);
      if (i == 0) {
        server.part = part;
      } else {
        load.batch.push_back(part);
      }
    }
    begin_tasks(line, station, k);  // the server is busy before the buffer lets more parts in
    line.buffers.admit_waiting(line, buffer);
    return true;
  }
  return false;
}

// An assembly starts when the main part and every component are there, all taken at once. The
// components are consumed: the assembled part is the main part, carrying its product and order.
bool StationFlow::try_assemble(Line& line, StationRun& station, std::uint32_t k) {
  const AssemblySpec& bom = *station.spec->assembly;
  auto buffer_at = [&](ElementIndex element) -> BufferRun& {
    return line.buffers.at(line.flow.node(element).type_index);
  };
  bool ready = line.limits.has_card(station.gate) && !buffer_at(bom.main_from).queue.empty();
  for (const BomLine& bom_line : bom.components)
    ready = ready && buffer_at(bom_line.from).queue.size() >= bom_line.quantity;
  if (!ready) {
    update_starvation(line, station);
    return false;
  }
  const double now = line.kernel.now();
  BufferRun& main = buffer_at(bom.main_from);
  Part part = line.buffers.take_head(now, main);
  line.limits.leave(line, line.flow.node(main.element), part);
  line.limits.take_card(now, station.gate, part);
  for (const BomLine& bom_line : bom.components) {
    BufferRun& buffer = buffer_at(bom_line.from);
    for (std::uint32_t q = 0; q < bom_line.quantity; ++q) {
      Part component = line.buffers.take_head(now, buffer);
      line.statistics.consume(now);
      line.limits.drop_cards(line, component);
    }
  }
  load_server(station, k, part);
  begin_tasks(line, station, k);
  line.buffers.admit_waiting(line, main);
  for (const BomLine& bom_line : bom.components)
    line.buffers.admit_waiting(line, buffer_at(bom_line.from));
  update_starvation(line, station);
  return true;
}

// Starvation of an assembly station, attributed to each input that is short while a server is
// idle and the station could otherwise work.
void StationFlow::update_starvation(const Line& line, StationRun& station) {
  const AssemblySpec& bom = *station.spec->assembly;
  const bool idle = !station.stopped() && station.in(ServerState::kIdle) > 0;
  const double now = line.kernel.now();
  for (std::size_t input = 0; input < station.short_of.size(); ++input) {
    const ElementIndex from = input == 0 ? bom.main_from : bom.components[input - 1].from;
    const std::uint32_t needed = input == 0 ? 1 : bom.components[input - 1].quantity;
    const std::uint8_t short_now =
        idle && line.buffers.at(line.flow.node(from).type_index).queue.size() < needed ? 1 : 0;
    if (short_now != station.short_of[input]) {
      station.starved_by[input].add(now, short_now ? 1.0 : -1.0);
      station.short_of[input] = short_now;
    }
  }
}

}  // namespace linetwin::line_run
