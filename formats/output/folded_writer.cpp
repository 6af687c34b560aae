// Collapsed ("folded") stacks with the first-to-last delta, for flamegraph.pl, inferno and
// speedscope: one line per shown site, `root;caller;...;leaf DELTA`, in rank order, then
// `(others) DELTA` when the report has an others row.
//
// The stack is the row's representative stack, root first. DELTA is growth: a negative value
// is shrinkage. flamegraph.pl and speedscope only draw positive counts and skip negative lines
// with a warning, so their graph shows where memory grew. (For a red/blue differential graph
// use `--format html`.)
//
// Names are made safe for the format, which splits frames on `;` and the count off at the last
// space: `;` becomes `:` and line breaks and tabs become spaces. Other spaces stay ("operator
// new(unsigned long)"), since the count is always the last field.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "formats/output/frame_memo.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"

namespace memleak::formats {

namespace {

std::string safe_name(std::string name) {
  for (char& c : name) {
    if (c == ';') c = ':';
    else if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return name;
}

// Frames' names, made safe once per frame (frame_memo.h).
using SafeNames = FrameMemo<std::string>;

void append_stack(std::string& out, const core::SiteRow& row, SafeNames& names) {
  const auto& frames = row_stack(row);
  if (frames.empty()) {
    out += safe_name(row.key.text());
    return;
  }
  for (size_t i = frames.size(); i-- > 0;) {
    if (i + 1 < frames.size()) out += ';';
    out += names.get(frames, i, [&] { return safe_name(core::display_function(frames, i)); });
  }
}

}  // namespace

// A line at a time into the sink: a flame graph wants every site (--top 0), and that is
// ~100 MB of stacks for a large pprof pair.
void write_folded(const core::Report& r, const WriteOptions&, ByteSink& sink) {
  SafeNames names;
  std::string line;
  for (const auto& row : r.sites) {
    line.clear();
    append_stack(line, row, names);
    fmt::format_to(std::back_inserter(line), " {}\n", row.delta);
    sink.write(line);
  }
  if (r.others) sink.write(fmt::format("(others) {}\n", r.others->delta));
}

std::string write_folded(const core::Report& r, const WriteOptions& options) {
  return write_to_string(write_folded, r, options);
}

}  // namespace memleak::formats
