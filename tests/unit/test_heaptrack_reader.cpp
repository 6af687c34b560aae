// Tests of the heaptrack reader: every record type and error message on traces built in
// memory, and heaptrack_print's own figures on every real trace under ../shared.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/heaptrack/demangle.h"
#include "formats/heaptrack/heaptrack_reader.h"
#include "formats/heaptrack/heaptrack_trace.h"
#include "formats/reader.h"

namespace fs = std::filesystem;
using memleak::core::InputError;
using memleak::core::Metric;
using memleak::core::Profile;
using memleak::core::Snapshot;
using namespace memleak::formats;

namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/memleak-ht-test-XXXXXX";
    const int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == ssize_t(content.size()));
    ::close(fd);
    path_ = name;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Profile read_text(const std::string& content, const std::string& selector = "",
                  int slices = 10) {
  TempFile f(content);
  ReadOptions options;
  options.slices = slices;
  options.input_format = "heaptrack";
  return read_profile(parse_input_spec(f.path() + selector), options);
}

Profile read_file(const std::string& path, const std::string& selector = "") {
  ReadOptions options;
  return read_profile(parse_input_spec(path + selector), options);
}

// "LINE: message" of the InputError reading `content`, or "no error".
std::string error_of(const std::string& content, const std::string& selector = "") {
  try {
    read_text(content, selector);
  } catch (const InputError& e) {
    return std::to_string(e.position()) + ": " + e.what();
  }
  return "no error";
}

int64_t extra(const Snapshot& s, const std::string& name) {
  for (const auto& [k, v] : s.extras)
    if (k == name) return v;
  FAIL("no extra " << name);
  return 0;
}

bool has_extra(const Snapshot& s, const std::string& name) {
  for (const auto& [k, v] : s.extras)
    if (k == name) return true;
  return false;
}

// A small format-3 trace. Strings: 1 prog, 2 main, 3 main.c, 4 leak, 5 "inl fn()".
// ips: 1 main main.c:10, 2 leak main.c:20, 3 "inl fn()" main.c:30 inlined into main:40.
// traces: 1 (ip 1), 2 (ip 2) <- 1, 3 (ip 3) <- 1.
// infos: 0 = 100 B from trace 2, 1 = 32 B from trace 1, 2 = 8 B from trace 3.
const std::string kHeader =
    "v 10400 3\n"
    "X ./prog arg one\n"
    "I 2000 100\n"
    "s 4 prog\n"
    "s 4 main\n"
    "s 6 main.c\n"
    "s 4 leak\n"
    "s 8 inl fn()\n"
    "i 1000 1 2 3 a\n"
    "t 1 0\n"
    "i 2000 1 4 3 14\n"
    "t 2 1\n"
    "i 3000 1 5 3 1e 2 3 28\n"
    "t 3 1\n"
    "a 64 2\n"
    "a 20 1\n"
    "a 8 3\n";

// Events: t=0: +0 (100); t=10ms: +0 +1 (232, peak 232 at 10ms) ; t=20ms: -1 -0 +2 (108);
// t=100ms: +0 -0 (temporary) R; live at end: 100 + 8 = 108.
const std::string kEvents =
    "+ 0\n"
    "c a\n"
    "+ 0\n"
    "+ 1\n"
    "R 3\n"
    "c 14\n"
    "- 1\n"
    "- 0\n"
    "+ 2\n"
    "c 64\n"
    "+ 0\n"
    "- 0\n"
    "R 5\n"
    "\n"
    "# strings: 5\n";

const std::string kTrace = kHeader + kEvents;

int64_t live(const Snapshot& s) { return s.total[Metric::LiveBytes]; }

// ---------------------------------------------------------------------------------------
// heaptrack_print reference outputs

struct ByteRange {
  int64_t lo = 0, hi = 0;
  ByteRange operator+(const ByteRange& o) const { return {lo + o.lo, hi + o.hi}; }
  ByteRange operator-(const ByteRange& o) const { return {lo - o.hi, hi - o.lo}; }
  bool contains(int64_t v) const { return lo <= v && v <= hi; }
};

// heaptrack_print rounds to two decimals of decimal SI units: "40.00K" = 39995..40005.
std::optional<ByteRange> byte_range(const std::string& text) {
  std::smatch m;
  static const std::regex re(R"(^(-?)(\d+)(?:\.(\d\d))?([BKMGT])$)");
  if (!std::regex_match(text, m, re)) return std::nullopt;
  const int64_t sign = m[1].length() ? -1 : 1;
  const int64_t whole = std::stoll(m[2]);
  const int64_t cents = m[3].length() ? std::stoll(m[3]) : 0;
  int64_t mult = 1;
  switch (m[4].str()[0]) {
    case 'K': mult = 1000; break;
    case 'M': mult = 1000 * 1000; break;
    case 'G': mult = 1000LL * 1000 * 1000; break;
    case 'T': mult = 1000LL * 1000 * 1000 * 1000; break;
  }
  if (mult == 1) return ByteRange{sign * whole, sign * whole};
  const int64_t centre = (whole * 100 + cents) * (mult / 100);
  const int64_t half = mult / 200;
  ByteRange r{centre - half, centre + half};
  if (sign < 0) r = {-r.hi, -r.lo};
  return r;
}

struct Reference {
  int64_t calls = 0;
  ByteRange peak, leaked, suppressed;
  struct Leak {
    ByteRange bytes;
    int64_t calls;
    std::string function, location, module;
    // The functions the site's frame was inlined into, outward: "function@file:line".
    std::vector<std::string> inlined_into;
  };
  std::vector<Leak> leaks;
};

std::string read_maybe_gzipped(const std::string& path) {
  ByteStream in(path);
  return in.read_all();
}

