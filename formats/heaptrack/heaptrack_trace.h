// The heaptrack event log, parsed line by line and replayed into per-site heap state.
//
// TraceReader understands the interpreted heaptrack stream (file formats 0..3, see
// shared/formats/heaptrack.md): it fills Tables with the definitions (`s`, `i`, `t`, `a`) and
// feeds the events (`+`, `-`, `c`, `R`, `A`) to a Replay, which keeps, per allocation site
// (= leaf trace node used by at least one allocation info), the live and cumulative bytes
// and objects, the running live total and its peak.
//
// Memory: strings + ips + trace nodes + allocation infos + sites, never proportional to the
// number of events (file format 0 additionally keeps one entry per live pointer, because
// its frees name pointers, not allocation infos).
//
// Every malformed record, unknown index or overflow is a core::InputError at its line with
// a message "heaptrack: expected X, got 'Y'" or "heaptrack: <what> index 0x.. out of range".
// Frees of allocation infos without a live block are ignored and counted (Replay::unmatched),
// so live values never go negative.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "formats/heaptrack/hex_number.h"
#include "formats/input.h"

namespace memleak::formats::heaptrack {

inline constexpr uint32_t kNoSite = UINT32_MAX;
// The newest file format this reader knows (heaptrack 1.3 .. 1.5 write 3).
inline constexpr uint64_t kNewestFileFormat = 3;

// One (function, file, line) triple of an `i` line; string indices as in the file.
struct SourceLocation {
  uint32_t function = 0;
  uint32_t file = 0;
  uint32_t line = 0;
};

struct InstructionPointer {
  uint64_t address = 0;
  uint32_t module = 0;        // string index; 0 = unknown
  uint32_t first = 0;         // locations [first, first + count) in Tables::locations,
  uint32_t count = 0;         // innermost inlined first, the real function last
};

struct TraceNode {
  uint32_t ip = 0;      // index into Tables::ips
  uint32_t parent = 0;  // 0 = outermost frame; always < this node's own index
};

struct AllocationInfo {
  int64_t size = 0;
  uint32_t site = 0;  // index into Tables::site_trace
};

// Definitions, all indexed as the file indexes them (strings, ips, traces 1-based; the
// dummy entry 0 stands for "none"; allocation infos 0-based).
struct Tables {
  Tables() : strings(1), ips(1), traces(1), trace_site(1, kNoSite) {}
  std::vector<std::string> strings;
  std::vector<InstructionPointer> ips;
  std::vector<SourceLocation> locations;
  std::vector<TraceNode> traces;
  std::vector<AllocationInfo> infos;
  std::vector<uint32_t> site_trace;  // site -> leaf trace node
  std::vector<uint32_t> trace_site;  // trace node -> site, or kNoSite
};

// Heap state while replaying events. Values per site: LiveBytes, LiveObjects (levels) and
// AllocBytes, AllocObjects (cumulative).
//
// Why per allocation info and not per site: an event names an allocation info, whose size
// and site are fixed, so the replay counts live and allocated blocks per info (one small
// record each, one array) and turns counts into site values only when they are asked for
// (sites(), take_changes(), peak_sites()), for the infos changed since. Each event then
// touches one small record instead of an info, a live counter and a 40-byte site row in
// three arrays. Integer sums, so the values are exactly those of adding per event.
//
// Why the record is 8 bytes (size in 30 bits, two mark bits, both counts in 16, their
// carries elsewhere): events name infos in no useful order, so each one is a cache miss
// unless the records fit in the core's L2 cache (1 MiB here). 88k infos at 16 bytes (1.4 MB)
// missed it: four fifths of the replay's time waited on that one load (perf annotate). At 8
// bytes (0.7 MB) they fit; a 20M-event trace's 168k infos (1.3 MB) do not, and its load is
// still the largest single cost of the replay. The carries are touched once per 65536 blocks
// of one info, and sizes of 1 GiB or more (never seen in a real trace) are read from a second
// array.
class Replay {
 public:
  enum class Result { Ok, TotalOverflow, LiveOverflow };

