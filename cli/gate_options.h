// The CI gate's thresholds as command-line options, shared by `memleak check` and
// `memleak record --check`, so both spell every rule the same way and parse it once.
//
// add_gate_options registers --max-growth, --max-site-growth, --max-rate, --fail-on,
// --max-new-sites, --new-site-floor, --min-snapshots and --suppressions on a subcommand.
// make_gate_policy turns what was given into a core::GatePolicy and throws core::UsageError
// naming the option for a malformed value; rules not given stay unset.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/gate.h"

namespace CLI {
class App;
}

namespace memleak::cli {

struct GateCliOptions {
  std::string max_growth, max_site_growth, max_rate, fail_on, new_site_floor, suppressions;
  std::optional<size_t> max_new_sites, min_snapshots;
  // True when at least one threshold (not counting --suppressions) was given.
  bool any_rule() const;
};

void add_gate_options(CLI::App& sub, GateCliOptions& o);

// Throws core::UsageError for a malformed value.
core::GatePolicy make_gate_policy(const GateCliOptions& o);

// The rules of --suppressions (none when no file was given). Throws core::InputError.
std::vector<core::Suppression> load_suppressions(const GateCliOptions& o);

}  // namespace memleak::cli
