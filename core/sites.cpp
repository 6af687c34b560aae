#include "core/sites.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "core/frame_class.h"
#include "core/flat_index.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/verdict.h"

namespace memleak::core {

namespace {

std::string_view basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A name in a key: the key's separator bytes ('\x1d' between function and file, '\x1f'
// between frames, '\x1e' before a caller path) written as '?', so that one name cannot read
// as two frames (core/site_key.h). Real names never hold these control bytes.
void append_name(std::string& out, std::string_view name) {
  const size_t from = out.size();
  out += name;
  for (size_t i = from; i < out.size(); ++i)
    if (out[i] == '\x1d' || out[i] == '\x1e' || out[i] == '\x1f') out[i] = '?';
}

// One frame's symbolic identity: its piece of a site key's text (core/site_key.h).
void frame_piece(std::string& out, const Profile& p, FrameId id, bool with_line) {
  const Frame& f = p.frames[id];
  out.clear();
  if (f.function != 0) {
    append_name(out, p.strings[f.function]);
  } else {
    // Unsymbolized: module and address are all there is.
    append_name(out, basename(p.strings[f.module]));
    fmt::format_to(std::back_inserter(out), "+{:#x}", f.address);
  }
  out += '\x1d';
  append_name(out, basename(p.strings[f.file]));
  if (with_line) fmt::format_to(std::back_inserter(out), ":{}", f.line);
}

// Frame ids of one profile -> ids of their pieces in the alignment's KeyTable, each piece
// made once per frame (not once per site that has the frame).
class PieceIds {
 public:
  PieceIds(const Profile& p, KeyTable& table, bool with_line)
      : p_(p), table_(table), with_line_(with_line), ids_(p.frames.size(), kNone) {}
  uint32_t operator()(FrameId id) {
    uint32_t& piece = ids_[id];
    if (piece == kNone) {
      frame_piece(text_, p_, id, with_line_);
      piece = table_.intern(text_);
    }
    return piece;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  const Profile& p_;
  KeyTable& table_;
  bool with_line_;
  std::vector<uint32_t> ids_;
  std::string text_;
};

// std::regex recurses once per character matched: a name from the input of hundreds of KB
// would overflow the stack. Real symbol names are far shorter; longer ones are matched on
// their first kMaxMatchedName bytes.
constexpr size_t kMaxMatchedName = 1024;

bool stack_matches(const Profile& p, StackView stack, const std::regex& re) {
  for (FrameId id : stack) {
    const auto name = p.strings[p.frames[id].function].substr(0, kMaxMatchedName);
    if (std::regex_search(name.begin(), name.end(), re)) return true;
  }
  return false;
}

// Index of the first frame after the leaf's allocator frames.
size_t first_non_allocator(const FrameSource& kinds, StackView stack) {
  size_t i = 0;
  while (i + 1 < stack.size() && kinds.kind(stack[i]) == FrameKind::Allocator) ++i;
  return i;
}

// End (exclusive) of the path from `from` up to and including the next program frame;
// stack.size() when there is none.
size_t through_next_program(const FrameSource& kinds, StackView stack, size_t from) {
  for (size_t i = from; i < stack.size(); ++i)
    if (kinds.kind(stack[i]) == FrameKind::Program) return i + 1;
  return stack.size();
}

// The site's frames of `stack`: [begin, end).
std::pair<size_t, size_t> site_range(const FrameSource& kinds, StackView stack,
                                     Granularity granularity) {
  if (stack.empty()) return {0, 0};
  const size_t begin = first_non_allocator(kinds, stack);
  const size_t end =
      granularity == Granularity::Stack ? stack.size() : through_next_program(kinds, stack, begin);
  return {begin, end};
}

// Where `stack`'s site ends and its caller path (the site extended through `drill_depth` more
// program frames) ends: {site_begin, site_end, path_end}.
struct PathRange {
  size_t site_begin, site_end, path_end;
};
PathRange path_range(const FrameSource& kinds, StackView stack, const KeyPolicy& policy,
                     int drill_depth) {
  const auto [site_begin, site_end] = site_range(kinds, stack, policy.granularity);
  size_t path_end = site_end;
  if (drill_depth > 0 && policy.granularity != Granularity::Stack)
    for (int d = 0; d < drill_depth && path_end < stack.size(); ++d)
      path_end = through_next_program(kinds, stack, path_end);
  return {site_begin, site_end, path_end};
}

// SiteSeries::seen, exactly as the series' values would tell it if they kept every metric:
// some snapshot's sum over the series' samples, in any metric, is not 0 (samples may cancel:
// pprof values can be negative). Most series get one sample a snapshot, so a series' first
// sample in a snapshot is only pointed at, and a second one starts a sum (SeenSums::spilled);
// at the snapshot's end each touched series is checked and cleared. 16 bytes a series.
struct SeenSum {
  const Values* first = nullptr;  // the series' first sample in this snapshot, or null
  int32_t spill = -1;             // its sum in SeenSums::spilled, once a second sample came
  bool seen = false;
};

class SeenSums {
 public:
  // `v` lives until end_snapshot() (the snapshot's samples do).
  void add(SeenSum& s, const Values& v) {
    if (!s.first) {
      s.first = &v;
      touched_.push_back(&s);
      return;
    }
    if (s.spill < 0) {
      s.spill = int32_t(spilled_.size());
      spilled_.emplace_back() += *s.first;  // summed from 0 as the values are (clamped)
    }
    spilled_[size_t(s.spill)] += v;
  }
  void end_snapshot() {
    for (SeenSum* s : touched_) {
      s->seen |= s->spill < 0 ? !s->first->is_zero() : !spilled_[size_t(s->spill)].is_zero();
      s->first = nullptr;
      s->spill = -1;
    }
    touched_.clear();
    spilled_.clear();
  }

