// Demangling of C++ symbol names found in heaptrack traces.
//
// heaptrack_interpret normally writes demangled names, but traces from old versions (and
// symbols it could not demangle itself) carry Itanium-mangled names ("_ZN3foo3barEv").
// memleak shows full names, never shortened.
#pragma once

#include <string>
#include <string_view>

namespace memleak::formats::heaptrack {

// The demangled form of `name` when it is an Itanium-mangled C++ name (starts with "_Z")
// that abi::__cxa_demangle accepts; otherwise `name` unchanged. Never throws on bad input.
std::string demangle(std::string_view name);

}  // namespace memleak::formats::heaptrack
