// Tests of the profile.proto reader: wire-format variants built byte by byte, every error
// message verbatim, and every real pprof file in ../shared against what `go tool pprof -raw`
// printed for it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/model.h"
#include "formats/input.h"
#include "formats/pprof/pprof_reader.h"
#include "formats/reader.h"

namespace fs = std::filesystem;
using memleak::core::InputError;
using memleak::core::Metric;
using namespace memleak::formats;

namespace {

// A protobuf message written by hand: keys, varints, packed or unpacked repeated fields.
struct Pb {
  std::string b;
  Pb& raw_varint(uint64_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      if (v) byte |= 0x80;
      b.push_back(char(byte));
    } while (v);
    return *this;
  }
  Pb& key(uint32_t field, uint32_t wire) { return raw_varint(uint64_t(field) << 3 | wire); }
  Pb& v(uint32_t field, uint64_t value) { return key(field, 0).raw_varint(value); }
  Pb& i(uint32_t field, int64_t value) { return v(field, uint64_t(value)); }
  Pb& bytes(uint32_t field, std::string_view s) {
    key(field, 2).raw_varint(s.size());
    b.append(s);
    return *this;
  }
  Pb& msg(uint32_t field, const Pb& m) { return bytes(field, m.b); }
  Pb& packed(uint32_t field, std::initializer_list<int64_t> values) {
    Pb inner;
    for (auto x : values) inner.raw_varint(uint64_t(x));
    return bytes(field, inner.b);
  }
};

Pb value_type(int64_t type, int64_t unit) { return Pb().i(1, type).i(2, unit); }

// String table used by the hand-made profiles below.
const std::vector<std::string> kStrings = {
    "",          "inuse_space", "bytes",  "main.leak", "main.go",  "app",
    "main.main", "inlined.f",   "inuse_objects", "count", "alloc_space", "alloc_objects",
    "goroutine", "cpu",         "nanoseconds", "space", "pprof::base", "true",
    "runtime.mallocgc|runtime.newobject", "runtime.mallocgc"};
int64_t s(std::string_view str) {
  for (size_t i = 0; i < kStrings.size(); ++i)
    if (kStrings[i] == str) return int64_t(i);
  FAIL("no such test string");
  return 0;
}

Pb string_table() {
  Pb p;
  for (const auto& str : kStrings) p.bytes(6, str);
  return p;
}

// One mapping, two functions, two locations: loc 1 = main.leak (leaf), loc 2 = main.main.
Pb tables() {
  Pb p;
  p.msg(3, Pb().v(1, 1).v(2, 0x400000).v(3, 0x500000).v(4, 0x1000).i(5, s("app")));
  p.msg(5, Pb().v(1, 1).i(2, s("main.leak")).i(3, s("main.leak")).i(4, s("main.go")));
  p.msg(5, Pb().v(1, 2).i(2, s("main.main")).i(4, s("main.go")));
  p.msg(4, Pb().v(1, 1).v(2, 1).v(3, 0x401234).msg(4, Pb().v(1, 1).i(2, 17)));
  p.msg(4, Pb().v(1, 2).v(2, 1).v(3, 0x405678).msg(4, Pb().v(1, 2).i(2, 40)));
  return p;
}

Pb go_heap_header() {
  Pb p;
  p.msg(11, value_type(s("space"), s("bytes"))).i(12, 524288);
  p.msg(1, value_type(s("alloc_objects"), s("count")));
  p.msg(1, value_type(s("alloc_space"), s("bytes")));
  p.msg(1, value_type(s("inuse_objects"), s("count")));
  p.msg(1, value_type(s("inuse_space"), s("bytes")));
  return p;
}

