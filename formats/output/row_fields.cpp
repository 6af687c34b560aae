#include "formats/output/row_fields.h"

#include <cmath>

#include <fmt/format.h>

#include "core/units.h"

namespace memleak::formats {

const core::SiteFrame* naming_frame(const core::SiteRow& row) {
  for (const auto& f : row.frames)
    if (f.program) return &f;
  return row.frames.empty() ? nullptr : &row.frames.back();
}

std::string gate_site_name(const core::SiteRow& row) {
  // Mirrors site_name() in core/gate.cpp; a rank in GateViolation would make this unneeded.
  for (const auto& f : row.frames)
    if (f.program) return f.function;
  return row.frames.empty() ? row.key : core::display_function(row.frames.front());
}

const std::vector<core::SiteFrame>& row_stack(const core::SiteRow& row) {
  return row.stack.empty() ? row.frames : row.stack;
}

std::string format_real(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "";
  return fmt::format("{:.6g}", *v);
}

std::string rate_text(const core::Report& r, const core::SiteRow& row) {
  if (row.rate_per_second) return core::format_rate(*row.rate_per_second, r.metric);
  if (r.snapshots.size() < 2) return "-";
  if (r.time_unit == core::TimeUnit::None)
    return core::format_delta(row.trend.slope, r.metric) + "/snap";
  return core::format_delta(row.trend.slope * 1e6, r.metric) + "/M" +
         (r.time_unit == core::TimeUnit::Instructions ? "instr" : "B");
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
