#include "level_history.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace linetwin::viewer {
namespace {

// Keeps the entries at even positions (the first one among them).
template <typename T>
void keep_every_other(std::vector<T>& values) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < values.size(); i += 2)
    values[kept++] = values[i];
  values.resize(kept);
}

}  // namespace

LevelHistory::LevelHistory(const Scene& scene, std::size_t max_samples, double interval_s)
    : max_samples_(max_samples), first_interval_s_(interval_s), interval_s_(interval_s) {
  assert(max_samples >= 2 && interval_s > 0.0);
  for (std::size_t i = 0; i < scene.elements().size(); ++i) {
    const ElementType type = scene.elements()[i].type;
    if (type == ElementType::kBuffer || type == ElementType::kConveyor)
      elements_.push_back(static_cast<ElementIndex>(i));
  }
  levels_.resize(elements_.size());
}

void LevelHistory::clear() {
  times_s_.clear();
  for (std::vector<std::uint32_t>& levels : levels_)
    levels.clear();
  interval_s_ = first_interval_s_;
}

std::optional<std::size_t> LevelHistory::position_of(ElementIndex element) const {
  const auto it = std::lower_bound(elements_.begin(), elements_.end(), element);
  if (it == elements_.end() || *it != element) return std::nullopt;
  return static_cast<std::size_t>(it - elements_.begin());
}

void LevelHistory::record(const LineView& view) {
  const double t = view.time_s;
  if (!times_s_.empty() && t < times_s_.back()) clear();
  if (!times_s_.empty() && t < times_s_.back() + interval_s_) return;
  if (times_s_.size() == max_samples_) {
    keep_every_other(times_s_);
    for (std::vector<std::uint32_t>& levels : levels_)
      keep_every_other(levels);
    interval_s_ *= 2.0;
    if (t < times_s_.back() + interval_s_) return;
  }
  times_s_.push_back(t);
  for (std::size_t k = 0; k < elements_.size(); ++k) {
    const std::uint64_t parts = view.elements[elements_[k]].parts;
    levels_[k].push_back(static_cast<std::uint32_t>(
        std::min<std::uint64_t>(parts, std::numeric_limits<std::uint32_t>::max())));
  }
}

}  // namespace linetwin::viewer
