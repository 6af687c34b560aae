// Tests of the machine-readable writers (csv, markdown, junit, pprof, folded) over Reports
// built in memory, with names that need escaping in every format (<>&|;",`), exact golden
// outputs, invariants (shown rows plus others equal the total), a pprof round trip through the
// generated classes and through `go tool pprof -top`, and the JSON report checked against
// formats/output/report.schema.json, on the in-memory Report and on a real recording.
#include <doctest/doctest.h>

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/inputs.h"
#include "cli/options.h"
#include "core/analyse.h"
#include "core/gate.h"
#include "core/report.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"

#include <google/protobuf/stubs/logging.h>
#if __has_include("pprof/profile.pb.h")
#include "pprof/profile.pb.h"
#else
#include "profile.pb.h"
#endif

namespace fs = std::filesystem;
using namespace memleak;
using core::SiteFrame;
using core::SiteRow;
using core::Verdict;

namespace {

// Frame lists are read-only views; an edited copy replaces the whole list.
template <class Edit>
void edit_frames(core::FrameList& frames, Edit edit) {
  auto v = frames.resolve();
  edit(v);
  frames = std::move(v);
}

SiteFrame frame(std::string function, std::string file, uint32_t line, bool program) {
  SiteFrame f;
  f.function = std::move(function);
  f.file = std::move(file);
  f.line = line;
  f.program = program;
  return f;
}

SiteRow row(size_t rank, Verdict verdict, std::vector<SiteFrame> frames,
            std::vector<SiteFrame> stack, std::vector<int64_t> values) {
  SiteRow r;
  r.rank = rank;
  r.key = frames.empty() ? "(none)" : frames.front().function;
  r.frames = std::move(frames);
  r.stack = std::move(stack);
  r.values = std::move(values);
  r.first = r.values.front();
  r.last = r.values.back();
  r.delta = r.last - r.first;
  if (r.first != 0) r.delta_pct = 100.0 * double(r.delta) / double(r.first);
  r.trend.verdict = verdict;
  r.trend.first = double(r.first);
  r.trend.last = double(r.last);
  r.trend.delta = double(r.delta);
  return r;
}

// Three snapshots a minute apart: a C++ leak with template arguments, a growing site whose
// names hold ; " , | and a backtick, a suppressed shrinking operator<, and four other sites.
core::Report sample_report() {
  core::Report r;
  r.metric = core::Metric::LiveBytes;
  r.kind = "heap";
  r.format = "massif";
  r.time_unit = core::TimeUnit::Seconds;
  const std::vector<int64_t> totals = {1000, 1600, 2300};
  for (size_t i = 0; i < 3; ++i) {
    core::ReportSnapshot s;
    s.index = i;
    s.source = "/tmp/run/massif.out." + std::to_string(i + 1);
    s.label = "massif.out." + std::to_string(i + 1);
    s.time = 100.0 + 60.0 * double(i);
    s.total = totals[i];
    r.snapshots.push_back(s);
  }
  const SiteFrame malloc_ = frame("malloc", "", 0, false);
  const SiteFrame put = frame("Cache<std::string, int>::put", "src/cache.h", 42, true);
  const SiteFrame main_ = frame("main", "src/main.cpp", 9, true);
  auto leak = row(1, Verdict::Leak, {malloc_, put}, {malloc_, put, main_}, {100, 600, 1200});
  leak.rate_per_second = 9.16667;
  leak.trend.p_value = 0.0123;
  leak.trend.reason = "sustained growth: up in 2 of 2 steps, p=0.012";
  leak.share = 0.916667;
  leak.hint = "heap: plain allocations (new/malloc/make) that are never freed";

  const SiteFrame parse = frame("parse;tokens \"x\", y|`z`", "src/p,q.c", 7, true);
  auto growing = row(2, Verdict::Growing, {parse}, {parse, main_}, {200, 250, 300});
  growing.rate_per_second = 0.833333;
  growing.trend.p_value = 0.5;
  growing.trend.reason = "grew, but 3 snapshots are too few for a trend";
  growing.share = 0.0833333;

  const SiteFrame less = frame("operator<(Foo const&, Foo const&)", "src/io.cpp", 0, true);
  auto shrinking = row(3, Verdict::Shrinking, {less}, {less, main_}, {500, 450, 400});
  shrinking.rate_per_second = -0.833333;
  shrinking.trend.p_value = 0.5;
  shrinking.suppressed_by = "leak:operator<";
  r.sites = {leak, growing, shrinking};

  SiteRow others;
  others.key = "(others)";
  others.values = {200, 300, 400};
  others.first = 200;
  others.last = 400;
  others.delta = 200;
  others.delta_pct = 100.0;
  r.others = others;

  r.total_first = 1000;
  r.total_last = 2300;
  r.total_delta = 1300;
  r.total_rate_per_second = 10.8333;
  r.site_count = 7;
  r.leak_count = 1;
  r.leak_rate_per_second = 9.16667;
  r.notes = {"3 snapshots: a leak verdict needs at least 4"};
  r.warnings = {"massif.out.2: <heap_tree> & more"};
  return r;
}

core::GateViolation violation(std::string rule, std::string measured, std::string limit,
                              std::string site) {
  core::GateViolation v;
  v.rule = std::move(rule);
  v.measured = std::move(measured);
  v.limit = std::move(limit);
  v.site = std::move(site);
  return v;
}

core::Report gated_report() {
  auto r = sample_report();
  core::GateResult g;
  g.passed = false;
  g.rules = {"max-growth 10%", "fail-on leak", "max-new-sites 0"};
  g.violations = {violation("max-growth", "+1.3 KiB (+130.0%)", "10%", ""),
                  violation("fail-on", "leak", "leak", "Cache<std::string, int>::put")};
  r.gate = g;
  return r;
}

formats::WriteOptions opts(std::string command) {
  formats::WriteOptions o;
  o.command = std::move(command);
  return o;
}

std::string gunzip(const std::string& in) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 32) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = uInt(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

pprof::Profile parse_pprof(const std::string& gz) {
  pprof::Profile p;
  REQUIRE(p.ParseFromString(gunzip(gz)));
  return p;
}

// Function names of a sample's locations, leaf first.
std::vector<std::string> sample_functions(const pprof::Profile& p, const pprof::Sample& s) {
  std::map<uint64_t, std::string> fn;
  for (const auto& f : p.function()) fn[f.id()] = p.string_table(int(f.name()));
  std::map<uint64_t, std::string> loc;
  for (const auto& l : p.location()) loc[l.id()] = fn.at(l.line(0).function_id());
  std::vector<std::string> out;
  for (auto id : s.location_id()) out.push_back(loc.at(id));
  return out;
}

// Runs a shell command, returns its stdout and exit status.
std::pair<std::string, int> run(const std::string& command) {
  std::string out;
  FILE* f = ::popen(command.c_str(), "r");
  REQUIRE(f != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const int status = ::pclose(f);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

bool have_go() { return run("command -v go >/dev/null 2>&1").second == 0; }

// `go tool pprof -top` of `bytes`: flat value per function name, in bytes or counts.
std::map<std::string, int64_t> pprof_top_flat(const std::string& bytes, const std::string& name) {
  const fs::path path = fs::temp_directory_path() / (name + "." + std::to_string(::getpid()) + ".pb.gz");
  {
    std::ofstream f(path, std::ios::binary);
    f << bytes;
  }
  const auto [out, status] =
      run("go tool pprof -top -sample_index=0 -unit=B -nodefraction=0 -edgefraction=0 "
          "-nodecount=100000 '" + path.string() + "' 2>&1");
  fs::remove(path);
  INFO(out);
  REQUIRE(status == 0);
  // "      flat  flat%   sum%        cum   cum%" rows: "  1100B 84.62% 84.62%  1100B 84.62%  name"
  static const std::regex kRow(R"(^\s*(-?\d+)B?\s+-?[\d.]+%\s+-?[\d.]+%\s+-?\d+B?\s+-?[\d.]+%\s+(.+)$)");
  std::map<std::string, int64_t> flat;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kRow)) flat[m[2]] += std::stoll(m[1]);
  }
  return flat;
}

