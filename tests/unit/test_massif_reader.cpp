// Tests of the valgrind massif reader (formats/massif/).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/input.h"
#include "formats/massif/massif_frame.h"
#include "formats/massif/massif_parser.h"
#include "formats/massif/massif_reader.h"
#include "formats/reader.h"

namespace fs = std::filesystem;
using memleak::core::InputError;
using memleak::core::Metric;
using memleak::core::Profile;
using memleak::core::Snapshot;
using memleak::core::TimeUnit;
using namespace memleak::formats;

namespace {

// A file with the given content, removed at scope exit (ByteStream reads paths).
class TempFile {
 public:
  explicit TempFile(std::string_view content, std::string_view name = "massif.out.test") {
    char dir[] = "/tmp/memleak-massif-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    dir_ = dir;
    path_ = dir_ + "/" + std::string(name);
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

Profile read_text(std::string_view text) {
  TempFile f(text);
  ByteStream in(f.path());
  return read_massif(in, ReadOptions{});
}

MassifFile parse_text(std::string_view text) {
  TempFile f(text);
  ByteStream in(f.path());
  return parse_massif(in);
}

// "LINE: MESSAGE" of the InputError that reading `text` throws ("0: ..." without a line).
std::string error_of(std::string_view text) {
  try {
    read_text(text);
  } catch (const InputError& e) {
    return fmt::format("{}: {}", e.position(), e.what());
  }
  return "no error";
}

constexpr std::string_view kHeader = "desc: --detailed-freq=1\ncmd: ./prog 1\ntime_unit: i\n";

std::string snapshot(int n, int64_t time, int64_t heap, std::string_view tree_kind,
                     std::string_view tree = "", int64_t extra = 8, int64_t stacks = 0) {
  return fmt::format(
      "#-----------\nsnapshot={}\n#-----------\ntime={}\nmem_heap_B={}\nmem_heap_extra_B={}\n"
      "mem_stacks_B={}\nheap_tree={}\n{}",
      n, time, heap, extra, stacks, tree_kind, tree);
}

constexpr std::string_view kRoot = "(heap allocation functions) malloc/new/new[], --alloc-fns, etc.";

std::string root(int children, int64_t bytes) {
  return fmt::format("n{}: {} {}\n", children, bytes, kRoot);
}

// A sample as "bytes: f0 | f1 | ..." (leaf first; inlined frames marked with '*').
std::string describe_stack(const Profile& p, memleak::core::StackId id) {
  std::string out;
  for (auto fid : p.stacks[id]) {
    const auto& f = p.frames[fid];
    if (!out.empty()) out += " | ";
    out += f.function ? std::string(p.strings[f.function]) : "???";
    if (f.file) out += fmt::format(" {}:{}", p.strings[f.file], f.line);
    if (f.module) out += fmt::format(" in {}", p.strings[f.module]);
    if (f.inlined) out += "*";
  }
  return out;
}

std::vector<std::string> describe(const Profile& p, const Snapshot& s) {
  std::vector<std::string> rows;
  for (const auto& sample : s.samples)
    rows.push_back(fmt::format("{}: {}", sample.values[Metric::LiveBytes],
                               describe_stack(p, sample.stack)));
  std::sort(rows.begin(), rows.end());
  return rows;
}

int64_t sum_live(const Snapshot& s) {
  int64_t sum = 0;
  for (const auto& sample : s.samples) sum += sample.values[Metric::LiveBytes];
  return sum;
}

}  // namespace

TEST_CASE("formats::parse_massif_frame") {
  SUBCASE("a function with file and line") {
    auto f = parse_massif_frame("leak_block(unsigned long) (leaky.cpp:22)");
    CHECK(f.function == "leak_block(unsigned long)");
    CHECK(f.file == "leaky.cpp");
    CHECK(f.line == 22);
    CHECK(f.module.empty());
  }
  SUBCASE("a function in a module without line info") {
    auto f = parse_massif_frame("leak_block(unsigned long) (in /path/leaky_nodbg)");
    CHECK(f.function == "leak_block(unsigned long)");
    CHECK(f.module == "/path/leaky_nodbg");
    CHECK(f.file.empty());
    CHECK(f.line == 0);
  }
  SUBCASE("??? in a module has no function but keeps the module") {
    auto f = parse_massif_frame("??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)");
    CHECK(f.function.empty());
    CHECK(f.module == "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");
  }
  SUBCASE("a bare ??? knows nothing") {
    auto f = parse_massif_frame("???");
    CHECK(f.function.empty());
    CHECK(f.file.empty());
    CHECK(f.module.empty());
  }
  SUBCASE("an unknown module is no module") {
    auto f = parse_massif_frame("foo() (in ?\?\?)");
    CHECK(f.function == "foo()");
    CHECK(f.module.empty());
  }
  SUBCASE("??? with a file and line") {
    auto f = parse_massif_frame("??? (x.c:3)");
    CHECK(f.function.empty());
    CHECK(f.file == "x.c");
    CHECK(f.line == 3);
  }
  SUBCASE("the location is the last balanced group, names keep their parentheses") {
    auto f = parse_massif_frame(
        "std::_Function_handler<void* (int), main::{lambda(int)#2}>::_M_invoke(std::_Any_data "
        "const&, int&&) (std_function.h:290)");
    CHECK(f.function ==
          "std::_Function_handler<void* (int), main::{lambda(int)#2}>::_M_invoke(std::_Any_data "
          "const&, int&&)");
    CHECK(f.file == "std_function.h");
    CHECK(f.line == 290);
    auto g = parse_massif_frame("(anonymous namespace)::Maker::operator()(unsigned long) (names.cpp:7)");
    CHECK(g.function == "(anonymous namespace)::Maker::operator()(unsigned long)");
    CHECK(g.file == "names.cpp");
    auto h = parse_massif_frame("(below main) (libc_start_call_main.h:58)");
    CHECK(h.function == "(below main)");
    CHECK(h.line == 58);
    auto k = parse_massif_frame("main::{lambda(int)#2}::operator()(int) const (a.cpp:5)");
    CHECK(k.function == "main::{lambda(int)#2}::operator()(int) const");
    auto m = parse_massif_frame("operator new[](unsigned long) (vg_replace_malloc.c:640)");
    CHECK(m.function == "operator new[](unsigned long)");
  }
  SUBCASE("text without a location is all function name") {
    CHECK(parse_massif_frame("foo(int)").function == "foo(int)");
    CHECK(parse_massif_frame("(below main)").function == "(below main)");
    CHECK(parse_massif_frame("f (not a location)").function == "f (not a location)");
    CHECK(parse_massif_frame("f (x.c:12a)").function == "f (x.c:12a)");
    CHECK(parse_massif_frame("f )").function == "f )");
  }
  SUBCASE("addresses and below-threshold lines") {
    uint64_t a = 0;
    std::string_view frame;
    CHECK(split_massif_address("0x10938B: put (leaky.cpp:13)", a, frame));
    CHECK(a == 0x10938B);
    CHECK(frame == "put (leaky.cpp:13)");
    CHECK_FALSE(split_massif_address("0x: x", a, frame));
    CHECK_FALSE(split_massif_address("0x12G: x", a, frame));
    CHECK_FALSE(split_massif_address("0x1FFFFFFFFFFFFFFFF: x", a, frame));
    CHECK(is_massif_below_threshold("in 1 place, below massif's threshold (1.00%)"));
    CHECK(is_massif_below_threshold("in 4 places, all below massif's threshold (1.00%)"));
    CHECK_FALSE(is_massif_below_threshold("(heap allocation functions) malloc/new/new[]"));
  }
}

TEST_CASE("formats::sniff_massif") {
  CHECK(sniff_massif("desc: (none)\ncmd: ./a.out\n"));
  CHECK(sniff_massif("#-----------\nsnapshot=0\n#-----------\ntime=0.016\n"));
  CHECK_FALSE(sniff_massif("v 10100\ns 4 main\n"));  // heaptrack
  CHECK_FALSE(sniff_massif("heap profile: 1: 2 [3: 4] @ heap/1048576\n"));
  CHECK_FALSE(sniff_massif("\x1f\x8b\x08"));
  CHECK_FALSE(sniff_massif(""));
  CHECK_FALSE(sniff_massif("# comment\ndesc: x\n"));
}

TEST_CASE("formats::read_massif a tree line cut by the end of the file") {
  // Line 13 = 3 header lines + 8 snapshot lines + the root. The last node line ends mid-name and without '\n': refused, not read as frame "f (a.c".
  const std::string text = std::string(kHeader) +
                           snapshot(0, 10, 5, "detailed", root(1, 5) + " n0: 5 0x1: f (a.c");
  CHECK(error_of(text) ==
        "13: massif: expected a complete heap tree line, got the end of the file after "
        "' n0: 5 0x1: f (a.c' (truncated file?)");
}

TEST_CASE("formats::read_massif grammar") {
  SUBCASE("header: several desc lines, cmd, time unit; profile metadata") {
    const std::string text = "desc: --a\ndesc: --b\ncmd: ./prog  with args \ntime_unit: B\n" +
                             snapshot(0, 0, 0, "empty") +
                             snapshot(1, 10, 5, "detailed", root(1, 5) + " n0: 5 0x1: f (a.c:1)\n");
    auto file = parse_text(text);
    CHECK(file.desc == "--a --b");
    const Profile& p = file.profile;
    CHECK(p.kind == "heap");
    CHECK(p.command == "./prog  with args");
    CHECK(p.time_unit == TimeUnit::Bytes);
    CHECK(p.metrics.has(Metric::LiveBytes));
    CHECK_FALSE(p.metrics.has(Metric::LiveObjects));
    CHECK_FALSE(p.metrics.has(Metric::AllocBytes));
    CHECK(p.default_metric == Metric::LiveBytes);
  }
  SUBCASE("time units: i is instructions, B bytes, ms becomes seconds") {
    auto tree = root(1, 5) + " n0: 5 0x1: f (a.c:1)\n";
    auto p = read_text(std::string("desc: x\ncmd: y\ntime_unit: ms\n") + snapshot(0, 1500, 5, "detailed", tree));
    CHECK(p.time_unit == TimeUnit::Seconds);
    CHECK(*p.snapshots[0].time == doctest::Approx(1.5));
    p = read_text(std::string(kHeader) + snapshot(0, 123456789, 5, "detailed", tree));
    CHECK(p.time_unit == TimeUnit::Instructions);
    CHECK(*p.snapshots[0].time == 123456789.0);
  }
  SUBCASE("only detailed and peak snapshots become Snapshots, with number, label and extras") {
    const std::string text = std::string(kHeader) + snapshot(0, 0, 0, "empty") +
                             snapshot(1, 100, 40, "detailed", root(1, 40) + " n0: 40 0x1: f (a.c:1)\n", 16, 0) +
                             snapshot(2, 200, 50, "empty") +
                             snapshot(3, 300, 60, "peak", root(1, 60) + " n0: 60 0x1: f (a.c:1)\n", 24, 512);
    TempFile f(text, "massif.out.777");
    ByteStream in(f.path());
    MassifFile file = parse_massif(in);
    REQUIRE(file.snapshots.size() == 4);
    CHECK(file.snapshots[2].heap_bytes == 50);
    CHECK(file.snapshots[2].tree == MassifHeapTree::Empty);
    CHECK(file.snapshots[3].tree == MassifHeapTree::Peak);
    CHECK(file.snapshots[3].line == 31);
    const Profile& p = file.profile;
    REQUIRE(p.snapshots.size() == 2);
    CHECK(p.snapshots[0].number == 1);
    CHECK(p.snapshots[0].label == "massif.out.777@1");
    CHECK_FALSE(p.snapshots[0].is_peak);
    CHECK(p.snapshots[1].number == 3);
    CHECK(p.snapshots[1].label == "massif.out.777@3");
    CHECK(p.snapshots[1].is_peak);
    CHECK(*p.snapshots[1].time == 300.0);
    CHECK(p.snapshots[1].total[Metric::LiveBytes] == 60);
    using Extras = std::vector<std::pair<std::string, int64_t>>;
    CHECK(p.snapshots[1].extras == Extras{{"heap_extra_bytes", 24}, {"stacks_bytes", 512}});
  }
  SUBCASE("stacks are leaf first: the depth-1 node is the site, callers follow") {
    const std::string tree = root(2, 300) +
                             " n2: 200 0x10: alloc_a(int) (a.c:10)\n"
                             "  n1: 150 0x20: caller_one (a.c:20)\n"
                             "   n0: 150 0x30: main (a.c:30)\n"
                             "  n0: 50 0x21: caller_two (a.c:21)\n"
                             " n0: 100 0x11: ??? (in /lib/libx.so)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 300, "detailed", tree));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"100: ??? in /lib/libx.so",
                                   "150: alloc_a(int) a.c:10 | caller_one a.c:20 | main a.c:30",
                                   "50: alloc_a(int) a.c:10 | caller_two a.c:21"});
    const auto& top = p.frames[p.stacks[p.snapshots[0].samples[0].stack][0]];
    CHECK(top.address == 0x10);
  }
  SUBCASE("trees that reorder, gain, lose and repeat lines between snapshots read as each says") {
    // The reader guesses each line from the tree before (massif prints them in the same order
    // while sizes keep their order); every kind of disagreement with the guess must still give
    // the frames the line names: swapped siblings, a new site, a vanished one, the same text
    // under two parents, and a line that is the guess's text with one byte changed.
    const std::string t0 = root(3, 600) +
                           " n1: 300 0x10: a (a.c:1)\n"
                           "  n0: 300 0x30: main (m.c:1)\n"
                           " n1: 200 0x11: b (b.c:1)\n"
                           "  n0: 200 0x30: main (m.c:1)\n"
                           " n0: 100 0x12: c (c.c:1)\n";
    const std::string t1 = root(4, 1000) +
                           " n1: 400 0x11: b (b.c:1)\n"
                           "  n0: 400 0x30: main (m.c:1)\n"
                           " n1: 350 0x10: a (a.c:1)\n"
                           "  n0: 350 0x31: main (m.c:2)\n"
                           " n0: 150 0x13: d (d.c:1)\n"
                           " n0: 100 0x12: c (c.c:2)\n";
    const std::string t2 = root(2, 700) +
                           " n1: 400 0x11: b (b.c:1)\n"
                           "  n0: 400 0x30: main (m.c:1)\n"
                           " n1: 300 0x10: a (a.c:1)\n"
                           "  n0: 300 0x30: main (m.c:1)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 600, "detailed", t0) +
                       snapshot(1, 2, 1000, "detailed", t1) + snapshot(2, 3, 700, "detailed", t2));
    REQUIRE(p.snapshots.size() == 3);
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"100: c c.c:1", "200: b b.c:1 | main m.c:1",
                                   "300: a a.c:1 | main m.c:1"});
    CHECK(describe(p, p.snapshots[1]) ==
          std::vector<std::string>{"100: c c.c:2", "150: d d.c:1", "350: a a.c:1 | main m.c:2",
                                   "400: b b.c:1 | main m.c:1"});
    CHECK(describe(p, p.snapshots[2]) ==
          std::vector<std::string>{"300: a a.c:1 | main m.c:1", "400: b b.c:1 | main m.c:1"});
    const auto& leaf = p.frames[p.stacks[p.snapshots[2].samples[0].stack][0]];
    CHECK(leaf.address == 0x11);
  }
  SUBCASE("below-threshold lines become a (below threshold) frame under their parent") {
    const std::string tree = root(2, 1000) +
                             " n2: 900 0x10: f (a.c:1)\n"
                             "  n0: 800 0x20: main (a.c:2)\n"
                             "  n0: 100 in 3 places, all below massif's threshold (1.00%)\n"
                             " n0: 100 in 1 place, below massif's threshold (1.00%)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 1000, "detailed", tree));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"100: (below threshold)", "100: f a.c:1 | (below threshold)",
                                   "800: f a.c:1 | main a.c:2"});
  }
  SUBCASE("what children do not explain is the node's own (self) sample; zero bytes give none") {
    const std::string tree = root(2, 1000) +
                             " n1: 1000 0x10: f (a.c:1)\n"
                             "  n0: 600 0x20: main (a.c:2)\n"
                             " n0: 0 0x30: g (a.c:3)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 1000, "detailed", tree));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"400: f a.c:1", "600: f a.c:1 | main a.c:2"});
  }
  SUBCASE("a root with bytes but no children is one (unattributed) sample") {
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 70, "detailed", root(0, 70)));
    CHECK(describe(p, p.snapshots[0]) == std::vector<std::string>{"70: (unattributed)"});
  }
  SUBCASE("an empty detailed heap has no samples") {
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 0, "detailed", root(0, 0)));
    CHECK(p.snapshots[0].samples.empty());
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 0);
  }
  SUBCASE("inlined chains: same address in n1 nodes, all but the containing function inlined") {
    const std::string tree = root(1, 2736) +
                             " n1: 2736 0x109656: allocate (new_allocator.h:137)\n"
                             "  n1: 2736 0x109656: _M_get_node (stl_tree.h:561)\n"
                             "   n1: 2736 0x10938B: operator[] (stl_map.h:511)\n"
                             "    n1: 2736 0x10938B: put (leaky.cpp:13)\n"
                             "     n0: 2736 0x10938B: main (leaky.cpp:44)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 2736, "detailed", tree));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{
              "2736: allocate new_allocator.h:137* | _M_get_node stl_tree.h:561 | "
              "operator[] stl_map.h:511* | put leaky.cpp:13* | main leaky.cpp:44"});
  }
  SUBCASE("recursion through one call site repeats the frame and is not inlining") {
    const std::string tree = root(1, 10) +
                             " n1: 10 0x10: f (a.c:1)\n"
                             "  n1: 10 0x20: rec (a.c:5)\n"
                             "   n0: 10 0x20: rec (a.c:5)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 10, "detailed", tree));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"10: f a.c:1 | rec a.c:5 | rec a.c:5"});
  }
  SUBCASE("frames, strings and stacks are shared between snapshots") {
    const std::string tree = root(1, 10) + " n1: 10 0x10: f (a.c:1)\n  n0: 10 0x20: main (a.c:2)\n";
    const std::string tree2 = root(1, 20) + " n1: 20 0x10: f (a.c:1)\n  n0: 20 0x20: main (a.c:2)\n";
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 10, "detailed", tree) +
                       snapshot(1, 2, 20, "detailed", tree2));
    CHECK(p.stacks.size() == 1);
    CHECK(p.frames.size() == 2);
    CHECK(p.snapshots[0].samples[0].stack == p.snapshots[1].samples[0].stack);
    CHECK(p.snapshots[1].samples[0].values[Metric::LiveBytes] == 20);
  }
  SUBCASE("CRLF line ends, blank lines and '#' lines outside trees are tolerated") {
    std::string text = std::string(kHeader) + "\n# a comment\n" +
                       snapshot(0, 1, 5, "detailed", root(1, 5) + " n0: 5 0x1: f (a.c:1)\n");
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    auto p = read_text(crlf);
    CHECK(describe(p, p.snapshots[0]) == std::vector<std::string>{"5: f a.c:1"});
    CHECK(p.command == "./prog 1");
  }
  SUBCASE("a file without a trailing newline still parses") {
    auto p = read_text(std::string(kHeader) + snapshot(0, 1, 5, "detailed", root(1, 5) + " n0: 5 0x1: f (a.c:1)"));
    CHECK(p.snapshots[0].samples.size() == 1);
  }
  SUBCASE("a name with '#' in it is kept whole (unlike ms_print)") {
    auto p = read_text(std::string(kHeader) +
                       snapshot(0, 1, 5, "detailed",
                                root(1, 5) + " n0: 5 0x1: main::{lambda(int)#2}::operator()(int) const (a.cpp:5)\n"));
    CHECK(describe(p, p.snapshots[0]) ==
          std::vector<std::string>{"5: main::{lambda(int)#2}::operator()(int) const a.cpp:5"});
  }
}