Reference parse_reference(const std::string& text) {
  Reference ref;
  std::smatch m;
  auto find = [&](const char* pattern) {
    return std::regex_search(text, m, std::regex(pattern, std::regex::multiline));
  };
  if (find(R"(^calls to allocation functions: (-?\d+))")) ref.calls = std::stoll(m[1]);
  if (find(R"(^peak heap memory consumption: (\S+))")) ref.peak = *byte_range(m[1]);
  if (find(R"(^total memory leaked: (\S+))")) ref.leaked = *byte_range(m[1]);
  if (find(R"(^suppressed leaks: (\S+))")) ref.suppressed = *byte_range(m[1]);
  // The MEMORY LEAKS list: "X leaked over N calls from", FUNCTION, ["  at F:L"], "  in M".
  const auto start = text.find("\nMEMORY LEAKS\n");
  if (start == std::string::npos) return ref;
  std::vector<std::string> lines;
  size_t pos = start + 14;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (line.empty() && !lines.empty() && lines.back().empty()) break;  // end of the section
    lines.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  static const std::regex head(R"(^(\S+) leaked over (\d+) calls from$)");
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (!std::regex_match(lines[i], m, head)) continue;
    Reference::Leak leak{*byte_range(m[1]), std::stoll(m[2]), lines[i + 1], "", "", {}};
    size_t j = i + 2;
    if (j < lines.size() && lines[j].starts_with("  at ")) leak.location = lines[j++].substr(5);
    if (j < lines.size() && lines[j].starts_with("  in ")) leak.module = lines[j++].substr(5);
    while (j < lines.size() && !lines[j].ends_with(" calls from:")) {
      std::string frame = lines[j++];
      if (j < lines.size() && lines[j].starts_with("  at ")) frame += "@" + lines[j++].substr(5);
      leak.inlined_into.push_back(frame);
    }
    ref.leaks.push_back(leak);
  }
  return ref;
}