  // With track_peak, the per-site state at the moment of the global live peak is kept
  // (amortised O(1) per event: only infos touched since the previous peak are copied).
  // With track_changes, the sites changed since the last take_changes() are remembered
  // (for slicing the run in one pass).
  explicit Replay(bool track_peak, bool track_changes = false)
      : track_peak_(track_peak), track_changes_(track_changes) {}

  // Defines the next allocation info (index = the number defined before).
  void define_info(const AllocationInfo& info);
  size_t infos() const { return infos_.size(); }
  // TotalOverflow if the cumulative allocated bytes would overflow 64 bits; LiveOverflow if
  // one info would have 2^32 live blocks. Nothing changes then. `info` < infos().
  // Inline: called once per event, from the reader's fast path.
  Result allocate(uint32_t info);
  // False (and nothing changes) if that allocation info has no live block.
  bool release(uint32_t info);

  // After the last event: folds every count into the sites and frees the per-info state
  // (about 50 bytes an info: 8 MB of a 20M-event trace, while its slices are built).
  // sites(), take_changes() and the totals stay as they were; allocate(), release() and
  // peak_sites() may not be called afterwards.
  void finish_events();

  // Per-site values now (index = site).
  const std::vector<core::Values>& sites() const {
    sync();
    return sites_;
  }
  // Appends (site, current values) for every site changed since the previous call, and
  // forgets them. Needs track_changes.
  void take_changes(std::vector<std::pair<uint32_t, core::Values>>& out);
  // Per-site values at the peak. Needs track_peak.
  std::vector<core::Values> peak_sites() const;

  uint64_t now_ms = 0;        // timestamp of the events being replayed
  uint64_t peak_ms = 0;       // `c` time when the peak was first reached
  int64_t live_total = 0;
  int64_t peak_total = 0;
  int64_t allocated_total = 0;
  int64_t calls = 0;          // count of `+`
  int64_t frees = 0;          // count of `-` that freed something
  int64_t temporary = 0;      // `-` right after the `+` it frees (heaptrack's definition)
  int64_t unmatched = 0;      // `-` without a live block, ignored
  int64_t rss_pages = -1;     // last `R`, -1 before the first
  int64_t rss_pages_at_peak = -1;
  int64_t peak_rss_pages = -1;

 private:
  // What an event touches. live = live_high_ * 2^16 + live_low, allocated likewise.
  struct InfoState {
    uint32_t size : 30 = 0;     // bytes per block, or kLargeSize: see sizes_
    uint32_t marks : 2 = 0;     // Mark bits
    uint16_t live_low = 0;      // blocks live now, modulo 2^16
    uint16_t allocated_low = 0; // blocks ever allocated, modulo 2^16
  };
  static_assert(sizeof(InfoState) == 8);
  static constexpr uint32_t kLargeSize = (uint32_t(1) << 30) - 1;

  // Bytes per block of info `index`, whose record is `info` (already loaded by the caller).
  int64_t block_size(const InfoState& info, uint32_t index) const {
    return info.size == kLargeSize ? sizes_[index] : int64_t(info.size);
  }
  uint32_t live(uint32_t info) const {
    return (live_high_[info] << 16) | infos_[info].live_low;
  }
  uint64_t allocated(uint32_t info) const {
    return (allocated_high_[info] << 16) | infos_[info].allocated_low;
  }
  struct Counts {
    uint64_t allocated = 0;
    uint32_t live = 0;
  };
  enum Mark : uint8_t { kUnsynced = 1, kPeakDirty = 2 };

