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

#include <optional>
#include <unordered_map>
#include <vector>

#include "core/frame_list.h"

namespace memleak::formats {

template <class T>
class FrameMemo {
 public:
  // The value for frame i of `frames`: make() on first use, the stored value after.
  template <class Make>
  const T& get(const core::FrameList& frames, size_t i, Make&& make) {
    const core::FrameSource* source = frames.source();
    if (source == nullptr) return owned_ = make();
    std::vector<std::optional<T>>& values = by_source_[source];
    if (values.empty()) values.resize(source->profile().frames.size());
    std::optional<T>& value = values[frames.id(i)];
    if (!value) value = make();
    return *value;
  }

 private:
  std::unordered_map<const core::FrameSource*, std::vector<std::optional<T>>> by_source_;
  T owned_{};  // the last value made for an owned list
};

}  // namespace memleak::formats
