#include "formats/massif/massif_parser.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <limits>
#include <span>
#include <system_error>
#include <optional>
#include <future>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/flat_index.h"
#include "core/hash.h"
#include "core/sample_folder.h"
#include "formats/massif/massif_frame.h"
#include "formats/paths.h"

namespace memleak::formats {

namespace {

using core::FrameId;
using core::InputError;

// Offending lines are quoted in messages up to this length (a 100k-deep line is mostly blanks).
constexpr size_t kMaxQuoted = 100;
constexpr int64_t kMaxNumber = std::numeric_limits<int64_t>::max();
constexpr std::string_view kXtreeDesc = "xtree.produce_report";

std::string quoted(std::string_view line) {
  if (line.size() <= kMaxQuoted) return fmt::format("'{}'", line);
  return fmt::format("'{}...'", line.substr(0, kMaxQuoted));
}

enum class NumberStatus { Ok, Bad, TooBig };

// Unsigned decimal that fits int64_t (massif prints no signs; from_chars would accept '-').
NumberStatus parse_number(std::string_view s, int64_t& out) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return NumberStatus::Bad;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range) return NumberStatus::TooBig;
  if (ec != std::errc() || p != s.data() + s.size()) return NumberStatus::Bad;
  return NumberStatus::Ok;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The line that opens a snapshot, "#-----------\n": where a file is cut into parts.
constexpr uint64_t kSeparatorLineBytes = 13;

// "0xADDR: FRAME" text -> frame: a large massif file is millions of tree lines naming a few
// thousand call sites, and a node-based map spent a third of the reading time in cache
// misses; the texts are found through a core::FlatIndex. Each text is an entry (numbered in
// order of insertion) holding its frame and address, so a caller that already knows which
// entry a line should be (TreeOrder) confirms it with one compare, without hashing or
// probing.
class FrameCache {
 public:
  using Index = core::FlatIndex<uint32_t>;
  static constexpr uint32_t kNone = Index::kNone;
  struct Entry {
    uint64_t offset = 0;  // of the text in texts_
    uint32_t length = 0;
    FrameId frame = 0;
    uint64_t address = 0;
  };
  FrameCache() : index_(1024) {}
  // The entry for `text`, or kNone.
  uint32_t find(std::string_view text, uint64_t h) const {
    return index_.find(h, [&](uint32_t entry) { return matches(entry, text); });
  }
  // Adds `text` (not in the cache yet); returns its entry. kNone when the cache is full (4G
  // entries, never in a real file): the caller goes on without it.
  uint32_t insert(std::string_view text, uint64_t h, FrameId frame, uint64_t address) {
    if (entries_.size() >= kNone - 1) return kNone;
    const auto index = static_cast<uint32_t>(entries_.size());
    entries_.push_back({texts_.size(), static_cast<uint32_t>(text.size()), frame, address});
    texts_.append(text);
    index_.add(h, index);
    return index;
  }
  bool matches(uint32_t entry, std::string_view text) const {
    const Entry& e = entries_[entry];
    return e.length == text.size() &&
           std::memcmp(texts_.data() + e.offset, text.data(), text.size()) == 0;
  }
  const Entry& entry(uint32_t index) const { return entries_[index]; }
  size_t size() const { return entries_.size(); }
  static uint64_t hash(std::string_view text) { return core::hash_bytes(text); }

