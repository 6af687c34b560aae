// Options shared by the commands that read snapshots (diff, check, show), as parsed from argv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace memleak::cli {

struct InputOptions {
  std::vector<std::string> inputs;   // PATH, PATH@SELECTOR, "-", or a glob
  std::string input_format;          // --input-format ("" = detect)
  std::string max_input_size = "4GiB";
  int slices = 10;                   // heaptrack time slices
  std::string order = "given";       // --order given|time
  std::vector<std::string> symbol_path;  // --symbol-path DIR[:DIR...] (repeatable)
  bool no_symbolize = false;             // --no-symbolize
};

struct AnalysisCliOptions {
  std::string metric;                // "" = the input's default
  std::string granularity = "function";
  std::string focus, ignore;         // regular expressions on function names
  size_t skip = 0;
  size_t top = 20;
  std::string limit;                 // SIZE
  bool no_drilldown = false;
};

struct OutputOptions {
  std::string format = "text";
  std::vector<std::string> outputs;  // FORMAT=PATH
  std::string color = "auto";        // auto|always|never
};

}  // namespace memleak::cli
