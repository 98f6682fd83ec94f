#include "core/state_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <istream>

#include "core/input_error.hpp"
#include "core/random_stream.hpp"
#include "core/simulation_kernel.hpp"

namespace linetwin {

namespace {

// 16 bytes that no text file and no other linetwin file begins with.
constexpr std::string_view kMagic{"linetwin-state\n\0", 16};
constexpr std::size_t kLengthAt = kMagic.size() + 4;  // after the magic and the version
constexpr std::size_t kHeaderBytes = kLengthAt + 8;
constexpr std::size_t kChecksumBytes = 8;

std::uint64_t read_le(std::string_view bytes, std::size_t at, std::size_t size) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < size; ++i)
    v |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return v;
}

void write_le(std::string& out, std::uint64_t v, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t checksum(std::string_view bytes) {
  StableHash hash;
  hash.bytes(bytes);
  return hash.value();
}

}  // namespace

StateStream::Section::Section(StateStream& io, std::string_view name, std::size_t index)
    : Section(io, fmt::format("{}[{}]", name, index)) {}
StateStream::Section::Section(StateStream& io, std::string_view name, std::string_view id)
    : Section(io, fmt::format("{}[{}]", name, id)) {}

StateStream StateStream::writer(std::string& out) {
  StateStream io;
  io.out_ = &out;
  out.clear();
  out.append(kMagic);
  write_le(out, kFormatVersion, 4);
  write_le(out, 0, 8);  // the length, once it is known (finish)
  return io;
}

StateStream StateStream::reader(std::string_view bytes, std::string file) {
  StateStream io;
  io.file_ = std::move(file);
  auto refuse = [&](const std::string& what) { throw InputError({io.file_, 0, 0, ""}, what); };
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    refuse(
        "not a linetwin state file: expected it to begin with \"linetwin-state\" (a state "
        "written by linetwin run --save-state)");
  }
  if (bytes.size() < kHeaderBytes + kChecksumBytes)
    refuse(fmt::format("truncated: {} bytes, fewer than a state's header", bytes.size()));
  const std::uint64_t version = read_le(bytes, kMagic.size(), 4);
  if (version != kFormatVersion) {
    refuse(fmt::format("state format version {}, expected {} (written by another linetwin)",
                       version, kFormatVersion));
  }
  const std::uint64_t length = read_le(bytes, kLengthAt, 8);
  if (length != bytes.size()) {
    refuse(fmt::format("{}: {} bytes, expected the {} its header gives",
                       bytes.size() < length ? "truncated" : "damaged or extended", bytes.size(),
                       length));
  }
  const std::string_view content = bytes.substr(0, bytes.size() - kChecksumBytes);
  if (checksum(content) != read_le(bytes, content.size(), kChecksumBytes))
    refuse("damaged: its checksum does not match its contents");
  io.in_ = content;
  io.position_ = kHeaderBytes;
  return io;
}

std::string StateStream::read_bytes(std::istream& in, const std::string& file) {
  std::string bytes(kHeaderBytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw InputError({file, 0, 0, ""}, "could not be read");
  if (bytes.size() < kHeaderBytes || bytes.substr(0, kMagic.size()) != kMagic) return bytes;
  const std::uint64_t length = read_le(bytes, kLengthAt, 8);
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  // Grows with what is read, never ahead of it: a damaged length allocates nothing.
  while (in && bytes.size() <= length) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, length + 1 - bytes.size()));
    const std::size_t had = bytes.size();
    bytes.resize(had + want);
    in.read(bytes.data() + had, static_cast<std::streamsize>(want));
    bytes.resize(had + static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError({file, 0, 0, ""}, "could not be read");
  return bytes;
}

void StateStream::finish() {
  if (reading()) {
    if (left() != 0) fail("", fmt::format("the end of the state, found {} more bytes", left()));
    return;
  }
  std::string& out = *out_;
  const std::uint64_t length = out.size() + kChecksumBytes;
  for (std::size_t i = 0; i < 8; ++i)
    out[kLengthAt + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  write_le(out, checksum(out), kChecksumBytes);
}

void StateStream::raw(std::uint64_t& bits, std::size_t size) {
  if (!reading()) {
    write_le(*out_, bits, size);
    return;
  }
  if (left() < size) fail("", fmt::format("{} more bytes, found the end of the state", size));
  bits = read_le(in_, position_, size);
  position_ += size;
}

void StateStream::tag(std::string_view letters) {
  if (!reading()) {
    out_->append(letters);
    return;
  }
  if (in_.substr(position_, letters.size()) != letters)
    fail("", fmt::format("the section \"{}\"", letters));
  position_ += letters.size();
}

void StateStream::index(std::uint32_t& i, std::uint64_t size, std::string_view field,
                        std::uint64_t none) {
  value(i);
  if (reading() && i >= size && i != none) {
    fail_value(field, size == 0 ? std::string("none") : fmt::format("an index below {}", size), i);
  }
}

void StateStream::time(double& t, double earliest, double latest, std::string_view field) {
  value(t);
  if (reading() && !(std::isfinite(t) && t >= earliest && t <= latest))
    fail(field, fmt::format("a time from {} s to {} s, found {}", earliest, latest, t));
}

std::size_t StateStream::count(std::size_t n, std::uint64_t most, std::size_t bytes_each,
                               std::string_view field) {
  std::uint64_t v = n;
  value(v);
  if (!reading()) return n;
  if (v > most) fail(field, fmt::format("a count of at most {}, found {}", most, v));
  if (bytes_each > 0 && v > left() / bytes_each) {
    fail(field, fmt::format("a count that the {} bytes left can hold, found {}", left(), v));
  }
  return static_cast<std::size_t>(v);
}

void StateStream::text(std::string& s, std::string_view field) {
  const std::size_t n = count(s.size(), left(), 1, field);
  if (!reading()) {
    out_->append(s);
    return;
  }
  s.assign(in_.substr(position_, n));
  position_ += n;
}

void StateStream::fail(std::string_view field, const std::string& expected) const {
  std::string path;
  auto add = [&](std::string_view part) {
    if (!path.empty()) path.push_back('.');
    path.append(part);
  };
  for (const std::string& part : path_)
    add(part);
  if (!field.empty()) add(field);
  throw InputError({file_, 0, 0, path},
                   fmt::format("expected {} (at byte {} of the state)", expected, position_));
}

void StateStream::fail_value(std::string_view field, const std::string& expected,
                             std::uint64_t found) const {
  fail(field, fmt::format("{}, found {}", expected, found));
}

// RandomStream and SimulationKernel have no source file of their own.

void RandomStream::transfer_state(StateStream& io) {
  for (std::uint64_t& word : state_)
    io.value(word);
  // xoshiro's one state it can never leave or reach: the reader refuses it.
  io.check(state_[0] != 0 || state_[1] != 0 || state_[2] != 0 || state_[3] != 0, "",
           "a random stream's state (not all zero)");
}

void SimulationKernel::transfer_state(StateStream& io, double latest, std::uint64_t most_pending) {
  io.tag("KERN");
  io.time(now_, 0.0, latest, "now");
  io.value(events_executed_);
  StateStream::Section calendar(io, "calendar");
  calendar_.transfer_state(io, now_, most_pending);
}

}  // namespace linetwin
