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

// The rules by the first two bytes of their pattern (there are only a few: "ru", "st",
// "_M"), in table order within each.
struct RulesByPrefix {
  struct Group {
    uint16_t prefix = 0;
    std::array<uint8_t, kHeapHints.size()> rules{};
    size_t count = 0;
  };
  std::array<Group, kHeapHints.size()> groups{};
  size_t count = 0;
};

constexpr uint16_t two_bytes(char a, char b) { return uint16_t(uint8_t(a) << 8 | uint8_t(b)); }

constexpr RulesByPrefix kRulesByPrefix = [] {
  RulesByPrefix by;
  for (size_t r = 0; r < kHeapHints.size(); ++r) {
    const std::string_view pattern = kHeapHints[r].pattern;
    const uint16_t prefix = two_bytes(pattern[0], pattern[1]);
    size_t g = 0;
    while (g < by.count && by.groups[g].prefix != prefix) ++g;
    if (g == by.count) by.groups[by.count++].prefix = prefix;
    by.groups[g].rules[by.groups[g].count++] = uint8_t(r);
  }
  return by;
}();

// The first rule in table order whose pattern occurs in `function`, or the table's size.
// One pass over the name, trying at each place only the rules whose pattern starts with its
// two bytes (24 substring searches per name, one per rule, were most of the hints' time:
// C++ names are long, and 's' and 'r' are everywhere in them).
size_t first_heap_rule(std::string_view function) {
  size_t best = kHeapHints.size();
  for (size_t at = 0; at + 1 < function.size() && best > 0; ++at) {
    const uint16_t here = two_bytes(function[at], function[at + 1]);
    for (size_t g = 0; g < kRulesByPrefix.count; ++g) {
      const RulesByPrefix::Group& group = kRulesByPrefix.groups[g];
      if (group.prefix != here) continue;
      const std::string_view rest = function.substr(at);
      for (size_t k = 0; k < group.count && group.rules[k] < best; ++k)
        if (rest.starts_with(kHeapHints[group.rules[k]].pattern)) best = group.rules[k];
    }
  }
  return best;
}

}  // namespace

size_t HintCache::first_rule(const FrameList& frames, size_t i) {
  const FrameSource* source = frames.source();
  if (!source) return first_heap_rule(frames.function(i));
  // Memoised per function name, not per frame: the frames of one function (its lines, its
  // addresses, inlined or not) share the name, and matching a name against the table (24
  // substring searches of long C++ names) is what costs. (Per frame, the hints of a 10M-event
  // heaptrack trace's 8k growing sites took 19 ms, a quarter of the analysis.)
  auto& memo = rules_[source];
  const Profile& profile = source->profile();
  const StringId function = profile.frames[frames.id(i)].function;
  if (memo.size() <= function) memo.resize(profile.strings.size(), kUnmatched);
  uint8_t& r = memo[function];
  if (r == kUnmatched) r = uint8_t(first_heap_rule(profile.strings[function]));
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
