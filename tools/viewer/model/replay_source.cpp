#include "replay_source.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/timestamp.hpp"
#include "recording/belt_parts.hpp"
#include "recording/trajectory_sampler.hpp"

namespace linetwin::viewer {

ReplaySource::ReplaySource(const Scene& scene, TelemetryLog log,
                           const std::vector<RecordedBody>& bodies,
                           const std::vector<BodyPose>& poses)
    : scene_(scene), log_(std::move(log)), reporter_(scene) {
  // Each recorded body is a vehicle of the scene, a vehicle's load, a place on a physics belt, or
  // none of them (ignored).
  enum class Kind : std::uint8_t { kVehicle, kLoad, kBeltPlace };
  struct Owner {
    std::size_t index = 0;  // the vehicle, or the belt in belt_rows_
    Kind kind = Kind::kVehicle;
    std::uint32_t place = 0;
  };
  std::unordered_map<std::string, Owner> owner_of_id;
  const std::vector<RecordedBody> vehicles = vehicle_bodies(scene);
  for (std::size_t v = 0; v < vehicles.size(); ++v) {
    owner_of_id.emplace(vehicles[v].id, Owner{v, Kind::kVehicle});
    owner_of_id.emplace(load_body_id(vehicles[v].id), Owner{v, Kind::kLoad});
  }
  vehicle_rows_.resize(vehicles.size());
  load_rows_.resize(vehicles.size());
  std::unordered_set<std::string> recorded;
  for (const RecordedBody& body : bodies)
    recorded.insert(body.id);
  for (const std::size_t c : scene.physics_conveyors()) {
    const ElementIndex conveyor = scene.conveyors()[c];
    const Element& e = scene.element(conveyor);
    const ConveyorSpec& spec = scene.conveyor_spec(e);
    BeltRows belt{conveyor, e.pose, spec.length_m, belt_part_size(spec)[0], {}};
    // The places a recording of this scene has; one of another scene may have fewer or more.
    for (std::uint32_t place = 0;; ++place) {
      std::string id = belt_part_body_id(e.id, place);
      if (!recorded.contains(id)) break;
      owner_of_id.emplace(std::move(id), Owner{belt_rows_.size(), Kind::kBeltPlace, place});
      belt.places.emplace_back();
    }
    if (!belt.places.empty()) belt_rows_.push_back(std::move(belt));
  }
  if (!poses.empty()) {
    std::vector<std::optional<Owner>> owner_of_body;
    for (const RecordedBody& body : bodies) {
      const auto found = owner_of_id.find(body.id);
      owner_of_body.push_back(found == owner_of_id.end() ? std::nullopt
                                                         : std::optional<Owner>(found->second));
    }
    // The reader has checked that rows are in time order and name a body it listed.
    for (const BodyPose& pose : poses) {
      if (pose.body >= owner_of_body.size() || !owner_of_body[pose.body]) continue;
      const Owner& owner = *owner_of_body[pose.body];
      switch (owner.kind) {
        case Kind::kVehicle:
          vehicle_rows_[owner.index].push_back(pose);
          break;
        case Kind::kLoad:
          load_rows_[owner.index].push_back(pose);
          break;
        case Kind::kBeltPlace:
          belt_rows_[owner.index].places[owner.place].push_back(pose);
          break;
      }
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

std::int64_t ReplaySource::timestamp_us(double t_s) const {
  return timestamp_at_us(start_us(), t_s);
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
  const std::int64_t until_us = timestamp_us(t_s);
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
  const std::int64_t now_us = timestamp_us(time_s_);
  // The last row at or before now; none yet: parked, as every vehicle and load starts.
  const auto last_row = [now_us](const std::vector<BodyPose>& rows) -> const BodyPose* {
    const auto after = std::upper_bound(
        rows.begin(), rows.end(), now_us,
        [](std::int64_t t_us, const BodyPose& row) { return t_us < row.timestamp_us; });
    return after == rows.begin() ? nullptr : &*std::prev(after);
  };
  for (std::size_t v = 0; v < view.vehicles.size() && v < vehicle_rows_.size(); ++v) {
    VehicleView& vehicle = view.vehicles[v];
    const BodyPose* row = last_row(vehicle_rows_[v]);
    if (row == nullptr) {
      vehicle.state = BodyState::kParked;
      vehicle.loaded = false;
      continue;
    }
    vehicle.state = row->state;
    vehicle.pose = {.x_m = row->x_m, .y_m = row->y_m, .heading_rad = row->heading_rad};
    const BodyPose* load = last_row(load_rows_[v]);
    vehicle.loaded = load != nullptr && load->state != BodyState::kParked;
  }
  for (const BeltRows& belt : belt_rows_) {
    ElementView& conveyor = view.elements[belt.conveyor];
    conveyor.part_positions_m.clear();
    for (const std::vector<BodyPose>& place : belt.places) {
      const BodyPose* row = last_row(place);
      if (row == nullptr || row->state == BodyState::kParked) continue;
      conveyor.part_positions_m.push_back(
          belt_part_front(belt.pose, belt.length_m, belt.part_length_m, row->x_m, row->y_m));
    }
    conveyor.parts = conveyor.part_positions_m.size();
  }
}

std::optional<ReplicationResult> ReplaySource::kpis() const {
  return twin_line_kpis(*twins_);
}

void ReplaySource::take_reports(std::vector<StationReport>& out) {
  reporter_.take(out);
}

}  // namespace linetwin::viewer
