// Unit tests of core/sites.h: how a stack becomes a site (allocator frames dropped, the site
// ends at the first program frame), granularities, symbolic keys that ignore addresses and
// directories, focus/ignore filters, caller paths for the drill-down, and the alignment of
// several profiles into one site x snapshot matrix. Profiles are built in memory.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <regex>
#include <span>
#include <string>
#include <vector>

#include "core/sites.h"
#include "core/verdict.h"

using namespace memleak::core;

namespace {

// Builds a core::Profile in memory: frames by name, stacks leaf first, snapshots of live bytes.
struct ProfileBuilder {
  Profile p;
  ProfileBuilder(std::string path = "mem.prof") {
    p.path = std::move(path);
    p.format = "test";
    p.kind = "heap";
    p.metrics.add(Metric::LiveBytes).add(Metric::LiveObjects);
  }
  FrameId frame(std::string_view function, std::string_view file = "", uint32_t line = 0,
                std::string_view module = "", uint64_t address = 0) {
    Frame f;
    f.function = p.strings.intern(function);
    f.file = p.strings.intern(file);
    f.module = p.strings.intern(module);
    f.line = line;
    f.address = address;
    return p.frames.intern(f);
  }
  StackId stack(std::vector<FrameId> frames) { return p.stacks.intern(frames); }
  // One snapshot: (stack, live bytes) pairs; one object per sample.
  void snapshot(std::vector<std::pair<StackId, int64_t>> samples, std::optional<double> time = {}) {
    Snapshot s;
    s.label = p.path + "@" + std::to_string(p.snapshots.size());
    s.time = time;
    for (auto [id, bytes] : samples) {
      StackSample sample{id, {}};
      sample.values[Metric::LiveBytes] = bytes;
      sample.values[Metric::LiveObjects] = 1;
      s.samples.push_back(sample);
    }
    s.total = sum_samples(s);
    p.snapshots.push_back(std::move(s));
  }
};

std::vector<int64_t> live(const SiteSeries& s) {
  std::vector<int64_t> out;
  for (const auto& v : s.values) out.push_back(v.value);
  return out;
}

using V = std::vector<int64_t>;

}  // namespace

TEST_CASE("memleak::core::parse_granularity") {
  CHECK(parse_granularity("function") == Granularity::Function);
  CHECK(parse_granularity("line") == Granularity::Line);
  CHECK(parse_granularity("stack") == Granularity::Stack);
  CHECK(parse_granularity("Function") == std::nullopt);
  CHECK(parse_granularity("") == std::nullopt);
  CHECK(granularity_name(Granularity::Function) == "function");
  CHECK(granularity_name(Granularity::Line) == "line");
  CHECK(granularity_name(Granularity::Stack) == "stack");
}

TEST_CASE("memleak::core::site_frame_indices") {
  ProfileBuilder b;
  const auto malloc_ = b.frame("malloc", "", 0, "/usr/lib/x86_64-linux-gnu/libc.so.6");
  const auto op_new = b.frame("operator new(unsigned long)");
  const auto realloc_insert =
      b.frame("std::vector<int, std::allocator<int> >::_M_realloc_insert(int&&)", "vector.tcc", 512);
  const auto put = b.frame("Cache::put(int)", "cache.cpp", 40);
  const auto main_ = b.frame("main", "main.cpp", 12);
  const auto libc_start = b.frame("__libc_start_main");
  const auto calloc_ = b.frame("calloc");

  SUBCASE("allocator frames are dropped and the site ends at the first program frame") {
    const std::vector<FrameId> stack = {malloc_, op_new, realloc_insert, put, main_};
    CHECK(site_frame_indices(b.p, stack, Granularity::Function) == std::vector<size_t>{2, 3});
    CHECK(site_frame_indices(b.p, stack, Granularity::Line) == std::vector<size_t>{2, 3});
  }
  SUBCASE("stack granularity keeps everything above the allocator frames") {
    const std::vector<FrameId> stack = {malloc_, op_new, realloc_insert, put, main_};
    CHECK(site_frame_indices(b.p, stack, Granularity::Stack) == std::vector<size_t>{2, 3, 4});
  }
  SUBCASE("a program frame at the leaf is the whole site") {
    const std::vector<FrameId> stack = {put, main_};
    CHECK(site_frame_indices(b.p, stack, Granularity::Function) == std::vector<size_t>{0});
  }
  SUBCASE("without a program frame the site runs to the root") {
    const std::vector<FrameId> stack = {malloc_, realloc_insert, libc_start};
    CHECK(site_frame_indices(b.p, stack, Granularity::Function) == std::vector<size_t>{1, 2});
  }
  SUBCASE("a stack of allocator frames only keeps its outermost frame") {
    const std::vector<FrameId> stack = {malloc_, calloc_};
    CHECK(site_frame_indices(b.p, stack, Granularity::Function) == std::vector<size_t>{1});
  }
  SUBCASE("an empty stack has no site frames") {
    CHECK(site_frame_indices(b.p, std::vector<FrameId>{}, Granularity::Function).empty());
  }
}

