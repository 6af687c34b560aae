// Fuzz target: the whole of `memleak diff FILE` after the reader: series loading, alignment,
// analysis, ranking and every writer. Readers may return odd but valid profiles (huge values,
// empty names, bytes that are not UTF-8); nothing downstream may crash or throw on them.
#include <string>
#include <string_view>

#include "cli/inputs.h"
#include "formats/output/writers.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace memleak;
  const std::string& path = fuzz::write_scratch(data, size);
  fuzz::expecting_input_errors([&] {
    cli::InputOptions in;
    in.inputs = {path};
    in.max_input_size = "64MiB";
    in.slices = 4;
    auto loaded = cli::load_inputs(in, "");
    // A one-snapshot input (pprof) is diffed against itself, as `memleak diff X X`.
    if (loaded.profiles.front()->snapshots.size() < 2) {
      in.inputs = {path, path};
      loaded = cli::load_inputs(in, "");
    }
    for (const auto& p : loaded.profiles) fuzz::check_profile(*p);
    cli::AnalysisCliOptions analysis;
    auto report = cli::analyse_series(loaded, analysis);
    (void)core::keep_top(report, 5);
    formats::WriteOptions wo;
    wo.command = "diff";
    // JSON must survive names that are not UTF-8 (dumped with error_handler_t::replace).
    for (const auto& w : formats::writers()) (void)formats::write_to_string(w.write, report, wo);
  });
  return 0;
}