// heaptrack_print's default --shorten-templates: "a<b<c>>::f()" -> "a<>::f()".
std::string shorten_templates(std::string_view name) {
  std::string out;
  int depth = 0;
  for (const char c : name) {
    if (c == '<') {
      if (depth++ == 0) out += '<';
    } else if (c == '>') {
      if (--depth == 0) out += '>';
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

bool is_operator_new(std::string_view f) {
  return f == "operator new(unsigned long)" || f == "operator new[](unsigned long)" ||
         f == "operator new(unsigned int)" || f == "operator new[](unsigned int)";
}

std::string frame_text(const Profile& p, const memleak::core::Frame& f) {
  std::string text = f.function ? shorten_templates(p.strings[f.function]) : "";
  if (f.file != 0) text += "@" + std::string(p.strings[f.file]) + ":" + std::to_string(f.line);
  return text;
}

// Live bytes and allocation counts at the end of the sites that print as `leak`, merged
// the way heaptrack_print merges: the leaf ip's frames (with the functions it was inlined
// into) and module, not its address; operator new ips are skipped. heaptrack_print merges
// by the full function names and prints them shortened, so one printed name may stand for
// several sites: the result has one entry per full name.
std::map<std::string, std::pair<int64_t, int64_t>> site_totals(const Profile& p,
                                                              const Snapshot& end,
                                                              const Reference::Leak& leak) {
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  const std::string want = leak.function.starts_with("0x")
                               ? ""
                               : leak.function + (leak.location.empty() ? "" : "@" + leak.location);
  for (const auto& sample : end.samples) {
    const auto stack = p.stacks[sample.stack];
    size_t i = 0;
    while (i < stack.size() && is_operator_new(p.strings[p.frames[stack[i]].function])) ++i;
    if (i == stack.size()) continue;
    const auto& leaf = p.frames[stack[i]];
    if (frame_text(p, leaf) != want) continue;
    if (!leak.module.empty() && p.strings[leaf.module] != leak.module) continue;
    std::vector<std::string> outer;
    std::string full(p.strings[leaf.function]);
    for (size_t j = i; j + 1 < stack.size() && p.frames[stack[j]].inlined; ++j) {
      outer.push_back(frame_text(p, p.frames[stack[j + 1]]));
      full += "|" + std::string(p.strings[p.frames[stack[j + 1]].function]);
    }
    if (outer != leak.inlined_into) continue;
    out[full].first += sample.values[Metric::LiveBytes];
    out[full].second += sample.values[Metric::AllocObjects];
  }
  return out;
}

std::string shared_dir() { return MEMLEAK_SHARED_DIR; }

// Every heaptrack data file under ../shared with its heaptrack_print output (empty if none).
std::vector<std::pair<std::string, std::string>> real_traces() {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string shared = shared_dir();
  const std::string samples = shared + "/formats/samples/";
  out.emplace_back(samples + "heaptrack.leaky.12345.zst",
                   samples + "expected/heaptrack_print.leaky.12345.txt");
  out.emplace_back(samples + "heaptrack.leaky.12345.gz",
                   samples + "expected/heaptrack_print.leaky.12345.txt");
  out.emplace_back(samples + "heaptrack.leaky.12344.zst", "");
  static const std::regex companion(
      R"(\.(expected(-[A-Za-z0-9_.-]+)?\.txt|string)(\.gz)?$)");
  for (const auto& e : fs::recursive_directory_iterator(shared + "/peer-data/KDE-heaptrack")) {
    const std::string name = e.path().filename();
    if (!e.is_regular_file() || name == "suppressions.txt" || name == "README.md" ||
        std::regex_search(name, companion))
      continue;
    std::string ref = e.path().string() + ".expected.txt";
    if (!fs::exists(ref)) ref += ".gz";
    out.emplace_back(e.path().string(), ref);
  }
  for (const auto& e : fs::recursive_directory_iterator(shared + "/corpus/heaptrack")) {
    const std::string name = e.path().filename();
    if (!e.is_regular_file() || !name.starts_with("heaptrack.")) continue;
    const fs::path dir = e.path().parent_path();
    std::string ref = (dir / ("peer-heaptrack_print." + name + ".txt")).string();
    if (!fs::exists(ref)) ref = (dir / "peer-heaptrack_print.txt").string();
    out.emplace_back(e.path().string(), ref);
  }
  return out;
}

bool is_raw(const std::string& path) {
  ByteStream in(path);
  const std::string head(in.peek(4096));
  return head.find("\nx ") != std::string::npos || head.find("\nm ") != std::string::npos;
}

}  // namespace

// =======================================================================================

TEST_CASE("formats::sniff_heaptrack") {
  SUBCASE("accepts interpreted, old and raw traces") {
    CHECK(sniff_heaptrack(kTrace));
    CHECK(sniff_heaptrack("v 10000 2\nX ./david\nI 1000 3e44e5\ns /bin/david\n"));
    CHECK(sniff_heaptrack("v 10200\nX ./a\n"));
    CHECK(sniff_heaptrack("v 10400 3\nx 5 leaky\nX ./leaky 40\nm 1 -\n"));
    CHECK(sniff_heaptrack("v 10400 3"));
  }
  SUBCASE("rejects massif, pprof text and binary inputs") {
    CHECK_FALSE(sniff_heaptrack("desc: --time-unit=ms\ncmd: ./leaky\ntime_unit: ms\n"));
    CHECK_FALSE(sniff_heaptrack("heap profile: 1: 2 [3: 4] @ heap/1048576\n"));
    CHECK_FALSE(sniff_heaptrack("--- heapz 1 ---\n"));
    CHECK_FALSE(sniff_heaptrack("goroutine profile: total 4\n"));
    CHECK_FALSE(sniff_heaptrack(std::string("\x0a\x04\x08\x01\x10\x02", 6)));
    CHECK_FALSE(sniff_heaptrack("v 10400 3\nthis is prose\n"));
    CHECK_FALSE(sniff_heaptrack(""));
  }
}

TEST_CASE("heaptrack::demangle") {
  CHECK(memleak::formats::heaptrack::demangle("_Z10leak_blockm") == "leak_block(unsigned long)");
  CHECK(memleak::formats::heaptrack::demangle("main") == "main");
  CHECK(memleak::formats::heaptrack::demangle("_Znot valid") == "_Znot valid");
}

TEST_CASE("formats::read_heaptrack reads the model") {
  const Profile p = read_text(kTrace);
  CHECK(p.format == "heaptrack");
  CHECK(p.kind == "heap");
  CHECK(p.command == "./prog arg one");
  CHECK(p.time_unit == memleak::core::TimeUnit::Seconds);
  CHECK(p.default_metric == Metric::LiveBytes);
  CHECK(p.metrics.has(Metric::LiveBytes));
  CHECK(p.metrics.has(Metric::LiveObjects));
  CHECK(p.metrics.has(Metric::AllocBytes));
  CHECK(p.metrics.has(Metric::AllocObjects));
  CHECK(p.warnings.empty());
  REQUIRE(p.snapshots.size() == 10);

  SUBCASE("slices are numbered 1..10 at duration*k/10") {
    for (size_t k = 0; k < 10; ++k) {
      CHECK(p.snapshots[k].number == int64_t(k + 1));
      REQUIRE(p.snapshots[k].time);
      CHECK(*p.snapshots[k].time == doctest::Approx(0.1 * double(k + 1) / 10));
    }
    CHECK(p.snapshots[0].label.ends_with("@t=0.01s"));
    CHECK(p.snapshots[9].label.ends_with("@t=0.10s"));
  }
  SUBCASE("the duration scan reads timestamps as the replay does (uppercase hex too)") {
    // A last clock line of 0x6E = 110 ms, in uppercase: no "file changed" between the scan
    // and the replay, and the slices end at 0.11 s.
    const Profile q = read_text(kTrace + "c 6E\n");
    REQUIRE(q.snapshots.size() == 10);
    CHECK(*q.snapshots[9].time == doctest::Approx(0.110));
    CHECK(*q.snapshots[0].time == doctest::Approx(0.011));
  }
  SUBCASE("a slice holds every event stamped at or before its time") {
    // t=10ms: 232 live (events at t=10 included); 20..90ms: 108; 100ms: 108.
    CHECK(live(p.snapshots[0]) == 232);
    CHECK(p.snapshots[0].total[Metric::LiveObjects] == 3);
    CHECK(p.snapshots[0].total[Metric::AllocBytes] == 232);
    CHECK(live(p.snapshots[1]) == 108);
    CHECK(p.snapshots[1].total[Metric::AllocBytes] == 240);
    CHECK(live(p.snapshots[9]) == 108);
    CHECK(p.snapshots[9].total[Metric::AllocBytes] == 340);
    CHECK(p.snapshots[9].total[Metric::AllocObjects] == 5);
  }
  SUBCASE("the end snapshot carries the run's totals") {
    const Snapshot& end = p.snapshots.back();
    CHECK(extra(end, "calls") == 5);
    CHECK(extra(end, "leaked_bytes") == 108);
    CHECK(extra(end, "peak_bytes") == 232);
    CHECK(extra(end, "peak_time_ms") == 10);
    CHECK(extra(end, "temporary") == 2);  // "- 1" follows "+ 1"; c/R lines do not count
    CHECK(extra(end, "duration_ms") == 100);
    CHECK(extra(end, "allocated_bytes") == 340);
    CHECK(extra(end, "peak_rss_bytes") == 5 * 0x2000);
    CHECK(extra(end, "rss_bytes") == 5 * 0x2000);
    CHECK(extra(p.snapshots[0], "rss_bytes") == 3 * 0x2000);
    CHECK_FALSE(has_extra(p.snapshots[0], "calls"));
  }
  SUBCASE("stacks are leaf first with module, file, hex line and address") {
    const Snapshot& end = p.snapshots.back();
    REQUIRE(end.samples.size() == 3);  // trace 1 has 0 live but allocated bytes
    bool saw_leak = false, saw_inline = false;
    for (const auto& s : end.samples) {
      const auto stack = p.stacks[s.stack];
      const auto& leaf = p.frames[stack[0]];
      if (p.strings[leaf.function] == "leak") {
        saw_leak = true;
        CHECK(s.values[Metric::LiveBytes] == 100);
        CHECK(s.values[Metric::LiveObjects] == 1);
        CHECK(s.values[Metric::AllocObjects] == 3);
        REQUIRE(stack.size() == 2);
        CHECK(p.strings[leaf.file] == "main.c");
        CHECK(leaf.line == 0x14);
        CHECK(p.strings[leaf.module] == "prog");
        CHECK(leaf.address == 0x2000);
        CHECK_FALSE(leaf.inlined);
        CHECK(p.strings[p.frames[stack[1]].function] == "main");
        CHECK(p.frames[stack[1]].line == 10);
      }
      if (p.strings[leaf.function] == "inl fn()") {
        saw_inline = true;
        REQUIRE(stack.size() == 3);
        CHECK(leaf.inlined);
        CHECK(leaf.line == 0x1e);
        CHECK(leaf.address == 0x3000);
        const auto& outer = p.frames[stack[1]];
        CHECK(p.strings[outer.function] == "main");
        CHECK(outer.line == 0x28);
        CHECK(outer.address == 0x3000);
        CHECK_FALSE(outer.inlined);
        CHECK(p.frames[stack[2]].address == 0x1000);
      }
    }
    CHECK(saw_leak);
    CHECK(saw_inline);
  }
  SUBCASE("totals are the sums of the samples") {
    for (const auto& s : p.snapshots) {
      int64_t sum = 0;
      for (const auto& x : s.samples) sum += x.values[Metric::LiveBytes];
      CHECK(sum == live(s));
    }
  }
}

TEST_CASE("formats::read_heaptrack selectors") {
  SUBCASE("@end and @last: what is live at the end, equal to the last slice") {
    const Profile all = read_text(kTrace);
    for (const char* sel : {"@end", "@last"}) {
      const Profile p = read_text(kTrace, sel);
      REQUIRE(p.snapshots.size() == 1);
      CHECK(live(p.snapshots[0]) == 108);
      CHECK(p.snapshots[0].total.v == all.snapshots.back().total.v);
      CHECK(p.snapshots[0].samples.size() == all.snapshots.back().samples.size());
      CHECK(extra(p.snapshots[0], "calls") == 5);
    }
  }
  SUBCASE("@peak: the state when the live total first reached its maximum") {
    const Profile p = read_text(kTrace, "@peak");
    REQUIRE(p.snapshots.size() == 1);
    CHECK(p.snapshots[0].is_peak);
    CHECK(live(p.snapshots[0]) == 232);
    CHECK(*p.snapshots[0].time == doctest::Approx(0.01));
    CHECK_FALSE(has_extra(p.snapshots[0], "rss_bytes"));  // the first R came after the peak
  }
  SUBCASE("@t=S: every event stamped <= S") {
    CHECK(live(read_text(kTrace, "@t=0").snapshots[0]) == 100);
    CHECK(live(read_text(kTrace, "@t=0.015").snapshots[0]) == 232);
    CHECK(live(read_text(kTrace, "@t=0.02").snapshots[0]) == 108);
    const Profile late = read_text(kTrace, "@t=5");
    CHECK(live(late.snapshots[0]) == 108);
    REQUIRE(late.warnings.size() == 1);
    CHECK(late.warnings[0] ==
          "heaptrack: @t=5 is after the end of the run (0.10s): the state at the end is shown");
  }
  SUBCASE("@N: slice N") {
    const Profile p = read_text(kTrace, "@1");
    REQUIRE(p.snapshots.size() == 1);
    CHECK(p.snapshots[0].number == 1);
    CHECK(live(p.snapshots[0]) == 232);
    try {
      read_text(kTrace, "@11", 3);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()) == "@11: no snapshot number 11 (have: 1, 2, 3)");
    }
  }
  SUBCASE("--slices changes the number of slices") {
    const Profile p = read_text(kTrace, "", 3);
    REQUIRE(p.snapshots.size() == 3);
    CHECK(*p.snapshots[0].time == doctest::Approx(0.1 / 3));
    CHECK(live(p.snapshots[0]) == 108);
  }
}