  // The marks live in the record the event has just loaded: in a byte array of their own
  // they were a second random access per event.
  void mark(InfoState& state, uint32_t info) {
    const uint32_t want = track_peak_ ? kUnsynced | kPeakDirty : kUnsynced;
    const uint32_t m = state.marks;
    if ((m & want) == want) return;
    if (!(m & kUnsynced)) unsynced_.push_back(info);
    if (track_peak_ && !(m & kPeakDirty)) peak_dirty_.push_back(info);
    state.marks = m | want;
  }
  void record_peak();
  // Folds the counts of the infos changed since the last sync into sites_.
  void sync() const;
  void sync_info(uint32_t info) const;

  bool track_peak_;
  bool track_changes_;
  // Mutable for the marks alone: sync(), a const reader's bringing derived state up to date,
  // clears kUnsynced.
  mutable std::vector<InfoState> infos_;
  std::vector<int64_t> sizes_;            // per info (read when InfoState::size is kLargeSize)
  std::vector<uint32_t> info_site_;
  std::vector<uint32_t> live_high_;       // live blocks / 2^16 (at most 2^16 - 1)
  std::vector<uint64_t> allocated_high_;  // allocated blocks / 2^16
  std::vector<uint32_t> peak_dirty_;  // infos changed since the last peak
  std::vector<Counts> peak_counts_;   // per info, at the peak
  int64_t last_allocated_info_ = -1;
  // Derived state, brought up to date by sync() (hence mutable: reading it is const).
  mutable std::vector<uint32_t> unsynced_;   // infos changed since the last sync
  mutable std::vector<Counts> synced_;       // per info: the counts sites_ includes
  mutable std::vector<core::Values> sites_;
  mutable std::vector<uint8_t> changed_;     // per site: listed in changed_list_
  mutable std::vector<uint32_t> changed_list_;
};

inline Replay::Result Replay::allocate(uint32_t index) {
  InfoState& info = infos_[index];
  const int64_t bytes = block_size(info, index);
  int64_t total = 0;
  if (__builtin_add_overflow(allocated_total, bytes, &total)) return Result::TotalOverflow;
  if (++info.live_low == 0) {  // carry; 2^32 - 1 blocks live is the most there can be
    if (live_high_[index] == 0xffff) {
      info.live_low = 0xffff;
      return Result::LiveOverflow;
    }
    ++live_high_[index];
  }
  allocated_total = total;
  if (++info.allocated_low == 0) ++allocated_high_[index];
  ++calls;
  live_total += bytes;
  last_allocated_info_ = index;
  mark(info, index);
  if (live_total > peak_total) record_peak();
  return Result::Ok;
}

inline bool Replay::release(uint32_t index) {
  const bool temporary_free = last_allocated_info_ == int64_t(index);
  last_allocated_info_ = -1;
  InfoState& info = infos_[index];
  if (info.live_low-- == 0) {  // borrow
    if (live_high_[index] == 0) {
      info.live_low = 0;
      ++unmatched;
      return false;
    }
    --live_high_[index];
  }
  live_total -= block_size(info, index);
  ++frees;
  if (temporary_free) ++temporary;
  mark(info, index);
  return true;
}

// Told about the clock before it moves, so it can copy the state "at time t" for every t in
// [replay.now_ms, next_ms): all events stamped <= t have been applied, none later.
class ClockObserver {
 public:
  virtual ~ClockObserver() = default;
  virtual void before_advance(Replay& replay, uint64_t next_ms) = 0;
};

struct UnknownRecord {
  uint64_t count = 0;
  uint64_t first_line = 0;
};

// What the file says about the run, besides definitions and events.
struct RunInfo {
  uint64_t file_format = 0;       // 0 when there is no `v` line (pre-1.0 files)
  bool saw_version = false;
  uint64_t heaptrack_version = 0;
  std::string command;            // `X`
  uint64_t page_size = 4096;      // `I`
  uint64_t attached_line = 0;     // line of `A`, 0 if none
  uint64_t last_ms = 0;           // last `c`: the run's duration
  uint64_t clock_went_back = 0;   // `c` lines earlier than the one before (clamped)
  uint64_t suppressions = 0;      // `S` lines
  std::map<char, UnknownRecord> unknown;
};

// Throws the InputError for one line of one input.
struct ErrorSite {
  const std::string& path;
  uint64_t line;
  [[noreturn]] void operator()(std::string what) const;
};

// The run's duration: the largest `c` timestamp (the replay clamps a clock that goes back, so
// its last time is the largest), parsing nothing but the `c` lines. Lines the replay would
// refuse are skipped here (a `c` line whose first field is not a hex number of 64 bits): the
// replay reports them.
//
// Fed the stream's bytes in views of any size (a line may run across any number of them), it
// finds the `c` lines without splitting the others into lines: the search for "\nc" reads 32
// bytes a step, and only a `c` line's first field is read byte by byte. (The scan is a whole
// extra pass over the trace before the replay, for equal slices; splitting every line cost
// ~40 ms of CPU per 10M events: now the scan costs its decompression and little else.)
class DurationScan {
 public:
  void feed(std::string_view bytes);
  // After the last feed().
  uint64_t finish();

