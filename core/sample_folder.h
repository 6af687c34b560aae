// Folding values into a snapshot's samples, one sample per stack: readers add values stack by
// stack, in input order, and equal stacks (after interning) share one sample.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model.h"

namespace memleak::core {

// Remembers where each stack's sample is; a remembered position is trusted only when the
// sample there is that stack's, so one folder serves several snapshots in turn (no clearing
// between them) and the samples keep the order their stacks first appeared in.
class SampleFolder {
 public:
  // The values of `stack`'s sample in `snap`, a new zero sample if it has none yet.
  Values& values_of(Snapshot& snap, StackId stack) {
    if (slot_.size() <= stack) slot_.resize(size_t(stack) + 1, kNone);
    uint32_t& slot = slot_[stack];
    if (slot == kNone || slot >= snap.samples.size() || snap.samples[slot].stack != stack) {
      slot = static_cast<uint32_t>(snap.samples.size());
      snap.samples.push_back({stack, Values{}});
    }
    return snap.samples[slot].values;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> slot_;
};

}  // namespace memleak::core
