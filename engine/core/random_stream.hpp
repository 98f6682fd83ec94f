// Independent random-number streams, one per (element, purpose, replication).
//
// Each stream's state is derived by hashing the scene seed, the element's id (its name in the
// scene, not its position), the purpose of the draws ("processing", "failure", ...) and the
// replication index. So adding, removing or reordering elements leaves every other element's draws
// unchanged, and two scenarios that differ in one station still see the same arrivals and the same
// failures elsewhere: common random numbers, which is what makes what-if comparisons sharp.
//
// Generator: xoshiro256++ (Blackman & Vigna, 2019), seeded through SplitMix64 as its authors
// recommend. It is fast, passes BigCrush, and its output is fully specified, so the same seed
// gives the same numbers with any compiler or standard library (std::*_distribution does not
// promise that; the distributions in distribution.hpp are implemented here for that reason).
#pragma once

#include <cstdint>
#include <string_view>

namespace linetwin {

class StateStream;

// 64-bit FNV-1a: a stable, documented hash of an element's id.
constexpr std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class RandomStream {
 public:
  RandomStream() : RandomStream(0, "", "", 0) {}
  RandomStream(std::uint64_t scene_seed, std::string_view element_id, std::string_view purpose,
               std::uint64_t replication) {
    // Mix every part through SplitMix64 in turn so that no two keys collide by simple algebra.
    std::uint64_t mix = scene_seed;
    std::uint64_t key = splitmix64(mix) ^ stable_hash(element_id);
    key = splitmix64(key) ^ stable_hash(purpose);
    key = splitmix64(key) ^ replication;
    for (auto& word : state_)
      word = splitmix64(key);
  }

  [[gnu::always_inline]] std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits.
  [[gnu::always_inline]] double uniform01() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  }
  // Uniform on (0, 1]: safe to take the logarithm of.
  [[gnu::always_inline]] double uniform_open0() {
    return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53;
  }

  // Saves or restores the generator's state (a saved run, core/state_stream.hpp).
  void transfer_state(StateStream& io);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace linetwin
