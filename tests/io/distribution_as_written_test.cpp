// A scene's distributions are described as the engineer typed them (Distribution::describe()):
// their name, their parameters and each duration in its own unit, while the engine samples the
// same numbers and the scene's fingerprint does not see how they were typed.
#include <doctest/doctest.h>

#include <string>

#include "io/scene_file.hpp"
#include "plant/scene_fingerprint.hpp"

using namespace linetwin;

namespace {

// A line whose station M takes `processing`.
Scene line_with(const std::string& processing) {
  return load_scene_text(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, interarrival: 2min, to: M}
  - {id: M, type: station, processing: )" +
                             processing +
                             R"(, to: out}
  - {id: out, type: sink}
)",
                         "written.yaml");
}

const Distribution& processing_of(const Scene& scene) {
  return scene.station_spec(scene.element(*scene.find("M"))).processing;
}

std::string described(const std::string& processing) {
  return processing_of(line_with(processing)).describe();
}

}  // namespace

TEST_CASE("a distribution is described by the parameters and units the scene gave") {
  // An erlang is a gamma to the sampler (shape 3, scale 20 s), shown by its k and mean.
  const Scene erlang = line_with("{distribution: erlang, k: 3, mean: 1min}");
  CHECK(processing_of(erlang).describe() == "erlang(k=3, mean=1 min)");
  CHECK(processing_of(erlang).kind() == DistributionKind::kGamma);
  CHECK(processing_of(erlang).mean() == doctest::Approx(60.0));

  // The lognormal by the mean and standard deviation of the duration, each in its own unit.
  CHECK(described("{distribution: lognormal, mean: 2min, sd: 30s}") ==
        "lognormal(mean=2 min, sd=30 s)");
  CHECK(described("{distribution: weibull, shape: 1.5, scale: 2h}") ==
        "weibull(shape=1.5, scale=2 h)");
  // A gamma by the mean the scene gave, not the scale the sampler uses; by its scale where given.
  CHECK(described("{distribution: gamma, shape: 2, mean: 1h}") == "gamma(shape=2, mean=1 h)");
  CHECK(described("{distribution: gamma, shape: 8, mean: 80s}") == "gamma(shape=8, mean=80 s)");
  CHECK(described("{distribution: gamma, shape: 2, scale: 30min}") ==
        "gamma(shape=2, scale=30 min)");
  CHECK(described("{distribution: uniform, min: 250ms, max: 1.5s}") == "uniform(250 ms, 1.5 s)");
  CHECK(described("{distribution: triangular, min: 1min, mode: 90s, max: 0.05h}") ==
        "triangular(1 min, 90 s, 0.05 h)");
  CHECK(described("{distribution: exponential, mean: 1.5d}") == "exponential(mean=1.5 d)");
  CHECK(described("{distribution: normal, mean: 5min, sd: 20}") == "normal(mean=5 min, sd=20 s)");
  // Its observations resampled: described by their count, in whatever units they were typed.
  CHECK(described("{distribution: empirical, samples: [30min, 1h, 90min]}") ==
        "empirical(3 samples)");

  // A fixed time as written: `deterministic`, `constant`, or a bare duration (a constant).
  CHECK(described("{distribution: deterministic, value: 5min}") == "deterministic(5 min)");
  CHECK(described("{distribution: constant, value: 1w}") == "constant(1 w)");
  CHECK(described("5min") == "constant(5 min)");
  CHECK(described("90") == "constant(90 s)");
  CHECK(processing_of(line_with("5min")).mean() == 300.0);
}

TEST_CASE("how a distribution was typed changes neither its draws nor the fingerprint") {
  // The same numbers: 1 min is 60 s, an erlang with k 3 and mean 60 s a gamma with shape 3 and
  // scale 20 s, a deterministic time a constant one.
  const auto same = [](const std::string& a, const std::string& b) {
    const Scene x = line_with(a);
    const Scene y = line_with(b);
    CHECK(processing_of(x).describe() != processing_of(y).describe());
    CHECK(scene_fingerprint(x) == scene_fingerprint(y));
    RandomStream rx(1, "written", "draws", 0);
    RandomStream ry(1, "written", "draws", 0);
    for (int i = 0; i < 100; ++i)
      CHECK(processing_of(x).sample(rx) == processing_of(y).sample(ry));
  };
  same("{distribution: erlang, k: 3, mean: 1min}", "{distribution: gamma, shape: 3, scale: 20s}");
  same("{distribution: lognormal, mean: 2min, sd: 30s}",
       "{distribution: lognormal, mean: 120s, sd: 0.5min}");
  same("{distribution: deterministic, value: 5min}", "300s");
  same("{distribution: weibull, shape: 1.5, scale: 2h}",
       "{distribution: weibull, shape: 1.5, scale: 7200}");
  // Different numbers are a different line.
  CHECK(scene_fingerprint(line_with("61s")) != scene_fingerprint(line_with("1min")));
}
