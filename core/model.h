// The shared snapshot model every reader fills and every analysis reads.
//
// A Profile is what one input yields: its interned strings, frames and leaf-first stacks, and
// one or more Snapshots (a pprof file has one; a massif file or a sliced heaptrack trace has
// several, in time order). Stacks and frames are local to their Profile; analysis lines sites
// up across profiles by their symbolic key (core/site_key.h), never by id or address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/index_iterator.h"
#include "core/metrics.h"
#include "core/strings.h"

namespace memleak::core {

using FrameId = uint32_t;
using StackId = uint32_t;

// One source-level frame. Inlined functions are frames of their own (innermost first), with
// the same address as the function they were inlined into.
struct Frame {
  StringId function = 0;  // demangled name; 0 = unknown (shown as module+offset or "???")
  StringId file = 0;      // as the format spells it (massif: basename only)
  StringId module = 0;    // binary or shared object, where known
  uint32_t line = 0;      // 0 = unknown
  uint64_t address = 0;   // for display only: never part of a site key
  bool inlined = false;
  friend bool operator==(const Frame&, const Frame&) = default;
};

struct FrameHash {
  size_t operator()(const Frame& f) const noexcept;
};

// Frames deduplicated by all their fields.
class FrameTable {
 public:
  FrameId intern(const Frame& f);
  // Frees the lookup index (a reader is done; the frames stay). intern() rebuilds it.
  void drop_index() { decltype(index_)().swap(index_); }
  const Frame& operator[](FrameId id) const { return frames_[id]; }
  size_t size() const { return frames_.size(); }

 private:
  std::vector<Frame> frames_;
  std::unordered_map<Frame, FrameId, FrameHash> index_;
};

// A stack's frame ids as StackTable stores them, 16 or 32 bits each; read like a span.
class StackView {
 public:
  using iterator = IndexIterator<StackView, FrameId>;

  StackView() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): a span of ids is a stack (32-bit ids).
  StackView(std::span<const FrameId> ids) : data_(ids.data()), size_(ids.size()), wide_(true) {}
  // Vectors and arrays of ids, as spans are.
  template <typename Ids>
    requires std::is_convertible_v<const Ids&, std::span<const FrameId>>
  StackView(const Ids& ids) : StackView(std::span<const FrameId>(ids)) {}
  StackView(const uint16_t* ids, size_t n) : data_(ids), size_(n), wide_(false) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  FrameId operator[](size_t i) const {
    return wide_ ? static_cast<const FrameId*>(data_)[i] : static_cast<const uint16_t*>(data_)[i];
  }
  FrameId front() const { return (*this)[0]; }
  FrameId back() const { return (*this)[size_ - 1]; }
  StackView subspan(size_t offset, size_t count) const {
    StackView v = *this;
    v.data_ = wide_ ? static_cast<const void*>(static_cast<const FrameId*>(data_) + offset)
                    : static_cast<const void*>(static_cast<const uint16_t*>(data_) + offset);
    v.size_ = count;
    return v;
  }
  StackView first(size_t n) const { return subspan(0, n); }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size_}; }
  // Calls f with the ids as a typed span (uint16_t or FrameId): for loops without a branch
  // per id (hashing, comparing and copying stacks).
  template <typename F>
  decltype(auto) visit(F&& f) const {
    if (wide_) return f(std::span<const FrameId>(static_cast<const FrameId*>(data_), size_));
    return f(std::span<const uint16_t>(static_cast<const uint16_t*>(data_), size_));
  }

 private:
  const void* data_ = nullptr;
  size_t size_ = 0;
  bool wide_ = true;
};

// Leaf-first stacks (index 0 = the innermost frame, where the allocation happened),
// deduplicated. Stored flat: one vector of frame ids and one offset per stack.
//
// Frame ids are stored in 16 bits while every id interned fits (a profile with up to 65536
// distinct frames: nearly every real one), in 32 bits from the first that does not (the
// table is widened once). Frame references are most of a large profile's memory: a
// 400k-sample Go profile holds 14M of them, 54 MB at 32 bits. Widening moves the stacks, so
// views into the table, like every view into a growing vector, are taken after reading.
class StackTable {
 public:
  StackTable() { offsets_.push_back(0); }
  StackId intern(StackView frames);
  // Room for about `stacks` stacks of `frames` frames in all: a reader that knows the sizes
  // does not grow (copy, and briefly hold twice) the tables while it fills them. A reader
  // that knows its frame ids may exceed 16 bits says so (`wide`), and an empty table starts
  // wide instead of widening (a copy) on the first such id.
  void reserve(size_t stacks, size_t frames, bool wide = false);
  // Frees the lookup index (a reader is done; the stacks stay). intern() rebuilds it.
  void drop_index();
  StackView operator[](StackId id) const {
    const size_t begin = offsets_[id], n = offsets_[id + 1] - begin;
    return wide_ ? StackView(std::span<const FrameId>(wide_frames_.data() + begin, n))
                 : StackView(narrow_frames_.data() + begin, n);
  }
  size_t size() const { return offsets_.size() - 1; }
  bool wide() const { return wide_; }

