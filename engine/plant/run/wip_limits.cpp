#include "plant/run/wip_limits.hpp"

#include "core/state_stream.hpp"
#include "plant/run/line.hpp"

namespace linetwin::line_run {

void WipLimits::build(const Scene& scene, std::vector<Node>& nodes) {
  for (std::size_t k = 0; k < scene.wip_limits().size(); ++k) {
    const WipLimitSpec& limit = scene.wip_limits()[k];
    nodes[limit.from].gate = static_cast<std::uint8_t>(k);
    nodes[limit.to].exits = static_cast<std::uint16_t>(nodes[limit.to].exits | (1u << k));
    limits_.push_back(LimitRun{.from = limit.from, .cards_free = limit.cards, .in_use = {}});
  }
}

void WipLimits::drop_cards(Line& line, Part& part) {
  const double now = line.kernel.now();
  for (std::uint32_t k = 0; part.cards != 0; ++k) {
    if (!(part.cards & (1u << k))) continue;
    part.cards = static_cast<std::uint16_t>(part.cards & ~(1u << k));
    LimitRun& limit = limits_[k];
    ++limit.cards_free;
    limit.in_use.add(now, -1.0);
    line.kernel.schedule_at(now, event(RunEvent::kCardFreed, k));
  }
}

void WipLimits::return_cards(Line& line, const Node& node, Part& part) {
  Part returning = part;
  returning.cards = static_cast<std::uint16_t>(part.cards & node.exits);
  part.cards = static_cast<std::uint16_t>(part.cards & ~node.exits);
  drop_cards(line, returning);
}

void WipLimits::on_card_freed(Line& line, std::uint32_t limit) {
  line.flow.admit(line, limits_[limit].from);
}

void WipLimits::reset(double now) {
  for (LimitRun& limit : limits_)
    limit.in_use.reset(now);
}

void WipLimits::write(double now, ReplicationResult& r) const {
  for (const LimitRun& limit : limits_)
    r.wip_limits.push_back(WipLimitResult{limit.in_use.mean(now)});
}

void WipLimits::transfer_state(StateStream& io, const Scene& scene) {
  io.tag("WIPL");
  for (std::size_t k = 0; k < limits_.size(); ++k) {
    const StateStream::Section section(io, "wip_limits", scene.wip_limits()[k].name);
    LimitRun& limit = limits_[k];
    io.value(limit.cards_free);
    if (io.reading() && limit.cards_free > scene.wip_limits()[k].cards)
      io.fail_value("cards_free", "at most the limit's cards", limit.cards_free);
    limit.in_use.transfer_state(io);
  }
}

}  // namespace linetwin::line_run
