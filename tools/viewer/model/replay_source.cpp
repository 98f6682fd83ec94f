#include "replay_source.hpp"

#include <algorithm>
#include <cmath>

namespace linetwin::viewer {

ReplaySource::ReplaySource(const Scene& scene, TelemetryLog log)
    : scene_(scene), log_(std::move(log)), reporter_(scene) {
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
}

std::optional<ReplicationResult> ReplaySource::kpis() const {
  return twin_line_kpis(*twins_);
}

void ReplaySource::take_reports(std::vector<StationReport>& out) {
  reporter_.take(out);
}

}  // namespace linetwin::viewer
