#include "cli/inputs.h"

#include <glob.h>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <memory>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "cli/teardown.h"
#include "core/errors.h"
#include "core/parallel.h"
#include "core/units.h"
#include "formats/heaptrack/heaptrack_reader.h"
#include "formats/reader.h"

namespace memleak::cli {

using core::InputError;
using core::UsageError;

namespace {

// Arguments with glob characters that name no file are expanded here (a shell that did not
// expand them, or a quoted pattern); matches sort in natural order so heap.10 follows heap.9.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const auto na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      const auto ta = na.substr(std::min(na.find_first_not_of('0'), na.size()));
      const auto tb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
      if (ta.size() != tb.size()) return ta.size() < tb.size();
      if (ta != tb) return ta < tb;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<std::string> expand(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    if (a.find_first_of("*?[") == std::string::npos || a == "-") {
      out.push_back(a);
      continue;
    }
    glob_t g{};
    const int rc = ::glob(a.c_str(), 0, nullptr, &g);
    if (rc == 0) {
      std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
      std::sort(matches.begin(), matches.end(), natural_less);
      out.insert(out.end(), matches.begin(), matches.end());
    } else {
      out.push_back(a);  // reading it reports "cannot open"
    }
    globfree(&g);
  }
  return out;
}

std::string metrics_list(const core::Profile& p) {
  if (!p.sample_types.empty()) {
    std::string s;
    for (const auto& t : p.sample_types) s += (s.empty() ? "" : ", ") + t;
    return "its sample types: " + s;
  }
  std::string s;
  for (size_t m = 0; m < core::kMetricCount; ++m)
    if (p.metrics.has(core::Metric(m)))
      s += (s.empty() ? "" : ", ") + std::string(core::metric_info(core::Metric(m)).name);
  return "it has: " + (s.empty() ? std::string("none") : s);
}

bool same_family(const std::string& a, const std::string& b) {
  return a == b || (a.starts_with("pprof") && b.starts_with("pprof"));
}

}  // namespace

