// memleak check: the CI gate. The diff report plus thresholds; exit 1 when one is violated.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/errors.h"
#include "core/gate.h"
#include "core/units.h"
#include "formats/input.h"

namespace memleak::cli {

namespace {

struct CheckOptions {
  InputOptions in;
  AnalysisCliOptions analysis;
  OutputOptions out;
  std::string max_growth, max_site_growth, max_rate, fail_on, new_site_floor, suppressions;
  std::optional<size_t> max_new_sites, min_snapshots;
};

core::GatePolicy make_policy(const CheckOptions& o) {
  core::GatePolicy p;
  if (!o.max_growth.empty()) {
    p.max_growth = core::parse_threshold("--max-growth", o.max_growth);
    p.rule_texts.push_back("max-growth " + o.max_growth);
  }
  if (!o.max_site_growth.empty()) {
    p.max_site_growth = core::parse_threshold("--max-site-growth", o.max_site_growth);
    p.rule_texts.push_back("max-site-growth " + o.max_site_growth);
  }
  if (!o.max_rate.empty()) {
    p.max_rate = core::parse_rate("--max-rate", o.max_rate);
    p.rule_texts.push_back("max-rate " + o.max_rate);
  }
  if (!o.fail_on.empty()) {
    if (o.fail_on == "leak") p.fail_on = core::Verdict::Leak;
    else if (o.fail_on == "growing") p.fail_on = core::Verdict::Growing;
    else throw core::UsageError(fmt::format("--fail-on: expected leak or growing, got '{}'", o.fail_on));
    p.rule_texts.push_back("fail-on " + o.fail_on);
  }
  if (o.max_new_sites) {
    p.max_new_sites = o.max_new_sites;
    p.rule_texts.push_back(fmt::format("max-new-sites {}", *o.max_new_sites));
  }
  if (!o.new_site_floor.empty()) {
    const auto f = core::parse_size(o.new_site_floor);
    if (!f || *f < 0)
      throw core::UsageError(fmt::format("--new-site-floor: expected SIZE, got '{}'", o.new_site_floor));
    p.new_site_floor = *f;
  }
  if (o.min_snapshots) {
    p.min_snapshots = o.min_snapshots;
    p.rule_texts.push_back(fmt::format("min-snapshots {}", *o.min_snapshots));
  }
  return p;
}

std::vector<core::Suppression> load_suppressions(const std::string& path) {
  if (path.empty()) return {};
  formats::ByteStream in(path, 64ULL << 20);
  return core::parse_suppressions(path, in.read_all());
}

}  // namespace

Runner setup_check(CLI::App& sub) {
  auto o = std::make_shared<CheckOptions>();
  add_input_options(sub, o->in, true);
  add_analysis_options(sub, o->analysis);
  add_output_options(sub, o->out);
  sub.add_option("--max-growth", o->max_growth,
                 "fail when the total grows by more than SIZE or PCT, first to last (10MiB, 20%)");
  sub.add_option("--max-site-growth", o->max_site_growth,
                 "fail when any one site grows by more than SIZE or PCT");
  sub.add_option("--max-rate", o->max_rate,
                 "fail when the total grows faster than SIZE/DURATION (1MiB/h; needs times)");
  sub.add_option("--fail-on", o->fail_on,
                 "fail when any site has verdict leak, or growing (growing or leak)");
  sub.add_option("--max-new-sites", o->max_new_sites,
                 "fail when more than N sites appear that were absent in the first snapshot");
  sub.add_option("--new-site-floor", o->new_site_floor,
                 "with --max-new-sites: count only new sites larger than SIZE at the end");
  sub.add_option("--min-snapshots", o->min_snapshots,
                 "error (exit 2) when fewer than N snapshots are given");
  sub.add_option("--suppressions", o->suppressions,
                 "file of leak:PATTERN rules (LeakSanitizer style); matching sites never fail "
                 "the gate and are listed as suppressed");
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
    const auto policy = make_policy(*o);
    const auto rules = load_suppressions(o->suppressions);
    const auto loaded = load_inputs(o->in, o->analysis.metric);
    auto report = analyse_series(loaded, o->analysis);
    if (report.snapshots.size() < 2)
      throw core::UsageError("check needs at least two snapshots");
    core::apply_suppressions(report, rules);
    report.gate = core::evaluate_gate(report, policy);
    core::keep_top(report, o->analysis.top);
    emit_report(report, o->out, "check");
    return report.gate->passed ? 0 : 1;
  };
}

}  // namespace memleak::cli
