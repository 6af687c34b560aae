#include "cli/run.h"

#include <array>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "core/errors.h"

namespace memleak::cli {

namespace {

constexpr std::array<CommandInfo, 5> kCommands = {{
    {"diff", "rank allocation sites by growth across two or more snapshots", setup_diff},
    {"check", "the CI gate: diff plus thresholds; exit 1 when one is violated", setup_check},
    {"show", "one input: its snapshots, metrics and top sites", setup_show},
    {"record", "take a snapshot series from a live pprof endpoint", setup_record},
    {"formats", "list the input and output formats", setup_formats},
}};

void print_error(const std::string& message) {
  std::fflush(stdout);
  fmt::print(stderr, "memleak: error: {}\n", message);
}

}  // namespace

std::span<const CommandInfo> commands() { return kCommands; }

int run(int argc, char** argv) {
  CLI::App app{"memleak: find memory leaks by comparing heap snapshots "
               "(pprof, valgrind massif, heaptrack)"};
  app.name("memleak");
  app.set_version_flag("--version", MEMLEAK_VERSION);
  app.require_subcommand(1);
  app.footer(R"(Examples:
  memleak diff heap.1.pb.gz heap.2.pb.gz
  memleak diff heap.*.pb.gz
  memleak diff massif.out.1234
  memleak check heap.*.pb.gz --fail-on leak

Exit status: 0 success, 1 a gate (memleak check) failed, 2 error.
See memleak COMMAND --help and man memleak.)");
  std::vector<std::pair<CLI::App*, Runner>> subs;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(std::string(c.name), std::string(c.summary));
    subs.emplace_back(sub, c.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(fmt::format("{} (see memleak --help)", e.what()));
    return 2;
  }
  try {
    for (auto& [sub, runner] : subs)
      if (sub->parsed()) return runner();
    print_error("no command given (see memleak --help)");
    return 2;
  } catch (const core::InputError& e) {
    print_error(e.message());
  } catch (const core::UsageError& e) {
    print_error(e.what());
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()));
  }
  return 2;
}

}  // namespace memleak::cli
