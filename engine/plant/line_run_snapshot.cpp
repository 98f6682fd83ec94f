// LineRun::snapshot and LineRun::from_snapshot: the line at one instant, taken from a run, and a
// run started from it (plant/line_snapshot.hpp; docs/snapshots.md).
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/input_error.hpp"
#include "core/random_stream.hpp"
#include "plant/line_run.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_start.hpp"

namespace linetwin {

namespace {

using line_run::Line;
using line_run::Part;
using line_run::StationRun;

// The product of a part the snapshot places: a snapshot does not say, so it is drawn as the
// line's first source releases them (its product, or its mix); the first product without one.
class SnapshotProducts {
 public:
  SnapshotProducts(const Scene& scene, std::uint64_t seed, std::uint32_t replication)
      : rng_(seed, "", "snapshot products", replication) {
    if (!scene.sources().empty()) {
      const SourceSpec& source = scene.source_spec(scene.element(scene.sources().front()));
      product_ = source.product;
      mix_ = source.mix;
    }
  }
  ProductIndex next() {
    if (mix_.empty()) return product_;
    double u = rng_.uniform01();
    for (std::size_t p = 0; p + 1 < mix_.size(); ++p) {
      if (u < mix_[p]) return static_cast<ProductIndex>(p);
      u -= mix_[p];
    }
    return static_cast<ProductIndex>(mix_.size() - 1);
  }

