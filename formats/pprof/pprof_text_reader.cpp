#include "formats/pprof/pprof_text_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/paths.h"

// The legacy text profiles pprof reads (shared/formats/pprof.md §9), as a line state machine:
// header -> sample rows (with Go's '#' symbol lines) -> optional memory map. Rows are folded
// into (address stack -> summed values) as they stream by; frames are built at the end,
// because symbols ('#' lines follow their row) and mappings (last section) come late.

namespace memleak::formats {

namespace {

using core::Metric;

enum class TextKind { GoHeap, GperfHeap, Jemalloc, Count, Empty };

// Values of one row, in our metric order.
struct RowValues {
  int64_t v[4] = {0, 0, 0, 0};  // LiveObjects, LiveBytes, AllocObjects, AllocBytes
};
constexpr Metric kRowMetrics[4] = {Metric::LiveObjects, Metric::LiveBytes, Metric::AllocObjects,
                                   Metric::AllocBytes};

struct Symbol {
  std::string function, file;
  uint32_t line = 0;
};

struct Mapping {
  uint64_t start = 0, limit = 0, offset = 0;
  std::string path;
};

std::string shorten(std::string_view s) {
  if (s.size() <= 80) return std::string(s);
  return std::string(s.substr(0, 77)) + "...";
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A cursor over one line: whitespace-tolerant tokens, numbers without locale.
struct LineCursor {
  std::string_view s;
  size_t pos = 0;
  void spaces() {
    while (pos < s.size() && is_space(s[pos])) ++pos;
  }
  bool literal(char c) {
    spaces();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    spaces();
    if (s.substr(pos).starts_with(word)) {
      pos += word.size();
      return true;
    }
    return false;
  }
  bool integer(int64_t& v) {
    spaces();
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
    if (ec != std::errc()) return false;
    pos = static_cast<size_t>(p - s.data());
    return true;
  }
  std::string_view token() {
    spaces();
    const size_t b = pos;
    while (pos < s.size() && !is_space(s[pos])) ++pos;
    return s.substr(b, pos - b);
  }
  bool at_end() {
    spaces();
    return pos >= s.size();
  }
};

bool parse_hex(std::string_view t, uint64_t& v) {
  if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
  if (t.empty()) return false;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, 16);
  return ec == std::errc() && p == t.data() + t.size();
}

// pprof's scaleHeapSample (§9.5): the probability that an allocation of the row's average
// size was sampled at period `rate`; truncated per row, exactly as pprof does.
std::pair<int64_t, int64_t> unsample(int64_t count, int64_t size, int64_t rate) {
  if (count == 0 || size == 0) return {0, 0};
  if (rate <= 1) return {count, size};
  const double avg = double(size) / double(count);
  const double scale = 1 / (1 - std::exp(-avg / double(rate)));
  return {int64_t(double(count) * scale), int64_t(double(size) * scale)};
}

class TextReader {
 public:
  TextReader(ByteStream& in) : in_(in), lines_(in) {}
  core::Profile read();

 private:
  [[noreturn]] void fail(std::string message) const {
    throw core::InputError::at_line(in_.path(), lines_.line_number(),
                                    "pprof-text: " + std::move(message));
  }
  void header(std::string_view line);
  void heap_row(std::string_view line);
  void count_row(std::string_view line);
  void jemalloc_line(std::string_view line);
  void symbol_line(std::string_view line);
  void map_line(std::string_view line);
  void addresses(LineCursor& c);
  void add(const RowValues& v);
  core::Profile build();

  ByteStream& in_;
  LineReader lines_;
  TextKind kind_ = TextKind::Empty;
  int64_t rate_ = 0;         // unsampling period; <= 1 = exact
  bool has_alloc_ = false;   // pprof lists alloc_* types (header alloc pair differs)
  std::string count_type_;   // "goroutine", "threadcreate"
  int64_t header_period_ = 0;

