// Tests of formats/output/byte_sink.h: bytes arrive in order through FdSink's buffer whatever
// the sizes of the pieces, and a failed write is an error naming the sink, not a short file.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/errors.h"
#include "formats/output/byte_sink.h"

using namespace memleak;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("formats::FdSink writes every piece in order, small, buffer-sized and larger") {
  const fs::path path = fs::temp_directory_path() / ("memleak_sink_" + std::to_string(::getpid()));
  struct Remove {
    fs::path path;
    ~Remove() { fs::remove(path); }
  } remove{path};
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  std::string expected;
  {
    formats::FdSink sink(fd, path.string());
    const size_t sizes[] = {0, 1, 7, formats::FdSink::kFlushBytes - 1, 3, formats::FdSink::kFlushBytes,
                            formats::FdSink::kFlushBytes + 1, 2 * formats::FdSink::kFlushBytes + 5,
                            12, 0, 100000};
    char fill = 'a';
    for (const size_t n : sizes) {
      std::string piece(n, fill);
      for (size_t i = 0; i < n; i += 4093) piece[i] = char('0' + i % 10);  // not one byte
      fill = fill == 'z' ? 'a' : char(fill + 1);
      sink.write(piece);
      expected += piece;
    }
    sink.flush();
    sink.flush();  // nothing left: writes nothing
  }
  ::close(fd);
  CHECK(read_all(path) == expected);
}

TEST_CASE("formats::FdSink: a failed write names the sink and the reason") {
  const int fd = ::open("/dev/full", O_WRONLY);
  if (fd < 0) return;  // (no /dev/full on this system)
  {
    formats::FdSink sink(fd, "standard output");
    sink.write("buffered: nothing written yet");
    CHECK_THROWS_WITH_AS(sink.flush(), "cannot write standard output: No space left on device",
                         core::UsageError);
    sink.flush();  // the failed bytes were dropped: nothing left to fail on
  }
  {
    // A piece larger than the buffer is written directly, and fails there.
    formats::FdSink sink(fd, "/dev/full");
    CHECK_THROWS_WITH_AS(sink.write(std::string(formats::FdSink::kFlushBytes + 1, 'x')),
                         "cannot write /dev/full: No space left on device", core::UsageError);
  }
  ::close(fd);
}

TEST_CASE("formats::StringSink appends") {
  std::string out = "head ";
  formats::StringSink sink(out);
  sink.write("a");
  sink.write("");
  sink.write("bc");
  CHECK(out == "head abc");
}
