#include "tests/fuzz/fuzz_common.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace memleak::fuzz {

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz: %s\n", what);
  std::abort();
}

struct Scratch {
  int fd = -1;
  std::string path;
  Scratch() {
    // memfd: a regular file (readers may reopen it for a second pass) that lives in memory.
    fd = ::memfd_create("memleak-fuzz", MFD_CLOEXEC);
    if (fd < 0) die("memfd_create failed");
    path = "/proc/self/fd/" + std::to_string(fd);
  }
};

}  // namespace

const std::string& write_scratch(const uint8_t* data, size_t size) {
  static Scratch s;
  if (::ftruncate(s.fd, 0) != 0) die("ftruncate failed");
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(s.fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) die("pwrite failed");
    done += static_cast<size_t>(n);
  }
  return s.path;
}

void check_profile(const core::Profile& p) {
  const size_t nstrings = p.strings.size(), nframes = p.frames.size(), nstacks = p.stacks.size();
  for (size_t f = 0; f < nframes; ++f) {
    const core::Frame& fr = p.frames[static_cast<core::FrameId>(f)];
    if (fr.function >= nstrings || fr.file >= nstrings || fr.module >= nstrings)
      die("a frame refers to a string outside the string table");
  }
  for (size_t s = 0; s < nstacks; ++s)
    for (core::FrameId id : p.stacks[static_cast<core::StackId>(s)])
      if (id >= nframes) die("a stack refers to a frame outside the frame table");
  for (const auto& snap : p.snapshots)
    for (const auto& smp : snap.samples)
      if (smp.stack >= nstacks) die("a sample refers to a stack outside the stack table");
}

}  // namespace memleak::fuzz
