#include "telemetry/calibration_scene.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "io/scene_file.hpp"

namespace linetwin {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Six significant digits: far finer than any interval calibration gives, and readable.
std::string number_text(double value) {
  return fmt::format("{}", std::stod(fmt::format("{:.6g}", value)));
}

// The fit as the tree that yaml-cpp reads from the text written for it.
YAML::Node distribution_node(const DistributionFit& fit) {
  YAML::Node node(YAML::NodeType::Map);
  node["distribution"] = std::string(to_string(fit.kind));
  for (const FittedParameter& p : fit.parameters)
    node[std::string(p.name)] = number_text(p.value);
  return node;
}

// `{distribution: gamma, shape: 3.89452, scale: 12.6567}`.
std::string flow_distribution(const DistributionFit& fit) {
  std::string text = fmt::format("{{distribution: {}", to_string(fit.kind));
  for (const FittedParameter& p : fit.parameters)
    text += fmt::format(", {}: {}", p.name, number_text(p.value));
  return text + "}";
}

// The same as a block mapping whose first key is where the old value began (at `column`).
std::string block_distribution(const DistributionFit& fit, std::size_t column,
                               std::string_view newline) {
  const std::string indent = std::string(newline) + std::string(column, ' ');
  std::string text = fmt::format("distribution: {}", to_string(fit.kind));
  for (const FittedParameter& p : fit.parameters)
    text += fmt::format("{}{}: {}", indent, p.name, number_text(p.value));
  return text;
}

// A path in the original scene, relative to its folder, made relative to the output's folder.
std::string moved_path(const std::string& path, const std::filesystem::path& from_dir,
                       const std::filesystem::path& to_dir) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  const std::filesystem::path target = std::filesystem::absolute(from_dir / p).lexically_normal();
  const std::filesystem::path relative =
      target.lexically_relative(std::filesystem::absolute(to_dir).lexically_normal());
  return relative.empty() ? target.string() : relative.string();
}

// A path as a YAML scalar that reads back as itself in block and flow context alike.
std::string scalar_text(const std::string& value) {
  YAML::Emitter emitter;
  emitter << YAML::DoubleQuoted << value;
  return emitter.c_str();
}

// The same tree: the same scalars, sequences in the same order, mappings with the same entries
// in any order (a key that calibration adds sits in another place in the text than in the tree).
bool same_yaml(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
      return a.size() == b.size() &&
             std::equal(a.begin(), a.end(), b.begin(),
                        [](const YAML::Node& x, const YAML::Node& y) { return same_yaml(x, y); });
    case YAML::NodeType::Map:
      return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&](const auto& entry) {
               return std::any_of(b.begin(), b.end(), [&](const auto& other) {
                 return same_yaml(entry.first, other.first) &&
                        same_yaml(entry.second, other.second);
               });
             });
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return true;
  }
  return false;
}