TEST_CASE("formats::read_heaptrack record types") {
  SUBCASE("file format 2: strings take the rest of the line, spaces included") {
    const Profile p = read_text(
        "v 10000 2\nX ./david\ns david\ns operator new(unsigned long)\ns my file.c\n"
        "i 10 1 2 3 7\nt 1 0\na 10 1\n+ 0\n");
    const auto& s = p.snapshots.back();
    REQUIRE(s.samples.size() == 1);
    const auto& f = p.frames[p.stacks[s.samples[0].stack][0]];
    CHECK(p.strings[f.function] == "operator new(unsigned long)");
    CHECK(p.strings[f.file] == "my file.c");
    CHECK(p.strings[f.module] == "david");
  }
  SUBCASE("a 1.0 pre-release 'v 10200' is file format 1") {
    const Profile p = read_text("v 10200\ns a b\ni 10 1\nt 1 0\na 10 1\n+ 0\n");
    CHECK(p.strings[p.frames[p.stacks[p.snapshots.back().samples[0].stack][0]].module] ==
          "a b");
  }
  SUBCASE("file format 0: '+ size trace pointer' and '- pointer'") {
    const Profile p = read_text(
        "v 900\ns m\ni 10 1\nt 1 0\n+ 10 1 a000\n+ 20 1 b000\n+ 10 1 c000\n- a000\n"
        "- dead\nc 5\n");
    const auto& end = p.snapshots.back();
    CHECK(live(end) == 0x30);
    CHECK(end.total[Metric::AllocBytes] == 0x40);
    CHECK(extra(end, "calls") == 3);
    CHECK(extra(end, "unmatched_frees") == 1);
  }
  SUBCASE("mangled names are demangled, full") {
    const Profile p =
        read_text("v 10400 3\ns 1 m\ns f _Z10leak_blockm\ni 10 1 2\nt 1 0\na 10 1\n+ 0\n");
    CHECK(p.strings[p.frames[p.stacks[p.snapshots.back().samples[0].stack][0]].function] ==
          "leak_block(unsigned long)");
  }
  SUBCASE("an ip without symbols and an allocation without a trace") {
    const Profile p = read_text("v 10400 3\ns 1 m\ni 7f00 1\nt 1 0\na 10 0\na 8 1\n+ 0\n+ 1\n",
                                "@end");
    const auto& end = p.snapshots[0];
    REQUIRE(end.samples.size() == 2);
    size_t empty = 0;
    for (const auto& s : end.samples) {
      const auto stack = p.stacks[s.stack];
      if (stack.empty()) {
        ++empty;
        CHECK(s.values[Metric::LiveBytes] == 0x10);
      } else {
        CHECK(p.frames[stack[0]].function == 0);
        CHECK(p.frames[stack[0]].address == 0x7f00);
      }
    }
    CHECK(empty == 1);
  }
  SUBCASE("S, I, A, comments and empty lines") {
    const Profile p = read_text(
        "v 10400 3\n# a comment\n\nS d leak:leaky_fn\nI 1000 5e2919\nA\ns 1 m\ni 1 1\nt 1 0\n"
        "a 10 1\n+ 0\nR 2\n",
        "@end");
    CHECK(extra(p.snapshots[0], "rss_bytes") == 2 * 4096);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0] ==
          "heaptrack: attached to a running process (line 6): allocations made before that "
          "are not seen");
  }
  SUBCASE("page size defaults to 4096 without an I line") {
    const Profile p = read_text("v 10400 3\nR 3\n", "@end");
    CHECK(extra(p.snapshots[0], "rss_bytes") == 3 * 4096);
  }
  SUBCASE("unknown record types: one warning per type, skipped") {
    const Profile p = read_text(kHeader + "Q 1 2\n+ 0\nQ\nZ zz\n" + kEvents);
    REQUIRE(p.warnings.size() == 2);
    CHECK(p.warnings[0] ==
          "heaptrack: skipped 2 line(s) of unknown record type 'Q' (first at line 18)");
    CHECK(p.warnings[1] ==
          "heaptrack: skipped 1 line(s) of unknown record type 'Z' (first at line 21)");
    CHECK(live(p.snapshots.back()) == 208);
  }
  SUBCASE("a free without a live allocation is ignored and counted, never negative") {
    const Profile p = read_text(kHeader + "+ 0\n- 1\n- 0\n- 0\n", "@end");
    CHECK(live(p.snapshots[0]) == 0);
    CHECK(p.snapshots[0].total[Metric::LiveObjects] == 0);
    for (const auto& s : p.snapshots[0].samples) CHECK(s.values[Metric::LiveObjects] >= 0);
    CHECK(extra(p.snapshots[0], "unmatched_frees") == 2);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0] ==
          "heaptrack: ignored 2 free(s) of allocations that were not live (first at line 19)");
  }
  SUBCASE("a newer file format is read with a warning") {
    const Profile p = read_text("v 10600 4\n");
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0] ==
          "heaptrack: file format 4 is newer than this reader knows (3); read as format 3");
  }
  SUBCASE("no events at all: empty snapshots") {
    const Profile p = read_text("v 10400 3\n");
    REQUIRE(p.snapshots.size() == 10);
    CHECK(p.snapshots.back().samples.empty());
    CHECK(extra(p.snapshots.back(), "calls") == 0);
  }
}

