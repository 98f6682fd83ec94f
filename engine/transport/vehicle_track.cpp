#include "transport/vehicle_track.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace linetwin {

namespace {

double edge_heading(const PathNetwork& network, const RouteStep& step) {
  const PathNode& from = network.nodes()[step.from];
  const PathNode& to = network.nodes()[step.to];
  return std::atan2(to.y_m - from.y_m, to.x_m - from.x_m);
}

}  // namespace

void VehicleTrack::stand(double t_s, PathNodeIndex node, const PathNetwork& network) {
  network_ = &network;
  double heading = 0.0;
  if (!entries_.empty()) {
    const Entry& last = entries_.back();
    if (t_s < last.start_s) throw std::invalid_argument("VehicleTrack::stand: time goes back");
    if (last.kind == Kind::kDriving) {
      const TrackDrive& drive = drives_[last.index];
      if (drive.route.steps.back().to != node ||
          t_s < drive.start_s + drive.profile.total_time_s()) {
        throw std::invalid_argument("VehicleTrack::stand: before the drive ends at that node");
      }
      heading = edge_heading(network, drive.route.steps.back());
    } else if (last.kind == Kind::kStanding) {
      heading = last.heading_rad;
    }
  }
  entries_.push_back(
      {.start_s = t_s, .kind = Kind::kStanding, .index = node, .heading_rad = heading});
}

void VehicleTrack::drive(double t_s, PathRoute route, MotionProfile profile,
                         const PathNetwork& network) {
  network_ = &network;
  if (route.steps.empty()) throw std::invalid_argument("VehicleTrack::drive: a route of no step");
  const Entry* last = entries_.empty() ? nullptr : &entries_.back();
  const bool stands_there =
      last != nullptr && t_s >= last->start_s &&
      ((last->kind == Kind::kStanding && last->index == route.steps.front().from) ||
       (last->kind == Kind::kDriving &&
        drives_[last->index].route.steps.back().to == route.steps.front().from &&
        t_s >= drives_[last->index].start_s + drives_[last->index].profile.total_time_s()));
  if (!stands_there) {
    throw std::invalid_argument("VehicleTrack::drive: the vehicle does not stand at the start");
  }
  std::vector<double> step_end_m;
  double covered = 0.0;
  for (const RouteStep& step : route.steps) {
    covered += network.edges()[step.edge].length_m;
    step_end_m.push_back(covered);
  }
  entries_.push_back({.start_s = t_s,
                      .kind = Kind::kDriving,
                      .index = static_cast<std::uint32_t>(drives_.size())});
  drives_.push_back({.start_s = t_s,
                     .route = std::move(route),
                     .profile = std::move(profile),
                     .step_end_m = std::move(step_end_m)});
}

void VehicleTrack::park(double t_s) {
  if (!entries_.empty() && t_s < entries_.back().start_s) {
    throw std::invalid_argument("VehicleTrack::park: time goes back");
  }
  entries_.push_back({.start_s = t_s, .kind = Kind::kParked});
}

const VehicleTrack::Entry* VehicleTrack::entry_at(double t_s) const {
  // The last entry that starts at or before t_s; of entries at one instant, the last one made.
  const auto next = std::upper_bound(entries_.begin(), entries_.end(), t_s,
                                     [](double t, const Entry& e) { return t < e.start_s; });
  return next == entries_.begin() ? nullptr : &*(next - 1);
}

FloorPose VehicleTrack::pose_on_drive(const TrackDrive& drive, double t_s) const {
  const double position = drive.profile.state_at(t_s - drive.start_s).position_m;
  const auto end = std::lower_bound(drive.step_end_m.begin(), drive.step_end_m.end(), position);
  const std::size_t i = end == drive.step_end_m.end()
                            ? drive.step_end_m.size() - 1
                            : static_cast<std::size_t>(end - drive.step_end_m.begin());
  const RouteStep& step = drive.route.steps[i];
  const double length = network_->edges()[step.edge].length_m;
  const double begin_m = i == 0 ? 0.0 : drive.step_end_m[i - 1];
  const double fraction = std::clamp((position - begin_m) / length, 0.0, 1.0);
  const PathNode& from = network_->nodes()[step.from];
  const PathNode& to = network_->nodes()[step.to];
  return {.x_m = from.x_m + fraction * (to.x_m - from.x_m),
          .y_m = from.y_m + fraction * (to.y_m - from.y_m),
          .heading_rad = edge_heading(*network_, step)};
}

std::optional<FloorPose> VehicleTrack::pose_at(double t_s) const {
  const Entry* entry = entry_at(t_s);
  if (entry == nullptr || entry->kind == Kind::kParked) return std::nullopt;
  if (entry->kind == Kind::kDriving) return pose_on_drive(drives_[entry->index], t_s);
  const PathNode& node = network_->nodes()[entry->index];
  return FloorPose{.x_m = node.x_m, .y_m = node.y_m, .heading_rad = entry->heading_rad};
}

bool VehicleTrack::moving_at(double t_s) const {
  const Entry* entry = entry_at(t_s);
  if (entry == nullptr || entry->kind != Kind::kDriving) return false;
  const TrackDrive& drive = drives_[entry->index];
  return t_s < drive.start_s + drive.profile.total_time_s();
}

void VehicleTrack::carry(double t_s, bool loaded) {
  if (loaded != (load_changes_.size() % 2 == 0))
    throw std::invalid_argument("VehicleTrack::carry: loaded twice or unloaded empty");
  if (!load_changes_.empty() && t_s < load_changes_.back())
    throw std::invalid_argument("VehicleTrack::carry: time goes back");
  load_changes_.push_back(t_s);
}

bool VehicleTrack::loaded_at(double t_s) const {
  const auto changes = std::upper_bound(load_changes_.begin(), load_changes_.end(), t_s);
  return (changes - load_changes_.begin()) % 2 == 1;
}

}  // namespace linetwin
