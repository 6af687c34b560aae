// A growable byte buffer in anonymous pages of its own, for a whole decompressed input that a
// reader must hold while it decodes (pprof: samples come before the locations they name).
//
// Two things a std::vector<char> cannot do: grow without copying (mremap moves the pages),
// and give back the pages of bytes that have been read for the last time (release), so that
// a reader which consumes the buffer front to back while building its own tables does not
// hold both at full size. Pages that are reserved but never written cost address space only.
#pragma once

#include <cstddef>

namespace memleak::formats {

class PageBuffer {
 public:
  // Room for `capacity` bytes at first (at least one page). Throws std::bad_alloc.
  explicit PageBuffer(size_t capacity);
  ~PageBuffer();
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // The free room after size(): write up to capacity() - size() bytes there, then commit().
  char* tail() { return data_ + size_; }
  void commit(size_t bytes) { size_ += bytes; }
  // At least double the capacity; data() may move, the bytes do not change.
  void grow();

  // Gives the whole pages inside [begin, end) back to the system. The caller promises never
  // to read those bytes again (they read as zero afterwards). Partial pages at either end are
  // kept, so bytes outside the range are never lost.
  void release(size_t begin, size_t end);

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace memleak::formats
