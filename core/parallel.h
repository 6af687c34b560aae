// Data parallelism for independent items (the analysis of one site never reads another's).
//
// Items are handed out in chunks from a shared counter, so a few expensive items do not
// leave one thread working alone; callers write each chunk's results to its own slot and
// combine the slots in index order, so the outcome never depends on scheduling.
#pragma once

#include <cstddef>
#include <functional>

namespace memleak::core {

// Threads parallel_chunks uses when asked for 0: the hardware's, at most 8.
size_t default_workers();

// Calls f(begin, end) for the consecutive chunks [0, chunk), [chunk, 2 chunk), ... of [0, n),
// on up to `workers` threads (0 = default_workers(); the calling thread is one of them, and
// one worker means everything runs on it, in order). f must be safe to call concurrently for
// different chunks. An exception thrown by f (one of them, when several threads throw) is
// rethrown after all threads stop; no chunk starts after one has thrown.
void parallel_chunks(size_t n, size_t chunk, size_t workers,
                     const std::function<void(size_t begin, size_t end)>& f);

}  // namespace memleak::core
