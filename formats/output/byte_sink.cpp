#include "formats/output/byte_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.h"

namespace memleak::formats {

FdSink::FdSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
  buffer_.reserve(kFlushBytes);
}

void FdSink::write(std::string_view bytes) {
  if (buffer_.size() + bytes.size() > kFlushBytes) {
    flush();
    // A piece larger than the buffer goes out directly instead of through it.
    if (bytes.size() >= kFlushBytes) return write_all(bytes);
  }
  buffer_ += bytes;
}

void FdSink::flush() {
  try {
    write_all(buffer_);
  } catch (...) {
    buffer_.clear();  // (not written again by a later flush)
    throw;
  }
  buffer_.clear();
}

void FdSink::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      throw core::UsageError(fmt::format("cannot write {}: {}", name_, std::strerror(err)));
    }
    bytes.remove_prefix(size_t(n));
  }
}

}  // namespace memleak::formats