TEST_CASE("formats::read_heaptrack errors") {
  const std::string v = "v 10400 3\n";
  const std::string defs = "v 10400 3\ns 1 m\ni 10 1\nt 1 0\na 10 1\n";
  CHECK(error_of(v + "s 4 abc\n") == "2: heaptrack: expected a string of 4 bytes, got 3 bytes");
  CHECK(error_of(v + "s x abc\n") == "2: heaptrack: expected a string length, got 'x'");
  CHECK(error_of(v + "s\n") == "2: heaptrack: expected a string length, got end of line");
  CHECK(error_of(v + "S 9 leak:x\n") ==
        "2: heaptrack: expected a string of 9 bytes, got 6 bytes");
  CHECK(error_of(v + "i 10 1\n") == "2: heaptrack: string index 0x1 out of range (0 defined)");
  CHECK(error_of(v + "i\n") == "2: heaptrack: expected an instruction pointer, got end of line");
  CHECK(error_of(v + "i 10\n") == "2: heaptrack: expected a module string index, got end of line");
  CHECK(error_of(v + "s 1 m\ni 10 1 1 1\n") ==
        "3: heaptrack: expected a line number, got end of line");
  CHECK(error_of(v + "s 1 m\ni 10 1 1 1 1 1\n") ==
        "3: heaptrack: expected an inlined file string index, got end of line");
  CHECK(error_of(v + "s 1 m\ni 10 1 1 1 100000000\n") ==
        "3: heaptrack: line number 0x100000000 does not fit in 32 bits");
  CHECK(error_of(v + "i 1ffffffffffffffff 0\n") ==
        "2: heaptrack: an instruction pointer '1ffffffffffffffff' does not fit in 64 bits");
  CHECK(error_of(v + "i 10g 0\n") == "2: heaptrack: expected an instruction pointer, got '10g'");
  CHECK(error_of(v + "t 1 0\n") == "2: heaptrack: ip index 0x1 out of range (0 defined)");
  CHECK(error_of(v + "s 1 m\ni 10 1\nt 0 0\n") ==
        "4: heaptrack: ip index 0x0 out of range (1 defined)");
  CHECK(error_of(v + "s 1 m\ni 10 1\nt 1 1\n") ==
        "4: heaptrack: trace 0x1 has parent 0x1: a parent must be defined before its child");
  CHECK(error_of(v + "s 1 m\ni 10 1\nt 1 0\nt 1 5\n") ==
        "5: heaptrack: trace 0x2 has parent 0x5: a parent must be defined before its child");
  CHECK(error_of(v + "a 10 1\n") == "2: heaptrack: trace index 0x1 out of range (0 defined)");
  CHECK(error_of(v + "a 4000000000000000 0\n") ==
        "2: heaptrack: allocation size 0x4000000000000000 is too large");
  CHECK(error_of(defs + "+ 1\n") ==
        "6: heaptrack: allocation info index 0x1 out of range (1 defined)");
  CHECK(error_of(defs + "- 2\n") ==
        "6: heaptrack: allocation info index 0x2 out of range (1 defined)");
  CHECK(error_of(defs + "+\n") ==
        "6: heaptrack: expected an allocation info index, got end of line");
  CHECK(error_of(defs + "- 0 1\n") ==
        "6: heaptrack: expected end of line after the allocation info index, got '1'");
  CHECK(error_of(defs + "c zz\n") ==
        "6: heaptrack: expected a timestamp in milliseconds, got 'zz'");
  CHECK(error_of(defs + "R -1\n") == "6: heaptrack: expected a number of pages, got '-1'");
  CHECK(error_of(v + "I\n") == "2: heaptrack: expected a page size, got end of line");
  CHECK(error_of("v x 3\n") == "1: heaptrack: expected a heaptrack version, got 'x'");
  CHECK(error_of("v 10400 y\n") == "1: heaptrack: expected a file format version, got 'y'");
  CHECK(error_of(defs + "+0\n") ==
        "6: heaptrack: expected a space after the record type, got '+0'");
  CHECK(error_of("desc: x\n") ==
        "1: heaptrack: expected a heaptrack record such as 'v 10400 3', got 'desc: x'");
  CHECK(error_of(defs + "+ 0\n+ 0\n" + "a 3fffffffffffffff 1\n" +
                 "+ 1\n+ 1\n") ==
        "10: heaptrack: the allocated bytes add up to more than 2^63");
  SUBCASE("an index with a byte just outside the hex digits goes to the full parser") {
    // 250 infos (info i of i+1 bytes): a byte misread as a digit would give a defined index,
    // so only the fast path's refusal leads to the full parser's message.
    std::string many = "v 10400 3\ns 1 m\ni 10 1\nt 1 0\n";
    for (int i = 0; i < 0xfa; ++i) many += fmt::format("a {:x} 1\n", i + 1);
    const uint64_t line = 4 + 0xfa + 1;
    for (const std::string bad : {"0g", "1G", "1:", "1/", "1@", "1`", "f\x80", "\x10", "1\xc1",
                                  "12345678", "123456789"}) {
      const std::string expected =
          bad == "12345678" || bad == "123456789"
              ? fmt::format("{}: heaptrack: allocation info index 0x{} out of range (250 defined)",
                            line, bad)
              : fmt::format("{}: heaptrack: expected an allocation info index, got '{}'", line, bad);
      CHECK(error_of(many + "+ " + bad + "\nc 1\n+ 0\n- 0\n") == expected);
    }
    // The edges of the digit ranges, both cases, and leading zeros are read as digits.
    const Profile p =
        read_text(many + "+ f9\n+ F9\n+ 9\n+ a\n+ A\n+ 0f\nc 1\n+ 0\n- 00\n+ 0000000\n", "@end");
    CHECK(extra(p.snapshots[0], "calls") == 8);
    CHECK(extra(p.snapshots[0], "leaked_bytes") == 2 * 0xfa + 0xa + 2 * 0xb + 0x10 + 1);
  }
  SUBCASE("a raw trace says how to interpret it") {
    TempFile f("v 10400 3\nx 5 leaky\nX ./leaky 40\n");
    try {
      read_file(f.path());
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.position() == 2);
      CHECK(std::string(e.what()) ==
            "heaptrack: expected an interpreted trace, got a raw one ('x' record, written by "
            "heaptrack -r); convert it first: heaptrack_interpret < " + f.path() +
                " | zstd -c > " + f.path() + ".interpreted.zst");
    }
    CHECK(error_of("v 10400 3\nm 1 -\n").starts_with(
        "2: heaptrack: expected an interpreted trace, got a raw one ('m' record"));
    CHECK(error_of(defs + "+ 10 1 7f00\n").starts_with(
        "6: heaptrack: expected an interpreted trace, got a raw one ('+' record"));
  }
}

