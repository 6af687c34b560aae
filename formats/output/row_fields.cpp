#include "formats/output/row_fields.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/gate.h"
#include "core/units.h"

namespace memleak::formats {

std::optional<size_t> naming_frame_index(const core::SiteRow& row) {
  if (row.frames.empty()) return std::nullopt;
  return std::min(row.frames.first_program(), row.frames.size() - 1);
}

std::optional<core::SiteFrame> naming_frame(const core::SiteRow& row) {
  const auto i = naming_frame_index(row);
  if (!i) return std::nullopt;
  return row.frames[*i];
}

bool violation_names_row(const core::GateViolation& v, const core::SiteRow& row,
                         core::Metric metric) {
  if (v.rank != 0) return v.rank == row.rank;  // exact: the row it was judged at
  // (Violations made without a rank: by name, and for growth by its text.)
  if (v.site.empty() || v.site != core::site_name(row)) return false;
  if (v.rule == "fail-on") return v.measured == core::verdict_name(row.trend.verdict);
  if (v.rule == "max-site-growth") {
    // core/gate.cpp states the growth as format_delta(delta), then " (+N.N%)" when first > 0.
    const std::string growth = core::format_delta(double(row.delta), metric);
    return v.measured.compare(0, growth.size(), growth) == 0 &&
           (v.measured.size() == growth.size() || v.measured[growth.size()] == ' ');
  }
  return true;
}

std::string site_path(const core::SiteRow& row) {
  if (row.frames.empty()) return row.key.text();
  std::string out;
  // (A drill-down caller path's frames already end with its caller, row.path.)
  for (const auto& f : row.frames) out += (out.empty() ? "" : " ← ") + core::display_function(f);
  if (row.other_callers) out += " (other callers)";
  return out;
}

const core::FrameList& row_stack(const core::SiteRow& row) {
  return row.stack.empty() ? row.frames : row.stack;
}

std::string format_real(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "";
  return fmt::format("{:.6g}", *v);
}

namespace {
std::string escape_xml(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;  // would become LF in character data too
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";  // U+FFFD
        else out += c;
    }
  }
  return out;
}
}  // namespace

std::string xml_escape(std::string_view text) { return escape_xml(text, false); }
std::string xml_attr(std::string_view text) { return escape_xml(text, true); }

}  // namespace memleak::formats
