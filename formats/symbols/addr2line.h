// Source frames for addresses in one binary, from GNU addr2line (binutils), as pprof does
// for profiles that hold only addresses. memleak reads no DWARF itself: addr2line already
// knows every compiler's line tables, inlining and split debug info (/usr/lib/debug), and
// it stays a separate process, so a hostile binary can crash it but not memleak.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace memleak::formats::symbols {

struct SourceFrame {
  std::string function;  // demangled; empty when unknown
  std::string file;      // empty when unknown
  uint32_t line = 0;     // 0 when unknown
  friend bool operator==(const SourceFrame&, const SourceFrame&) = default;
};

// Per address: its frames, innermost (inlined) first; empty when addr2line knows nothing of
// it (function and file both unknown).
using SourceChains = std::vector<std::vector<SourceFrame>>;

class SymbolizerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses the output of `addr2line -a -f -i -C` for `vaddrs`, in order: for each address a
// line "0x%016x", then pairs of lines "function" and "file:line" ("??" and "??:0" or "??:?"
// when unknown; a line may end in " (discriminator N)"). Throws SymbolizerError when the
// output does not have that shape. "." segments of file names are removed (gcc writes
// "././file.c" for sources compiled from the current directory).
SourceChains parse_addr2line_output(std::string_view output, std::span<const uint64_t> vaddrs);

// How long addr2line may go without writing anything before it is stopped: a binary whose
// debug information makes it loop must not hang memleak. Generous: addr2line writes through
// a 4 KiB stdio buffer, and loading the debug information of a large binary takes seconds.
inline constexpr std::chrono::milliseconds kAddr2lineSilenceLimit{120'000};

// Runs `addr2line -a -f -i -C -e binary` (found on PATH) over `vaddrs`, fed on standard input
// from an unlinked temporary file (no pipe to deadlock on). Throws SymbolizerError when
// addr2line cannot be started, fails, answers in another shape, or writes nothing for
// `silence_limit` (it is killed then).
SourceChains run_addr2line(const std::string& binary, std::span<const uint64_t> vaddrs,
                           std::chrono::milliseconds silence_limit = kAddr2lineSilenceLimit);

}  // namespace memleak::formats::symbols