TEST_CASE("formats::read_heaptrack: event lines of every width, across chunk boundaries") {
  // 3 MiB of `+`/`-` lines (the reader's fast path parses them straight from its 1 MiB
  // chunks): indices of 1 to 12 hex digits (leading zeros; more than 8 digits go through the
  // full parser), some in uppercase, unmatched frees, temporaries, `c` and `R` lines between.
  // Every figure is checked against a per-line model of what the lines say.
  constexpr uint32_t kInfos = 300, kSites = 3;
  std::string text = "v 10400 3\ns 1 m\n";
  for (uint32_t t = 1; t <= kSites; ++t) text += fmt::format("i {:x} 1\nt {:x} 0\n", t * 16, t);
  for (uint32_t i = 0; i < kInfos; ++i) text += fmt::format("a {:x} {:x}\n", 8 * (i + 1), i % kSites + 1);
  uint64_t line = 2 + 2 * kSites + kInfos;
  std::vector<int64_t> live(kInfos, 0);
  int64_t calls = 0, temporary = 0, unmatched = 0, first_unmatched = 0, last_allocated = -1;
  uint64_t rng = 12345;
  auto next_random = [&] {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return uint32_t(rng >> 33);
  };
  while (text.size() < (3u << 20)) {
    const uint32_t r = next_random();
    ++line;
    if (r % 997 == 0) {
      text += fmt::format("c {:x}\n", line);  // c and R lines do not part a temporary's +/-
      continue;
    }
    if (r % 1499 == 0) {
      text += fmt::format("R {:x}\n", r % 5000);
      continue;
    }
    const uint32_t info = next_random() % kInfos;
    const uint32_t zeros = next_random() % 10;  // 0..9 leading zeros
    std::string digits = std::string(zeros, '0') + fmt::format("{:x}", info);
    if (next_random() % 50 == 0) digits = fmt::format("{:X}", info);
    const bool alloc = next_random() % 5 < 3;
    text += fmt::format("{} {}\n", alloc ? '+' : '-', digits);
    if (alloc) {
      ++live[info];
      ++calls;
      last_allocated = info;
    } else {
      if (live[info] == 0) {
        if (++unmatched == 1) first_unmatched = int64_t(line);
      } else {
        --live[info];
        if (last_allocated == int64_t(info)) ++temporary;
      }
      last_allocated = -1;
    }
  }
  const Profile p = read_text(text, "@end");
  REQUIRE(p.snapshots.size() == 1);
  const Snapshot& end = p.snapshots[0];
  CHECK(extra(end, "calls") == calls);
  CHECK(extra(end, "unmatched_frees") == unmatched);
  CHECK(extra(end, "temporary") == temporary);
  std::vector<int64_t> site_bytes(kSites, 0);
  int64_t total = 0;
  for (uint32_t i = 0; i < kInfos; ++i) {
    site_bytes[i % kSites] += live[i] * 8 * (i + 1);
    total += live[i] * 8 * (i + 1);
  }
  CHECK(extra(end, "leaked_bytes") == total);
  REQUIRE(end.samples.size() == kSites);
  for (const auto& s : end.samples) {
    const uint64_t address = p.frames[p.stacks[s.stack][0]].address;
    CHECK(s.values[Metric::LiveBytes] == site_bytes[address / 16 - 1]);
  }
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0] == fmt::format("heaptrack: ignored {} free(s) of allocations that were not "
                                     "live (first at line {})",
                                     unmatched, first_unmatched));
  // An error after the first chunk names its line.
  CHECK(error_of(text + "+ 12c\n") ==
        fmt::format("{}: heaptrack: allocation info index 0x12c out of range (300 defined)",
                    line + 1));
}