 private:
  enum class State { LineStart, AfterC, Token, RestOfLine };
  void end_token();

  State state_ = State::LineStart;
  HexNumber token_;  // the `c` line's first field so far, converted as it comes
  uint64_t last_ = 0;
};

// Every byte of `in` through a DurationScan.
uint64_t scan_duration_ms(ByteStream& in);

class TraceReader {
 public:
  TraceReader(std::string path, Compression compression);

  // Reads every line, definitions and events in one pass. `clock` may be null. Throws
  // core::InputError.
  void run(LineReader& lines, Replay& replay, ClockObserver* clock);

  const Tables& tables() const { return tables_; }
  // After run(): frees what only the events needed (the allocation infos, trace -> site and
  // file format 0's pointer maps), keeping what stacks are built from.
  void release_event_tables();
  const RunInfo& info() const { return info_; }
  // Line of the first free that was ignored (see Replay::unmatched), 0 if none.
  uint64_t first_unmatched_line() const { return first_unmatched_line_; }

 private:
  // File format 0 without `a` records: "+ size trace pointer" / "- pointer".
  bool legacy() const { return info_.file_format == 0 && !saw_allocation_info_; }
  void dispatch(std::string_view line, Replay& replay, ClockObserver* clock);
  void fast_events(LineReader& lines, Replay& replay);
  void allocate(uint32_t info, Replay& replay);
  void release(uint32_t info, Replay& replay);
  void read_version(std::string_view fields);
  void read_string(std::string_view fields);
  void read_ip(std::string_view fields);
  void read_trace(std::string_view fields);
  void read_allocation_info(std::string_view fields);
  void read_allocation(std::string_view fields, Replay& replay);
  void read_free(std::string_view fields, Replay& replay);
  void read_legacy_allocation(std::string_view fields, Replay& replay);
  void read_legacy_free(std::string_view fields, Replay& replay);
  void read_time(std::string_view fields, Replay& replay, ClockObserver* clock);
  void read_rss(std::string_view fields, Replay& replay);
  void read_system_info(std::string_view fields);
  void read_suppression(std::string_view fields);
  uint32_t add_site(uint32_t trace);
  std::string_view sized_string(std::string_view fields, std::string_view what);
  ErrorSite where() const { return {path_, line_no_}; }
  [[noreturn]] void fail(std::string what) const;
  [[noreturn]] void fail_raw(char record) const;

  std::string path_;
  Compression compression_;
  uint64_t line_no_ = 0;
  bool saw_allocation_info_ = false;
  bool saw_record_ = false;
  uint64_t first_unmatched_line_ = 0;
  Tables tables_;
  RunInfo info_;
  // File format 0 only: its `+ size trace ptr` / `- ptr` records.
  std::map<std::pair<int64_t, uint32_t>, uint32_t> legacy_infos_;  // (size, trace) -> info
  std::unordered_map<uint64_t, uint32_t> legacy_live_;                // pointer -> info
};

}  // namespace memleak::formats::heaptrack
