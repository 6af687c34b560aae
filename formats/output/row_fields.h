// Row fields shared by the machine-readable writers (csv, markdown, junit, pprof, folded):
// the site's naming frame and function, numbers at the JSON writer's precision, the rate
// column as the text writer shows it, and escaping for XML. Formatting only: nothing here
// derives a number the Report does not hold (DESIGN.md §8).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"

namespace memleak::formats {

// The frame that names the site: the first program frame, else the last of `row.frames`
// (the rule site_title, site_location and the csv function column share); nullopt for rows
// without frames.
std::optional<core::SiteFrame> naming_frame(const core::SiteRow& row);
// Its index in row.frames.
std::optional<size_t> naming_frame_index(const core::SiteRow& row);

// Whether violation `v` is about `row`: the row it was judged at (GateViolation::rank; a
// per-site rule judges a site the drill-down split at its first row). A violation without a
// rank (made by hand) is matched by site name, and for the per-site rules by the verdict
// (fail-on) or growth (max-site-growth) it states.
bool violation_names_row(const core::GateViolation& v, const core::SiteRow& row,
                         core::Metric metric);

// Every frame that identifies the row, leaf first, joined by " ← " (a drill-down caller
// path's end with its caller), then " (other callers)" for a drill-down remainder: unlike
// site_title, which elides middle frames, it tells apart every row of a report.
std::string site_path(const core::SiteRow& row);

// The frames to draw for a row, leaf first: its representative stack, else its frames;
// empty only when the row has neither.
const core::FrameList& row_stack(const core::SiteRow& row);

// A float with 6 significant digits ("0.000123", "1.5e+06"), as the JSON report writes it;
// "" for nullopt and for non-finite values.
std::string format_real(std::optional<double> v);

// XML 1.0 character data: & < > " ' become entities; control characters XML 1.0 forbids
// (everything below U+0020 but tab, LF and CR) become U+FFFD.
std::string xml_escape(std::string_view text);
// The same for an attribute value, where tab, LF and CR are written as character references
// too (a parser would otherwise normalise them to spaces).
std::string xml_attr(std::string_view text);

}  // namespace memleak::formats
