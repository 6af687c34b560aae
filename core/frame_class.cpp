#include "core/frame_class.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace memleak::core {

namespace {

// Functions that only allocate: they say nothing about who allocated.
constexpr std::array<std::string_view, 33> kAllocatorFunctions = {
    "malloc", "calloc", "realloc", "reallocarray", "free", "posix_memalign", "aligned_alloc",
    "memalign", "valloc", "pvalloc", "__libc_malloc", "__libc_calloc", "__libc_realloc",
    "__GI___libc_malloc", "__GI___libc_realloc", "__libc_memalign", "_int_malloc",
    "tc_malloc", "tc_calloc", "tc_realloc", "tc_new", "tc_newarray", "je_malloc", "je_calloc",
    "je_realloc", "runtime.mallocgc", "runtime.newobject", "runtime.newarray",
    "runtime.mallocgc_tiny", "runtime.mallocgc_small", "runtime.mallocgc_large",
    "runtime.profilealloc", "runtime.mProf_Malloc",
};
constexpr std::array<std::string_view, 9> kAllocatorPrefixes = {
    "operator new", "tcmalloc::", "je_", "__libc_", "_int_", "heaptrack_", "imalloc",
    "prof_backtrace", "ialloc",
};

// Top-level elements of Go standard library import paths.
constexpr std::array<std::string_view, 45> kGoStdRoots = {
    "archive", "arena", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context",
    "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go",
    "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
    "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv",
    "strings", "sync", "syscall", "testing", "text",
};
constexpr std::array<std::string_view, 7> kGoStdRoots2 = {
    "time", "unicode", "unique", "unsafe", "vendor", "weak", "structs",
};

constexpr std::array<std::string_view, 7> kSystemModulePrefixes = {
    "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/", "[vdso]", "linux-vdso",
};
constexpr std::array<std::string_view, 10> kSystemModuleNames = {
    "libc.so", "libstdc++.so", "libm.so", "ld-linux", "libpthread.so", "libgcc_s.so",
    "libheaptrack", "vgpreload_", "libtcmalloc", "libjemalloc",
};
// Not all of /usr/: programs are built under /usr/src too (official container images).
constexpr std::array<std::string_view, 5> kSystemFilePrefixes = {
    "/usr/include/", "/usr/lib/", "/usr/local/include/", "/usr/share/", "/build/glibc"};
// GCC's suffixes for cloned functions ("inflate.part.0"): C names, not Go package paths.
constexpr std::array<std::string_view, 6> kCloneSuffixes = {
    ".part.", ".constprop.", ".isra.", ".cold", ".lto_priv.", ".localalias"};
// libstdc++ and glibc source files as massif prints them (basenames only).
constexpr std::array<std::string_view, 40> kLibraryFileNames = {
    "new_allocator.h", "alloc_traits.h", "allocator.h", "basic_string.h", "basic_string.tcc",
    "char_traits.h", "hashtable.h", "hashtable_policy.h", "unordered_map.h", "unordered_set.h",
    "shared_ptr.h", "shared_ptr_base.h", "unique_ptr.h", "std_function.h", "move.h",
    "ptr_traits.h", "functional_hash.h", "allocated_ptr.h", "aligned_buffer.h", "invoke.h",
    "refwrap.h", "range_access.h", "predefined_ops.h", "uses_allocator.h", "node_handle.h",
    "vector.tcc", "deque.tcc", "list.tcc", "string_view.tcc", "sstream.tcc", "ios_base.h",
    "strdup.c", "malloc.c", "vasprintf.c", "iofopen.c", "genops.c", "libc-start.c",
    "libc_start_call_main.h", "dl-load.c", "sstream",
};
constexpr std::array<std::string_view, 11> kLibraryFunctionPrefixes = {
    "std::", "__gnu_cxx::", "__cxxabiv1::", "__cxa_", "__", "_M_", "_S_", "_IO_", "_dl_",
    "(below main)", "operator delete",
};

bool starts_with_any(std::string_view s, auto const& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return s.starts_with(p); });
}
bool contains_any(std::string_view s, auto const& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return s.find(p) != std::string_view::npos; });
}
std::string_view basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
bool is_std_library_header(std::string_view file) {
  const auto base = basename(file);
  if (base.starts_with("stl_")) return true;
  if (std::find(kLibraryFileNames.begin(), kLibraryFileNames.end(), base) !=
      kLibraryFileNames.end())
    return true;
  // Extension-less headers of the C++ library (<vector>, <memory>) as basenames.
  return file == base && !base.empty() && base.find('.') == std::string_view::npos &&
         (base == "vector" || base == "memory" || base == "string" || base == "map");
}

bool looks_go(std::string_view function, std::string_view file, std::string_view module) {
  if (file.ends_with(".go")) return true;
  if (function.empty() || function.find("::") != std::string_view::npos) return false;
  // Go's assembly (runtime.goexit in asm_amd64.s): a standard-library package path.
  if (function.find(' ') == std::string_view::npos && file.ends_with(".s") &&
      is_go_std_package(go_package(function)))
    return true;
  if (contains_any(function, kCloneSuffixes)) return false;
  // A symbol without a file in a shared library is C or C++ (Go links statically).
  if (file.empty() && (module.find(".so") != std::string_view::npos ||
                       starts_with_any(module, kSystemModulePrefixes)))
    return false;
  // pkg.Func, pkg.(*T).M, path/to/pkg.Func — and nothing C++-like.
  return function.find('(') == std::string_view::npos
             ? function.find('.') != std::string_view::npos && file.empty()
             : function.find(".(") != std::string_view::npos;
}

}  // namespace

std::string_view go_package(std::string_view function) {
  const auto slash = function.rfind('/');
  const size_t from = slash == std::string_view::npos ? 0 : slash + 1;
  const auto dot = function.find('.', from);
  if (dot == std::string_view::npos) return {};
  return function.substr(0, dot);
}

bool is_go_std_package(std::string_view package) {
  const auto root = package.substr(0, package.find('/'));
  if (root.find('.') != std::string_view::npos) return false;  // golang.org/x/..., github.com/...
  return std::find(kGoStdRoots.begin(), kGoStdRoots.end(), root) != kGoStdRoots.end() ||
         std::find(kGoStdRoots2.begin(), kGoStdRoots2.end(), root) != kGoStdRoots2.end();
}

FrameKind classify_frame(std::string_view function, std::string_view file,
                         std::string_view module) {
  if (std::find(kAllocatorFunctions.begin(), kAllocatorFunctions.end(), function) !=
          kAllocatorFunctions.end() ||
      starts_with_any(function, kAllocatorPrefixes))
    return FrameKind::Allocator;
  if (function.empty() || function == "???") {
    if (starts_with_any(module, kSystemModulePrefixes) || contains_any(module, kSystemModuleNames))
      return FrameKind::Library;
    return FrameKind::Unknown;
  }
  if (looks_go(function, file, module)) {
    const auto pkg = go_package(function);
    return pkg.empty() || is_go_std_package(pkg) ? FrameKind::Library : FrameKind::Program;
  }
  if (starts_with_any(function, kLibraryFunctionPrefixes)) return FrameKind::Library;
  if (!file.empty()) {
    if (starts_with_any(file, kSystemFilePrefixes) || is_std_library_header(file))
      return FrameKind::Library;
    return FrameKind::Program;
  }
  // No file: decide by module; a symbol in the program's own binary is program code.
  if (starts_with_any(module, kSystemModulePrefixes) || contains_any(module, kSystemModuleNames))
    return FrameKind::Library;
  return FrameKind::Program;
}

}  // namespace memleak::core
