// WIP limits (CONWIP, kanban) as cards: a part takes one to enter the limit's first element and
// gives it back when it leaves the last one (or is scrapped or assembled into another). Cards
// freed during a hand-over are handed out by an event at the same instant, which keeps cascades
// from re-entering the element that is handing over.
#pragma once

#include <cstdint>
#include <vector>

#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

class WipLimits {
 public:
  // Marks where each limit starts and ends on the run's nodes.
  void build(const Scene& scene, std::vector<Node>& nodes);

  // Whether an element that starts limit `gate` (or none) can let a part in now.
  bool has_card(std::uint8_t gate) const { return gate == kNoGate || limits_[gate].cards_free > 0; }
  // A part accepted by an element that starts a limit takes one of its cards; false when none is
  // free. A part that already holds it (reworked back into the segment) keeps it.
  bool take_card(double now, std::uint8_t gate, Part& part) {
    if (gate == kNoGate || (part.cards & (1u << gate))) return true;
    LimitRun& limit = limits_[gate];
    if (limit.cards_free == 0) return false;
    --limit.cards_free;
    limit.in_use.add(now, 1.0);
    part.cards = static_cast<std::uint16_t>(part.cards | (1u << gate));
    return true;
  }
  // Gives back every card the part holds.
  void drop_cards(Line& line, Part& part);
  // The part leaves `element` for good: the cards of the limits that end there come back.
  void leave(Line& line, const Node& node, Part& part) {
    if ((part.cards & node.exits) != 0) [[unlikely]]
      return_cards(line, node, part);
  }
  void on_card_freed(Line& line, std::uint32_t limit);

  std::uint32_t cards_free(std::uint8_t gate) const { return limits_[gate].cards_free; }
  ElementIndex first_element(std::uint8_t gate) const { return limits_[gate].from; }
  std::size_t size() const { return limits_.size(); }
  void reset(double now);
  void write(double now, ReplicationResult& r) const;
  void transfer_state(StateStream& io, const Scene& scene);  // run_state.hpp

 private:
  struct LimitRun {
    ElementIndex from;
    std::uint32_t cards_free;
    TimeAverage in_use;
  };
  void return_cards(Line& line, const Node& node, Part& part);
  std::vector<LimitRun> limits_;
};

}  // namespace linetwin::line_run