// --- A validator for the subset of JSON Schema (2020-12) that formats/output/report.schema.json uses:
// type, enum, const, properties, required, additionalProperties: false, items, oneOf, and
// $ref to "#/$defs/NAME". Any other keyword is an error, so the schema cannot silently rely
// on something this validator ignores.
using Json = nlohmann::ordered_json;

bool has_type(const Json& v, const std::string& t) {
  if (t == "null") return v.is_null();
  if (t == "boolean") return v.is_boolean();
  if (t == "integer") return v.is_number_integer();
  if (t == "number") return v.is_number();
  if (t == "string") return v.is_string();
  if (t == "array") return v.is_array();
  if (t == "object") return v.is_object();
  FAIL("schema: unknown type " << t);
  return false;
}

void validate(const Json& root, const Json& schema, const Json& v, const std::string& where,
              std::vector<std::string>& errors) {
  static const std::set<std::string> kAnnotations = {"$schema", "$id", "title", "description",
                                                     "$defs"};
  static const std::set<std::string> kKeywords = {"type", "enum", "const", "properties",
                                                  "required", "additionalProperties", "items",
                                                  "oneOf", "$ref"};
  for (const auto& [k, _] : schema.items())
    if (!kAnnotations.count(k) && !kKeywords.count(k))
      errors.push_back(where + ": schema keyword '" + k + "' is not supported by this validator");
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    REQUIRE(ref.rfind("#/$defs/", 0) == 0);
    validate(root, root["$defs"].at(ref.substr(8)), v, where, errors);
  }
  if (schema.contains("type")) {
    const Json& t = schema["type"];
    bool ok = false;
    if (t.is_string()) ok = has_type(v, t);
    for (const auto& x : t.is_array() ? t : Json::array()) ok |= has_type(v, x);
    if (!ok) errors.push_back(where + ": expected type " + t.dump() + ", got " + v.dump());
  }
  if (schema.contains("enum")) {
    bool ok = false;
    for (const auto& x : schema["enum"]) ok |= x == v;
    if (!ok) errors.push_back(where + ": " + v.dump() + " not in " + schema["enum"].dump());
  }
  if (schema.contains("const") && schema["const"] != v)
    errors.push_back(where + ": expected " + schema["const"].dump() + ", got " + v.dump());
  if (schema.contains("oneOf")) {
    size_t matches = 0;
    for (const auto& s : schema["oneOf"]) {
      std::vector<std::string> sub;
      validate(root, s, v, where, sub);
      matches += sub.empty();
    }
    if (matches != 1)
      errors.push_back(where + ": matches " + std::to_string(matches) + " of oneOf, not 1");
  }
  if (v.is_object()) {
    for (const auto& k : schema.value("required", Json::array()))
      if (!v.contains(k)) errors.push_back(where + ": missing required key " + k.dump());
    const Json props = schema.value("properties", Json::object());
    for (const auto& [k, x] : v.items()) {
      if (props.contains(k)) validate(root, props[k], x, where + "." + k, errors);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false)
        errors.push_back(where + ": unexpected key \"" + k + "\"");
    }
  }
  if (v.is_array() && schema.contains("items"))
    for (size_t i = 0; i < v.size(); ++i)
      validate(root, schema["items"], v[i], where + "[" + std::to_string(i) + "]", errors);
}

