#include "telemetry/calibration_report.hpp"

#include <cmath>
#include <cstdint>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/json_values.hpp"

namespace linetwin {

namespace {

using json_values::number;

std::string_view clock_name(FailureClock clock) {
  return clock == FailureClock::kOperatingTime ? "operating_time" : "calendar_time";
}

bool in_seconds(const FittedParameter& p) {
  return p.name != "shape";
}

std::string parameter_text(const FittedParameter& p) {
  const std::string_view unit = in_seconds(p) ? " s" : "";
  if (std::isnan(p.ci_low) || std::isnan(p.ci_high))
    return fmt::format("{} {:.4g}{}", p.name, p.value, unit);
  return fmt::format("{} {:.4g}{} [{:.4g}, {:.4g}]", p.name, p.value, unit, p.ci_low, p.ci_high);
}

void write_quantity(std::ostream& out, const QuantityCalibration& q, bool show_empty) {
  if (q.observations == 0 && q.censored == 0 && q.note.empty() && !show_empty) return;
  out << fmt::format("  {:<16} {} observations, {} censored\n", to_string(q.quantity),
                     q.observations, q.censored);
  if (const DistributionFit* best = q.chosen()) {
    std::string params;
    for (const FittedParameter& p : best->parameters)
      params += "  " + parameter_text(p);
    out << fmt::format("    chosen  {}{}\n", to_string(best->kind), params);
    if (best->kind != DistributionKind::kConstant) {
      const std::string p_value =
          best->ks_resamples > 0
              ? fmt::format("p = {:.3g} ({} resamples)", best->ks_p_value, best->ks_resamples)
              : std::string("p not computed");
      out << fmt::format("    fit     KS D = {:.4f}, {}; AIC {:.1f}; intervals: {}\n",
                         best->ks_statistic, p_value, best->aic, to_string(best->intervals));
    }
    std::string others, unfitted;
    for (const DistributionFit& fit : q.fits->fits) {
      if (&fit == best) continue;
      if (fit.fitted()) {
        others += fmt::format("{}{} {:+.1f}", others.empty() ? "" : ", ", to_string(fit.kind),
                              fit.aic - best->aic);
      } else if (fit.kind != DistributionKind::kConstant) {
        unfitted += fmt::format("{}{}", unfitted.empty() ? "" : ", ", to_string(fit.kind));
      }
    }
    if (!others.empty()) out << "    others  AIC difference: " << others << '\n';
    if (!unfitted.empty()) out << "    not fitted: " << unfitted << '\n';
  }
  if (is_warning(q.use)) {
    out << "    warning: not calibrated, " << q.note << '\n';
    return;
  }
  out << "    " << (q.replaced() ? "written to the scene" : "scene unchanged");
  if (!q.note.empty()) out << " (" << q.note << ')';
  out << '\n';
}

nlohmann::ordered_json fit_json(const DistributionFit& fit) {
  nlohmann::ordered_json j;
  j["distribution"] = to_string(fit.kind);
  if (!fit.fitted()) {
    j["not_fitted"] = *fit.not_fitted;
    return j;
  }
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const FittedParameter& p : fit.parameters) {
    params[std::string(p.name)] = {{"value", p.value},
                                   {"standard_error", number(p.standard_error)},
                                   {"ci_low", number(p.ci_low)},
                                   {"ci_high", number(p.ci_high)}};
  }
  j["parameters"] = params;
  j["interval_method"] = to_string(fit.intervals);
  j["confidence"] = fit.confidence;
  j["free_parameters"] = fit.free_parameters;
  j["log_likelihood"] = number(fit.log_likelihood);
  j["aic"] = number(fit.aic);
  j["ks_statistic"] = number(fit.ks_statistic);
  j["ks_p_value"] = number(fit.ks_p_value);
  j["ks_resamples"] = fit.ks_resamples;
  return j;
}

nlohmann::ordered_json quantity_json(const QuantityCalibration& q) {
  nlohmann::ordered_json j;
  j["observations"] = q.observations;
  j["censored"] = q.censored;
  j["status"] = to_string(q.use);
  j["replaced"] = q.replaced();
  j["note"] = q.note;
  const DistributionFit* best = q.chosen();
  j["chosen"] = best ? fit_json(*best) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json others = nlohmann::ordered_json::array();
  if (q.fits) {
    for (const DistributionFit& fit : q.fits->fits) {
      if (&fit == best) continue;
      nlohmann::ordered_json other = fit_json(fit);
      if (best && fit.fitted()) other["delta_aic"] = number(fit.aic - best->aic);
      others.push_back(std::move(other));
    }
  }
  j["alternatives"] = others;
  return j;
}

}  // namespace

