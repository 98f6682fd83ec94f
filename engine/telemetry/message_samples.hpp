// The samples of the message being decoded, shared by both wire formats' decoders: appended to the
// caller's vector as they are read and cut back if the message proves faulty; new names only noted
// until the message proves good, then interned, so that a faulty message changes nothing at all.
//
// Machine ids and names are looked up in hash maps of our own with string_view lookup, kept in
// step with TelemetryNames (whose tables only grow), so that a lookup allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "telemetry/json_field_readers.hpp"
#include "telemetry/message_decoder.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin::decoding {

// A sample's machine before the whole message is read (a batch's "machine", an OPC UA
// PublisherId, may come after the samples).
inline constexpr std::uint32_t kUnresolvedMachine = std::numeric_limits<std::uint32_t>::max();
// TelemetrySample::name is a uint16 index.
inline constexpr std::size_t kNameTableCapacity = std::size_t{1} << 16;

// A name used by a sample: an index in TelemetryNames, or a name that the message is the first
// to use, interned only when the message proves good.
struct NameRef {
  static constexpr std::uint32_t kNotPending = std::numeric_limits<std::uint32_t>::max();
  std::uint16_t index = 0;
  std::uint32_t pending = kNotPending;
};

class MessageSamples {
 public:
  // Faults (unknown machines, names, too many samples) are recorded in `reader`.
  MessageSamples(TelemetryNames& names, const DecoderLimits& limits, FieldReader& reader)
      : names_(names), max_samples_(limits.max_samples_per_message), reader_(reader) {}
  MessageSamples(const MessageSamples&) = delete;
  MessageSamples& operator=(const MessageSamples&) = delete;

  void start(std::string_view topic, std::vector<TelemetrySample>& out) {
    topic_ = topic;
    out_ = &out;
    begin_ = out.size();
    pending_names_.clear();
    // Only when used: clearing a hash map costs its bucket count, even when it is empty.
    if (!pending_index_.empty()) pending_index_.clear();
    name_patches_.clear();
    if (machines_known_ != names_.machines().size() || names_known_ != names_.names().size()) {
      catch_up_with_names();
    }
  }
  // Interns the message's new names and gives its samples their indexes; returns how many
  // samples the message appended.
  std::size_t commit() {
    if (!pending_names_.empty()) intern_pending_names();
    return out_->size() - begin_;
  }
  // Takes back every sample of the message.
  void roll_back() { out_->resize(begin_); }

  std::string_view topic() const { return topic_; }
  // The topic's last level: the machine of a message that does not name its own.
  std::string_view topic_machine() const;

  std::vector<TelemetrySample>& out() { return *out_; }
  std::size_t begin() const { return begin_; }  // the message's first sample in out()
  std::size_t end() const { return out_->size(); }

  std::optional<std::uint32_t> find_machine(std::string_view id) const {
    const auto it = machine_index_.find(id);
    if (it == machine_index_.end()) return std::nullopt;
    return it->second;
  }
  // Records the fault of an id that is not a machine of the scene.
  bool unknown_machine(std::string_view leaf, std::string_view id);

  // Resolves a counter, sensor or reason name (`allow_empty`: an empty reason means none),
  // noting a new one; false on a fault (a bad name, a full name table).
  bool name_ref(std::string_view name, std::string_view leaf, bool allow_empty, NameRef& ref) {
    ref = NameRef{};  // index 0: TelemetryNames keeps the empty name there
    return (name.empty() && allow_empty) || look_up_name(name, leaf, allow_empty, ref);
  }
  void set_name(std::size_t sample, NameRef ref) {
    if (ref.pending == NameRef::kNotPending) {
      (*out_)[sample].name = ref.index;
    } else {
      name_patches_.emplace_back(sample, ref.pending);
    }
  }

  // Appends a sample named `name`; false (oversized) past max_samples_per_message. Out of line on
  // purpose: inlined, the sample built field by field is copied into the vector before its
  // stores have landed, and that stall cost the batch decoder 5% (measured).
  bool append(const TelemetrySample& sample, NameRef name);
  // Takes back the samples from `sample` on (a DataSetMessage whose Status turned out Bad).
  void drop_from(std::size_t sample);
  // Takes back all of the message's samples and names (a message that is not telemetry).
  void drop_all();

 private:
  bool look_up_name(std::string_view name, std::string_view leaf, bool allow_empty, NameRef& ref);
  bool too_many_samples();
  void intern_pending_names();
  // Brings the indexes up to date with whatever was interned since the last message (by the
  // twins, a log reader, ...).
  void catch_up_with_names();

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <typename Index>
  using StringIndex = std::unordered_map<std::string, Index, StringHash, std::equal_to<>>;

  TelemetryNames& names_;
  std::size_t max_samples_;  // in one message
  FieldReader& reader_;

  StringIndex<std::uint32_t> machine_index_;
  StringIndex<std::uint16_t> name_index_;
  std::size_t machines_known_ = 0;
  std::size_t names_known_ = 0;

  // The message being decoded.
  std::string_view topic_;
  std::vector<TelemetrySample>* out_ = nullptr;
  std::size_t begin_ = 0;
  std::vector<std::string> pending_names_;  // new names of this message, by pending slot
  StringIndex<std::uint32_t> pending_index_;
  std::vector<std::uint16_t> pending_indexes_;
  std::vector<std::pair<std::size_t, std::uint32_t>> name_patches_;  // (sample, pending slot)
};

}  // namespace linetwin::decoding