// Text read alone; nothing when it is not YAML.
std::optional<YAML::Node> read_yaml(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

struct Entry {
  YAML::Node key;  // for its mark
  YAML::Node value;
};

// The entry `key` of a mapping; undefined nodes when it has none (looked up without adding the
// key, as the non-const operator[] would).
Entry entry_of(const YAML::Node& map, std::string_view key) {
  for (const auto& e : map) {
    if (e.first.IsScalar() && e.first.Scalar() == key) return {e.first, e.second};
  }
  return {YAML::Node(YAML::NodeType::Undefined), YAML::Node(YAML::NodeType::Undefined)};
}

// yaml-cpp's marks count bytes from the start of the text (after a byte-order mark), as ints.
std::size_t offset(const YAML::Node& node) {
  return static_cast<std::size_t>(node.Mark().pos);
}
std::size_t column(const YAML::Node& node) {
  return static_cast<std::size_t>(node.Mark().column);
}

struct TextEdit {
  std::size_t begin = 0;
  std::size_t end = 0;  // == begin: an insertion
  std::string text;
};

// Collects replacements of values, found by their marks, and applies them all at once.
class InPlaceEditor {
 public:
  InPlaceEditor(const std::string& text, const std::string& path)
      : text_(text),
        path_(path),
        newline_(text.find("\r\n") != std::string::npos ? "\r\n" : "\n") {}

  std::string_view newline() const { return newline_; }

  // Replaces the value of `entry` with `replacement`. `containers` are the collections that
  // hold it, innermost last: what follows it in the text belongs to their next child.
  void replace(const Entry& entry, std::initializer_list<YAML::Node> containers,
               const std::string& field, const std::string& replacement) {
    const YAML::Node& value = entry.value;
    // An alias carries the mark of the value it names, which lies before its own key; a value
    // with an anchor may be named elsewhere. Either way, replacing the text here would change
    // other fields too, or leave them naming nothing.
    const std::size_t begin = offset(value);
    if (begin <= offset(entry.key) || text_.compare(begin, 1, "&") == 0) {
      throw InputError(
          location(value, field),
          "expected a value of its own to replace with the calibrated one, found a value shared "
          "through a YAML anchor or alias; write it out in full here");
    }
    const std::size_t end = value_end(value, limit_after(begin, containers));
    if (end == std::string::npos) {
      throw InputError(location(value, field),
                       "cannot tell where this value ends in the text, to replace it with the "
                       "calibrated one; write it on one line");
    }
    edits_.push_back({begin, end, replacement});
  }

  // Inserts `entry` (a key and its value, without separator) into the mapping `map` before its
  // key `before`.
  void insert_before(const YAML::Node& map, const YAML::Node& before, const std::string& entry) {
    const std::string separator = map.Style() == YAML::EmitterStyle::Flow
                                      ? std::string(", ")
                                      : newline_ + std::string(column(before), ' ');
    edits_.push_back({offset(before), offset(before), entry + separator});
  }

  std::string apply() && {
    std::sort(edits_.begin(), edits_.end(),
              [](const TextEdit& a, const TextEdit& b) { return a.begin > b.begin; });
    std::string out = text_;
    for (const TextEdit& edit : edits_)
      out.replace(edit.begin, edit.end - edit.begin, edit.text);
    return out;
  }

 private:
  InputLocation location(const YAML::Node& node, const std::string& field) const {
    return {path_, node.Mark().line + 1, node.Mark().column + 1, field};
  }

  // Where the text that follows the value at `begin` belongs to something else: the first mark
  // after it among the children of the innermost collection that has one after it (the children
  // of the collections around it all come later), or the end of the text.
  std::size_t limit_after(std::size_t begin, std::initializer_list<YAML::Node> containers) const {
    for (auto container = std::rbegin(containers); container != std::rend(containers);
         ++container) {
      std::size_t limit = std::string::npos;
      auto consider = [&](const YAML::Node& node) {
        if (offset(node) > begin) limit = std::min(limit, offset(node));
      };
      for (const auto& child : *container) {
        if (container->IsMap()) {
          consider(child.first);
          consider(child.second);
        } else {
          consider(child);
        }
      }
      if (limit != std::string::npos) return limit;
    }
    return text_.size();
  }

  // The end of the value's own text: the shortest stretch from its mark, ending before a line
  // break, a separator or a comment, that yaml-cpp reads as the same value (indented as it
  // stands, so that the lines of a block mapping line up). What follows it, a comment included,
  // is not part of it.
  std::size_t value_end(const YAML::Node& value, std::size_t limit) const {
    const std::size_t begin = offset(value);
    const std::string indent(column(value), ' ');
    for (std::size_t end = begin + 1; end <= limit; ++end) {
      if (end < limit && std::string_view("\r\n,]}#").find(text_[end]) == std::string_view::npos)
        continue;
      std::size_t trimmed = end;
      while (trimmed > begin &&
             std::string_view(" \t\r\n").find(text_[trimmed - 1]) != std::string_view::npos)
        --trimmed;
      const std::optional<YAML::Node> read =
          read_yaml(indent + text_.substr(begin, trimmed - begin));
      if (read && same_yaml(*read, value)) return trimmed;
    }
    return std::string::npos;
  }

  const std::string& text_;
  const std::string& path_;
  std::string newline_;
  std::vector<TextEdit> edits_;
};

std::string read_scene_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw InputError({path, 0, 0, ""},
                     fmt::format("cannot open the scene file: {}", std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The header's lines: where the numbers came from, and what the log did not support.
std::string header(const std::string& scene_path, const CalibrationReport& report,
                   std::string_view provenance, std::string_view newline) {
  std::string text = fmt::format(
      "{} calibrated from {}{}{}; the calibration report gives each "
      "fit's intervals{}",
      kCalibrationHeaderPrefix, scene_path, provenance.empty() ? "" : " and ", provenance, newline);
  for (const StationCalibration& st : report.stations) {
    for (const QuantityCalibration& q : st.quantities) {
      if (!is_warning(q.use)) continue;
      text += fmt::format("{} not calibrated: {} {} ({}){}", kCalibrationHeaderPrefix, st.station,
                          to_string(q.quantity), q.note, newline);
    }
  }
  return text;
}

}  // namespace

std::string calibrated_scene_yaml(const std::string& scene_path, const CalibrationReport& report,
                                  const std::string& output_path, std::string_view provenance) {
  std::string original = read_scene_text(scene_path);
  // yaml-cpp's marks count bytes after a byte-order mark, not from the start of the file.
  const bool bom = original.starts_with(kUtf8Bom);
  if (bom) original.erase(0, kUtf8Bom.size());
  YAML::Node root;
  try {
    root = YAML::Load(original);
  } catch (const YAML::ParserException& e) {
    throw InputError({scene_path, e.mark.line + 1, e.mark.column + 1, ""},
                     "not valid YAML: " + e.msg);
  }
  // What the text must read as once edited: the original's tree with the same changes.
  YAML::Node expected = YAML::Clone(root);
  InPlaceEditor editor(original, scene_path);

  const std::filesystem::path from_dir = std::filesystem::path(scene_path).parent_path();
  const std::filesystem::path to_dir = std::filesystem::path(output_path).parent_path();
  const YAML::Node elements = entry_of(root, "elements").value;
  std::size_t index = 0;
  for (const YAML::Node& element : elements.IsSequence() ? elements : YAML::Node()) {
    YAML::Node expected_element = expected["elements"][index++];
    if (!element.IsMap()) continue;
    const YAML::Node id = entry_of(element, "id").value;
    const std::string name = id.IsScalar() ? id.Scalar() : std::to_string(index - 1);
    auto field = [&](std::string_view path) { return fmt::format("elements[{}].{}", name, path); };

    for (std::string_view key : {"orders", "model"}) {
      const Entry path = entry_of(element, key);
      if (!path.value.IsScalar()) continue;
      const std::string moved = moved_path(path.value.Scalar(), from_dir, to_dir);
      if (moved == path.value.Scalar()) continue;
      editor.replace(path, {root, elements, element}, field(key), scalar_text(moved));
      expected_element[std::string(key)] = moved;
    }

    const auto station = std::find_if(
        report.stations.begin(), report.stations.end(),
        [&](const StationCalibration& s) { return id.IsScalar() && s.station == name; });
    if (station == report.stations.end()) continue;
    // The fit in place of a distribution, in the old value's style.
    auto replace_distribution = [&](const Entry& distribution,
                                    std::initializer_list<YAML::Node> containers,
                                    const std::string& field_path, const DistributionFit& fit) {
      const YAML::Node& value = distribution.value;
      const bool block = value.IsMap() && value.Style() == YAML::EmitterStyle::Block;
      editor.replace(distribution, containers, field_path,
                     block ? block_distribution(fit, column(value), editor.newline())
                           : flow_distribution(fit));
    };

    const QuantityCalibration& processing = station->of(DurationQuantity::kProcessing);
    const Entry processing_entry = entry_of(element, "processing");
    if (processing.replaced() && processing_entry.value.IsDefined()) {
      replace_distribution(processing_entry, {root, elements, element}, field("processing"),
                           *processing.chosen());
      expected_element["processing"] = distribution_node(*processing.chosen());
    }
    const QuantityCalibration& ttf = station->of(DurationQuantity::kTimeToFailure);
    const QuantityCalibration& ttr = station->of(DurationQuantity::kTimeToRepair);
    const YAML::Node breakdowns = entry_of(element, "breakdowns").value;
    if (breakdowns.IsMap()) {
      YAML::Node expected_breakdowns = expected_element["breakdowns"];
      for (const QuantityCalibration* q : {&ttf, &ttr}) {
        const std::string key(to_string(q->quantity));
        const Entry distribution = entry_of(breakdowns, key);
        if (!q->replaced() || !distribution.value.IsDefined()) continue;
        replace_distribution(distribution, {root, elements, element, breakdowns},
                             field("breakdowns." + key), *q->chosen());
        expected_breakdowns[key] = distribution_node(*q->chosen());
      }
    } else if (station->breakdowns_added) {
      // After `processing`: before the key that follows it, or the element's last key.
      std::vector<YAML::Node> keys;
      for (const auto& e : element)
        keys.push_back(e.first);
      const auto processing_key = std::find_if(keys.begin(), keys.end(), [](const YAML::Node& k) {
        return k.IsScalar() && k.Scalar() == "processing";
      });
      const YAML::Node before =
          processing_key != keys.end() && std::next(processing_key) != keys.end()
              ? *std::next(processing_key)
              : keys.back();
      const std::string text =
          element.Style() == YAML::EmitterStyle::Flow
              ? fmt::format(
                    "breakdowns: {{time_to_failure: {}, time_to_repair: {}, counted_on: "
                    "operating_time}}",
                    flow_distribution(*ttf.chosen()), flow_distribution(*ttr.chosen()))
              : fmt::format(
                    "breakdowns:{0}{1}time_to_failure: {2}{0}{1}time_to_repair: {3}{0}{1}"
                    "counted_on: operating_time",
                    editor.newline(), std::string(column(before) + 2, ' '),
                    flow_distribution(*ttf.chosen()), flow_distribution(*ttr.chosen()));
      editor.insert_before(element, before, text);
      YAML::Node added(YAML::NodeType::Map);
      added["time_to_failure"] = distribution_node(*ttf.chosen());
      added["time_to_repair"] = distribution_node(*ttr.chosen());
      added["counted_on"] = "operating_time";
      expected_element["breakdowns"] = added;
    }
  }

  std::string edited = std::move(editor).apply();
  // A scene calibrated before starts with the header of that calibration: this one replaces it.
  while (edited.starts_with(kCalibrationHeaderPrefix)) {
    const std::size_t line_end = edited.find('\n');
    edited.erase(0, line_end == std::string::npos ? edited.size() : line_end + 1);
  }
  const std::optional<YAML::Node> reread = read_yaml(edited);
  if (!reread || !same_yaml(*reread, expected)) {
    // Each edit was checked value by value against yaml-cpp's own reading: a mismatch here is a
    // construct the edits do not foresee (an anchor behind a tag, say), reported as a bug.
    throw std::logic_error("the calibrated text of " + scene_path +
                           " does not read back as the scene with the calibrated values; please "
                           "report it with the scene file");
  }
  std::string text = std::string(bom ? kUtf8Bom : "") +
                     header(scene_path, report, provenance, editor.newline()) + edited;
  load_scene_text(text, output_path);  // throws InputError if the result is not a valid scene
  return text;
}

}  // namespace linetwin
