// Shared by the fuzz targets (tests/fuzz/fuzz_*.cpp).
//
// The readers take a path, not a buffer (they stream, reopen, and sniff compression), so each
// input is written to one in-memory file per process (memfd) and read back through its
// /proc/self/fd/N path: no disk I/O per run, nothing left behind when a run crashes.
//
// Contract of every target: core::InputError and core::UsageError are the expected ways for
// hostile bytes to fail; anything else (another exception, a sanitizer report, a violated
// invariant of the profile a reader returned) is a finding and aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/model.h"

namespace memleak::fuzz {

// Replaces the scratch file's contents with [data, data+size) and returns its path.
const std::string& write_scratch(const uint8_t* data, size_t size);

// Aborts (a crash the fuzzer records) when a reader returned dangling ids: a sample whose
// stack, a stack whose frame, or a frame whose string is not in the profile's tables. Later
// stages index those tables unchecked, so a reader must never return such a profile.
void check_profile(const core::Profile& p);

// Runs f(); swallows the two expected error types, lets everything else escape.
template <class F>
void expecting_input_errors(F&& f);

}  // namespace memleak::fuzz

#include "core/errors.h"

template <class F>
void memleak::fuzz::expecting_input_errors(F&& f) {
  try {
    f();
  } catch (const core::InputError& e) {
    (void)e.message();  // rendering the message must be safe too
  } catch (const core::UsageError&) {
  }
}

#include "formats/reader.h"

namespace memleak::fuzz {

// Writes the input to the scratch file and reads it like `memleak show PATH[SELECTOR]
// --input-format FORMAT` would (FORMAT "" = detect), checking the result's invariants.
// Decompressed input is capped at 64 MiB so that a compression bomb stays inside the
// fuzzer's memory limit (the cap's own error path is what gets exercised).
inline void read_and_check(const uint8_t* data, size_t size, const char* format,
                           const char* selector = "") {
  const std::string& path = write_scratch(data, size);
  expecting_input_errors([&] {
    formats::ReadOptions options;
    options.input_format = format;
    options.max_input_size = 64ULL << 20;
    const core::Profile p = formats::read_profile(formats::parse_input_spec(path + selector),
                                                  options);
    check_profile(p);
  });
}

}  // namespace memleak::fuzz