 private:
  Index index_;
  std::vector<Entry> entries_;
  // The texts are kept back to back in one string: a hit (nearly every line after the first
  // snapshot) is confirmed with one memcmp at a known place, not through a deque of strings
  // (two dependent loads before the bytes: the compare was 15% of a large file's CPU).
  std::string texts_;
};

// Which cache entry the next tree line probably is: the line that followed, in the previous
// tree, the line this tree just matched. massif prints every detailed snapshot's tree in the
// same order (children by size) and sites change order only as their sizes cross, so 87-95%
// of lines are predicted (the bench's 400x3000 file; massif.out.kate in peer-data). A
// predicted line costs one compare against text the previous tree read in the same order, so
// memory is walked forward; a lookup by hash loads a random slot and then a random text (two
// cache misses per line: most of a large file's reading time, perf).
// Only a guess: a line that does not match it is looked up as before, so the frames are the
// same whatever the order.
class TreeOrder {
 public:
  // A new tree begins: the lines of the one before become the prediction.
  // O(lines of the two trees), whatever the number of entries.
  void start_tree(size_t entries) {
    for (const uint32_t e : previous_) position_[e] = kNowhere;
    previous_.swap(current_);
    current_.clear();
    position_.resize(entries, kNowhere);
    for (size_t i = previous_.size(); i-- > 0;) position_[previous_[i]] = uint32_t(i);
    cursor_ = 0;
  }
  // The entry the next line is expected to be, or FrameCache::kNone.
  uint32_t predicted() const {
    return cursor_ < previous_.size() ? previous_[cursor_] : FrameCache::kNone;
  }
  // The next line is `entry` (FrameCache::kNone for a line without one).
  void saw(uint32_t entry, bool as_predicted) {
    if (entry == FrameCache::kNone) return;
    current_.push_back(entry);
    if (as_predicted) {
      ++cursor_;
    } else if (entry < position_.size() && position_[entry] != kNowhere) {
      cursor_ = position_[entry] + 1;  // the trees agree again from there (its first place)
    }
    // else: a line the previous tree lacked; the one after it is probably the predicted one
  }

 private:
  static constexpr uint32_t kNowhere = UINT32_MAX;
  std::vector<uint32_t> previous_, current_;  // entries of the tree lines, in order
  std::vector<uint32_t> position_;            // entry -> its first place in previous_
  size_t cursor_ = 0;
};

// One parsed tree line: "<indent>nCHILDREN: BYTES DESC".
struct NodeLine {
  int64_t children = 0;
  int64_t bytes = 0;
  std::string_view desc;
};

class Parser {
 public:
  explicit Parser(ByteStream& in)
      : lines_(in), path_(in.path()), label_(file_name(in.path())) {}
  MassifFile run();
  // A part of a file that starts at a snapshot boundary ('#-----------' before 'snapshot=N'):
  // its snapshots only, numbered from `first_number`. Times are left in the file's unit
  // (the header, in another part, decides whether they are milliseconds).
  MassifFile run_snapshots(int64_t first_number);
  // Stop (without error) at the first snapshot whose separator line begins at or after byte
  // `offset` of the stream: the end of a part. Lines past it are read only while a snapshot
  // that began before it is still open, exactly as one pass reads them.
  void stop_at(uint64_t offset) { stop_at_ = offset; }
  // Where the 'snapshot=' line it stopped at begins (UINT64_MAX: it read to the end).
  uint64_t stopped_at() const { return stopped_at_; }
  // The number of the line it stopped at (the next part's 'snapshot=' line), in its numbering.
  uint64_t stopped_line() const { return stopped_line_; }
  // The error the whole file's parse reports for this part's first snapshot line (one of the
  // lines read so far) when it is numbered `got` but `expected` snapshots came before it.
  [[noreturn]] static void fail_numbering(const std::string& path, uint64_t line,
                                          int64_t expected, int64_t got);

 private:
  // A tree node whose children are still being read.
  struct OpenNode {
    int64_t remaining;      // children not read yet
    int64_t declared;       // nCHILDREN as written
    int64_t bytes;
    int64_t children = 0;   // sum of the children's bytes read so far
    uint64_t line;
    uint64_t address = 0;   // 0 for the root and below-threshold lines
    FrameId frame = 0;      // not inlined-marked; 0 for the root
  };

  bool next_raw();
  bool next_field_line();
  [[noreturn]] void fail(std::string_view expected) const;
  [[noreturn]] void fail_eof(std::string_view expected) const;

