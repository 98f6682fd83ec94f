// StateStream: the saved state of a simulation run as bytes, written and read back by one function
// per part of the run (`transfer_state(StateStream&)`), which takes each field by reference: the
// writer reads it, the reader assigns it. One function for both directions is what keeps what is
// written and what is read from drifting apart.
//
// The container: a 16-byte magic, a format version, the file's length, the content, and a 64-bit
// FNV-1a checksum of everything before it. Numbers are little-endian whatever the machine, doubles
// their IEEE 754 bits, so a state read back is the state written, to the bit. The reader treats a
// state as untrusted input (it travels; it may be truncated, damaged or no state at all): the
// length and the checksum turn truncation and damage into errors before any field is read, and
// each field is still checked as it is read, a count against the most the model allows and
// against the bytes left (so a length never allocates more than the file holds), an index against
// what it indexes, an enumerator against its values. Every failure is an InputError that names the
// file, the field (`stations[OP30].servers[1].state`), what was expected and the byte.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace linetwin {

// FNV-1a over bytes, 64 bits: the state's checksum and the scene's fingerprint. Stable across
// machines and releases (stable_hash in random_stream.hpp is the same function over a string).
class StableHash {
 public:
  void bytes(std::string_view data) {
    for (char c : data) {
      value_ ^= static_cast<unsigned char>(c);
      value_ *= 0x100000001b3ULL;
    }
  }
  void number(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      value_ ^= (v >> (8 * i)) & 0xFF;
      value_ *= 0x100000001b3ULL;
    }
  }
  void number(double v) { number(std::bit_cast<std::uint64_t>(v)); }
  // A text as its length and its bytes, so that ("ab", "c") and ("a", "bc") differ.
  void text(std::string_view data) {
    number(static_cast<std::uint64_t>(data.size()));
    bytes(data);
  }
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

class StateStream {
 public:
  static constexpr std::uint32_t kFormatVersion = 1;

  // Writes a state into `out` (cleared); finish() completes it.
  static StateStream writer(std::string& out);
  // Reads the state in `bytes`, which came from `file` (named in errors). Checks the magic, the
  // version, the length and the checksum before anything else.
  static StateStream reader(std::string_view bytes, std::string file);
  // The bytes of a state from `in`: no more than its header's length (and one byte past it, to
  // tell a longer file), so that neither an endless stream nor a damaged length is read whole.
  static std::string read_bytes(std::istream& in, const std::string& file);

  bool reading() const { return out_ == nullptr; }
  // Writing: appends the checksum (the state is complete). Reading: checks that every byte of the
  // content was read.
  void finish();

  // A section of the state, such as "stations[OP30]" or "servers[2]", while it lives: errors name
  // the fields within it by the path of the sections open.
  class Section {
   public:
    Section(StateStream& io, std::string name) : io_(io) { io_.path_.push_back(std::move(name)); }
    Section(StateStream& io, std::string_view name, std::size_t index);
    Section(StateStream& io, std::string_view name, std::string_view id);
    ~Section() { io_.path_.pop_back(); }
    Section(const Section&) = delete;
    Section& operator=(const Section&) = delete;

   private:
    StateStream& io_;
  };

  // Four letters that begin a part's fields: a reader that is out of step with the writer stops
  // at the next part with an error that says so, instead of reading one field as another.
  void tag(std::string_view letters);

  // Numbers and flags, as they are: the caller checks what a number means.
  template <class T>
  requires(std::is_arithmetic_v<T>) void value(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      std::uint8_t byte = v ? 1 : 0;
      raw(byte, 1);
      if (reading()) {
        if (byte > 1) fail_value("", "a flag (0 or 1)", byte);
        v = byte == 1;
      }
    } else if constexpr (std::is_floating_point_v<T>) {
      static_assert(sizeof(T) == 8);
      std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
      raw(bits, 8);
      v = std::bit_cast<T>(bits);
    } else {
      auto bits = static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(v));
      raw(bits, sizeof(T));
      v = static_cast<T>(static_cast<std::make_unsigned_t<T>>(bits));
    }
  }
  // An enumerator, read only if it is one of first..last (consecutive values).
  template <class E>
  requires(std::is_enum_v<E>) void enumerator(E& e, E last, std::string_view field) {
    auto bits = static_cast<std::uint64_t>(e);
    raw(bits, sizeof(E));
    if (reading()) {
      if (bits > static_cast<std::uint64_t>(last))
        fail_value(field, "one of 0 to " + std::to_string(static_cast<std::uint64_t>(last)), bits);
      e = static_cast<E>(bits);
    }
  }
  // An index into something of `size` items, or `none` where there may be none.
  static constexpr std::uint64_t kNoNone = ~std::uint64_t{0};
  void index(std::uint32_t& i, std::uint64_t size, std::string_view field,
             std::uint64_t none = kNoNone);
  // A time: finite, within [earliest, latest].
  void time(double& t, double earliest, double latest, std::string_view field);
  // How many items follow: `n` when writing; when reading, the count read, refused above `most`
  // or where `n * bytes_each` exceeds the bytes left.
  std::size_t count(std::size_t n, std::uint64_t most, std::size_t bytes_each,
                    std::string_view field);
  void text(std::string& s, std::string_view field);

  // Throws the InputError for `field` in the current section: "expected <expected>".
  [[noreturn]] void fail(std::string_view field, const std::string& expected) const;
  [[noreturn]] void fail_value(std::string_view field, const std::string& expected,
                               std::uint64_t found) const;
  // fail() unless `ok`.
  void check(bool ok, std::string_view field, const std::string& expected) const {
    if (!ok) fail(field, expected);
  }
  const std::string& file() const { return file_; }

 private:
  StateStream() = default;
  // Writes the `size` low bytes of `bits`, or reads them into it.
  void raw(std::uint64_t& bits, std::size_t size);
  void raw(std::uint8_t& byte, std::size_t size) {
    std::uint64_t bits = byte;
    raw(bits, size);
    byte = static_cast<std::uint8_t>(bits);
  }
  std::size_t left() const { return in_.size() - position_; }

  std::string* out_ = nullptr;
  std::string_view in_;  // the content, checksum excluded
  std::size_t position_ = 0;
  std::string file_;
  std::vector<std::string> path_;
};

}  // namespace linetwin