struct TempFile {
  fs::path path;
  explicit TempFile(std::string_view bytes, std::string name = "") {
    static int counter = 0;
    if (name.empty()) name = "prof";
    path = fs::temp_directory_path() /
           ("memleak_pprof_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
    path /= name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  }
  ~TempFile() { fs::remove_all(path.parent_path()); }
};

memleak::core::Profile read_bytes(std::string_view bytes, bool detect = false,
                                  std::string name = "") {
  TempFile f(bytes, name);
  ReadOptions o;
  if (!detect) o.input_format = "pprof";
  return read_profile(InputSpec{f.path.string(), {}}, o);
}

// The error message (without the path) and the byte offset of reading `bytes`.
std::string error_of(std::string_view bytes, uint64_t* offset = nullptr) {
  try {
    (void)read_bytes(bytes);
  } catch (const InputError& e) {
    if (offset) *offset = e.position();
    return e.what();
  }
  return "(no error)";
}

std::string function_of(const memleak::core::Profile& p, memleak::core::FrameId f) {
  return std::string(p.strings[p.frames[f].function]);
}

// ---- Reference outputs of go tool pprof (see shared/peer-data/README.md)

struct Expected {
  bool accepted = false;
  std::vector<std::string> types;  // "name/unit" as -raw prints them, without "[dflt]"
  std::vector<int64_t> sums;       // per type, over the rows -raw prints
};

struct Input {
  std::string path;
  bool is_text = false;              // a legacy text profile (not protobuf)
  std::optional<Expected> expected;  // absent when no reference output was saved
};

// Reads a (possibly gzip'd) text file line by line.
std::vector<std::string> read_lines(const std::string& path) {
  ByteStream in(path);
  LineReader lines(in);
  std::vector<std::string> out;
  std::string_view line;
  while (lines.next(line)) out.emplace_back(line);
  return out;
}

bool parse_i64(std::string_view t, int64_t& v) {
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  return ec == std::errc() && p == t.data() + t.size() && !t.empty();
}

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// The "Samples:" section of `go tool pprof -raw`: a line of types, then rows
// "V1 V2 ...: LOC LOC ..." and label lines, until "Locations".
Expected parse_raw(const std::string& path) {
  Expected e;
  e.accepted = true;
  auto lines = read_lines(path);
  size_t i = 0;
  while (i < lines.size() && lines[i] != "Samples:") ++i;
  REQUIRE(i + 1 < lines.size());
  for (auto t : split_ws(lines[i + 1])) {
    std::string type(t);
    if (type.ends_with("[dflt]")) type.resize(type.size() - 6);
    e.types.push_back(type);
  }
  e.sums.assign(e.types.size(), 0);
  for (i += 2; i < lines.size() && lines[i] != "Locations"; ++i) {
    const std::string_view line = lines[i];
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto values = split_ws(line.substr(0, colon));
    if (values.size() != e.types.size()) continue;
    std::vector<int64_t> row;
    for (auto v : values) {
      int64_t x = 0;
      if (!parse_i64(v, x)) break;
      row.push_back(x);
    }
    if (row.size() != e.types.size()) continue;  // a label line
    for (size_t k = 0; k < row.size(); ++k) e.sums[k] += row[k];
  }
  return e;
}

// Profiles pprof reads that memleak deliberately does not: legacy binary CPU profiles and the
// Google-internal text formats for contention, threads and Java heaps (none is a heap or
// goroutine profile memleak can rank). Empty when the file is one memleak should read.
std::string unsupported_kind(const std::string& path) {
  ByteStream in(path);
  const auto head = in.peek(64);
  if (head.size() >= 8 && head.substr(0, 4) == std::string_view("\0\0\0\0", 4))
    return "legacy binary cpu profile";
  for (std::string_view h : {"--- contentionz", "--- threadz", "--- heapz"})
    if (head.starts_with(h)) return std::string(h.substr(4));
  return "";
}

bool is_text_profile(const std::string& path) {
  ByteStream in(path);
  const auto head = in.peek(64);
  return !head.empty() && (std::isalpha(static_cast<unsigned char>(head[0])) || head[0] == '-' ||
                           head[0] == '%');
}

std::vector<Input> pprof_inputs(const fs::path& shared) {
  std::vector<Input> out;
  auto add = [&](const fs::path& data, const fs::path& raw, const fs::path& error) {
    Input in;
    in.path = data.string();
    in.is_text = fs::file_size(data) > 0 && is_text_profile(in.path);
    if (fs::exists(error)) {
      in.expected = Expected{};
    } else if (fs::exists(raw)) {
      in.expected = parse_raw(raw.string());
    } else if (fs::exists(raw.string() + ".gz")) {
      in.expected = parse_raw(raw.string() + ".gz");
    }
    out.push_back(std::move(in));
  };
  for (const char* origin : {"google-pprof", "grafana-pyroscope", "parca-dev-parca"}) {
    std::vector<fs::path> files;
    for (const auto& f : fs::recursive_directory_iterator(shared / "peer-data" / origin)) {
      const auto name = f.path().filename().string();
      if (!f.is_regular_file() || name.find(".expected") != std::string::npos ||
          name.ends_with(".string") || name == "README.md")
        continue;
      files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      add(f, f.string() + ".expected.txt", f.string() + ".expected-error.txt");
  }
  const fs::path samples = shared / "formats" / "samples";
  for (const auto& f : fs::directory_iterator(samples)) {
    const auto name = f.path().filename().string();
    if (!(name.starts_with("go.") || name.starts_with("gperf.") || name.starts_with("jemalloc.")))
      continue;
    if (name.find("debug2") != std::string::npos) continue;  // a stack dump, not a profile
    std::string stem = name;
    for (std::string_view ext : {".pb.gz", ".heap", ".txt"})
      if (stem.ends_with(ext)) stem.resize(stem.size() - ext.size());
    if (stem.ends_with(".debug1")) stem.resize(stem.size() - 7);
    add(f.path(), samples / "expected" / (stem + ".pprof-raw.txt"), samples / "none");
  }
  for (const auto& dir : fs::directory_iterator(shared / "corpus" / "go"))
    for (const auto& f : fs::directory_iterator(dir.path()))
      if (f.path().extension() == ".gz") add(f.path(), "none", "none");
  return out;
}

// Our reading of an accepted file against go tool pprof -raw: same sample types in the same
// order, and for every type we map to a metric the same sum (over stacks with at least one
// frame: -raw leaves out samples without locations).
void check_against_raw(const memleak::core::Profile& p, const Expected& e) {
  std::vector<std::string> ours;
  for (auto t : p.sample_types) {
    if (t.ends_with(" (default)")) t.resize(t.size() - 10);
    ours.push_back(t);
  }
  CHECK(ours == e.types);
  REQUIRE(p.snapshots.size() == 1);
  memleak::core::Values sums;
  for (const auto& smp : p.snapshots[0].samples)
    if (!p.stacks[smp.stack].empty()) sums += smp.values;
  bool seen[memleak::core::kMetricCount] = {};
  for (size_t i = 0; i < e.types.size(); ++i) {
    const std::string name = e.types[i].substr(0, e.types[i].find('/'));
    std::optional<Metric> m;
    if (name == "alloc_objects") m = Metric::AllocObjects;
    if (name == "alloc_space") m = Metric::AllocBytes;
    if (name == "inuse_objects" || name == "objects") m = Metric::LiveObjects;
    if (name == "inuse_space" || name == "space") m = Metric::LiveBytes;
    if (name == "goroutine") m = Metric::Goroutines;
    if (!m || seen[size_t(*m)]) continue;
    seen[size_t(*m)] = true;
    CAPTURE(name);
    CHECK(p.metrics.has(*m));
    CHECK(sums[*m] == e.sums[i]);
  }
}

struct TopRow {
  std::string name;
  double flat = 0;       // bytes
  double tolerance = 0;  // half a unit of the last printed digit
};

// Rows of `go tool pprof -top`: "FLAT FLAT% SUM% CUM CUM% NAME [(inline)]".
std::vector<TopRow> parse_top(const std::string& path) {
  std::vector<TopRow> rows;
  bool in_table = false;
  for (const auto& line : read_lines(path)) {
    if (line.find("flat%") != std::string::npos) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    auto t = split_ws(line);
    if (t.size() < 6) continue;
    std::string flat(t[0]);
    double mult = 1;
    for (auto [suffix, m] : {std::pair{"kB", 1024.0}, {"MB", 1048576.0}, {"GB", 1073741824.0},
                             {"B", 1.0}}) {
      if (flat.ends_with(suffix)) {
        flat.resize(flat.size() - std::string_view(suffix).size());
        mult = m;
        break;
      }
    }
    TopRow r;
    r.flat = std::stod(flat) * mult;
    const auto dot = flat.find('.');
    const size_t decimals = dot == std::string::npos ? 0 : flat.size() - dot - 1;
    r.tolerance = 0.5 * std::pow(10.0, -double(decimals)) * mult + 1;
    r.name = std::string(t[5]);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("formats::read_pprof decodes the wire format") {
  const Pb header = go_heap_header();
  SUBCASE("packed and unpacked repeated scalars give the same profile") {
    Pb packed = header;
    packed.msg(2, Pb().packed(1, {1, 2}).packed(2, {1, 100, 1, 100}));
    packed.b += tables().b + string_table().b;
    Pb unpacked = header;
    unpacked.msg(2, Pb().v(1, 1).v(1, 2).v(2, 1).v(2, 100).v(2, 1).v(2, 100));
    unpacked.b += tables().b + string_table().b;
    Pb mixed = header;
    mixed.msg(2, Pb().v(1, 1).packed(1, {2}).packed(2, {1, 100}).v(2, 1).packed(2, {100}));
    mixed.b += tables().b + string_table().b;
    for (const Pb* pb : {&packed, &unpacked, &mixed}) {
      auto p = read_bytes(pb->b);
      REQUIRE(p.snapshots.size() == 1);
      const auto& snap = p.snapshots[0];
      REQUIRE(snap.samples.size() == 1);
      CHECK(snap.samples[0].values[Metric::AllocObjects] == 1);
      CHECK(snap.samples[0].values[Metric::AllocBytes] == 100);
      CHECK(snap.samples[0].values[Metric::LiveObjects] == 1);
      CHECK(snap.samples[0].values[Metric::LiveBytes] == 100);
      const auto stack = p.stacks[snap.samples[0].stack];
      REQUIRE(stack.size() == 2);
      CHECK(function_of(p, stack[0]) == "main.leak");
      CHECK(function_of(p, stack[1]) == "main.main");
      CHECK(p.frames[stack[0]].line == 17);
      CHECK(p.strings[p.frames[stack[0]].file] == "main.go");
      CHECK(p.strings[p.frames[stack[0]].module] == "app");
      CHECK(p.frames[stack[0]].address == 0x401234);
    }
  }
  SUBCASE("negative int64 values are 10-byte varints, and rows of one stack are summed") {
    Pb pb = header;
    pb.msg(2, Pb().v(1, 1).packed(2, {-33, -2000, -33, -2000}));
    pb.msg(2, Pb().v(1, 1).packed(2, {40, 3000, 40, 3000}));
    pb.b += tables().b + string_table().b;
    CHECK(Pb().i(1, -33).b.size() == 11);  // key + 10 bytes
    auto p = read_bytes(pb.b);
    REQUIRE(p.snapshots[0].samples.size() == 1);
    CHECK(p.snapshots[0].samples[0].values[Metric::LiveBytes] == 1000);
    CHECK(p.snapshots[0].total[Metric::AllocObjects] == 7);
  }
  SUBCASE("unknown fields of every wire type are skipped, at every level") {
    auto unknown = [](Pb m) {
      m.v(20, 7).key(21, 1).b += std::string(8, 'x');
      m.bytes(22, "skipped").key(23, 5).b += std::string(4, 'y');
      return m;
    };
    Pb pb = unknown(header);
    pb.msg(2, unknown(Pb().v(1, 1).packed(2, {1, 100, 1, 100})));
    pb.msg(3, unknown(Pb().v(1, 1).v(2, 0x400000).v(3, 0x500000).i(5, s("app"))));
    pb.msg(5, unknown(Pb().v(1, 1).i(2, s("main.leak"))));
    pb.msg(4, unknown(Pb().v(1, 1).v(2, 1).msg(4, unknown(Pb().v(1, 1).i(2, 17).i(3, 5)))));
    pb.v(15, 3);  // doc_url
    pb.b += string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 100);
  }
  SUBCASE("fields come in any order: string table first or last") {
    Pb first = string_table();
    first.msg(2, Pb().v(1, 1).packed(2, {1, 100, 1, 100}));
    first.b += tables().b + header.b;
    auto p = read_bytes(first.b, /*detect=*/true);
    CHECK(p.format == "pprof");
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 100);
    CHECK(p.sample_types == std::vector<std::string>{"alloc_objects/count", "alloc_space/bytes",
                                                    "inuse_objects/count",
                                                    "inuse_space/bytes (default)"});
  }
}

TEST_CASE("formats::read_pprof gives back the pages of samples it has read, and only those") {
  // Two runs of samples of over a megabyte each (the reader releases sample pages a megabyte
  // at a time), with the locations and the string table between them. Location 2 is first
  // named in the second half of the second run, so its names are read from the string table
  // after pages of that run were released: a release that reached past the samples (back over
  // the tables) would show here.
  const Pb padding = Pb().bytes(20, std::string(40, 'p'));  // an unknown field
  constexpr int64_t kPerRun = 40000;
  Pb pb = go_heap_header();
  int64_t expected = 0;
  for (int64_t i = 1; i <= kPerRun; ++i) {
    Pb sample = Pb().packed(1, {1}).packed(2, {1, i, 1, i});
    sample.b += padding.b;
    pb.msg(2, sample);
    expected += i;
  }
  const size_t first_run_end = pb.b.size();
  pb.b += tables().b + string_table().b;
  for (int64_t i = 1; i <= kPerRun; ++i) {
    // The second half names location 2: after the first release in this run.
    Pb sample = i <= kPerRun / 2 ? Pb().packed(1, {1}) : Pb().packed(1, {1, 2});
    sample.packed(2, {1, 2 * i, 1, 2 * i});
    sample.b += padding.b;
    pb.msg(2, sample);
    expected += 2 * i;
  }
  REQUIRE(first_run_end > (size_t(1) << 20) + 4096);
  REQUIRE(pb.b.size() - first_run_end > (size_t(1) << 20) + 4096);
  auto p = read_bytes(pb.b);
  const auto& snap = p.snapshots[0];
  REQUIRE(snap.samples.size() == 2);
  CHECK(snap.total[Metric::LiveBytes] == expected);
  CHECK(snap.total[Metric::LiveObjects] == 2 * kPerRun);
  const auto deep = p.stacks[snap.samples[1].stack];
  REQUIRE(deep.size() == 2);
  CHECK(function_of(p, deep[0]) == "main.leak");
  CHECK(function_of(p, deep[1]) == "main.main");
  CHECK(p.strings[p.frames[deep[1]].file] == "main.go");
}

TEST_CASE("formats::read_pprof maps profiles to the model") {
  SUBCASE("a Go heap profile has four metrics, live bytes by default, and a time") {
    Pb pb = go_heap_header();
    pb.i(9, 1'700'000'000'500'000'000);
    pb.msg(2, Pb().packed(1, {1, 2}).packed(2, {5, 500, 2, 200}));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b, true, "heap.3.pb");
    CHECK(p.kind == "heap");
    CHECK(p.default_metric == Metric::LiveBytes);
    for (auto m : {Metric::LiveBytes, Metric::LiveObjects, Metric::AllocBytes,
                   Metric::AllocObjects})
      CHECK(p.metrics.has(m));
    CHECK_FALSE(p.metrics.has(Metric::Goroutines));
    CHECK(p.sampling_period == 524288);
    CHECK(p.time_unit == memleak::core::TimeUnit::Seconds);
    REQUIRE(p.snapshots[0].time);
    CHECK(*p.snapshots[0].time == doctest::Approx(1'700'000'000.5));
    CHECK(p.snapshots[0].label == "heap.3.pb");
  }
  SUBCASE("an allocs profile defaults to allocated bytes") {
    Pb pb = go_heap_header();
    pb.i(14, s("alloc_space"));
    pb.msg(2, Pb().packed(1, {1, 2}).packed(2, {5, 500, 2, 200}));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.default_metric == Metric::AllocBytes);
    CHECK(p.sample_types[1] == "alloc_space/bytes (default)");
  }
  SUBCASE("a goroutine profile counts goroutines and is not sampled") {
    Pb pb;
    pb.msg(11, value_type(s("goroutine"), s("count"))).i(12, 1);
    pb.msg(1, value_type(s("goroutine"), s("count")));
    pb.msg(2, Pb().v(1, 1).v(2, 3));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.kind == "goroutine");
    CHECK(p.default_metric == Metric::Goroutines);
    CHECK(p.snapshots[0].total[Metric::Goroutines] == 3);
    CHECK(p.sampling_period == 0);
    CHECK(p.time_unit == memleak::core::TimeUnit::None);
  }
  SUBCASE("a cpu profile has none of our metrics but lists its sample types") {
    Pb pb;
    pb.msg(11, value_type(s("cpu"), s("nanoseconds"))).i(12, 10000000);
    pb.msg(1, value_type(s("cpu"), s("nanoseconds")));
    pb.msg(2, Pb().v(1, 1).v(2, 3));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.kind == "cpu");
    CHECK(p.metrics.empty());
    CHECK(p.sample_types == std::vector<std::string>{"cpu/nanoseconds (default)"});
  }
  SUBCASE("gperftools-style objects/space are live objects and bytes") {
    Pb pb;
    pb.msg(1, value_type(s("inuse_objects") + 0, s("count")));
    pb.msg(1, value_type(s("space"), s("bytes")));
    pb.msg(2, Pb().v(1, 1).v(2, 3).v(2, 30));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.kind == "heap");
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 30);
    CHECK(p.snapshots[0].total[Metric::LiveObjects] == 3);
  }
  SUBCASE("inlined frames are expanded innermost first") {
    Pb pb = go_heap_header();
    pb.msg(5, Pb().v(1, 3).i(2, s("inlined.f")).i(4, s("main.go")));
    pb.msg(4, Pb().v(1, 3).v(2, 1).v(3, 0x401000)
                  .msg(4, Pb().v(1, 3).i(2, 5))
                  .msg(4, Pb().v(1, 1).i(2, 16)));
    pb.msg(2, Pb().packed(1, {3, 2}).packed(2, {1, 1, 1, 1}));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    const auto stack = p.stacks[p.snapshots[0].samples[0].stack];
    REQUIRE(stack.size() == 3);
    CHECK(function_of(p, stack[0]) == "inlined.f");
    CHECK(p.frames[stack[0]].inlined);
    CHECK(p.frames[stack[0]].address == 0x401000);
    CHECK(function_of(p, stack[1]) == "main.leak");
    CHECK_FALSE(p.frames[stack[1]].inlined);
    CHECK(p.frames[stack[1]].line == 16);
    CHECK(function_of(p, stack[2]) == "main.main");
  }
  SUBCASE("an unsymbolized location is module + file offset") {
    Pb pb = go_heap_header();
    pb.msg(4, Pb().v(1, 9).v(2, 1).v(3, 0x401234));
    pb.msg(2, Pb().v(1, 9).packed(2, {1, 1, 1, 1}));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    const auto& f = p.frames[p.stacks[p.snapshots[0].samples[0].stack][0]];
    CHECK(f.function == 0);
    CHECK(p.strings[f.module] == "app");
    CHECK(f.address == 0x401234 - 0x400000 + 0x1000);
  }
  SUBCASE("a -diff_base output is summed and noted in a warning") {
    Pb pb = go_heap_header();
    pb.msg(2, Pb().packed(1, {1, 2}).packed(2, {5, 500, 5, 500}));
    pb.msg(2, Pb().packed(1, {1, 2}).packed(2, {-2, -200, -2, -200})
                  .msg(3, Pb().i(1, s("pprof::base")).i(2, s("true"))));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 300);
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0] ==
          "pprof: 1 samples are labelled pprof::base=true (a -diff_base output): they hold the "
          "base profile negated, so the values are the differences");
  }
  SUBCASE("drop_frames removes the matching frame and everything on its leaf side") {
    Pb pb = go_heap_header();
    pb.i(7, s("runtime.mallocgc|runtime.newobject"));
    pb.msg(5, Pb().v(1, 4).i(2, s("runtime.mallocgc")));
    pb.msg(4, Pb().v(1, 4).msg(4, Pb().v(1, 4)));
    pb.msg(2, Pb().packed(1, {4, 1, 2}).packed(2, {1, 1, 1, 1}));
    pb.b += tables().b + string_table().b;
    auto p = read_bytes(pb.b);
    const auto stack = p.stacks[p.snapshots[0].samples[0].stack];
    REQUIRE(stack.size() == 2);
    CHECK(function_of(p, stack[0]) == "main.leak");
  }
}

