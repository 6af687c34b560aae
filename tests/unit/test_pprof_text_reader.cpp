// Tests of the legacy text profile reader (Go heap/N, gperftools, jemalloc, Go count
// profiles), inputs built in memory. Real files are covered in test_pprof_reader.cpp, which
// compares every one with go tool pprof -raw.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.h"
#include "core/model.h"
#include "formats/pprof/pprof_text_reader.h"
#include "formats/reader.h"

namespace fs = std::filesystem;
using memleak::core::InputError;
using memleak::core::Metric;
using namespace memleak::formats;

namespace {

memleak::core::Profile read_text(const std::string& text) {
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() / ("memleak_pprof_text_test_" +
                                                    std::to_string(::getpid()) + "_" +
                                                    std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path path = dir / "x.heap";
  std::ofstream(path, std::ios::binary) << text;
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};
  return read_profile(InputSpec{path.string(), {}}, ReadOptions{});
}

std::string error_of(const std::string& text, uint64_t* line = nullptr) {
  try {
    (void)read_text(text);
  } catch (const InputError& e) {
    if (line) *line = e.position();
    return e.what();
  }
  return "(no error)";
}

std::string fn(const memleak::core::Profile& p, memleak::core::FrameId f) {
  return std::string(p.strings[p.frames[f].function]);
}

}  // namespace

TEST_CASE("formats::read_pprof_text reads Go legacy heap profiles") {
  const std::string text =
      "heap profile: 19: 1114608 [28: 2269680] @ heap/1048576\n"
      "11: 720896 [11: 720896] @ 0x4b514f 0x4b546c 0x461421\n"
      "#\t0x4b514e\tmain.inner+0x2e\t\tgoleak/main.go:12\n"
      "#\t0x4b514e\tmain.leakChunk+0x2e\tgoleak/main.go:17\n"
      "#\t0x4b546b\tmain.phase+0x2b\t\tgoleak/main.go:35\n"
      "\n"
      "0: 0 [2: 1024] @ 0x4b514f 0x4b546c 0x461421\n"
      "\n"
      "# runtime.MemStats\n"
      "# Alloc = 11160960\n";
  auto p = read_text(text);
  CHECK(p.format == "pprof-text");
  CHECK(p.kind == "heap");
  CHECK(p.time_unit == memleak::core::TimeUnit::None);
  CHECK(p.sampling_period == 524288);
  CHECK(p.sample_types == std::vector<std::string>{"alloc_objects/count", "alloc_space/bytes",
                                                  "inuse_objects/count",
                                                  "inuse_space/bytes (default)"});
  REQUIRE(p.snapshots.size() == 1);
  const auto& snap = p.snapshots[0];
  REQUIRE(snap.samples.size() == 1);  // same stack: summed
  // pprof.md §9.1: 11 objects of 65536 B at rate 524288 become 93 / 6135123.
  CHECK(snap.samples[0].values[Metric::LiveObjects] == 93);
  CHECK(snap.samples[0].values[Metric::LiveBytes] == 6135123);
  CHECK(snap.total[Metric::AllocObjects] == 93 + 2049);  // 2 x 512 B: scale 1024.5
  const auto stack = p.stacks[snap.samples[0].stack];
  REQUIRE(stack.size() == 4);
  CHECK(fn(p, stack[0]) == "main.inner");
  CHECK(p.frames[stack[0]].inlined);
  CHECK(fn(p, stack[1]) == "main.leakChunk");
  CHECK_FALSE(p.frames[stack[1]].inlined);
  CHECK(p.frames[stack[1]].line == 17);
  CHECK(p.strings[p.frames[stack[1]].file] == "goleak/main.go");
  CHECK(p.frames[stack[1]].address == 0x4b514e);
  CHECK(fn(p, stack[2]) == "main.phase");
  CHECK(p.frames[stack[3]].function == 0);  // runtime.goexit: no symbol line
  CHECK(p.frames[stack[3]].address == 0x461420);
}

