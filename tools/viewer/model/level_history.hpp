// LevelHistory: the parts in each buffer and on each conveyor over time, for the level charts, in
// bounded memory as KpiHistory keeps the KPIs: one sample of every level per sampling interval of
// the view's time, and when the samples reach their limit every other one is dropped and the
// interval doubles, so a run of any length keeps an even spacing over its whole span in at most
// `max_samples` times (8 bytes) and levels (4 bytes per buffer or conveyor) each: 4 MB for a line
// of 1,000 buffers and conveyors at the default 1,024 samples.
//
// The levels are read from the LineView the viewer draws, so a sample is the level at its
// instant, exactly as the view showed it; changes between two samples are not kept. Telemetry
// does not say where the parts are (docs/viewer.md): a replayed or live line has no levels, and
// its charts say so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "line_view.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

class LevelHistory {
 public:
  // `max_samples` >= 2; the first interval is `interval_s` of the view's time.
  explicit LevelHistory(const Scene& scene, std::size_t max_samples = 1024,
                        double interval_s = 1.0);

  // Samples every level of `view` when its time is at least one interval after the last sample
  // (the first call always samples). A time earlier than the last sample starts afresh.
  void record(const LineView& view);
  void clear();

  // The buffers and conveyors, in scene order: the elements whose levels are kept.
  const std::vector<ElementIndex>& elements() const { return elements_; }
  // The position of `element` in elements(), or nullopt for an element of another kind.
  std::optional<std::size_t> position_of(ElementIndex element) const;
  const std::vector<double>& times_s() const { return times_s_; }
  // The levels of elements()[k], one per time.
  const std::vector<std::uint32_t>& levels(std::size_t k) const { return levels_[k]; }
  double interval_s() const { return interval_s_; }

 private:
  std::size_t max_samples_;
  double first_interval_s_;
  double interval_s_;
  std::vector<ElementIndex> elements_;
  std::vector<double> times_s_;
  std::vector<std::vector<std::uint32_t>> levels_;
};

}  // namespace linetwin::viewer
