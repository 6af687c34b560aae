// Unit tests of core/frame_class.h: which frames are allocator internals, library/runtime
// code, program code or unknown, for Go (standard library vs program packages) and C/C++
// (reserved namespaces, system headers as full paths and as massif basenames, system modules).
#include <doctest/doctest.h>

#include "core/frame_class.h"

using namespace memleak::core;

TEST_CASE("memleak::core::go_package") {
  SUBCASE("the package is everything before the first dot after the last slash") {
    CHECK(go_package("net/http.(*conn).serve") == "net/http");
    CHECK(go_package("main.main") == "main");
    CHECK(go_package("runtime.mallocgc") == "runtime");
    CHECK(go_package("myapp/internal/x.Load") == "myapp/internal/x");
    CHECK(go_package("github.com/foo/bar.(*Baz).Run") == "github.com/foo/bar");
    CHECK(go_package("golang.org/x/net/http2.(*Framer).ReadFrame") == "golang.org/x/net/http2");
    CHECK(go_package("main.main.func1") == "main");
  }
  SUBCASE("a name without a dot has no package") {
    CHECK(go_package("malloc").empty());
    CHECK(go_package("").empty());
    CHECK(go_package("a/b/c").empty());
  }
}

TEST_CASE("memleak::core::is_go_std_package") {
  SUBCASE("standard library roots are library") {
    CHECK(is_go_std_package("net/http"));
    CHECK(is_go_std_package("runtime"));
    CHECK(is_go_std_package("internal/poll"));
    CHECK(is_go_std_package("encoding/json"));
    CHECK(is_go_std_package("time"));
    CHECK(is_go_std_package("sync"));
    CHECK(is_go_std_package("vendor/golang.org/x/net/dns/dnsmessage"));
  }
  SUBCASE("program packages are not, even when a later element looks standard") {
    CHECK_FALSE(is_go_std_package("main"));
    CHECK_FALSE(is_go_std_package("myapp/internal/x"));
    CHECK_FALSE(is_go_std_package("myapp/net/http"));
  }
  SUBCASE("a root with a dot is a module path, never the standard library") {
    CHECK_FALSE(is_go_std_package("golang.org/x/net/http2"));
    CHECK_FALSE(is_go_std_package("github.com/prometheus/client_golang/prometheus"));
  }
}