TEST_CASE("formats::read_massif errors") {
  const std::string h(kHeader);
  const std::string ok_tree = root(1, 5) + " n0: 5 0x1: f (a.c:1)\n";
  SUBCASE("header") {
    CHECK(error_of("") == "1: massif: expected 'desc:' as the first line, got end of file");
    CHECK(error_of("dsc: x\n") == "1: massif: expected 'desc:' as the first line, got 'dsc: x'");
    CHECK(error_of("desc: x\n") == "2: massif: expected 'cmd:', got end of file");
    CHECK(error_of("desc: x\ntime_unit: i\n") == "2: massif: expected 'cmd:', got 'time_unit: i'");
    CHECK(error_of("desc: x\ncmd: y\n") ==
          "3: massif: expected 'time_unit: i', 'time_unit: ms' or 'time_unit: B', got end of file");
    CHECK(error_of("desc: x\ncmd: y\ntime_unit: s\n") ==
          "3: massif: expected 'time_unit: i', 'time_unit: ms' or 'time_unit: B', got 'time_unit: s'");
  }
  SUBCASE("variants that are rejected") {
    CHECK(error_of("desc: xtree.produce_report\ncmd: ./a\ntime_unit: ms\n") ==
          "1: massif: expected a massif.out file ('desc:' with massif's options; xtree memory "
          "reports are not snapshots over time: run valgrind --tool=massif instead), got "
          "'desc: xtree.produce_report'");
    CHECK(error_of("#-----------\nsnapshot=0\n#-----------\ntime=0.016\n") ==
          "2: massif: expected 'desc:' as the first line (heaptrack_print -M output puts it at "
          "the end and loses all allocation sites: read the heaptrack file itself instead), got "
          "'snapshot=0'");
  }
  SUBCASE("no detailed snapshot suggests --detailed-freq=1") {
    CHECK(error_of(h + snapshot(0, 0, 0, "empty") + snapshot(1, 5, 10, "empty")) ==
          "0: massif: no detailed snapshot among 2 snapshot(s), so no allocation sites (run "
          "valgrind --tool=massif --detailed-freq=1 to get a heap tree in every snapshot)");
    CHECK(error_of(h) ==
          "0: massif: no detailed snapshot among 0 snapshot(s), so no allocation sites (run "
          "valgrind --tool=massif --detailed-freq=1 to get a heap tree in every snapshot)");
  }
  SUBCASE("snapshot fields") {
    CHECK(error_of(h + "snapshot=1\n") == "4: massif: expected 'snapshot=0', got 'snapshot=1'");
    CHECK(error_of(h + "snapshot=x\n") == "4: massif: expected 'snapshot=0', got 'snapshot=x'");
    CHECK(error_of(h + "time=5\n") == "4: massif: expected 'snapshot=0', got 'time=5'");
    CHECK(error_of(h + snapshot(0, 0, 0, "empty") + "snapshot=2\n") ==
          "12: massif: expected 'snapshot=1', got 'snapshot=2'");
    CHECK(error_of(h + "snapshot=0\n") == "5: massif: expected 'time=INTEGER', got end of file");
    CHECK(error_of(h + "snapshot=0\ntime=0.016\n") ==
          "5: massif: expected 'time=INTEGER', got 'time=0.016'");
    CHECK(error_of(h + "snapshot=0\ntime=-1\n") == "5: massif: expected 'time=INTEGER', got 'time=-1'");
    CHECK(error_of(h + "snapshot=0\ntime=\n") == "5: massif: expected 'time=INTEGER', got 'time='");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=12a\n") ==
          "6: massif: expected 'mem_heap_B=INTEGER', got 'mem_heap_B=12a'");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=99999999999999999999\n") ==
          "6: massif: expected 'mem_heap_B=INTEGER' with INTEGER at most 9223372036854775807, "
          "got 'mem_heap_B=99999999999999999999'");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=1\nmem_stacks_B=0\n") ==
          "7: massif: expected 'mem_heap_extra_B=INTEGER', got 'mem_stacks_B=0'");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=1\nmem_heap_extra_B=0\nmem_stacks=0\n") ==
          "8: massif: expected 'mem_stacks_B=INTEGER', got 'mem_stacks=0'");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=1\nmem_heap_extra_B=0\nmem_stacks_B=0\n") ==
          "9: massif: expected 'heap_tree=empty', 'heap_tree=detailed' or 'heap_tree=peak', got "
          "end of file");
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=1\nmem_heap_extra_B=0\nmem_stacks_B=0\n"
                       "heap_tree=full\n") ==
          "9: massif: expected 'heap_tree=empty', 'heap_tree=detailed' or 'heap_tree=peak', got "
          "'heap_tree=full'");
  }
  // snapshot(0, ...) puts heap_tree= on line 11 and the root on line 12.
  SUBCASE("tree root") {
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed")) ==
          "12: massif: expected a heap tree root 'nCHILDREN: BYTES DESCRIPTION', got end of file");
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", "#-----------\n")) ==
          "12: massif: expected a heap tree root 'nCHILDREN: BYTES DESCRIPTION', got '#-----------'");
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", root(0, 6))) ==
          "12: massif: expected a heap tree root of mem_heap_B=5 bytes, got 'n0: 6 " +
              std::string(kRoot) + "'");
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", " " + root(0, 5))) ==
          "12: massif: expected a heap tree node indented by 0 spaces, got ' n0: 5 " +
              std::string(kRoot) + "'");
  }
  SUBCASE("tree nodes") {
    auto tree_error = [&](std::string_view lines) {
      return error_of(h + snapshot(0, 1, 5, "detailed", root(1, 5) + std::string(lines)));
    };
    CHECK(tree_error("") ==
          "13: massif: expected 1 more heap tree node(s) under line 12, got end of file");
    CHECK(tree_error(" n1: 5 0x1: f (a.c:1)\n") ==
          "14: massif: expected 1 more heap tree node(s) under line 13, got end of file");
    CHECK(tree_error("#-----------\n") ==
          "13: massif: expected a heap tree node indented by 1 spaces, got '#-----------'");
    CHECK(tree_error("n0: 5 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node indented by 1 spaces, got 'n0: 5 0x1: f (a.c:1)'");
    CHECK(tree_error("  n0: 5 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node indented by 1 spaces, got '  n0: 5 0x1: f (a.c:1)'");
    CHECK(tree_error(" n0 5 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' n0 5 0x1: f (a.c:1)'");
    CHECK(tree_error(" x0: 5 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' x0: 5 0x1: f (a.c:1)'");
    CHECK(tree_error(" n0: 5\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' n0: 5'");
    CHECK(tree_error(" n0: 5 \n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' n0: 5 '");
    CHECK(tree_error(" n-1: 5 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' n-1: 5 0x1: f (a.c:1)'");
    CHECK(tree_error(" n0: 5x 0x1: f (a.c:1)\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1, got "
          "' n0: 5x 0x1: f (a.c:1)'");
    CHECK(tree_error(" n0: 9223372036854775808 0x1: f\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1 with "
          "numbers at most 9223372036854775807, got ' n0: 9223372036854775808 0x1: f'");
    CHECK(tree_error(" n99999999999999999999: 5 0x1: f\n") ==
          "13: massif: expected a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth 1 with "
          "numbers at most 9223372036854775807, got ' n99999999999999999999: 5 0x1: f'");
    CHECK(tree_error(" n0: 6 0x1: f (a.c:1)\n") ==
          "13: massif: expected children of line 12 to add up to at most its 5 bytes, got ' n0: "
          "6 0x1: f (a.c:1)'");
    CHECK(tree_error(" n0: 5 f (a.c:1)\n") ==
          "13: massif: expected '0xADDRESS: FRAME' or a below-threshold description at depth 1, "
          "got ' n0: 5 f (a.c:1)'");
    CHECK(tree_error(" n0: 5 0xZZ: f (a.c:1)\n") ==
          "13: massif: expected '0xADDRESS: FRAME' or a below-threshold description at depth 1, "
          "got ' n0: 5 0xZZ: f (a.c:1)'");
  }
  SUBCASE("child counts are bounded by what follows, not trusted") {
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", "n4000000000: 5 x\n n0: 5 0x1: f\n")) ==
          "14: massif: expected 3999999999 more heap tree node(s) under line 12, got end of file");
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", root(2, 5) + " n0: 5 0x1: f\n") +
                   snapshot(1, 2, 5, "empty")) ==
          "14: massif: expected a heap tree node indented by 1 spaces, got '#-----------'");
  }
  SUBCASE("more children than declared, or children under a leaf, are caught") {
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", root(1, 5) + " n0: 5 0x1: f\n n0: 0 0x2: g\n")) ==
          "14: massif: expected 'snapshot=1', got ' n0: 0 0x2: g'");
    CHECK(error_of(h + snapshot(0, 1, 5, "detailed", root(2, 5) + " n0: 5 0x1: f\n  n0: 0 0x2: g\n")) ==
          "14: massif: expected a heap tree node indented by 1 spaces, got '  n0: 0 0x2: g'");
  }
  SUBCASE("sums that overflow are errors, not wrapped numbers") {
    const std::string big = "9223372036854775807";
    CHECK(error_of(h + "snapshot=0\ntime=1\nmem_heap_B=" + big +
                   "\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n" + "n2: " + big +
                   " x\n n0: " + big + " 0x1: f\n n0: 1 0x2: g\n") ==
          "12: massif: expected children of line 10 to add up to at most its " + big +
              " bytes, got ' n0: 1 0x2: g'");
  }
  SUBCASE("long offending lines are cut in the message") {
    const std::string line = "dsc: " + std::string(200, 'x');
    CHECK(error_of(line + "\n") == "1: massif: expected 'desc:' as the first line, got '" +
                                       line.substr(0, 100) + "...'");
  }
}

namespace {

// One row of ms_print's snapshot tables.
struct MsPrintRow {
  int64_t time = 0, total = 0, heap = 0, extra = 0, stacks = 0;
};

struct MsPrintOutput {
  std::map<int64_t, MsPrintRow> rows;  // by snapshot number
  std::vector<int64_t> detailed;       // "Detailed snapshots: [...]"
  int64_t peak = -1;                   // the one marked "(peak)"
};

bool parse_grouped(std::string_view s, int64_t& out) {
  std::string digits;
  for (char c : s) {
    if (c == ',') continue;
    if (c < '0' || c > '9') return false;
    digits += c;
  }
  if (digits.empty()) return false;
  out = std::stoll(digits);
  return true;
}

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// Reads ms_print's text output (plain or gzipped) for its tables and detailed-snapshot list.
MsPrintOutput read_ms_print(const std::string& path) {
  MsPrintOutput out;
  ByteStream in(path);
  LineReader lines(in);
  std::string_view line;
  while (lines.next(line)) {
    if (line.starts_with(" Detailed snapshots: [")) {
      std::string_view list = line.substr(line.find('[') + 1);
      for (auto tok : split_blanks(list)) {
        int64_t n = 0;
        std::string_view num = tok;
        while (!num.empty() && (num.back() == ',' || num.back() == ']')) num.remove_suffix(1);
        if (tok.starts_with("(peak)")) {
          out.peak = out.detailed.back();
        } else if (parse_grouped(num, n)) {
          out.detailed.push_back(n);
        }
      }
      continue;
    }
    auto tok = split_blanks(line);
    if (tok.size() != 6) continue;
    int64_t v[6];
    bool all = true;
    for (size_t i = 0; i < 6; ++i) all = all && parse_grouped(tok[i], v[i]);
    if (all) out.rows[v[0]] = {v[1], v[2], v[3], v[4], v[5]};
  }
  return out;
}

// Checks one massif file against ms_print's output for it: every snapshot's time and totals,
// which snapshots are detailed and which is the peak; and the invariant that the samples of a
// detailed snapshot add up to its mem_heap_B.
void check_against_ms_print(const std::string& data, const std::string& reference) {
  CAPTURE(data);
  const MsPrintOutput ms = read_ms_print(reference);
  ByteStream in(data);
  const MassifFile file = parse_massif(in);
  REQUIRE(file.snapshots.size() == ms.rows.size());
  std::vector<int64_t> detailed;
  int64_t peak = -1;
  for (const auto& s : file.snapshots) {
    CAPTURE(s.number);
    REQUIRE(ms.rows.count(s.number) == 1);
    const MsPrintRow& row = ms.rows.at(s.number);
    CHECK(s.time == row.time);
    CHECK(s.heap_bytes == row.heap);
    CHECK(s.extra_bytes == row.extra);
    CHECK(s.stacks_bytes == row.stacks);
    CHECK(s.heap_bytes + s.extra_bytes + s.stacks_bytes == row.total);
    if (s.tree != MassifHeapTree::Empty) detailed.push_back(s.number);
    if (s.tree == MassifHeapTree::Peak) peak = s.number;
  }
  CHECK(detailed == ms.detailed);
  CHECK(peak == ms.peak);
  const Profile& p = file.profile;
  REQUIRE(p.snapshots.size() == detailed.size());
  for (size_t i = 0; i < p.snapshots.size(); ++i) {
    const Snapshot& s = p.snapshots[i];
    CAPTURE(s.label);
    CHECK(s.number == detailed[i]);
    CHECK(s.total[Metric::LiveBytes] == ms.rows.at(s.number).heap);
    CHECK(sum_live(s) == s.total[Metric::LiveBytes]);
    for (const auto& sample : s.samples) CHECK(sample.values[Metric::LiveBytes] > 0);
  }
}

// massif.out.12345 has no saved ms_print output; these rows are what ms_print 3.19.0 prints.
constexpr std::string_view kSample12345MsPrint = R"(
 Detailed snapshots: [1, 3, 4, 5, 6, 7, 8, 9, 10 (peak), 12]
  0              0                0                0             0            0
  1         72,712           72,712           72,704             8            0
  2         80,720           80,720           80,704            16            0
  3         92,104           88,136           87,830           306            0
  4        108,296           97,928           97,222           706            0
  5        124,632          107,736          106,614         1,122            0
  6        141,080          117,528          116,006         1,522            0
  7        149,320          122,440          120,702         1,738            0
  8        152,048          123,680          121,860         1,820            0
  9        155,584          126,112          124,224         1,888            0
 10        159,760          128,560          126,572         1,988            0
 11        170,616          121,672          119,624         2,048            0
 12        178,640          113,648          112,949           699            0
 13        251,648           40,640           40,000           640            0
)";

// Every massif data file under `dir` paired with its ms_print output, by the naming schemes of
// shared/peer-data (FILE.expected.txt[.gz]), shared/corpus (peer-ms_print[.FILE].txt) and our
// testdata (FILE.ms_print.txt). Files without a reference are returned with an empty one.
std::vector<std::pair<std::string, std::string>> massif_files(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("massif.out.") || name.ends_with(".txt") || name.ends_with(".gz"))
      continue;
    const fs::path parent = entry.path().parent_path();
    std::string ref;
    for (const std::string& cand :
         {name + ".expected.txt", name + ".expected.txt.gz", name + ".ms_print.txt",
          "peer-ms_print." + name + ".txt", std::string("peer-ms_print.txt")})
      if (fs::exists(parent / cand)) {
        ref = (parent / cand).string();
        break;
      }
    out.emplace_back(entry.path().string(), ref);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool has_shared_dir() {
  if (fs::is_directory(MEMLEAK_SHARED_DIR)) return true;
  MESSAGE("skipped: " << MEMLEAK_SHARED_DIR << " is absent");
  return false;
}

}  // namespace

TEST_CASE("formats::read_massif real files match ms_print") {
  if (!has_shared_dir()) return;
  const fs::path shared = MEMLEAK_SHARED_DIR;
  int checked = 0;
  for (const auto& [data, ref] : massif_files(shared)) {
    CAPTURE(data);
    if (data.ends_with(".bz2")) continue;  // below, decompressed with bunzip2
    if (data.ends_with("samples/massif.out.12345")) {
      TempFile reference(kSample12345MsPrint);
      check_against_ms_print(data, reference.path());
    } else {
      REQUIRE_MESSAGE(!ref.empty(), "no ms_print output next to it");
      check_against_ms_print(data, ref);
    }
    ++checked;
  }
  CHECK(checked >= 16);
  MESSAGE("checked " << checked << " massif files in " << shared.string());
}

TEST_CASE("formats::read_massif our own recordings match ms_print") {
  const fs::path dir = fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings";
  auto files = massif_files(dir);
  REQUIRE(files.size() == 3);
  for (const auto& [data, ref] : files) {
    REQUIRE(!ref.empty());
    check_against_ms_print(data, ref);
    ByteStream in(data);
    const Profile p = read_massif(in, ReadOptions{});
    CHECK(p.snapshots.size() >= 10);
    if (data.ends_with(".ms")) CHECK(p.time_unit == TimeUnit::Seconds);
    if (data.ends_with(".i")) CHECK(p.time_unit == TimeUnit::Instructions);
  }
}

TEST_CASE("formats::read_massif bzip2'd peer file") {
  if (!has_shared_dir()) return;
  const fs::path dir = fs::path(MEMLEAK_SHARED_DIR) / "peer-data/KDE-massif-visualizer";
  const std::string bz2 = (dir / "massif.out.duchainify.bz2").string();
  if (!fs::exists(bz2)) return;
  // ByteStream knows no bzip2: the file is not recognised, as ms_print refused it too.
  CHECK_THROWS_AS(read_profile(InputSpec{bz2, {}}, ReadOptions{}), InputError);
  if (std::system("command -v bunzip2 >/dev/null 2>&1") != 0) {
    MESSAGE("skipped the decompressed check: no bunzip2");
    return;
  }
  TempFile plain("", "massif.out.duchainify");
  REQUIRE(std::system(("bunzip2 -c '" + bz2 + "' > '" + plain.path() + "'").c_str()) == 0);
  check_against_ms_print(plain.path(),
                         (dir / "massif.out.duchainify.bz2.expected-bunzip2.txt.gz").string());
}

TEST_CASE("formats::read_massif files without a detailed snapshot are refused with a hint") {
  if (!has_shared_dir()) return;
  const fs::path dir = fs::path(MEMLEAK_SHARED_DIR) / "peer-data/KDE-massif-visualizer";
  for (const char* name : {"massif.out.32406", "massif.out.huge"}) {
    const std::string path = (dir / name).string();
    if (!fs::exists(path)) continue;
    try {
      read_profile(InputSpec{path, {}}, ReadOptions{});
      FAIL("no error for " << path);
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find("--detailed-freq=1") != std::string::npos);
    }
  }
}

TEST_CASE("formats::read_profile detects massif and applies selectors") {
  const std::string path =
      (fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings/massif.out.leaky_c.ms").string();
  auto p = read_profile(parse_input_spec(path), ReadOptions{});
  CHECK(p.format == "massif");
  CHECK(p.command == "./leaky_c");
  CHECK(p.snapshots.front().label == "massif.out.leaky_c.ms@0");
  auto last = read_profile(parse_input_spec(path + "@last"), ReadOptions{});
  REQUIRE(last.snapshots.size() == 1);
  CHECK(last.snapshots[0].number == p.snapshots.back().number);
}

TEST_CASE("formats::apply_selector @t=S: the last snapshot at or before S seconds, or an error") {
  const std::string path =
      (fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings/massif.out.leaky_c.ms").string();
  auto fresh = [&] { return read_profile(parse_input_spec(path), ReadOptions{}); };
  const Profile all = fresh();
  REQUIRE(all.time_unit == memleak::core::TimeUnit::Seconds);
  REQUIRE(all.snapshots.size() > 2);
  const double second = *all.snapshots[1].time;
  auto selected = [&](Profile& p, const std::string& text) -> std::string {
    try {
      apply_selector(p, parse_input_spec("x@" + text).selector);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  Profile at = fresh();
  CHECK(selected(at, fmt::format("t={}", second)) == "");
  REQUIRE(at.snapshots.size() == 1);
  CHECK(at.snapshots[0].time == second);
  Profile early = fresh();
  for (auto& s : early.snapshots) *s.time += 100;
  const double first = *early.snapshots.front().time;
  CHECK(selected(early, "t=1") ==
        fmt::format("@t=1: no snapshot is at or before that time (the first is at {:g}s)", first));
  Profile bytes = fresh();
  bytes.time_unit = memleak::core::TimeUnit::Bytes;
  CHECK(selected(bytes, "t=1") == "@t=1: the input's clock counts bytes, not seconds (select by @N)");
  Profile untimed = fresh();
  untimed.time_unit = memleak::core::TimeUnit::None;
  CHECK(selected(untimed, "t=1") == "@t=1: the input has no times");
}

TEST_CASE("formats::read_massif truncated files fail or give a consistent prefix") {
  std::vector<std::string> paths = {
      (fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings/massif.out.leaky_c.i").string()};
  const std::string sample = std::string(MEMLEAK_SHARED_DIR) + "/formats/samples/massif.out.12345";
  if (fs::exists(sample)) paths.push_back(sample);
  for (const auto& path : paths) {
    std::ifstream f(path, std::ios::binary);
    const std::string full((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    ByteStream in(path);
    const MassifFile whole = parse_massif(in);
    int failed = 0, parsed = 0;
    // Every few bytes, and every line end (where a cut file is valid but shorter).
    std::vector<size_t> cuts;
    const size_t stride = std::max<size_t>(7, full.size() / 400);
    for (size_t cut = 0; cut < full.size(); cut += stride) cuts.push_back(cut);
    for (size_t i = 0, line = 0; i < full.size(); ++i)
      if (full[i] == '\n' && ++line % 8 == 0) cuts.push_back(i + 1);
    for (size_t cut : cuts) {
      CAPTURE(cut);
      try {
        const MassifFile part = parse_text(std::string_view(full).substr(0, cut));
        ++parsed;
        REQUIRE(part.snapshots.size() <= whole.snapshots.size());
        for (size_t i = 0; i < part.snapshots.size(); ++i) {
          CHECK(part.snapshots[i].time == whole.snapshots[i].time);
          CHECK(part.snapshots[i].heap_bytes == whole.snapshots[i].heap_bytes);
          CHECK(part.snapshots[i].extra_bytes == whole.snapshots[i].extra_bytes);
          CHECK(part.snapshots[i].stacks_bytes == whole.snapshots[i].stacks_bytes);
        }
        for (const auto& s : part.profile.snapshots)
          CHECK(sum_live(s) == s.total[Metric::LiveBytes]);
      } catch (const InputError& e) {
        ++failed;
        CHECK(e.position() >= 1);
        CHECK(std::string(e.what()).starts_with("massif: expected "));
      }
    }
    CHECK(failed > 0);
    CHECK(parsed > 0);
    MESSAGE(path << ": " << cuts.size() << " cuts, " << failed << " rejected, " << parsed
                 << " valid prefixes");
  }
}

TEST_CASE("formats::read_massif a tree nested 100k deep") {
  // Valid indentation makes such a file ~5 GB (depth^2/2 blanks), so it is streamed through a
  // FIFO by a writer thread instead of being written to disk.
  constexpr size_t kDepth = 100'000;
  char dir[] = "/tmp/memleak-massif-deep-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string fifo = std::string(dir) + "/massif.out.deep";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto write_all = [](int fd, std::string_view s) {
    while (!s.empty()) {
      const ssize_t k = ::write(fd, s.data(), s.size());
      if (k <= 0) return false;
      s.remove_prefix(static_cast<size_t>(k));
    }
    return true;
  };
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    std::string head = std::string(kHeader) + snapshot(0, 1, 42, "detailed") + root(1, 42);
    bool ok = write_all(fd, head);
    const std::string blanks(kDepth, ' ');
    for (size_t d = 1; ok && d <= kDepth; ++d) {
      const std::string rest = fmt::format("n{}: 42 0x{:X}: f{} (deep.c:{})\n", d < kDepth ? 1 : 0,
                                           d, d, d);
      ok = write_all(fd, std::string_view(blanks).substr(0, d)) && write_all(fd, rest);
    }
    ::close(fd);
  });
  Profile p;
  try {
    ByteStream in(fifo, 16ULL << 30);
    p = read_massif(in, ReadOptions{});
  } catch (...) {
    writer.join();
    fs::remove_all(dir);
    throw;
  }
  writer.join();
  fs::remove_all(dir);
  REQUIRE(p.snapshots.size() == 1);
  REQUIRE(p.snapshots[0].samples.size() == 1);
  const auto stack = p.stacks[p.snapshots[0].samples[0].stack];
  CHECK(stack.size() == kDepth);
  CHECK(p.strings[p.frames[stack[0]].function] == "f1");
  CHECK(p.frames[stack[kDepth - 1]].line == kDepth);
  CHECK(sum_live(p.snapshots[0]) == 42);
}

namespace {

// A recording of ours in testdata/c/recordings, as bytes.
std::string read_recording(std::string_view name) {
  std::ifstream f(fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings" / name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// A fixed LCG, so that mutation tests make the same mutations on every run.
struct Lcg {
  uint64_t state;
  uint64_t next() { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; }
};

// Bytes that mutations write: digits, the grammar's punctuation, a newline.
constexpr std::string_view kMutationBytes = "0123456789 n:\n#x-(";

}  // namespace

TEST_CASE("formats::read_massif mutated files fail cleanly or stay consistent") {
  const std::string full = read_recording("massif.out.leaky_c.i");
  Lcg lcg{12345};
  auto next = [&] { return lcg.next(); };
  constexpr std::string_view kBytes = kMutationBytes;
  int rejected = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = full;
    for (int k = 0; k < 3; ++k) text[next() % text.size()] = kBytes[next() % kBytes.size()];
    CAPTURE(round);
    try {
      const MassifFile file = parse_text(text);
      for (const auto& s : file.profile.snapshots) CHECK(sum_live(s) == s.total[Metric::LiveBytes]);
    } catch (const InputError& e) {
      ++rejected;
      CHECK(std::string(e.what()).starts_with("massif: "));
    }
  }
  CHECK(rejected > 0);
}

namespace {

// Everything a parse yields, as text: the snapshot list, the header, every detailed snapshot
// with its samples (resolved, sorted).
std::vector<std::string> describe_file(const MassifFile& f) {
  std::vector<std::string> out{f.desc, f.profile.command,
                               std::string(memleak::core::time_unit_name(f.profile.time_unit))};
  for (const auto& s : f.snapshots)
    out.push_back(fmt::format("info {} t={} heap={} extra={} stacks={} tree={} line={}", s.number,
                              s.time, s.heap_bytes, s.extra_bytes, s.stacks_bytes, int(s.tree),
                              s.line));
  for (const auto& s : f.profile.snapshots) {
    out.push_back(fmt::format("snapshot {} {} t={} peak={} total={}", s.label, s.number,
                              s.time ? *s.time : -1.0, s.is_peak, s.total[Metric::LiveBytes]));
    for (auto& row : describe(f.profile, s)) out.push_back(std::move(row));
  }
  return out;
}

// "LINE: MESSAGE" of parsing `path` in one pass, or in up to `parts` parts.
std::string parse_error(const std::string& path, size_t parts) {
  try {
    ByteStream in(path);
    if (parts == 1)
      (void)parse_massif(in);
    else
      (void)parse_massif_file(in, 1, parts);
  } catch (const InputError& e) {
    return fmt::format("{}: {}", e.position(), e.what());
  }
  return "no error";
}

}  // namespace

TEST_CASE("formats::parse_massif_file in parts gives what one pass gives") {
  SUBCASE("every real file") {
    std::vector<std::pair<std::string, std::string>> files =
        massif_files(fs::path(MEMLEAK_SOURCE_DIR) / "testdata/c/recordings");
    if (has_shared_dir())
      for (auto& f : massif_files(MEMLEAK_SHARED_DIR)) files.push_back(f);
    int split = 0;
    for (const auto& [data, ref] : files) {
      if (data.ends_with(".bz2")) continue;
      ByteStream whole(data);
      const auto expected = describe_file(parse_massif(whole));
      for (size_t parts : {2, 3, 7}) {
        CAPTURE(data);
        CAPTURE(parts);
        ByteStream in(data);
        size_t used = 0;
        const MassifFile f = parse_massif_file(in, 1, parts, &used);
        CHECK(describe_file(f) == expected);
        // A cut needs a snapshot boundary after each k/parts of the file.
        if (f.snapshots.size() >= 4 * parts) {
          CHECK(used == parts);
          split += used > 1;
        }
      }
    }
    CHECK(split >= 6);  // our three recordings, each in 2 and 3 parts at least
  }
  SUBCASE("the first error, with its line, wherever the file is cut") {
    // 24 snapshots; one fault at a time in snapshot i: a gap in the numbering, a tree line
    // that is not one, children larger than their parent (the message names another line),
    // a tree that lacks its last line (one pass meets the next snapshot's first line), a
    // snapshot without its heap_tree line (one pass reads on into the next snapshot), and a
    // snapshot number with a leading zero, right (5) and wrong (6): errors quote it as written.
    for (int fault = 0; fault < 7; ++fault) {
      for (int i = 1; i < 24; ++i) {
        std::string text(kHeader);
        for (int k = 0; k < 24; ++k) {
          std::string tree = root(1, 100) + " n0: 100 0x401000: leak (a.c:7)\n";
          if (k == i && fault == 1) tree = root(1, 100) + " n0: 100 no address here\n";
          if (k == i && fault == 2) tree = root(1, 100) + " n0: 150 0x401000: leak (a.c:7)\n";
          if (k == i && fault == 3) tree = root(2, 100) + " n0: 100 0x401000: leak (a.c:7)\n";
          std::string one = snapshot(k == i && fault == 0 ? k + 1 : k, 10 * k, 100, "detailed", tree);
          if (k == i && fault == 4) one = one.substr(0, one.find("heap_tree="));
          if (k == i && (fault == 5 || fault == 6)) {
            const std::string number = fmt::format("snapshot={}\n", k);
            one.replace(one.find(number), number.size(),
                        fmt::format("snapshot=0{}\n", fault == 5 ? k : k + 1));
          }
          text += one;
        }
        TempFile f(text);
        const std::string one_pass = parse_error(f.path(), 1);
        CAPTURE(fault);
        CAPTURE(i);
        REQUIRE((one_pass != "no error") == (fault != 5));
        for (size_t parts : {2, 3, 5}) CHECK(parse_error(f.path(), parts) == one_pass);
      }
    }
  }
  SUBCASE("the input size cap holds for a file read in parts") {
    std::string text(kHeader);
    for (int k = 0; k < 12; ++k)
      text += snapshot(k, 10 * k, 100, "detailed", root(1, 100) + " n0: 100 0x401000: leak (a.c:7)\n");
    TempFile f(text);
    auto error = [&](bool parts) {
      try {
        ByteStream in(f.path(), 500);
        if (parts)
          (void)parse_massif_file(in, 1, 3);
        else
          (void)parse_massif(in);
      } catch (const InputError& e) {
        return std::string(e.what());
      }
      return std::string("no error");
    };
    CHECK(error(false).starts_with("decompressed input exceeds 500 bytes"));
    CHECK(error(true) == error(false));
  }
  SUBCASE("milliseconds are converted in every part") {
    std::string text = "desc: x\ncmd: ./prog\ntime_unit: ms\n";
    for (int k = 0; k < 12; ++k)
      text += snapshot(k, 1500 * k, 100, "detailed", root(1, 100) + " n0: 100 0x401000: leak (a.c:7)\n");
    TempFile f(text);
    ByteStream in(f.path());
    size_t used = 0;
    const MassifFile m = parse_massif_file(in, 1, 3, &used);
    CHECK(used == 3);
    REQUIRE(m.profile.snapshots.size() == 12);
    for (int k = 0; k < 12; ++k) CHECK(*m.profile.snapshots[size_t(k)].time == 1.5 * k);
  }
}

TEST_CASE("formats::parse_massif_file in parts agrees with one pass on mutated files") {
  // Random damage to a real recording (bytes changed, a line deleted or repeated): parsed in
  // 2 to 4 parts, the result or the first error (message and line) is one pass's.
  const std::string full = read_recording("massif.out.leaky_c.i");
  Lcg lcg{777};
  auto next = [&] { return lcg.next(); };
  constexpr std::string_view kBytes = kMutationBytes;
  int errors = 0, split = 0;
  for (int round = 0; round < 200; ++round) {
    std::string text = full;
    switch (round % 3) {
      case 0:
        for (int k = 0; k < 2; ++k) text[next() % text.size()] = kBytes[next() % kBytes.size()];
        break;
      case 1: {  // delete a line
        const size_t at = text.find('\n', next() % text.size());
        if (at == std::string::npos) break;
        const size_t end = text.find('\n', at + 1);
        text.erase(at + 1, end == std::string::npos ? std::string::npos : end - at);
        break;
      }
      default: {  // repeat a line
        const size_t at = text.find('\n', next() % text.size());
        if (at == std::string::npos) break;
        const size_t end = text.find('\n', at + 1);
        if (end == std::string::npos) break;
        text.insert(end + 1, text.substr(at + 1, end - at));
        break;
      }
    }
    TempFile f(text);
    std::string one_pass;
    std::vector<std::string> expected;
    try {
      ByteStream whole(f.path());
      expected = describe_file(parse_massif(whole));
    } catch (const InputError& e) {
      one_pass = fmt::format("{}: {}", e.position(), e.what());
      ++errors;
    }
    for (size_t parts : {2, 3, 4}) {
      CAPTURE(round);
      CAPTURE(parts);
      if (!one_pass.empty()) {
        CHECK(parse_error(f.path(), parts) == one_pass);
      } else {
        ByteStream whole(f.path());
        size_t used = 0;
        CHECK(describe_file(parse_massif_file(whole, 1, parts, &used)) == expected);
        split += used > 1;
      }
    }
  }
  CHECK(errors > 20);
  CHECK(split > 100);
}