  std::vector<uint64_t> stack_;  // addresses (minus 1) of the current row, leaf first
  bool jemalloc_have_stack_ = false;
  std::vector<uint64_t> ids_;
  std::vector<uint32_t> begin_{0};
  std::vector<RowValues> values_;
  std::unordered_multimap<uint64_t, uint32_t> index_;
  std::unordered_map<uint64_t, std::vector<Symbol>> symbols_;
  std::vector<Mapping> mappings_;
  std::vector<std::string> warnings_;
};

void TextReader::header(std::string_view line) {
  LineCursor c{line};
  if (line.starts_with("%warn")) {
    kind_ = TextKind::Empty;
    warnings_.push_back("pprof-text: tcmalloc wrote no samples (%warn: sampling was off)");
    return;
  }
  if (c.literal("heap profile:")) {
    int64_t a = 0, b = 0, x = 0, y = 0;
    if (!(c.integer(a) && c.literal(':') && c.integer(b) && c.literal('[') && c.integer(x) &&
          c.literal(':') && c.integer(y) && c.literal(']') && c.literal('@')))
      fail(fmt::format("expected 'heap profile: N: N [N: N] @ KIND', got '{}'", shorten(line)));
    c.spaces();
    const std::string_view rest = trim(c.s.substr(c.pos));
    const auto slash = rest.find('/');
    const std::string_view what = rest.substr(0, slash);
    int64_t period = 0;
    if (slash != std::string_view::npos) {
      const auto num = rest.substr(slash + 1);
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), period);
      if (ec != std::errc() || p != num.data() + num.size() || period < 0)
        fail(fmt::format("expected a sampling period after '{}/', got '{}'", what, num));
    }
    has_alloc_ = (x != a && x != 0) || (y != b && y != 0);
    if (what == "heap") {
      kind_ = TextKind::GoHeap;
      rate_ = period / 2;  // Go writes 2 x MemProfileRate (§9.1)
    } else if (what == "heap_v2" || what == "heapz_v2") {
      kind_ = TextKind::GperfHeap;
      rate_ = period;
    } else if (what == "heapprofile") {
      kind_ = TextKind::GperfHeap;
      rate_ = 1;
    } else if (what == "growthz" || what == "growth" || what == "fragmentationz" ||
               what == "fragmentation") {
      kind_ = TextKind::GperfHeap;
      rate_ = 1;
      has_alloc_ = false;  // pprof reads these with objects/space only
    } else {
      fail(fmt::format("expected heap, heap_v2, heapz_v2, heapprofile, growthz or "
                       "fragmentationz after '@', got '{}'",
                       shorten(rest)));
    }
    header_period_ = rate_;
    return;
  }
  if (line.starts_with("heap_v2/")) {
    const auto num = trim(line.substr(8));
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), rate_);
    if (ec != std::errc() || p != num.data() + num.size() || rate_ < 0)
      fail(fmt::format("expected 'heap_v2/PERIOD', got '{}'", shorten(line)));
    kind_ = TextKind::Jemalloc;
    header_period_ = rate_;
    return;
  }
  // NAME profile: total N (Go count profiles, debug=1)
  const auto sp = line.find(" profile: total ");
  if (sp != std::string_view::npos && sp > 0 && line.substr(0, sp).find(' ') == std::string_view::npos) {
    const auto num = trim(line.substr(sp + 16));
    int64_t total = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), total);
    if (ec == std::errc() && p == num.data() + num.size()) {
      kind_ = TextKind::Count;
      count_type_ = std::string(line.substr(0, sp));
      header_period_ = 1;
      return;
    }
  }
  fail(fmt::format("expected 'heap profile: N: N [N: N] @ KIND', 'heap_v2/N' or "
                   "'NAME profile: total N', got '{}'",
                   shorten(line)));
}

void TextReader::addresses(LineCursor& c) {
  stack_.clear();
  while (!c.at_end()) {
    const auto t = c.token();
    uint64_t a = 0;
    if (!t.starts_with("0x") || !parse_hex(t, a))
      fail(fmt::format("expected a hex address like 0x4b514f, got '{}'", shorten(t)));
    // Return addresses: minus 1 lands on the call instruction (pprof does the same).
    stack_.push_back(a - 1);
  }
}

void TextReader::add(const RowValues& v) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ stack_.size();
  for (uint64_t a : stack_) {
    h ^= a + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
  }
  auto range = index_.equal_range(h);
  for (auto it = range.first; it != range.second; ++it) {
    const uint32_t i = it->second;
    if (std::equal(ids_.begin() + begin_[i], ids_.begin() + begin_[i + 1], stack_.begin(),
                   stack_.end())) {
      for (int k = 0; k < 4; ++k)
        if (__builtin_add_overflow(values_[i].v[k], v.v[k], &values_[i].v[k]))
          fail("expected sums that fit in 64 bits, got an overflow");
      return;
    }
  }
  const auto id = static_cast<uint32_t>(values_.size());
  ids_.insert(ids_.end(), stack_.begin(), stack_.end());
  begin_.push_back(static_cast<uint32_t>(ids_.size()));
  values_.push_back(v);
  index_.emplace(h, id);
}

