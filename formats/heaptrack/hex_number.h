// Hex numbers as the heaptrack trace writes them, read one digit at a time.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
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

// The line "DIGITS\n" at the start of the eight bytes at `p` (all eight must be readable):
// 1 to 7 lowercase hex digits, then '\n'. Its value and number of digits; digits 0 when the
// bytes are anything else (uppercase, 8 digits, no '\n' among them...), for the caller's
// digit-by-digit path to decide. Eight bytes at once: the loop over digits ended in a
// mispredicted branch on nearly every line (their lengths vary), a fifth of the replay.
struct HexLine {
  uint32_t value = 0;
  uint32_t digits = 0;
};
inline HexLine hex_line8(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  uint64_t word = 0;
  std::memcpy(&word, p, 8);
  // Bytes equal to '\n' (the usual zero-byte test; a false positive can only follow a true
  // one, so the lowest is right).
  const uint64_t x = word ^ (kOnes * '\n');
  const uint64_t newline = (x - kOnes) & ~x & kHigh;
  if (newline == 0) return {};
  const uint32_t digits = uint32_t(__builtin_ctzll(newline)) >> 3;
  if (digits == 0) return {};
  const uint64_t keep = (uint64_t(1) << (8 * digits)) - 1;  // digits <= 7
  const uint64_t d = word & keep;
  // Each kept byte in '0'..'9' or 'a'..'f': range tests on its low seven bits (no carry
  // between bytes: every sum stays below 0x100), and its top bit clear.
  const uint64_t low7 = d & ~kHigh;
  const uint64_t ge_0 = low7 + kOnes * (0x80 - '0');
  const uint64_t gt_9 = low7 + kOnes * (0x80 - '9' - 1);
  const uint64_t ge_a = low7 + kOnes * (0x80 - 'a');
  const uint64_t gt_f = low7 + kOnes * (0x80 - 'f' - 1);
  const uint64_t hex = ((ge_0 & ~gt_9) | (ge_a & ~gt_f)) & ~d & kHigh;
  if ((hex & keep) != (kHigh & keep)) return {};
  // Digit values ('a'..'f' have bit 6 set), most significant first -> last first, then
  // nibbles packed pairwise.
  uint64_t v = (d & (kOnes * 0x0f)) + 9 * ((d >> 6) & kOnes);
  v = __builtin_bswap64(v) >> (64 - 8 * digits);
  v = (v | (v >> 4)) & 0x00ff00ff00ff00ffULL;
  v = (v | (v >> 8)) & 0x0000ffff0000ffffULL;
  v = (v | (v >> 16)) & 0x00000000ffffffffULL;
  return {uint32_t(v), digits};
}

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
