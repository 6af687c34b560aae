#include "cli/run.h"

#include <cstdio>

#include <fmt/format.h>

namespace memleak::cli {

int run(int argc, char** argv) {
  fmt::print(stderr, "memleak: not implemented yet\n");
  return 2;
}

}  // namespace memleak::cli