TEST_CASE("formats::read_pprof rejects corrupt input with a position") {
  const Pb header = go_heap_header();
  Pb good = header;
  good.msg(2, Pb().packed(1, {1, 2}).packed(2, {1, 100, 1, 100}));
  good.b += tables().b;
  const std::string strings = string_table().b;
  uint64_t at = 0;

  SUBCASE("a truncated varint") {
    std::string bad = good.b + strings + "\x48\x80";  // time_nanos, varint cut off
    CHECK(error_of(bad, &at) ==
          "pprof: Profile: expected a varint, got the end of the message inside the varint");
    CHECK(at == bad.size() - 1);
  }
  SUBCASE("a varint longer than 10 bytes") {
    std::string bad = good.b + strings + "\x48" + std::string(10, '\xff') + "\x01";
    CHECK(error_of(bad, &at) == "pprof: Profile: expected a varint of at most 64 bits, got more");
    CHECK(at == good.b.size() + strings.size() + 1);
  }
  SUBCASE("a length past the end of its message") {
    Pb inner;
    inner.key(1, 2).raw_varint(50);  // location_id packed, 50 bytes announced, none there
    std::string bad = good.b + Pb().msg(2, inner).b + strings;
    CHECK(error_of(bad, &at) ==
          "pprof: Sample field 1: expected 50 bytes, got only 0 before the end of the Sample");
    CHECK(at == good.b.size() + 2);
  }
  SUBCASE("a nested length larger than the outer message") {
    std::string bad = good.b + strings + "\x12\x03\x12\x05\x01";
    CHECK(error_of(bad) ==
          "pprof: Sample field 2: expected 5 bytes, got only 1 before the end of the Sample");
  }
  SUBCASE("a group wire type") {
    std::string bad = good.b + strings + Pb().key(30, 3).b;
    CHECK(error_of(bad) == "pprof: Profile field 30: expected wire type 0, 1, 2 or 5, got 3 "
                           "(group)");
  }
  SUBCASE("a known field with the wrong wire type") {
    CHECK(error_of(good.b + strings + Pb().bytes(9, "x").b) ==
          "pprof: Profile.time_nanos: expected wire type 0, got 2");
    CHECK(error_of(good.b + strings + Pb().v(2, 1).b) ==
          "pprof: Profile.sample: expected wire type 2, got 0");
    CHECK(error_of(good.b + strings + Pb().msg(2, Pb().key(1, 5)).b) ==
          "pprof: Sample.location_id: expected wire type 0, got 5");
  }
  SUBCASE("field number 0") {
    CHECK(error_of(good.b + strings + std::string(1, '\0')) ==
          "pprof: Profile: expected a field number from 1 to 536870911, got 0");
  }
  SUBCASE("concatenated profiles") {
    std::string one = Pb().i(9, 1000).b + good.b + strings;
    CHECK(error_of(one + one) ==
          "pprof: concatenated profiles detected: expected one time_nanos, got a second");
  }
  SUBCASE("string_table[0] not empty") {
    CHECK(error_of(good.b + Pb().bytes(6, "oops").b + strings) ==
          "pprof: string_table[0]: expected \"\", got \"oops\"");
    CHECK(error_of(good.b) == "pprof: string_table[0]: expected \"\", got no string table");
  }
  SUBCASE("a string index out of range") {
    std::string bad = good.b + strings + Pb().msg(5, Pb().v(1, 7).i(2, 999)).b;
    CHECK(error_of(bad, &at) == "pprof: Function.name: expected a string index below 20 (the "
                                "string_table size), got 999");
    CHECK(at == good.b.size() + strings.size());
  }
  SUBCASE("reserved and duplicate ids") {
    CHECK(error_of(good.b + strings + Pb().msg(5, Pb().i(2, 1)).b) ==
          "pprof: Function: expected a nonzero id, got 0 (reserved)");
    CHECK(error_of(good.b + strings + Pb().msg(4, Pb().v(2, 1)).b) ==
          "pprof: Location: expected a nonzero id, got 0 (reserved)");
    CHECK(error_of(good.b + strings + Pb().msg(3, Pb().v(2, 1)).b) ==
          "pprof: Mapping: expected a nonzero id, got 0 (reserved)");
    CHECK(error_of(good.b + strings + Pb().msg(5, Pb().v(1, 2)).b) ==
          "pprof: Function: expected a unique id, got 2 twice");
    CHECK(error_of(good.b + strings + Pb().msg(4, Pb().v(1, 1)).b) ==
          "pprof: Location: expected a unique id, got 1 twice");
    CHECK(error_of(good.b + strings + Pb().msg(3, Pb().v(1, 1)).b) ==
          "pprof: Mapping: expected a unique id, got 1 twice");
  }
  SUBCASE("dangling references") {
    std::string bad = good.b + strings + Pb().msg(2, Pb().v(1, 77).packed(2, {1, 1, 1, 1})).b;
    CHECK(error_of(bad, &at) == "pprof: Sample: expected a Location id, got 77 (no such location)");
    CHECK(at == good.b.size() + strings.size());
    CHECK(error_of(good.b + strings +
                   Pb().msg(4, Pb().v(1, 5).v(2, 9)).msg(2, Pb().v(1, 5).packed(2, {1, 1, 1, 1})).b) ==
          "pprof: Location: expected a Mapping id, got 9 (no such mapping)");
    CHECK(error_of(good.b + strings +
                   Pb().msg(4, Pb().v(1, 5).msg(4, Pb().v(1, 8)))
                       .msg(2, Pb().v(1, 5).packed(2, {1, 1, 1, 1})).b) ==
          "pprof: Line: expected a Function id, got 8 (no such function)");
  }
  SUBCASE("values that do not match the sample types") {
    CHECK(error_of(good.b + strings + Pb().msg(2, Pb().v(1, 1).v(2, 1)).b) ==
          "pprof: Sample: expected 4 values like the first sample, got 1");
    Pb three = header;
    three.msg(2, Pb().v(1, 1).packed(2, {1, 2, 3}));
    CHECK(error_of(three.b + tables().b + strings) ==
          "pprof: Sample: expected 4 values (one per sample_type), got 3");
  }
  SUBCASE("sums that overflow") {
    Pb big = header;
    big.msg(2, Pb().v(1, 1).packed(2, {1, INT64_MAX, 1, 1}));
    big.msg(2, Pb().v(1, 1).packed(2, {1, 1, 1, 1}));
    CHECK(error_of(big.b + tables().b + strings) ==
          "pprof: Sample: expected values whose sum fits in 64 bits, got an overflow in value 1");
  }
  SUBCASE("random corruption never crashes") {
    const std::string ok = good.b + strings;
    uint64_t state = 12345;
    for (int round = 0; round < 3000; ++round) {
      std::string bad = ok;
      for (int k = 0; k < 3; ++k) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        bad[(state >> 33) % bad.size()] = char(state >> 13);
      }
      if (round % 7 == 0) bad.resize((state >> 20) % bad.size());
      try {
        (void)read_bytes(bad);
      } catch (const InputError&) {
      }
    }
  }
}

