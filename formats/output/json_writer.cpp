// The JSON report, schema "memleak.report" version 1 (documented in the README and in
// formats/output/report.schema.json). Keys are written in a fixed order; floats with 6 significant
// digits, so that output is stable across runs and platforms.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/units.h"
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

Json frame_json(const core::SiteFrame& f) {
  Json j;
  j["function"] = f.function.empty() ? Json(core::display_function(f) == "???"
                                                ? Json(nullptr)
                                                : Json(core::display_function(f)))
                                     : Json(f.function);
  j["file"] = text_or_null(f.file);
  j["line"] = f.line ? Json(f.line) : Json(nullptr);
  j["module"] = text_or_null(f.module);
  j["inlined"] = f.inlined;
  j["program"] = f.program;
  return j;
}

Json frames_json(const core::FrameList& frames) {
  Json a = Json::array();
  for (const auto& f : frames) a.push_back(frame_json(f));
  return a;
}

Json values_json(const std::vector<int64_t>& values) {
  Json a = Json::array();
  for (auto v : values) a.push_back(v);
  return a;
}

Json site_json(const core::SiteRow& s) {
  Json j;
  j["rank"] = s.rank;
  j["verdict"] = core::verdict_name(s.trend.verdict);
  j["reason"] = s.trend.reason;
  j["frames"] = frames_json(s.frames);
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
  j["stack"] = frames_json(s.stack);
  return j;
}

}  // namespace

std::string write_json(const core::Report& r, const WriteOptions& options) {
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
  Json sites = Json::array();
  for (const auto& s : r.sites) sites.push_back(site_json(s));
  j["sites"] = sites;
  if (r.others) {
    Json o;
    o["sites"] = r.site_count - r.sites.size();
    o["values"] = values_json(r.others->values);
    o["first"] = r.others->first;
    o["last"] = r.others->last;
    o["delta"] = r.others->delta;
    j["others"] = o;
  } else {
    j["others"] = nullptr;
  }
  j["notes"] = r.notes;
  j["warnings"] = r.warnings;
  if (r.gate) {
    Json g;
    g["passed"] = r.gate->passed;
    g["rules"] = r.gate->rules;
    Json v = Json::array();
    for (const auto& x : r.gate->violations)
      v.push_back({{"rule", x.rule}, {"measured", x.measured}, {"limit", x.limit},
                   {"site", text_or_null(x.site)}, {"message", x.message}});
    g["violations"] = v;
    j["gate"] = g;
  } else {
    j["gate"] = nullptr;
  }
  // Names from real binaries are not always valid UTF-8: replace bad bytes (U+FFFD) rather
  // than fail the whole report.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace memleak::formats
