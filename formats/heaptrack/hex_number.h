// Hex numbers as the heaptrack trace writes them, read one digit at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace memleak::formats::heaptrack {

enum class HexStatus { Ok, Invalid, Overflow };

// Hex digit values, 0xff for anything else. A table, not a branch per digit (0-9 or a-f):
// those are mispredicted about every other digit of random indices.
inline constexpr auto kHexDigit = [] {
  std::array<uint8_t, 256> t{};
  t.fill(0xff);
  for (int c = '0'; c <= '9'; ++c) t[size_t(c)] = uint8_t(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[size_t(c)] = uint8_t(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[size_t(c)] = uint8_t(c - 'A' + 10);
  return t;
}();

// A hex number read one digit at a time, wherever its digits come from (a field of a line,
// or a field cut across two views of the stream: DurationScan). Hand-written: no locale, no
// iostreams; lowercase is what heaptrack writes, uppercase is accepted too. 64 bits at most
// (leading zeros do not count).
struct HexNumber {
  uint64_t value = 0;
  bool empty = true, invalid = false, overflow = false;
  void add(char c) {
    const uint8_t d = kHexDigit[uint8_t(c)];
    empty = false;
    if (d == 0xff) invalid = true;
    if (value >> 60) overflow = true;
    value = (value << 4) | (d & 0xf);
  }
  HexStatus status() const {
    if (empty || invalid) return HexStatus::Invalid;
    return overflow ? HexStatus::Overflow : HexStatus::Ok;
  }
};

inline HexStatus parse_hex(std::string_view s, uint64_t& out) {
  HexNumber n;
  for (const char c : s) n.add(c);
  const HexStatus status = n.status();
  if (status == HexStatus::Ok) out = n.value;
  return status;
}

}  // namespace memleak::formats::heaptrack