TEST_CASE("heaptrack::hex_line8: the digit-by-digit reading of 1 to 7 lowercase digits and a newline") {
  // What hex_line8 must return for eight bytes, spelt out one byte at a time.
  auto expected = [](const char* p) {
    heaptrack::HexLine h;
    uint64_t value = 0;
    uint32_t n = 0;
    while (n < 8 && ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f'))) {
      value = value * 16 + uint64_t(p[n] <= '9' ? p[n] - '0' : p[n] - 'a' + 10);
      ++n;
    }
    if (n >= 1 && n <= 7 && p[n] == '\n') h = {uint32_t(value), n};
    return h;
  };
  // Bytes next to the edges of the digit ranges, the high bit, uppercase, and '\n'.
  const std::string alphabet = std::string("0123456789abcdef/:`gAF\n\n\n \x80\xb0\xe1\xff", 30);
  uint64_t rng = 99;
  size_t agreed = 0, lines = 0;
  for (int round = 0; round < 400000; ++round) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    char bytes[8];
    uint64_t r = rng;
    for (char& b : bytes) {
      b = alphabet[(r >> 7) % alphabet.size()];
      r = r * 2862933555777941757ULL + 3037000493ULL;
    }
    // Every other round a well-formed line of random length, to reach every width.
    if (round % 2 == 0) {
      const uint32_t digits = 1 + uint32_t(rng >> 40) % 7;
      const std::string text = fmt::format("{:x}", (rng >> 3) & ((uint64_t(1) << (4 * digits)) - 1));
      std::string line = std::string(digits - text.size(), '0') + text + "\n";
      std::copy(line.begin(), line.end(), bytes);
    }
    const heaptrack::HexLine got = heaptrack::hex_line8(bytes), want = expected(bytes);
    agreed += got.value == want.value && got.digits == want.digits;
    lines += want.digits != 0;
  }
  CHECK(agreed == 400000);
  CHECK(lines > 200000);  // the well-formed half, and some of the random one
  CHECK(heaptrack::hex_line8("2904f\nxx").value == 0x2904f);
  CHECK(heaptrack::hex_line8("2904f\nxx").digits == 5);
  CHECK(heaptrack::hex_line8("fffffff\n").value == 0xfffffff);
  CHECK(heaptrack::hex_line8("12345678").digits == 0);  // eight digits: the digit loop's
  CHECK(heaptrack::hex_line8("\n1234567").digits == 0);
  CHECK(heaptrack::hex_line8("2A\n45678").digits == 0);  // uppercase: the digit loop's
}

TEST_CASE("formats::read_heaptrack: block sizes on both sides of the replay's 30-bit records") {
  // Sizes below 2^30 - 1 are kept in the replay's 8-byte record, the rest in an array of
  // their own: the figures must not tell which.
  const int64_t sizes[] = {0x3ffffffe, 0x3fffffff, 0x40000000, 0x100000000, 0x7fffffffffff, 1};
  std::string text = "v 10400 3\ns 1 m\n";
  for (int t = 1; t <= 6; ++t) text += fmt::format("i {:x} 1\nt {:x} 0\n", t * 16, t);
  for (int i = 0; i < 6; ++i) text += fmt::format("a {:x} {:x}\n", sizes[i], i + 1);
  // Info i: i + 2 blocks allocated, one freed (a temporary for the first two).
  int64_t live_total = 0, allocated_total = 0;
  for (int i = 0; i < 6; ++i) {
    for (int k = 0; k < i + 2; ++k) text += fmt::format("+ {:x}\n", i);
    text += fmt::format("- {:x}\n", i);
    live_total += (i + 1) * sizes[i];
    allocated_total += (i + 2) * sizes[i];
  }
  text += "c 10\n";
  const Profile p = read_text(text, "@end");
  REQUIRE(p.snapshots.size() == 1);
  const Snapshot& end = p.snapshots[0];
  CHECK(extra(end, "leaked_bytes") == live_total);
  CHECK(extra(end, "allocated_bytes") == allocated_total);
  CHECK(extra(end, "calls") == 2 + 3 + 4 + 5 + 6 + 7);
  CHECK(extra(end, "temporary") == 6);
  REQUIRE(end.samples.size() == 6);
  for (const auto& s : end.samples) {
    const int i = int(p.frames[p.stacks[s.stack][0]].address / 16) - 1;
    CHECK(s.values[Metric::LiveBytes] == (i + 1) * sizes[i]);
    CHECK(s.values[Metric::LiveObjects] == i + 1);
    CHECK(s.values[Metric::AllocBytes] == (i + 2) * sizes[i]);
    CHECK(s.values[Metric::AllocObjects] == i + 2);
  }
}

TEST_CASE("heaptrack::DurationScan: the largest valid `c` time, however the bytes are cut") {
  using memleak::formats::heaptrack::DurationScan;
  auto scan_in_pieces = [](std::string_view text, std::vector<size_t> cuts) {
    DurationScan scan;
    size_t from = 0;
    cuts.push_back(text.size());
    for (const size_t to : cuts) {
      scan.feed(text.substr(from, to - from));
      from = to;
    }
    return scan.finish();
  };
  // Valid: 10, 5, 0abc (leading zeros do not count towards the 16 digits), 20 (more fields
  // follow). Not `c` lines or not valid: the rest, including a larger time after a space,
  // after another letter, in 17 digits, with a '\r', empty or absent. A filler line longer
  // than the 32-byte steps of the search sits between them.
  const std::string filler = "s 50 " + std::string(80, 'c') + "\n";
  const std::string text = "c 10\n+ 1\n" + filler + "c 5\nc zz\nc 1ffffffffffffffff\n c 99\n" +
                           "xc 77\n-c 300\nc 00000000000000000000abc\n" + filler + "c\nc \n" +
                           "cc 400\nc 500\r\nc 20 extra\n\n\nc fff0 \n" + filler;
  CHECK(scan_in_pieces(text, {}) == 0xfff0);
  CHECK(scan_in_pieces("c fff1", {}) == 0xfff1);          // the last line without a '\n'
  CHECK(scan_in_pieces(text + "c fff1", {}) == 0xfff1);
  CHECK(scan_in_pieces(text + "c fff1x", {}) == 0xfff0);  // ... and not valid
  CHECK(scan_in_pieces("", {}) == 0);
  CHECK(scan_in_pieces("+ 1\n- 1\n", {}) == 0);
  CHECK(scan_in_pieces("c 30\nc 20\n", {}) == 0x30);     // a clock that goes back
  // Every cut into two and into three pieces, and one byte at a time.
  for (size_t i = 0; i <= text.size(); ++i) {
    CHECK(scan_in_pieces(text, {i}) == 0xfff0);
    for (size_t j = i; j <= text.size(); j += 7) CHECK(scan_in_pieces(text, {i, j}) == 0xfff0);
  }
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < text.size(); ++i) every_byte.push_back(i);
  CHECK(scan_in_pieces(text, every_byte) == 0xfff0);

  SUBCASE("random texts, cut at random places, against the rule line by line") {
    // The rule, as the replay reads a `c` line: a line "c X..." whose first field X (up to a
    // space or the line's end) is 1 to 16 significant hex digits, leading zeros aside.
    auto by_lines = [](std::string_view t) {
      uint64_t last = 0;
      while (!t.empty()) {
        const size_t nl = t.find('\n');
        const std::string_view line = t.substr(0, nl);
        t = nl == std::string_view::npos ? std::string_view() : t.substr(nl + 1);
        if (!line.starts_with("c ")) continue;
        std::string_view field = line.substr(2, line.find(' ', 2) - 2);
        if (field.empty() || field.find_first_not_of("0123456789abcdefABCDEF") != field.npos)
          continue;
        field.remove_prefix(std::min(field.find_first_not_of('0'), field.size()));
        if (field.size() > 16) continue;
        const uint64_t ms = field.empty() ? 0 : std::stoull(std::string(field), nullptr, 16);
        last = std::max(last, ms);
      }
      return last;
    };
    uint64_t state = 0x2545f4914f6cdd1dULL;  // xorshift: the same texts in every run
    auto next = [&state] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    const std::string_view alphabet = "cc  \n\n\n0123456789abcdefF0x\r+";
    size_t nonzero = 0;
    for (int round = 0; round < 3000; ++round) {
      std::string t(next() % 200, ' ');
      for (char& ch : t) ch = alphabet[next() % alphabet.size()];
      if (round % 3 == 0) t += "\nc " + std::string(next() % 20, '0') + "123\n";
      std::vector<size_t> cuts;
      for (size_t k = next() % 6; k > 0 && !t.empty(); --k) cuts.push_back(next() % t.size());
      std::sort(cuts.begin(), cuts.end());
      const uint64_t want = by_lines(t);
      nonzero += want != 0;
      INFO("text: ", t);
      REQUIRE(scan_in_pieces(t, cuts) == want);
    }
    CHECK(nonzero > 1000);  // (the texts do hold `c` lines)
  }
}