void TextReader::heap_row(std::string_view line) {
  LineCursor c{line};
  int64_t live_n = 0, live_b = 0, alloc_n = 0, alloc_b = 0;
  if (!(c.integer(live_n) && c.literal(':') && c.integer(live_b) && c.literal('[') &&
        c.integer(alloc_n) && c.literal(':') && c.integer(alloc_b) && c.literal(']') &&
        c.literal('@')))
    fail(fmt::format("expected 'COUNT: BYTES [COUNT: BYTES] @ ADDRESSES', got '{}'",
                     shorten(line)));
  if (live_n == 0 && live_b != 0)
    fail(fmt::format("expected a nonzero inuse count for {} inuse bytes, got 0", live_b));
  if (alloc_n == 0 && alloc_b != 0)
    fail(fmt::format("expected a nonzero allocation count for {} allocated bytes, got 0",
                     alloc_b));
  addresses(c);
  RowValues v;
  std::tie(v.v[0], v.v[1]) = unsample(live_n, live_b, rate_);
  std::tie(v.v[2], v.v[3]) = unsample(alloc_n, alloc_b, rate_);
  add(v);
}

void TextReader::count_row(std::string_view line) {
  LineCursor c{line};
  int64_t n = 0;
  if (!(c.integer(n) && c.literal('@')))
    fail(fmt::format("expected 'COUNT @ ADDRESSES', got '{}'", shorten(line)));
  addresses(c);
  RowValues v;
  v.v[0] = n;  // stored in slot 0, mapped to Goroutines (or nothing) in build()
  add(v);
}

// jemalloc: "@ addrs" opens a block, its "t*:" line carries the values; per-thread lines
// ("t0:", "t1:") repeat them and are skipped. The header's own t* line (before any '@') is
// the process total.
void TextReader::jemalloc_line(std::string_view line) {
  const auto t = trim(line);
  if (t.starts_with("@")) {
    LineCursor c{t};
    c.literal('@');
    addresses(c);
    jemalloc_have_stack_ = true;
    return;
  }
  if (t.starts_with("t*:")) {
    LineCursor c{t.substr(3)};
    int64_t live_n = 0, live_b = 0, alloc_n = 0, alloc_b = 0;
    if (!(c.integer(live_n) && c.literal(':') && c.integer(live_b) && c.literal('[') &&
          c.integer(alloc_n) && c.literal(':') && c.integer(alloc_b) && c.literal(']')))
      fail(fmt::format("expected 't*: COUNT: BYTES [COUNT: BYTES]', got '{}'", shorten(line)));
    if (!jemalloc_have_stack_) {  // process totals
      has_alloc_ = (alloc_n != live_n && alloc_n != 0) || (alloc_b != live_b && alloc_b != 0);
      return;
    }
    RowValues v;
    std::tie(v.v[0], v.v[1]) = unsample(live_n, live_b, rate_);
    std::tie(v.v[2], v.v[3]) = unsample(alloc_n, alloc_b, rate_);
    add(v);
    return;
  }
  if (t.size() > 1 && t[0] == 't' && t[1] >= '0' && t[1] <= '9') return;  // per thread
  fail(fmt::format("expected '@ ADDRESSES', 't*: ...' or 'tN: ...', got '{}'", shorten(line)));
}

// Go: "#\t0x4b514e\tmain.leakChunk+0x2e\tgoleak/main.go:17" (several with one PC = inlining,
// innermost first). Other '#' lines are comments.
void TextReader::symbol_line(std::string_view line) {
  std::string_view rest = line.substr(1);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (!rest.starts_with("0x")) return;
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == '\t' || rest[i] == ' ')) ++i;
    size_t j = i;
    while (j < rest.size() && rest[j] != '\t') ++j;
    if (j > i) fields.push_back(trim(rest.substr(i, j - i)));
    i = j;
  }
  uint64_t pc = 0;
  if (fields.empty() || !parse_hex(fields[0], pc)) return;
  Symbol s;
  if (fields.size() >= 2) {
    auto fn = fields[1];
    const auto plus = fn.rfind("+0x");
    if (plus != std::string_view::npos) fn = fn.substr(0, plus);
    s.function = std::string(fn);
  }
  if (fields.size() >= 3) {
    const auto fl = fields[2];
    const auto colon = fl.rfind(':');
    s.file = std::string(fl.substr(0, colon));
    if (colon != std::string_view::npos) {
      const auto num = fl.substr(colon + 1);
      std::from_chars(num.data(), num.data() + num.size(), s.line);
    }
  }
  auto& list = symbols_[pc];
  // Go repeats the symbol lines under every row: keep the first chain only.
  if (std::find_if(list.begin(), list.end(), [&](const Symbol& o) {
        return o.function == s.function && o.file == s.file && o.line == s.line;
      }) == list.end())
    list.push_back(std::move(s));
}