void write_calibration_table(std::ostream& out, const CalibrationReport& report) {
  // Unsigned: a file's timestamps may lie anywhere in the int64 range.
  const double hours = static_cast<double>(static_cast<std::uint64_t>(report.last_timestamp_us) -
                                           static_cast<std::uint64_t>(report.first_timestamp_us)) /
                       3.6e9;
  out << fmt::format(
      "Calibration of {} from {} samples over {:.4g} h ({:g}% intervals; families chosen by "
      "AIC)\n",
      report.scene_file, report.samples, hours, 100.0 * report.settings.fit.confidence);
  if (report.samples_elsewhere > 0)
    out << fmt::format("{} samples of machines that are not stations were not used\n",
                       report.samples_elsewhere);
  for (const StationCalibration& st : report.stations) {
    out << '\n';
    if (st.samples == 0) {
      out << st.station << ": no telemetry; scene unchanged\n";
      continue;
    }
    out << fmt::format(
        "{}  ({} samples, {} failures; time to failure counted on {}", st.station, st.samples,
        st.failures,
        st.failure_clock == FailureClock::kOperatingTime ? "operating time" : "calendar time");
    if (st.multi_part_readings > 0)
      out << fmt::format("; {} counter steps of several parts left out", st.multi_part_readings);
    if (st.counter_resets > 0) out << fmt::format("; {} counter resets", st.counter_resets);
    out << ")\n";
    for (const QuantityCalibration& q : st.quantities) {
      const bool failure_part = q.quantity != DurationQuantity::kProcessing;
      write_quantity(out, q, !failure_part || st.breakdowns_in_scene || st.failures > 0);
    }
  }
}

std::string calibration_report_json(const CalibrationReport& report) {
  nlohmann::ordered_json j;
  j["schema"] = kCalibrationSchema;
  j["scene"] = report.scene_file;
  j["log"] = {{"samples", report.samples},
              {"samples_of_other_machines", report.samples_elsewhere},
              {"first_timestamp_us", report.first_timestamp_us},
              {"last_timestamp_us", report.last_timestamp_us}};
  j["settings"] = {{"confidence", report.settings.fit.confidence},
                   {"bootstrap_resamples", report.settings.fit.bootstrap_resamples},
                   {"seed", report.settings.fit.seed},
                   {"min_observations", report.settings.min_observations}};
  nlohmann::ordered_json stations = nlohmann::ordered_json::array();
  for (const StationCalibration& st : report.stations) {
    nlohmann::ordered_json s;
    s["id"] = st.station;
    s["samples"] = st.samples;
    s["failure_clock"] = clock_name(st.failure_clock);
    s["breakdowns_in_scene"] = st.breakdowns_in_scene;
    s["breakdowns_added"] = st.breakdowns_added;
    s["failures"] = st.failures;
    s["multi_part_readings"] = st.multi_part_readings;
    s["counter_resets"] = st.counter_resets;
    for (const QuantityCalibration& q : st.quantities)
      s[std::string(to_string(q.quantity))] = quantity_json(q);
    stations.push_back(std::move(s));
  }
  j["stations"] = stations;
  return j.dump(2) + "\n";
}

}  // namespace linetwin
