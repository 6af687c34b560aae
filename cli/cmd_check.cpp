// memleak check: the CI gate. The diff report plus thresholds; exit 1 when one is violated.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/gate_options.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/teardown.h"
#include "core/errors.h"
#include "core/gate.h"

namespace memleak::cli {

namespace {

struct CheckOptions {
  InputOptions in;
  AnalysisCliOptions analysis;
  OutputOptions out;
  GateCliOptions gate;
};

}  // namespace

Runner setup_check(CLI::App& sub) {
  auto o = std::make_shared<CheckOptions>();
  add_input_options(sub, o->in, true);
  add_analysis_options(sub, o->analysis);
  add_output_options(sub, o->out);
  add_gate_options(sub, o->gate);
  sub.footer(R"(Examples:
  memleak check heap.*.pb.gz --fail-on leak
  memleak check heap.*.pb.gz --max-growth 10% --max-site-growth 5MiB
  memleak check heap.*.pb.gz --max-rate 1MiB/h --min-snapshots 5
  memleak check before.pb.gz after.pb.gz --max-new-sites 0 --new-site-floor 1MiB
  memleak check massif.out.1 --fail-on leak --suppressions leaks.supp --output junit=report.xml

Exit status: 0 every threshold holds, 1 at least one is violated (each printed with the rule,
the measured value and the limit), 2 any error (bad input, bad option, too few snapshots).
A gate never passes when an input could not be read.)");
  return [o]() {
    const auto policy = make_gate_policy(o->gate);
    const auto rules = load_suppressions(o->gate);
    auto loaded = load_inputs(o->in, o->analysis.metric);
    auto report = analyse_series(loaded, o->analysis, Teardown::AtExit);
    if (report.snapshots.size() < 2)
      throw core::UsageError("check needs at least two snapshots");
    core::apply_suppressions(report, rules);
    report.gate = core::evaluate_gate(report, policy);
    keep_until_exit(core::keep_top(report, o->analysis.top));
    emit_report(report, o->out, "check");
    const bool passed = report.gate->passed;
    keep_until_exit(std::move(report), std::move(loaded));
    return passed ? 0 : 1;
  };
}

}  // namespace memleak::cli
