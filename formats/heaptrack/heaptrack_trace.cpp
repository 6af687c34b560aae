#include "formats/heaptrack/heaptrack_trace.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "core/errors.h"
#include "formats/heaptrack/hex_number.h"

namespace memleak::formats::heaptrack {

using core::Metric;

namespace {

// Indices are stored as uint32_t; a file defining more entries than that is refused.
constexpr uint64_t kMaxEntries = std::numeric_limits<uint32_t>::max() - 1;
// Requested sizes above this are certainly corrupt, and keeping them below 2^62 means one
// overflow check on the cumulative total covers every other sum.
constexpr uint64_t kMaxAllocationSize = 1ULL << 62;
constexpr size_t kMaxShownToken = 40;

// Space-separated fields of one record. A trailing space yields one more, empty, field.
class Fields {
 public:
  explicit Fields(std::string_view text) : rest_(text), done_(text.empty()) {}
  bool done() const { return done_; }
  bool next(std::string_view& field) {
    if (done_) return false;
    const auto sp = rest_.find(' ');
    if (sp == std::string_view::npos) {
      field = rest_;
      rest_ = {};
      done_ = true;
    } else {
      field = rest_.substr(0, sp);
      rest_ = rest_.substr(sp + 1);
    }
    return true;
  }
  // Everything after the fields read so far.
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
  bool done_;
};

std::string shown(std::string_view token) {
  if (token.size() <= kMaxShownToken) return std::string(token);
  return std::string(token.substr(0, kMaxShownToken)) + "...";
}

std::string conversion_hint(const std::string& path, Compression compression) {
  switch (compression) {
    case Compression::Zstd:
      return fmt::format("zstd -dc < {0} | heaptrack_interpret | zstd -c > {0}.interpreted.zst",
                         path);
    case Compression::Gzip:
      return fmt::format("gzip -dc < {0} | heaptrack_interpret | zstd -c > {0}.interpreted.zst",
                         path);
    case Compression::None: break;
  }
  return fmt::format("heaptrack_interpret < {0} | zstd -c > {0}.interpreted.zst", path);
}

bool is_event(char type) {
  return type == '+' || type == '-' || type == 'c' || type == 'R' || type == 'A';
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Replay

void Replay::define_info(const AllocationInfo& info) {
  // (Sizes are below 2^62: the reader refuses larger ones.)
  InfoState state;
  state.size = info.size < int64_t(kLargeSize) ? uint32_t(info.size) : kLargeSize;
  infos_.push_back(state);
  sizes_.push_back(info.size);
  info_site_.push_back(info.site);
  live_high_.push_back(0);
  allocated_high_.push_back(0);
  synced_.emplace_back();
  if (track_peak_) peak_counts_.emplace_back();
  if (sites_.size() <= info.site) {
    sites_.resize(size_t(info.site) + 1);
    if (track_changes_) changed_.resize(sites_.size());
  }
}

namespace {
// What `live` and `allocated` blocks of `size` bytes add to a site (negative: take away).
// Every product and sum is bounded by the allocated total (< 2^63): no overflow.
void add_blocks(core::Values& v, int64_t live, int64_t allocated, int64_t size) {
  v[Metric::LiveBytes] += live * size;
  v[Metric::LiveObjects] += live;
  v[Metric::AllocBytes] += allocated * size;
  v[Metric::AllocObjects] += allocated;
}
}  // namespace

void Replay::sync() const {
  // Between two cuts of a long run most infos change: then a sweep over every info in order
  // (the per-info arrays read front to back) beats the list (a random index each): the 10M
  // bench trace's replay with 100 cuts, 358 -> 310 ms. The order does not show: the sums are
  // exact integer sums, and the changed sites are a set.
  if (unsynced_.size() * 4 > infos_.size()) {
    for (uint32_t i = 0; i < uint32_t(infos_.size()); ++i)
      if (infos_[i].marks & kUnsynced) sync_info(i);
  } else {
    for (const uint32_t i : unsynced_) sync_info(i);
  }
  unsynced_.clear();
}

void Replay::sync_info(uint32_t i) const {
  const uint32_t site = info_site_[i];
  const uint64_t allocated_now = allocated(i);
  const uint32_t live_now = live(i);
  Counts& was = synced_[i];
  add_blocks(sites_[site], int64_t(live_now) - int64_t(was.live),
             static_cast<int64_t>(allocated_now - was.allocated), sizes_[i]);
  was = {allocated_now, live_now};
  infos_[i].marks &= ~uint32_t(kUnsynced);
  if (track_changes_ && !changed_[site]) {
    changed_[site] = 1;
    changed_list_.push_back(site);
  }
}

void Replay::finish_events() {
  sync();
  auto release = [](auto& v) { std::remove_reference_t<decltype(v)>().swap(v); };
  release(infos_);
  release(sizes_);
  release(info_site_);
  release(live_high_);
  release(allocated_high_);
  release(peak_dirty_);
  release(peak_counts_);
  release(unsynced_);
  release(synced_);
}

void Replay::take_changes(std::vector<std::pair<uint32_t, core::Values>>& out) {
  sync();
  // Exactly the room needed: a cut of a long run lists most sites, and growing by doubling
  // left up to half of each list unused (a 20M-event trace's ten cuts: 28 MiB asked for 18).
  out.reserve(out.size() + changed_list_.size());
  for (const uint32_t s : changed_list_) {
    out.emplace_back(s, sites_[s]);
    changed_[s] = 0;
  }
  changed_list_.clear();
}

void Replay::record_peak() {
  peak_total = live_total;
  peak_ms = now_ms;
  rss_pages_at_peak = rss_pages;
  if (!track_peak_) return;
  // Only infos that changed since the previous peak differ from the stored copy.
  for (const uint32_t i : peak_dirty_) {
    peak_counts_[i] = {allocated(i), live(i)};
    infos_[i].marks &= ~uint32_t(kPeakDirty);
  }
  peak_dirty_.clear();
}

std::vector<core::Values> Replay::peak_sites() const {
  std::vector<core::Values> sites(sites_.size());
  for (size_t i = 0; i < peak_counts_.size(); ++i) {
    const Counts& c = peak_counts_[i];
    add_blocks(sites[info_site_[i]], int64_t(c.live), int64_t(c.allocated), sizes_[i]);
  }
  return sites;
}

// ---------------------------------------------------------------------------------------
// TraceReader

namespace {

// The first '\n' in [p, end) that the byte after it, also before `end`, is 'c'; null if none.
// (GCC's and Clang's portable vector extension, 16 bytes: one SSE2 or NEON register, which
// every x86-64 and AArch64 has; wider vectors are split into scalar code without -mavx2.)
const char* find_newline_c(const char* p, const char* end) {
  using Bytes = char __attribute__((vector_size(16)));
  constexpr size_t kStep = sizeof(Bytes);
  while (end - p > std::ptrdiff_t(2 * kStep)) {
    Bytes a, a1, b, b1;
    std::memcpy(&a, p, kStep);
    std::memcpy(&a1, p + 1, kStep);
    std::memcpy(&b, p + kStep, kStep);
    std::memcpy(&b1, p + kStep + 1, kStep);
    const Bytes hit = ((a == '\n') & (a1 == 'c')) | ((b == '\n') & (b1 == 'c'));
    uint64_t words[2];
    std::memcpy(words, &hit, kStep);
    if ((words[0] | words[1]) != 0) break;  // (found in these 32 bytes)
    p += 2 * kStep;
  }
  for (; p + 1 < end; ++p)
    if (p[0] == '\n' && p[1] == 'c') return p;
  return nullptr;
}

}  // namespace

void DurationScan::feed(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    switch (state_) {
      case State::LineStart:
        if (*p == 'c') {
          ++p;
          state_ = State::AfterC;
        } else {
          state_ = State::RestOfLine;  // (this byte may be the line's '\n')
        }
        break;
      case State::AfterC:
        if (*p == ' ') {
          ++p;
          state_ = State::Token;
          token_ = {};
        } else {
          state_ = State::RestOfLine;
        }
        break;
      case State::Token:
        for (; p < end && *p != ' ' && *p != '\n'; ++p) token_.add(*p);
        if (p < end) {
          end_token();
          state_ = State::RestOfLine;
        }
        break;
      case State::RestOfLine:
        if (const char* nl = find_newline_c(p, end)) {
          p = nl + 2;
          state_ = State::AfterC;
        } else {
          // A '\n' that ends the view starts a line the next view begins.
          state_ = end[-1] == '\n' ? State::LineStart : State::RestOfLine;
          p = end;
        }
        break;
    }
  }
}

void DurationScan::end_token() {
  if (token_.status() == HexStatus::Ok) last_ = std::max(last_, token_.value);
}

uint64_t DurationScan::finish() {
  if (state_ == State::Token) end_token();  // (the last line, without a '\n')
  state_ = State::LineStart;
  return last_;
}

uint64_t scan_duration_ms(ByteStream& in) {
  DurationScan scan;
  for (std::string_view view = in.read_view(); !view.empty(); view = in.read_view())
    scan.feed(view);
  return scan.finish();
}

TraceReader::TraceReader(std::string path, Compression compression)
    : path_(std::move(path)), compression_(compression) {}

void TraceReader::fail(std::string what) const {
  throw core::InputError::at_line(path_, line_no_, std::move(what));
}

void TraceReader::fail_raw(char record) const {
  fail(fmt::format(
      "heaptrack: expected an interpreted trace, got a raw one ('{}' record, written by "
      "heaptrack -r); convert it first: {}",
      record, conversion_hint(path_, compression_)));
}

namespace {

}  // namespace

void ErrorSite::operator()(std::string what) const {
  throw core::InputError::at_line(path, line, std::move(what));
}

namespace {

void check_index(uint64_t v, std::string_view kind, uint64_t first, size_t size,
                 bool one_based, const ErrorSite& fail) {
  if (v < first || v >= size)
    fail(fmt::format("heaptrack: {} index 0x{:x} out of range ({} defined)", kind, v,
                     size - (one_based ? 1 : 0)));
}

// Field readers shared by the record parsers.
uint64_t hex_field(Fields& f, std::string_view what, const ErrorSite& fail) {
  std::string_view token;
  if (!f.next(token)) fail(fmt::format("heaptrack: expected {}, got end of line", what));
  uint64_t v = 0;
  switch (parse_hex(token, v)) {
    case HexStatus::Ok: break;
    case HexStatus::Invalid:
      fail(fmt::format("heaptrack: expected {}, got '{}'", what, shown(token)));
    case HexStatus::Overflow:
      fail(fmt::format("heaptrack: {} '{}' does not fit in 64 bits", what, shown(token)));
  }
  return v;
}

// An index into a table of `size` entries whose valid indices are [first, size). Tables
// indexed from 1 (strings, ips, traces) hold a dummy entry 0 that is not "defined".
uint32_t index_field(Fields& f, std::string_view what, std::string_view kind, uint64_t first,
                     size_t size, bool one_based, const ErrorSite& fail) {
  const uint64_t v = hex_field(f, what, fail);
  check_index(v, kind, first, size, one_based, fail);
  return static_cast<uint32_t>(v);
}

}  // namespace

void TraceReader::run(LineReader& lines, Replay& replay, ClockObserver* clock) {
  std::string_view line;
  for (;;) {
    if (!legacy()) fast_events(lines, replay);
    if (!lines.next(line)) break;
    line_no_ = lines.line_number();
    dispatch(line, replay, clock);
  }
}

void TraceReader::release_event_tables() {
  std::vector<AllocationInfo>().swap(tables_.infos);
  std::vector<uint32_t>().swap(tables_.trace_site);
  legacy_infos_.clear();
  std::unordered_map<uint64_t, uint32_t>().swap(legacy_live_);
}

void TraceReader::dispatch(std::string_view line, Replay& replay, ClockObserver* clock) {
  if (line.empty() || line[0] == '#') return;  // comments
  const char type = line[0];
  std::string_view fields;
  const bool known = is_event(type) || std::string_view("vXISsitaxm").find(type) !=
                                            std::string_view::npos;
  if (!known) {
    // A heaptrack stream starts with `v` (or, before 1.0, `X`/`s`): anything else first
    // means this is not a heaptrack file at all (e.g. --input-format forced on massif).
    if (!saw_record_)
      fail(fmt::format("heaptrack: expected a heaptrack record such as 'v 10400 3', got '{}'",
                       shown(line)));
    auto& u = info_.unknown[type];
    if (u.count++ == 0) u.first_line = line_no_;
    return;
  }
  saw_record_ = true;
  if (line.size() > 1) {
    if (line[1] != ' ')
      fail(fmt::format("heaptrack: expected a space after the record type, got '{}'",
                       shown(line)));
    fields = line.substr(2);
  }
  if (is_event(type)) {
    switch (type) {
      case '+': return legacy() ? read_legacy_allocation(fields, replay)
                                : read_allocation(fields, replay);
      case '-': return legacy() ? read_legacy_free(fields, replay) : read_free(fields, replay);
      case 'c': return read_time(fields, replay, clock);
      case 'R': return read_rss(fields, replay);
      case 'A':
        if (info_.attached_line == 0) info_.attached_line = line_no_;
        return;
    }
  }
  switch (type) {
    case 'v': return read_version(fields);
    case 'X': info_.command = std::string(fields); return;
    case 'I': return read_system_info(fields);
    case 'S': return read_suppression(fields);
    case 's': return read_string(fields);
    case 'i': return read_ip(fields);
    case 't': return read_trace(fields);
    case 'a':
      read_allocation_info(fields);
      // The replay's state grows with the definitions, not per event.
      return replay.define_info(tables_.infos.back());
    case 'x':
    case 'm': fail_raw(type);
  }
}

// Most lines are "+ HEX" / "- HEX" with a defined index. They are parsed here straight from
// the LineReader's chunk, one after another, up to the first line that is anything else
// (another record, more than 8 digits, an index not defined, a line that runs on into the
// next chunk): that line goes through LineReader::next() and dispatch(), whose parsers give
// the messages. No per-line call, no search for the newline (hex_line8 finds it with the
// digits, eight bytes at a time; the digit loop is for the rare rest: near a chunk's end,
// uppercase, eight digits), no branch per digit.
void TraceReader::fast_events(LineReader& lines, Replay& replay) {
  const std::string_view rest = lines.rest_of_chunk();
  const char* const begin = rest.data();
  const char* const end = begin + rest.size();
  const uint64_t infos = replay.infos();  // fixed here: only `a` lines define infos
  const uint64_t first_line = lines.line_number() + 1;
  const char* p = begin;
  uint64_t parsed = 0;
  while (end - p >= 4) {
    const char type = p[0];
    if ((type != '+' && type != '-') || p[1] != ' ') break;
    const char* q = p + 2;
    uint64_t info = 0;
    HexLine hex;
    if (end - q >= 8 && (hex = hex_line8(q)).digits != 0) {
      info = hex.value;
      q += hex.digits;
    } else {
      const char* const digits_end = std::min(end, q + 9);  // 8 digits and the '\n'
      uint8_t d = 0;
      while (q < digits_end && (d = kHexDigit[uint8_t(*q)]) != 0xff) {
        info = (info << 4) | d;
        ++q;
      }
      if (q == digits_end || *q != '\n' || q == p + 2) break;
    }
    if (info >= infos) break;
    line_no_ = first_line + parsed;  // for the messages of allocate() and release()
    if (type == '+') {
      allocate(uint32_t(info), replay);
    } else {
      release(uint32_t(info), replay);
    }
    p = q + 1;
    ++parsed;
  }
  lines.skip(size_t(p - begin), parsed);
}

void TraceReader::read_version(std::string_view text) {
  Fields f(text);
  info_.heaptrack_version = hex_field(f, "a heaptrack version", where());
  if (f.done()) {
    // 1.0 pre-releases wrote "v 10200" without a file format; older files had none.
    info_.file_format = info_.heaptrack_version == 0x10200 ? 1 : 0;
  } else {
    info_.file_format = hex_field(f, "a file format version", where());
  }
  info_.saw_version = true;
}

std::string_view TraceReader::sized_string(std::string_view text, std::string_view what) {
  Fields f(text);
  const uint64_t length = hex_field(f, what, where());
  const std::string_view rest = f.rest();
  if (rest.size() != length)
    fail(fmt::format("heaptrack: expected a string of {} bytes, got {} bytes", length,
                     rest.size()));
  return rest;
}

void TraceReader::read_string(std::string_view text) {
  if (tables_.strings.size() > kMaxEntries) fail("heaptrack: too many strings");
  // File format 3 sizes strings (they may contain spaces); older ones took the rest of line.
  const std::string_view s =
      info_.file_format >= 3 ? sized_string(text, "a string length") : text;
  tables_.strings.emplace_back(s);
}

void TraceReader::read_suppression(std::string_view text) {
  if (info_.file_format >= 3) sized_string(text, "a suppression length");
  ++info_.suppressions;
}

void TraceReader::read_system_info(std::string_view text) {
  Fields f(text);
  const ErrorSite on_error = where();
  const uint64_t page_size = hex_field(f, "a page size", on_error);
  if (!f.done()) hex_field(f, "a number of pages", on_error);
  if (page_size > 0) info_.page_size = page_size;
}

void TraceReader::read_ip(std::string_view text) {
  if (tables_.ips.size() > kMaxEntries) fail("heaptrack: too many instruction pointers");
  const ErrorSite on_error = where();
  const size_t strings = tables_.strings.size();
  auto string_index = [&](Fields& f, std::string_view what) {
    return index_field(f, what, "string", 0, strings, true, on_error);
  };
  auto line_number = [&](Fields& f) {
    const uint64_t v = hex_field(f, "a line number", on_error);
    if (v > std::numeric_limits<uint32_t>::max())
      fail(fmt::format("heaptrack: line number 0x{:x} does not fit in 32 bits", v));
    return static_cast<uint32_t>(v);
  };
  Fields f(text);
  InstructionPointer ip;
  ip.address = hex_field(f, "an instruction pointer", on_error);
  ip.module = string_index(f, "a module string index");
  ip.first = static_cast<uint32_t>(tables_.locations.size());
  if (!f.done()) {
    // Main location (innermost inlined callee), then the functions it was inlined into.
    SourceLocation loc;
    loc.function = string_index(f, "a function string index");
    if (!f.done()) {
      loc.file = string_index(f, "a file string index");
      loc.line = line_number(f);
    }
    tables_.locations.push_back(loc);
    while (!f.done()) {
      SourceLocation outer;
      outer.function = string_index(f, "an inlined function string index");
      outer.file = string_index(f, "an inlined file string index");
      outer.line = line_number(f);
      tables_.locations.push_back(outer);
    }
  }
  if (tables_.locations.size() > kMaxEntries) fail("heaptrack: too many source locations");
  ip.count = static_cast<uint32_t>(tables_.locations.size() - ip.first);
  tables_.ips.push_back(ip);
}

void TraceReader::read_trace(std::string_view text) {
  if (tables_.traces.size() > kMaxEntries) fail("heaptrack: too many trace nodes");
  const ErrorSite on_error = where();
  Fields f(text);
  TraceNode node;
  node.ip = index_field(f, "an ip index", "ip", 1, tables_.ips.size(), true, on_error);
  const uint64_t own = tables_.traces.size();
  const uint64_t parent = hex_field(f, "a parent trace index", on_error);
  // Parents are defined before their children, which also rules out cycles, so walking
  // up a stack always terminates.
  if (parent >= own)
    fail(fmt::format("heaptrack: trace 0x{:x} has parent 0x{:x}: a parent must be defined "
                     "before its child",
                     own, parent));
  node.parent = static_cast<uint32_t>(parent);
  tables_.traces.push_back(node);
  tables_.trace_site.push_back(kNoSite);
}

uint32_t TraceReader::add_site(uint32_t trace) {
  uint32_t& site = tables_.trace_site[trace];
  if (site == kNoSite) {
    site = static_cast<uint32_t>(tables_.site_trace.size());
    tables_.site_trace.push_back(trace);
  }
  return site;
}

void TraceReader::read_allocation_info(std::string_view text) {
  if (tables_.infos.size() > kMaxEntries) fail("heaptrack: too many allocation infos");
  const ErrorSite on_error = where();
  Fields f(text);
  const uint64_t size = hex_field(f, "an allocation size", on_error);
  if (size >= kMaxAllocationSize)
    fail(fmt::format("heaptrack: allocation size 0x{:x} is too large", size));
  const uint32_t trace =
      index_field(f, "a trace index", "trace", 0, tables_.traces.size(), true, on_error);
  tables_.infos.push_back({static_cast<int64_t>(size), add_site(trace)});
  saw_allocation_info_ = true;
}

void TraceReader::allocate(uint32_t info, Replay& replay) {
  switch (replay.allocate(info)) {
    case Replay::Result::Ok: return;
    case Replay::Result::TotalOverflow:
      fail("heaptrack: the allocated bytes add up to more than 2^63");
    case Replay::Result::LiveOverflow:
      fail(fmt::format("heaptrack: allocation info 0x{:x} has 2^32 blocks live at once", info));
  }
}

void TraceReader::release(uint32_t info, Replay& replay) {
  if (!replay.release(info) && replay.unmatched == 1)
    first_unmatched_line_ = line_no_;
}

void TraceReader::read_allocation(std::string_view text, Replay& replay) {
  Fields f(text);
  const ErrorSite on_error = where();
  const uint64_t info = hex_field(f, "an allocation info index", on_error);
  // "+ size trace pointer" in a file format >= 1: the raw form.
  if (!f.done()) fail_raw('+');
  check_index(info, "allocation info", 0, tables_.infos.size(), false, on_error);
  allocate(static_cast<uint32_t>(info), replay);
}

void TraceReader::read_free(std::string_view text, Replay& replay) {
  Fields f(text);
  const ErrorSite on_error = where();
  const uint32_t info = index_field(f, "an allocation info index", "allocation info", 0,
                                    tables_.infos.size(), false, on_error);
  if (!f.done())
    fail(fmt::format("heaptrack: expected end of line after the allocation info index, got '{}'",
                     shown(f.rest())));
  release(info, replay);
}

// File format 0 (heaptrack < 1.0): "+ size trace pointer" and "- pointer". Allocation infos
// are made up here, one per distinct (size, trace), so the rest of the reader is the same.
void TraceReader::read_legacy_allocation(std::string_view text, Replay& replay) {
  Fields f(text);
  const ErrorSite on_error = where();
  const uint64_t size = hex_field(f, "an allocation size", on_error);
  if (size >= kMaxAllocationSize)
    fail(fmt::format("heaptrack: allocation size 0x{:x} is too large", size));
  const uint32_t trace =
      index_field(f, "a trace index", "trace", 0, tables_.traces.size(), true, on_error);
  const uint64_t pointer = hex_field(f, "a pointer", on_error);
  const auto key = std::make_pair(static_cast<int64_t>(size), trace);
  auto it = legacy_infos_.find(key);
  if (it == legacy_infos_.end()) {
    if (tables_.infos.size() > kMaxEntries) fail("heaptrack: too many allocation infos");
    it = legacy_infos_.emplace(key, static_cast<uint32_t>(tables_.infos.size())).first;
    tables_.infos.push_back({key.first, add_site(trace)});
    replay.define_info(tables_.infos.back());
  }
  // A pointer allocated twice without a free in between: the older block is forgotten.
  legacy_live_[pointer] = it->second;
  allocate(it->second, replay);
}

void TraceReader::read_legacy_free(std::string_view text, Replay& replay) {
  Fields f(text);
  const uint64_t pointer = hex_field(f, "a pointer", where());
  const auto it = legacy_live_.find(pointer);
  if (it == legacy_live_.end()) {
    if (++replay.unmatched == 1) first_unmatched_line_ = line_no_;
    return;
  }
  const uint32_t info = it->second;
  legacy_live_.erase(it);
  release(info, replay);
}

void TraceReader::read_time(std::string_view text, Replay& replay, ClockObserver* clock) {
  Fields f(text);
  uint64_t ms = hex_field(f, "a timestamp in milliseconds", where());
  if (ms < replay.now_ms) {
    // Never seen in real files; clamping keeps time slices in order.
    ++info_.clock_went_back;
    ms = replay.now_ms;
  }
  if (ms > replay.now_ms && clock) clock->before_advance(replay, ms);
  replay.now_ms = ms;
  info_.last_ms = ms;
}

void TraceReader::read_rss(std::string_view text, Replay& replay) {
  Fields f(text);
  const uint64_t pages = hex_field(f, "a number of pages", where());
  // Clamp absurd values instead of overflowing later when multiplied by the page size.
  replay.rss_pages = static_cast<int64_t>(std::min<uint64_t>(pages, 1ULL << 40));
  replay.peak_rss_pages = std::max(replay.peak_rss_pages, replay.rss_pages);
}

}  // namespace memleak::formats::heaptrack
