#include "chart_axis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace linetwin::viewer {
namespace {

// Steps of a time axis, in seconds, from a second to a day, as a person counts time; below and
// above, 1-2-5 steps (of seconds, of days).
constexpr std::array<double, 18> kClockSteps = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
constexpr double kDay = 86400.0;
// A run up to this long reads best in seconds; a longer one in hours and minutes.
constexpr double kSecondsAxisMax = 600.0;
// Rounding of k * step against the range's ends.
constexpr double kSlack = 1e-9;

double one_two_five_step(double raw) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw * (1.0 - kSlack)) return m * magnitude;
  }
  return 10.0 * magnitude;
}

// The multiples of `step` in [low, high].
std::vector<double> multiples(double low, double high, double step) {
  std::vector<double> values;
  const auto first = static_cast<long long>(std::ceil(low / step - kSlack));
  const auto last = static_cast<long long>(std::floor(high / step + kSlack));
  for (long long k = first; k <= last; ++k)
    values.push_back(static_cast<double>(k) * step);
  return values;
}

std::string time_unit(double end_s, double step) {
  if (end_s <= kSecondsAxisMax) return "s";
  return step >= 60.0 ? "h:mm" : "h:mm:ss";
}

long long tick_count(double low, double high, double step) {
  return static_cast<long long>(std::floor(high / step + kSlack)) -
         static_cast<long long>(std::ceil(low / step - kSlack)) + 1;
}

// Decimals that tell apart the multiples of `step` (none from 1 up).
int decimals_of(double step) {
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + kSlack)));
}

std::string seconds_label(double time_s, int decimals) {
  char text[40];
  std::snprintf(text, sizeof text, "%.*f s", decimals, time_s);
  return text;
}

}  // namespace

double nice_step(double span, int max_ticks) {
  if (!(span > 0.0)) return 1.0;
  return one_two_five_step(span / std::max(1, max_ticks - 1));
}

Axis time_axis(double start_s, double end_s, int max_ticks) {
  max_ticks = std::max(max_ticks, 2);
  Axis axis;
  const double span = end_s - start_s;
  if (!(span > 0.0)) {
    axis.step = 1.0;
  } else if (span / (max_ticks - 1) < kClockSteps.front()) {
    axis.step = one_two_five_step(span / (max_ticks - 1));
  } else {
    const auto fits = std::find_if(kClockSteps.begin(), kClockSteps.end(), [&](double step) {
      return tick_count(start_s, end_s, step) <= max_ticks;
    });
    // Beyond a day: whole days, 1, 2 or 5 times a power of ten of them.
    axis.step =
        fits != kClockSteps.end() ? *fits : kDay * one_two_five_step(span / kDay / (max_ticks - 1));
  }
  axis.unit = time_unit(end_s, axis.step);
  const std::vector<double> values =
      span > 0.0 ? multiples(start_s, end_s, axis.step) : std::vector<double>{start_s};
  for (const double t : values)
    axis.ticks.push_back({t, time_label(t, axis)});
  return axis;
}

std::string time_label(double time_s, const Axis& axis) {
  char text[48];
  if (axis.unit == "s") return seconds_label(time_s, decimals_of(axis.step));
  if (axis.unit == "h:mm") {
    const long long minutes = std::llround(time_s / 60.0);
    std::snprintf(text, sizeof text, "%lld:%02lld", minutes / 60, minutes % 60);
    return text;
  }
  const long long seconds = std::llround(time_s);
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  return text;
}

Axis value_axis(double low, double high, int max_ticks) {
  Axis axis;
  axis.step = nice_step(high - low, std::max(max_ticks, 2));
  const int decimals = decimals_of(axis.step);
  const std::vector<double> values =
      high > low ? multiples(low, high, axis.step) : std::vector<double>{low};
  for (const double v : values) {
    char text[48];
    // "-0" reads as a mistake: a value that rounds to zero is written 0.
    std::snprintf(text, sizeof text, "%.*f", decimals, std::abs(v) < axis.step * kSlack ? 0.0 : v);
    axis.ticks.push_back({v, text});
  }
  return axis;
}

}  // namespace linetwin::viewer
