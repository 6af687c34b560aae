// Freeing what the process is about to drop anyway.
//
// A report of a large input is tens of thousands of series and rows, each a handful of small
// allocations; destroying them one by one at the end of a command took 0.04-0.08 s (perf:
// keep_top's dropped rows, the aligned series, the loaded profiles) of runs that take 0.5 to
// 1.2 s, to give back memory the kernel takes back at exit in one go. What is handed here is
// kept, reachable (so leak checkers do not count it), until the process ends. Only for what
// a command is done with and would not have freed to make room for more work: it stays in
// memory until the exit (so never inside a loop, like `record`'s repeated analyses).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace memleak::cli {

// Main thread only (commands call it as they finish).
template <class... T>
void keep_until_exit(T&&... values) {
  // Never destroyed: a static object would be, at exit, one allocation at a time.
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  (kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(values))), ...);
}

}  // namespace memleak::cli