TEST_CASE("memleak::core::align") {
  SUBCASE("keys are built from symbols: function and file basename, joined by separators") {
    ProfileBuilder b;
    const auto s = b.stack({b.frame("malloc", "", 0, "", 0x7f0011),
                            b.frame("std::vector<int>::push_back(int)", "/usr/include/c++/12/bits/stl_vector.h", 1287, "", 0x401122),
                            b.frame("Cache::put(int)", "/home/me/app/cache.cpp", 40, "", 0x401500),
                            b.frame("main", "/home/me/app/main.cpp", 12, "", 0x401000)});
    b.snapshot({{s, 100}});
    const auto a = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(a.sites.size() == 1);
    CHECK(a.sites[0].key ==
          "std::vector<int>::push_back(int)\x1dstl_vector.h\x1f"
          "Cache::put(int)\x1d" "cache.cpp");
    CHECK(a.sites[0].frames.size() == 2);
    CHECK(a.sites[0].frames[1].program);
    CHECK_FALSE(a.sites[0].frames[0].program);
    CHECK(a.sites[0].stack.size() == 4);  // the representative stack keeps every frame
  }
  SUBCASE("line granularity adds the line to every frame of the key") {
    ProfileBuilder b;
    const auto s = b.stack({b.frame("Cache::put(int)", "cache.cpp", 40), b.frame("main", "main.cpp", 12)});
    b.snapshot({{s, 100}});
    KeyPolicy policy;
    policy.granularity = Granularity::Line;
    const auto a = align(std::vector<const Profile*>{&b.p}, policy);
    REQUIRE(a.sites.size() == 1);
    CHECK(a.sites[0].key == "Cache::put(int)\x1d" "cache.cpp:40");
  }
  SUBCASE("the same symbols at different addresses and directories are one site") {
    // Two builds of one program: every address and the build directory differ.
    ProfileBuilder b1("run1.prof"), b2("run2.prof");
    const auto s1 = b1.stack({b1.frame("malloc", "", 0, "/lib/libc.so.6", 0x7f0000001000),
                              b1.frame("Cache::put(int)", "/build/a/cache.cpp", 40, "/build/a/app", 0x401500),
                              b1.frame("main", "/build/a/main.cpp", 12, "/build/a/app", 0x401000)});
    const auto s2 = b2.stack({b2.frame("malloc", "", 0, "/lib/libc.so.6", 0x7f9999992000),
                              b2.frame("Cache::put(int)", "/build/b/cache.cpp", 40, "/build/b/app", 0x555500),
                              b2.frame("main", "/build/b/main.cpp", 12, "/build/b/app", 0x555000)});
    b1.snapshot({{s1, 100}});
    b2.snapshot({{s2, 300}});
    const auto a = align(std::vector<const Profile*>{&b1.p, &b2.p}, KeyPolicy{});
    REQUIRE(a.sites.size() == 1);
    CHECK(live(a.sites[0]) == V{100, 300});
    CHECK(a.sites[0].key.text().find("401500") == std::string::npos);
    CHECK(a.sites[0].key.text().find("555500") == std::string::npos);
    REQUIRE(a.snapshots.size() == 2);
    CHECK(a.snapshots[0].source == "run1.prof");
    CHECK(a.snapshots[1].source == "run2.prof");
  }
  SUBCASE("unsymbolized frames are keyed by module basename and offset") {
    ProfileBuilder b1("run1.prof"), b2("run2.prof");
    const auto s1 = b1.stack({b1.frame("", "", 0, "/opt/a/libx.so", 0x1234)});
    const auto s2 = b2.stack({b2.frame("", "", 0, "/opt/b/libx.so", 0x1234)});
    b1.snapshot({{s1, 10}});
    b2.snapshot({{s2, 20}});
    const auto a = align(std::vector<const Profile*>{&b1.p, &b2.p}, KeyPolicy{});
    REQUIRE(a.sites.size() == 1);
    CHECK(a.sites[0].key == "libx.so+0x1234\x1d");
    CHECK(live(a.sites[0]) == V{10, 20});
  }
  SUBCASE("a name with a key's separator bytes in it cannot read as two frames") {
    // One frame "f\x1dg.c\x1fh" in i.c: as text, the key of the two frames (f, g.c) and
    // (h, i.c). Separator bytes of names are written as '?', so the two stay two sites.
    ProfileBuilder b;
    const auto one = b.stack({b.frame("f\x1dg.c\x1fh", "i.c")});
    const auto two = b.stack({b.frame("f", "g.c"), b.frame("h", "i.c")});
    b.snapshot({{one, 10}, {two, 20}});
    KeyPolicy policy;
    policy.granularity = Granularity::Stack;
    const auto a = align(std::vector<const Profile*>{&b.p}, policy);
    REQUIRE(a.sites.size() == 2);
    CHECK(a.sites[0].key.text() == "f?g.c?h\x1di.c:0");
    CHECK(a.sites[1].key.text() == "f\x1dg.c:0\x1fh\x1di.c:0");
    CHECK_FALSE(a.sites[0].key == a.sites[1].key);
    CHECK(live(a.sites[0]) == V{10});
    CHECK(live(a.sites[1]) == V{20});
  }
  SUBCASE("function granularity merges lines; line granularity splits them") {
    ProfileBuilder b;
    const auto main_ = b.frame("main", "main.cpp", 12);
    const auto s40 = b.stack({b.frame("Cache::put(int)", "cache.cpp", 40), main_});
    const auto s41 = b.stack({b.frame("Cache::put(int)", "cache.cpp", 41), main_});
    b.snapshot({{s40, 100}, {s41, 10}});
    b.snapshot({{s40, 200}, {s41, 20}});
    const auto by_function = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(by_function.sites.size() == 1);
    CHECK(live(by_function.sites[0]) == V{110, 220});
    KeyPolicy line;
    line.granularity = Granularity::Line;
    const auto by_line = align(std::vector<const Profile*>{&b.p}, line);
    REQUIRE(by_line.sites.size() == 2);
    // sorted by key: "...cache.cpp:40" < "...cache.cpp:41"
    CHECK(live(by_line.sites[0]) == V{100, 200});
    CHECK(live(by_line.sites[1]) == V{10, 20});
  }
  SUBCASE("stack granularity splits callers above the first program frame") {
    ProfileBuilder b;
    const auto put = b.frame("Cache::put(int)", "cache.cpp", 40);
    const auto s_main = b.stack({put, b.frame("main", "main.cpp", 12)});
    const auto s_worker = b.stack({put, b.frame("worker()", "worker.cpp", 7)});
    b.snapshot({{s_main, 100}, {s_worker, 5}});
    CHECK(align(std::vector<const Profile*>{&b.p}, KeyPolicy{}).sites.size() == 1);
    KeyPolicy stack;
    stack.granularity = Granularity::Stack;
    const auto a = align(std::vector<const Profile*>{&b.p}, stack);
    REQUIRE(a.sites.size() == 2);
    for (const auto& s : a.sites) CHECK(s.callers.empty());  // no drill-down for whole stacks
  }
  SUBCASE("focus keeps only stacks with a matching frame; ignore drops them") {
    ProfileBuilder b;
    const auto main_ = b.frame("main", "main.cpp", 1);
    const auto s_cache = b.stack({b.frame("Cache::put(int)", "cache.cpp", 40), main_});
    const auto s_log = b.stack({b.frame("Logger::write()", "log.cpp", 9), main_});
    b.snapshot({{s_cache, 100}, {s_log, 7}});
    KeyPolicy focus;
    focus.focus = std::regex("Cache::");
    const auto f = align(std::vector<const Profile*>{&b.p}, focus);
    REQUIRE(f.sites.size() == 1);
    CHECK(f.sites[0].frames[0].function == "Cache::put(int)");
    KeyPolicy ignore;
    ignore.ignore = std::regex("Cache::");
    const auto i = align(std::vector<const Profile*>{&b.p}, ignore);
    REQUIRE(i.sites.size() == 1);
    CHECK(i.sites[0].frames[0].function == "Logger::write()");
    // a regex matching a frame beyond the site (main) still selects the stack
    KeyPolicy by_root;
    by_root.focus = std::regex("^main$");
    CHECK(align(std::vector<const Profile*>{&b.p}, by_root).sites.size() == 2);
    KeyPolicy none;
    none.focus = std::regex("nothing-matches");
    CHECK(align(std::vector<const Profile*>{&b.p}, none).sites.empty());
  }
  SUBCASE("caller paths extend a site through the next program frame") {
    // helper() allocates for two callers: the site is [helper]; its callers are
    // [helper, leaky] and [helper, churn].
    ProfileBuilder b;
    const auto malloc_ = b.frame("malloc");
    const auto helper = b.frame("helper()", "helper.cpp", 3);
    const auto leaky = b.frame("leaky()", "a.cpp", 10);
    const auto churn = b.frame("churn()", "b.cpp", 20);
    const auto main_ = b.frame("main", "main.cpp", 1);
    const auto s_leaky = b.stack({malloc_, helper, leaky, main_});
    const auto s_churn = b.stack({malloc_, helper, churn, main_});
    b.snapshot({{s_leaky, 0}, {s_churn, 1000}});
    b.snapshot({{s_leaky, 500}, {s_churn, 500}});
    SUBCASE("and a series shorter than a leak verdict needs keeps no caller paths") {
      // Two snapshots can never give a caller path verdict leak, so none is kept.
      CHECK(align(std::vector<const Profile*>{&b.p}, KeyPolicy{}).sites[0].callers.empty());
    }
    b.snapshot({{s_leaky, 600}, {s_churn, 400}});
    b.snapshot({{s_leaky, 700}, {s_churn, 300}});
    const auto a = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(a.sites.size() == 1);
    const auto& site = a.sites[0];
    CHECK(site.frames.size() == 1);
    CHECK(live(site) == V{1000, 1000, 1000, 1000});
    REQUIRE(site.callers.size() == 2);
    // sorted by key: "helper()...\x1e" "churn()" < "leaky()"
    CHECK(site.callers[0].frames.back().function == "churn()");
    CHECK(live(site.callers[0]) == V{1000, 500, 400, 300});
    CHECK(site.callers[1].frames.back().function == "leaky()");
    CHECK(live(site.callers[1]) == V{0, 500, 600, 700});
    CHECK(site.callers[1].frames.size() == 2);  // helper, leaky
    CHECK(site.callers[1].key.text().starts_with(site.key.text() + "\x1e"));
    SUBCASE("and a site with one caller path keeps none (it would be the site again)") {
      ProfileBuilder one;
      const auto only = one.stack({one.frame("malloc"), one.frame("helper()", "helper.cpp", 3),
                                   one.frame("leaky()", "a.cpp", 10), one.frame("main", "main.cpp", 1)});
      for (int64_t v : {0, 500, 600, 700}) one.snapshot({{only, v}});
      const auto single = align(std::vector<const Profile*>{&one.p}, KeyPolicy{});
      REQUIRE(single.sites.size() == 1);
      CHECK(single.sites[0].callers.empty());
      CHECK(live(single.sites[0]) == V{0, 500, 600, 700});
    }
    SUBCASE("and drill depth 0 keeps no caller paths") {
      CHECK(align(std::vector<const Profile*>{&b.p}, KeyPolicy{}, 0).sites[0].callers.empty());
    }
    SUBCASE("and drill depth 2 goes through two more program frames") {
      const auto deep = align(std::vector<const Profile*>{&b.p}, KeyPolicy{}, 2);
      REQUIRE(deep.sites[0].callers.size() == 2);
      CHECK(deep.sites[0].callers[0].frames.size() == 3);  // helper, churn, main
    }
  }
  SUBCASE("the sum of site values equals the sum of samples in every snapshot") {
    ProfileBuilder b;
    const auto malloc_ = b.frame("malloc");
    const auto main_ = b.frame("main", "main.cpp", 1);
    const auto a1 = b.stack({malloc_, b.frame("A()", "a.cpp", 1), main_});
    const auto a2 = b.stack({malloc_, b.frame("A()", "a.cpp", 2), main_});
    const auto lib = b.stack({malloc_, b.frame("std::string::_M_create()"), b.frame("B()", "b.cpp", 5), main_});
    const auto orphan = b.stack({b.frame("", "", 0, "/usr/lib/libz.so", 0x99)});
    b.snapshot({{a1, 100}, {a2, 50}, {lib, 7}});
    b.snapshot({{a1, 300}, {orphan, 11}});
    b.snapshot({{a2, 1}, {lib, 70}, {orphan, 22}});
    for (auto g : {Granularity::Function, Granularity::Line, Granularity::Stack}) {
      KeyPolicy policy;
      policy.granularity = g;
      const auto a = align(std::vector<const Profile*>{&b.p}, policy);
      REQUIRE(a.snapshots.size() == 3);
      for (size_t k = 0; k < 3; ++k) {
        int64_t sum = 0;
        for (const auto& s : a.sites) sum += s.values[k].value;
        CHECK(sum == sum_samples(b.p.snapshots[k])[Metric::LiveBytes]);
        CHECK(a.snapshots[k].total[Metric::LiveBytes] == sum);
      }
    }
    SUBCASE("and a series keeps the metric aligned for and its partner, no other") {
      KeyPolicy objects;
      objects.metric = Metric::LiveObjects;
      const auto a = align(std::vector<const Profile*>{&b.p}, objects);
      CHECK(a.metric == Metric::LiveObjects);
      CHECK(a.partner == Metric::LiveBytes);
      // A() is a1 and a2 (function granularity): objects 2, 1, 1; bytes 150, 300, 1
      const auto& site_a = a.sites[0];
      REQUIRE(site_a.values.size() == 3);
      CHECK(site_a.values[0] == SeriesValue{2, 150});
      CHECK(site_a.values[1] == SeriesValue{1, 300});
      CHECK(site_a.values[2] == SeriesValue{1, 1});
      CHECK(site_a.seen);
      KeyPolicy goroutines;
      goroutines.metric = Metric::Goroutines;
      const auto g = align(std::vector<const Profile*>{&b.p}, goroutines);
      CHECK_FALSE(g.partner.has_value());
      for (const auto& site : g.sites) {
        for (const auto& v : site.values) CHECK(v == SeriesValue{0, 0});
        CHECK(site.seen);  // (a value other than 0 in another metric)
      }
    }
    // 150+7 = 157, 300+11 = 311, 1+70+22 = 93
    CHECK(b.p.snapshots[0].total[Metric::LiveBytes] == 157);
    CHECK(b.p.snapshots[1].total[Metric::LiveBytes] == 311);
    CHECK(b.p.snapshots[2].total[Metric::LiveBytes] == 93);
  }
  SUBCASE("sites are in order of first appearance and the representative stack is the largest") {
    ProfileBuilder b;
    const auto put = b.frame("Cache::put(int)", "cache.cpp", 40);
    const auto small = b.stack({put, b.frame("main", "main.cpp", 12)});
    const auto big = b.stack({put, b.frame("worker()", "worker.cpp", 7)});
    const auto other = b.stack({b.frame("Alpha::make()", "alpha.cpp", 1)});
    const auto late = b.stack({b.frame("Zed::grow()", "zed.cpp", 2)});
    b.snapshot({{small, 10}, {big, 1000}, {other, 1}});
    b.snapshot({{late, 5}, {other, 2}});
    const auto a = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(a.sites.size() == 3);
    CHECK(a.sites[0].frames[0].function == "Cache::put(int)");
    CHECK(a.sites[1].frames[0].function == "Alpha::make()");
    CHECK(a.sites[2].frames[0].function == "Zed::grow()");
    REQUIRE(a.sites[0].stack.size() == 2);
    CHECK(a.sites[0].stack[1].function == "worker()");
    // The order is the input's, never the hash table's: the same on every run.
    const auto again = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    for (size_t i = 0; i < a.sites.size(); ++i) CHECK(again.sites[i].key == a.sites[i].key);
  }
  SUBCASE("several profiles keep the metrics all of them have, and the largest sampling period") {
    ProfileBuilder b1("a.prof"), b2("b.prof");
    b2.p.metrics = MetricMask{}.add(Metric::LiveBytes);
    b1.p.sampling_period = 0;
    b2.p.sampling_period = 524288;
    b1.p.time_unit = b2.p.time_unit = TimeUnit::Seconds;
    b1.p.shared_clock = b2.p.shared_clock = true;
    const auto s1 = b1.stack({b1.frame("main.f", "main.go", 1)});
    const auto s2 = b2.stack({b2.frame("main.f", "main.go", 1)});
    b1.snapshot({{s1, 1}}, 1000.0);
    b2.snapshot({{s2, 2}}, 1060.0);
    const auto a = align(std::vector<const Profile*>{&b1.p, &b2.p}, KeyPolicy{});
    CHECK(a.metrics.has(Metric::LiveBytes));
    CHECK_FALSE(a.metrics.has(Metric::LiveObjects));
    CHECK(a.sampling_period == 524288);
    CHECK(a.time_unit == TimeUnit::Seconds);
    CHECK(a.snapshots[1].time == 1060.0);
    SUBCASE("and run-relative clocks are not placed on one axis") {
      b2.p.shared_clock = false;
      CHECK(align(std::vector<const Profile*>{&b1.p, &b2.p}, KeyPolicy{}).time_unit ==
            TimeUnit::None);
    }
  }
  SUBCASE("many slices: the series are those of adding every sample in turn") {
    // 11 profiles (more than one window of threads: the slices' paths are found a window at
    // a time, in parallel), 3 snapshots each, sites and caller paths first met in later
    // snapshots and later profiles, one site ignored; and the hook may free each snapshot's
    // samples as soon as it is aligned.
    constexpr int kProfiles = 11, kSnapshots = 3, kHelpers = 6, kCallers = 4;
    std::vector<ProfileBuilder> b;
    for (int i = 0; i < kProfiles; ++i) b.emplace_back("p" + std::to_string(i) + ".prof");
    auto bytes = [](int i, int k, int h, int c) { return int64_t(1 + h * 100 + c * 10 + i + k); };
    auto present = [](int i, int k, int h, int c) { return (h + c + i + k) % 3 != 0 && h <= i + k; };
    for (int i = 0; i < kProfiles; ++i) {
      for (int k = 0; k < kSnapshots; ++k) {
        std::vector<std::pair<StackId, int64_t>> samples;
        for (int h = kHelpers - 1; h >= 0; --h)
          for (int c = 0; c < kCallers; ++c)
            if (present(i, k, h, c))
              samples.push_back({b[i].stack({b[i].frame("malloc"),
                                             b[i].frame("h" + std::to_string(h), "h.cpp", 1),
                                             b[i].frame("c" + std::to_string(c), "c.cpp", 2),
                                             b[i].frame("main", "main.cpp", 3)}),
                                 bytes(i, k, h, c)});
        b[i].snapshot(samples);
      }
    }
    KeyPolicy policy;
    policy.ignore = std::regex("^h5$");
    std::vector<ProfileSlice> slices;
    for (auto& x : b) slices.push_back({&x.p, x.p.snapshots});
    const auto kept = align(slices, policy);
    const auto freed = align(slices, policy, 1, [&](size_t slice, size_t snapshot) {
      b[slice].p.snapshots[snapshot].samples.clear();
    });
    for (const auto* a : {&kept, &freed}) {
      REQUIRE(a->sites.size() == kHelpers - 1);
      for (int h = 0; h + 1 < kHelpers; ++h) {
        const SiteSeries& site = a->sites[size_t(h)];  // "h0" < "h1" < ...
        CHECK(site.frames[0].function == "h" + std::to_string(h));
        V expected(kProfiles * kSnapshots, 0);
        std::vector<V> by_caller(kCallers, V(kProfiles * kSnapshots, 0));
        for (int i = 0; i < kProfiles; ++i)
          for (int k = 0; k < kSnapshots; ++k)
            for (int c = 0; c < kCallers; ++c)
              if (present(i, k, h, c)) {
                expected[size_t(i * kSnapshots + k)] += bytes(i, k, h, c);
                by_caller[size_t(c)][size_t(i * kSnapshots + k)] = bytes(i, k, h, c);
              }
        CHECK(live(site) == expected);
        REQUIRE(site.callers.size() == kCallers);
        for (int c = 0; c < kCallers; ++c) {
          CHECK(site.callers[size_t(c)].frames.back().function == "c" + std::to_string(c));
          CHECK(live(site.callers[size_t(c)]) == by_caller[size_t(c)]);
        }
      }
    }
  }
  SUBCASE("slices align only the snapshots they name") {
    ProfileBuilder b;
    const auto s = b.stack({b.frame("main.f", "main.go", 1)});
    b.snapshot({{s, 1}});
    b.snapshot({{s, 2}});
    b.snapshot({{s, 3}});
    const std::vector<ProfileSlice> slices = {{&b.p, std::span(b.p.snapshots).subspan(1)}};
    const auto a = align(slices, KeyPolicy{});
    REQUIRE(a.sites.size() == 1);
    CHECK(live(a.sites[0]) == V{2, 3});
  }
}

