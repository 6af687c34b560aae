// Tests of core::FlatIndex (core/flat_index.h).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/flat_index.h"

using memleak::core::FlatIndex;

TEST_CASE("core::FlatIndex finds what was added, through collisions and growth") {
  // The keys live outside the index, as its users keep them; the hash is chosen badly on
  // purpose (every eighth key shares one hash) so that probing past equal hashes is tested.
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("key" + std::to_string(i));
  auto hash_of = [](size_t i) { return uint64_t(i / 8) * 0x9e3779b97f4a7c15ULL; };
  FlatIndex<uint32_t> index(4);  // starts tiny: grows many times
  auto find = [&](const std::string& key, size_t i) {
    return index.find(hash_of(i), [&](uint32_t e) { return keys[e] == key; });
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(find(keys[i], i) == FlatIndex<uint32_t>::kNone);
    index.add(hash_of(i), uint32_t(i));
  }
  CHECK(index.size() == keys.size());
  for (size_t i = 0; i < keys.size(); ++i) CHECK(find(keys[i], i) == uint32_t(i));
  // A hash that is there, with a key that is not; a hash that is not there at all.
  CHECK(find("absent", 8) == FlatIndex<uint32_t>::kNone);
  CHECK(index.find(12345, [](uint32_t) { return true; }) == FlatIndex<uint32_t>::kNone);
}

TEST_CASE("core::FlatIndex with 64-bit entries") {
  FlatIndex<uint64_t> index;
  const uint64_t big = (uint64_t(7) << 32) | 0xffffffffu;  // the shape of SeriesIndex's entries
  index.add(42, big);
  CHECK(index.find(42, [&](uint64_t e) { return e == big; }) == big);
  CHECK(index.find(42, [](uint64_t) { return false; }) == FlatIndex<uint64_t>::kNone);
}