Json load_schema() {
  std::ifstream f(std::string(MEMLEAK_SOURCE_DIR) + "/formats/output/report.schema.json");
  REQUIRE(f);
  return Json::parse(f);
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

std::vector<std::string> schema_errors(const Json& schema, const std::string& json_text) {
  std::vector<std::string> errors;
  validate(schema, schema, Json::parse(json_text), "$", errors);
  return errors;
}

// The chatroom recording (Go heap profiles: rows sharing a naming frame, others) through the real reader and analysis.
std::optional<core::Report> real_report() {
  const fs::path dir = fs::path(MEMLEAK_SHARED_DIR) / "corpus/go/chatroom";
  if (!fs::exists(dir)) return std::nullopt;
  cli::InputOptions in;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("heap.", 0) == 0) in.inputs.push_back(e.path().string());
  std::sort(in.inputs.begin(), in.inputs.end());
  auto loaded = cli::load_inputs(in, "");
  cli::AnalysisCliOptions ao;
  auto r = cli::analyse_series(loaded, ao);
  (void)core::keep_top(r, 6);
  return r;
}

int64_t shown_plus_others(const core::Report& r) {
  int64_t sum = r.others ? r.others->delta : 0;
  for (const auto& s : r.sites) sum += s.delta;
  return sum;
}

}  // namespace

TEST_CASE("formats::write_csv writer") {
  SUBCASE("a header, one row per shown site, others and total, quoted per RFC 4180") {
    CHECK(formats::write_csv(sample_report(), opts("diff")) ==
          "rank,verdict,function,file,line,first,last,delta,delta_pct,rate_per_second,p_value,"
          "share,hint,suppressed_by,site,v0,v1,v2\n"
          "1,leak,\"Cache<std::string, int>::put\",src/cache.h,42,100,1200,1100,1100,9.16667,"
          "0.0123,0.916667,heap: plain allocations (new/malloc/make) that are never freed,,"
          "\"malloc ← Cache<std::string, int>::put\",100,600,1200\n"
          "2,growing,\"parse;tokens \"\"x\"\", y|`z`\",\"src/p,q.c\",7,200,300,100,50,0.833333,"
          "0.5,0.0833333,,,\"parse;tokens \"\"x\"\", y|`z`\",200,250,300\n"
          "3,shrinking,\"operator<(Foo const&, Foo const&)\",src/io.cpp,,500,400,-100,-20,"
          "-0.833333,0.5,0,,leak:operator<,\"operator<(Foo const&, Foo const&)\",500,450,400\n"
          ",,(others),,,200,400,200,100,,,,,,,200,300,400\n"
          ",,(total),,,1000,2300,1300,,10.8333,,,,,,1000,1600,2300\n");
  }
  SUBCASE("the delta column of the shown rows and others adds up to the total row") {
    const auto r = sample_report();
    CHECK(shown_plus_others(r) == r.total_delta);
  }
  SUBCASE("a report without sites still has the header and the total") {
    core::Report r;
    r.snapshots.resize(2);
    CHECK(formats::write_csv(r, opts("diff")) ==
          "rank,verdict,function,file,line,first,last,delta,delta_pct,rate_per_second,p_value,"
          "share,hint,suppressed_by,site,v0,v1\n"
          ",,(total),,,0,0,0,,,,,,,,0,0\n");
  }
}

TEST_CASE("formats::site_path names a drill-down row's caller once") {
  // A caller path's frames end with its caller (row.path): the path is not added again.
  SiteRow path_row;
  path_row.frames = std::vector<SiteFrame>{frame("helper", "h.c", 1, true), frame("leaky", "l.c", 2, true)};
  path_row.path = std::make_shared<const SiteFrame>(frame("leaky", "l.c", 2, true));
  CHECK(formats::site_path(path_row) == "helper ← leaky");
  SiteRow rest;
  rest.frames = std::vector<SiteFrame>{frame("helper", "h.c", 1, true)};
  rest.other_callers = true;
  CHECK(formats::site_path(rest) == "helper (other callers)");
}

TEST_CASE("formats::write_text: a pair of runs lists what leaks inside the later run") {
  auto r = sample_report();
  r.leak_count = 0;
  r.sites[0].trend.verdict = Verdict::Growing;
  r.sites[0].trend.reason = "2 snapshots: a trend needs at least 4; in the last run: leak, through its caller main";
  r.sites[0].run_verdict = Verdict::Leak;
  r.sites[1].run_verdict = Verdict::Stable;
  const std::string section = "\nLeaking inside the later run:\n"
                              "  #1 Cache<…>::put (via malloc) at cache.h:42: +1.1 KiB, in the last run: leak, "
                              "through its caller main\n"
                              "     hint: heap: plain allocations (new/malloc/make) that are never freed\n";
  CHECK(formats::write_text(r, opts("diff")).find(section) == std::string::npos);  // no run context
  r.run_context = true;
  const std::string text = formats::write_text(r, opts("diff"));
  CHECK(text.find(section) != std::string::npos);
  CHECK(text.find("#2 parse") == std::string::npos);  // stable in the run: not listed
}

