#include "formats/output/writers.h"

#include <array>

namespace memleak::formats {

namespace {

// The small reports are made as one string and handed over whole.
template <std::string (*Write)(const core::Report&, const WriteOptions&)>
void whole(const core::Report& report, const WriteOptions& options, ByteSink& sink) {
  sink.write(Write(report, options));
}

constexpr std::array<WriterInfo, 8> kWriters = {{
    {"text", "human-readable report: likely leaks in words, then the ranked table", whole<write_text>,
     false},
    {"json", "the report as JSON, schema memleak.report version 1", SinkWriter(write_json), false},
    {"csv", "one row per site and snapshot-independent columns, for spreadsheets and scripts",
     SinkWriter(write_csv), false},
    {"markdown", "a compact summary for pull request comments and CI job summaries",
     whole<write_markdown>, false},
    {"junit", "JUnit XML: one test case per gate rule and per flagged site", whole<write_junit>, false},
    {"pprof", "first-to-last difference as profile.proto (gzipped) for go tool pprof",
     whole<write_pprof>, true},
    {"folded", "collapsed stacks with the first-to-last delta, for flamegraph.pl and speedscope",
     SinkWriter(write_folded), false},
    {"html", "a self-contained HTML report with charts and a differential flame graph",
     SinkWriter(write_html), false},
}};
}  // namespace

std::span<const WriterInfo> writers() { return kWriters; }

std::string write_to_string(SinkWriter write, const core::Report& report,
                            const WriteOptions& options) {
  std::string out;
  StringSink sink(out);
  write(report, options, sink);
  return out;
}

const WriterInfo* find_writer(std::string_view name) {
  for (const auto& w : kWriters)
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace memleak::formats
