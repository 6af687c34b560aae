#include "formats/page_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <new>

namespace memleak::formats {
namespace {

size_t page_size() {
  static const size_t size = size_t(sysconf(_SC_PAGESIZE));
  return size;
}

size_t round_up(size_t n, size_t page) { return (n + page - 1) / page * page; }

}  // namespace

PageBuffer::PageBuffer(size_t capacity) {
  capacity_ = round_up(std::max<size_t>(capacity, 1), page_size());
  void* p = mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<char*>(p);
}

PageBuffer::~PageBuffer() { munmap(data_, capacity_); }

void PageBuffer::grow() {
  if (capacity_ > SIZE_MAX / 2) throw std::bad_alloc();
  const size_t bigger = capacity_ * 2;
  void* p = mremap(data_, capacity_, bigger, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<char*>(p);
  capacity_ = bigger;
}

void PageBuffer::release(size_t begin, size_t end) {
  const size_t page = page_size();
  begin = round_up(begin, page);
  end = std::min(end, capacity_) / page * page;
  // MADV_DONTNEED on a private anonymous mapping frees the pages now; failure only means
  // the memory stays resident, so it is not an error.
  if (begin < end) madvise(data_ + begin, end - begin, MADV_DONTNEED);
}

}  // namespace memleak::formats