 private:
  RandomStream rng_;
  ProductIndex product_ = 0;
  std::vector<double> mix_;
};

Part new_part(Line& line, SnapshotProducts& products) {
  Part part;
  line.statistics.enter(line.kernel.now(), part, products.next());
  return part;
}

// The snapshot's entries in the scene's order, by id: an element the snapshot leaves out (a buffer
// a variant inserted) is idle and empty.
struct Placement {
  std::vector<StationSnapshot> stations;
  std::vector<std::uint64_t> levels;
};

// Where a snapshot cannot be started from: checked before anything is placed.
Placement place(const Scene& scene, const LineSnapshot& snapshot, const std::string& file) {
  const auto fail = [&](const std::string& field, const std::string& message) {
    throw InputError({file, 0, 0, field}, message);
  };
  Placement out;
  out.levels.assign(scene.buffers().size(), 0);
  for (ElementIndex index : scene.stations()) {
    StationSnapshot idle;
    idle.id = scene.element(index).id;
    out.stations.push_back(std::move(idle));
  }
  const auto position = [&](const std::vector<ElementIndex>& of_kind, const std::string& id,
                            const std::string& field, const char* kind) {
    const std::optional<ElementIndex> found = scene.find(id);
    if (found) {
      for (std::size_t i = 0; i < of_kind.size(); ++i) {
        if (of_kind[i] == *found) return i;
      }
    }
    fail(field, fmt::format("expected a {} of {}, found {}", kind, scene.source_file(), id));
    return std::size_t{0};
  };
  for (const BufferSnapshot& b : snapshot.buffers) {
    const std::string field = "buffers." + b.id;
    const std::size_t i = position(scene.buffers(), b.id, field, "buffer");
    const BufferSpec& spec = scene.buffer_spec(scene.element(scene.buffers()[i]));
    if (!b.level) {
      fail(field + ".level", fmt::format("expected the level of {} to start from, found none "
                                         "({}): give it",
                                         b.id, b.source));
    }
    if (*b.level > spec.capacity) {
      fail(field + ".level", fmt::format("expected at most the capacity of {} ({}), found {}", b.id,
                                         spec.capacity, *b.level));
    }
    out.levels[i] = *b.level;
  }
  for (const StationSnapshot& s : snapshot.stations) {
    const std::string field = "stations." + s.id;
    const std::size_t i = position(scene.stations(), s.id, field, "station");
    const StationSpec& spec = scene.station_spec(scene.element(scene.stations()[i]));
    if (s.parts.size() > spec.servers) {
      fail(field + ".parts", fmt::format("expected at most one part per server of {} ({}), "
                                         "found {}",
                                         s.id, spec.servers, s.parts.size()));
    }
    if (!s.parts.empty() && (spec.assembly || spec.batch_max > 1 || spec.split_into > 1)) {
      fail(field + ".parts",
           fmt::format("{} assembles, batches or splits parts, which a snapshot does not "
                       "describe: a run can start with it empty only",
                       s.id));
    }
    if (s.down_for_s && !(std::isfinite(*s.down_for_s) && *s.down_for_s >= 0.0))
      fail(field + ".down_for", "expected a duration of 0 or more");
    if (s.activity == StationActivity::kDown && !s.down_for_s && !spec.breakdowns) {
      fail(field, fmt::format("{} is down, and the scene gives it no breakdowns to draw the rest "
                              "of its repair from: give down_for",
                              s.id));
    }
    out.stations[i] = s;
  }
  bool holds_parts = false;
  for (std::uint64_t level : out.levels)
    holds_parts = holds_parts || level > 0;
  for (const StationSnapshot& s : out.stations)
    holds_parts = holds_parts || !s.parts.empty();
  if (!scene.wip_limits().empty() && holds_parts) {
    fail("", fmt::format("{} has WIP limits, and a snapshot does not say which parts hold their "
                         "cards: a run can start from an empty line only",
                         scene.source_file()));
  }
  return out;
}

}  // namespace

LineSnapshot LineRun::snapshot(const std::vector<double>& activity_since_s) const {
  refuse_fleets(*scene_, "a snapshot");
  const Line& line = *line_;
  const double now = line.kernel.now();
  LineSnapshot out;
  out.simulated_time_s = now;
  out.origin = "simulation";
  out.scene = scene_->source_file();
  for (std::size_t i = 0; i < line.stations.size(); ++i) {
    const StationRun& station = line.stations.at(static_cast<std::uint32_t>(i));
    StationSnapshot s;
    s.id = scene_->element(station.element).id;
    s.activity = line_run::StationReports::activity_of(station);
    if (i < activity_since_s.size()) s.in_state_s = now - activity_since_s[i];
    line.stations.held_parts(station, s.parts);
    out.stations.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < line.buffers.size(); ++i) {
    const line_run::BufferRun& buffer = line.buffers.at(static_cast<std::uint32_t>(i));
    out.buffers.push_back(
        BufferSnapshot{scene_->element(buffer.element).id, buffer.queue.size(), "simulation"});
  }
  return out;
}

LineRun LineRun::from_snapshot(const Scene& scene, const LineSnapshot& snapshot,
                               const std::string& display_name, std::uint64_t seed,
                               std::uint32_t replication, RunSettings settings) {
  refuse_fleets(scene, "starting from a snapshot");
  const Placement placement = place(scene, snapshot, display_name);
  LineRun run(scene, seed, replication, settings, BuiltOnly{});
  Line& line = *run.line_;
  line_run::start_clocks(line);
  SnapshotProducts products(scene, seed, replication);
  const double now = line.kernel.now();
  // Buffers first, so that a station holding a finished part finds the room after it taken.
  for (std::size_t i = 0; i < placement.levels.size(); ++i) {
    line_run::BufferRun& buffer = line.buffers.at(static_cast<std::uint32_t>(i));
    for (std::uint64_t p = 0; p < placement.levels[i]; ++p)
      line.buffers.place(now, buffer, new_part(line, products));
  }
  // Parts in process, then finished ones (which may pass into room a part in process left),
  // then stops, which pause the work placed.
  for (std::size_t i = 0; i < placement.stations.size(); ++i) {
    const StationSnapshot& s = placement.stations[i];
    StationRun& station = line.stations.at(static_cast<std::uint32_t>(i));
    RandomStream rng(seed, s.id, "snapshot", replication);
    const bool started =
        s.activity != StationActivity::kSetup && s.activity != StationActivity::kWaitingOperator;
    for (std::uint32_t k = 0; k < s.parts.size(); ++k) {
      if (s.parts[k].finished) continue;
      const Part part = new_part(line, products);
      if (started) {
        const double remaining_s =
            station.processing[part.product]->sample_remaining(s.parts[k].work_done_s, rng);
        line.stations.place_in_process(line, station, k, part, remaining_s);
      } else {
        line.stations.place_unstarted(line, station, k, part);
      }
    }
  }
  for (std::size_t i = 0; i < placement.stations.size(); ++i) {
    const StationSnapshot& s = placement.stations[i];
    StationRun& station = line.stations.at(static_cast<std::uint32_t>(i));
    for (std::uint32_t k = 0; k < s.parts.size(); ++k) {
      if (s.parts[k].finished)
        line.stations.place_finished(line, station, k, new_part(line, products));
    }
  }
  for (std::size_t i = 0; i < placement.stations.size(); ++i) {
    const StationSnapshot& s = placement.stations[i];
    StationRun& station = line.stations.at(static_cast<std::uint32_t>(i));
    if (!s.down_for_s && s.activity != StationActivity::kDown) continue;
    RandomStream rng(seed, s.id, "snapshot repair", replication);
    const double repair_s =
        s.down_for_s ? *s.down_for_s
                     : station.spec->breakdowns->time_to_repair.sample_remaining(s.in_state_s, rng);
    line.stops.place_down(line, station, repair_s);
  }
  // Idle servers take what waits in front of them, as they would have.
  for (StationRun& station : line.stations.all())
    line.stations.refill_all(line, station);
  line_run::start_flow(line);
  return run;
}

}  // namespace linetwin
