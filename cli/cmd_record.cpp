// memleak record: take a snapshot series from a live Go service's net/http/pprof endpoint.
//
// Every --every, GET BASE/debug/pprof/heap?gc=1 (and, with --goroutines, .../goroutine), check
// that the answer really is a pprof heap (goroutine) profile, and write it atomically as
// DIR/heap.NNNN.pb.gz, so that `memleak diff DIR/heap.*.pb.gz` reads the series like any
// other. A snapshot is only ever written whole and only after it was read back by our pprof
// reader: a series on disk never holds a half-written or non-profile file.
//
// Exit status: 0 done, 1 --check failed (ends early, at the first snapshot that crosses a
// threshold), 2 error (the snapshots written so far are kept), 130 interrupted by SIGINT or
// SIGTERM (after the fetch in progress; the snapshots written so far are kept).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/gate_options.h"
#include "cli/http_client.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "core/analyse.h"
#include "core/errors.h"
#include "core/gate.h"
#include "core/units.h"
#include "formats/output/writers.h"
#include "formats/reader.h"

namespace memleak::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kExitInterrupted = 130;  // 128 + SIGINT, what shells report for Ctrl-C
constexpr size_t kLiveRows = 5;
constexpr size_t kLiveFrom = 3;        // a trend needs a few points before it says anything
constexpr uint64_t kMaxProfileBytes = 1ULL << 30;

struct RecordOptions {
  std::string url;
  std::string every = "30s";
  size_t count = 10;
  std::string out;
  bool goroutines = false;
  std::string timeout = "30s";
  std::vector<std::string> headers;
  std::string bearer_token_env;
  bool check = false;
  GateCliOptions gate;
};

// ---- interruption: the first SIGINT/SIGTERM asks to stop after the current fetch; a second
// one, a moment later, ends the process at once. The same signal can arrive twice at once:
// timeout(1) forwards it to its child and again to the child's process group, and a terminal's
// Ctrl-C reaches both. Counting those as a second Ctrl-C (SA_RESETHAND did) killed the process
// before it said what it kept, now and then.
volatile std::sig_atomic_t g_stop_signal = 0;
std::atomic<int64_t> g_first_stop_ns{0};  // lock-free, so usable in the handler
static_assert(std::atomic<int64_t>::is_always_lock_free);
constexpr int64_t kSecondSignalAfterNs = 200'000'000;

int64_t monotonic_ns() {  // async-signal-safe
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

extern "C" void on_stop_signal(int sig) {
  const int64_t now = monotonic_ns();
  if (g_stop_signal == 0) {
    g_first_stop_ns.store(now, std::memory_order_relaxed);
    g_stop_signal = sig;
    return;
  }
  if (now - g_first_stop_ns.load(std::memory_order_relaxed) >= kSecondSignalAfterNs) {
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
}

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a sleep wakes up at once
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  static bool requested() { return g_stop_signal != 0; }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

// ---- endpoints

struct Endpoint {
  std::string url;
  std::string expected_kind;  // "heap", "goroutine", or "" (a URL given as is: heap or goroutine)
};

// "host:port" -> "http://host:port"; a base URL gets /debug/pprof/NAME appended; a URL that
// already names an endpoint (a /debug/pprof/ path or a query) is used as given.
std::vector<Endpoint> endpoints(const RecordOptions& o) {
  std::string url = o.url;
  if (url.find("://") == std::string::npos) url = "http://" + url;
  const auto pprof = url.find("/debug/pprof/");
  const bool as_given = pprof != std::string::npos || url.find('?') != std::string::npos;
  std::vector<Endpoint> out;
  if (as_given) {
    out.push_back({url, ""});
    if (o.goroutines) {
      if (pprof == std::string::npos)
        throw core::UsageError("--goroutines needs a base URL (http://HOST:PORT) or a URL with "
                               "/debug/pprof/ in its path, to find the goroutine endpoint");
      out.push_back({url.substr(0, pprof) + "/debug/pprof/goroutine", "goroutine"});
    }
    return out;
  }
  while (url.size() > 8 && url.back() == '/') url.pop_back();
  out.push_back({url + "/debug/pprof/heap?gc=1", "heap"});
  if (o.goroutines) out.push_back({url + "/debug/pprof/goroutine", "goroutine"});
  return out;
}

std::vector<std::string> checked_headers(const std::vector<std::string>& headers) {
  for (const auto& h : headers) {
    const auto colon = h.find(':');
    // Values are not echoed: a header is a common place for a secret.
    if (colon == std::string::npos || colon == 0)
      throw core::UsageError("--header: expected 'Name: value' (a header has no name or no ':')");
    if (h.find_first_of("\r\n") != std::string::npos)
      throw core::UsageError("--header: a header must not contain a line break");
  }
  return headers;
}

// The token comes from the environment only, so it never shows in `ps` or shell history.
std::string bearer_token(const RecordOptions& o) {
  const std::string var = o.bearer_token_env.empty() ? "MEMLEAK_BEARER_TOKEN" : o.bearer_token_env;
  const char* value = std::getenv(var.c_str());
  if ((!value || !*value) && !o.bearer_token_env.empty())
    throw core::UsageError(fmt::format("--bearer-token-env: environment variable {} is not set", var));
  return value ? value : "";
}

double duration_option(const std::string& option, const std::string& text) {
  const auto d = core::parse_duration(text);
  if (!d || *d <= 0)
    throw core::UsageError(fmt::format("{}: expected a duration (500ms, 30s, 5m), got '{}'", option, text));
  return *d;
}

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw core::UsageError(fmt::format("--out: cannot create directory {}: {}", dir, ec.message()));
  // A new series must not interleave with an old one under the same names.
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if ((name.starts_with("heap.") || name.starts_with("goroutine.")) && name.ends_with(".pb.gz"))
      throw core::UsageError(fmt::format("--out: {} already holds a series ({}); choose a new "
                                         "directory",
                                         dir, name));
  }
}