TEST_CASE("formats::sniff_pprof") {
  Pb pb = go_heap_header();
  pb.b += string_table().b;
  CHECK(sniff_pprof(pb.b));
  CHECK(sniff_pprof(pb.b.substr(0, 7)));
  CHECK_FALSE(sniff_pprof("heap profile: 1: 2 [3: 4] @ heap/1048576\n"));
  CHECK_FALSE(sniff_pprof("goroutine profile: total 6\n"));
  CHECK_FALSE(sniff_pprof("--- contentionz 1 ---\n"));
  CHECK_FALSE(sniff_pprof("desc: --time-unit=B\ncmd: ./a\n"));
  CHECK_FALSE(sniff_pprof(std::string("\x00\x01", 2)));
}

TEST_CASE("formats::read_pprof and read_pprof_text on every real pprof file") {
  const fs::path shared = MEMLEAK_SHARED_DIR;
  if (!fs::exists(shared / "peer-data")) {
    MESSAGE("skipped: " << shared.string() << " is absent");
    return;
  }
  size_t accepted = 0, rejected = 0, checked_sums = 0, unsupported = 0;
  double slowest = 0;
  std::string slowest_name;
  for (const auto& file : pprof_inputs(shared)) {
    CAPTURE(file.path);
    const auto start = std::chrono::steady_clock::now();
    std::optional<memleak::core::Profile> p;
    std::string error;
    try {
      p = read_profile(InputSpec{file.path, {}}, ReadOptions{});
    } catch (const InputError& e) {
      error = e.message();
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (secs > slowest) slowest = secs, slowest_name = file.path;
    if (const auto kind = unsupported_kind(file.path); !kind.empty()) {
      CAPTURE(kind);
      CHECK_FALSE(p.has_value());
      CHECK(error.ends_with("unknown format (tried massif, heaptrack, pprof-text, pprof)"));
      ++unsupported;
      continue;
    }
    if (!file.expected) {  // no reference output: it must simply read
      CHECK_MESSAGE(p.has_value(), error);
      if (p) ++accepted;
      continue;
    }
    CHECK_MESSAGE(p.has_value() == file.expected->accepted, error);
    if (!p) {
      ++rejected;
      continue;
    }
    ++accepted;
    if (!file.expected->accepted) continue;
    check_against_raw(*p, *file.expected);
    ++checked_sums;
  }
  MESSAGE("pprof files (proto and legacy text): " << accepted << " accepted, " << rejected << " rejected, "
                                << checked_sums << " compared with go tool pprof -raw; " << unsupported
                                << " non-heap formats pprof reads are refused; slowest "
                                << slowest_name << " " << slowest * 1000 << " ms");
}

TEST_CASE("formats::read_pprof series delta matches go tool pprof -diff_base") {
  const fs::path corpus = fs::path(MEMLEAK_SHARED_DIR) / "corpus" / "go";
  if (!fs::exists(corpus)) {
    MESSAGE("skipped: " << corpus.string() << " is absent");
    return;
  }
  size_t rows = 0;
  for (const auto& dir : fs::directory_iterator(corpus)) {
    const fs::path top = dir.path() / "peer-pprof-top-diff.txt";
    if (!fs::exists(top)) continue;
    std::vector<fs::path> heaps;
    for (const auto& f : fs::directory_iterator(dir.path()))
      if (f.path().filename().string().starts_with("heap.")) heaps.push_back(f.path());
    std::sort(heaps.begin(), heaps.end());
    REQUIRE(heaps.size() >= 2);
    auto first = read_profile(InputSpec{heaps.front().string(), {}}, ReadOptions{});
    auto last = read_profile(InputSpec{heaps.back().string(), {}}, ReadOptions{});
    std::map<std::string, int64_t> delta;  // leaf function -> inuse_space last - first
    for (auto [p, sign] : {std::pair{&first, -1}, std::pair{&last, 1}})
      for (const auto& smp : p->snapshots[0].samples) {
        auto stack = p->stacks[smp.stack];
        if (stack.empty()) continue;
        delta[function_of(*p, stack[0])] += sign * smp.values[Metric::LiveBytes];
      }
    for (const auto& row : parse_top(top.string())) {
      CAPTURE(top.string());
      CAPTURE(row.name);
      if (row.flat == 0) continue;
      REQUIRE(delta.count(row.name));
      CHECK(std::abs(double(delta[row.name]) - row.flat) <= row.tolerance);
      ++rows;
    }
  }
  MESSAGE(rows << " flat rows of go tool pprof -top -diff_base compared");
}

// A function of this binary that an unsymbolized profile below points at.
extern "C" __attribute__((noinline)) int memleak_pprof_test_probe(int x) {
  asm volatile("" ::: "memory");
  return x * 5 + 2;
}

TEST_CASE("pprof: a location with an address and no lines is named from its mapping's binary") {
  // The mapping of this test binary that holds the probe, as /proc/self/maps gives it (what
  // a profiler writes into profile.proto's Mapping).
  const uint64_t probe = reinterpret_cast<uint64_t>(&memleak_pprof_test_probe);
  unsigned long start = 0, limit = 0, offset = 0;
  {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
      unsigned long a = 0, b = 0, off = 0;
      char perms[8] = {};
      if (std::sscanf(line.c_str(), "%lx-%lx %7s %lx", &a, &b, perms, &off) == 4 && probe >= a &&
          probe < b) {
        start = a, limit = b, offset = off;
        break;
      }
    }
  }
  REQUIRE(limit > start);
  char exe[4096] = {};
  REQUIRE(readlink("/proc/self/exe", exe, sizeof exe - 1) > 0);
  Pb p;
  p.msg(1, Pb().i(1, 1).i(2, 2));  // inuse_space/bytes
  p.msg(2, Pb().packed(1, {1}).packed(2, {100}));
  p.msg(3, Pb().v(1, 1).v(2, start).v(3, limit).v(4, offset).i(5, 3));
  p.msg(4, Pb().v(1, 1).v(2, 1).v(3, probe + 4));
  for (const char* str : {"", "inuse_space", "bytes", static_cast<const char*>(exe)}) p.bytes(6, str);

  const auto named = read_bytes(p.b);
  REQUIRE(named.snapshots.at(0).samples.size() == 1);
  const auto stack = named.stacks[named.snapshots[0].samples[0].stack];
  REQUIRE(stack.size() == 1);
  const auto& frame = named.frames[stack[0]];
  CHECK(named.strings[frame.function] == "memleak_pprof_test_probe");
  CHECK(named.strings[frame.file].ends_with("tests/unit/test_pprof_reader.cpp"));
  CHECK(named.snapshots[0].total[Metric::LiveBytes] == 100);
  CHECK(named.warnings.empty());

  TempFile f(p.b);
  ReadOptions off;
  off.symbols.enabled = false;
  const auto kept = read_profile(InputSpec{f.path.string(), {}}, off);
  const auto& raw = kept.frames[kept.stacks[kept.snapshots[0].samples[0].stack][0]];
  CHECK(raw.function == 0);
  CHECK(raw.address == probe + 4 - start + offset);

  SUBCASE("an address outside its mapping is not read as an offset into the mapping's file") {
    // The probe's own file offset, given as the address: below the mapping's start (the
    // executable is loaded well above its file offsets), so not in the mapping. Read as an
    // offset it would be named memleak_pprof_test_probe: a wrong name.
    const uint64_t outside = probe + 4 - start + offset;
    REQUIRE(outside < start);
    Pb q;
    q.msg(1, Pb().i(1, 1).i(2, 2));
    q.msg(2, Pb().packed(1, {1}).packed(2, {100}));
    q.msg(2, Pb().packed(1, {2}).packed(2, {30}));
    q.msg(2, Pb().packed(1, {3}).packed(2, {7}));
    q.msg(3, Pb().v(1, 1).v(2, start).v(3, limit).v(4, offset).i(5, 3));
    q.msg(4, Pb().v(1, 1).v(2, 1).v(3, outside));
    q.msg(4, Pb().v(1, 2).v(2, 1).v(3, limit));  // the limit itself is past the mapping
    q.msg(4, Pb().v(1, 3).v(2, 1).v(3, start));  // its start is in it
    for (const char* str : {"", "inuse_space", "bytes", static_cast<const char*>(exe)}) q.bytes(6, str);
    const auto got = read_bytes(q.b);
    REQUIRE(got.snapshots.at(0).samples.size() == 3);
    std::vector<uint64_t> unnamed_addresses;
    for (const auto& sample : got.snapshots[0].samples) {
      const auto& leaf = got.frames[got.stacks[sample.stack][0]];
      if (leaf.module != 0) {
        CHECK(leaf.address == offset);  // the mapping's start: its file offset
        continue;
      }
      CHECK(leaf.function == 0);
      unnamed_addresses.push_back(leaf.address);
    }
    std::sort(unnamed_addresses.begin(), unnamed_addresses.end());
    CHECK(unnamed_addresses == std::vector<uint64_t>{outside, limit});
    REQUIRE(got.warnings.size() == 1);
    CHECK(got.warnings[0] ==
          fmt::format("pprof: 2 locations without lines lie outside their mapping (the first: "
                      "location 1, address 0x{:x}, mapping 0x{:x}-0x{:x}): left unsymbolized, "
                      "with no module",
                      outside, start, limit));
  }
}
