// Snapshot files (docs/snapshot-format.md). The writer emits one flow mapping per station and
// buffer, so that a person can read and edit the line one element a line; times are written in
// text that reads back to the same double, so that a snapshot written and read again is the same
// snapshot to the bit. The reader goes through SceneReader, so a duration, a repeated key or a
// misspelt one reads as in scene and scenario files, and it checks everything against the scene
// before a run sees it: a snapshot travels between machines and is edited by hand.
#include "io/snapshot_file.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/timestamp.hpp"
#include "core/utf8.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {

namespace {

// The words a station activity is written as: the enum's names in lower case.
constexpr std::array<std::pair<StationActivity, std::string_view>, 7> kActivities{{
    {StationActivity::kIdle, "idle"},
    {StationActivity::kWaitingOperator, "waiting_operator"},
    {StationActivity::kSetup, "setup"},
    {StationActivity::kWorking, "working"},
    {StationActivity::kBlocked, "blocked"},
    {StationActivity::kDown, "down"},
    {StationActivity::kOffShift, "off_shift"},
}};

constexpr std::array<std::string_view, 3> kOrigins{"simulation", "live", "replay"};

constexpr std::string_view kLeftOutBuffer = "not in the file: empty";
constexpr std::string_view kSourceNotGiven = "given in the file";

std::string_view activity_name(StationActivity activity) {
  for (const auto& [value, name] : kActivities) {
    if (value == activity) return name;
  }
  assert(false && "a StationActivity without a name in kActivities");
  return "idle";
}

// Seconds as a duration that reads back to the same double: whole hours and minutes in their
// unit, for a person who reads the file ("4h", "5min": the quotient is a whole number, which times
// the unit is exact below 2^53), else seconds in their shortest text ("12.5s", "1e-07s").
std::string duration_text(double s) {
  assert(std::isfinite(s));
  if (s >= 3600.0 && std::fmod(s, 3600.0) == 0.0) return fmt::format("{}h", s / 3600.0);
  if (s >= 60.0 && std::fmod(s, 60.0) == 0.0) return fmt::format("{}min", s / 60.0);
  return fmt::format("{}s", s);
}

// The largest snapshot file of `scene` that is read. A file written for it holds a line per
// station and buffer and an entry per server, far below this; the room left is for comments and
// long ids. Damaged or foreign input is refused before yaml-cpp, which keeps some hundred bytes per
// node, turns a few megabytes into gigabytes.
std::uint64_t size_limit(const Scene& scene) {
  std::uint64_t servers = 0;
  for (ElementIndex e : scene.stations())
    servers += scene.station_spec(scene.element(e)).servers;
  return (std::uint64_t{1} << 20) +
         4096 * static_cast<std::uint64_t>(scene.stations().size() + scene.buffers().size()) +
         100 * servers;
}

void check_size(std::uint64_t bytes, const std::string& display_name, const Scene& scene) {
  const std::uint64_t limit = size_limit(scene);
  if (bytes <= limit) return;
  throw InputError({display_name, 0, 0, ""},
                   fmt::format("is {} bytes long; expected a snapshot file of at most {} bytes "
                               "for this scene (1 MiB, 4 KiB per station and buffer, 100 bytes "
                               "per server: docs/snapshot-format.md#limits)",
                               bytes, limit));
}

class SnapshotReader {
 public:
  SnapshotReader(const std::string& display_name, const Scene& scene)
      : in_(display_name), scene_(scene) {}

  LineSnapshot read(const YAML::Node& root) const {
    // The version first: a file of a later format may have keys this build does not know.
    in_.unique_keys(root, "");
    const YAML::Node version = in_.require(root, "", "linetwin_snapshot");
    const std::uint64_t v =
        in_.whole_number(version, "linetwin_snapshot", "a format version number");
    if (v != static_cast<std::uint64_t>(kSnapshotFormatVersion)) {
      in_.fail(version, "linetwin_snapshot",
               fmt::format("this build reads snapshot format {}, found format {}",
                           kSnapshotFormatVersion, v));
    }
    in_.expect_map(root, "",
                   {"linetwin_snapshot", "origin", "scene", "timestamp", "simulated_time",
                    "stations", "buffers"});

    LineSnapshot s;
    const YAML::Node origin = in_.require(root, "", "origin");
    s.origin = in_.string(origin, "origin");
    if (std::find(kOrigins.begin(), kOrigins.end(), s.origin) == kOrigins.end()) {
      in_.fail(origin, "origin",
               fmt::format("expected simulation, live or replay, found '{}'", s.origin));
    }
    s.scene = root["scene"] ? line_of_text(root["scene"], "scene") : scene_.source_file();
    if (const YAML::Node timestamp = root["timestamp"]) {
      const std::string text = in_.string(timestamp, "timestamp");
      s.timestamp_us = parse_timestamp_us(text);
      if (!s.timestamp_us) {
        in_.fail(timestamp, "timestamp",
                 fmt::format("expected {}, found '{}'", kTimestampSyntax, text));
      }
    }
    if (const YAML::Node time = root["simulated_time"])
      s.simulated_time_s = in_.duration(time, "simulated_time", true);

    // Every station and buffer, as it is when the file leaves it out; then what the file says.
    for (ElementIndex e : scene_.stations()) {
      StationSnapshot idle;
      idle.id = scene_.element(e).id;
      s.stations.push_back(std::move(idle));
    }
    for (ElementIndex e : scene_.buffers()) {
      BufferSnapshot empty;
      empty.id = scene_.element(e).id;
      empty.level = 0;
      empty.source = kLeftOutBuffer;
      s.buffers.push_back(std::move(empty));
    }
    if (const YAML::Node stations = root["stations"]) {
      in_.unique_keys(stations, "stations");
      for (const auto& entry : stations) {
        const Element& e = element(entry.first, "stations", ElementType::kStation);
        s.stations[e.type_index] = station(entry.second, "stations." + e.id, e);
      }
    }
    if (const YAML::Node buffers = root["buffers"]) {
      in_.unique_keys(buffers, "buffers");
      for (const auto& entry : buffers) {
        const Element& e = element(entry.first, "buffers", ElementType::kBuffer);
        s.buffers[e.type_index] = buffer(entry.second, "buffers." + e.id, e);
      }
    }
    return s;
  }

