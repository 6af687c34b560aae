// memleak show: one input's metadata, its snapshots, and the top sites of one snapshot.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/teardown.h"
#include "core/errors.h"
#include "core/units.h"
#include "formats/output/show_writer.h"

namespace memleak::cli {

namespace {
struct ShowOptions {
  InputOptions in;
  AnalysisCliOptions analysis;
  OutputOptions out;
};
}  // namespace

Runner setup_show(CLI::App& sub) {
  auto o = std::make_shared<ShowOptions>();
  add_input_options(sub, o->in, false);
  add_analysis_options(sub, o->analysis);
  add_output_options(sub, o->out);
  sub.footer(R"(Examples:
  memleak show heap.pb.gz
  memleak show massif.out.1234@peak --top 5
  memleak show heaptrack.app.1234.zst@t=2.5

Without a selector, the snapshot shown is the last one the input holds.
Exit status: 0 success, 2 error.)");
  return [o]() {
    // show ranks one snapshot: dropping warm-up snapshots or projecting a rate has nothing to
    // work on (every --skip was refused as leaving fewer than 2 of the 1 snapshots).
    if (o->analysis.skip > 0)
      throw core::UsageError("--skip applies to diff and check: show ranks one snapshot (pick it with FILE@N)");
    if (!o->analysis.limit.empty())
      throw core::UsageError("--limit applies to diff and check: show ranks one snapshot, which has no rate");
    // Read the whole input once to list its snapshots, then rank the chosen one.
    auto loaded = load_inputs(o->in, o->analysis.metric);
    const core::Profile& profile = *loaded.profiles.front();
    const std::string listing = formats::write_show_header(profile, loaded.metric);
    if (profile.snapshots.size() > 1) {
      core::Snapshot last = profile.snapshots.back();
      loaded.profiles.front()->snapshots.clear();
      loaded.profiles.front()->snapshots.push_back(std::move(last));
    }
    auto report = analyse_series(loaded, o->analysis, Teardown::AtExit);
    keep_until_exit(core::keep_top(report, o->analysis.top));
    if (o->out.format == "text" && o->out.outputs.empty()) {
      std::fputs(listing.c_str(), stdout);
      std::fputs(formats::write_show_sites(report).c_str(), stdout);
      keep_until_exit(std::move(report), std::move(loaded));
      return 0;
    }
    emit_report(report, o->out, "show");
    keep_until_exit(std::move(report), std::move(loaded));
    return 0;
  };
}

Runner setup_formats(CLI::App& sub) {
  return []() {
    std::fputs(formats::write_formats_table().c_str(), stdout);
    return 0;
  };
}

}  // namespace memleak::cli