// "/proc/self/maps": "start-end perms offset dev inode path", or gperftools' "--- Memory
// map: ---" form "start-end: path". Only executable ranges become modules.
void TextReader::map_line(std::string_view line) {
  const auto t = trim(line);
  if (t.empty()) return;
  const auto dash = t.find('-');
  if (dash == std::string_view::npos) return;
  size_t end_of_range = t.find_first_of(" \t:", dash);
  if (end_of_range == std::string_view::npos) return;
  Mapping m;
  if (!parse_hex(t.substr(0, dash), m.start) ||
      !parse_hex(t.substr(dash + 1, end_of_range - dash - 1), m.limit))
    return;  // pprof ignores lines it does not understand here
  LineCursor c{t, end_of_range};
  if (c.literal(':')) {
    m.path = std::string(trim(c.s.substr(c.pos)));
  } else {
    const auto perms = c.token();
    const auto off = c.token();
    (void)c.token();  // dev
    (void)c.token();  // inode
    c.spaces();
    m.path = std::string(trim(c.s.substr(c.pos)));
    if (perms.find('x') == std::string_view::npos) return;
    if (!parse_hex(off, m.offset)) return;
  }
  if (m.limit <= m.start) return;
  mappings_.push_back(std::move(m));
}

core::Profile TextReader::read() {
  std::string_view line;
  // Header: the first line that is not blank (Go count profiles may start with comments).
  while (lines_.next(line)) {
    const auto t = trim(line);
    if (t.empty() || (t.front() == '#' && !t.starts_with("#\t0x"))) continue;
    header(t);
    break;
  }
  if (lines_.line_number() == 0) fail("expected a header line, got an empty input");
  bool in_map = false;
  while (lines_.next(line)) {
    const auto t = trim(line);
    if (t.empty()) continue;
    if (t.find("MAPPED_LIBRARIES:") != std::string_view::npos ||
        t.find("--- Memory map:") != std::string_view::npos) {
      in_map = true;
      continue;
    }
    if (in_map) {
      map_line(t);
      continue;
    }
    if (t.front() == '#') {
      symbol_line(t);
      continue;
    }
    switch (kind_) {
      case TextKind::GoHeap:
      case TextKind::GperfHeap: heap_row(t); break;
      case TextKind::Count:
        if (t.starts_with("---")) {
          in_map = true;  // what follows is another section; only maps matter to us
          continue;
        }
        count_row(t);
        break;
      case TextKind::Jemalloc: jemalloc_line(line); break;
      case TextKind::Empty:
        if (t.starts_with("%warn")) continue;
        fail(fmt::format("expected only '%warn' lines, got '{}'", shorten(t)));
    }
  }
  return build();
}

