#include "core/hints.h"

#include <algorithm>
#include <array>

namespace memleak::core {

namespace {

// Table order matters: the more specific cause first.
constexpr std::array<HintRule, 24> kHeapHints = {{
    {"runtime.malg", "goroutine: stacks of goroutines that never exit"},
    {"runtime.newproc", "goroutine: goroutines started and never finished"},
    {"runtime.makechan", "channel: buffers of channels nobody drains"},
    {"runtime.chansend", "channel: values queued in a channel nobody drains"},
    {"runtime.mapassign", "map/cache: a map that only grows (no eviction?)"},
    {"runtime.hashGrow", "map/cache: a map that only grows (no eviction?)"},
    {"runtime.makemap", "map/cache: maps created and kept"},
    {"std::unordered_map", "map/cache: an unordered_map that only grows (no eviction?)"},
    {"std::_Hashtable", "map/cache: a hash table that only grows (no eviction?)"},
    {"std::__detail::_Hashtable", "map/cache: a hash table that only grows (no eviction?)"},
    {"std::map<", "map/cache: a std::map that only grows (no eviction?)"},
    {"std::_Rb_tree", "map/cache: a tree map/set that only grows (no eviction?)"},
    {"_M_get_node", "map/cache: map/set nodes that are never erased"},
    {"runtime.growslice", "slice: a slice that only grows, or a small slice keeping a large array alive"},
    {"runtime.makeslice", "slice: slices kept alive (a sub-slice keeps its whole array)"},
    {"std::vector", "container: a vector that only grows"},
    {"_M_realloc_insert", "container: a vector that only grows"},
    {"std::deque", "container: a deque that only grows"},
    {"std::__cxx11::list", "container: a list that only grows"},
    {"runtime.concatstrings", "string: strings built and kept (a substring keeps its source)"},
    {"runtime.slicebytetostring", "string: strings built and kept"},
    {"strings.(*Builder)", "string: strings built and kept"},
    {"strdup", "string: duplicated strings never freed"},
    {"std::__cxx11::basic_string", "string: strings built and kept"},
}};

struct WaitRule {
  std::string_view function;  // exact function name of a runtime/library frame
  std::string_view operation;
};
constexpr std::array<WaitRule, 17> kWaitRules = {{
    {"runtime.chanrecv1", "channel receive"},
    {"runtime.chanrecv2", "channel receive"},
    {"runtime.chanrecv", "channel receive"},
    {"runtime.chansend1", "channel send"},
    {"runtime.chansend", "channel send"},
    {"runtime.selectgo", "select"},
    {"runtime.block", "select with no cases"},
    {"sync.runtime_SemacquireMutex", "mutex"},
    {"sync.runtime_SemacquireRWMutex", "mutex"},
    {"sync.runtime_SemacquireRWMutexR", "mutex"},
    {"sync.(*WaitGroup).Wait", "wait group"},
    {"sync.runtime_Semacquire", "semaphore"},
    {"sync.runtime_notifyListWait", "condition variable"},
    {"time.Sleep", "sleep"},
    {"internal/poll.runtime_pollWait", "I/O wait"},
    {"runtime.netpollblock", "I/O wait"},
    {"runtime.gopark", "parked"},
}};

constexpr uint8_t kUnmatched = 0xff;
static_assert(kHeapHints.size() < kUnmatched);

size_t first_heap_rule(std::string_view function) {
  for (size_t r = 0; r < kHeapHints.size(); ++r)
    if (function.find(kHeapHints[r].pattern) != std::string_view::npos) return r;
  return kHeapHints.size();
}

}  // namespace

size_t HintCache::first_rule(const FrameList& frames, size_t i) {
  const FrameSource* source = frames.source();
  if (!source) return first_heap_rule(frames.function(i));
  auto& memo = rules_[source];
  if (memo.empty()) memo.assign(source->profile().frames.size(), kUnmatched);
  uint8_t& r = memo[frames.id(i)];
  if (r == kUnmatched) r = uint8_t(first_heap_rule(frames.function(i)));
  return r;
}

std::string cause_hint(const FrameList& stack, Metric metric, HintCache& cache) {
  if (metric == Metric::Goroutines) {
    const auto op = blocking_operation(stack);
    return op.empty() ? "goroutine: goroutines that never exit"
                      : "goroutine: goroutines blocked forever on " + op;
  }
  // The first rule in table order that matches any frame.
  size_t best = kHeapHints.size();
  for (size_t i = 0; i < stack.size() && best > 0; ++i) best = std::min(best, cache.first_rule(stack, i));
  if (best < kHeapHints.size()) return std::string(kHeapHints[best].hint);
  return "heap: plain allocations (new/malloc/make) that are never freed";
}

std::string cause_hint(const FrameList& stack, Metric metric) {
  HintCache cache;
  return cause_hint(stack, metric, cache);
}

std::string blocking_operation(const FrameList& stack) {
  // Frames under the first program frame, leaf first; the most specific rule wins.
  const size_t end = stack.first_program();
  for (const auto& rule : kWaitRules)
    for (size_t i = 0; i < end; ++i)
      if (stack.function(i) == rule.function) return std::string(rule.operation);
  return "";
}

std::string goroutine_function(const FrameList& stack) {
  for (size_t i = stack.size(); i-- > 0;)
    if (stack.program(i)) return std::string(stack.function(i));
  return stack.empty() ? "" : std::string(stack.function(stack.size() - 1));
}

}  // namespace memleak::core
