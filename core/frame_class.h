// Frame classification: which frames are allocator internals (dropped from sites), which are
// library or runtime code (kept in a site but never ending it), and which are the program's
// own code (the first one ends the default site).
//
// The rules are tables, not if-chains, so that they can be read and extended in one place:
//  - Go (a frame whose file ends in ".go", or whose name has a Go package path): program code
//    is every package outside the standard library, decided by the first element of the
//    import path against the standard library's top-level package list (so `myapp/internal/x`
//    is program code and `net/http` is not).
//  - C/C++: library code is a frame in a system module (/lib, /usr/lib, ...), from a system
//    header (/usr/include, or a libstdc++ header basename as massif prints them), or named in
//    a reserved namespace (std::, __gnu_cxx::, __ prefixes, libstdc++'s _M_/_S_ members).
#pragma once

#include <string_view>

namespace memleak::core {

enum class FrameKind : uint8_t {
  Allocator,  // malloc, operator new, runtime.mallocgc, ...: dropped from the leaf of a stack
  Library,    // standard library, runtime, system libraries and headers
  Program,    // the program's own code
  Unknown,    // no symbol: kept, treated like library code
};

// `function` may be empty (unsymbolized frame); `file` and `module` may be empty.
FrameKind classify_frame(std::string_view function, std::string_view file,
                         std::string_view module);

// The Go package path of a function name ("net/http.(*conn).serve" -> "net/http"), or empty
// when the name does not look like a Go symbol.
std::string_view go_package(std::string_view function);
bool is_go_std_package(std::string_view package);

}  // namespace memleak::core