TEST_CASE("formats::write_markdown writer") {
  SUBCASE("without a gate the headline counts the likely leaks") {
    CHECK(formats::write_markdown(sample_report(), opts("diff")) ==
          "## ⚠️ memleak diff: 1 likely leak\n"
          "\n"
          "live_bytes of 3 massif snapshots (`massif.out.1` … `massif.out.3`): total 1000 B → "
          "2.2 KiB (+1.3 KiB)\n"
          "\n"
          "| # | verdict | site | location | first → last | delta | rate | trend |\n"
          "|--:|---------|------|----------|-------------:|------:|-----:|-------|\n"
          "| 1 | **leak** | `Cache<…>::put (via malloc)` | `cache.h:42` | 100 B → 1.2 KiB | +1.1 KiB "
          "| 550 B/min | ▁▄█ |\n"
          "| 2 | growing | `` parse;tokens \"x\", y\\|`z` `` | `p,q.c:7` | 200 B → 300 B | +100 B "
          "| 50 B/min | ▁▅█ |\n"
          "| 3 | shrinking (suppressed) | `operator<(Foo const&, Foo const&)` | `io.cpp` "
          "| 500 B → 400 B | -100 B | -50 B/min | █▅▁ |\n"
          "| | | (4 other sites) | | 200 B → 400 B | +200 B | | ▁▅█ |\n"
          "| | | **total** | | 1000 B → 2.2 KiB | +1.3 KiB | 11 B/s | ▁▄█ |\n"
          "\n"
          "- #1 `Cache<…>::put (via malloc)`: heap: plain allocations (new/malloc/make) that are "
          "never freed\n"
          "- note: 3 snapshots: a leak verdict needs at least 4\n"
          "- warning: massif.out.2: \\<heap\\_tree\\> & more\n");
  }
  SUBCASE("with a gate the verdict comes first, then the violations") {
    const std::string md = formats::write_markdown(gated_report(), opts("check"));
    CHECK(md.rfind("## ❌ memleak check: FAIL (2 violations)\n"
                   "\n"
                   "- **max-growth**: +1.3 KiB (+130.0%) (limit 10%)\n"
                   "- **fail-on** at `Cache<…>::put`: leak (limit leak)\n"
                   "\n"
                   "live_bytes of 3 massif snapshots",
                   0) == 0);
  }
  SUBCASE("a passing gate says PASS with the number of rules") {
    auto r = gated_report();
    r.gate->passed = true;
    r.gate->violations.clear();
    CHECK(formats::write_markdown(r, opts("check")).rfind(
              "## ✅ memleak check: PASS (3 rules checked)\n\nlive_bytes", 0) == 0);
  }
  SUBCASE("too few snapshots for a verdict say so instead of 'no leaks'") {
    auto r = sample_report();
    r.leak_count = 0;
    CHECK(formats::write_markdown(r, opts("diff")).rfind(
              "## memleak diff: no leak verdict (3 snapshots; a leak needs at least 4)\n", 0) == 0);
  }
}