// ---- one snapshot

// Reads the answer back with our own pprof reader before it may enter the series. Returns
// the profile's kind. Throws HttpError describing what the answer is instead.
std::string verify_profile(const std::string& body, const Endpoint& ep, const HttpResponse& resp,
                           const std::string& dir) {
  const std::string shown = redact_url(ep.url);
  const bool gzip = body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
                    static_cast<unsigned char>(body[1]) == 0x8b;
  if (!gzip) {
    std::string start = body.substr(0, 60);
    for (char& c : start)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '.';
    throw HttpError(fmt::format("GET {}: the answer is not a pprof profile (not gzip-compressed; "
                                "Content-Type {}, {} bytes, starting '{}')",
                                shown, resp.content_type.empty() ? "none" : resp.content_type,
                                body.size(), start));
  }
  const std::string tmp = (fs::path(dir) / fmt::format(".record.{}.check", ::getpid())).string();
  write_file_atomically(tmp, body);
  std::string kind;
  try {
    formats::ReadOptions ro;
    ro.input_format = "pprof";
    ro.max_input_size = kMaxProfileBytes;
    const auto p = formats::read_profile({tmp, {}}, ro);
    kind = p.kind;
    if (p.metrics.empty() || (kind != "heap" && kind != "goroutine"))
      throw HttpError(fmt::format("GET {}: a pprof {} profile, not a heap or goroutine profile",
                                  shown, kind));
    if (!ep.expected_kind.empty() && kind != ep.expected_kind)
      throw HttpError(fmt::format("GET {}: a pprof {} profile, expected a {} profile", shown,
                                  kind, ep.expected_kind));
  } catch (const core::InputError& e) {
    fs::remove(tmp);
    throw HttpError(fmt::format("GET {}: the answer is not a pprof profile: {}", shown, e.what()));
  } catch (...) {
    fs::remove(tmp);
    throw;
  }
  fs::remove(tmp);
  return kind;
}

struct Series {
  std::string stem;                // "heap", "goroutine": the file names
  std::vector<std::string> paths;  // written so far
};

// ---- the terminal view