// Caller paths are made lazily (core/sites.cpp, CallerPaths): the first one only when a second
// one, or a path without one, appears. These cover where that can happen.
TEST_CASE("memleak::core::align: a site's frames are its largest sample's (the line to show)") {
  // renderResponse allocates at line 147 (16 bytes, first seen) and at 146 (the growth): at
  // function granularity both are one site, shown at 146, where the memory is.
  ProfileBuilder b;
  const auto main_ = b.frame("main", "main.go", 10, "", 0x1);
  const auto small = b.stack({b.frame("renderResponse", "main.go", 147, "", 0x2), main_});
  const auto big = b.stack({b.frame("renderResponse", "main.go", 146, "", 0x3), main_});
  b.snapshot({{small, 16}, {big, 1000}});
  b.snapshot({{small, 16}, {big, 5000}});
  const auto a = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
  REQUIRE(a.sites.size() == 1);
  CHECK(live(a.sites[0]) == V{1016, 5016});
  REQUIRE(a.sites[0].frames.size() >= 1);
  CHECK(a.sites[0].frames[0].line == 146);
  CHECK(a.sites[0].stack[0].line == 146);
  SUBCASE("at line granularity they are two sites, each with its own line") {
    KeyPolicy lines;
    lines.granularity = Granularity::Line;
    const auto by_line = align(std::vector<const Profile*>{&b.p}, lines);
    REQUIRE(by_line.sites.size() == 2);
    CHECK(by_line.sites[0].frames[0].line == 147);
    CHECK(by_line.sites[1].frames[0].line == 146);
  }
}

