// bench_analyse: times the analysis alone (core::align + core::analyse) on an in-memory
// series of SNAPSHOTS snapshots x SITES sites, with no parsing. Usage: bench_analyse [N] [K]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/analyse.h"
#include "core/sites.h"

using namespace memleak::core;

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100;
  const size_t k = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10000;
  Profile p;
  p.path = "bench";
  p.format = "pprof";
  p.kind = "heap";
  p.metrics.add(Metric::LiveBytes);
  p.metrics.add(Metric::LiveObjects);
  p.time_unit = TimeUnit::Seconds;
  p.shared_clock = true;
  // K sites, each a stack of 6 frames: allocator, library, site, 3 callers.
  const StringId file = p.strings.intern("/src/app/server.cpp");
  const StringId lib = p.strings.intern("/usr/include/c++/12/bits/stl_vector.h");
  const StringId malloc_fn = p.strings.intern("malloc");
  std::vector<FrameId> stack;
  std::vector<StackId> stacks;
  for (size_t i = 0; i < k; ++i) {
    stack.clear();
    stack.push_back(p.frames.intern({malloc_fn, 0, 0, 0, 0x1000, false}));
    stack.push_back(p.frames.intern({p.strings.intern("std::vector<int>::_M_realloc_insert"), lib, 0, 1100, 0x2000, false}));
    stack.push_back(p.frames.intern({p.strings.intern("app::Site" + std::to_string(i) + "::alloc()"), file, 0,
                                     uint32_t(10 + i % 500), 0x3000 + i, false}));
    for (size_t d = 0; d < 3; ++d)
      stack.push_back(p.frames.intern({p.strings.intern("app::caller" + std::to_string((i * 7 + d) % 97) + "()"),
                                       file, 0, uint32_t(d + 1), 0x9000 + d, false}));
    stacks.push_back(p.stacks.intern(stack));
  }
  for (size_t s = 0; s < n; ++s) {
    Snapshot snap;
    snap.label = "heap." + std::to_string(s) + ".pb.gz";
    snap.time = 1.7e9 + double(s) * 60;
    for (size_t i = 0; i < k; ++i) {
      Values v;
      const int64_t noise = int64_t((i * 2654435761u + s * 40503u) % 997);
      v[Metric::LiveBytes] = (i % 50 == 0 ? int64_t(s) * 4096 : 0) + 1000 + noise;
      v[Metric::LiveObjects] = v[Metric::LiveBytes] / 64;
      snap.samples.push_back({stacks[i], v});
    }
    snap.total = sum_samples(snap);
    p.snapshots.push_back(std::move(snap));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto series = align({&p}, KeyPolicy{}, 1);
  const auto t1 = std::chrono::steady_clock::now();
  AnalysisOptions o;
  Report r = analyse(series, o);
  (void)keep_top(r, 20);
  const auto t2 = std::chrono::steady_clock::now();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("snapshots=%zu sites=%zu align_ms=%.1f analyse_ms=%.1f total_ms=%.1f\n", n,
              series.sites.size(), ms(t1 - t0), ms(t2 - t1), ms(t2 - t0));
  return 0;
}