  void parse_header(MassifFile& file);
  void parse_time_unit(core::Profile& profile);
  void parse_snapshot(MassifFile& file);
  int64_t number_field(std::string_view key);
  MassifHeapTree heap_tree_field();

  void parse_tree(core::Profile& profile, core::Snapshot& snap, int64_t heap_bytes);
  NodeLine parse_node_line(size_t depth);
  void read_child(core::Profile& profile);
  void close_node(core::Profile& profile, core::Snapshot& snap);
  FrameId frame_for(core::Profile& profile, std::string_view desc, size_t depth, uint64_t& address);
  FrameId intern_frame(core::Profile& profile, std::string_view frame_text, uint64_t address);
  FrameId synthetic_frame(core::Profile& profile, std::string_view function);
  void add_sample(core::Profile& profile, core::Snapshot& snap, std::span<const FrameId> stack,
                  int64_t bytes);

  LineReader lines_;
  std::string path_;
  std::string label_;
  std::string_view line_;
  // Parse state of the current tree, kept across snapshots to reuse their storage.
  std::vector<OpenNode> open_;
  std::vector<FrameId> path_frames_;  // frames of open_[1..], i.e. leaf-first stack of the top
  core::SampleFolder samples_;
  // "0xADDR: FRAME" text -> frame; the same call site repeats in every snapshot.
  FrameCache frame_cache_;
  TreeOrder tree_order_;
  int64_t first_number_ = 0;  // of the first snapshot this parser reads
  uint64_t stop_at_ = UINT64_MAX, stopped_at_ = UINT64_MAX, stopped_line_ = 0;
  // The next snapshot's first field line, or false at the end (of the input or of a part).
  bool next_snapshot();
};

bool Parser::next_raw() {
  if (!lines_.next(line_)) return false;
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  // massif ends every line with '\n'. A tree line cut by the end of the file would parse as
  // a node with a shortened name: refuse it rather than report a wrong frame. A complete
  // description ends with ')' ("f (a.c:1)", "(in /lib/x.so)", "(1.00%)"), "???" or the
  // root's "etc.", so a file that merely lacks its final newline still reads.
  if (!lines_.last_line_terminated()) {
    const auto text = line_.substr(std::min(line_.find_first_not_of(' '), line_.size()));
    const bool complete = text.ends_with(')') || text.ends_with("???") || text.ends_with("etc.");
    if (!complete && text.size() > 1 && text[0] == 'n' && text[1] >= '0' && text[1] <= '9')
      throw InputError::at_line(path_, lines_.line_number(),
                                fmt::format("massif: expected a complete heap tree line, got the "
                                            "end of the file after {} (truncated file?)",
                                            quoted(line_)));
  }
  return true;
}

// Outside trees, '#' separator lines and blank lines carry nothing.
bool Parser::next_field_line() {
  while (next_raw())
    if (!line_.empty() && line_[0] != '#') return true;
  return false;
}

void Parser::fail(std::string_view expected) const {
  throw InputError::at_line(path_, lines_.line_number(),
                            fmt::format("massif: expected {}, got {}", expected, quoted(line_)));
}

void Parser::fail_eof(std::string_view expected) const {
  throw InputError::at_line(path_, lines_.line_number() + 1,
                            fmt::format("massif: expected {}, got end of file", expected));
}

MassifFile Parser::run() {
  MassifFile file;
  core::Profile& profile = file.profile;
  profile.kind = "heap";
  profile.metrics.add(core::Metric::LiveBytes);
  profile.default_metric = core::Metric::LiveBytes;
  parse_header(file);
  while (next_snapshot()) parse_snapshot(file);
  return file;
}

bool Parser::next_snapshot() {
  if (!next_field_line()) return false;
  // The separator '#-----------' line before 'snapshot=' is skipped by next_field_line: the
  // part ends at the separator, one line earlier.
  if (stop_at_ != UINT64_MAX && lines_.line_offset() >= stop_at_ + kSeparatorLineBytes) {
    stopped_at_ = lines_.line_offset();
    stopped_line_ = lines_.line_number();
    return false;
  }
  return true;
}

MassifFile Parser::run_snapshots(int64_t first_number) {
  MassifFile file;
  file.profile.kind = "heap";
  file.profile.metrics.add(core::Metric::LiveBytes);
  file.profile.default_metric = core::Metric::LiveBytes;
  first_number_ = first_number;
  while (next_snapshot()) parse_snapshot(file);
  return file;
}

void Parser::fail_numbering(const std::string& path, uint64_t line, int64_t expected,
                            int64_t got) {
  throw InputError::at_line(path, line,
                            fmt::format("massif: expected 'snapshot={}', got {}", expected,
                                        quoted(fmt::format("snapshot={}", got))));
}

void Parser::parse_header(MassifFile& file) {
  constexpr std::string_view kDesc = "'desc:' as the first line";
  if (!next_field_line()) fail_eof(kDesc);
  // heaptrack_print -M writes its header after the snapshots and drops every site (a heaptrack
  // 1.4.0 bug, massif.md §7.3): reading it would give totals without sites. Reject it.
  if (line_.starts_with("snapshot="))
    fail(fmt::format("{} (heaptrack_print -M output puts it at the end and loses all "
                     "allocation sites: read the heaptrack file itself instead)", kDesc));
  if (!line_.starts_with("desc:")) fail(kDesc);
  for (;;) {
    const std::string_view text = trim(line_.substr(5));
    // xtree reports (massif.md §7.1) hold one metric per "snapshot", all at the same time:
    // read as a series they would fake growth between metrics. Reject them.
    if (text == kXtreeDesc)
      fail("a massif.out file ('desc:' with massif's options; xtree memory reports are not "
           "snapshots over time: run valgrind --tool=massif instead)");
    if (!file.desc.empty()) file.desc += ' ';
    file.desc += text;
    if (!next_field_line()) fail_eof("'cmd:'");
    if (!line_.starts_with("desc:")) break;
  }
  if (!line_.starts_with("cmd:")) fail("'cmd:'");
  file.profile.command = std::string(trim(line_.substr(4)));
  parse_time_unit(file.profile);
}

void Parser::parse_time_unit(core::Profile& profile) {
  constexpr std::string_view kUnit = "'time_unit: i', 'time_unit: ms' or 'time_unit: B'";
  if (!next_field_line()) fail_eof(kUnit);
  if (!line_.starts_with("time_unit:")) fail(kUnit);
  const std::string_view unit = trim(line_.substr(10));
  if (unit == "i") {
    profile.time_unit = core::TimeUnit::Instructions;
  } else if (unit == "ms") {
    profile.time_unit = core::TimeUnit::Seconds;
  } else if (unit == "B") {
    profile.time_unit = core::TimeUnit::Bytes;
  } else {
    fail(kUnit);
  }
}

int64_t Parser::number_field(std::string_view key) {
  const std::string expected = fmt::format("'{}=INTEGER'", key);
  if (!next_field_line()) fail_eof(expected);
  if (!line_.starts_with(key) || line_.size() == key.size() || line_[key.size()] != '=')
    fail(expected);
  int64_t value = 0;
  switch (parse_number(line_.substr(key.size() + 1), value)) {
    case NumberStatus::Ok: return value;
    case NumberStatus::Bad: fail(expected);
    case NumberStatus::TooBig: fail(fmt::format("{} with INTEGER at most {}", expected, kMaxNumber));
  }
  return value;
}

MassifHeapTree Parser::heap_tree_field() {
  constexpr std::string_view kTree =
      "'heap_tree=empty', 'heap_tree=detailed' or 'heap_tree=peak'";
  if (!next_field_line()) fail_eof(kTree);
  if (line_ == "heap_tree=empty") return MassifHeapTree::Empty;
  if (line_ == "heap_tree=detailed") return MassifHeapTree::Detailed;
  if (line_ == "heap_tree=peak") return MassifHeapTree::Peak;
  fail(kTree);
}

void Parser::parse_snapshot(MassifFile& file) {
  MassifSnapshotInfo info;
  info.line = lines_.line_number();
  // Snapshots are renumbered 0..k-1 after culling; a gap means lines were lost or spliced.
  const int64_t expected = first_number_ + static_cast<int64_t>(file.snapshots.size());
  const std::string expected_text = fmt::format("'snapshot={}'", expected);
  if (!line_.starts_with("snapshot=")) fail(expected_text);
  if (parse_number(line_.substr(9), info.number) != NumberStatus::Ok || info.number != expected)
    fail(expected_text);
  info.time = number_field("time");
  info.heap_bytes = number_field("mem_heap_B");
  info.extra_bytes = number_field("mem_heap_extra_B");
  info.stacks_bytes = number_field("mem_stacks_B");
  info.tree = heap_tree_field();
  file.snapshots.push_back(info);
  if (info.tree == MassifHeapTree::Empty) return;

  core::Profile& profile = file.profile;
  core::Snapshot snap;
  snap.label = fmt::format("{}@{}", label_, info.number);
  snap.number = info.number;
  snap.time = profile.time_unit == core::TimeUnit::Seconds ? static_cast<double>(info.time) / 1000.0
                                                           : static_cast<double>(info.time);
  snap.is_peak = info.tree == MassifHeapTree::Peak;
  snap.total[core::Metric::LiveBytes] = info.heap_bytes;
  snap.extras = {{"heap_extra_bytes", info.extra_bytes}, {"stacks_bytes", info.stacks_bytes}};
  parse_tree(profile, snap, info.heap_bytes);
  profile.snapshots.push_back(std::move(snap));
}

// True when `s` starts with exactly `n` spaces. memcmp against a block of blanks, because a
// deep (hostile) tree has lines that are almost all indentation.
bool indented_by(std::string_view s, size_t n) {
  static constexpr size_t kBlock = 256;
  static const std::string blanks(kBlock, ' ');
  if (s.size() <= n || s[n] == ' ') return false;
  if (n <= 32) {  // real trees: a loop the compiler unrolls beats a call per line
    for (size_t i = 0; i < n; ++i)
      if (s[i] != ' ') return false;
    return true;
  }
  for (size_t i = 0; i < n; i += kBlock)
    if (std::memcmp(s.data() + i, blanks.data(), std::min(kBlock, n - i)) != 0) return false;
  return true;
}

NodeLine Parser::parse_node_line(size_t depth) {
  if (!indented_by(line_, depth))
    fail(fmt::format("a heap tree node indented by {} spaces", depth));
  // Formatted only on failure: this runs once per tree line.
  const auto expected = [depth] {
    return fmt::format("a heap tree node 'nCHILDREN: BYTES DESCRIPTION' at depth {}", depth);
  };
  std::string_view rest = line_.substr(depth);
  const size_t colon = rest.find(": ");
  if (!rest.starts_with('n') || colon == std::string_view::npos) fail(expected());
  const std::string_view children = rest.substr(1, colon - 1);
  rest.remove_prefix(colon + 2);
  const size_t space = rest.find(' ');
  if (space == std::string_view::npos || space + 1 == rest.size()) fail(expected());
  NodeLine node;
  node.desc = rest.substr(space + 1);
  const NumberStatus a = parse_number(children, node.children);
  const NumberStatus b = parse_number(rest.substr(0, space), node.bytes);
  if (a == NumberStatus::Bad || b == NumberStatus::Bad) fail(expected());
  if (a == NumberStatus::TooBig || b == NumberStatus::TooBig)
    fail(fmt::format("{} with numbers at most {}", expected(), kMaxNumber));
  return node;
}

void Parser::parse_tree(core::Profile& profile, core::Snapshot& snap, int64_t heap_bytes) {
  constexpr std::string_view kRoot = "a heap tree root 'nCHILDREN: BYTES DESCRIPTION'";
  if (!next_raw()) fail_eof(kRoot);
  if (line_.starts_with('#')) fail(kRoot);
  const NodeLine root = parse_node_line(0);
  if (root.bytes != heap_bytes)
    fail(fmt::format("a heap tree root of mem_heap_B={} bytes", heap_bytes));
  open_.clear();
  path_frames_.clear();
  tree_order_.start_tree(frame_cache_.size());
  open_.push_back({root.children, root.children, root.bytes, 0, lines_.line_number(), 0, 0});
  while (!open_.empty()) {
    if (open_.back().remaining == 0) {
      close_node(profile, snap);
    } else {
      read_child(profile);
    }
  }
}

// Reads the next child of the innermost open node and opens it.
void Parser::read_child(core::Profile& profile) {
  OpenNode& parent = open_.back();
  const size_t depth = open_.size();
  if (!next_raw())
    fail_eof(fmt::format("{} more heap tree node(s) under line {}", parent.remaining, parent.line));
  const NodeLine node = parse_node_line(depth);
  if (__builtin_add_overflow(parent.children, node.bytes, &parent.children) ||
      parent.children > parent.bytes)
    fail(fmt::format("children of line {} to add up to at most its {} bytes", parent.line,
                     parent.bytes));
  --parent.remaining;
  uint64_t address = 0;
  const FrameId frame = frame_for(profile, node.desc, depth, address);
  // An inlined call is printed as an n1 node with the same address as its only child, the
  // function it was inlined into (massif.md §4.3); a recursive call repeats the whole frame.
  if (depth >= 2 && parent.declared == 1 && address != 0 && parent.address == address &&
      parent.frame != frame) {
    core::Frame inlined = profile.frames[parent.frame];
    inlined.inlined = true;
    path_frames_.back() = profile.frames.intern(inlined);
  }
  path_frames_.push_back(frame);
  open_.push_back({node.children, node.children, node.bytes, 0, lines_.line_number(), address,
                   frame});
}

// All children read: what they do not explain is the node's own ("self") allocation.
void Parser::close_node(core::Profile& profile, core::Snapshot& snap) {
  const OpenNode node = open_.back();
  open_.pop_back();
  const int64_t self = node.bytes - node.children;
  if (open_.empty()) {
    if (self > 0) {
      const FrameId unattributed = synthetic_frame(profile, kMassifUnattributed);
      add_sample(profile, snap, std::span(&unattributed, 1), self);
    }
    return;
  }
  if (self > 0) add_sample(profile, snap, path_frames_, self);
  path_frames_.pop_back();
}

FrameId Parser::frame_for(core::Profile& profile, std::string_view desc, size_t depth,
                          uint64_t& address) {
  if (const uint32_t guess = tree_order_.predicted();
      guess != FrameCache::kNone && frame_cache_.matches(guess, desc)) {
    tree_order_.saw(guess, true);
    const FrameCache::Entry& e = frame_cache_.entry(guess);
    address = e.address;
    return e.frame;
  }
  const uint64_t h = FrameCache::hash(desc);
  if (const uint32_t known = frame_cache_.find(desc, h); known != FrameCache::kNone) {
    tree_order_.saw(known, false);
    const FrameCache::Entry& e = frame_cache_.entry(known);
    address = e.address;
    return e.frame;
  }
  std::string_view frame_text;
  if (split_massif_address(desc, address, frame_text)) {
    const FrameId id = intern_frame(profile, frame_text, address);
    tree_order_.saw(frame_cache_.insert(desc, h, id, address), false);
    return id;
  }
  address = 0;
  if (is_massif_below_threshold(desc)) return synthetic_frame(profile, kMassifBelowThreshold);
  fail(fmt::format("'0xADDRESS: FRAME' or a below-threshold description at depth {}", depth));
}

FrameId Parser::intern_frame(core::Profile& profile, std::string_view frame_text,
                             uint64_t address) {
  const MassifFrameText parts = parse_massif_frame(frame_text);
  core::Frame f;
  f.function = profile.strings.intern(parts.function);
  f.file = profile.strings.intern(parts.file);
  f.module = profile.strings.intern(parts.module);
  f.line = parts.line;
  f.address = address;
  return profile.frames.intern(f);
}

FrameId Parser::synthetic_frame(core::Profile& profile, std::string_view function) {
  core::Frame f;
  f.function = profile.strings.intern(function);
  return profile.frames.intern(f);
}

void Parser::add_sample(core::Profile& profile, core::Snapshot& snap,
                        std::span<const FrameId> stack, int64_t bytes) {
  samples_.values_of(snap, profile.stacks.intern(stack))[core::Metric::LiveBytes] += bytes;
}

}  // namespace

