// A fast 64-bit hash of bytes, for the hash tables of the hot paths (interned strings,
// massif's frame texts). Not for anything that must resist chosen collisions: every table
// that uses it compares the bytes on a hash match, so a collision costs time, never a
// wrong answer. About twice the speed of std::hash<std::string_view> on 50-100 byte
// frame names: one multiply per eight bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace memleak::core {

inline uint64_t hash_bytes(std::string_view s) {
  constexpr uint64_t kMul = 0xbf58476d1ce4e5b9ULL;
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t(n) * kMul);
  auto mix = [&](uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 31;
  };
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    mix(w);
  }
  if (i < n) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    mix(w);
  }
  h ^= h >> 32;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

struct BytesHash {
  size_t operator()(std::string_view s) const noexcept { return size_t(hash_bytes(s)); }
};

}  // namespace memleak::core
