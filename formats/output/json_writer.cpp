// The JSON report, schema "memleak.report" version 1 (documented in the README and in
// formats/output/report.schema.json). Keys are written in a fixed order; floats with 6 significant
// digits, so that output is stable across runs and platforms.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/units.h"
#include "formats/output/byte_sink.h"
#include "formats/output/frame_memo.h"
#include "formats/output/writers.h"

namespace memleak::formats {

using Json = nlohmann::ordered_json;

namespace {

Json real(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::stod(fmt::format("{:.6g}", v));
}
Json real(const std::optional<double>& v) { return v ? real(*v) : Json(nullptr); }
// Times are epoch seconds for pprof: keep microseconds, not 6 significant digits.
Json seconds(const std::optional<double>& t) {
  if (!t || !std::isfinite(*t)) return nullptr;
  return std::round(*t * 1e6) / 1e6;
}
Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// Names from real binaries are not always valid UTF-8: bad bytes become U+FFFD rather than
// failing the whole report.
std::string dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

// A frame's "function": its name; without one, what reports show for it (module+offset),
// or null when nothing is known ("???").
std::optional<std::string> function_value(const core::SiteFrame& f) {
  if (!f.function.empty()) return f.function;
  std::string shown = core::display_function(f);
  if (shown == "???") return std::nullopt;
  return shown;
}

Json frame_json(const core::SiteFrame& f) {
  Json j;
  const auto function = function_value(f);
  j["function"] = function ? Json(*function) : Json(nullptr);
  j["file"] = text_or_null(f.file);
  j["line"] = f.line ? Json(f.line) : Json(nullptr);
  j["module"] = text_or_null(f.module);
  j["inlined"] = f.inlined;
  j["program"] = f.program;
  return j;
}

Json values_json(const std::vector<int64_t>& values) {
  Json a = Json::array();
  for (auto v : values) a.push_back(v);
  return a;
}

// True when every byte of `s` is printable ASCII other than '"' and '\\', which JSON
// writes as they are. 16 bytes a step (GCC's and Clang's vector extension: one SSE2 or NEON
// register), the tail byte by byte: names are long C++ signatures, and the byte loop, which
// GCC does not vectorise at -O2, was 18% of writing a report of every site.
bool is_plain_json(std::string_view s) {
  using Bytes = signed char __attribute__((vector_size(16)));
  constexpr size_t kStep = sizeof(Bytes);
  const char* p = s.data();
  const char* const end = p + s.size();
  Bytes bad{};
  for (; end - p >= std::ptrdiff_t(kStep); p += kStep) {
    Bytes b;
    std::memcpy(&b, p, kStep);
    // Signed bytes: everything from 0x80 up is negative, so "< 0x20" also catches non-ASCII.
    bad |= (b < 0x20) | (b == 0x7f) | (b == '"') | (b == '\\');
  }
  uint64_t words[2];
  std::memcpy(words, &bad, kStep);
  if ((words[0] | words[1]) != 0) return false;
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

// A JSON string as dump() writes it: printable ASCII without quotes or backslashes (nearly
// every name) directly, anything else through the library (escapes, U+FFFD for bad UTF-8).
void append_string(std::string& out, std::string_view s) {
  if (is_plain_json(s)) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

void append_string_or_null(std::string& out, std::string_view s) {
  if (s.empty())
    out += "null";
  else
    append_string(out, s);
}

// `text` with `indent` after each of its newlines: a piece dumped alone, placed at the depth
// it has in the whole document.
void append_indented(std::string& out, std::string_view text, std::string_view indent) {
  for (size_t nl; (nl = text.find('\n')) != std::string_view::npos; text.remove_prefix(nl + 1)) {
    out.append(text.data(), nl + 1);
    out += indent;
  }
  out += text;
}

// Frame i of `frames` as dump() writes frame_json() as an element of an array of a row at
// `indent`: from the line of its "{" to its "}".
void append_frame(std::string& out, const core::FrameList& frames, size_t i,
                  std::string_view indent) {
  // Each key on a line of its own, after the previous value's comma.
  auto key = [&](std::string_view name, bool first = false) {
    if (!first) out += ",\n";
    out += indent;
    out += "      \"";
    out += name;
    out += "\": ";
  };
  out += indent;
  out += "    {\n";
  key("function", true);
  if (const std::string_view function = frames.function(i); !function.empty()) {
    append_string(out, function);
  } else if (const auto shown = function_value(frames[i])) {
    append_string(out, *shown);
  } else {
    out += "null";
  }
  key("file");
  append_string_or_null(out, frames.file(i));
  key("line");
  if (frames.line(i))
    fmt::format_to(std::back_inserter(out), "{}", frames.line(i));
  else
    out += "null";
  key("module");
  append_string_or_null(out, frames.module(i));
  key("inlined");
  out += frames.inlined(i) ? "true" : "false";
  key("program");
  out += frames.program(i) ? "true" : "false";
  out += "\n";
  out += indent;
  out += "    }";
}

// The text of every frame written so far (frame_memo.h): each distinct frame is written
// once and copied after (looking a frame and its strings up in the profile was a cache miss
// or three per frame, and with the string check the larger part of writing a large report).
// Valid for one indent (rows are all at the same depth).
class FrameTexts {
 public:
  explicit FrameTexts(std::string_view indent) : indent_(indent) {}
  std::string_view indent() const { return indent_; }

  void append(std::string& out, const core::FrameList& frames, size_t i) {
    if (frames.source() == nullptr) return append_frame(out, frames, i, indent_);  // owned
    const Span& span = spans_.get(frames, i, [&] {
      const size_t start = text_.size();
      append_frame(text_, frames, i, indent_);
      return Span{start, text_.size() - start};
    });
    out.append(text_, span.start, span.size);
  }

 private:
  struct Span {
    size_t start = 0, size = 0;
  };
  std::string_view indent_;
  std::string text_;
  FrameMemo<Span> spans_;
};

// A list of frames as dump() writes an array of frame_json() for a key of a row, the row
// being at the indent of `texts` (its lines start with it), without building it: a report of
// every site (--top 0) has tens of frames per row, and a document of them costs many times
// the output. Same bytes (the JSON golden tests hold).
void append_frames(std::string& out, const core::FrameList& frames, FrameTexts& texts) {
  if (frames.empty()) {
    out += "[]";
    return;
  }
  out += "[\n";
  for (size_t i = 0; i < frames.size(); ++i) {
    texts.append(out, frames, i);
    out += i + 1 < frames.size() ? ",\n" : "\n";
  }
  out += texts.indent();
  out += "  ]";
}

// A row as dump() writes it as one object at the indent of `texts` (keys in the schema's
// order, frames and stack as arrays of frame_json()): the keys around the two arrays dumped as
// small objects, the arrays written by append_frames.
void append_site(std::string& out, const core::SiteRow& s, FrameTexts& texts) {
  const std::string_view indent = texts.indent();
  Json head;
  head["rank"] = s.rank;
  head["verdict"] = core::verdict_name(s.trend.verdict);
  head["reason"] = s.trend.reason;
  Json j;
  j["path"] = s.path ? frame_json(*s.path) : Json(nullptr);
  j["other_callers"] = s.other_callers;
  j["values"] = values_json(s.values);
  j["first"] = s.first;
  j["last"] = s.last;
  j["delta"] = s.delta;
  j["delta_pct"] = real(s.delta_pct);
  j["slope"] = real(s.trend.slope);
  j["fitted_growth"] = real(s.trend.fitted_growth);
  j["rate_per_second"] = real(s.rate_per_second);
  j["p_value"] = real(s.trend.p_value);
  j["mann_kendall_s"] = real(s.trend.mk_s);
  j["noise"] = real(s.trend.noise);
  j["share"] = real(s.share);
  j["hint"] = text_or_null(s.hint);
  j["blocking"] = text_or_null(s.blocking);
  j["goroutine_function"] = text_or_null(s.goroutine_function);
  j["suppressed_by"] = s.suppressed_by ? Json(*s.suppressed_by) : Json(nullptr);
  j["run_verdict"] = s.run_verdict ? Json(core::verdict_name(*s.run_verdict)) : Json(nullptr);
  auto frames_key = [&](std::string_view name, const core::FrameList& frames) {
    out += ",\n";
    out += indent;
    out += "  \"";
    out += name;
    out += "\": ";
    append_frames(out, frames, texts);
  };
  const std::string head_text = dump(head);
  append_indented(out, std::string_view(head_text).substr(0, head_text.size() - 2), indent);
  frames_key("frames", s.frames);
  out += ",";
  const std::string middle = dump(j);  // without "{" and "\n}"
  append_indented(out, std::string_view(middle).substr(1, middle.size() - 3), indent);
  frames_key("stack", s.stack);
  out += "\n";
  out += indent;
  out += "}";
}

}  // namespace

void write_json(const core::Report& r, const WriteOptions& options, ByteSink& sink) {
  Json j;
  j["schema"] = "memleak.report";
  j["schema_version"] = 1;
  j["command"] = options.command;
  j["metric"] = core::metric_info(r.metric).name;
  j["unit"] = core::metric_info(r.metric).unit;
  j["kind"] = r.kind;
  j["format"] = r.format;
  j["granularity"] = core::granularity_name(r.granularity);
  j["time_unit"] = r.time_unit == core::TimeUnit::None ? Json(nullptr)
                                                       : Json(core::time_unit_name(r.time_unit));
  Json snaps = Json::array();
  for (const auto& s : r.snapshots) {
    Json sj;
    sj["index"] = s.index;
    sj["source"] = s.source;
    sj["label"] = s.label;
    sj["time"] = seconds(s.time);
    sj["total"] = s.total;
    snaps.push_back(sj);
  }
  j["snapshots"] = snaps;
  j["skipped"] = r.skipped;
  j["total"] = {{"first", r.total_first}, {"last", r.total_last}, {"delta", r.total_delta}};
  j["site_count"] = r.site_count;
  j["leak_count"] = r.leak_count;
  j["leak_rate_per_second"] =
      r.time_unit == core::TimeUnit::Seconds ? real(r.leak_rate_per_second) : Json(nullptr);
  j["limit"] = r.limit ? Json(*r.limit) : Json(nullptr);
  j["seconds_to_limit"] = real(r.seconds_to_limit);
  // The rows are written one at a time (below), not as one document: with --top 0 on a large
  // input a document of every row and frame held ~7x the output in memory (4.6 GB for the
  // 684 MB report of a 400k-sample pprof pair). Keys after "sites" go to a second object.
  Json tail;
  if (r.others) {
    Json o;
    o["sites"] = r.site_count - r.sites.size();
    o["values"] = values_json(r.others->values);
    o["first"] = r.others->first;
    o["last"] = r.others->last;
    o["delta"] = r.others->delta;
    tail["others"] = o;
  } else {
    tail["others"] = nullptr;
  }
  tail["notes"] = r.notes;
  tail["warnings"] = r.warnings;
  if (r.gate) {
    Json g;
    g["passed"] = r.gate->passed;
    g["rules"] = r.gate->rules;
    Json v = Json::array();
    for (const auto& x : r.gate->violations)
      v.push_back({{"rule", x.rule}, {"measured", x.measured}, {"limit", x.limit},
                   {"site", text_or_null(x.site)}, {"message", x.message}});
    g["violations"] = v;
    tail["gate"] = g;
  } else {
    tail["gate"] = nullptr;
  }
  // Exactly what dumping one document {head..., "sites": [...], tail...} with an indent of 2
  // gives: the head without its closing brace, each row written at its depth, the tail
  // without its opening brace. Each row goes to the sink as soon as it is written.
  std::string out = dump(j);
  out.resize(out.size() - 2);  // "\n}"
  out += ",\n  \"sites\": ";
  if (r.sites.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    sink.write(out);
    constexpr std::string_view kRowIndent = "    ";
    FrameTexts texts(kRowIndent);
    for (size_t i = 0; i < r.sites.size(); ++i) {
      out.clear();
      out += kRowIndent;
      append_site(out, r.sites[i], texts);
      out += i + 1 < r.sites.size() ? ",\n" : "\n";
      sink.write(out);
    }
    out.assign("  ]");
  }
  out += ",";
  out += std::string_view(dump(tail)).substr(1);  // "{"
  out += "\n";
  sink.write(out);
}

std::string write_json(const core::Report& r, const WriteOptions& options) {
  return write_to_string(write_json, r, options);
}

}  // namespace memleak::formats
