#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/options.h"

namespace memleak::cli {

void add_input_options(CLI::App& sub, InputOptions& o, bool many) {
  auto* files = sub.add_option("FILE", o.inputs,
                               many ? "snapshots in series order: files, FILE@SELECTOR, '-' for "
                                      "standard input, or a quoted glob"
                                    : "one input file, optionally FILE@SELECTOR");
  files->required();
  if (!many) files->expected(1);
  sub.add_option("--input-format", o.input_format,
                 "force the input format (massif, heaptrack, pprof, pprof-text) instead of "
                 "detecting it from the content");
  sub.add_option("--max-input-size", o.max_input_size,
                 "refuse inputs that decompress to more than SIZE (default 4GiB)");
  sub.add_option("--slices", o.slices, "cut a heaptrack trace into N time slices (default 10)");
  sub.add_option("--symbol-path", o.symbol_path,
                 "directories (DIR[:DIR...], repeatable) holding the binaries that name the "
                 "addresses of gperftools/jemalloc dumps and unsymbolized pprof profiles "
                 "(default: $PPROF_BINARY_PATH; the profile's own directory and the recorded "
                 "paths are searched after them)")
      ->allow_extra_args(false);  // one DIR list per --symbol-path: FILEs follow it
  sub.add_flag("--no-symbolize", o.no_symbolize,
               "keep addresses as module+offset instead of running addr2line on the binaries");
  if (many)
    sub.add_option("--order", o.order,
                   "series order: given (the order on the command line, default) or time");
}

namespace {

// A count given as digits only: unsigned options take "-1" as a huge number otherwise (a
// --skip of 2^64 - 1 went past every check), and CLI11's own range check prints 1e308.
const CLI::Validator kCount(
    [](std::string& text) -> std::string {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return "expected a whole number, 0 or more, got '" + text + "'";
      return {};
    },
    "N");

}  // namespace

void add_analysis_options(CLI::App& sub, AnalysisCliOptions& o) {
  sub.add_option("--metric", o.metric,
                 "live_bytes, live_objects, alloc_bytes, alloc_objects or goroutines (pprof "
                 "names inuse_space, ... work too); default: the input's own default");
  sub.add_option("--granularity", o.granularity,
                 "what makes a site: function (default: the path up to the first program frame), "
                 "line, or stack (the whole stack)");
  sub.add_option("--focus", o.focus, "keep only stacks with a function matching REGEX");
  sub.add_option("--ignore", o.ignore, "drop stacks with a function matching REGEX");
  sub.add_option("--skip", o.skip, "drop the first N (warm-up) snapshots")->check(kCount);
  sub.add_option("--top", o.top, "rows to show, the rest summed as others (default 20; 0 = all)")
      ->check(kCount);
  sub.add_option("--limit", o.limit,
                 "project when the total reaches SIZE at the current leak rate");
  sub.add_flag("--no-drilldown", o.no_drilldown,
               "do not split a site into its leaking caller paths");
}

void add_output_options(CLI::App& sub, OutputOptions& o) {
  sub.add_option("--format", o.format, "output on standard output: text (default), json, csv, markdown, junit, pprof, "
                 "folded or html");
  sub.add_option("--output", o.outputs,
                 "also write FORMAT=PATH (repeatable), atomically");
  sub.add_option("--color", o.color, "auto (default: on a terminal, unless NO_COLOR), always, never");
}

}  // namespace memleak::cli
