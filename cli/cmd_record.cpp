// Placeholder until `memleak record` lands.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "core/errors.h"

namespace memleak::cli {

Runner setup_record(CLI::App& sub) {
  return []() -> int { throw core::UsageError("record is not implemented yet"); };
}

}  // namespace memleak::cli
