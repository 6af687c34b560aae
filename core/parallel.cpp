#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace memleak::core {

size_t default_workers() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

void parallel_chunks(size_t n, size_t chunk, size_t workers,
                     const std::function<void(size_t, size_t)>& f) {
  chunk = std::max<size_t>(chunk, 1);
  const size_t chunks = (n + chunk - 1) / chunk;
  if (workers == 0) workers = default_workers();
  workers = std::min(workers, chunks);
  if (workers <= 1) {
    for (size_t b = 0; b < n; b += chunk) f(b, std::min(n, b + chunk));
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (;;) {
      const size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks || failed.load(std::memory_order_relaxed)) return;
      try {
        f(c * chunk, std::min(n, (c + 1) * chunk));
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  std::vector<std::jthread> threads;
  try {
    for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had (a process limit): the ones started and this one share the
    // work, as they would anyway.
  }
  work();
  threads.clear();  // joins
  if (error) std::rethrow_exception(error);
}

}  // namespace memleak::core