TEST_CASE("memleak::core::align: caller paths made late hold their earlier values") {
  // One builder per profile; the frames of each are its own (equal names make equal keys).
  struct Stacks {
    StackId a, b, none;
  };
  auto stacks_of = [](ProfileBuilder& b) {
    const auto malloc_ = b.frame("malloc");
    const auto helper = b.frame("helper()", "helper.cpp", 3);
    const auto main_ = b.frame("main", "main.cpp", 1);
    return Stacks{b.stack({malloc_, helper, b.frame("a()", "a.cpp", 10), main_}),
                  b.stack({malloc_, helper, b.frame("b()", "b.cpp", 20), main_}),
                  b.stack({malloc_, helper})};  // helper() is a program frame: no caller path
  };
  auto caller = [](const SiteSeries& site, std::string_view function) -> const SiteSeries& {
    for (const auto& c : site.callers)
      if (c.frames.back().function == function) return c;
    FAIL("no caller path through " << function);
    return site;
  };
  SUBCASE("a second caller path in a later snapshot of the same profile") {
    ProfileBuilder b;
    const Stacks st = stacks_of(b);
    b.snapshot({{st.a, 100}});
    b.snapshot({{st.a, 200}});
    b.snapshot({{st.a, 300}, {st.b, 5}});
    b.snapshot({{st.a, 400}, {st.b, 6}});
    const auto al = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(al.sites.size() == 1);
    REQUIRE(al.sites[0].callers.size() == 2);
    CHECK(live(caller(al.sites[0], "a()")) == V{100, 200, 300, 400});
    CHECK(live(caller(al.sites[0], "b()")) == V{0, 0, 5, 6});
    CHECK(live(al.sites[0]) == V{100, 200, 305, 406});
  }
  SUBCASE("a second caller path in a later profile, the first one waiting in two") {
    ProfileBuilder b1("one.prof"), b2("two.prof"), b3("three.prof");
    const Stacks s1 = stacks_of(b1), s2 = stacks_of(b2), s3 = stacks_of(b3);
    b1.snapshot({{s1.a, 100}});
    b2.snapshot({{s2.a, 200}});
    b3.snapshot({{s3.a, 300}, {s3.b, 5}});
    b3.snapshot({{s3.a, 400}});
    const auto al = align(std::vector<const Profile*>{&b1.p, &b2.p, &b3.p}, KeyPolicy{});
    REQUIRE(al.sites.size() == 1);
    REQUIRE(al.sites[0].callers.size() == 2);
    CHECK(live(caller(al.sites[0], "a()")) == V{100, 200, 300, 400});
    CHECK(live(caller(al.sites[0], "b()")) == V{0, 0, 5, 0});
    CHECK(caller(al.sites[0], "a()").seen);
    CHECK(caller(al.sites[0], "b()").seen);
  }
  SUBCASE("a path without a caller path after a waiting one") {
    ProfileBuilder b;
    const Stacks st = stacks_of(b);
    b.snapshot({{st.a, 100}});
    b.snapshot({{st.a, 200}});
    b.snapshot({{st.a, 300}, {st.none, 7}});
    b.snapshot({{st.a, 400}, {st.b, 9}});
    const auto al = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(al.sites.size() == 1);
    CHECK(live(al.sites[0]) == V{100, 200, 307, 409});
    REQUIRE(al.sites[0].callers.size() == 2);
    CHECK(live(caller(al.sites[0], "a()")) == V{100, 200, 300, 400});
    CHECK(live(caller(al.sites[0], "b()")) == V{0, 0, 0, 9});
    SUBCASE("and with no second caller path the site keeps none") {
      ProfileBuilder c;
      const Stacks sc = stacks_of(c);
      c.snapshot({{sc.a, 100}});
      c.snapshot({{sc.a, 200}, {sc.none, 7}});
      c.snapshot({{sc.a, 300}});
      c.snapshot({{sc.a, 400}});
      const auto one = align(std::vector<const Profile*>{&c.p}, KeyPolicy{});
      REQUIRE(one.sites.size() == 1);
      CHECK(one.sites[0].callers.empty());
      CHECK(live(one.sites[0]) == V{100, 207, 300, 400});
    }
  }
  SUBCASE("a caller path whose samples cancel in every snapshot is not seen") {
    // b() through two lines: one caller path at function granularity, +500 and -500 bytes
    // and +5 and -5 objects in every snapshot (pprof values may be negative).
    ProfileBuilder b;
    const Stacks st = stacks_of(b);
    const auto malloc_ = b.frame("malloc");
    const auto helper = b.frame("helper()", "helper.cpp", 3);
    const auto main_ = b.frame("main", "main.cpp", 1);
    const auto b_line2 = b.stack({malloc_, helper, b.frame("b()", "b.cpp", 21), main_});
    for (int64_t k = 1; k <= 4; ++k) {
      Snapshot snap;
      snap.label = "s" + std::to_string(k);
      auto add = [&](StackId id, int64_t bytes, int64_t objects) {
        StackSample sample{id, {}};
        sample.values[Metric::LiveBytes] = bytes;
        sample.values[Metric::LiveObjects] = objects;
        snap.samples.push_back(sample);
      };
      add(st.a, 100 * k, k);
      add(st.b, 500, 5);
      add(b_line2, -500, -5);
      snap.total = sum_samples(snap);
      b.p.snapshots.push_back(std::move(snap));
    }
    const auto al = align(std::vector<const Profile*>{&b.p}, KeyPolicy{});
    REQUIRE(al.sites.size() == 1);
    REQUIRE(al.sites[0].callers.size() == 2);
    CHECK(caller(al.sites[0], "a()").seen);
    CHECK_FALSE(caller(al.sites[0], "b()").seen);
    CHECK(live(caller(al.sites[0], "b()")) == V{0, 0, 0, 0});
  }
}

