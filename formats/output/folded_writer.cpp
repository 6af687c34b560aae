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

#include <fmt/format.h>

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

std::string folded_stack(const core::SiteRow& row) {
  const auto& frames = row_stack(row);
  if (frames.empty()) return safe_name(row.key.text());
  std::string out;
  for (size_t i = frames.size(); i-- > 0;) {
    if (!out.empty()) out += ';';
    out += safe_name(core::display_function(frames, i));
  }
  return out;
}

}  // namespace

std::string write_folded(const core::Report& r, const WriteOptions&) {
  std::string out;
  for (const auto& row : r.sites) out += fmt::format("{} {}\n", folded_stack(row), row.delta);
  if (r.others) out += fmt::format("(others) {}\n", r.others->delta);
  return out;
}

}  // namespace memleak::formats