 private:
  std::vector<SeenSum*> touched_;
  std::vector<Values> spilled_;
};

// A series' representative stack: that of its largest sample so far (the last of equals).
struct BestStack {
  int64_t score = -1;  // magnitude of the sample
  const Profile* profile = nullptr;
  StackId stack = 0;
  void offer(int64_t sample_score, const Profile* p, StackId id) {
    if (sample_score >= score) *this = {sample_score, p, id};
  }
};
// A made caller path's state beside its values: whether it is seen, and its representative
// stack, as a site has one (a caller path's row is drawn, and suppressed, by it: its frames
// end at the caller). 40 bytes a caller path.
struct CallerState {
  SeenSum seen;
  BestStack best;
};

// Where the samples of a stack (of a site path) go. The values are reached through pointers,
// not through the series: a series' values live in a vector of their own, which stays put when the series
// vectors grow (moving a vector keeps its buffer), and one pointer less to chase per sample.
struct StackSite {
  int32_t site = -1;    // index into sites (for its representative stack)
  SeriesValue* site_values = nullptr;    // the site's values, per snapshot
  SeriesValue* caller_values = nullptr;  // the caller path's, or null (none, or not made yet)
  SeenSum* site_seen = nullptr;
  CallerState* caller = nullptr;  // null when caller_values is
  int32_t next_waiting = -1;  // the slice's next path waiting on the same caller path
};

// A site's caller paths are made lazily. Most sites have only one, which would be the site
// over again and is never kept (align's end), so the first is only remembered, with no
// values: as long as every sample of the site comes through it, its values are the site's.
// It is made (the site's values copied) when a second caller path or a path with none
// appears: those come at the start of a snapshot, when the site's values so far are complete
// and the rest are zero, so the copy is exact. A 20M-event heaptrack trace: 22.4k of 29.5k
// sites have one caller path; made eagerly they cost 14 MB at align's peak.
struct CallerPaths {
  // The only caller path so far, not made: where it lies in a stack (its key and frames are
  // made from there when it is; a key and a frame list each would be 120 bytes a site).
  struct First {
    const Profile* profile;
    StackId stack;
    uint32_t site_begin, site_end, path_end;
  };
  std::optional<First> first;
  bool path_without_caller = false;  // a path of the site has no caller path
  SeenSum site_seen;
  std::vector<CallerState*> caller_state;  // per made caller path, indexed as the site's callers
  // The slice's paths whose caller path is `first` (a list through StackSite::next_waiting),
  // to be pointed at its values when it is made; valid for `waiting_slice` only.
  size_t waiting_slice = SIZE_MAX;
  int32_t waiting = -1;
};

static_assert(std::is_nothrow_move_constructible_v<SiteSeries>,
              "StackSite keeps pointers into SiteSeries::values: growing a vector of series "
              "must move them (keeping their buffers), never copy");

// Samples whose targets are fetched ahead of their turn.
constexpr size_t kPrefetchDistance = 8;

void prefetch_for_write(const SeriesValue* v) {
  __builtin_prefetch(v, 1);
  __builtin_prefetch(reinterpret_cast<const char*>(v + 1) - 1, 1);  // may span two lines
}

// What a sample adds to a series' value in one snapshot (as Values::operator+= adds).
struct SampleAdder {
  Metric metric;
  std::optional<Metric> partner;
  void operator()(SeriesValue& cell, const Values& v) const {
    cell.value = clamped_add(cell.value, clamped_add(v[metric], 0));
    if (partner) cell.partner = clamped_add(cell.partner, clamped_add(v[*partner], 0));
  }
};

// A series of `n` zero values.
SiteSeries new_series(SiteKey key, FrameList frames, size_t n) {
  SiteSeries s;
  s.key = std::move(key);
  s.frames = std::move(frames);
  s.values.resize(n);
  return s;
}

// Sum of absolute values, saturating: values come from untrusted input and may be INT64_MIN.
int64_t magnitude(const Values& v) {
  uint64_t m = 0;
  for (auto x : v.v) {
    const uint64_t a = x < 0 ? 0 - uint64_t(x) : uint64_t(x);
    m = a > UINT64_MAX - m ? UINT64_MAX : m + a;
  }
  return m > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(m);
}

// Series looked up by key, the keys stored once: in the series themselves (a map from key
// strings held a second copy of every key through the alignment: 8 MB of a 10M-event
// heaptrack trace's 56 MB peak). Keys are runs of piece ids of the alignment's one KeyTable
// (core/site_key.h), compared as ids. An entry is (site, caller) packed in 64 bits, caller -1
// for the site itself. The index is a FlatIndex (std::unordered_set was 0.05 s of the 0.15 s
// alignment of the 10M-event heaptrack trace: cache misses on its nodes, their frees).
class SeriesIndex {
 public:
  struct Key {
    int32_t site;  // -1: a site key; else the site whose caller paths are searched
    const uint32_t* ids;
    uint32_t size;
  };
  explicit SeriesIndex(const std::vector<SiteSeries>& sites) : sites_(sites) {}
  // The index of the series with this key, or -1.
  int32_t find(Key k) const {
    const uint64_t e = index_.find(hash(k), [&](uint64_t entry) { return same(k, key_of(entry)); });
    return e == Index::kNone ? -1 : unpack(e, k.site);
  }
  // `k` is not in the index yet.
  void add(Key k, int32_t index) {
    index_.add(hash(k), k.site < 0 ? pack(index, -1) : pack(k.site, index));
  }