MassifFile parse_massif(ByteStream& in) { return Parser(in).run(); }

namespace {

// A place to cut a file: the first byte of a '#-----------' line followed by 'snapshot=N'.
struct Boundary {
  uint64_t offset = 0;
  int64_t number = 0;
};

// The first boundary at or after byte `from` (within kMaxSearch bytes), if any. Only the exact
// form massif writes counts ("\n#-----------\nsnapshot=DIGITS\n"); anything else is left to the
// part before, whose parser reads it as one pass would.
std::optional<Boundary> find_boundary(const std::string& path, uint64_t from, uint64_t end) {
  constexpr std::string_view kMark = "\n#-----------\nsnapshot=";
  constexpr uint64_t kMaxSearch = uint64_t(64) << 20;
  if (from == 0) return std::nullopt;
  --from;  // the mark begins with the newline that ends the line before
  ByteStream in(path, ByteStream::Range{from, std::min(end, from + kMaxSearch)});
  std::string window;
  uint64_t window_offset = from;  // file offset of window[0]
  for (;;) {
    const std::string_view chunk = in.read_view();
    if (chunk.empty()) return std::nullopt;
    window.append(chunk);
    size_t at = window.find(kMark);
    while (at != std::string::npos) {
      size_t i = at + kMark.size(), digits = 0;
      int64_t number = 0;
      while (i < window.size() && window[i] >= '0' && window[i] <= '9' && digits < 18)
        number = number * 10 + (window[i++] - '0'), ++digits;
      if (i == window.size()) break;  // the number may go on in the next chunk
      // Digits as one pass would quote them in an error: no leading zero.
      const bool canonical = digits == 1 || window[at + kMark.size()] != '0';
      if (digits > 0 && canonical && window[i] == '\n')
        return Boundary{window_offset + at + 1, number};
      at = window.find(kMark, at + 1);
    }
    // Keep a tail that may hold the start of a mark (and its number).
    const size_t keep = std::min(window.size(), kMark.size() + 20);
    window_offset += window.size() - keep;
    window.erase(0, window.size() - keep);
  }
}

}  // namespace

