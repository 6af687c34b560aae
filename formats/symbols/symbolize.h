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

#include <string>
#include <vector>

#include "core/model.h"

namespace memleak::formats::symbols {

struct SymbolOptions {
  bool enabled = true;
  std::vector<std::string> search_path;  // directories, in order
};

// Directories from a colon-separated list ("a:b"; empty entries skipped).
std::vector<std::string> split_search_path(const std::string& list);

void symbolize(core::Profile& profile, const std::string& profile_path,
               const SymbolOptions& options);

}  // namespace memleak::formats::symbols
