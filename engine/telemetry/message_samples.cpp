// The message's samples and names: what is kept, patched or taken back when the message ends.
#include "telemetry/message_samples.hpp"

#include <fmt/format.h>

namespace linetwin::decoding {

void MessageSamples::catch_up_with_names() {
  const std::vector<std::string>& machines = names_.machines();
  for (; machines_known_ < machines.size(); ++machines_known_) {
    machine_index_.emplace(machines[machines_known_], static_cast<std::uint32_t>(machines_known_));
  }
  const std::vector<std::string>& names = names_.names();
  for (; names_known_ < names.size(); ++names_known_) {
    name_index_.emplace(names[names_known_], static_cast<std::uint16_t>(names_known_));
  }
}

void MessageSamples::intern_pending_names() {
  pending_indexes_.clear();
  for (const std::string& name : pending_names_) {
    const std::uint16_t index = names_.intern_name(name);
    name_index_.emplace(name, index);
    pending_indexes_.push_back(index);
  }
  names_known_ = names_.names().size();
  for (const auto& [sample, slot] : name_patches_) {
    (*out_)[sample].name = pending_indexes_[slot];
  }
}

std::string_view MessageSamples::topic_machine() const {
  const std::size_t slash = topic_.rfind('/');
  return slash == std::string_view::npos ? topic_ : topic_.substr(slash + 1);
}

bool MessageSamples::unknown_machine(std::string_view leaf, std::string_view id) {
  return reader_.fail(MessageFault::kUnknownMachine, leaf,
                      fmt::format("{} is not a machine of the scene", excerpt(id)));
}

bool MessageSamples::look_up_name(std::string_view name, std::string_view leaf, bool allow_empty,
                                  NameRef& ref) {
  if (const auto it = name_index_.find(name); it != name_index_.end() && !name.empty()) {
    ref.index = it->second;  // known names were checked when they were new
    return true;
  }
  if (!reader_.check_name(name, leaf, allow_empty)) return false;
  // A hash map, not a scan: a hostile message may bring thousands of new names.
  if (const auto it = pending_index_.find(name); it != pending_index_.end()) {
    ref.pending = it->second;
    return true;
  }
  if (names_.names().size() + pending_names_.size() >= kNameTableCapacity) {
    return reader_.fail(MessageFault::kTooManyNames, leaf,
                        fmt::format("{} would be a new name, and the table of {} names is full",
                                    excerpt(name), kNameTableCapacity));
  }
  ref.pending = static_cast<std::uint32_t>(pending_names_.size());
  pending_names_.emplace_back(name);
  pending_index_.emplace(name, ref.pending);
  return true;
}

bool MessageSamples::append(const TelemetrySample& sample, NameRef name) {
  if (out_->size() - begin_ >= max_samples_) return too_many_samples();
  out_->push_back(sample);
  set_name(out_->size() - 1, name);
  return true;
}

bool MessageSamples::too_many_samples() {
  return reader_.fail(MessageFault::kOversized, "",
                      fmt::format("more than {} samples in one message", max_samples_));
}

void MessageSamples::drop_from(std::size_t sample) {
  out_->resize(sample);
  while (!name_patches_.empty() && name_patches_.back().first >= sample)
    name_patches_.pop_back();
}

void MessageSamples::drop_all() {
  drop_from(begin_);
  pending_names_.clear();  // nothing refers to them any more
  pending_index_.clear();
}

}  // namespace linetwin::decoding