TEST_CASE("formats::write_junit writer") {
  SUBCASE("with a gate: one case per rule and per flagged site, failing as the gate does") {
    CHECK(formats::write_junit(gated_report(), opts("check")) ==
          R"xml(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="memleak" tests="5" failures="3" skipped="0">
  <testsuite name="memleak" tests="5" failures="3" errors="0" skipped="0">
    <properties>
      <property name="metric" value="live_bytes"/>
      <property name="format" value="massif"/>
      <property name="snapshots" value="3"/>
      <property name="total_delta" value="1300"/>
      <property name="gate" value="fail"/>
    </properties>
    <testcase classname="memleak.gate" name="max-growth 10%">
      <failure message="max-growth: +1.3 KiB (+130.0%) (limit 10%)" type="max-growth"/>
    </testcase>
    <testcase classname="memleak.gate" name="fail-on leak">
      <failure message="fail-on: leak (limit leak) at Cache&lt;std::string, int&gt;::put" type="fail-on"/>
    </testcase>
    <testcase classname="memleak.gate" name="max-new-sites 0"/>
    <testcase classname="memleak.site" name="Cache&lt;std::string, int&gt;::put (via malloc)">
      <failure message="fail-on: leak (limit leak) at Cache&lt;std::string, int&gt;::put" type="fail-on"/>
      <system-out>#1 leak at cache.h:42: 100 B → 1.2 KiB (+1.1 KiB), rate 550 B/min
sustained growth: up in 2 of 2 steps, p=0.012
hint: heap: plain allocations (new/malloc/make) that are never freed
  at malloc
  at Cache&lt;std::string, int&gt;::put (src/cache.h:42)
  at main (src/main.cpp:9)
</system-out>
    </testcase>
    <testcase classname="memleak.site" name="parse;tokens &quot;x&quot;, y|`z`">
      <system-out>#2 growing at p,q.c:7: 200 B → 300 B (+100 B), rate 50 B/min
grew, but 3 snapshots are too few for a trend
  at parse;tokens &quot;x&quot;, y|`z` (src/p,q.c:7)
  at main (src/main.cpp:9)
</system-out>
    </testcase>
  </testsuite>
</testsuites>
)xml");
  }
  SUBCASE("without a gate: one failing case per leak site") {
    const std::string xml = formats::write_junit(sample_report(), opts("diff"));
    CHECK(xml.find(R"(<testsuites name="memleak" tests="1" failures="1" skipped="0">)") !=
          std::string::npos);
    CHECK(xml.find(R"xml(<testcase classname="memleak.site" name="Cache&lt;std::string, int&gt;::put (via malloc)">
      <failure message="leak: +1.1 KiB at cache.h:42" type="leak"/>)xml") != std::string::npos);
    CHECK(xml.find("memleak.gate") == std::string::npos);
  }
  SUBCASE("a suppressed leak is skipped, not failed") {
    auto r = sample_report();
    r.sites[0].suppressed_by = "leak:Cache";
    const std::string xml = formats::write_junit(r, opts("diff"));
    CHECK(xml.find(R"(tests="1" failures="0" skipped="1")") != std::string::npos);
    CHECK(xml.find(R"(<skipped message="suppressed by leak:Cache"/>)") != std::string::npos);
  }
  SUBCASE("several violations of one rule are listed in the failure's body") {
    auto r = gated_report();
    r.gate->violations.push_back(violation("fail-on", "growing", "growing", "other & <site>"));
    const std::string xml = formats::write_junit(r, opts("check"));
    CHECK(xml.find(R"xml(<failure message="2 violations" type="gate">fail-on: leak (limit leak) at Cache&lt;std::string, int&gt;::put
fail-on: growing (limit growing) at other &amp; &lt;site&gt;
</failure>)xml") != std::string::npos);
  }
  SUBCASE("a violation fails only the row it is about, not others of the same name") {
    auto r = gated_report();
    // A second row ending in the same program frame (another allocator leaf), stable, and
    // the same row again as leak: violations tell them apart by verdict and growth.
    auto twin = r.sites[0];
    twin.rank = 4;
    edit_frames(twin.frames, [](auto& v) { v[0].function = "calloc"; });
    twin.trend.verdict = Verdict::Stable;
    twin.values = {50, 50, 60};
    twin.first = 50;
    twin.last = 60;
    twin.delta = 10;
    r.sites.push_back(twin);
    r.gate->rules.push_back("max-site-growth 1KiB");
    r.gate->violations.push_back(
        violation("max-site-growth", "+1.1 KiB (+1100.0%)", "1.0 KiB", "Cache<std::string, int>::put"));
    const std::string xml = formats::write_junit(r, opts("check"));
    CHECK(xml.find("(via calloc)") == std::string::npos);
    CHECK(xml.find(R"xml(<testcase classname="memleak.site" name="Cache&lt;std::string, int&gt;::put (via malloc)">
      <failure message="2 violations" type="gate">)xml") != std::string::npos);
    twin.trend.verdict = Verdict::Growing;  // flagged now, but no violation is about it
    r.sites.back() = twin;
    const std::string xml2 = formats::write_junit(r, opts("check"));
    CHECK(xml2.find(R"xml(<testcase classname="memleak.site" name="Cache&lt;std::string, int&gt;::put (via calloc)">
      <system-out>)xml") != std::string::npos);
  }
  SUBCASE("rows whose titles collide are named by their whole frame path") {
    auto r = sample_report();
    auto twin = r.sites[0];
    twin.rank = 4;
    edit_frames(twin.frames, [](auto& v) {
      v.insert(v.begin() + 1, frame("std::allocator<int>::allocate", "", 0, false));
    });
    r.sites.push_back(twin);
    const std::string xml = formats::write_junit(r, opts("diff"));
    CHECK(xml.find(R"xml(name="malloc ← Cache&lt;std::string, int&gt;::put")xml") != std::string::npos);
    CHECK(xml.find(R"xml(name="malloc ← std::allocator&lt;int&gt;::allocate ← Cache&lt;std::string, int&gt;::put")xml") !=
          std::string::npos);
  }
  SUBCASE("control characters are replaced: the XML stays well-formed") {
    auto r = sample_report();
    edit_frames(r.sites[0].frames, [](auto& v) { v[1].function = std::string("bad\x01name"); });
    const std::string xml = formats::write_junit(r, opts("diff"));
    CHECK(xml.find('\x01') == std::string::npos);
    CHECK(xml.find("bad\xEF\xBF\xBDname") != std::string::npos);
  }
}

TEST_CASE("formats::write_folded writer") {
  SUBCASE("root first, the delta last, ; made safe, negative deltas kept") {
    CHECK(formats::write_folded(sample_report(), opts("diff")) ==
          "main;Cache<std::string, int>::put;malloc 1100\n"
          "main;parse:tokens \"x\", y|`z` 100\n"
          "main;operator<(Foo const&, Foo const&) -100\n"
          "(others) 200\n");
  }
  SUBCASE("the values add up to the total delta") {
    const auto r = sample_report();
    int64_t sum = 0;
    std::istringstream lines(formats::write_folded(r, opts("diff")));
    std::string line;
    while (std::getline(lines, line)) sum += std::stoll(line.substr(line.rfind(' ') + 1));
    CHECK(sum == r.total_delta);
  }
  SUBCASE("line breaks in names cannot split a line") {
    auto r = sample_report();
    edit_frames(r.sites[0].stack, [](auto& v) { v[2].function = "a\nb\tc"; });
    CHECK(formats::write_folded(r, opts("diff")).rfind("a b c;Cache", 0) == 0);
  }
}

TEST_CASE("formats::write_pprof writer") {
  const auto r = sample_report();
  const std::string gz = formats::write_pprof(r, opts("diff"));
  const auto p = parse_pprof(gz);

  SUBCASE("one sample type, pprof's name for the metric") {
    REQUIRE(p.string_table_size() > 0);
    CHECK(p.string_table(0) == "");
    REQUIRE(p.sample_type_size() == 1);
    CHECK(p.string_table(int(p.sample_type(0).type())) == "inuse_space");
    CHECK(p.string_table(int(p.sample_type(0).unit())) == "bytes");
    CHECK(p.time_nanos() == 220'000'000'000);
    CHECK(p.duration_nanos() == 120'000'000'000);
  }
  SUBCASE("one sample per shown row plus others; values are the deltas and add up") {
    REQUIRE(p.sample_size() == 4);
    int64_t sum = 0;
    for (int i = 0; i < 3; ++i) CHECK(p.sample(i).value(0) == r.sites[size_t(i)].delta);
    CHECK(p.sample(3).value(0) == r.others->delta);
    for (const auto& s : p.sample()) sum += s.value(0);
    CHECK(sum == r.total_delta);
  }
  SUBCASE("locations are the representative stack, leaf first; others is one location") {
    CHECK(sample_functions(p, p.sample(0)) ==
          std::vector<std::string>{"malloc", "Cache<std::string, int>::put", "main"});
    CHECK(sample_functions(p, p.sample(2)) ==
          std::vector<std::string>{"operator<(Foo const&, Foo const&)", "main"});
    CHECK(sample_functions(p, p.sample(3)) == std::vector<std::string>{"(others)"});
  }
  SUBCASE("functions and locations are deduplicated") {
    // malloc, put, main, parse, operator<, (others); "main" at one line is one location.
    CHECK(p.function_size() == 6);
    CHECK(p.location_size() == 6);
    CHECK(p.sample(0).location_id(2) == p.sample(1).location_id(1));
  }
  SUBCASE("samples carry the verdict and rank as labels") {
    REQUIRE(p.sample(0).label_size() == 2);
    CHECK(p.string_table(int(p.sample(0).label(0).key())) == "verdict");
    CHECK(p.string_table(int(p.sample(0).label(0).str())) == "leak");
    CHECK(p.string_table(int(p.sample(0).label(1).key())) == "rank");
    CHECK(p.sample(0).label(1).num() == 1);
  }
  SUBCASE("the output is deterministic") { CHECK(formats::write_pprof(r, opts("diff")) == gz); }
  SUBCASE("names that are not UTF-8 are written as they are, without libprotobuf errors") {
    auto bad = sample_report();
    edit_frames(bad.sites[0].stack, [](auto& v) { v[1].function = "ab\xff\xfe"; });
    int logged = 0;
    static int* counter = nullptr;
    counter = &logged;
    auto previous = google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char*, int, const std::string&) { ++*counter; });
    const auto q = parse_pprof(formats::write_pprof(bad, opts("diff")));
    google::protobuf::SetLogHandler(previous);
    CHECK(logged == 0);
    CHECK(sample_functions(q, q.sample(0))[1] == "ab\xff\xfe");
  }
  SUBCASE("a count metric uses pprof's count names") {
    auto c = sample_report();
    c.metric = core::Metric::Goroutines;
    const auto q = parse_pprof(formats::write_pprof(c, opts("diff")));
    CHECK(q.string_table(int(q.sample_type(0).type())) == "goroutine");
    CHECK(q.string_table(int(q.sample_type(0).unit())) == "count");
  }
}

TEST_CASE("formats::write_pprof writer read by go tool pprof -top") {
  if (!have_go()) {
    MESSAGE("go is not installed: skipping the go tool pprof check");
    return;
  }
  SUBCASE("flat values per leaf function are the report's deltas") {
    const auto r = sample_report();
    const auto flat = pprof_top_flat(formats::write_pprof(r, opts("diff")), "writers-sample");
    CHECK(flat.at("malloc") == 1100);
    CHECK(flat.at("parse;tokens \"x\", y|`z`") == 100);
    CHECK(flat.at("operator<(Foo const&, Foo const&)") == -100);
    CHECK(flat.at("(others)") == 200);
  }
  SUBCASE("on a real recording") {
    auto r = real_report();
    if (!r) {
      MESSAGE("no corpus at " MEMLEAK_SHARED_DIR ": skipping");
      return;
    }
    const auto flat = pprof_top_flat(formats::write_pprof(*r, opts("diff")), "writers-real");
    std::map<std::string, int64_t> expected;
    for (const auto& s : r->sites) {
      REQUIRE(!s.stack.empty());
      expected[core::display_function(s.stack.front())] += s.delta;
    }
    if (r->others) expected["(others)"] += r->others->delta;
    for (const auto& [name, delta] : expected) {
      INFO(name);
      if (delta == 0) continue;  // pprof drops empty samples
      REQUIRE(flat.count(name) == 1);
      CHECK(flat.at(name) == delta);
    }
  }
}

TEST_CASE("formats::write_json writer matches formats/output/report.schema.json") {
  const Json schema = load_schema();
  SUBCASE("a report with a gate, others and times") {
    const auto errors = schema_errors(schema, formats::write_json(gated_report(), opts("check")));
    CHECK(joined(errors) == "");
  }
  SUBCASE("a report with every nullable field null") {
    auto r = sample_report();
    r.time_unit = core::TimeUnit::None;
    r.others.reset();
    for (auto& s : r.snapshots) s.time.reset();
    for (auto& s : r.sites) {
      s.delta_pct.reset();
      s.rate_per_second.reset();
      s.suppressed_by.reset();
      s.hint.clear();
      edit_frames(s.frames, [](auto& v) {
        v[0].function.clear();
        v[0].file.clear();
      });
    }
    r.sites[0].path = std::make_shared<const core::SiteFrame>(frame("caller", "src/x.cpp", 3, true));
    const auto errors = schema_errors(schema, formats::write_json(r, opts("diff")));
    CHECK(joined(errors) == "");
  }
  SUBCASE("the real output of a recording, diff and check") {
    auto r = real_report();
    if (!r) {
      MESSAGE("no corpus at " MEMLEAK_SHARED_DIR ": skipping");
      return;
    }
    auto errors = schema_errors(schema, formats::write_json(*r, opts("diff")));
    CHECK(joined(errors) == "");
    core::GatePolicy policy;
    policy.fail_on = Verdict::Leak;
    policy.rule_texts = {"fail-on leak"};
    r->gate = core::evaluate_gate(*r, policy);
    errors = schema_errors(schema, formats::write_json(*r, opts("check")));
    CHECK(joined(errors) == "");
  }
  SUBCASE("the schema lists the keys in the order the writer writes them") {
    const Json j = Json::parse(formats::write_json(gated_report(), opts("check")));
    auto keys = [](const Json& o) {
      std::vector<std::string> k;
      for (const auto& [name, _] : o.items()) k.push_back(name);
      return k;
    };
    CHECK(keys(j) == keys(schema["properties"]));
    CHECK(keys(j["sites"][0]) == keys(schema["$defs"]["site"]["properties"]));
    CHECK(keys(j["sites"][0]["frames"][0]) == keys(schema["$defs"]["frame"]["properties"]));
    CHECK(keys(j["snapshots"][0]) == keys(schema["$defs"]["snapshot"]["properties"]));
    CHECK(keys(j["others"]) == keys(schema["$defs"]["others"]["properties"]));
    CHECK(keys(j["gate"]) == keys(schema["$defs"]["gate"]["properties"]));
    CHECK(keys(j["gate"]["violations"][0]) == keys(schema["$defs"]["violation"]["properties"]));
  }
  SUBCASE("the validator rejects what the schema forbids") {
    Json j = Json::parse(formats::write_json(gated_report(), opts("check")));
    auto errors_of = [&](const Json& bad) {
      std::vector<std::string> errors;
      validate(schema, schema, bad, "$", errors);
      return errors;
    };
    Json extra = j;
    extra["sites"][0]["surprise"] = 1;
    CHECK(errors_of(extra) == std::vector<std::string>{"$.sites[0]: unexpected key \"surprise\""});
    Json missing = j;
    missing["gate"].erase("rules");
    CHECK(errors_of(missing) ==
          std::vector<std::string>{"$.gate: matches 0 of oneOf, not 1"});
    Json verdict = j;
    verdict["sites"][1]["verdict"] = "leaky";
    CHECK(errors_of(verdict).size() == 1);
    Json type = j;
    type["total"]["delta"] = "1300";
    CHECK(errors_of(type).size() == 1);
  }
}

TEST_CASE("formats::write_json writes what one document dumped with an indent of 2 gives") {
  // The writer writes rows and frames without building a document (for large reports); the
  // bytes must be those of the document, which parsing and dumping again reproduces. Names
  // with quotes, a backslash, a tab, UTF-8, bytes that are not UTF-8, and an unknown function.
  auto r = gated_report();
  SiteFrame odd = frame("tab\there \"q\" back\\slash é \xff\xfe end", "f\x01.c", 3, true);
  SiteFrame unknown = frame("", "", 0, false);
  unknown.module = "libx.so";
  unknown.address = 0x1234;
  auto weird = row(4, Verdict::Stable, {odd}, {unknown, odd}, {1, 1, 1});
  weird.path = std::make_shared<const core::SiteFrame>(odd);
  r.sites.push_back(weird);
  core::Report empty = sample_report();
  empty.sites.clear();
  empty.others.reset();
  empty.gate.reset();
  for (const core::Report* report : {&r, &empty}) {
    const std::string out = formats::write_json(*report, formats::WriteOptions{});
    const auto doc = nlohmann::ordered_json::parse(out);
    CHECK(out == doc.dump(2, ' ', false) + "\n");
  }
  const auto doc = nlohmann::ordered_json::parse(formats::write_json(r, formats::WriteOptions{}));
  const auto& last = doc["sites"].back();
  CHECK(last["frames"][0]["function"] == "tab\there \"q\" back\\slash é \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(last["frames"][0]["file"] == "f\x01.c");
  CHECK(last["stack"][0]["function"].is_string());  // module+offset for an unknown function
  CHECK(last["stack"][0]["module"] == "libx.so");
  CHECK(doc["sites"].size() == 4);
}

// The bundled recordings of both C formats and the heap profiles of one Go scenario (a
// series of files), each a list of paths for cli::load_inputs.
// The inputs `paths` loaded as the cli loads them (default options).
static cli::LoadedSeries load_paths(const std::vector<std::string>& paths) {
  cli::InputOptions in;
  in.inputs = paths;
  return cli::load_inputs(in, "");
}

static std::vector<std::vector<std::string>> recorded_inputs(const std::string& heaptrack,
                                                             const std::string& massif,
                                                             const std::string& go_scenario) {
  const fs::path data = fs::path(MEMLEAK_SOURCE_DIR) / "testdata";
  std::vector<std::vector<std::string>> inputs = {
      {(data / "c/recordings" / heaptrack).string()},
      {(data / "c/recordings" / massif).string()},
  };
  std::vector<std::string> series;
  for (const auto& e : fs::directory_iterator(data / "go/profiles" / go_scenario))
    if (e.path().filename().string().rfind("heap.", 0) == 0) series.push_back(e.path().string());
  std::sort(series.begin(), series.end());
  REQUIRE(series.size() >= 3);
  inputs.push_back(series);
  return inputs;
}

TEST_CASE("formats::write_json: a byte JSON escapes, at any place of a name of any length") {
  // Names are checked 16 bytes at a time and their tail byte by byte: each class of byte
  // that the library writes differently (quote, backslash, control, DEL, not ASCII) at every
  // place of names of 0 to 40 bytes; the bytes must be those of the dumped document.
  auto r = gated_report();
  std::vector<SiteFrame> stack;
  for (const char bad : {'"', '\\', '\x01', '\x1f', '\x7f', '\xc3'}) {
    for (size_t len = 0; len <= 40; ++len) {
      for (size_t at = 0; at <= len; ++at) {
        std::string name(len, 'n');
        if (at < len) {
          name[at] = bad;
          if (bad == '\xc3' && at + 1 < len) name[at + 1] = '\xa9';  // "é", valid UTF-8
        }
        stack.push_back(frame(name, name, 1, false));
      }
    }
  }
  const size_t frames = stack.size();
  const SiteFrame first = stack.front();
  r.sites.push_back(row(4, Verdict::Stable, {first}, std::move(stack), {1, 1, 1}));
  const std::string out = formats::write_json(r, formats::WriteOptions{});
  const auto doc = nlohmann::ordered_json::parse(out);
  CHECK(out == doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
  const auto& written = doc["sites"].back()["stack"];
  REQUIRE(written.size() == frames);
  // The ASCII ones read back as they were.
  CHECK(written[0]["function"] == nullptr);  // "" is null
  CHECK(written[1]["function"] == "\"");
  // Second class (861 = 41 * 42 / 2 names in each), length 5 (from 15 = 5 * 6 / 2), at 4.
  CHECK(written[861 + 15 + 4]["function"] == "nnnn\\");
}

// Rows of a real report share frames (callers common to many sites) read from their
// profiles, and writers make what they show of a frame once and reuse it (frame_memo.h):
// every writer's bytes must be those written from each row's own copies of its frames.
TEST_CASE("formats::writers: frames from profiles as from the rows' own copies") {
  for (const auto& paths :
       recorded_inputs("heaptrack.leaky_cpp.zst", "massif.out.leaky_cpp.ms", "webcache")) {
    CAPTURE(paths.front());
    auto loaded = load_paths(paths);
    core::Report report = cli::analyse_series(loaded, cli::AnalysisCliOptions{});
    REQUIRE(report.sites.size() > 3);
    // Frames shared between rows (else the copying is not exercised).
    std::map<std::pair<const core::FrameSource*, core::FrameId>, std::set<size_t>> rows_of;
    for (size_t r = 0; r < report.sites.size(); ++r)
      for (const auto* list : {&report.sites[r].frames, &report.sites[r].stack})
        for (size_t i = 0; i < list->size(); ++i)
          if (list->source() != nullptr) rows_of[{list->source(), list->id(i)}].insert(r);
    CHECK(std::any_of(rows_of.begin(), rows_of.end(),
                      [](const auto& e) { return e.second.size() > 1; }));
    auto write_all = [&] {
      std::vector<std::string> outs;
      for (const auto& w : formats::writers())
        outs.push_back(formats::write_to_string(w.write, report, opts("diff")));
      return outs;
    };
    const std::vector<std::string> from_profiles = write_all();
    for (auto& row : report.sites) {
      row.frames = row.frames.resolve();
      row.stack = row.stack.resolve();
    }
    const std::vector<std::string> from_copies = write_all();
    for (size_t i = 0; i < from_profiles.size(); ++i) {
      CAPTURE(formats::writers()[i].name);
      CHECK(from_copies[i] == from_profiles[i]);
    }
  }
}

// analyse_series releases the profiles' samples once they are aligned (core::release_samples):
// the report must be the one the series gives with every sample still there, for a series of
// files (with the drill-down), a heaptrack trace cut into slices and a massif file.
TEST_CASE("cli::analyse_series: releasing the samples after alignment changes no report") {
  for (const auto& paths :
       recorded_inputs("heaptrack.leaky_cpp.zst", "massif.out.leaky_c.ms", "sharedhelper")) {
    CAPTURE(paths.front());
    auto loaded = load_paths(paths);
    // The report from the same profiles with their samples, without the cli's release.
    core::KeyPolicy policy;
    policy.metric = loaded.metric;
    std::vector<core::ProfileSlice> slices;
    for (size_t i = 0; i < loaded.profiles.size(); ++i) {
      std::span<const core::Snapshot> snaps = loaded.profiles[i]->snapshots;
      if (loaded.last_only[i]) snaps = snaps.last(1);
      slices.push_back({loaded.profiles[i].get(), snaps});
    }
    core::AnalysisOptions ao;
    ao.metric = loaded.metric;
    ao.drilldown = true;
    core::Report kept = core::analyse(core::align(slices, policy, 1), ao);
    kept.inputs.assign(loaded.profiles.begin(), loaded.profiles.end());
    const std::string expected = formats::write_json(kept, opts("diff"));

    std::vector<size_t> sample_counts;
    for (const auto& p : loaded.profiles)
      for (const auto& s : p->snapshots) sample_counts.push_back(s.samples.size());
    CHECK(std::count(sample_counts.begin(), sample_counts.end(), 0) < std::ssize(sample_counts));
    const auto totals_before = loaded.profiles.back()->snapshots.back().total.v;

    cli::AnalysisCliOptions options;
    const core::Report released = cli::analyse_series(loaded, options);
    CHECK(formats::write_json(released, opts("diff")) == expected);
    for (const auto& p : loaded.profiles)
      for (const auto& s : p->snapshots) CHECK(s.samples.empty());
    CHECK(loaded.profiles.back()->snapshots.back().total.v == totals_before);
  }
}