struct View {
  bool tty;
  void clear_line() const {
    if (tty) fmt::print(stderr, "\r\x1b[K");
  }
  void countdown(size_t k, size_t n, double seconds) const {
    if (!tty) return;
    clear_line();
    fmt::print(stderr, "[{}{}] next snapshot in {:.0f}s (Ctrl-C stops and keeps the snapshots)",
               k, n ? fmt::format("/{}", n) : "", std::max(0.0, seconds));
    std::fflush(stderr);
  }
  void written(size_t k, size_t n, const std::string& path, size_t bytes) const {
    clear_line();
    fmt::print(stderr, "snapshot {}{}: {} ({})\n", k, n ? fmt::format(" of {}", n) : "", path,
               core::format_bytes(double(bytes)));
  }
  void top_sites(const core::Report& r) const {
    if (!tty) return;
    size_t shown = 0;
    for (const auto& row : r.sites) {
      if (row.delta <= 0 || shown == kLiveRows) continue;
      if (shown++ == 0) fmt::print(stderr, "  top growing sites after {} snapshots:\n", r.snapshots.size());
      fmt::print(stderr, "  {:>3} {:<9} {:>11}  {}  {}\n", row.rank,
                 core::verdict_name(row.trend.verdict),
                 core::format_delta(double(row.delta), r.metric), formats::sparkline(row.values),
                 formats::site_title(row, true));
    }
    if (shown == 0) fmt::print(stderr, "  no growing site after {} snapshots\n", r.snapshots.size());
  }
};

std::string kept_note(const std::string& dir, const std::vector<Series>& series) {
  const auto& paths = series.front().paths;
  if (paths.empty()) return fmt::format("no snapshot was written to {}", dir);
  std::string s = fmt::format("kept {} snapshot{} in {}: {}", paths.size(), paths.size() == 1 ? "" : "s",
                              dir, fs::path(paths.front()).filename().string());
  if (paths.size() > 1) s += " ... " + fs::path(paths.back()).filename().string();
  for (size_t i = 1; i < series.size(); ++i)
    if (!series[i].paths.empty()) s += fmt::format(" (+ {} {} files)", series[i].paths.size(), series[i].stem);
  return s;
}

core::Report analyse_paths(const std::vector<std::string>& paths) {
  InputOptions in;
  in.inputs = paths;
  AnalysisCliOptions ao;
  auto loaded = load_inputs(in, "");
  return analyse_series(loaded, ao);
}

void print_gate(const core::GateResult& g) {
  if (g.passed) {
    fmt::print("gate: PASS ({} rule{} checked)\n", g.rules.size(), g.rules.size() == 1 ? "" : "s");
    return;
  }
  fmt::print("gate: FAIL ({} violation{})\n", g.violations.size(), g.violations.size() == 1 ? "" : "s");
  for (const auto& v : g.violations) {
    if (!v.message.empty()) fmt::print("  {}\n", v.message);
    else fmt::print("  {}: {} (limit {}){}\n", v.rule, v.measured, v.limit, v.site.empty() ? "" : " at " + v.site);
  }
}

