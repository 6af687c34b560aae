// Symbolization: names for the frames of a profile that holds only addresses (gperftools and
// jemalloc heap dumps, unsymbolized profile.proto files), from the binaries that ran, as
// `pprof BINARY PROFILE` and pprof's PPROF_BINARY_PATH do.
//
// Contract: a frame with a module and no function is an address, stored as the offset in the
// module's file (the readers of both pprof formats store it so). Each such module is looked
// for, in this order:
//   1. DIR/NAME for each directory of SymbolOptions::search_path (NAME: the module's file
//      name; --symbol-path, else $PPROF_BINARY_PATH),
//   2. NAME in the directory of the profile itself (binaries kept next to their dumps),
//   3. the module's path as recorded, if it is absolute (the machine that recorded it:
//      system libraries);
// the first that is an ELF file whose loaded segments hold every offset asked for is used.
// Its frames get function, file and line from addr2line (inlined callers become frames of
// their own, innermost first); addresses it cannot name stay as module+offset. Nothing is
// fatal: a module that is not found or cannot be symbolized keeps its addresses, and one
// warning on the profile lists such modules with the reason.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "formats/symbols/addr2line.h"

namespace memleak::formats::symbols {

// addr2line's answers, kept across the inputs of one run: a series of dumps of one program
// asks about the same binaries and mostly the same addresses, and addr2line reads a
// binary's line tables anew every time it starts. Thread-safe (inputs are read in parallel):
// inputs asking about one binary at once take turns, so the second finds the first's answers
// and runs addr2line only for what is still unknown; different binaries run side by side.
class SymbolCache {
 public:
  // `silence_limit`: as run_addr2line's.
  explicit SymbolCache(std::chrono::milliseconds silence_limit = kAddr2lineSilenceLimit)
      : silence_limit_(silence_limit) {}
  // The chains of `vaddrs` in `binary`, running addr2line only for addresses not asked
  // before. Throws SymbolizerError as run_addr2line does; a binary whose addr2line failed
  // fails at once, with the same error, for the rest of the run (a hanging addr2line costs
  // its time limit once, not once per input).
  SourceChains resolve(const std::string& binary, std::span<const uint64_t> vaddrs);
  // How many times addr2line was run, or tried and failed (for tests and the bench).
  size_t runs() const;

 private:
  struct Binary {
    std::mutex mutex;  // held while this binary's addresses are looked up or resolved
    std::unordered_map<uint64_t, std::vector<SourceFrame>> chains;
    std::optional<std::string> failed;  // addr2line's error, once it failed
  };
  mutable std::mutex mutex_;  // guards binaries_ (its nodes never move) and runs_
  std::map<std::string, Binary> binaries_;
  size_t runs_ = 0;
  std::chrono::milliseconds silence_limit_;
};

struct SymbolOptions {
  bool enabled = true;
  std::vector<std::string> search_path;  // directories, in order
  // Shared by the inputs of one run; null: every input runs addr2line itself.
  std::shared_ptr<SymbolCache> cache;
};

// Directories from a colon-separated list ("a:b"; empty entries skipped).
std::vector<std::string> split_search_path(const std::string& list);

void symbolize(core::Profile& profile, const std::string& profile_path,
               const SymbolOptions& options);

}  // namespace memleak::formats::symbols
