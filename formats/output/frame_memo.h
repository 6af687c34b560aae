// FrameMemo: what a writer makes of one frame, made once per frame of the report.
//
// Rows of a large report share most of their frames (the callers common to many sites), so a
// report of every site shows each distinct frame tens of times. Making a frame's text, name
// or location again for each row was most of the time of writing such a report (resolving
// the frame into strings, looking its name up in a hash map by its text, escaping it): a
// memo per (profile, frame id) does it once. Lists that own their frames (rows built by
// hand, tests) have no frame ids and are made every time.
//
// Contract: `make` depends on the frame alone (what FrameList gives for it), never on the
// row; one memo per writer call. Not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "core/frame_list.h"

namespace memleak::formats {

// Contract (continued): per profile met, 4 bytes per frame of it (the index of the frame's
// value, values stored once each): a direct index, since a hash lookup per frame shown cost
// 0.3 s of the 1.7 s JSON report of every site of a 400k-sample pprof pair. A returned
// reference to a memoised value stays valid for the memo's life; the one for an owned list's
// frame only until the next get().
template <class T>
class FrameMemo {
 public:
  // The value for frame i of `frames`: make() on first use, the stored value after.
  template <class Make>
  const T& get(const core::FrameList& frames, size_t i, Make&& make) {
    const core::FrameSource* source = frames.source();
    if (source == nullptr) return owned_ = make();
    if (source != last_source_) {
      std::vector<uint32_t>& slots = by_source_[source];
      if (slots.empty()) slots.assign(source->profile().frames.size(), kNone);
      last_source_ = source;
      last_slots_ = &slots;
    }
    uint32_t& slot = (*last_slots_)[frames.id(i)];
    if (slot == kNone) {
      T value = make();
      slot = static_cast<uint32_t>(values_.size());
      values_.push_back(std::move(value));
    }
    return values_[slot];
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  std::unordered_map<const core::FrameSource*, std::vector<uint32_t>> by_source_;
  const core::FrameSource* last_source_ = nullptr;
  std::vector<uint32_t>* last_slots_ = nullptr;  // by_source_[last_source_] (nodes stay put)
  std::deque<T> values_;  // (a deque: references to values stay valid as it grows)
  T owned_{};  // the last value made for an owned list's frame
};

}  // namespace memleak::formats