core::Profile TextReader::build() {
  core::Profile p;
  p.time_unit = core::TimeUnit::None;
  p.warnings = std::move(warnings_);
  std::vector<int> slot_of_metric;  // row slot -> metric index, -1 = none
  switch (kind_) {
    case TextKind::GoHeap:
    case TextKind::GperfHeap:
    case TextKind::Jemalloc:
    case TextKind::Empty:
      p.kind = "heap";
      if (has_alloc_) {
        p.sample_types = {"alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
                          "inuse_space/bytes (default)"};
        p.metrics.add(Metric::AllocObjects).add(Metric::AllocBytes);
      } else {
        p.sample_types = {"objects/count", "space/bytes (default)"};
      }
      p.metrics.add(Metric::LiveObjects).add(Metric::LiveBytes);
      p.default_metric = Metric::LiveBytes;
      p.sampling_period = header_period_ > 1 ? header_period_ : 0;
      break;
    case TextKind::Count:
      p.kind = count_type_;
      p.sample_types = {count_type_ + "/count (default)"};
      if (count_type_ == "goroutine") {
        p.metrics.add(Metric::Goroutines);
        p.default_metric = Metric::Goroutines;
      }
      break;
  }

  std::sort(mappings_.begin(), mappings_.end(),
            [](const Mapping& a, const Mapping& b) { return a.start < b.start; });
  std::unordered_map<uint64_t, std::pair<uint32_t, uint32_t>> frames_of;  // address -> range
  std::vector<core::FrameId> frame_ids;
  auto frames_for = [&](uint64_t addr) -> std::pair<uint32_t, uint32_t> {
    auto [it, fresh] = frames_of.try_emplace(addr);
    if (!fresh) return it->second;
    const uint32_t b = static_cast<uint32_t>(frame_ids.size());
    core::StringId module = 0;
    uint64_t display = addr;
    auto m = std::upper_bound(mappings_.begin(), mappings_.end(), addr,
                              [](uint64_t a, const Mapping& mm) { return a < mm.start; });
    if (m != mappings_.begin() && addr < (m - 1)->limit) {
      --m;
      module = p.strings.intern(m->path);
      display = addr - m->start + m->offset;
    }
    auto sym = symbols_.find(addr);
    if (sym == symbols_.end() || sym->second.empty()) {
      core::Frame f;
      f.module = module;
      f.address = display;
      frame_ids.push_back(p.frames.intern(f));
    } else {
      const auto& chain = sym->second;
      for (size_t i = 0; i < chain.size(); ++i) {
        core::Frame f;
        f.function = p.strings.intern(chain[i].function);
        f.file = p.strings.intern(chain[i].file);
        f.line = chain[i].line;
        f.module = module;
        f.address = addr;
        f.inlined = i + 1 < chain.size();
        frame_ids.push_back(p.frames.intern(f));
      }
    }
    it->second = {b, static_cast<uint32_t>(frame_ids.size()) - b};
    return it->second;
  };

  core::Snapshot snap;
  snap.label = std::string(file_name(in_.path()));
  std::unordered_map<core::StackId, size_t> sample_of_stack;
  std::vector<core::FrameId> frames;
  for (size_t s = 0; s + 1 < begin_.size(); ++s) {
    frames.clear();
    for (uint32_t i = begin_[s]; i < begin_[s + 1]; ++i) {
      auto [b, n] = frames_for(ids_[i]);
      frames.insert(frames.end(), frame_ids.begin() + b, frame_ids.begin() + b + n);
    }
    const core::StackId stack = p.stacks.intern(frames);
    core::Values v;
    if (kind_ == TextKind::Count) {
      if (p.metrics.has(Metric::Goroutines)) v[Metric::Goroutines] = values_[s].v[0];
    } else {
      for (int k = 0; k < 4; ++k)
        if (p.metrics.has(kRowMetrics[k])) v[kRowMetrics[k]] = values_[s].v[k];
    }
    auto [it, fresh] = sample_of_stack.try_emplace(stack, snap.samples.size());
    if (fresh)
      snap.samples.push_back({stack, v});
    else
      snap.samples[it->second].values += v;
  }
  for (const auto& smp : snap.samples)
    for (size_t i = 0; i < core::kMetricCount; ++i)
      if (__builtin_add_overflow(snap.total.v[i], smp.values.v[i], &snap.total.v[i]))
        throw core::InputError(in_.path(), "pprof-text: expected a total that fits in 64 bits, "
                                           "got an overflow");
  p.snapshots.push_back(std::move(snap));
  return p;
}

}  // namespace

bool sniff_pprof_text(std::string_view head) {
  // Skip leading blank and comment lines (Go count profiles may start with them).
  while (!head.empty()) {
    const auto nl = head.find('\n');
    const auto line = trim(head.substr(0, nl));
    if (!line.empty() && line.front() != '#') {
      if (line.starts_with("heap profile:") || line.starts_with("heap_v2/") ||
          line.starts_with("%warn"))
        return true;
      const auto sp = line.find(" profile: total ");
      return sp != std::string_view::npos && sp > 0 &&
             line.substr(0, sp).find(' ') == std::string_view::npos;
    }
    if (nl == std::string_view::npos) return false;
    head.remove_prefix(nl + 1);
  }
  return false;
}

core::Profile read_pprof_text(ByteStream& in, const ReadOptions&) {
  TextReader r(in);
  return r.read();
}

}  // namespace memleak::formats