int record(const RecordOptions& o) {
  // Validate everything before the first request.
  const double every = duration_option("--every", o.every);
  const double timeout = duration_option("--timeout", o.timeout);
  const auto eps = endpoints(o);
  HttpRequest base;
  base.headers = checked_headers(o.headers);
  base.bearer_token = bearer_token(o);
  base.timeout_seconds = timeout;
  base.max_body = kMaxProfileBytes;
  const bool check = o.check || o.gate.any_rule();
  GateCliOptions gate_opts = o.gate;
  if (check && !gate_opts.any_rule()) gate_opts.fail_on = "leak";  // --check alone
  const auto policy = make_gate_policy(gate_opts);
  const auto suppressions = load_suppressions(gate_opts);
  if (o.out.empty()) throw core::UsageError("--out DIR is required");
  check_output_dir(o.out);

  const View view{::isatty(2) == 1};
  std::vector<Series> series(eps.size());
  StopSignals signals;
  const auto start = Clock::now();
  auto fail = [&](const std::string& message) {
    view.clear_line();
    std::fflush(stdout);
    fmt::print(stderr, "memleak: error: {}\nmemleak: {}\n", message, kept_note(o.out, series));
    return 2;
  };

  for (size_t k = 1; o.count == 0 || k <= o.count; ++k) {
    // Wait for this snapshot's slot (snapshot k is due at start + (k-1) x every, so a slow
    // fetch does not shift the whole series).
    const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(double(k - 1) * every));
    while (!StopSignals::requested() && Clock::now() < due) {
      view.countdown(k - 1, o.count, std::chrono::duration<double>(due - Clock::now()).count());
      std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(200)));
    }
    if (StopSignals::requested()) break;

    for (size_t e = 0; e < eps.size(); ++e) {
      HttpRequest req = base;
      req.url = eps[e].url;
      std::string kind;
      HttpResponse resp;
      try {
        resp = http_get(req);
        kind = verify_profile(resp.body, eps[e], resp, o.out);
      } catch (const HttpError& err) {
        return fail(err.what());
      }
      if (series[e].stem.empty()) series[e].stem = kind;
      const std::string path = (fs::path(o.out) / fmt::format("{}.{:04}.pb.gz", series[e].stem, k)).string();
      try {
        write_file_atomically(path, resp.body);
      } catch (const core::UsageError& err) {
        return fail(err.what());
      }
      series[e].paths.push_back(path);
      view.written(k, o.count, path, resp.body.size());
    }

    const auto& paths = series.front().paths;
    const bool gate_now = check && paths.size() >= 2 &&
                          (!policy.min_snapshots || paths.size() >= *policy.min_snapshots);
    if (gate_now || (view.tty && paths.size() >= kLiveFrom)) {
      core::Report report;
      try {
        report = analyse_paths(paths);
      } catch (const std::exception& err) {
        return fail(err.what());
      }
      if (gate_now) {
        core::apply_suppressions(report, suppressions);
        report.gate = core::evaluate_gate(report, policy);
      }
      if (view.tty && paths.size() >= kLiveFrom) view.top_sites(report);
      if (report.gate && !report.gate->passed) {
        view.clear_line();
        fmt::print("memleak record: threshold crossed after {} snapshots\n", paths.size());
        print_gate(*report.gate);
        fmt::print("{}\n", kept_note(o.out, series));
        return 1;
      }
    }
    if (StopSignals::requested()) break;
  }

  view.clear_line();
  if (StopSignals::requested()) {
    std::fflush(stdout);
    fmt::print(stderr, "memleak: interrupted: {}\n", kept_note(o.out, series));
    return kExitInterrupted;
  }
  fmt::print("{}\n", kept_note(o.out, series));
  if (check) {
    const auto& paths = series.front().paths;
    if (paths.size() < 2) throw core::UsageError("--check needs at least two snapshots (--count)");
    auto report = analyse_paths(paths);
    core::apply_suppressions(report, suppressions);
    report.gate = core::evaluate_gate(report, policy);
    print_gate(*report.gate);
    if (!report.gate->passed) return 1;
  }
  fmt::print("next: memleak diff {}\n",
             (fs::path(o.out) / fmt::format("{}.*.pb.gz", series.front().stem)).string());
  return 0;
}

}  // namespace

Runner setup_record(CLI::App& sub) {
  auto o = std::make_shared<RecordOptions>();
  sub.add_option("URL", o->url,
                 "the service: http://HOST:PORT (fetches /debug/pprof/heap?gc=1), or the full URL "
                 "of a pprof endpoint, used as given")
      ->required();
  sub.add_option("--every", o->every, "time between snapshots (default 30s)");
  sub.add_option("--count", o->count, "snapshots to take (default 10; 0 = until Ctrl-C)");
  sub.add_option("--out", o->out,
                 "directory for heap.NNNN.pb.gz (created if missing; must not hold a series)")
      ->required();
  sub.add_flag("--goroutines", o->goroutines,
               "also fetch /debug/pprof/goroutine into goroutine.NNNN.pb.gz");
  sub.add_option("--timeout", o->timeout, "limit for each request (default 30s)");
  sub.add_option("--header", o->headers, "send 'Name: value' with each request (repeatable)");
  sub.add_option("--bearer-token-env", o->bearer_token_env,
                 "send 'Authorization: Bearer' with the token in environment variable VAR "
                 "(default: MEMLEAK_BEARER_TOKEN, when set)");
  sub.add_flag("--check", o->check,
               "evaluate the gate after every snapshot and stop with exit 1 once a threshold is "
               "crossed (default rule: --fail-on leak)");
  add_gate_options(sub, o->gate);
  sub.footer(R"(Examples:
  memleak record http://127.0.0.1:6060 --every 30s --count 10 --out heap-series
  memleak record localhost:6060 --every 1m --count 0 --out series --goroutines
  memleak record https://svc.example/debug/pprof/heap?gc=1 --bearer-token-env TOKEN --out s
  memleak record http://127.0.0.1:6060 --every 10s --count 30 --out s --check --max-growth 50MiB

Exit status: 0 done, 1 --check: a threshold was crossed (recording stops there), 2 error,
130 interrupted by Ctrl-C (SIGINT) or SIGTERM after the fetch in progress. Snapshots already
written are kept in every case.)");
  return [o]() { return record(*o); };
}

}  // namespace memleak::cli
