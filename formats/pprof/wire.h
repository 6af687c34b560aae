// A bounds-checked cursor over protobuf wire-format bytes (shared/formats/pprof.md §2).
//
// The cursor decodes keys, varints and length-delimited payloads of an untrusted buffer. It
// never reads outside [begin, end) and reports every problem as core::InputError::at_byte
// with the absolute byte offset (in the decompressed input) where decoding failed, and a
// message "pprof: ... expected X, got Y". No allocation, no recursion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/errors.h"

namespace memleak::formats::pprof_wire {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

struct Key {
  uint32_t field = 0;
  uint32_t wire = 0;
  uint64_t offset = 0;  // where the key starts
};

class Cursor {
 public:
  // `what` names the message being decoded ("Profile", "Sample", ...) for error messages;
  // `path` is the input's path. [begin, end) are offsets into `data`.
  Cursor(const std::string* path, std::string_view data, size_t begin, size_t end,
         const char* what)
      : path_(path), data_(data), pos_(begin), end_(end), what_(what) {}

  bool at_end() const { return pos_ >= end_; }
  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  const char* what() const { return what_; }

  // Throws at the cursor's position.
  [[noreturn]] void fail(uint64_t offset, std::string message) const {
    throw core::InputError::at_byte(*path_, offset, "pprof: " + std::move(message));
  }

  uint64_t varint() {
    // Fast paths, inlined into the decode loops: a one-byte varint (keys, small ids), and
    // up to four bytes (ids and sizes), with no bounds check per byte. They need four bytes
    // readable in the buffer, not in the message: a varint that ends past the message's end
    // (possible only in a corrupt input) goes to the slow path, which reports it.
    if (data_.size() - pos_ >= 4) {
      const auto* p = reinterpret_cast<const uint8_t*>(data_.data()) + pos_;
      if (!(p[0] & 0x80)) {
        if (pos_ < end_) {
          ++pos_;
          return p[0];
        }
      } else {
        uint64_t v = p[0] & 0x7f;
        for (unsigned i = 1; i < 4; ++i) {
          v |= uint64_t(p[i] & 0x7f) << (7 * i);
          if (!(p[i] & 0x80)) {
            if (end_ - pos_ < i + 1) break;
            pos_ += i + 1;
            return v;
          }
        }
      }
    }
    return varint_slow();
  }

 private:
  uint64_t varint_slow() {
    const size_t start = pos_;
    if (end_ - pos_ >= 10) {  // a whole varint fits: no bounds check per byte
      const auto* p = reinterpret_cast<const uint8_t*>(data_.data()) + pos_;
      uint64_t v = 0;
      for (unsigned i = 0; i < 10; ++i) {
        if (i == 9 && p[i] > 1)
          fail(start, fmt::format("{}: expected a varint of at most 64 bits, got more", what_));
        v |= uint64_t(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
          pos_ += i + 1;
          return v;
        }
      }
      fail(start, fmt::format("{}: expected a varint of at most 10 bytes, got more", what_));
    }
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
      if (pos_ >= end_)
        fail(start, fmt::format("{}: expected a varint, got the end of the {}", what_,
                                pos_ == start ? "message" : "message inside the varint"));
      const auto b = static_cast<uint8_t>(data_[pos_++]);
      if (shift == 63 && b > 1)
        fail(start, fmt::format("{}: expected a varint of at most 64 bits, got more", what_));
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail(start, fmt::format("{}: expected a varint of at most 10 bytes, got more", what_));
  }

 public:

  Key key() {
    Key k;
    k.offset = pos_;
    const uint64_t v = varint();
    if ((v >> 3) == 0 || (v >> 3) > 0x1fffffff)
      fail(k.offset, fmt::format("{}: expected a field number from 1 to 536870911, got {}",
                                 what_, v >> 3));
    k.field = static_cast<uint32_t>(v >> 3);
    k.wire = static_cast<uint32_t>(v & 7);
    return k;
  }

  // Reads a length prefix and returns the payload's [begin, end); the cursor moves past it.
  std::pair<size_t, size_t> length_delimited(const Key& k) {
    const uint64_t len = varint();
    const size_t left = end_ - pos_;
    if (len > left)
      fail(k.offset, fmt::format("{} field {}: expected {} bytes, got only {} before the end of "
                                 "the {}",
                                 what_, k.field, len, left, what_));
    const size_t b = pos_;
    pos_ += static_cast<size_t>(len);
    return {b, pos_};
  }

  // Skips the payload of an unknown field.
  void skip(const Key& k) {
    switch (k.wire) {
      case kVarint: (void)varint(); return;
      case kFixed64: fixed(k, 8); return;
      case kFixed32: fixed(k, 4); return;
      case kLen: (void)length_delimited(k); return;
      default:
        fail(k.offset, fmt::format("{} field {}: expected wire type 0, 1, 2 or 5, got {}{}",
                                   what_, k.field, k.wire,
                                   k.wire == 3 || k.wire == 4 ? " (group)" : ""));
    }
  }

  // A known field arrived with the wrong wire type.
  [[noreturn]] void wrong_wire(const Key& k, const char* field_name, uint32_t expected) const {
    fail(k.offset, fmt::format("{}.{}: expected wire type {}, got {}", what_, field_name,
                               expected, k.wire));
  }

  std::string_view bytes(size_t b, size_t e) const { return data_.substr(b, e - b); }

 private:
  void fixed(const Key& k, size_t n) {
    if (end_ - pos_ < n)
      fail(k.offset, fmt::format("{} field {}: expected {} bytes, got only {}", what_, k.field,
                                 n, end_ - pos_));
    pos_ += n;
  }

  const std::string* path_;
  std::string_view data_;
  size_t pos_;
  size_t end_;
  const char* what_;
};

}  // namespace memleak::formats::pprof_wire
