// Cause hints and goroutine wait reasons, each from one table of frame patterns.
//
// A hint is a hint: it names what kind of allocation a site's frames suggest (goroutine
// structures, channel buffers, map growth, slice/container growth, string building, plain
// heap), not a proof of who keeps the memory alive.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/metrics.h"
#include "core/sites.h"

namespace memleak::core {

struct HintRule {
  std::string_view pattern;  // substring of a frame's function name
  std::string_view hint;
};

// Per frame of a profile: the first heap rule that matches it, so that a frame shared by
// thousands of stacks is matched against the table once (a large diff has tens of thousands
// of growing sites with deep stacks).
class HintCache {
 public:
  // Index into the heap rule table of the first rule matching frame i, or the table's size.
  size_t first_rule(const FrameList& frames, size_t i);

 private:
  std::unordered_map<const FrameSource*, std::vector<uint8_t>> rules_;
};

// The first rule (table order) matching any frame of `stack`; for goroutine counts a hint
// about blocked goroutines; "plain heap allocation ..." when nothing matches a heap site.
std::string cause_hint(const FrameList& stack, Metric metric, HintCache& cache);
std::string cause_hint(const FrameList& stack, Metric metric);

// Goroutine profiles: what a parked goroutine waits for, from the runtime frames between the
// leaf and the first program frame ("channel receive", "select", "mutex", ...); "" if unknown.
std::string blocking_operation(const FrameList& stack);
// The function the goroutine runs: the outermost program frame of the stack.
std::string goroutine_function(const FrameList& stack);

}  // namespace memleak::core
