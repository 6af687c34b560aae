// Frames as reports show them, and lists of frames that point into a profile instead of
// copying it.
//
// A site's frames and its representative stack are ranges of stacks of the profiles they were
// read from. Resolving them into strings for every site and copying them into every row was
// most of the time and memory of a large diff (issue 6: a 200k-sample pprof pair has 45k sites
// with stacks of ~30 frames: four million strings built, copied and freed). A FrameList is a
// span of frame ids plus the profile they belong to; a frame becomes strings only when a writer
// shows it, and the string_view accessors read the profile's strings without copying.
//
// Contract: the Profile must outlive every FrameList into it (the cli keeps its loaded
// profiles alive for as long as it uses the series and reports computed from them).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/frame_class.h"
#include "core/model.h"

namespace memleak::core {

// A frame as reports show it: resolved strings, no ids.
struct SiteFrame {
  std::string function;  // "" = unknown
  std::string file;
  uint32_t line = 0;
  std::string module;
  uint64_t address = 0;
  bool inlined = false;
  bool program = false;  // the program's own code
  friend bool operator==(const SiteFrame&, const SiteFrame&) = default;
};

// One profile and the classification of its frames (core/frame_class.h), computed on first
// use and shared by every FrameList into that profile. Thread-safe: sites are analysed in
// parallel (core/parallel.h); two threads that classify one frame store the same value.
class FrameSource {
 public:
  explicit FrameSource(const Profile& profile);
  const Profile& profile() const { return profile_; }
  FrameKind kind(FrameId id) const;

 private:
  static constexpr uint8_t kUnclassified = 0xff;
  const Profile& profile_;
  std::unique_ptr<std::atomic<uint8_t>[]> kinds_;  // relaxed: a value, not a handshake
};

class FrameList {
 public:
  FrameList() = default;
  // `ids` must point into `source`'s profile (its stack table), leaf first.
  FrameList(std::shared_ptr<const FrameSource> source, StackView ids)
      : source_(std::move(source)), ids_(ids) {}
  // Frames owned by the list (tests, rows not read from a profile).
  FrameList(std::vector<SiteFrame> frames)  // NOLINT: implicit, a list of frames is one
      : owned_(std::make_shared<const std::vector<SiteFrame>>(std::move(frames))) {}
  FrameList(std::initializer_list<SiteFrame> frames)
      : FrameList(std::vector<SiteFrame>(frames)) {}

  size_t size() const { return owned_ ? owned_->size() : ids_.size(); }
  bool empty() const { return size() == 0; }

  // Resolved (allocates the strings): for frames that are shown. Const values, so that
  // assigning to a field of one does not compile (it would change nothing): to edit frames,
  // resolve() them, edit the vector and assign it back.
  const SiteFrame operator[](size_t i) const;
  const SiteFrame front() const { return (*this)[0]; }
  const SiteFrame back() const { return (*this)[size() - 1]; }
  std::vector<SiteFrame> resolve() const;

  // Without copying: valid as long as the list's profile (or the list, when owned).
  std::string_view function(size_t i) const;
  std::string_view file(size_t i) const;
  std::string_view module(size_t i) const;
  uint32_t line(size_t i) const;
  bool inlined(size_t i) const { return owned_ ? (*owned_)[i].inlined : frame(i).inlined; }
  bool program(size_t i) const;
  // Index of the first frame of the program's own code (leaf first), size() when none.
  size_t first_program() const;

  // Where frame i comes from, for caches keyed by frame: its source and id; nullptr for
  // owned lists.
  const FrameSource* source() const { return owned_ ? nullptr : source_.get(); }
  FrameId id(size_t i) const { return ids_[i]; }

  // The first `n` frames (n <= size()).
  FrameList first(size_t n) const;

  using iterator = IndexIterator<FrameList, const SiteFrame, std::input_iterator_tag>;
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  // Frame by frame, resolved (tests; not for hot paths).
  friend bool operator==(const FrameList& a, const FrameList& b);

 private:
  const Frame& frame(size_t i) const { return source_->profile().frames[ids_[i]]; }

  std::shared_ptr<const FrameSource> source_;
  StackView ids_;
  std::shared_ptr<const std::vector<SiteFrame>> owned_;
};

// "function", or "module+0xOFFSET" / "???" when the symbol is unknown.
std::string display_function(const SiteFrame& f);
std::string display_function(const FrameList& frames, size_t i);

}  // namespace memleak::core
