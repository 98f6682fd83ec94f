// ReplaySource: a recorded telemetry log (CSV or HDF5, of a real line or of a simulation: the
// recording format is the same, docs/recording-format.md) fed into the scene's twins at a speed,
// with a timeline to scrub. The samples are put in time order as `linetwin replay` does; time 0
// is the first sample.
//
// Going forward applies the samples in between; going back rebuilds the twins from the start and
// applies the samples up to the new time, since a twin's integrals cannot be undone: one pass
// over the log per backward seek, traded for keeping no snapshots of the twins.
//
// An HDF5 recording with /trajectories also says where the vehicles were: a vehicle of the scene
// takes the poses of the recorded body with its id, and its pose at a time is that body's last
// row at or before it (docs/recording-format.md), found by a binary search in that body's rows,
// which are sorted apart once when the source is made. A body the scene does not have is left
// out; a vehicle the recording does not have stays parked. The places of a physics conveyor's
// parts (recording/belt_parts.hpp: "C1 part 1", ...) give the parts on that belt: each place whose
// last row is not parked holds a part, whose front along the belt follows from its pose.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plant/scene.hpp"
#include "recording/telemetry_recording.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/telemetry_sample.hpp"
#include "twin_view.hpp"
#include "view_source.hpp"

namespace linetwin::viewer {

class ReplaySource final : public ViewSource {
 public:
  static constexpr double kMinSpeed = 0.1;
  static constexpr double kMaxSpeed = 10000.0;

  // The scene must outlive the source. Starts paused at time 0 (the first sample applied).
  // `bodies` and `poses` are a recording's (Recording::metadata.bodies, Recording::trajectories):
  // the vehicles' poses, stamped as the samples are.
  ReplaySource(const Scene& scene, TelemetryLog log, const std::vector<RecordedBody>& bodies = {},
               const std::vector<BodyPose>& poses = {});
  ReplaySource(const ReplaySource&) = delete;
  ReplaySource& operator=(const ReplaySource&) = delete;
  ~ReplaySource() override;

  std::string_view kind() const override { return "replay"; }
  void advance(double wall_s) override;
  double time_s() const override { return time_s_; }
  void update(LineView& view) const override;
  std::optional<ReplicationResult> kpis() const override;
  void take_reports(std::vector<StationReport>& out) override;

  void play() { playing_ = true; }
  void pause() { playing_ = false; }
  bool playing() const { return playing_; }
  void set_speed(double speed);  // clamped to [kMinSpeed, kMaxSpeed]
  double speed() const { return speed_; }
  // Moves the replay to `t_s` seconds after the first sample, clamped to [0, duration_s()].
  void seek(double t_s);
  double duration_s() const;
  // UTC microseconds of time 0 (the first sample), for showing the timeline as dates.
  std::int64_t start_us() const;
  std::size_t samples_applied() const { return next_; }
  std::size_t sample_count() const { return log_.samples.size(); }
  const LineTwins& twins() const { return *twins_; }

 private:
  void rebuild();
  // The timestamp of replay time `t_s`: whole microseconds after start_us(), as a recording
  // stamps its instants (timestamp_at_us, core/timestamp.hpp).
  std::int64_t timestamp_us(double t_s) const;
  const Scene& scene_;
  TelemetryLog log_;
  std::unique_ptr<LineTwins> twins_;
  std::unique_ptr<LogBinding> binding_;
  TwinReporter reporter_;
  std::size_t next_ = 0;  // the first sample not yet applied
  double time_s_ = 0.0;
  bool playing_ = false;
  double speed_ = 1.0;
  // Per vehicle of the scene (vehicle_bodies order), its recorded rows in time order.
  std::vector<std::vector<BodyPose>> vehicle_rows_;
  // Per vehicle, the recorded rows of its load's body (load_body_id), if the recording has one:
  // the load is carried while its last row is not parked.
  std::vector<std::vector<BodyPose>> load_rows_;
  // Each physics conveyor the recording has places of, with their rows, head first.
  struct BeltRows {
    ElementIndex conveyor = kNoElement;
    Pose pose;
    double length_m = 0.0;
    double part_length_m = 0.0;
    std::vector<std::vector<BodyPose>> places;
  };
  std::vector<BeltRows> belt_rows_;
};

}  // namespace linetwin::viewer