LoadedSeries load_inputs(const InputOptions& in, const std::string& metric_name) {
  const auto paths = expand(in.inputs);
  if (paths.empty()) throw UsageError("no input files");
  formats::ReadOptions ro;
  ro.input_format = in.input_format;
  ro.slices = in.slices;
  const auto max = core::parse_size(in.max_input_size);
  if (!max || *max < 1) throw UsageError(fmt::format("--max-input-size: expected SIZE, got '{}'", in.max_input_size));
  ro.max_input_size = uint64_t(*max);
  // (A series needs two slices; the reader itself takes one.)
  if (ro.slices < 2 || ro.slices > formats::kMaxSlices)
    throw UsageError(fmt::format("--slices: expected 2 to {}, got {}", formats::kMaxSlices, ro.slices));
  ro.symbols.enabled = !in.no_symbolize;
  ro.symbols.cache = std::make_shared<formats::symbols::SymbolCache>();  // one per run
  if (in.symbol_path.empty()) {
    // pprof's own variable, so that a setup made for pprof works as it is.
    if (const char* env = std::getenv("PPROF_BINARY_PATH"))
      ro.symbols.search_path = formats::symbols::split_search_path(env);
  } else {
    for (const auto& list : in.symbol_path)
      for (auto& dir : formats::symbols::split_search_path(list))
        ro.symbols.search_path.push_back(std::move(dir));
  }

  std::vector<formats::InputSpec> specs;
  for (const auto& p : paths) specs.push_back(formats::parse_input_spec(p));
  // One input: every snapshot it holds. Several: each is one point of the series, its last
  // snapshot (massif: last detailed; heaptrack: what was live at exit) unless a selector
  // says otherwise. The last input is still read whole, so that its own series can serve as
  // in-run evidence (analyse_series).
  LoadedSeries out;
  for (const auto& s : specs)
    out.last_only.push_back(specs.size() > 1 && s.selector.kind == formats::Selector::Kind::All);
  // Only the last input's own series serves as evidence: the ones before it are read for
  // their last snapshot alone (a heaptrack trace then needs no duration scan and no slices).
  // Not with --order time, where which input is last is known only once all are read.
  if (in.order != "time")
    for (size_t i = 0; i + 1 < specs.size(); ++i)
      if (out.last_only[i]) specs[i].selector = {formats::Selector::Kind::Last, 0, 0, "@last"};

  out.profiles.resize(specs.size());
  // Parse independent files in parallel, a bounded number at a time.
  const size_t workers = core::default_workers();
  if (specs.size() == 1) {
    // On this thread: a worker thread's malloc arena would keep the reader's freed buffers
    // while the analysis grows the main arena (peak RSS = both, not the larger).
    out.profiles[0] = std::make_shared<core::Profile>(formats::read_profile(specs[0], ro));
  }
  // Inputs read at once share the threads: a reader that can split one input (massif) gets
  // its share, not the whole machine each.
  formats::ReadOptions shared = ro;
  shared.threads = std::max<size_t>(1, workers / std::min(workers, specs.size()));
  for (size_t base = 0; specs.size() > 1 && base < specs.size(); base += workers) {
    std::vector<std::future<core::Profile>> jobs;
    for (size_t i = base; i < std::min(specs.size(), base + workers); ++i)
      jobs.push_back(std::async(std::launch::async, [&, i] { return formats::read_profile(specs[i], shared); }));
    for (size_t k = 0; k < jobs.size(); ++k)
      out.profiles[base + k] = std::make_shared<core::Profile>(jobs[k].get());
  }
#ifdef __GLIBC__
  // The readers' transient buffers are free now (in the workers' arenas when several inputs
  // were read at once): give them back before the analysis allocates, so peak RSS is the
  // larger of reading and analysing, not their sum (heaptrack 10M events: 80 -> 68 MiB).
  malloc_trim(0);
#endif

  const core::Profile& first = *out.profiles.front();
  for (const auto& p : out.profiles) {
    if (!same_family(p->format, first.format))
      throw UsageError(fmt::format("{} is {} but {} is {}: a series must be of one format",
                                   p->path, p->format, first.path, first.format));
    if (p->kind != first.kind)
      throw UsageError(fmt::format("{} is a {} profile but {} is a {} profile: a series must be "
                                   "of one kind",
                                   p->path, p->kind, first.path, first.kind));
    if (p->snapshots.empty()) throw InputError(p->path, "holds no snapshot");
    for (const auto& w : p->warnings) out.warnings.push_back(fmt::format("{}: {}", p->path, w));
  }
  if (metric_name.empty()) {
    if (first.metrics.empty())
      throw InputError(first.path, fmt::format("not a heap or goroutine profile ({})", metrics_list(first)));
    out.metric = first.default_metric;
  } else {
    auto m = core::parse_metric(metric_name);
    if (!m)
      throw UsageError(fmt::format("--metric: unknown metric '{}' (known: live_bytes, live_objects, "
                                   "alloc_bytes, alloc_objects, goroutines, or pprof's names "
                                   "inuse_space, inuse_objects, alloc_space, goroutine)",
                                   metric_name));
    out.metric = *m;
  }
  for (const auto& p : out.profiles)
    if (!p->metrics.has(out.metric))
      throw InputError(p->path, fmt::format("{} input has no metric {} ({})", p->format,
                                            core::metric_info(out.metric).name, metrics_list(*p)));

  if (in.order == "time") {
    // Only times on one clock can be sorted: a massif file's or a heaptrack trace's clock
    // starts with its own run (sorting by it sorts by run length and can flip a before/after
    // pair), and a legacy text heap has no time at all.
    if (out.profiles.size() > 1)
      for (const auto& p : out.profiles) {
        if (!p->snapshots.back().time)
          throw UsageError(fmt::format("--order time: {} has no time: give the inputs in order", p->path));
        if (!p->shared_clock)
          throw UsageError(fmt::format("--order time: {} has no absolute time ({}'s clock starts with "
                                       "its own run): give the inputs in order",
                                       p->path, p->format));
      }
    std::vector<size_t> idx(out.profiles.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return *out.profiles[a]->snapshots.back().time < *out.profiles[b]->snapshots.back().time;
    });
    LoadedSeries sorted;
    for (size_t i : idx) {
      sorted.profiles.push_back(std::move(out.profiles[i]));
      sorted.last_only.push_back(out.last_only[i]);
    }
    out.profiles = std::move(sorted.profiles);
    out.last_only = std::move(sorted.last_only);
  } else if (in.order != "given") {
    throw UsageError(fmt::format("--order: expected given or time, got '{}'", in.order));
  }
  // Snapshots out of time order usually mean a shell glob sorted heap.10 before heap.2.
  [&] {
    for (const auto& p : out.profiles)
      if (!p->shared_clock && out.profiles.size() > 1) return;  // run-relative clocks
    std::optional<double> prev;
    for (const auto& p : out.profiles)
      for (const auto& s : p->snapshots) {
        if (s.time && prev && *s.time < *prev) {
          out.warnings.push_back(fmt::format("{}: taken before the snapshot given ahead of it; "
                                             "use --order time to sort by time",
                                             s.label));
          return;
        }
        if (s.time) prev = s.time;
      }
  }();
  return out;
}

