// bench_gen: deterministic generators of large, realistic memleak inputs (tests/bench/run.sh).
//
//   bench_gen pprof OUT.pb.gz SAMPLES VARIANT   Go-like heap profile, gzipped. VARIANT v is the
//                                               v-th snapshot of one series: the same stacks,
//                                               5% of them leaking (inuse grows with v), 5% more
//                                               samples per step.
//   bench_gen heaptrack EVENTS                  interpreted heaptrack trace (format 3) on stdout
//   bench_gen massif SNAPSHOTS SITES            massif.out file on stdout
//
// Everything derives from fixed seeds: the same arguments give the same bytes.
#include <zlib.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#if __has_include("pprof/profile.pb.h")
#include "pprof/profile.pb.h"
#else
#include "profile.pb.h"
#endif

namespace {

// splitmix64: small, fast, deterministic.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }
  uint64_t range(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
  double unit() { return double(next() >> 11) / double(1ULL << 53); }
};

uint64_t mix(uint64_t a, uint64_t b) { return Rng(a * 0x100000001b3ULL ^ b).next(); }

// ------------------------------------------------------------------------------------ pprof

int gen_pprof(const char* out, uint64_t samples, uint64_t variant) {
  using memleak::pprof::Profile;
  Profile p;
  std::vector<std::string> strings{""};
  std::unordered_map<std::string, int64_t> string_index{{"", 0}};
  auto str = [&](const std::string& s) -> int64_t {
    auto [it, fresh] = string_index.try_emplace(s, int64_t(strings.size()));
    if (fresh) strings.push_back(s);
    return it->second;
  };
  for (auto [t, u] : {std::pair{"alloc_objects", "count"}, {"alloc_space", "bytes"},
                      {"inuse_objects", "count"}, {"inuse_space", "bytes"}}) {
    auto* vt = p.add_sample_type();
    vt->set_type(str(t));
    vt->set_unit(str(u));
  }
  p.mutable_period_type()->set_type(str("space"));
  p.mutable_period_type()->set_unit(str("bytes"));
  p.set_period(524288);
  p.set_time_nanos(int64_t(1700000000) * 1000000000 + int64_t(variant) * 60 * 1000000000LL);
  p.set_duration_nanos(0);
  auto* m = p.add_mapping();
  m->set_id(1);
  m->set_memory_start(0x400000);
  m->set_memory_limit(0x4000000);
  m->set_filename(str("/usr/local/bin/shopd"));
  m->set_has_functions(true);
  m->set_has_filenames(true);
  m->set_has_line_numbers(true);

  // Functions: runtime/std frames near root and leaf, the program's own code in between.
  const uint64_t nfunc = std::min<uint64_t>(40000, 600 + samples / 10);
  static const char* kStd[] = {"runtime.goexit", "runtime.main", "net/http.(*conn).serve",
                               "net/http.serverHandler.ServeHTTP", "net/http.HandlerFunc.ServeHTTP",
                               "encoding/json.Unmarshal", "encoding/json.(*decodeState).object",
                               "bytes.(*Buffer).grow", "bytes.growSlice", "strings.(*Builder).grow",
                               "bufio.NewReaderSize", "reflect.New", "reflect.unsafe_New",
                               "runtime.makeslice", "runtime.makemap", "runtime.growslice",
                               "context.WithCancel", "sync.(*Pool).Get", "fmt.Sprintf",
                               "strconv.appendQuotedWith"};
  constexpr uint64_t kNStd = sizeof kStd / sizeof *kStd;
  Rng fr(42);
  for (uint64_t f = 1; f <= nfunc; ++f) {
    auto* fn = p.add_function();
    fn->set_id(f);
    std::string name, file;
    if (f <= kNStd) {
      name = kStd[f - 1];
      file = "/usr/lib/go/src/" + name.substr(0, name.find('.')) + "/x.go";
    } else {
      const uint64_t pkg = fr.below(300), type = fr.below(40);
      name = "github.com/acme/shopd/internal/pkg" + std::to_string(pkg) + ".(*Type" +
             std::to_string(type) + ").Method" + std::to_string(f);
      file = "/src/shopd/internal/pkg" + std::to_string(pkg) + "/file" + std::to_string(type) + ".go";
    }
    fn->set_name(str(name));
    fn->set_system_name(fn->name());
    fn->set_filename(str(file));
    fn->set_start_line(int64_t(fr.range(1, 900)));
  }
  // Locations: one per (function, call line); every 10th also has an inlined callee.
  const uint64_t nloc = std::min<uint64_t>(150000, 2000 + samples / 10);
  for (uint64_t l = 1; l <= nloc; ++l) {
    auto* loc = p.add_location();
    loc->set_id(l);
    loc->set_mapping_id(1);
    loc->set_address(0x401000 + l * 0x37);
    const uint64_t f = l <= kNStd ? l : kNStd + 1 + fr.below(nfunc - kNStd);
    if (l % 10 == 0) {
      auto* in = loc->add_line();
      in->set_function_id(kNStd + 1 + fr.below(nfunc - kNStd));
      in->set_line(int64_t(fr.range(1, 2000)));
    }
    auto* line = loc->add_line();
    line->set_function_id(f);
    line->set_line(int64_t(fr.range(1, 2000)));
  }
  // Shared chains: roots (goroutine entry points) and a middle layer of the program's code.
  auto chain = [&](Rng& r, size_t n) {
    std::vector<uint64_t> c;
    for (size_t i = 0; i < n; ++i) c.push_back(kNStd + 1 + r.below(nloc - kNStd));
    return c;
  };
  Rng cr(7);
  std::vector<std::vector<uint64_t>> roots, middles;
  for (int i = 0; i < 64; ++i) {
    auto c = chain(cr, cr.range(2, 6));
    c.insert(c.end(), {4, 3, 2, 1});  // ... net/http frames, runtime.goexit at the root
    roots.push_back(c);
  }
  const uint64_t nmid = 500 + samples / 50;
  for (uint64_t i = 0; i < nmid; ++i) middles.push_back(chain(cr, cr.range(5, 12)));

  const uint64_t nsites = std::min<uint64_t>(nloc - kNStd, 1500 + samples / 400);
  const uint64_t total = samples + variant * samples / 20;
  std::vector<uint64_t> stack;
  for (uint64_t s = 0; s < total; ++s) {
    Rng r(mix(1234, s));
    stack.clear();
    // Leaf: a runtime allocation entry, then a few std frames, then unique program frames.
    stack.push_back(14 + r.below(3));
    if (r.below(2)) stack.push_back(6 + r.below(9));
    // The first program frame (the allocation site) comes from a pool of a few thousand, as
    // in real services; its callers are drawn from all locations.
    stack.push_back(kNStd + 1 + r.below(nsites));
    for (auto x : chain(r, r.range(2, 6))) stack.push_back(x);
    const auto& mid = middles[r.below(middles.size())];
    stack.insert(stack.end(), mid.begin(), mid.end());
    const auto& mid2 = middles[r.below(middles.size())];
    stack.insert(stack.end(), mid2.begin(), mid2.end());
    const auto& root = roots[r.below(roots.size())];
    stack.insert(stack.end(), root.begin(), root.end());

    auto* smp = p.add_sample();
    for (auto id : stack) smp->add_location_id(id);
    const int64_t size = int64_t(16) << r.below(12);
    const bool leaky = s % 20 == 0;
    const int64_t alloc_n = int64_t(r.range(1, 400)) * (1 + int64_t(variant));
    int64_t inuse_n = leaky ? int64_t(r.range(1, 50)) * (1 + int64_t(variant))
                            : int64_t(Rng(mix(s, variant)).below(40));
    if (inuse_n > alloc_n) inuse_n = alloc_n;
    smp->add_value(alloc_n);
    smp->add_value(alloc_n * size);
    smp->add_value(inuse_n);
    smp->add_value(inuse_n * size);
    auto* label = smp->add_label();
    label->set_key(str("bytes"));
    label->set_num(size);
  }
  for (const auto& s : strings) p.add_string_table(s);
  std::string bytes;
  if (!p.SerializeToString(&bytes)) return 1;
  gzFile gz = gzopen(out, "wb6");
  if (!gz) return perror(out), 1;
  for (size_t off = 0; off < bytes.size(); off += 1 << 20) {
    const unsigned n = unsigned(std::min<size_t>(1 << 20, bytes.size() - off));
    if (gzwrite(gz, bytes.data() + off, n) != int(n)) return 1;
  }
  return gzclose(gz) == Z_OK ? 0 : 1;
}

// -------------------------------------------------------------------------------- heaptrack

// Writes an interpreted trace: definitions emitted lazily before first use, like
// heaptrack_interpret; a live set so that every '-' frees a block that is live.
int gen_heaptrack(uint64_t events) {
  FILE* o = stdout;
  static char buf[1 << 20];
  setvbuf(o, buf, _IOFBF, sizeof buf);
  std::fprintf(o, "v 10400 3\nX ./shopd --port 8080\nI 1000 5e2919\n");
  const uint64_t nsites = std::min<uint64_t>(200000, 2000 + events / 500);
  const uint64_t nips = nsites / 2 + 500;
  const uint64_t nfuncs = nips / 2 + 100;
  uint64_t strings = 0;
  auto def_string = [&](const std::string& s) {
    std::fprintf(o, "s %zx %s\n", s.size(), s.c_str());
    return ++strings;
  };
  const uint64_t mod_exe = def_string("/usr/local/bin/shopd");
  const uint64_t mod_cxx = def_string("/lib/x86_64-linux-gnu/libstdc++.so.6");
  const uint64_t mod_c = def_string("/lib/x86_64-linux-gnu/libc.so.6");
  // Lazily defined strings, ips, traces, alloc infos.
  std::vector<uint64_t> func_str(nfuncs, 0), file_str(200, 0);
  std::vector<uint64_t> ip_index(nips, 0);
  uint64_t ips = 0, traces = 0, infos = 0;
  Rng g(99);
  struct Ip { uint64_t func, file, line, inl_func; bool lib; };
  std::vector<Ip> ipdef(nips);
  for (uint64_t i = 0; i < nips; ++i)
    ipdef[i] = {g.below(nfuncs), g.below(200), g.range(1, 3000),
                i % 8 == 0 ? g.below(nfuncs) + 1 : 0, i < 40};
  auto fstr = [&](uint64_t f) {
    if (!func_str[f]) {
      std::string name = f == 0 ? "operator new(unsigned long)"
                       : f < 20 ? "std::vector<int, std::allocator<int> >::_M_realloc_insert" + std::to_string(f) + "(int&&)"
                                : "shop::svc" + std::to_string(f % 97) + "::Handler" + std::to_string(f) +
                                      "::process(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)";
      func_str[f] = def_string(name);
    }
    return func_str[f];
  };
  auto filestr = [&](uint64_t f) {
    if (!file_str[f]) file_str[f] = def_string("/src/shopd/svc/file" + std::to_string(f) + ".cpp");
    return file_str[f];
  };
  auto ip = [&](uint64_t i) {
    if (!ip_index[i]) {
      const Ip& d = ipdef[i];
      if (i == 0) {
        std::fprintf(o, "i %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", 0x7f0000001000 + i * 0x40, mod_cxx, fstr(0));
      } else if (d.lib) {
        std::fprintf(o, "i %" PRIx64 " %" PRIx64 "\n", 0x7f0000001000 + i * 0x40, mod_c);
      } else {
        const uint64_t fn = fstr(d.func), fl = filestr(d.file);
        if (d.inl_func) {
          const uint64_t ifn = fstr(d.inl_func % nfuncs);
          std::fprintf(o, "i %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 "\n",
                       0x55ff00000000 + i * 0x40, mod_exe, ifn, fl, d.line + 7, fn, fl, d.line);
        } else {
          std::fprintf(o, "i %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 "\n",
                       0x55ff00000000 + i * 0x40, mod_exe, fn, fl, d.line);
        }
      }
      ip_index[i] = ++ips;
    }
    return ip_index[i];
  };
  // Call tree: a trie of (parent trace, ip) -> trace index; sites are root-to-leaf paths.
  std::unordered_map<uint64_t, uint64_t> trie;
  auto trace = [&](uint64_t parent, uint64_t ipi) {
    const uint64_t key = parent * 1000003 + ipi;
    auto it = trie.find(key);
    if (it != trie.end()) return it->second;
    const uint64_t id = ip(ipi);
    std::fprintf(o, "t %" PRIx64 " %" PRIx64 "\n", id, parent);
    trie.emplace(key, ++traces);
    return traces;
  };
  // Site s: root chain shared by many sites, then unique frames, operator new at the leaf.
  std::vector<uint64_t> site_trace(nsites, 0);
  auto site = [&](uint64_t s) {
    if (!site_trace[s]) {
      Rng r(mix(555, s));
      uint64_t t = 0;
      Rng root(mix(777, s % 32));
      for (int d = 0, n = int(root.range(6, 12)); d < n; ++d) t = trace(t, 40 + root.below(nips - 40));
      for (int d = 0, n = int(r.range(8, 22)); d < n; ++d) t = trace(t, 40 + r.below(nips - 40));
      if (r.below(3) == 0) t = trace(t, 1 + r.below(39));  // a library frame
      if (r.below(2)) t = trace(t, 0);                      // operator new
      site_trace[s] = t;
    }
    return site_trace[s];
  };
  // Alloc infos: (site, size class) -> index, 4 size classes per site.
  std::vector<uint64_t> info_of(nsites * 4, UINT64_MAX);
  std::vector<uint64_t> live;  // alloc info indices of live blocks
  Rng ev(2024);
  uint64_t ms = 0, since_c = 0;
  for (uint64_t e = 0; e < events; ++e) {
    const bool free_one = !live.empty() && ev.below(100) < 47;
    if (free_one) {
      const size_t k = ev.below(live.size());
      const uint64_t info = live[k];
      live[k] = live.back();
      live.pop_back();
      std::fprintf(o, "- %" PRIx64 "\n", info);
    } else {
      // Zipf-ish: a few hot sites, a long tail.
      const uint64_t u = ev.below(nsites), s = ev.below(4) ? u % (nsites / 20 + 1) : u;
      const uint64_t cls = ev.below(4), slot = s * 4 + cls;
      if (info_of[slot] == UINT64_MAX) {
        const uint64_t t = site(s);
        std::fprintf(o, "a %" PRIx64 " %" PRIx64 "\n", (uint64_t(16) << (cls * 3)) + s % 64, t);
        info_of[slot] = infos++;
      }
      std::fprintf(o, "+ %" PRIx64 "\n", info_of[slot]);
      // Leaky sites (every 50th) never free; others join the live set.
      if (s % 50 != 0 || ev.below(10) == 0) live.push_back(info_of[slot]);
    }
    if (++since_c == 2000) {
      since_c = 0;
      ms += 10;
      std::fprintf(o, "c %" PRIx64 "\n", ms);
      if (ms % 100 == 0) std::fprintf(o, "R %" PRIx64 "\n", 0x3000 + ms / 10);
    }
  }
  std::fprintf(o, "c %" PRIx64 "\nR %" PRIx64 "\n\n# strings: %" PRIx64 "\n# ips: %" PRIx64 "\n",
               ms + 5, 0x3000 + ms / 10, strings, ips);
  return std::fflush(o) == 0 ? 0 : 1;
}

// ----------------------------------------------------------------------------------- massif

struct MNode {
  std::string desc;
  std::vector<int> kids;  // indices into the node pool
  int leaf = -1;          // leaf path index, or -1
  uint64_t bytes = 0;
};

int gen_massif(uint64_t snapshots, uint64_t sites) {
  FILE* o = stdout;
  static char buf[1 << 20];
  setvbuf(o, buf, _IOFBF, sizeof buf);
  // The inverted call tree: root -> allocation sites -> callers ... -> main.
  std::vector<MNode> pool(1);
  pool[0].desc = "(heap allocation functions) malloc/new/new[], --alloc-fns, etc.";
  Rng g(31337);
  std::vector<uint64_t> leaf_growth;  // per leaf: bytes added per snapshot (0 = not leaking)
  std::vector<uint64_t> leaf_base;
  uint64_t addr = 0x109000;
  auto desc = [&](const std::string& fn, uint64_t file, uint64_t line) {
    char a[32];
    std::snprintf(a, sizeof a, "0x%" PRIX64 ": ", addr += 0x1d);
    return std::string(a) + fn + " (file" + std::to_string(file) + ".cpp:" + std::to_string(line) + ")";
  };
  std::vector<std::string> callers;
  for (int i = 0; i < 400; ++i)
    callers.push_back("app::mod" + std::to_string(i % 23) + "::Worker" + std::to_string(i) + "::run(int)");
  for (uint64_t s = 0; s < sites; ++s) {
    const int site = int(pool.size());
    pool.push_back({desc("app::Cache" + std::to_string(s % 211) + "::insert" + std::to_string(s) +
                             "(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)",
                         s % 300, g.range(10, 900)),
                    {}, -1, 0});
    pool[0].kids.push_back(site);
    const int branches = g.below(4) == 0 ? 2 : 1;
    for (int b = 0; b < branches; ++b) {
      int parent = site;
      for (int d = 0, n = int(g.range(2, 7)); d < n; ++d) {
        const int k = int(pool.size());
        pool.push_back({desc(callers[g.below(callers.size())], g.below(300), g.range(10, 900)), {}, -1, 0});
        pool[size_t(parent)].kids.push_back(k);
        parent = k;
      }
      const int k = int(pool.size());
      pool.push_back({desc("main", 0, g.range(10, 90)), {}, int(leaf_growth.size()), 0});
      pool[size_t(parent)].kids.push_back(k);
      leaf_growth.push_back(s % 40 == 0 ? g.range(100, 5000) : 0);
      leaf_base.push_back(g.range(1, 100000));
    }
  }
  std::fprintf(o, "desc: --time-unit=B --detailed-freq=1\ncmd: ./shopd --port 8080\ntime_unit: B\n");
  uint64_t time = 0;
  std::vector<std::pair<int, int>> stack;  // node, depth
  for (uint64_t n = 0; n < snapshots; ++n) {
    // Leaf values for this snapshot; inner nodes sum their children.
    std::vector<int> order;  // post-order via explicit stack
    std::vector<int> todo{0};
    while (!todo.empty()) {
      int v = todo.back();
      todo.pop_back();
      order.push_back(v);
      for (int k : pool[size_t(v)].kids) todo.push_back(k);
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      MNode& nd = pool[size_t(*it)];
      if (nd.leaf >= 0) {
        const size_t l = size_t(nd.leaf);
        nd.bytes = leaf_base[l] + leaf_growth[l] * n + Rng(mix(l, n)).below(leaf_base[l] / 4 + 1);
      } else {
        nd.bytes = 0;
        for (int k : nd.kids) nd.bytes += pool[size_t(k)].bytes;
      }
    }
    const uint64_t heap = pool[0].bytes;
    time += heap / 8 + 1000;
    const bool detailed = n % 4 == 3 || n + 1 == snapshots;
    std::fprintf(o, "#-----------\nsnapshot=%" PRIu64 "\n#-----------\ntime=%" PRIu64
                    "\nmem_heap_B=%" PRIu64 "\nmem_heap_extra_B=%" PRIu64 "\nmem_stacks_B=0\nheap_tree=%s\n",
                 n, time, heap, heap / 50, detailed ? "detailed" : "empty");
    if (!detailed) continue;
    stack.assign(1, {0, 0});
    std::string indent;
    while (!stack.empty()) {
      auto [v, depth] = stack.back();
      stack.pop_back();
      MNode& nd = pool[size_t(v)];
      std::fprintf(o, "%*sn%zu: %" PRIu64 " %s\n", depth, "", nd.kids.size(), nd.bytes, nd.desc.c_str());
      std::vector<int> kids = nd.kids;
      std::stable_sort(kids.begin(), kids.end(),
                       [&](int a, int b) { return pool[size_t(a)].bytes > pool[size_t(b)].bytes; });
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, depth + 1});
    }
  }
  return std::fflush(o) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto arg = [&](int i) { return std::strtoull(argv[i], nullptr, 10); };
  if (argc == 5 && !std::strcmp(argv[1], "pprof")) return gen_pprof(argv[2], arg(3), arg(4));
  if (argc == 3 && !std::strcmp(argv[1], "heaptrack")) return gen_heaptrack(arg(2));
  if (argc == 4 && !std::strcmp(argv[1], "massif")) return gen_massif(arg(2), arg(3));
  std::fprintf(stderr,
               "usage: bench_gen pprof OUT.pb.gz SAMPLES VARIANT\n"
               "       bench_gen heaptrack EVENTS > trace\n"
               "       bench_gen massif SNAPSHOTS SITES > massif.out\n");
  return 2;
}