 private:
  using Index = FlatIndex<uint64_t>;  // (kNone is never a packed entry: sites are >= 0)
  static uint64_t pack(int32_t site, int32_t caller) {
    return uint64_t(uint32_t(site)) << 32 | uint32_t(caller);
  }
  static int32_t unpack(uint64_t e, int32_t site) {
    return site < 0 ? int32_t(uint32_t(e >> 32)) : int32_t(uint32_t(e));
  }
  Key key_of(uint64_t e) const {
    const auto site = int32_t(uint32_t(e >> 32)), caller = int32_t(uint32_t(e));
    const SiteKey& key = caller < 0 ? sites_[size_t(site)].key
                                    : sites_[size_t(site)].callers[size_t(caller)].key;
    return {caller < 0 ? -1 : site, key.ids(), key.size()};
  }
  static bool same(Key a, Key b) {
    return a.site == b.site && a.size == b.size && std::equal(a.ids, a.ids + a.size, b.ids);
  }
  static uint64_t hash(Key k) {
    const std::string_view bytes(reinterpret_cast<const char*>(k.ids), k.size * sizeof(uint32_t));
    return hash_bytes(bytes) ^ (uint64_t(uint32_t(k.site)) * 0x9e3779b97f4a7c15ULL);
  }
  const std::vector<SiteSeries>& sites_;
  Index index_;
};

// What one slice's stacks come to before the slices meet: each stack's path (the site's
// frames and its caller path, as frame ids), and per distinct path, in order of first use,
// where it lies in the first stack that has it. Walking every stack to its site and interning
// its path is most of align's work when every sample is a stack of its own (pprof), and it
// needs nothing but the slice's own profile: the slices do it at once, on a thread each. The
// keys are built after, one path at a time (all at once would hold every path's key twice).
struct SlicePaths {
  static constexpr int32_t kUnused = -2, kFilteredOut = -1;
  struct Path {
    StackId first_stack = 0;
    uint32_t site_begin = 0, site_end = 0, path_end = 0;  // frames of first_stack
  };
  std::vector<int32_t> stack_path;  // per stack of the profile: index into paths, or k*
  std::vector<Path> paths;
  // Per snapshot of the slice: the paths first used in it or before (a series is made only
  // when its first snapshot is added, so that a long input does not hold all of its series
  // and all of its samples at once).
  std::vector<uint32_t> paths_by_snapshot;
};

SlicePaths find_paths(const ProfileSlice& slice, const FrameSource& kinds,
                      const KeyPolicy& policy, int drill_depth) {
  const Profile& p = *slice.profile;
  SlicePaths out;
  out.stack_path.assign(p.stacks.size(), SlicePaths::kUnused);
  StackTable ids;  // path frame ids -> index into out.paths (interned in order of first use)
  for (const Snapshot& snap : slice.snapshots) {
    for (const StackSample& sample : snap.samples) {
      int32_t& path = out.stack_path[sample.stack];
      if (path != SlicePaths::kUnused) continue;
      const StackView stack = p.stacks[sample.stack];
      if ((policy.focus && !stack_matches(p, stack, *policy.focus)) ||
          (policy.ignore && stack_matches(p, stack, *policy.ignore))) {
        path = SlicePaths::kFilteredOut;
        continue;
      }
      const auto [site_begin, site_end, path_end] = path_range(kinds, stack, policy, drill_depth);
      // Stacks that share the frames of their site and caller path share both: look the
      // frame ids up before building a symbolic key (most stacks differ only above it).
      const StackId id = ids.intern(stack.subspan(site_begin, path_end - site_begin));
      path = int32_t(id);
      if (id == out.paths.size())
        out.paths.push_back({sample.stack, uint32_t(site_begin), uint32_t(site_end), uint32_t(path_end)});
    }
    out.paths_by_snapshot.push_back(uint32_t(out.paths.size()));
  }
  return out;
}

}  // namespace

std::optional<Granularity> parse_granularity(std::string_view text) {
  if (text == "function") return Granularity::Function;
  if (text == "line") return Granularity::Line;
  if (text == "stack") return Granularity::Stack;
  return std::nullopt;
}

std::string_view granularity_name(Granularity g) {
  switch (g) {
    case Granularity::Function: return "function";
    case Granularity::Line: return "line";
    case Granularity::Stack: return "stack";
  }
  return "function";
}

SiteFrame resolve_frame(const Profile& p, FrameId id) {
  const FrameId ids[] = {id};
  return FrameList(std::make_shared<const FrameSource>(p), ids)[0];
}

std::vector<size_t> site_frame_indices(const Profile& p, StackView stack,
                                       Granularity granularity) {
  const FrameSource kinds(p);
  const auto [begin, end] = site_range(kinds, stack, granularity);
  std::vector<size_t> out;
  for (size_t i = begin; i < end; ++i) out.push_back(i);
  return out;
}

AlignedSeries align(const std::vector<const Profile*>& profiles, const KeyPolicy& policy,
                    int drill_depth) {
  std::vector<ProfileSlice> slices;
  for (const Profile* p : profiles) slices.push_back({p, p->snapshots});
  return align(slices, policy, drill_depth);
}

AlignedSeries align(const std::vector<ProfileSlice>& slices, const KeyPolicy& policy,
                    int drill_depth, const SnapshotAligned& aligned) {
  AlignedSeries out;
  size_t n = 0;
  for (const auto& slice : slices) n += slice.snapshots.size();
  // The drill-down splits a site only into caller paths with verdict leak, which needs
  // kMinLeakSnapshots snapshots: shorter series (pairs) need no caller paths at all.
  if (n < size_t(kMinLeakSnapshots)) drill_depth = 0;
  bool first_profile = true;
  for (const auto& slice : slices) {
    const Profile* p = slice.profile;
    if (first_profile) {
      out.metrics = p->metrics;
      out.time_unit = p->time_unit;
      out.kind = p->kind;
      out.format = p->format;
      first_profile = false;
    } else {
      if (!p->shared_clock || !slices.front().profile->shared_clock) out.time_unit = TimeUnit::None;
      MetricMask both;
      for (size_t m = 0; m < kMetricCount; ++m)
        if (out.metrics.has(Metric(m)) && p->metrics.has(Metric(m))) both.add(Metric(m));
      out.metrics = both;
      if (out.time_unit != p->time_unit) out.time_unit = TimeUnit::None;
    }
    out.sampling_period = std::max(out.sampling_period, p->sampling_period);
  }

  out.metric = policy.metric;
  out.partner = partner_metric(policy.metric);
  const SampleAdder add{out.metric, out.partner};

  SeriesIndex index(out.sites);  // sites, and each site's caller paths, by key
  const bool with_line = policy.granularity != Granularity::Function;
  const auto keys = policy.keys ? policy.keys : std::make_shared<KeyTable>();
  std::vector<BestStack> best;  // per site: its representative stack, resolved once, at the end
  std::deque<CallerPaths> caller_paths;  // per site (a deque: StackSite points into it)
  std::deque<CallerState> caller_state;  // one per made caller path (stays put too)
  SeenSums seen;

  std::unordered_map<const Profile*, std::shared_ptr<const FrameSource>> sources;
  std::unordered_map<const Profile*, PieceIds> piece_ids;
  for (const auto& slice : slices) {
    auto& source = sources[slice.profile];
    if (!source) source = std::make_shared<const FrameSource>(*slice.profile);
    piece_ids.try_emplace(slice.profile, *slice.profile, *keys, with_line);
  }
  // The key ids of a site's first caller path (CallerPaths::First).
  auto first_key = [&](const CallerPaths::First& f, std::vector<uint32_t>& ids) {
    PieceIds& pieces = piece_ids.at(f.profile);
    const StackView stack = f.profile->stacks[f.stack];
    ids.clear();
    for (size_t i = f.site_begin; i < f.site_end; ++i) ids.push_back(pieces(stack[i]));
    ids.push_back(SiteKey::kCallerMark);
    for (size_t i = f.site_end; i < f.path_end; ++i) ids.push_back(pieces(stack[i]));
  };
  // The slices' paths, a window of slices at once, one thread each (FrameSource classifies
  // frames lazily and atomically); a window as wide as the threads, so that a long series
  // does not hold every slice's paths at once.
  std::vector<SlicePaths> slice_paths(slices.size());
  const size_t window = std::max<size_t>(1, default_workers());
  size_t g = 0;  // global snapshot index
  for (size_t slice_index = 0; slice_index < slices.size(); ++slice_index) {
    if (slice_index % window == 0) {
      const size_t first = slice_index;
      parallel_chunks(std::min(window, slices.size() - first), 1, 0, [&](size_t begin, size_t end) {
        for (size_t i = first + begin; i < first + end; ++i)
          slice_paths[i] = find_paths(slices[i], *sources.at(slices[i].profile), policy, drill_depth);
      });
    }
    const ProfileSlice& slice = slices[slice_index];
    const Profile* p = slice.profile;
    const std::shared_ptr<const FrameSource>& source = sources.at(p);
    SlicePaths& found = slice_paths[slice_index];
    // Finds or creates the site and caller series of the slice's next paths, up to `end`, by
    // key, in order of first use, slice after slice, as the samples come: the series are
    // those of adding one sample after another, whichever thread found the paths.
    std::vector<StackSite> path_sites;
    path_sites.reserve(found.paths.size());
    PieceIds& piece_of = piece_ids.at(p);
    std::vector<uint32_t> key, ckey, fkey;
    // Makes the first caller path of site `site_index`, with the site's values so far, and
    // points the slice's paths waiting on it at it.
    auto make_first = [&](int32_t site_index) {
      SiteSeries& site = out.sites[size_t(site_index)];
      CallerPaths& lazy = caller_paths[size_t(site_index)];
      const CallerPaths::First& f = *lazy.first;
      first_key(f, fkey);
      SiteSeries made;
      made.key = SiteKey::make(keys, fkey);
      made.frames = FrameList(sources.at(f.profile),
                              f.profile->stacks[f.stack].subspan(f.site_begin, f.path_end - f.site_begin));
      made.values = site.values;
      site.callers.push_back(std::move(made));
      const SiteKey& added = site.callers.back().key;
      index.add({site_index, added.ids(), added.size()}, 0);
      // Seen in the snapshots before this one (each is checked at its end) as the site was.
      // Seen, and its largest sample, as the site so far (every sample so far came through it).
      caller_state.push_back({{nullptr, -1, lazy.site_seen.seen}, best[size_t(site_index)]});
      lazy.caller_state.push_back(&caller_state.back());
      SeriesValue* values = site.callers.back().values.data();
      if (lazy.waiting_slice == slice_index)
        for (int32_t w = lazy.waiting; w >= 0; w = path_sites[size_t(w)].next_waiting) {
          path_sites[size_t(w)].caller_values = values;
          path_sites[size_t(w)].caller = lazy.caller_state[0];
        }
      lazy.first.reset();
    };
    auto place_paths = [&](size_t end) {
      for (size_t j = path_sites.size(); j < end; ++j) {
        const SlicePaths::Path& path = found.paths[j];
        const StackView stack = p->stacks[path.first_stack];
        StackSite c;
        key.clear();
        for (size_t i = path.site_begin; i < path.site_end; ++i) key.push_back(piece_of(stack[i]));
        c.site = index.find({-1, key.data(), uint32_t(key.size())});
        if (c.site < 0) {
          c.site = int32_t(out.sites.size());
          out.sites.push_back(new_series(
              SiteKey::make(keys, key),
              FrameList(source, stack.subspan(path.site_begin, path.site_end - path.site_begin)),
              n));
          const SiteKey& added = out.sites.back().key;
          index.add({-1, added.ids(), added.size()}, c.site);
          best.push_back({-1, p, path.first_stack});
          caller_paths.emplace_back();
        }
        SiteSeries& site = out.sites[size_t(c.site)];
        CallerPaths& lazy = caller_paths[size_t(c.site)];
        c.site_values = site.values.data();
        c.site_seen = &lazy.site_seen;
        if (path.path_end > path.site_end) {
          ckey = key;
          ckey.push_back(SiteKey::kCallerMark);
          for (size_t i = path.site_end; i < path.path_end; ++i) ckey.push_back(piece_of(stack[i]));
          bool waits = false;
          if (site.callers.empty() && !lazy.path_without_caller) {
            if (!lazy.first) {
              lazy.first = CallerPaths::First{p, path.first_stack, path.site_begin, path.site_end,
                                              path.path_end};
              waits = true;
            } else {
              first_key(*lazy.first, fkey);
              waits = fkey == ckey;
              if (!waits) make_first(c.site);
            }
          }
          if (waits) {
            if (lazy.waiting_slice != slice_index) {
              lazy.waiting_slice = slice_index;
              lazy.waiting = -1;
            }
            c.next_waiting = lazy.waiting;
            lazy.waiting = int32_t(path_sites.size());
          } else {
            int32_t caller = index.find({c.site, ckey.data(), uint32_t(ckey.size())});
            if (caller < 0) {
              caller = int32_t(site.callers.size());
              site.callers.push_back(new_series(
                  SiteKey::make(keys, ckey),
                  FrameList(source, stack.subspan(path.site_begin, path.path_end - path.site_begin)),
                  n));
              const SiteKey& added = site.callers.back().key;
              index.add({c.site, added.ids(), added.size()}, caller);
              caller_state.emplace_back();
              lazy.caller_state.push_back(&caller_state.back());
            }
            c.caller_values = site.callers[size_t(caller)].values.data();
            c.caller = lazy.caller_state[size_t(caller)];
          }
        } else {
          if (lazy.first) make_first(c.site);
          lazy.path_without_caller = true;
        }
        path_sites.push_back(c);
      }
    };
    const std::vector<int32_t>& stack_path = found.stack_path;
    auto site_of = [&](StackId stack) -> StackSite* {
      const int32_t path = stack_path[stack];
      return path < 0 ? nullptr : &path_sites[size_t(path)];
    };
    for (size_t snapshot_index = 0; snapshot_index < slice.snapshots.size(); ++snapshot_index) {
      const Snapshot& snap = slice.snapshots[snapshot_index];
      SeriesSnapshot ss;
      ss.source = p->path;
      ss.label = snap.label;
      ss.time = snap.time;
      ss.time_unit = p->time_unit;
      ss.total = snap.total;
      out.snapshots.push_back(std::move(ss));
      place_paths(found.paths_by_snapshot[snapshot_index]);
      const std::vector<StackSample>& samples = snap.samples;
      for (size_t k = 0; k < samples.size(); ++k) {
        // Each sample adds to a series' values somewhere on the heap: fetch those of a later
        // sample now, so that the waits overlap (they were most of the time of this loop).
        if (k + kPrefetchDistance < samples.size()) {
          if (const StackSite* ahead = site_of(samples[k + kPrefetchDistance].stack)) {
            prefetch_for_write(ahead->site_values + g);
            __builtin_prefetch(ahead->site_seen, 1);
            if (ahead->caller_values) {
              prefetch_for_write(ahead->caller_values + g);
              __builtin_prefetch(ahead->caller, 1);
            }
          }
        }
        const StackSample& sample = samples[k];
        StackSite* c = site_of(sample.stack);
        if (!c) continue;
        add(c->site_values[g], sample.values);
        seen.add(*c->site_seen, sample.values);
        const int64_t score = magnitude(sample.values);
        if (c->caller_values) {
          add(c->caller_values[g], sample.values);
          seen.add(c->caller->seen, sample.values);
          c->caller->best.offer(score, p, sample.stack);
        }
        best[size_t(c->site)].offer(score, p, sample.stack);
      }
      seen.end_snapshot();  // (before the samples may go)
      if (aligned) aligned(slice_index, snapshot_index);
      ++g;
    }
    found = SlicePaths();  // this slice is done: its paths are in the series
  }
  // A site's frames are those of its representative stack, not of the first stack that named
  // it: frames of one site differ in what its key leaves out (the line, at function
  // granularity), and the line to show is where the memory is, not that of a first small
  // sample (review: a leak at main.go:146 was shown at :147, a 16-byte stable sample's).
  // A series' representative stack, and frames from it: those of its site (drill_depth 0) or
  // of its caller path.
  auto represent = [&](SiteSeries& series, const BestStack& b, int depth) {
    const std::shared_ptr<const FrameSource>& source = sources.at(b.profile);
    const StackView stack = b.profile->stacks[b.stack];
    const PathRange range = path_range(*source, stack, policy, depth);
    const size_t end = depth == 0 ? range.site_end : range.path_end;
    series.stack = FrameList(source, stack);
    series.frames = FrameList(source, stack.subspan(range.site_begin, end - range.site_begin));
  };
  for (size_t i = 0; i < out.sites.size(); ++i) represent(out.sites[i], best[i], 0);
  for (size_t i = 0; i < out.sites.size(); ++i) {
    SiteSeries& s = out.sites[i];
    s.seen = caller_paths[i].site_seen.seen;
    for (size_t c = 0; c < s.callers.size(); ++c) s.callers[c].seen = caller_paths[i].caller_state[c]->seen.seen;
    // One caller path (made only when the site also has samples without one) never splits
    // the site (the drill-down needs two: add_site_rows in core/analyse.cpp): not kept.
    if (s.callers.size() < 2) {
      std::vector<SiteSeries>().swap(s.callers);
      continue;
    }
    for (size_t c = 0; c < s.callers.size(); ++c)
      if (const BestStack& b = caller_paths[i].caller_state[c]->best; b.profile)
        represent(s.callers[c], b, drill_depth);
    std::sort(s.callers.begin(), s.callers.end(),
              [](const SiteSeries& a, const SiteSeries& b) { return a.key < b.key; });
  }
  return out;
}

}  // namespace memleak::core
