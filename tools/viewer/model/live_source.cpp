#include "live_source.hpp"

namespace linetwin::viewer {
namespace {

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LiveSource::LiveSource(const Scene& scene, MqttOptions options, std::int64_t reorder_window_us)
    : twins_(scene),
      feed_(twins_, reorder_window_us),
      subscriber_(std::move(options)),
      reporter_(scene),
      reorder_window_us_(reorder_window_us),
      last_message_(std::chrono::steady_clock::now()),
      status_("not connected yet") {
  feed_.observe_applied(
      [this](const TelemetrySample& sample) { reporter_.note(twins_, sample.machine); });
}

LiveSource::~LiveSource() = default;

void LiveSource::ingest(std::string_view topic, std::string_view payload, std::int64_t now_us) {
  last_message_ = std::chrono::steady_clock::now();
  feed_.ingest(topic, payload, now_us);
}

void LiveSource::advance(double /*wall_s: a live feed moves with the plant, not the frame*/) {
  subscriber_.poll(
      std::chrono::milliseconds(0),
      [&](std::string_view topic, std::string_view payload) {
        ingest(topic, payload, wall_now_us());
      },
      [&](const MqttConnectionEvent& event) {
        connected_ = event.kind == MqttConnectionEvent::Kind::kConnected;
        status_ = describe(event, subscriber_.options());
      });
  const auto now = std::chrono::steady_clock::now();
  // A quiet spell longer than the window: nothing older is still on its way.
  if (feed_.held() > 0 && now - last_message_ >= std::chrono::microseconds(reorder_window_us_))
    feed_.flush(wall_now_us());
  if (now >= ages_due_) {
    ages_due_ = now + kSampleAgesEvery;
    ages_ = summarize_ages(feed_.stats().age_s);
  }
}

void LiveSource::update(LineView& view) const {
  show_twins(twins_, view);
}

void LiveSource::take_reports(std::vector<StationReport>& out) {
  reporter_.take(out);
}

}  // namespace linetwin::viewer
