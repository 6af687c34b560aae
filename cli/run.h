// The command-line entry point. Parses argv, runs one command, and maps every error to an
// exit status: 0 success, 1 a gate (memleak check) failed, 2 any error (bad input, bad
// option). Nothing escapes: unexpected exceptions are reported as internal errors, exit 2.
#pragma once

namespace memleak::cli {

int run(int argc, char** argv);

}  // namespace memleak::cli
