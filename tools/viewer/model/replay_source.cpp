#include "replay_source.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "recording/trajectory_sampler.hpp"

namespace linetwin::viewer {

ReplaySource::ReplaySource(const Scene& scene, TelemetryLog log,
                           const std::vector<RecordedBody>& bodies,
                           const std::vector<BodyPose>& poses)
    : scene_(scene), log_(std::move(log)), reporter_(scene) {
  std::unordered_map<std::string, std::size_t> vehicle_of_id;
  for (const RecordedBody& vehicle : vehicle_bodies(scene))
    vehicle_of_id.emplace(vehicle.id, vehicle_of_id.size());
  vehicle_rows_.resize(vehicle_of_id.size());
  if (!poses.empty()) {
    std::vector<std::optional<std::size_t>> vehicle_of_body;
    for (const RecordedBody& body : bodies) {
      const auto found = vehicle_of_id.find(body.id);
      vehicle_of_body.push_back(
          found == vehicle_of_id.end() ? std::nullopt : std::optional<std::size_t>(found->second));
    }
    // The reader has checked that rows are in time order and name a body it listed.
    for (const BodyPose& pose : poses) {
      if (pose.body < vehicle_of_body.size() && vehicle_of_body[pose.body])
        vehicle_rows_[*vehicle_of_body[pose.body]].push_back(pose);
    }
  }
  // A recorded file is put in time order as a whole; ties keep the order of the file.
  std::stable_sort(log_.samples.begin(), log_.samples.end(),
                   [](const TelemetrySample& a, const TelemetrySample& b) {
                     return a.timestamp_us < b.timestamp_us;
                   });
  rebuild();
  seek(0.0);
}

ReplaySource::~ReplaySource() = default;

void ReplaySource::rebuild() {
  binding_.reset();  // it refers to the twins it replaces
  twins_ = std::make_unique<LineTwins>(scene_);
  binding_ = std::make_unique<LogBinding>(log_.names, *twins_);
  next_ = 0;
  reporter_.reset();
}

std::int64_t ReplaySource::start_us() const {
  return log_.samples.empty() ? 0 : log_.samples.front().timestamp_us;
}

double ReplaySource::duration_s() const {
  if (log_.samples.empty()) return 0.0;
  return static_cast<double>(log_.samples.back().timestamp_us - start_us()) * 1e-6;
}

void ReplaySource::seek(double t_s) {
  t_s = std::clamp(t_s, 0.0, duration_s());
  if (t_s < time_s_) rebuild();
  time_s_ = t_s;
  if (log_.samples.empty()) return;
  // Whole microseconds, as the samples are stamped; time 0 applies the first instant's samples.
  const std::int64_t until_us = start_us() + std::llround(t_s * 1e6);
  TelemetrySample translated;
  for (; next_ < log_.samples.size() && log_.samples[next_].timestamp_us <= until_us; ++next_) {
    // As LogBinding::apply, noting each change of a station for the event log.
    if (binding_->translate(log_.samples[next_], translated)) {
      twins_->apply(translated);
      reporter_.note(*twins_, translated.machine);
    } else {
      twins_->note_unknown_machine();
    }
  }
  twins_->advance_to(until_us);
}

void ReplaySource::advance(double wall_s) {
  if (!playing_ || wall_s <= 0.0) return;
  seek(time_s_ + wall_s * speed_);
  if (time_s_ >= duration_s()) playing_ = false;  // the end of the recording
}

void ReplaySource::set_speed(double speed) {
  speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
}

void ReplaySource::update(LineView& view) const {
  show_twins(*twins_, view);
  const std::int64_t now_us = start_us() + std::llround(time_s_ * 1e6);
  for (std::size_t v = 0; v < view.vehicles.size() && v < vehicle_rows_.size(); ++v) {
    const std::vector<BodyPose>& rows = vehicle_rows_[v];
    // The last row at or before now; none yet: parked, as every vehicle starts.
    const auto after = std::upper_bound(
        rows.begin(), rows.end(), now_us,
        [](std::int64_t t_us, const BodyPose& row) { return t_us < row.timestamp_us; });
    VehicleView& vehicle = view.vehicles[v];
    if (after == rows.begin()) {
      vehicle.state = BodyState::kParked;
      continue;
    }
    const BodyPose& row = *std::prev(after);
    vehicle.state = row.state;
    vehicle.pose = {.x_m = row.x_m, .y_m = row.y_m, .heading_rad = row.heading_rad};
  }
}

std::optional<ReplicationResult> ReplaySource::kpis() const {
  return twin_line_kpis(*twins_);
}

void ReplaySource::take_reports(std::vector<StationReport>& out) {
  reporter_.take(out);
}

}  // namespace linetwin::viewer
