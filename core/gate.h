// The CI gate: thresholds over a Report, and LeakSanitizer-style suppressions.
//
// Every rule is optional; evaluate_gate checks the ones given and returns every violation with
// the measured value and the limit. Suppressed sites (a `leak:PATTERN` rule matched one of
// their frames) are marked in the report and never violate a per-site rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"

namespace memleak::core {

// SIZE or PCT ("10MiB", "25%").
struct Threshold {
  double value = 0;
  bool percent = false;
};
// Throws UsageError naming `option` when `text` is neither.
Threshold parse_threshold(std::string_view option, std::string_view text);
// "1MiB/h" -> bytes per second. Throws UsageError.
double parse_rate(std::string_view option, std::string_view text);

struct GatePolicy {
  std::optional<Threshold> max_growth;       // total, first to last
  std::optional<Threshold> max_site_growth;  // any one site, first to last
  std::optional<double> max_rate;            // total growth per second (needs times)
  std::optional<Verdict> fail_on;            // Leak, or Growing (= growing or leak)
  std::optional<size_t> max_new_sites;       // sites absent in the first snapshot
  double new_site_floor = 0;                 // ... whose last value exceeds this
  std::optional<size_t> min_snapshots;       // fewer is an error (exit 2), not a pass
  std::vector<std::string> rule_texts;       // as given, for the report
};

struct Suppression {
  std::string pattern;  // LeakSanitizer syntax: '*' wildcard, '^'/'$' anchors, else substring
  uint64_t line = 0;
  std::string text() const { return "leak:" + pattern; }
};

// Parses a suppressions file: one `leak:PATTERN` per line, '#' comments, blank lines.
// Throws InputError at the offending line.
std::vector<Suppression> parse_suppressions(std::string_view path, std::string_view text);
bool suppression_matches(const Suppression& s, std::string_view text);
// Marks rows whose stack or frames have a frame whose function, file or module matches.
void apply_suppressions(Report& report, const std::vector<Suppression>& rules);

// The name a violation gives a site (GateViolation::site): its first program frame's
// function, else its leaf frame's, else its key.
std::string site_name(const SiteRow& row);
// The name a violation gives a row (--fail-on): its site's, then, for the drill-down's rows,
// " ← CALLER" or " (other callers)", so that two rows of one site are told apart.
std::string row_name(const SiteRow& row);

// Throws UsageError for a rule that cannot be evaluated (--max-rate without times,
// --min-snapshots not met).
GateResult evaluate_gate(const Report& report, const GatePolicy& policy);

}  // namespace memleak::core
