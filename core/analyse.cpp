#include "core/analyse.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/hints.h"
#include "core/parallel.h"
#include "core/trend.h"
#include "core/units.h"

namespace memleak::core {

namespace {

struct Context {
  const AnalysisOptions& options;
  std::vector<double> x;
  bool x_is_seconds = false;
  size_t from = 0;  // first kept snapshot
  size_t n = 0;     // kept snapshots
  int64_t period = 0;
  double heap_scale = 0;
};

// Sampling standard error of each value (empty for exact profiles).
std::vector<double> noise_of(const Context& cx, const std::vector<SeriesValue>& values,
                             double& weight_out) {
  std::vector<double> sigma;
  const Metric m = cx.options.metric;
  if (cx.period <= 1 || !partner_metric(m)) return sigma;
  const bool bytes = m == Metric::LiveBytes || m == Metric::AllocBytes;
  // Average object size over the whole series: the site's objects are the same kind of
  // object in every snapshot; snapshots where it has none still tell nothing about size.
  double b = 0, o = 0;
  for (const auto& v : values) {
    b += double(std::max<int64_t>(bytes ? v.value : v.partner, 0));
    o += double(std::max<int64_t>(bytes ? v.partner : v.value, 0));
  }
  if (o <= 0 || b <= 0) return sigma;
  const double size = b / o;
  const double weight_bytes = sample_weight(size, double(cx.period));
  const double weight = bytes ? weight_bytes : weight_bytes / size;
  weight_out = weight;
  sigma.reserve(cx.n);
  for (size_t i = cx.from; i < cx.from + cx.n; ++i) sigma.push_back(sampling_sigma(double(values[i].value), weight));
  return sigma;
}

// `whole_site` false for a caller path of the drill-down: the no-program-frame rule below is
// about sites (a caller path ends at a program frame when its stack has one).
SiteRow make_row(const Context& cx, const SiteSeries& s, bool whole_site = true) {
  SiteRow row;
  row.key = s.key;
  row.frames = s.frames;  // views (core/frame_list.h): nothing is copied
  row.stack = s.stack.empty() ? s.frames : s.stack;
  // The trend's input is made again for every row, on every thread: its vectors are reused
  // (made fresh, they and the values' growth were ~15 allocations a row).
  thread_local TrendInput in;
  in.x = cx.x;
  in.y.clear();
  in.heap_scale = cx.heap_scale;
  in.step_weight = 0;
  row.values.reserve(cx.n);
  for (size_t i = cx.from; i < cx.from + cx.n; ++i) {
    const int64_t v = s.values[i].value;
    row.values.push_back(v);
    in.y.push_back(double(v));
  }
  in.sigma = noise_of(cx, s.values, in.step_weight);
  row.first = row.values.front();
  row.last = row.values.back();
  row.delta = row.last - row.first;
  if (row.first != 0) row.delta_pct = 100.0 * double(row.delta) / double(std::llabs(row.first));
  row.trend = analyse_trend(in);
  // A site with no frame of the program's own code (runtime or library internals: goroutine
  // stacks, GC workers, a library's caches) is at most secondary growth: it is reported, but
  // the program site that causes it is the leak to name.
  if (whole_site && row.trend.verdict == Verdict::Leak &&
      row.frames.first_program() == row.frames.size()) {
    row.trend.verdict = Verdict::Growing;
    row.trend.reason += "; no program frame: runtime or library-internal growth";
  }
  if (cx.x_is_seconds) row.rate_per_second = row.trend.slope;
  return row;
}

bool all_zero(const SiteSeries& s, size_t from) {
  for (size_t i = from; i < s.values.size(); ++i)
    if (s.values[i].value != 0) return false;
  return true;
}

// The drill-down: when some caller paths of a site leak, show them as rows of their own
// (plus one row for the site's remaining callers) instead of the site as a whole. This finds
// a leak behind a shared helper whose total is flat, and two leaks that share an allocation
// function but enter from different program frames.
void add_site_rows(const Context& cx, const SiteSeries& s, std::vector<SiteRow>& rows) {
  SiteRow whole = make_row(cx, s);
  if (!cx.options.drilldown || s.callers.size() < 2) {
    rows.push_back(std::move(whole));
    return;
  }
  std::vector<SiteRow> leaking;
  std::vector<double> y;
  for (const auto& c : s.callers) {
    if (all_zero(c, cx.from)) continue;
    // Only callers that leak become rows, and a leak needs Mann-Kendall p < kLeakP: test
    // that first (O(n^2) comparisons) before the full trend (Theil-Sen sorts n^2 slopes).
    y.clear();
    for (size_t i = cx.from; i < cx.from + cx.n; ++i) y.push_back(double(c.values[i].value));
    if (cx.n < size_t(kMinLeakSnapshots) || mann_kendall(y).p_increasing >= kLeakP) continue;
    SiteRow row = make_row(cx, c, /*whole_site=*/false);
    if (row.trend.verdict != Verdict::Leak) continue;
    row.path = std::make_shared<const SiteFrame>(c.frames.back());
    leaking.push_back(std::move(row));
  }
  // Callers seen at all (any metric, any snapshot): a Go profile keeps freed paths with
  // in-use 0, so a leaking path is told apart from its churning siblings by name.
  size_t seen = 0;
  for (const auto& c : s.callers) seen += c.seen;
  const bool split = !leaking.empty() &&
                     (whole.trend.verdict != Verdict::Leak || leaking.size() >= 2 || seen >= 2);
  if (!split) {
    rows.push_back(std::move(whole));
    return;
  }
  SiteSeries rest;
  rest.key = s.key.text() + "\x1e(other callers)";
  rest.frames = s.frames;
  rest.stack = s.stack;
  rest.values = s.values;
  // Its stack: that of its largest caller path at the end (not the site's, which is often
  // through a leaking caller: the rest would be drawn, and suppressed, under the leak).
  int64_t rest_largest = -1;
  for (const auto& c : s.callers) {
    const auto found = std::find_if(leaking.begin(), leaking.end(),
                                    [&](const SiteRow& r) { return r.key == c.key; });
    if (found == leaking.end()) {
      const int64_t size = std::llabs(c.values.back().value);
      if (size > rest_largest && !c.stack.empty()) {
        rest_largest = size;
        rest.stack = c.stack;
      }
      continue;
    }
    for (size_t i = 0; i < rest.values.size(); ++i) rest.values[i] -= c.values[i];
  }
  for (auto& r : leaking) rows.push_back(std::move(r));
  if (!all_zero(rest, cx.from)) {
    SiteRow r = make_row(cx, rest);
    r.other_callers = true;
    rows.push_back(std::move(r));
  }
}

// Leaks first; then sites that leak inside the last run (pairs of series inputs); then the rest.
int tier(const SiteRow& r) {
  if (r.trend.verdict == Verdict::Leak) return 0;
  if (r.run_verdict == Verdict::Leak && r.delta > 0) return 1;
  return 2;
}

bool ranks_before(const SiteRow& a, const SiteRow& b) {
  if (tier(a) != tier(b)) return tier(a) < tier(b);
  const bool la = a.trend.verdict == Verdict::Leak;
  if (la) {  // both leaks
    if (a.trend.fitted_growth != b.trend.fitted_growth)
      return a.trend.fitted_growth > b.trend.fitted_growth;
  }
  if (a.delta != b.delta) return a.delta > b.delta;
  if (a.last != b.last) return a.last > b.last;
  return a.key < b.key;
}

// RunContext's sites, by key, for the rows of a pair. Matched by the bytes of the keys' ids
// when the run's keys and the rows' are of one KeyTable (the command aligns both with one:
// equal ids are equal texts, core/site_key.h), else by text (reports made apart): a key's
// text is allocated and copied, and for a pair of 20M-event traces (45k rows against 42k)
// that was a quarter of the pair's analysis.
class RunVerdicts {
 public:
  RunVerdicts(const RunContext& run, const std::vector<SiteRow>& rows) {
    const auto& sites = run.sites();
    const KeyTable* table = sites.empty() ? nullptr : sites.front().key.table();
    by_ids_ = table && std::all_of(sites.begin(), sites.end(),
                                   [&](const RunContext::Site& s) { return s.key.table() == table; }) &&
              std::all_of(rows.begin(), rows.end(), [&](const SiteRow& r) { return r.key.table() == table; });
    std::string scratch;
    for (const RunContext::Site& site : sites) {
      std::string_view key = bytes(site.key, site.caller_path, scratch);
      if (!by_ids_) key = texts_.emplace_back(key);  // (ids stay where their table keeps them)
      by_key_.try_emplace(key, &site);
    }
  }

