// Reading the inputs of a command into one series: globs expanded, files read in parallel,
// formats and kinds checked to agree, the metric checked to exist in every input.
#pragma once

#include <memory>
#include <vector>

#include "cli/options.h"
#include "core/analyse.h"
#include "core/model.h"
#include "core/sites.h"

namespace memleak::cli {

struct LoadedSeries {
  // Shared: the reports computed from them keep them alive (Report::inputs).
  std::vector<std::shared_ptr<core::Profile>> profiles;
  // Per profile: only its last snapshot is a point of the series (several inputs, no
  // selector); the others stay as the run's own series, for in-run evidence.
  std::vector<bool> last_only;
  core::Metric metric = core::Metric::LiveBytes;
  std::vector<std::string> warnings;
};

// Throws core::InputError / core::UsageError.
LoadedSeries load_inputs(const InputOptions& in, const std::string& metric_name);

// Alignment and analysis with the command-line options applied.
// Aligns and analyses the series. The profiles' samples are released once aligned (see
// core::release_samples): `loaded` keeps its snapshots' labels, times and totals, not their
// samples. A command that analyses once and exits passes Teardown::AtExit: the aligned
// series are then left for the exit to reclaim (cli/teardown.h), not freed one by one.
enum class Teardown { Free, AtExit };
core::Report analyse_series(LoadedSeries& loaded, const AnalysisCliOptions& options,
                            Teardown teardown = Teardown::Free);

}  // namespace memleak::cli