TEST_CASE("memleak::core::classify_frame") {
  SUBCASE("allocator functions are allocator frames") {
    CHECK(classify_frame("malloc", "", "/usr/lib/x86_64-linux-gnu/libc.so.6") == FrameKind::Allocator);
    CHECK(classify_frame("calloc", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("realloc", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("operator new(unsigned long)", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("operator new[](unsigned long)", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("__libc_malloc", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("je_malloc", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("tcmalloc::allocate_full_malloc_oom", "", "") == FrameKind::Allocator);
    CHECK(classify_frame("heaptrack_malloc", "", "") == FrameKind::Allocator);
  }
  SUBCASE("Go runtime allocation functions are allocator frames") {
    CHECK(classify_frame("runtime.mallocgc", "/usr/local/go/src/runtime/malloc.go", "") ==
          FrameKind::Allocator);
    CHECK(classify_frame("runtime.newobject", "/usr/local/go/src/runtime/malloc.go", "") ==
          FrameKind::Allocator);
    CHECK(classify_frame("runtime.newarray", "", "") == FrameKind::Allocator);
  }
  SUBCASE("Go standard library and runtime frames are library frames") {
    CHECK(classify_frame("net/http.(*conn).serve", "/usr/local/go/src/net/http/server.go", "") ==
          FrameKind::Library);
    CHECK(classify_frame("runtime.gopark", "/usr/local/go/src/runtime/proc.go", "") ==
          FrameKind::Library);
    CHECK(classify_frame("runtime.makeslice", "", "") == FrameKind::Library);
    CHECK(classify_frame("sync.(*Pool).Get", "", "") == FrameKind::Library);
    CHECK(classify_frame("internal/poll.runtime_pollWait", "", "") == FrameKind::Library);
    CHECK(classify_frame("encoding/json.Unmarshal", "/go/src/encoding/json/decode.go", "") ==
          FrameKind::Library);
  }
  SUBCASE("Go program packages are program frames") {
    CHECK(classify_frame("main.main", "/src/app/main.go", "") == FrameKind::Program);
    CHECK(classify_frame("main.(*server).handle", "main.go", "") == FrameKind::Program);
    CHECK(classify_frame("myapp/internal/x.Load", "/src/myapp/internal/x/load.go", "") ==
          FrameKind::Program);
    CHECK(classify_frame("myapp/internal/x.(*Cache).Put", "", "") == FrameKind::Program);
    CHECK(classify_frame("github.com/acme/svc/store.(*DB).Get", "/src/store/db.go", "") ==
          FrameKind::Program);
  }
  SUBCASE("golang.org/x packages are program frames (a module, not the standard library)") {
    CHECK(classify_frame("golang.org/x/net/http2.(*Framer).ReadFrame",
                         "/go/pkg/mod/golang.org/x/net/http2/frame.go", "") == FrameKind::Program);
  }
  SUBCASE("C++ standard library frames are library frames") {
    CHECK(classify_frame("std::vector<int, std::allocator<int> >::_M_realloc_insert(int&&)",
                         "/usr/include/c++/12/bits/vector.tcc", "") == FrameKind::Library);
    CHECK(classify_frame("std::__cxx11::basic_string<char>::_M_mutate(unsigned long)", "", "") ==
          FrameKind::Library);
    CHECK(classify_frame("__gnu_cxx::new_allocator<int>::allocate(unsigned long, void const*)",
                         "", "") == FrameKind::Library);
    CHECK(classify_frame("_M_create", "", "") == FrameKind::Library);
    CHECK(classify_frame("__cxa_allocate_exception", "", "") == FrameKind::Library);
    CHECK(classify_frame("operator delete(void*)", "", "") == FrameKind::Library);
    CHECK(classify_frame("(below main)", "", "") == FrameKind::Library);
  }
  SUBCASE("a frame from a system header is a library frame, as a path or a massif basename") {
    CHECK(classify_frame("Widget::make()", "/usr/include/c++/12/bits/stl_vector.h", "") ==
          FrameKind::Library);
    CHECK(classify_frame("Widget::make()", "stl_vector.h", "") == FrameKind::Library);
    CHECK(classify_frame("Widget::make()", "stl_tree.h", "") == FrameKind::Library);
    CHECK(classify_frame("Widget::make()", "new_allocator.h", "") == FrameKind::Library);
    CHECK(classify_frame("Widget::make()", "basic_string.tcc", "") == FrameKind::Library);
    CHECK(classify_frame("Widget::make()", "vector", "") == FrameKind::Library);
    CHECK(classify_frame("strdup", "strdup.c", "") == FrameKind::Library);
  }
  SUBCASE("C++ code from the program's own files is program code") {
    CHECK(classify_frame("Cache::put(int)", "cache.cpp", "") == FrameKind::Program);
    CHECK(classify_frame("Cache::put(int)", "/home/me/app/src/cache.cpp", "/home/me/app/app") ==
          FrameKind::Program);
    CHECK(classify_frame("main", "main.c", "") == FrameKind::Program);
    // a file of the program that merely has a library-like name in a folder
    CHECK(classify_frame("make_vector()", "src/vector", "") == FrameKind::Program);
    // a lambda: "::" rules out a Go symbol even though the name has parentheses
    CHECK(classify_frame("Cache::put(int)::{lambda()#1}::operator()() const", "cache.cpp", "") ==
          FrameKind::Program);
  }
  SUBCASE("without a file, the module decides: system modules are library") {
    CHECK(classify_frame("do_thing", "", "/usr/lib/x86_64-linux-gnu/libfoo.so.1") ==
          FrameKind::Library);
    CHECK(classify_frame("do_thing", "", "/lib64/libz.so.1") == FrameKind::Library);
    CHECK(classify_frame("do_thing", "", "/opt/vendor/libstdc++.so.6") == FrameKind::Library);
    CHECK(classify_frame("do_thing", "", "/opt/app/bin/app") == FrameKind::Program);
    CHECK(classify_frame("do_thing", "", "") == FrameKind::Program);
  }
  SUBCASE("unsymbolized frames are library in a system module, unknown elsewhere") {
    CHECK(classify_frame("", "", "/usr/lib/x86_64-linux-gnu/libc.so.6") == FrameKind::Library);
    CHECK(classify_frame("???", "", "/lib/x86_64-linux-gnu/libpthread.so.0") == FrameKind::Library);
    CHECK(classify_frame("", "", "[vdso]") == FrameKind::Library);
    CHECK(classify_frame("???", "", "/home/me/app") == FrameKind::Unknown);
    CHECK(classify_frame("", "", "") == FrameKind::Unknown);
  }
}

// BUG: frame_class.h says C/C++ library code is "a frame in a system module (/lib, /usr/lib,
// ...)", but a C function with a GCC clone suffix (.part.N, .constprop.N, .isra.N, .cold) and
// no file "looks Go" (a dot, no parentheses, no file): go_package("inflate.part.0") = "inflate",
// not a standard package, so the frame is Program even though it lives in libz.so. Such a frame
// then ends the site as if it were the program's own code.
TEST_CASE("memleak::core::classify_frame (GCC clones in system modules)") {
  CHECK(classify_frame("inflate.part.0", "", "/usr/lib/x86_64-linux-gnu/libz.so.1") ==
        FrameKind::Library);
  CHECK(classify_frame("deflate_slow.constprop.0", "", "/lib/x86_64-linux-gnu/libz.so.1") ==
        FrameKind::Library);
}

// BUG: frame_class.h says library code comes "from a system header (/usr/include, or a
// libstdc++ header basename ...)", but kSystemFilePrefixes holds all of "/usr/": the program's
// own sources built under /usr/src (the WORKDIR of the official Docker images, Debian source
// trees) are classified Library, so no program frame ends the site.
TEST_CASE("memleak::core::classify_frame (program sources under /usr/src)") {
  CHECK(classify_frame("Cache::put(int)", "/usr/src/app/cache.cpp", "") == FrameKind::Program);
  CHECK(classify_frame("main", "/usr/src/app/main.c", "") == FrameKind::Program);
}