// align() against a brute-force sum on random profiles: sites with their values per
// snapshot; for sites with two or more caller paths, every path's values and `seen`; for
// the others, no caller paths. Random stacks of one site through callers (one, none, a library
// frame, the same function on another line), 1-4 profiles (one of them split into two
// slices), drill depth 0-2, negative, huge and other-metric-only values.
TEST_CASE("memleak::core::align: random profiles against a brute-force sum") {
  struct StackDef {
    int site;
    int caller;
    uint32_t line;  // the caller's line: another frame id, the same caller key
    int shape;  // 0: site caller main; 1: site; 2: site lib; 3: site lib caller main; 4: site caller main2
  };
  using Cell = std::pair<int64_t, int64_t>;  // (value, partner)
  for (int iter = 0; iter < 1500; ++iter) {
    CAPTURE(iter);
    std::mt19937_64 rng(uint64_t(iter) * 7919 + 17);
    auto rnd = [&](int n) { return int(rng() % uint64_t(n)); };
    const bool negatives = iter % 3 == 0;
    const bool huge = iter % 5 == 0;
    const int drill = iter % 7 == 0 ? 0 : (iter % 11 == 0 ? 2 : 1);
    const Metric metric = iter % 4 == 0 ? Metric::LiveObjects : Metric::LiveBytes;
    const Metric partner = metric == Metric::LiveBytes ? Metric::LiveObjects : Metric::LiveBytes;
    const int sites = 1 + rnd(3);
    std::vector<StackDef> defs;
    for (int d = 0, nd = 1 + rnd(8); d < nd; ++d) {
      StackDef def{rnd(sites), rnd(3), uint32_t(1 + rnd(2)), rnd(5)};
      if (def.shape == 1 || def.shape == 2) def.caller = -1;
      defs.push_back(def);
    }
    // The caller path's functions beyond the site, through the next program frame(s).
    auto caller_key = [&](const StackDef& def, int depth) -> std::string {
      const std::string c = "c" + std::to_string(def.caller);
      switch (def.shape) {
        case 0: return depth == 2 ? c + "|main" : c;
        case 2: return "std::lib_fn";
        case 3: return depth == 2 ? "std::lib_fn|" + c + "|main" : "std::lib_fn|" + c;
        case 4: return depth == 2 ? c + "|main2" : c;
      }
      return "";
    };
    std::vector<std::unique_ptr<ProfileBuilder>> builders;
    std::vector<std::vector<StackId>> ids;  // per profile, per def
    std::vector<std::vector<std::vector<std::pair<int, Values>>>> samples;  // profile, snapshot
    for (int i = 0, profiles = 1 + rnd(4); i < profiles; ++i) {
      builders.push_back(std::make_unique<ProfileBuilder>("p" + std::to_string(i)));
      ProfileBuilder& b = *builders.back();
      ids.emplace_back();
      for (const StackDef& def : defs) {
        std::vector<FrameId> frames{b.frame("malloc"), b.frame("h" + std::to_string(def.site), "h.cpp", 1)};
        const auto c = b.frame("c" + std::to_string(def.caller), "c.cpp", def.line);
        if (def.shape == 2 || def.shape == 3) frames.push_back(b.frame("std::lib_fn"));
        if (def.shape == 0 || def.shape == 3) frames.insert(frames.end(), {c, b.frame("main", "main.cpp", 1)});
        if (def.shape == 4) frames.insert(frames.end(), {c, b.frame("main2", "main.cpp", 2)});
        ids.back().push_back(b.stack(frames));
      }
      std::vector<bool> known(defs.size());
      for (size_t d = 0; d < defs.size(); ++d) known[d] = rnd(4) != 0;
      samples.emplace_back();
      for (int k = 0, snapshots = 1 + rnd(4); k < snapshots; ++k) {
        std::vector<int> order;
        for (size_t d = 0; d < defs.size(); ++d)
          if (known[d] && rnd(3) != 0) order.push_back(int(d));
        std::shuffle(order.begin(), order.end(), rng);
        if (!order.empty() && rnd(4) == 0) order.push_back(order[size_t(rnd(int(order.size())))]);
        Snapshot snap;
        snap.label = b.p.path + "@" + std::to_string(k);
        samples.back().emplace_back();
        for (int d : order) {
          Values v;
          int64_t bytes = rnd(5) == 0 ? 0 : rnd(1000), objects = rnd(5) == 0 ? 0 : rnd(10);
          if (negatives && rnd(3) == 0) {
            bytes = -bytes;
            objects = -objects;
          }
          if (huge && rnd(3) == 0) bytes = (rnd(2) ? 1 : -1) * (int64_t(1) << 62);
          v[Metric::LiveBytes] = bytes;
          v[Metric::LiveObjects] = objects;
          if (rnd(6) == 0) v[Metric::AllocBytes] = rnd(3);  // only in another metric
          snap.samples.push_back({ids.back()[size_t(d)], v});
          samples.back().back().emplace_back(d, v);
        }
        snap.total = sum_samples(snap);
        b.p.snapshots.push_back(std::move(snap));
      }
    }
    std::vector<ProfileSlice> slices;
    for (auto& b : builders) slices.push_back({&b->p, b->p.snapshots});
    if (rnd(5) == 0 && builders[0]->p.snapshots.size() >= 2) {  // the first profile twice
      const Profile* first = &builders[0]->p;
      slices.erase(slices.begin());
      slices.insert(slices.begin(), {first, std::span(first->snapshots).subspan(0, 1)});
      slices.push_back({first, std::span(first->snapshots).subspan(1)});
    }
    size_t n = 0;
    for (const auto& slice : slices) n += slice.snapshots.size();
    const int depth = n < size_t(kMinLeakSnapshots) ? 0 : drill;
    // The brute force: every sample added to its site and its caller path, snapshot by
    // snapshot; a path is seen when some snapshot's sum (every metric) is not 0.
    std::map<int, std::vector<Cell>> site_cells;
    std::map<std::pair<int, std::string>, std::vector<Cell>> caller_cells;
    std::map<std::pair<int, std::string>, std::vector<Values>> caller_sums;
    auto add = [&](Cell& cell, const Values& v) {
      cell.first = clamped_add(cell.first, clamped_add(v[metric], 0));
      cell.second = clamped_add(cell.second, clamped_add(v[partner], 0));
    };
    size_t g = 0;
    for (const auto& slice : slices) {
      size_t pi = 0;
      while (&builders[pi]->p != slice.profile) ++pi;
      const size_t first = size_t(slice.snapshots.data() - slice.profile->snapshots.data());
      for (size_t k = 0; k < slice.snapshots.size(); ++k, ++g) {
        for (const auto& [d, v] : samples[pi][first + k]) {
          const StackDef& def = defs[size_t(d)];
          auto& cells = site_cells[def.site];
          cells.resize(n);
          add(cells[g], v);
          const std::string key = depth == 0 ? "" : caller_key(def, depth);
          if (key.empty()) continue;
          auto& ccells = caller_cells[{def.site, key}];
          ccells.resize(n);
          add(ccells[g], v);
          auto& sums = caller_sums[{def.site, key}];
          sums.resize(n);
          sums[g] += v;
        }
      }
    }
    KeyPolicy policy;
    policy.metric = metric;
    const auto al = align(slices, policy, drill);
    REQUIRE(al.sites.size() == site_cells.size());
    for (const auto& site : al.sites) {
      const int h = std::stoi(std::string(site.frames[0].function).substr(1));
      const auto& cells = site_cells[h];
      REQUIRE(site.values.size() == n);
      for (size_t i = 0; i < n; ++i) CHECK(site.values[i] == SeriesValue{cells[i].first, cells[i].second});
      size_t expected = 0;
      for (const auto& [key, unused] : caller_cells) expected += key.first == h;
      if (expected < 2) {
        CHECK(site.callers.empty());
        continue;
      }
      REQUIRE(site.callers.size() == expected);
      for (const auto& c : site.callers) {
        std::string key;
        for (size_t f = 1; f < c.frames.size(); ++f) key += (f > 1 ? "|" : "") + std::string(c.frames[f].function);
        CAPTURE(key);
        REQUIRE(caller_cells.count({h, key}) == 1);
        const auto& ccells = caller_cells[{h, key}];
        for (size_t i = 0; i < n; ++i) CHECK(c.values[i] == SeriesValue{ccells[i].first, ccells[i].second});
        const auto& sums = caller_sums[{h, key}];
        CHECK(c.seen == std::any_of(sums.begin(), sums.end(), [](const Values& v) { return !v.is_zero(); }));
      }
    }
  }
}

TEST_CASE("memleak::core::display_function") {
  SiteFrame f;
  SUBCASE("a symbol is shown as is") {
    f.function = "Cache::put(int)";
    CHECK(display_function(f) == "Cache::put(int)");
  }
  SUBCASE("an unsymbolized frame shows module basename and offset") {
    f.module = "/usr/lib/libz.so.1";
    f.address = 0x1f2e;
    CHECK(display_function(f) == "libz.so.1+0x1f2e");
  }
  SUBCASE("nothing known shows ???") { CHECK(display_function(f) == "???"); }
}

TEST_CASE("memleak::core::resolve_frame") {
  ProfileBuilder b;
  const auto id = b.frame("Cache::put(int)", "/src/cache.cpp", 40, "/opt/app", 0x401500);
  const auto f = resolve_frame(b.p, id);
  CHECK(f.function == "Cache::put(int)");
  CHECK(f.file == "/src/cache.cpp");  // the full path, for display
  CHECK(f.line == 40);
  CHECK(f.module == "/opt/app");
  CHECK(f.address == 0x401500);
  CHECK(f.program);
  CHECK_FALSE(resolve_frame(b.p, b.frame("malloc")).program);
}
