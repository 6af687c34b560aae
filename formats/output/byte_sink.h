// Where a writer's bytes go: a string (tests, the wrappers that return one) or a file
// descriptor (standard output, the temporary file of --output), written as they are made.
//
// Why writers stream instead of returning one string: a report of every site (--top 0) of a
// large input is hundreds of MB of JSON (684 MB for a 400k-sample pprof pair), and holding
// it whole before the first byte went out doubled the command's peak memory (829 MiB against
// 178 MiB for the same diff in text) and kept a consumer such as `jq` waiting for all of it.
//
// Contract: write() takes the bytes in order; FdSink buffers them (kFlushBytes) and write(2)s
// whole buffers, retrying short writes and EINTR; flush() writes what is left, and the
// destructor does not (a sink dropped by an exception leaves its buffer unwritten). A failed
// write(2) throws core::UsageError naming the sink ("cannot write standard output: No space
// left on device"; a non-blocking descriptor that would block is such a failure too), so
// that a truncated report never ends in exit status 0; the buffer is dropped then. FdSink
// neither opens nor closes its descriptor.
#pragma once

#include <string>
#include <string_view>

namespace memleak::formats {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::string_view bytes) = 0;
};

class StringSink final : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(std::string_view bytes) override { out_ += bytes; }

 private:
  std::string& out_;
};

class FdSink final : public ByteSink {
 public:
  static constexpr size_t kFlushBytes = 1 << 20;
  // `name` is for error messages ("standard output", a path).
  FdSink(int fd, std::string name);
  FdSink(const FdSink&) = delete;
  FdSink& operator=(const FdSink&) = delete;
  void write(std::string_view bytes) override;
  void flush();

 private:
  void write_all(std::string_view bytes);
  int fd_;
  std::string name_;
  std::string buffer_;
};

}  // namespace memleak::formats