 private:
  void grow();
  void widen();

  bool wide_ = false;
  std::vector<uint16_t> narrow_frames_;  // while !wide_
  std::vector<FrameId> wide_frames_;     // once wide_
  std::vector<uint32_t> offsets_;
  std::vector<uint64_t> hashes_;  // per stack: its hash, so growing never rehashes frames
                                  // (empty with stacks after drop_index)
  // Open addressing, linear probing: stack id + 1 per slot, 0 = empty. Size a power of two,
  // at most half full.
  std::vector<uint32_t> slots_;
};

// How a snapshot's time is measured. Rates per second exist only for Seconds.
enum class TimeUnit : uint8_t {
  None,          // the format carries no time (legacy pprof text, ...)
  Seconds,       // wall-clock seconds (pprof: since the Unix epoch; others: since the run began)
  Instructions,  // massif time_unit=i: guest instructions executed
  Bytes,         // massif time_unit=B: bytes allocated and freed so far
};
std::string_view time_unit_name(TimeUnit u);

struct StackSample {
  StackId stack;
  Values values;
};

struct Snapshot {
  std::string label;             // how reports name it: "heap.3.pb.gz", "massif.out.1@12", ...
  int64_t number = -1;           // the format's own snapshot number (massif snapshot=N), or -1
  std::optional<double> time;    // in the profile's time_unit
  bool is_peak = false;          // massif heap_tree=peak, heaptrack @peak
  std::vector<StackSample> samples;  // one entry per distinct stack, values summed
  // The format's own total where it has one (massif mem_heap_B); otherwise the sum of samples.
  Values total;
  // Extra figures the format reports for the whole snapshot, for `memleak show`
  // (massif: mem_heap_extra_B, mem_stacks_B; heaptrack: rss_bytes).
  std::vector<std::pair<std::string, int64_t>> extras;
};

struct Profile {
  std::string path;      // as given on the command line (without any @selector)
  std::string format;    // reader name: "pprof", "pprof-text", "massif", "heaptrack"
  std::string kind;      // what it profiles: "heap", "goroutine", "cpu", ...
  std::string command;   // the profiled command line where the format records it
  MetricMask metrics;    // what this input really provides
  Metric default_metric = Metric::LiveBytes;
  TimeUnit time_unit = TimeUnit::None;
  // True when times are on a shared clock (pprof: the Unix epoch), so that snapshots of
  // different inputs can be placed on one time axis; run-relative times (massif, heaptrack)
  // are comparable only within one input.
  bool shared_clock = false;
  // pprof sample types as "type/unit", listed in errors when the chosen metric is missing.
  std::vector<std::string> sample_types;
  // Average bytes between samples for sampled heap profiles (Go: MemProfileRate, 524288 by
  // default); 0 when every allocation was recorded. Drives the sampling-noise floor.
  int64_t sampling_period = 0;

  StringTable strings;
  FrameTable frames;
  StackTable stacks;
  std::vector<Snapshot> snapshots;  // time order
  std::vector<std::string> warnings;
};

// Appends `from`'s snapshots after `into`'s own, re-interning `from`'s strings, frames and
// stacks in `into`'s tables, and its warnings (a reader that parses one file in parts joins
// the parts with it). The result is the profile one pass over the whole file builds, up to
// the numbering of ids.
void append_snapshots(Profile& into, Profile&& from);

// Replaces frames by others, e.g. an address by the source frames symbolization found for it.
// `with[id]` (for id < with.size()) lists the frames that take frame `id`'s place in every
// stack, innermost first; an empty list keeps the frame. Stacks are rebuilt; stacks that
// become equal are one stack, and their samples in a snapshot one sample (values summed), so
// every snapshot keeps one sample per distinct stack. Totals do not change.
void replace_frames(Profile& profile, const std::vector<std::vector<Frame>>& with);

// Frees the lookup indexes of the profile's tables once it is read: they are a reader's
// tools (a third of a large profile's tables), analysis only looks ids up. Interning again
// rebuilds them.
void drop_indexes(Profile& profile);

// Frees every snapshot's samples, keeping labels, times, totals and the tables. For after
// the profile is aligned into a series (core/sites.h): the series holds the values then,
// and report rows point only into the tables (FrameList). Samples are a large profile's
// biggest part after its stacks (a 400k-sample pprof profile: 19 MB).
void release_samples(Profile& profile);

// Sum of a snapshot's samples (what readers store in Snapshot::total when the format has no
// total of its own).
Values sum_samples(const Snapshot& s);

}  // namespace memleak::core
