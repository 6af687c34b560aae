// The JUnit XML report, for CI test-report views (GitLab, Jenkins, GitHub test reporters):
//   <testsuites name="memleak" tests= failures= skipped=>
//     <testsuite name="memleak" tests= failures= errors="0" skipped=>
//       <testcase classname="memleak.gate" name="RULE AS GIVEN">   one per gate rule
//       <testcase classname="memleak.site" name="SITE TITLE">      one per flagged site
//
// Which sites are test cases, and when they fail, follows the exit status so that the CI view
// and the job agree:
//  - with a gate (`check`): every shown site whose verdict is leak or growing, or that a
//    violation names; it fails exactly when a violation names it (violation_names_row). A
//    rule fails when it has a violation; the failure says measured vs limit. Failures > 0
//    exactly when the gate failed.
//  - without a gate (`diff`): every shown leak site, failing.
// Suppressed sites are reported as skipped, with the rule that matched. Test names hold no
// numbers (values, ranks) so that CI history follows a site across runs: the site's title, or
// its whole frame path when two flagged rows share a title. Every piece of text is
// XML-escaped: C++ names hold <, > and &.
#include <map>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"

namespace memleak::formats {

namespace {

struct Case {
  std::string classname, name;
  std::string failure_message, failure_type, failure_body;  // empty message = passed
  std::string skipped_message;                              // non-empty = skipped
  std::string out;                                          // <system-out>
};

std::string violation_text(const core::GateViolation& v) {
  return fmt::format("{}: {} (limit {}){}", v.rule, v.measured, v.limit,
                     v.site.empty() ? "" : " at " + v.site);
}

// The rule's name in a violation: the first word of its text ("max-growth 10%").
std::string_view rule_name(std::string_view text) { return text.substr(0, text.find(' ')); }

void fail_with(Case& c, const std::vector<const core::GateViolation*>& vs) {
  if (vs.empty()) return;
  c.failure_type = vs.size() == 1 ? vs.front()->rule : "gate";
  c.failure_message = vs.size() == 1 ? violation_text(*vs.front())
                                     : fmt::format("{} violations", vs.size());
  if (vs.size() > 1)  // one violation is all in the message
    for (const auto* v : vs) c.failure_body += violation_text(*v) + "\n";
}

std::vector<Case> rule_cases(const core::GateResult& g) {
  std::vector<Case> cases;
  std::vector<bool> used(g.violations.size(), false);
  for (const auto& rule : g.rules) {
    Case c{"memleak.gate", rule, {}, {}, {}, {}, {}};
    std::vector<const core::GateViolation*> vs;
    for (size_t i = 0; i < g.violations.size(); ++i)
      if (g.violations[i].rule == rule_name(rule)) {
        vs.push_back(&g.violations[i]);
        used[i] = true;
      }
    fail_with(c, vs);
    cases.push_back(std::move(c));
  }
  // A violation of a rule not listed (not expected) still fails the suite.
  for (size_t i = 0; i < g.violations.size(); ++i)
    if (!used[i]) {
      Case c{"memleak.gate", g.violations[i].rule, {}, {}, {}, {}, {}};
      fail_with(c, {&g.violations[i]});
      cases.push_back(std::move(c));
    }
  return cases;
}

std::string site_details(const core::Report& r, const core::SiteRow& row) {
  std::string out = fmt::format("#{} {} at {}: {} → {} ({}), rate {}\n", row.rank,
                                core::verdict_name(row.trend.verdict), site_location(row),
                                core::format_value(double(row.first), r.metric),
                                core::format_value(double(row.last), r.metric),
                                core::format_delta(double(row.delta), r.metric), rate_cell(r, row));
  if (!row.trend.reason.empty()) out += row.trend.reason + "\n";
  if (!row.hint.empty()) out += "hint: " + row.hint + "\n";
  for (const auto& f : row_stack(row)) {
    out += "  at " + core::display_function(f);
    if (!f.file.empty()) out += f.line ? fmt::format(" ({}:{})", f.file, f.line) : " (" + f.file + ")";
    out += "\n";
  }
  return out;
}

std::vector<Case> site_cases(const core::Report& r) {
  std::vector<Case> cases;
  std::vector<const core::SiteRow*> rows;
  std::map<std::string, size_t> titles;  // how many flagged rows have each title
  for (const auto& row : r.sites) {
    const core::Verdict v = row.trend.verdict;
    bool named = false;
    if (r.gate)
      for (const auto& x : r.gate->violations) named |= violation_names_row(x, row, r.metric);
    if (v == core::Verdict::Leak || (r.gate && v == core::Verdict::Growing) || named) {
      rows.push_back(&row);
      ++titles[site_title(row, false)];
    }
  }
  for (const auto* rowp : rows) {
    const core::SiteRow& row = *rowp;
    const core::Verdict v = row.trend.verdict;
    std::vector<const core::GateViolation*> vs;
    if (r.gate)
      for (const auto& x : r.gate->violations)
        if (violation_names_row(x, row, r.metric)) vs.push_back(&x);
    // Test names must be unique for CI history: the full frame path when titles collide.
    std::string name = site_title(row, false);
    if (titles[name] > 1) name = site_path(row);
    Case c{"memleak.site", name, {}, {}, {}, {}, site_details(r, row)};
    if (row.suppressed_by) {
      c.skipped_message = "suppressed by " + *row.suppressed_by;
    } else if (r.gate) {
      fail_with(c, vs);
    } else if (v == core::Verdict::Leak) {
      c.failure_type = "leak";
      c.failure_message = fmt::format("leak: {} at {}", core::format_delta(double(row.delta), r.metric),
                                      site_location(row));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string case_xml(const Case& c) {
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_attr(c.classname),
                                xml_attr(c.name));
  if (c.failure_message.empty() && c.skipped_message.empty() && c.out.empty()) return out + "/>\n";
  out += ">\n";
  if (!c.skipped_message.empty())
    out += fmt::format("      <skipped message=\"{}\"/>\n", xml_attr(c.skipped_message));
  if (!c.failure_message.empty())
    out += fmt::format("      <failure message=\"{}\" type=\"{}\"{}\n", xml_attr(c.failure_message),
                       xml_attr(c.failure_type),
                       c.failure_body.empty() ? "/>" : ">" + xml_escape(c.failure_body) + "</failure>");
  if (!c.out.empty()) out += fmt::format("      <system-out>{}</system-out>\n", xml_escape(c.out));
  return out + "    </testcase>\n";
}

}  // namespace

std::string write_junit(const core::Report& r, const WriteOptions&) {
  std::vector<Case> cases = r.gate ? rule_cases(*r.gate) : std::vector<Case>{};
  for (auto& c : site_cases(r)) cases.push_back(std::move(c));
  size_t failures = 0, skipped = 0;
  for (const auto& c : cases) {
    failures += !c.failure_message.empty();
    skipped += !c.skipped_message.empty();
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"memleak\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
                     cases.size(), failures, skipped);
  out += fmt::format(
      "  <testsuite name=\"memleak\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
      cases.size(), failures, skipped);
  out += "    <properties>\n";
  const auto property = [&](std::string_view name, std::string_view value) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml_attr(value));
  };
  property("metric", core::metric_info(r.metric).name);
  property("format", r.format);
  property("snapshots", std::to_string(r.snapshots.size()));
  property("total_delta", std::to_string(r.total_delta));
  if (r.gate) property("gate", r.gate->passed ? "pass" : "fail");
  out += "    </properties>\n";
  for (const auto& c : cases) out += case_xml(c);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace memleak::formats