MassifFile parse_massif_file(ByteStream& in, uint64_t min_part_bytes, size_t max_parts,
                             size_t* parts_used) {
  if (parts_used) *parts_used = 1;
  const uint64_t size = in.size_hint();  // a regular uncompressed file's size; 0 otherwise
  const std::string path = in.path();
  const size_t wanted = size_t(std::min<uint64_t>(max_parts, size / std::max<uint64_t>(min_part_bytes, 1)));
  // Over the size cap: one pass, which stops at the cap with its error.
  if (in.compression() != Compression::None || path == "-" || wanted < 2 || size > in.max_size())
    return parse_massif(in);
  // Cut at the first snapshot boundary after each k * size / parts.
  std::vector<Boundary> cuts;
  for (size_t k = 1; k < wanted; ++k) {
    const uint64_t from = std::max(size * k / wanted, cuts.empty() ? 0 : cuts.back().offset + 1);
    if (auto b = find_boundary(path, from, size)) cuts.push_back(*b);
  }
  if (cuts.empty()) return parse_massif(in);
  std::vector<uint64_t> begin{0};
  for (const auto& c : cuts) begin.push_back(c.offset);
  begin.push_back(size);
  const size_t parts = begin.size() - 1;
  if (parts_used) *parts_used = parts;

  // Every part reads on to the end of the file if it must: it stops at the next part's
  // first snapshot when it gets there at the top level, and reads on only while a snapshot
  // that began in it is open (a tree that lacks lines meets the next snapshot's lines), which
  // is what one pass reads there. Each part after the first on a thread of its own, the first
  // part on this thread, all at once.
  //
  // Line numbers: a part after the first numbers its lines from its own start, and they are
  // moved by the lines before it once those are known (the part before stops at this part's
  // 'snapshot=' line and knows its number). A part that fails is not trusted with its own
  // message, whose numbers (also of other lines, in its text) are its own: one pass then reads
  // the file again and reports what it finds, as it would have. (Counting the lines before a
  // part first, on its thread, delayed that part by a tenth of its parse.)
  auto parse_part = [&](size_t k, uint64_t& stopped_at, uint64_t& stopped_line) {
    ByteStream part(path, ByteStream::Range{begin[k], size});
    Parser parser(part);
    if (k + 1 < parts) parser.stop_at(begin[k + 1] - begin[k]);
    MassifFile f = k == 0 ? parser.run() : parser.run_snapshots(cuts[k - 1].number);
    stopped_at = parser.stopped_at();
    stopped_line = parser.stopped_line();
    return f;
  };
  std::vector<uint64_t> stopped_at(parts, UINT64_MAX), stopped_line(parts, 0);
  std::vector<std::future<MassifFile>> rest;
  // One pass over the whole file, once the parts' threads are done: when no thread is to be
  // had, a part failed, or a part did not stop where the next one began (the parts would
  // overlap or leave a gap: a file that changed while it was read).
  auto one_pass = [&] {
    for (auto& r : rest)
      if (r.valid()) r.wait();  // (not those already got)
    if (parts_used) *parts_used = 1;
    ByteStream whole(path, in.max_size());
    return parse_massif(whole);
  };
  // Where a part that succeeded stopped: the next part's 'snapshot=' line, after its separator.
  auto stopped_right = [&](size_t k) {
    return stopped_at[k] == begin[k + 1] - begin[k] + kSeparatorLineBytes;
  };
  try {
    for (size_t k = 1; k < parts; ++k)
      rest.push_back(std::async(std::launch::async,
                                [&, k] { return parse_part(k, stopped_at[k], stopped_line[k]); }));
  } catch (const std::system_error&) {  // no thread to be had (a process limit)
    return one_pass();
  }
  // Errors in file order, as one pass reports the first: a part's own error, then the next
  // part's numbering, then that part's error. (Futures are waited for by their destructors.)
  MassifFile file = parse_part(0, stopped_at[0], stopped_line[0]);
  if (!stopped_right(0)) return one_pass();
  const bool ms = file.profile.time_unit == core::TimeUnit::Seconds;
  uint64_t lines_before = 0;  // of part k, in the file
  for (size_t k = 1; k < parts; ++k) {
    // Part k begins with the separator line before the 'snapshot=' line part k-1 stopped at.
    lines_before += stopped_line[k - 1] - 2;
    const auto expected = static_cast<int64_t>(file.snapshots.size());
    if (cuts[k - 1].number != expected)
      Parser::fail_numbering(path, lines_before + 2, expected, cuts[k - 1].number);
    MassifFile more;
    try {
      more = rest[k - 1].get();
    } catch (const InputError&) {
      return one_pass();
    }
    if (k + 1 < parts && !stopped_right(k)) return one_pass();
    for (auto& snap : more.profile.snapshots)
      if (ms && snap.time) snap.time = *snap.time / 1000.0;
    for (auto& info : more.snapshots) info.line += lines_before;
    file.snapshots.insert(file.snapshots.end(), more.snapshots.begin(), more.snapshots.end());
    core::append_snapshots(file.profile, std::move(more.profile));
  }
  return file;
}

}  // namespace memleak::formats
