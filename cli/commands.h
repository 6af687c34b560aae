// The command table: each command registers its options on a CLI11 subcommand and returns the
// function that runs it (after parsing) and yields the exit status.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

namespace CLI {
class App;
}

namespace memleak::cli {

struct InputOptions;
struct AnalysisCliOptions;
struct OutputOptions;

using Runner = std::function<int()>;

struct CommandInfo {
  std::string_view name;
  std::string_view summary;
  Runner (*setup)(CLI::App& sub);
};

std::span<const CommandInfo> commands();

Runner setup_diff(CLI::App& sub);
Runner setup_check(CLI::App& sub);
Runner setup_show(CLI::App& sub);
Runner setup_formats(CLI::App& sub);
Runner setup_record(CLI::App& sub);

// Option groups shared by diff, check and show.
void add_input_options(CLI::App& sub, InputOptions& o, bool many);
void add_analysis_options(CLI::App& sub, AnalysisCliOptions& o);
void add_output_options(CLI::App& sub, OutputOptions& o);

}  // namespace memleak::cli