  const RunContext::Site* find(const SiteKey& key) const {
    std::string scratch;
    const auto it = by_key_.find(bytes(key, /*site_only=*/false, scratch));
    return it == by_key_.end() ? nullptr : it->second;
  }

 private:
  // What `key` (with site_only, its site's part) is matched by: the bytes of its ids, or its
  // text (made in `scratch`).
  std::string_view bytes(const SiteKey& key, bool site_only, std::string& scratch) const {
    if (by_ids_)
      return {reinterpret_cast<const char*>(key.ids()),
              (site_only ? key.site_size() : key.size()) * sizeof(uint32_t)};
    scratch = site_only ? key.site_text() : key.text();
    return scratch;
  }

  bool by_ids_ = false;
  std::deque<std::string> texts_;
  std::unordered_map<std::string_view, const RunContext::Site*> by_key_;
};

}  // namespace

RunContext::RunContext(const Report& run) {
  sites_.reserve(run.sites.size());
  for (const SiteRow& row : run.sites) {
    if (!row.path && !row.other_callers)
      sites_.push_back({row.key, false, row.trend.verdict, {}});
    else if (row.path && row.trend.verdict == Verdict::Leak && row.key.has_caller())
      sites_.push_back({row.key, true, Verdict::Leak, display_function(*row.path)});
  }
}

Report analyse(const AlignedSeries& series, const AnalysisOptions& options,
               const RunContext* run_context) {
  const size_t total_n = series.snapshots.size();
  if (series.metric != options.metric)
    throw std::invalid_argument(fmt::format("analyse: the series hold {}, not {}",
                                            metric_info(series.metric).name,
                                            metric_info(options.metric).name));
  if (total_n < 1) throw UsageError("no snapshots to analyse");
  if (options.skip > 0 && (options.skip >= total_n || total_n - options.skip < 2))  // (no overflow)
    throw UsageError(fmt::format("--skip {} leaves fewer than 2 of the {} snapshots",
                                 options.skip, total_n));
  Context cx{options, {}, false, 0, 0, 0, 0};
  cx.from = options.skip;
  cx.n = total_n - options.skip;
  cx.period = series.sampling_period;

  bool have_times = series.time_unit != TimeUnit::None;
  for (size_t i = cx.from; i < total_n; ++i) have_times &= series.snapshots[i].time.has_value();
  for (size_t i = cx.from; i < total_n; ++i) {
    const double t = have_times ? *series.snapshots[i].time - *series.snapshots[cx.from].time
                                : double(i - cx.from);
    cx.x.push_back(t);
  }
  // Times that go backwards (files given out of order) or never move cannot carry a slope
  // per second: fall back to snapshot order. Equal neighbours are fine (massif's ms clock
  // is coarse); Theil-Sen skips pairs with equal times.
  if (have_times) {
    for (size_t i = 1; i < cx.x.size(); ++i)
      if (cx.x[i] < cx.x[i - 1]) have_times = false;
    if (cx.x.back() <= cx.x.front()) have_times = false;
  }
  if (!have_times)
    for (size_t i = 0; i < cx.x.size(); ++i) cx.x[i] = double(i);
  cx.x_is_seconds = have_times && series.time_unit == TimeUnit::Seconds;

  Report r;
  r.metric = options.metric;
  r.kind = series.kind;
  r.format = series.format;
  r.granularity = options.granularity;
  // A snapshot's time is reported in the report's time unit, or not at all: times that cannot
  // be an axis (each run's own clock in a pair, times out of order) have no unit to be read
  // in (review: JSON gave numbers with time_unit null). One snapshot keeps its time.
  const bool one_timed = cx.n == 1 && series.time_unit != TimeUnit::None &&
                         series.snapshots[cx.from].time.has_value();
  r.time_unit = have_times || one_timed ? series.time_unit : TimeUnit::None;
  r.skipped = options.skip;
  r.limit = options.limit;
  for (size_t i = cx.from; i < total_n; ++i) {
    const auto& s = series.snapshots[i];
    ReportSnapshot rs;
    rs.index = i - cx.from;
    rs.source = s.source;
    rs.label = s.label;
    if (r.time_unit != TimeUnit::None) rs.time = s.time;
    r.snapshots.push_back(rs);
  }
  for (const auto& s : series.sites)
    for (size_t i = cx.from; i < total_n; ++i)
      r.snapshots[i - cx.from].total = clamped_add(r.snapshots[i - cx.from].total, s.values[i].value);
  for (const auto& s : r.snapshots) cx.heap_scale = std::max(cx.heap_scale, double(std::llabs(s.total)));
  r.total_first = r.snapshots.front().total;
  r.total_last = r.snapshots.back().total;
  r.total_delta = r.total_last - r.total_first;

  {
    TrendInput total;
    total.x = cx.x;
    for (const auto& s : r.snapshots) total.y.push_back(double(s.total));
    r.total_trend = analyse_trend(total);
    if (cx.x_is_seconds) r.total_rate_per_second = r.total_trend.slope;
  }

  // One row per site that is not zero throughout (the drill-down may split a few).
  std::vector<const SiteSeries*> shown;
  for (const auto& s : series.sites)
    if (!all_zero(s, cx.from)) shown.push_back(&s);
  // Sites are independent: analysed in parallel. Each site's first row goes to its own slot of
  // one vector sized here, on this thread (rows are ~650 bytes: a copy of them all, or arrays
  // a worker thread's malloc arena keeps after they are freed, cost tens of MB on large
  // inputs); the few extra rows of the drill-down are appended after. Row keys are unique and
  // the final sort is total, so the order rows are produced in never shows.
  constexpr size_t kSitesPerChunk = 64;
  // Room for the drill-down's extra rows from the start: appending them to a vector that is
  // exactly full would move every row to a new one (once 10 MB more at the peak for 21k
  // rows). Capacity that is never written costs address space, not memory.
  std::vector<SiteRow> rows;
  rows.reserve(shown.size() + shown.size() / 2 + kSitesPerChunk);
  rows.resize(shown.size());
  std::vector<std::vector<SiteRow>> extra_rows((shown.size() + kSitesPerChunk - 1) / kSitesPerChunk);
  parallel_chunks(shown.size(), kSitesPerChunk, options.threads, [&](size_t begin, size_t end) {
    std::vector<SiteRow> site_rows;
    for (size_t i = begin; i < end; ++i) {
      site_rows.clear();
      add_site_rows(cx, *shown[i], site_rows);  // at least one row
      rows[i] = std::move(site_rows.front());
      for (size_t k = 1; k < site_rows.size(); ++k)
        extra_rows[begin / kSitesPerChunk].push_back(std::move(site_rows[k]));
    }
  });
  for (auto& extra : extra_rows)
    std::move(extra.begin(), extra.end(), std::back_inserter(rows));
  // An integer sum, saturating (non-negative terms: the result is the same in any order, as
  // a sum of doubles is not; the series come in order of first appearance, not of keys).
  uint64_t positive_sum = 0;
  for (const auto& row : rows)
    if (row.delta > 0 && __builtin_add_overflow(positive_sum, uint64_t(row.delta), &positive_sum))
      positive_sum = UINT64_MAX;
  const double positive = double(positive_sum);
  HintCache hints;
  for (auto& row : rows) {
    row.share = positive > 0 ? std::max<double>(0, double(row.delta)) / positive : 0;
    if (row.trend.verdict == Verdict::Leak || row.trend.verdict == Verdict::Growing)
      row.hint = cause_hint(row.stack, options.metric, hints);
    if (options.metric == Metric::Goroutines) {
      row.blocking = blocking_operation(row.stack);
      row.goroutine_function = goroutine_function(row.stack);
    }
  }
  if (run_context) {
    r.run_context = true;
    const RunVerdicts in_run(*run_context, rows);
    for (auto& row : rows) {
      const RunContext::Site* found = in_run.find(row.key);
      if (!found) continue;
      row.run_verdict = found->verdict;
      row.trend.reason += fmt::format("; in the last run: {}", verdict_name(found->verdict));
      if (!found->through.empty())
        row.trend.reason += fmt::format(", through its caller {}", found->through);
    }
  }
  std::sort(rows.begin(), rows.end(), ranks_before);
  for (size_t i = 0; i < rows.size(); ++i) rows[i].rank = i + 1;
  r.site_count = rows.size();
  for (const auto& row : rows) {
    if (row.trend.verdict != Verdict::Leak) continue;
    ++r.leak_count;
    if (row.rate_per_second) r.leak_rate_per_second += std::max(0.0, *row.rate_per_second);
  }
  if (r.limit && r.leak_rate_per_second > 0 && double(*r.limit) > double(r.total_last))
    r.seconds_to_limit = (double(*r.limit) - double(r.total_last)) / r.leak_rate_per_second;

  r.sites = std::move(rows);

  if (cx.n < size_t(kMinLeakSnapshots))
    r.notes.push_back(fmt::format(
        "{} snapshots: a leak verdict needs a trend over at least {}; sites are ranked by growth "
        "only (record more snapshots for verdicts)",
        cx.n, kMinLeakSnapshots));
  if (series.sampling_period > 1)
    r.notes.push_back(fmt::format(
        "sampled profile (one sample per {} allocated on average): growth within {}x the "
        "sampling error is treated as noise",
        format_bytes(series.sampling_period), kNoiseZ));
  return r;
}

std::vector<SiteRow> keep_top(Report& r, size_t top) {
  auto& rows = r.sites;
  const size_t n = r.snapshots.size();
  const size_t shown = top == 0 ? rows.size() : std::min(top, rows.size());
  if (shown == rows.size()) return {};
  SiteRow others;
  others.key = "(others)";
  others.values.assign(n, 0);
  for (size_t i = shown; i < rows.size(); ++i)
    for (size_t k = 0; k < n; ++k) others.values[k] = clamped_add(others.values[k], rows[i].values[k]);
  others.first = others.values.front();
  others.last = others.values.back();
  others.delta = others.last - others.first;
  if (others.first != 0)
    others.delta_pct = 100.0 * double(others.delta) / double(std::llabs(others.first));
  r.others = std::move(others);
  // The shown rows move to a vector of their own (a few), the rest stay where they are.
  std::vector<SiteRow> dropped;
  dropped.swap(rows);
  rows.assign(std::make_move_iterator(dropped.begin()),
              std::make_move_iterator(dropped.begin() + ptrdiff_t(shown)));
  return dropped;
}

}  // namespace memleak::core