 private:
  // The element a key of `section` names, which must be of type `wanted`.
  const Element& element(const YAML::Node& key, const std::string& section,
                         ElementType wanted) const {
    const std::string id = in_.string(key, section);
    const std::string path = SceneReader::join(section, id);
    const std::vector<ElementIndex>& of_type =
        wanted == ElementType::kStation ? scene_.stations() : scene_.buffers();
    std::string expected;
    for (std::size_t i = 0; i < of_type.size() && i < 20; ++i)
      expected += (i == 0 ? "" : ", ") + scene_.element(of_type[i]).id;
    if (of_type.size() > 20) expected += ", ...";
    if (of_type.empty()) expected = fmt::format("none: the scene has no {}", to_string(wanted));
    const std::optional<ElementIndex> found = scene_.find(id);
    if (!found) {
      in_.fail(key, path,
               fmt::format("the scene has no element '{}'; expected a {} of the scene: {}", id,
                           to_string(wanted), expected));
    }
    const Element& e = scene_.element(*found);
    if (e.type != wanted) {
      in_.fail(key, path,
               fmt::format("'{}' is a {} of the scene, not a {}; expected one of: {}", id,
                           to_string(e.type), to_string(wanted), expected));
    }
    return e;
  }

  // Free text that goes into messages and reports. yaml-cpp reads a raw NUL byte as part of a
  // character that is not UTF-8, so the text is checked after it is read, not only the file.
  std::string line_of_text(const YAML::Node& node, const std::string& path) const {
    std::string text = in_.string(node, path);
    const bool control = std::any_of(text.begin(), text.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (control || !is_utf8(text)) {
      in_.fail(node, path,
               "expected one line of UTF-8 text without control characters, found text with "
               "other bytes");
    }
    return text;
  }

  // An optional duration: NaN when the key is absent.
  double optional_duration(const YAML::Node& map, const std::string& path, std::string_view key,
                           bool allow_zero) const {
    const YAML::Node value = map[std::string(key)];
    if (!value) return std::numeric_limits<double>::quiet_NaN();
    return in_.duration(value, SceneReader::join(path, key), allow_zero);
  }

  StationSnapshot station(const YAML::Node& node, const std::string& path, const Element& e) const {
    in_.expect_map(node, path, {"activity", "in_state", "parts", "down_for"});
    StationSnapshot st;
    st.id = e.id;
    const std::string activity_path = path + ".activity";
    const YAML::Node activity = in_.require(node, path, "activity");
    const std::string word = in_.string(activity, activity_path);
    const auto known = std::find_if(kActivities.begin(), kActivities.end(),
                                    [&](const auto& a) { return a.second == word; });
    if (known == kActivities.end()) {
      in_.fail(activity, activity_path,
               fmt::format("unknown activity '{}'; expected one of: idle, waiting_operator, "
                           "setup, working, blocked, down, off_shift",
                           word));
    }
    st.activity = known->first;
    st.in_state_s = optional_duration(node, path, "in_state", true);
    if (const YAML::Node parts = node["parts"]) {
      const std::string parts_path = path + ".parts";
      if (!parts.IsSequence())
        in_.fail(parts, parts_path,
                 "expected a list of parts, found " + SceneReader::describe(parts));
      const std::uint32_t servers = scene_.station_spec(e).servers;
      if (parts.size() > servers) {
        in_.fail(parts, parts_path,
                 fmt::format("expected at most {} part{}, one per server of {}, found {}", servers,
                             servers == 1 ? "" : "s", e.id, parts.size()));
      }
      for (std::size_t i = 0; i < parts.size(); ++i)
        st.parts.push_back(part(parts[i], fmt::format("{}[{}]", parts_path, i)));
    }
    if (node["down_for"]) st.down_for_s = optional_duration(node, path, "down_for", false);
    return st;
  }

  HeldPart part(const YAML::Node& node, const std::string& path) const {
    in_.expect_map(node, path, {"finished", "work_done"});
    HeldPart p;
    if (const YAML::Node finished = node["finished"]) {
      // true or false as written: yaml-cpp would also take yes, on, y and their kin.
      if (!finished.IsScalar() || (finished.Scalar() != "true" && finished.Scalar() != "false")) {
        in_.fail(finished, path + ".finished",
                 "expected true or false, found " + SceneReader::describe(finished));
      }
      p.finished = finished.Scalar() == "true";
    }
    p.work_done_s = optional_duration(node, path, "work_done", true);
    return p;
  }

  BufferSnapshot buffer(const YAML::Node& node, const std::string& path, const Element& e) const {
    in_.expect_map(node, path, {"level", "source"});
    BufferSnapshot b;
    b.id = e.id;
    const std::string level_path = path + ".level";
    const YAML::Node level = in_.require(node, path, "level");
    if (!level.IsNull()) {
      b.level = in_.whole_number(level, level_path,
                                 "a whole number of parts, or null where it is not known");
      const std::uint64_t capacity = scene_.buffer_spec(e).capacity;
      if (*b.level > capacity) {
        in_.fail(level, level_path,
                 fmt::format("expected at most {} part{}, the capacity of {}, found {}", capacity,
                             capacity == 1 ? "" : "s", e.id, *b.level));
      }
    }
    b.source = node["source"] ? line_of_text(node["source"], path + ".source")
                              : std::string(kSourceNotGiven);
    return b;
  }

  SceneReader in_;
  const Scene& scene_;
};

}  // namespace

std::string snapshot_yaml(const LineSnapshot& snapshot) {
  assert(std::find(kOrigins.begin(), kOrigins.end(), snapshot.origin) != kOrigins.end());
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  out << YAML::Comment("The line at one instant (docs/snapshot-format.md)");
  out << YAML::BeginMap;
  out << YAML::Key << "linetwin_snapshot" << YAML::Value << kSnapshotFormatVersion;
  out << YAML::Key << "origin" << YAML::Value << snapshot.origin;
  out << YAML::Key << "scene" << YAML::Value << snapshot.scene;
  if (snapshot.timestamp_us) {
    out << YAML::Key << "timestamp" << YAML::Value << format_timestamp_iso(*snapshot.timestamp_us);
  }
  if (!std::isnan(snapshot.simulated_time_s))
    out << YAML::Key << "simulated_time" << YAML::Value << duration_text(snapshot.simulated_time_s);

  out << YAML::Key << "stations" << YAML::Value << YAML::BeginMap;
  for (const StationSnapshot& st : snapshot.stations) {
    out << YAML::Key << st.id << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "activity" << YAML::Value << std::string(activity_name(st.activity));
    if (!std::isnan(st.in_state_s))
      out << YAML::Key << "in_state" << YAML::Value << duration_text(st.in_state_s);
    if (!st.parts.empty()) {
      out << YAML::Key << "parts" << YAML::Value << YAML::BeginSeq;
      for (const HeldPart& p : st.parts) {
        out << YAML::BeginMap;
        if (p.finished) out << YAML::Key << "finished" << YAML::Value << true;
        if (!std::isnan(p.work_done_s))
          out << YAML::Key << "work_done" << YAML::Value << duration_text(p.work_done_s);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (st.down_for_s)
      out << YAML::Key << "down_for" << YAML::Value << duration_text(*st.down_for_s);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;

  out << YAML::Key << "buffers" << YAML::Value << YAML::BeginMap;
  for (const BufferSnapshot& b : snapshot.buffers) {
    out << YAML::Key << b.id << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "level" << YAML::Value;
    if (b.level) {
      out << *b.level;
    } else {
      out << YAML::Null;
    }
    out << YAML::Key << "source" << YAML::Value << b.source;
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::EndMap;
  assert(out.good());
  return std::string(out.c_str()) + "\n";
}

LineSnapshot parse_snapshot(const std::string& text, const std::string& display_name,
                            const Scene& scene) {
  check_size(text.size(), display_name, scene);
  const YAML::Node root = parse_yaml(text, display_name, "snapshot file");
  try {
    return SnapshotReader(display_name, scene).read(root);
  } catch (const YAML::Exception& e) {
    // A conversion the reader did not anticipate (a key that is a list); still say where.
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1, ""}, e.msg);
  }
}

LineSnapshot read_snapshot_file(const std::string& path, const Scene& scene) {
  // The size before the bytes: a file of gigabytes is refused without reading it.
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    const std::uintmax_t bytes = std::filesystem::file_size(path, error);
    if (!error) check_size(bytes, path, scene);
  }
  return parse_snapshot(read_input_file(path, "snapshot file"), path, scene);
}

}  // namespace linetwin
