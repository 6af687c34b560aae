#include "cli/gate_options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/errors.h"
#include "core/units.h"
#include "formats/input.h"

namespace memleak::cli {

bool GateCliOptions::any_rule() const {
  return !max_growth.empty() || !max_site_growth.empty() || !max_rate.empty() ||
         !fail_on.empty() || max_new_sites || min_snapshots;
}

void add_gate_options(CLI::App& sub, GateCliOptions& o) {
  sub.add_option("--max-growth", o.max_growth,
                 "fail when the total grows by more than SIZE or PCT, first to last (10MiB, 20%)");
  sub.add_option("--max-site-growth", o.max_site_growth,
                 "fail when any one site grows by more than SIZE or PCT");
  sub.add_option("--max-rate", o.max_rate,
                 "fail when the total grows faster than SIZE/DURATION (1MiB/h; needs times)");
  sub.add_option("--fail-on", o.fail_on,
                 "fail when any site has verdict leak, or growing (growing or leak)");
  sub.add_option("--max-new-sites", o.max_new_sites,
                 "fail when more than N sites appear that were absent in the first snapshot");
  sub.add_option("--new-site-floor", o.new_site_floor,
                 "with --max-new-sites: count only new sites larger than SIZE at the end");
  sub.add_option("--min-snapshots", o.min_snapshots,
                 "error (exit 2) when fewer than N snapshots are given");
  sub.add_option("--suppressions", o.suppressions,
                 "file of leak:PATTERN rules (LeakSanitizer style); matching sites never fail "
                 "the gate and are listed as suppressed");
}

core::GatePolicy make_gate_policy(const GateCliOptions& o) {
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

std::vector<core::Suppression> load_suppressions(const GateCliOptions& o) {
  if (o.suppressions.empty()) return {};
  formats::ByteStream in(o.suppressions, 64ULL << 20);
  return core::parse_suppressions(o.suppressions, in.read_all());
}

}  // namespace memleak::cli