core::Report analyse_series(LoadedSeries& loaded, const AnalysisCliOptions& o, Teardown teardown) {
  core::KeyPolicy policy;
  const auto g = core::parse_granularity(o.granularity);
  if (!g) throw UsageError(fmt::format("--granularity: expected function, line or stack, got '{}'", o.granularity));
  policy.granularity = *g;
  policy.metric = loaded.metric;
  auto regex = [](const std::string& opt, const std::string& text) {
    try {
      return std::regex(text, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw UsageError(fmt::format("{}: invalid regular expression '{}': {}", opt, text, e.what()));
    }
  };
  if (!o.focus.empty()) policy.focus = regex("--focus", o.focus);
  if (!o.ignore.empty()) policy.ignore = regex("--ignore", o.ignore);
  // One key table for the last run's own series and the series of all inputs, so that
  // analyse() matches their sites by ids, not by text.
  policy.keys = std::make_shared<core::KeyTable>();
  const int drill = o.no_drilldown ? 0 : 1;
  std::vector<core::ProfileSlice> slices;
  size_t series_snapshots = 0;
  for (size_t i = 0; i < loaded.profiles.size(); ++i) {
    const core::Profile* p = loaded.profiles[i].get();
    std::span<const core::Snapshot> snaps = p->snapshots;
    if (loaded.last_only[i]) snaps = snaps.last(1);
    slices.push_back({p, snaps});
    series_snapshots += snaps.size();
  }

  core::AnalysisOptions ao;
  ao.metric = loaded.metric;
  ao.skip = o.skip;
  ao.drilldown = !o.no_drilldown;
  ao.granularity = *g;
  if (!o.limit.empty()) {
    const auto l = core::parse_size(o.limit);
    if (!l || *l <= 0) throw UsageError(fmt::format("--limit: expected SIZE, got '{}'", o.limit));
    ao.limit = int64_t(*l);
  }
  // A pair (or a short series) of inputs that each hold a run: the last run's own trend.
  // First, while every sample is still there.
  std::optional<core::RunContext> run;  // (the run's report goes at once: only verdicts stay)
  const core::Profile& last = *loaded.profiles.back();
  if (slices.size() > 1 && loaded.last_only.back() && series_snapshots < size_t(core::kMinLeakSnapshots) &&
      last.snapshots.size() >= size_t(core::kMinLeakSnapshots)) {
    core::AnalysisOptions run_options = ao;
    run_options.skip = 0;
    run_options.limit.reset();
    run.emplace(core::analyse(core::align({core::ProfileSlice{&last, last.snapshots}}, policy, drill),
                              run_options));
  }
  // Each snapshot's samples are freed as soon as they are in the series (peak RSS: the
  // series takes the samples' place instead of adding to them); the profiles keep their
  // tables, which rows point into.
  auto series = core::align(slices, policy, drill, [&](size_t slice, size_t snapshot) {
    auto& snapshots = loaded.profiles[slice]->snapshots;  // the slice is a tail of these
    auto& samples = snapshots[snapshots.size() - slices[slice].snapshots.size() + snapshot].samples;
    std::vector<core::StackSample>().swap(samples);
  });
  for (const auto& p : loaded.profiles) core::release_samples(*p);  // those not in the series
#ifdef __GLIBC__
  // ... and give their pages back: the analysis' threads allocate in arenas of their own,
  // which could not reuse them.
  malloc_trim(0);
#endif
  core::Report r = core::analyse(series, ao, run ? &*run : nullptr);
  if (teardown == Teardown::AtExit) keep_until_exit(std::move(series));
  r.warnings.insert(r.warnings.begin(), loaded.warnings.begin(), loaded.warnings.end());
  // A filter that keeps nothing is most likely a typo: a gate over no sites passes, so say so.
  if (r.sites.empty() && (!o.focus.empty() || !o.ignore.empty()))
    r.warnings.push_back(!o.focus.empty()
                             ? fmt::format("--focus '{}' matched no stack: no site is analysed", o.focus)
                             : fmt::format("--ignore '{}' dropped every stack: no site is analysed", o.ignore));
  r.inputs.assign(loaded.profiles.begin(), loaded.profiles.end());
  return r;
}

}  // namespace memleak::cli
