// A production line as loaded and validated: the immutable model that every replication shares.
//
// Following MuJoCo's model/data split, a Scene holds only what the line *is* (its elements, their
// parameters and connections, its layout, the seed and the run settings); the mutable state of
// one replication lives in LineRun. Many runs on many threads read one Scene at once.
//
// Elements are referred to by ElementIndex, their position in `elements()`; each element also has
// an index among the elements of its own type (`type_index`) into the flat spec arrays, which is
// what the simulation walks. Elements are connected by their single downstream link (`to` in the
// scene file): a source, buffer or station hands its parts to exactly one element. Merges go
// through a buffer (several elements may feed one buffer or sink); a station has exactly one
// input. Routing, assembly and splits come with the element library.
//
// Build scenes through SceneBuilder, which checks every rule and reports a broken one as an
// InputError that names the element's field (and, when the builder was given them, its file line).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/distribution.hpp"
#include "core/input_error.hpp"

namespace linetwin {

using ElementIndex = std::uint32_t;
inline constexpr ElementIndex kNoElement = std::numeric_limits<ElementIndex>::max();

enum class ElementType : std::uint8_t { kSource, kBuffer, kStation, kSink };
std::string_view to_string(ElementType type);

// Where an element stands on the shop floor: metres, and yaw in degrees about the vertical axis.
struct Pose {
  double x_m = 0.0;
  double y_m = 0.0;
  double z_m = 0.0;
  double yaw_deg = 0.0;
};

enum class WhenOutputFull : std::uint8_t {
  kWait,  // the arrival waits at the source, and the arrival process pauses until it is taken
  kLose,  // the arrival is turned away and counted as lost
};

struct SourceSpec {
  // Unlimited supply: a part is always ready for the element downstream (saturated line).
  bool unlimited_supply = false;
  Distribution interarrival;
  WhenOutputFull when_output_full = WhenOutputFull::kWait;
};

struct BufferSpec {
  static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();
  // 0 is a direct hand-over: a part passes only when the next element can take it at once.
  std::uint64_t capacity = kUnlimited;
};

enum class FailureClock : std::uint8_t {
  kOperatingTime,  // time to failure elapses only while the station is processing
  kCalendarTime,   // time to failure elapses from the end of the last repair, whatever the state
};

struct BreakdownSpec {
  Distribution time_to_failure;
  Distribution time_to_repair;
  FailureClock counted_on = FailureClock::kOperatingTime;
};

struct StationSpec {
  std::uint32_t servers = 1;
  Distribution processing;
  std::optional<BreakdownSpec> breakdowns;
};

struct SinkSpec {};

struct Element {
  std::string id;
  ElementType type = ElementType::kStation;
  std::uint32_t type_index = 0;  // index into the spec array of its type
  Pose pose;
  std::string model;  // optional 3D model reference (path relative to the scene), empty if none
  ElementIndex downstream = kNoElement;
  ElementIndex upstream = kNoElement;  // stations only: the element that feeds it
};

struct RunSettings {
  double duration_s = 8 * 3600.0;  // the observed period, after warm-up
  double warmup_s = 0.0;
  std::uint32_t replications = 1;
};

class Scene {
 public:
  const std::string& name() const { return name_; }
  const std::string& product() const { return product_; }
  std::uint64_t seed() const { return seed_; }
  const RunSettings& run_settings() const { return run_settings_; }
  const std::string& source_file() const { return source_file_; }

  const std::vector<Element>& elements() const { return elements_; }
  const Element& element(ElementIndex index) const { return elements_[index]; }
  std::optional<ElementIndex> find(std::string_view id) const;

  // Element indices of each type, in scene order; position i corresponds to the spec arrays.
  const std::vector<ElementIndex>& sources() const { return of_type_[0]; }
  const std::vector<ElementIndex>& buffers() const { return of_type_[1]; }
  const std::vector<ElementIndex>& stations() const { return of_type_[2]; }
  const std::vector<ElementIndex>& sinks() const { return of_type_[3]; }

  const SourceSpec& source_spec(const Element& e) const { return source_specs_[e.type_index]; }
  const BufferSpec& buffer_spec(const Element& e) const { return buffer_specs_[e.type_index]; }
  const StationSpec& station_spec(const Element& e) const { return station_specs_[e.type_index]; }

 private:
  friend class SceneBuilder;
  std::string name_;
  std::string product_;
  std::string source_file_;
  std::uint64_t seed_ = 1;
  RunSettings run_settings_;
  std::vector<Element> elements_;
  std::vector<ElementIndex> of_type_[4];
  std::vector<SourceSpec> source_specs_;
  std::vector<BufferSpec> buffer_specs_;
  std::vector<StationSpec> station_specs_;
  std::unordered_map<std::string, ElementIndex> by_id_;
};

// Assembles and validates a Scene. Element fields are given in plant terms; connections by id.
class SceneBuilder {
 public:
  // Where an element was declared, so that topology errors can point at the file and line.
  struct Origin {
    int line = 0;
    int column = 0;
    std::string field_path;  // e.g. "elements[4]"
  };

  explicit SceneBuilder(std::string name = "unnamed line");
  SceneBuilder& source_file(std::string path);
  SceneBuilder& product(std::string name);
  SceneBuilder& seed(std::uint64_t seed);
  // Where the list of elements was declared, for errors about the line as a whole.
  SceneBuilder& elements_origin(Origin origin);
  SceneBuilder& run_settings(RunSettings settings);

  struct Common {
    std::string id;
    std::string to;  // downstream element id; empty for a sink
    Pose pose;
    std::string model;
    Origin origin;
  };
  SceneBuilder& add_source(Common common, SourceSpec spec);
  SceneBuilder& add_buffer(Common common, BufferSpec spec);
  SceneBuilder& add_station(Common common, StationSpec spec);
  SceneBuilder& add_sink(Common common);

  // Checks connections and parameters; throws InputError naming the offending field.
  Scene build() const;

 private:
  struct Pending {
    Common common;
    ElementType type;
  };
  InputError error_at(const Origin& origin, std::string_view field, const std::string& what) const;
  Scene scene_;
  std::vector<Pending> pending_;
  Origin elements_origin_{0, 0, "elements"};
};

}  // namespace linetwin