TEST_CASE("formats::read_heaptrack deep trees and pipes") {
  SUBCASE("a trace tree 100000 deep neither recurses nor keeps every frame") {
    std::string text = "v 10400 3\ns 1 m\ni 10 1\n";
    text.reserve(2 << 20);
    for (int i = 1; i <= 100000; ++i) text += "t 1 " + fmt::format("{:x}", i - 1) + "\n";
    text += "a 8 186a0\n+ 0\n";
    const Profile p = read_text(text, "@end");
    REQUIRE(p.snapshots[0].samples.size() == 1);
    CHECK(p.stacks[p.snapshots[0].samples[0].stack].size() == 4096);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0] ==
          "heaptrack: 1 stack(s) deeper than 4096 frames were cut to their innermost frames");
  }
  SUBCASE("a FIFO is read once; its events are spooled for the slices") {
    char dir[] = "/tmp/memleak-ht-fifo-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    const std::string fifo = std::string(dir) + "/trace";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo);
      out << kTrace;
    });
    ReadOptions options;
    const Profile p = read_profile(parse_input_spec(fifo), options);
    writer.join();
    ::unlink(fifo.c_str());
    ::rmdir(dir);
    const Profile q = read_text(kTrace);
    REQUIRE(p.snapshots.size() == q.snapshots.size());
    for (size_t k = 0; k < p.snapshots.size(); ++k)
      CHECK(p.snapshots[k].total.v == q.snapshots[k].total.v);
  }
}

TEST_CASE("formats::read_heaptrack matches heaptrack_print on every real trace") {
  if (!fs::exists(shared_dir() + "/formats/samples")) {
    MESSAGE("skipped: " << shared_dir() << " is absent");
    return;
  }
  size_t checked = 0, sites = 0;
  for (const auto& [path, reference] : real_traces()) {
    CAPTURE(path);
    if (is_raw(path)) {
      try {
        read_file(path);
        FAIL("a raw trace was read");
      } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("heaptrack_interpret") != std::string::npos);
      }
      continue;
    }
    const Profile all = read_file(path);
    const Profile end = read_file(path, "@end");
    const Profile peak = read_file(path, "@peak");
    REQUIRE(all.snapshots.size() == 10);
    const Snapshot& last = all.snapshots.back();
    // Invariants: the last slice is @end; totals are sums of samples.
    CHECK(last.total.v == end.snapshots[0].total.v);
    CHECK(extra(last, "leaked_bytes") == live(last));
    CHECK(extra(last, "peak_bytes") == live(peak.snapshots[0]));
    for (const auto& s : all.snapshots) {
      CHECK(live(s) <= extra(last, "peak_bytes"));
      CHECK(s.total.v == memleak::core::sum_samples(s).v);
    }
    if (reference.empty()) continue;
    const Reference ref = parse_reference(read_maybe_gzipped(reference));
    CHECK(extra(last, "calls") == ref.calls);
    CHECK(ref.peak.contains(extra(last, "peak_bytes")));
    // heaptrack_print subtracts suppressed leaks; memleak suppresses nothing.
    CHECK((ref.leaked + ref.suppressed).contains(extra(last, "leaked_bytes")));
    // The first leak sites of heaptrack_print's list (unsuppressed files only: a suppression
    // can remove part of a merged site).
    if (ref.suppressed.hi == 0) {
      for (size_t i = 0; i < std::min<size_t>(3, ref.leaks.size()); ++i) {
        const auto& leak = ref.leaks[i];
        CAPTURE(leak.function);
        bool found = false;
        for (const auto& [name, totals] : site_totals(all, last, leak))
          found = found || (leak.bytes.contains(totals.first) && totals.second == leak.calls);
        CHECK(found);
        ++sites;
      }
    }
    ++checked;
  }
  CHECK(checked >= 12);
  CHECK(sites >= 20);
  MESSAGE(checked << " traces and " << sites << " leak sites checked against heaptrack_print");
}

TEST_CASE("formats::read_heaptrack: 12345 minus 12344 equals heaptrack_print's diff") {
  const std::string samples = shared_dir() + "/formats/samples/";
  if (!fs::exists(samples)) {
    MESSAGE("skipped: " << samples << " is absent");
    return;
  }
  const Snapshot a = read_file(samples + "heaptrack.leaky.12345.zst", "@end").snapshots[0];
  const Snapshot b = read_file(samples + "heaptrack.leaky.12344.zst", "@end").snapshots[0];
  const Reference diff =
      parse_reference(read_maybe_gzipped(samples + "expected/heaptrack_print.diff.12345-12344.txt"));
  CHECK(extra(a, "calls") - extra(b, "calls") == diff.calls);
  CHECK(diff.leaked.contains(extra(a, "leaked_bytes") - extra(b, "leaked_bytes")));
  CHECK(diff.peak.contains(extra(a, "peak_bytes") - extra(b, "peak_bytes")));
  CHECK(extra(a, "leaked_bytes") == 40000);
}
