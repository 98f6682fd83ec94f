#include "telemetry/drift_report.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"
#include "io/json_values.hpp"

namespace linetwin {
namespace {

using json_values::number;

using nlohmann::ordered_json;

void put_band(ordered_json& j, const KpiBand& band) {
  j["low"] = number(band.low);
  j["mean"] = number(band.mean);
  j["high"] = number(band.high);
}

ordered_json alert_json(const DriftAlert& alert) {
  ordered_json j;
  j["window_start"] = format_timestamp_iso(alert.window_start_us);
  j["window_end"] = format_timestamp_iso(alert.window_end_us);
  j["station"] = alert.station;
  j["kpi"] = std::string(to_string(alert.kpi));
  j["observed"] = number(alert.observed);
  put_band(j, alert.band);
  return j;
}

ordered_json station_json(const StationPrediction& predicted, const std::vector<DriftCheck>& last,
                          const std::vector<DriftAlert>& alerts) {
  ordered_json j;
  j["station"] = predicted.station;
  j["shares_judged"] = predicted.shares_judged;
  j["window_start"] = last.empty()
                          ? ordered_json(nullptr)
                          : ordered_json(format_timestamp_iso(last.front().window_start_us));
  j["window_end"] = last.empty() ? ordered_json(nullptr)
                                 : ordered_json(format_timestamp_iso(last.front().window_end_us));
  std::uint64_t alerted = 0;
  for (const DriftAlert& alert : alerts)
    alerted += alert.element == predicted.element ? 1 : 0;
  j["alerts"] = alerted;
  // Every KPI judged for the station, with its band; observed and outside are null for a KPI
  // that the last window did not judge (no part counter, or no window judged yet).
  ordered_json kpis = ordered_json::object();
  for (int k = 0; k < kDriftKpiCount; ++k) {
    const auto kpi = static_cast<DriftKpi>(k);
    if (!predicted.shares_judged && kpi != DriftKpi::kGoodPartsPerHour) continue;
    ordered_json entry;
    entry["observed"] = nullptr;
    entry["outside"] = nullptr;
    put_band(entry, predicted.bands[static_cast<std::size_t>(k)]);
    for (const DriftCheck& check : last) {
      if (check.kpi != kpi) continue;
      entry["observed"] = number(check.observed);
      entry["outside"] = check.outside;
    }
    kpis[std::string(to_string(kpi))] = entry;
  }
  j["kpis"] = kpis;
  return j;
}

}  // namespace

std::string drift_alert_line(const DriftAlert& alert) {
  return fmt::format(
      "{} {} {:.4g} outside the model's band [{:.4g}, {:.4g}] (mean {:.4g}) in the window {} to "
      "{}",
      alert.station, to_string(alert.kpi), alert.observed, alert.band.low, alert.band.high,
      alert.band.mean, format_timestamp_iso(alert.window_start_us),
      format_timestamp_iso(alert.window_end_us));
}

std::string add_drift_json(const std::string& report_json, const DriftWatch& watch) {
  ordered_json report = ordered_json::parse(report_json);
  const ModelPrediction& prediction = watch.prediction();
  ordered_json drift;
  drift["window_s"] = prediction.window_s;
  drift["check_every_s"] = watch.check_every_s();
  drift["coverage"] = watch.settings().coverage;
  drift["band_coverage"] = prediction.coverage;
  drift["replications"] = prediction.replications;
  drift["max_unknown_share"] = watch.settings().max_unknown_share;
  drift["checks"] = watch.checks_run();
  drift["silent_windows"] = watch.silent_windows();
  drift["samples_out_of_order"] = watch.samples_out_of_order();
  ordered_json alerts = ordered_json::array();
  for (const DriftAlert& alert : watch.alerts())
    alerts.push_back(alert_json(alert));
  drift["alerts"] = alerts;
  ordered_json stations = ordered_json::array();
  for (std::size_t s = 0; s < prediction.stations.size(); ++s)
    stations.push_back(
        station_json(prediction.stations[s], watch.last_checks()[s], watch.alerts()));
  drift["stations"] = stations;
  report["drift"] = drift;
  return report.dump(2) + '\n';
}

}  // namespace linetwin