TEST_CASE("formats::read_pprof_text reads gperftools and jemalloc heaps") {
  SUBCASE("heapprofile is exact, and MAPPED_LIBRARIES turns addresses into module+offset") {
    auto p = read_text(
        "heap profile:    104:    47983 [   171:    60581] @ heapprofile\n"
        "    34:    34000 [    34:    34000] @ 0x558203109247 0x7f6515e4524a\n"
        "     0:        0 [    34:     9265] @ 0x558203109276\n"
        "\n"
        "MAPPED_LIBRARIES:\n"
        "558203108000-558203109000 r--p 00000000 00:00 10953433    /bin/leaky\n"
        "558203109000-55820310a000 r-xp 00001000 00:00 10953433    /bin/leaky\n");
    CHECK(p.sampling_period == 0);
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 34000);
    CHECK(p.snapshots[0].total[Metric::AllocBytes] == 34000 + 9265);
    const auto& s0 = p.snapshots[0].samples[0];
    const auto& leaf = p.frames[p.stacks[s0.stack][0]];
    CHECK(p.strings[leaf.module] == "/bin/leaky");
    CHECK(leaf.address == 0x558203109246 - 0x558203109000 + 0x1000);
    const auto& outer = p.frames[p.stacks[s0.stack][1]];
    CHECK(outer.module == 0);
    CHECK(outer.address == 0x7f6515e45249);
  }
  SUBCASE("heap_v2 rows are unsampled one by one, truncated like pprof") {
    auto p = read_text(
        "heap profile:      2:     1024 [     2:     1024] @ heap_v2/524288\n"
        "     1:      512 [     1:      512] @ 0x7fa391439a70 0x55c7fee2a244\n"
        "     1:      512 [     1:      512] @ 0x7fa391439a70 0x55c7fee2a244\n");
    CHECK(p.sample_types == std::vector<std::string>{"objects/count", "space/bytes (default)"});
    CHECK_FALSE(p.metrics.has(Metric::AllocBytes));
    CHECK(p.snapshots[0].total[Metric::LiveObjects] == 2 * 1024);
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == 2 * 524544);
    CHECK(p.sampling_period == 524288);
  }
  SUBCASE("jemalloc blocks take their t* line and skip per-thread lines") {
    auto p = read_text(
        "heap_v2/4096\n"
        "  t*: 20: 64690 [0: 0]\n"
        "  t0: 20: 64690 [0: 0]\n"
        "@ 0x7f867f0a2630 0x55cc54241247\n"
        "  t*: 1: 4096 [0: 0]\n"
        "  t0: 1: 4096 [0: 0]\n"
        "\n"
        "MAPPED_LIBRARIES:\n"
        "55cc54240000-55cc54242000 r-xp 00000000 00:00 1 /bin/leaky\n");
    CHECK(p.kind == "heap");
    const auto scale = 1 / (1 - std::exp(-1.0));
    CHECK(p.snapshots[0].total[Metric::LiveObjects] == int64_t(1 * scale));
    CHECK(p.snapshots[0].total[Metric::LiveBytes] == int64_t(4096 * scale));
  }
  SUBCASE("a %warn file is an empty profile") {
    auto p = read_text("%warn\n%warn This heap profile does not have any data in it.\n");
    CHECK(p.snapshots[0].samples.empty());
    CHECK(p.warnings.size() == 1);
  }
}

TEST_CASE("formats::read_pprof_text reads Go count profiles") {
  auto p = read_text(
      "goroutine profile: total 3\n"
      "2 @ 0x437816 0x4b5a9f 0x461421\n"
      "# labels: {\"worker\":\"w1\"}\n"
      "#\t0x4b5a9e\tmain.main.func5.1+0x1e\tgoleak/main.go:60\n"
      "\n"
      "1 @ 0x437816 0x4b5b3f 0x461421\n");
  CHECK(p.kind == "goroutine");
  CHECK(p.default_metric == Metric::Goroutines);
  CHECK(p.snapshots[0].total[Metric::Goroutines] == 3);
  auto q = read_text("threadcreate profile: total 1\n1 @ 0x44cb3\n");
  CHECK(q.kind == "threadcreate");
  CHECK(q.metrics.empty());
  CHECK(q.sample_types == std::vector<std::string>{"threadcreate/count (default)"});
}

TEST_CASE("formats::read_pprof_text errors name the line and say expected vs got") {
  uint64_t line = 0;
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heapz\n", &line) ==
        "pprof-text: expected heap, heap_v2, heapz_v2, heapprofile, growthz or fragmentationz "
        "after '@', got 'heapz'");
  CHECK(line == 1);
  CHECK(error_of("heap profile: 1: 2 [3 4] @ heap/2\n") ==
        "pprof-text: expected 'heap profile: N: N [N: N] @ KIND', got 'heap profile: 1: 2 [3 4] "
        "@ heap/2'");
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heap/x\n") ==
        "pprof-text: expected a sampling period after 'heap/', got 'x'");
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x12\n1: 2 @ 0x1\n",
                 &line) ==
        "pprof-text: expected 'COUNT: BYTES [COUNT: BYTES] @ ADDRESSES', got '1: 2 @ 0x1'");
  CHECK(line == 3);
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heap/2\n1: 2 [3: 4] @ 0x12 zz\n") ==
        "pprof-text: expected a hex address like 0x4b514f, got 'zz'");
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heap/2\n0: 2 [3: 4] @ 0x12\n") ==
        "pprof-text: expected a nonzero inuse count for 2 inuse bytes, got 0");
  CHECK(error_of("goroutine profile: total 1\nx @ 0x1\n") ==
        "pprof-text: expected 'COUNT @ ADDRESSES', got 'x @ 0x1'");
  CHECK(error_of("heap_v2/4096\n@ 0x1\n  t*: 1 [0: 0]\n") ==
        "pprof-text: expected 't*: COUNT: BYTES [COUNT: BYTES]', got '  t*: 1 [0: 0]'");
  CHECK(error_of("heap_v2/4096\nbogus\n") ==
        "pprof-text: expected '@ ADDRESSES', 't*: ...' or 'tN: ...', got 'bogus'");
  CHECK(error_of("heap profile: 1: 2 [3: 4] @ heap/2\n1: 9223372036854775807 [0: 0] @ 0x1\n"
                 "1: 9223372036854775807 [0: 0] @ 0x1\n") ==
        "pprof-text: expected sums that fit in 64 bits, got an overflow");
}

TEST_CASE("formats::sniff_pprof_text") {
  CHECK(sniff_pprof_text("heap profile: 1: 2 [3: 4] @ heap/1048576\n"));
  CHECK(sniff_pprof_text("heap_v2/524288\n  t*: 1: 2 [0: 0]\n"));
  CHECK(sniff_pprof_text("goroutine profile: total 6\n"));
  CHECK(sniff_pprof_text("%warn\n"));
  CHECK_FALSE(sniff_pprof_text("goroutine 1 [running]:\n"));
  CHECK_FALSE(sniff_pprof_text("desc: (none)\ncmd: ./a\n"));
  CHECK_FALSE(sniff_pprof_text("--- contentionz 1 ---\n"));
}
