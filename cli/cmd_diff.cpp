// memleak diff: rank allocation sites by growth across two or more snapshots.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/teardown.h"
#include "core/errors.h"

namespace memleak::cli {

namespace {
struct DiffOptions {
  InputOptions in;
  AnalysisCliOptions analysis;
  OutputOptions out;
};
}  // namespace

Runner setup_diff(CLI::App& sub) {
  auto o = std::make_shared<DiffOptions>();
  add_input_options(sub, o->in, true);
  add_analysis_options(sub, o->analysis);
  add_output_options(sub, o->out);
  sub.footer(R"(Examples:
  memleak diff before.pb.gz after.pb.gz
  memleak diff heap.*.pb.gz --top 10
  memleak diff massif.out.1234                 # one massif run is a series
  memleak diff heaptrack.app.1234.zst --slices 20
  memleak diff goroutine.*.pb.gz               # goroutine leaks
  memleak diff heap.*.pb.gz --format json | jq '.sites[] | select(.verdict == "leak")'

Exit status: 0 success, 2 error (bad input or option).)");
  return [o]() {
    auto loaded = load_inputs(o->in, o->analysis.metric);
    auto report = analyse_series(loaded, o->analysis, Teardown::AtExit);
    if (report.snapshots.size() < 2)
      throw core::UsageError("diff needs at least two snapshots (give two files, or one file "
                             "that holds a series: massif, heaptrack)");
    keep_until_exit(core::keep_top(report, o->analysis.top));
    emit_report(report, o->out, "diff");
    keep_until_exit(std::move(report), std::move(loaded));
    return 0;
  };
}

}  // namespace memleak::cli
