// Writers: pure functions from a Report to bytes, one per output format, in a table that also
// feeds --format's help and `memleak formats`. A writer never computes: every number it shows
// is in the Report (DESIGN.md §8). The table's writers put their bytes into a ByteSink
// (byte_sink.h), the ones for scripts and large reports (JSON, CSV, HTML, folded) piece by piece as they go, so that a report of
// every site is never held whole in memory; each also has a form that returns a string.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/report.h"
#include "formats/output/byte_sink.h"

namespace memleak::formats {

struct WriteOptions {
  bool color = false;     // ANSI colour (text only; the CLI decides: a terminal, no NO_COLOR)
  std::string command;    // "diff" or "check", for titles
};

// A writer of one format: the report's bytes into the sink, in order.
using SinkWriter = void (*)(const core::Report& report, const WriteOptions& options, ByteSink& sink);

struct WriterInfo {
  std::string_view name;         // --format NAME
  std::string_view description;
  SinkWriter write;
  bool binary;                   // not for a terminal (pprof)
};

std::span<const WriterInfo> writers();
// What `write` puts into a sink, as one string (the string forms below, tests).
std::string write_to_string(SinkWriter write, const core::Report& report,
                            const WriteOptions& options);
const WriterInfo* find_writer(std::string_view name);

// Individual writers (also reachable through the table).
std::string write_text(const core::Report& report, const WriteOptions& options);
std::string write_json(const core::Report& report, const WriteOptions& options);
void write_json(const core::Report& report, const WriteOptions& options, ByteSink& sink);
std::string write_csv(const core::Report& report, const WriteOptions& options);
void write_csv(const core::Report& report, const WriteOptions& options, ByteSink& sink);
std::string write_markdown(const core::Report& report, const WriteOptions& options);
std::string write_junit(const core::Report& report, const WriteOptions& options);
std::string write_pprof(const core::Report& report, const WriteOptions& options);
std::string write_folded(const core::Report& report, const WriteOptions& options);
void write_folded(const core::Report& report, const WriteOptions& options, ByteSink& sink);
std::string write_html(const core::Report& report, const WriteOptions& options);
void write_html(const core::Report& report, const WriteOptions& options, ByteSink& sink);

// Shared by the human-readable writers: the site's short name ("strdup ← trade_log_append"),
// its location ("orderbook.c:40"), C++ template arguments shortened when `shorten`.
std::string site_title(const core::SiteRow& row, bool shorten);
std::string site_location(const core::SiteRow& row);
std::string shorten_cxx_name(std::string_view name);
// Table cells shared by the text and HTML writers: "+700%" (or "new" from nothing, "" for
// 0 -> 0), the rate ("3.9 MiB/s", or per snapshot / per million of massif's unit without
// times in seconds), and the p-value ("<0.001", "0.095"; "-" for a single snapshot).
std::string percent_cell(const core::SiteRow& row);
std::string rate_cell(const core::Report& report, const core::SiteRow& row);
std::string p_value_cell(const core::SiteRow& row, size_t snapshots);

// Eight-level Unicode sparkline of the values, scaled between their min and max; at most 32
// bars (longer series are sampled evenly, first and last kept).
std::string sparkline(const std::vector<int64_t>& values);

}  // namespace memleak::formats
