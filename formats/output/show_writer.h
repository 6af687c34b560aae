// Text for `memleak show` and `memleak formats`.
#pragma once

#include <string>

#include "core/model.h"
#include "core/report.h"

namespace memleak::formats {

// The input's metadata and one line per snapshot (label, time, totals, extras).
std::string write_show_header(const core::Profile& profile, core::Metric metric);
// The top sites of a one-snapshot report, with the others row and the total.
std::string write_show_sites(const core::Report& report);
// Every reader and writer, with a line each.
std::string write_formats_table();

}  // namespace memleak::formats
