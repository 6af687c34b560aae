#include "formats/pprof/pprof_reader.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <array>
#include <optional>
#include <span>
#include <regex>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/sample_folder.h"
#include "formats/page_buffer.h"
#include "formats/paths.h"
#include "formats/pprof/wire.h"

// A hand-written decoder rather than the generated protobuf classes: those build one heap
// object per sample, location and line, and trust nested lengths to protobuf's own limits.
// Here samples are folded into (location-id stack -> summed values) while decoding, every
// table is flat, and every reference is checked before use with the byte offset of the
// message that made it. Ids and string indices are kept raw until the end because Go writes
// the mappings and the string table last (pprof.md §2).

namespace memleak::formats {

using pprof_wire::Cursor;
using pprof_wire::Key;
using pprof_wire::kLen;
using pprof_wire::kVarint;

namespace {

constexpr uint64_t kNoIndex = ~uint64_t(0);

struct RawValueType {
  uint64_t type = 0, unit = 0;
  uint64_t offset = 0;
};

struct RawMapping {
  uint64_t memory_start = 0, memory_limit = 0, file_offset = 0;
  uint64_t filename = 0, build_id = 0;
  uint64_t offset = 0;
};

struct RawFunction {
  uint64_t name = 0, system_name = 0, filename = 0;
  uint64_t offset = 0;
};

struct RawLine {
  uint64_t function_id = 0;
  int64_t line = 0;
};

struct RawLocation {
  uint64_t mapping_id = 0, address = 0;
  uint32_t lines_begin = 0, lines_count = 0;
  uint64_t offset = 0;
};

// Where one Sample message lies, for its second reading after the locations are known
// (samples come before locations in Go's profiles). Not stored: build() finds the samples
// again by walking the Profile's fields; a first version folded every sample's location ids
// into a table of its own (~100 MB of ids for 400k samples of 30 frames, issue 6), a second
// kept one range per sample (24 MB for two such profiles).
struct SampleRange {
  uint64_t begin = 0;   // first byte of the message's fields
  uint64_t end = 0;     // one past its last byte
  uint64_t offset = 0;  // the field's key, for error messages
};

uint64_t hash_ids(std::span<const uint64_t> ids) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ ids.size();
  for (uint64_t v : ids) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
  }
  return h;
}

struct LabelCount {
  uint64_t key = 0, str = 0;
  uint64_t samples = 0;
};

class Decoder {
 public:
  // `pages` (optional) holds `data`: build() gives back the pages of samples it has read.
  Decoder(const std::string& path, std::string_view data, PageBuffer* pages = nullptr)
      : path_(path), data_(data), pages_(pages) {}

  void decode_profile();
  core::Profile build();

 private:
  [[noreturn]] void fail(uint64_t offset, std::string message) const {
    throw core::InputError::at_byte(path_, offset, "pprof: " + std::move(message));
  }
  Cursor sub(Cursor& parent, const Key& k, const char* what) {
    auto [b, e] = parent.length_delimited(k);
    return Cursor(&path_, data_, b, e, what);
  }
  // Repeated scalar: packed (wire 2) or one element (wire 0); calls f(value) per element.
  template <class F>
  void repeated_varint(Cursor& c, const Key& k, const char* name, F&& f) {
    if (k.wire == kVarint) {
      f(c.varint());
    } else if (k.wire == kLen) {
      Cursor p = sub(c, k, c.what());
      while (!p.at_end()) f(p.varint());
    } else {
      c.wrong_wire(k, name, kVarint);
    }
  }
  uint64_t scalar(Cursor& c, const Key& k, const char* name) {
    if (k.wire != kVarint) c.wrong_wire(k, name, kVarint);
    return c.varint();
  }
  RawValueType decode_value_type(Cursor& c, const Key& k, const char* name);
  void decode_sample(Cursor& c, const Key& k);
  // Location ids and values of a sample decode_sample has already validated.
  void reread_sample(const SampleRange& r);
  void decode_mapping(Cursor& c, const Key& k);
  void decode_location(Cursor& c, const Key& k);
  void decode_function(Cursor& c, const Key& k);

  // Resolution helpers (after decoding).
  void check_string(uint64_t index, uint64_t offset, const char* where) const;
  core::StringId str(core::Profile& p, uint64_t index);
  std::string_view raw_str(uint64_t index) const { return strings_[index]; }

  const std::string& path_;
  std::string_view data_;
  PageBuffer* pages_;

  std::vector<std::string_view> strings_;
  std::vector<RawValueType> sample_types_;
  std::optional<RawValueType> period_type_;
  int64_t period_ = 0;
  int64_t time_nanos_ = 0;
  uint64_t drop_frames_ = 0, keep_frames_ = 0, default_sample_type_ = 0;
  uint64_t drop_offset_ = 0, keep_offset_ = 0, default_offset_ = 0;
  std::vector<std::pair<uint64_t, uint64_t>> comments_;  // index, offset

  std::unordered_map<uint64_t, RawMapping> mappings_;
  std::unordered_map<uint64_t, RawFunction> functions_;
  std::unordered_map<uint64_t, RawLocation> locations_;
  std::vector<RawLine> lines_;

  size_t sample_count_ = 0;
  // How often samples name each location id (ids below kCountedLocationIds; Go writes 1..N),
  // and how many references name larger ids: build() sizes the stack table from these
  // exactly, since a table that grows past its reservation briefly holds twice its size.
  static constexpr uint64_t kCountedLocationIds = uint64_t(1) << 20;
  std::vector<uint64_t> location_refs_;
  uint64_t uncounted_location_refs_ = 0;
  size_t values_per_sample_ = 0;
  uint64_t first_sample_offset_ = kNoIndex;
  std::vector<LabelCount> labels_;  // distinct string labels (key, str) with sample counts
  std::unordered_map<uint64_t, size_t> label_index_;
  uint64_t max_label_string_ = 0, max_label_string_offset_ = 0;

  // Scratch, reused per sample.
  std::vector<uint64_t> loc_scratch_;
  std::vector<int64_t> val_scratch_;
  std::vector<std::pair<uint64_t, uint64_t>> label_scratch_;

  std::vector<core::StringId> string_ids_;  // string_table index -> interned id (lazily)
};

void Decoder::decode_profile() {
  Cursor c(&path_, data_, 0, data_.size(), "Profile");
  while (!c.at_end()) {
    const Key k = c.key();
    switch (k.field) {
      case 1: sample_types_.push_back(decode_value_type(c, k, "sample_type")); break;
      case 2: decode_sample(c, k); break;
      case 3: decode_mapping(c, k); break;
      case 4: decode_location(c, k); break;
      case 5: decode_function(c, k); break;
      case 6: {
        if (k.wire != kLen) c.wrong_wire(k, "string_table", kLen);
        auto [b, e] = c.length_delimited(k);
        strings_.push_back(c.bytes(b, e));
        break;
      }
      case 7: drop_offset_ = k.offset; drop_frames_ = scalar(c, k, "drop_frames"); break;
      case 8: keep_offset_ = k.offset; keep_frames_ = scalar(c, k, "keep_frames"); break;
      case 9: {
        const auto t = static_cast<int64_t>(scalar(c, k, "time_nanos"));
        // Two profiles concatenated would silently merge under protobuf rules; pprof
        // refuses them by a second time_nanos, and so do we.
        if (time_nanos_ != 0)
          fail(k.offset, "concatenated profiles detected: expected one time_nanos, got a second");
        time_nanos_ = t;
        break;
      }
      case 10: (void)scalar(c, k, "duration_nanos"); break;
      case 11: period_type_ = decode_value_type(c, k, "period_type"); break;
      case 12: period_ = static_cast<int64_t>(scalar(c, k, "period")); break;
      case 13:
        repeated_varint(c, k, "comment", [&](uint64_t v) { comments_.push_back({v, k.offset}); });
        break;
      case 14:
        default_offset_ = k.offset;
        default_sample_type_ = scalar(c, k, "default_sample_type");
        break;
      default: c.skip(k); break;
    }
  }
}

RawValueType Decoder::decode_value_type(Cursor& parent, const Key& k, const char* name) {
  if (k.wire != kLen) parent.wrong_wire(k, name, kLen);
  Cursor c = sub(parent, k, "ValueType");
  RawValueType vt;
  vt.offset = k.offset;
  while (!c.at_end()) {
    const Key f = c.key();
    switch (f.field) {
      case 1: vt.type = scalar(c, f, "type"); break;
      case 2: vt.unit = scalar(c, f, "unit"); break;
      default: c.skip(f); break;
    }
  }
  return vt;
}

void Decoder::decode_sample(Cursor& parent, const Key& k) {
  if (k.wire != kLen) parent.wrong_wire(k, "sample", kLen);
  Cursor c = sub(parent, k, "Sample");
  const uint64_t fields_begin = c.pos();
  if (c.end() - fields_begin > UINT32_MAX) fail(k.offset, "Sample: expected a message under 4 GiB");
  loc_scratch_.clear();
  val_scratch_.clear();
  label_scratch_.clear();
  while (!c.at_end()) {
    const Key f = c.key();
    switch (f.field) {
      case 1:
        repeated_varint(c, f, "location_id", [&](uint64_t v) { loc_scratch_.push_back(v); });
        break;
      case 2:
        repeated_varint(c, f, "value",
                        [&](uint64_t v) { val_scratch_.push_back(static_cast<int64_t>(v)); });
        break;
      case 3: {
        if (f.wire != kLen) c.wrong_wire(f, "label", kLen);
        Cursor l = sub(c, f, "Label");
        uint64_t key = 0, str = 0;
        while (!l.at_end()) {
          const Key g = l.key();
          switch (g.field) {
            case 1: key = scalar(l, g, "key"); break;
            case 2: str = scalar(l, g, "str"); break;
            case 3: (void)scalar(l, g, "num"); break;
            case 4: {
              const uint64_t u = scalar(l, g, "num_unit");
              if (u > max_label_string_) max_label_string_ = u, max_label_string_offset_ = g.offset;
              break;
            }
            default: l.skip(g); break;
          }
        }
        for (uint64_t s : {key, str})
          if (s > max_label_string_) max_label_string_ = s, max_label_string_offset_ = f.offset;
        if (str != 0) label_scratch_.push_back({key, str});
        break;
      }
      default: c.skip(f); break;
    }
  }
  // Every sample must have one value per sample_type; sample types may come later in the
  // file, so hold all samples to the first one's count now and check that against the
  // sample types at the end.
  if (first_sample_offset_ == kNoIndex) {
    first_sample_offset_ = k.offset;
    values_per_sample_ = val_scratch_.size();
  } else if (val_scratch_.size() != values_per_sample_) {
    fail(k.offset, fmt::format("Sample: expected {} values like the first sample, got {}",
                               values_per_sample_, val_scratch_.size()));
  }
  for (auto [key, str] : label_scratch_) {
    const uint64_t h = hash_ids(std::array<uint64_t, 2>{key, str});
    auto [it, fresh] = label_index_.try_emplace(h, labels_.size());
    if (fresh) labels_.push_back({key, str, 0});
    // A hash collision only blurs the count of a label we merely warn about.
    ++labels_[it->second].samples;
  }

  ++sample_count_;
  for (uint64_t id : loc_scratch_) {
    if (id >= kCountedLocationIds) {
      ++uncounted_location_refs_;
      continue;
    }
    if (id >= location_refs_.size())
      location_refs_.resize(std::max<uint64_t>(id + 1, 2 * location_refs_.size()), 0);
    ++location_refs_[id];
  }
}

void Decoder::reread_sample(const SampleRange& r) {
  Cursor c(&path_, data_, r.begin, r.end, "Sample");
  loc_scratch_.clear();
  val_scratch_.clear();
  while (!c.at_end()) {
    const Key f = c.key();
    if (f.field == 1)
      repeated_varint(c, f, "location_id", [&](uint64_t v) { loc_scratch_.push_back(v); });
    else if (f.field == 2)
      repeated_varint(c, f, "value", [&](uint64_t v) { val_scratch_.push_back(static_cast<int64_t>(v)); });
    else
      c.skip(f);
  }
}

void Decoder::decode_mapping(Cursor& parent, const Key& k) {
  if (k.wire != kLen) parent.wrong_wire(k, "mapping", kLen);
  Cursor c = sub(parent, k, "Mapping");
  RawMapping m;
  m.offset = k.offset;
  uint64_t id = 0;
  while (!c.at_end()) {
    const Key f = c.key();
    switch (f.field) {
      case 1: id = scalar(c, f, "id"); break;
      case 2: m.memory_start = scalar(c, f, "memory_start"); break;
      case 3: m.memory_limit = scalar(c, f, "memory_limit"); break;
      case 4: m.file_offset = scalar(c, f, "file_offset"); break;
      case 5: m.filename = scalar(c, f, "filename"); break;
      case 6: m.build_id = scalar(c, f, "build_id"); break;
      default: c.skip(f); break;
    }
  }
  if (id == 0) fail(k.offset, "Mapping: expected a nonzero id, got 0 (reserved)");
  if (!mappings_.emplace(id, m).second)
    fail(k.offset, fmt::format("Mapping: expected a unique id, got {} twice", id));
}

void Decoder::decode_location(Cursor& parent, const Key& k) {
  if (k.wire != kLen) parent.wrong_wire(k, "location", kLen);
  Cursor c = sub(parent, k, "Location");
  RawLocation loc;
  loc.offset = k.offset;
  loc.lines_begin = static_cast<uint32_t>(lines_.size());
  uint64_t id = 0;
  while (!c.at_end()) {
    const Key f = c.key();
    switch (f.field) {
      case 1: id = scalar(c, f, "id"); break;
      case 2: loc.mapping_id = scalar(c, f, "mapping_id"); break;
      case 3: loc.address = scalar(c, f, "address"); break;
      case 4: {
        if (f.wire != kLen) c.wrong_wire(f, "line", kLen);
        Cursor l = sub(c, f, "Line");
        RawLine line;
        while (!l.at_end()) {
          const Key g = l.key();
          switch (g.field) {
            case 1: line.function_id = scalar(l, g, "function_id"); break;
            case 2: line.line = static_cast<int64_t>(scalar(l, g, "line")); break;
            default: l.skip(g); break;
          }
        }
        if (lines_.size() >= UINT32_MAX) fail(f.offset, "Line: expected fewer than 2^32 lines");
        lines_.push_back(line);
        break;
      }
      default: c.skip(f); break;
    }
  }
  loc.lines_count = static_cast<uint32_t>(lines_.size() - loc.lines_begin);
  if (id == 0) fail(k.offset, "Location: expected a nonzero id, got 0 (reserved)");
  if (!locations_.emplace(id, loc).second)
    fail(k.offset, fmt::format("Location: expected a unique id, got {} twice", id));
}

void Decoder::decode_function(Cursor& parent, const Key& k) {
  if (k.wire != kLen) parent.wrong_wire(k, "function", kLen);
  Cursor c = sub(parent, k, "Function");
  RawFunction fn;
  fn.offset = k.offset;
  uint64_t id = 0;
  while (!c.at_end()) {
    const Key f = c.key();
    switch (f.field) {
      case 1: id = scalar(c, f, "id"); break;
      case 2: fn.name = scalar(c, f, "name"); break;
      case 3: fn.system_name = scalar(c, f, "system_name"); break;
      case 4: fn.filename = scalar(c, f, "filename"); break;
      default: c.skip(f); break;
    }
  }
  if (id == 0) fail(k.offset, "Function: expected a nonzero id, got 0 (reserved)");
  if (!functions_.emplace(id, fn).second)
    fail(k.offset, fmt::format("Function: expected a unique id, got {} twice", id));
}

void Decoder::check_string(uint64_t index, uint64_t offset, const char* where) const {
  if (index >= strings_.size())
    fail(offset, fmt::format("{}: expected a string index below {} (the string_table size), "
                             "got {}",
                             where, strings_.size(), index));
}

core::StringId Decoder::str(core::Profile& p, uint64_t index) {
  if (index == 0) return 0;
  core::StringId& id = string_ids_[index];
  if (id == 0) id = p.strings.intern(strings_[index]);
  return id;
}

// Bounds on what reaches std::regex (see build()); longer names are never dropped.
constexpr size_t kMaxFramesPattern = 4096;
constexpr size_t kMaxFramesSubject = 1024;

// True when a quantified group contains a quantifier ("(a*)*", "(a+)+", "(x|y*){2,}"):
// std::regex backtracks exponentially on those (RE2, which pprof uses, does not), so such a
// pattern from a file could hang the reader.
bool has_nested_quantifier(std::string_view pattern) {
  std::vector<bool> group_has_quantifier;  // one entry per open group
  bool last_group_had_quantifier = false;
  auto is_quantifier = [](char c) { return c == '*' || c == '+' || c == '?' || c == '{'; };
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') {  // a character class: skip to its end
      while (i + 1 < pattern.size() && pattern[i + 1] != ']') i += pattern[i + 1] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (c == '(') {
      group_has_quantifier.push_back(false);
    } else if (c == ')') {
      last_group_had_quantifier = !group_has_quantifier.empty() && group_has_quantifier.back();
      if (!group_has_quantifier.empty()) group_has_quantifier.pop_back();
      if (i + 1 < pattern.size() && is_quantifier(pattern[i + 1]) && last_group_had_quantifier)
        return true;
      // The closed group, quantified or not, counts as a quantifier inside its parent if it held one.
      if (!group_has_quantifier.empty() && last_group_had_quantifier) group_has_quantifier.back() = true;
    } else if (is_quantifier(c) && !group_has_quantifier.empty()) {
      group_has_quantifier.back() = true;
    }
  }
  return false;
}

// pprof matches drop_frames/keep_frames against the name without its argument list
// (pprof.md §4.5): cut at the first '(' that does not open a reserved name.
std::string_view simplify_function(std::string_view name) {
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  static constexpr std::string_view kReserved[] = {"(anonymous namespace)", "operator()"};
  for (size_t i = 0; i < name.size(); ++i) {
    bool reserved = false;
    for (auto r : kReserved) {
      if (name.substr(i, r.size()) == r) {
        i += r.size() - 1;
        reserved = true;
        break;
      }
    }
    if (reserved) continue;
    if (name[i] == '(') return name.substr(0, i);
  }
  return name;
}

struct MetricName {
  std::string_view type;
  core::Metric metric;
};
// pprof sample type names (Go heap, gperftools/pprof's legacy names, goroutine) -> metric.
constexpr MetricName kMetricNames[] = {
    {"alloc_objects", core::Metric::AllocObjects}, {"alloc_space", core::Metric::AllocBytes},
    {"inuse_objects", core::Metric::LiveObjects},  {"inuse_space", core::Metric::LiveBytes},
    {"objects", core::Metric::LiveObjects},        {"space", core::Metric::LiveBytes},
    {"goroutine", core::Metric::Goroutines},
};

std::optional<core::Metric> metric_for(std::string_view type) {
  for (const auto& m : kMetricNames)
    if (m.type == type) return m.metric;
  return std::nullopt;
}

core::Profile Decoder::build() {
  core::Profile p;
  // --- strings
  if (strings_.empty() || !strings_[0].empty())
    fail(0, fmt::format("string_table[0]: expected \"\", got {}",
                        strings_.empty() ? std::string("no string table")
                                         : fmt::format("\"{}\"", strings_[0].substr(0, 40))));
  string_ids_.assign(strings_.size(), 0);

  // --- header fields
  for (const auto& vt : sample_types_) {
    check_string(vt.type, vt.offset, "sample_type.type");
    check_string(vt.unit, vt.offset, "sample_type.unit");
  }
  if (period_type_) {
    check_string(period_type_->type, period_type_->offset, "period_type.type");
    check_string(period_type_->unit, period_type_->offset, "period_type.unit");
  }
  check_string(drop_frames_, drop_offset_, "drop_frames");
  check_string(keep_frames_, keep_offset_, "keep_frames");
  check_string(default_sample_type_, default_offset_, "default_sample_type");
  for (auto [idx, off] : comments_) check_string(idx, off, "comment");
  check_string(max_label_string_, max_label_string_offset_, "Label");
  if (sample_count_ > 0 && values_per_sample_ != sample_types_.size())
    fail(first_sample_offset_,
         fmt::format("Sample: expected {} values (one per sample_type), got {}",
                     sample_types_.size(), values_per_sample_));

  // --- sample types -> metrics
  const size_t ntypes = sample_types_.size();
  std::vector<std::optional<core::Metric>> column_metric(ntypes);
  size_t default_column = ntypes == 0 ? 0 : ntypes - 1;
  if (default_sample_type_ != 0) {
    for (size_t i = 0; i < ntypes; ++i)
      if (sample_types_[i].type == default_sample_type_ ||
          raw_str(sample_types_[i].type) == raw_str(default_sample_type_))
        default_column = i;
  }
  for (size_t i = 0; i < ntypes; ++i) {
    const auto type = raw_str(sample_types_[i].type);
    std::string entry = fmt::format("{}/{}", type, raw_str(sample_types_[i].unit));
    if (i == default_column) entry += " (default)";
    p.sample_types.push_back(std::move(entry));
    auto m = metric_for(type);
    if (m && !p.metrics.has(*m)) {  // the first column of a metric wins
      column_metric[i] = m;
      p.metrics.add(*m);
    }
  }
  const std::string_view period_type = period_type_ ? raw_str(period_type_->type) : "";
  const std::string_view period_unit = period_type_ ? raw_str(period_type_->unit) : "";
  if (p.metrics.has(core::Metric::Goroutines)) {
    p.kind = "goroutine";
    p.default_metric = core::Metric::Goroutines;
  } else if (!p.metrics.empty()) {
    p.kind = "heap";
    if (ntypes > 0 && column_metric[default_column]) {
      p.default_metric = *column_metric[default_column];
    } else {
      for (auto m : {core::Metric::LiveBytes, core::Metric::LiveObjects, core::Metric::AllocBytes,
                     core::Metric::AllocObjects})
        if (p.metrics.has(m)) {
          p.default_metric = m;
          break;
        }
    }
  } else {
    p.kind = std::string(!period_type.empty() ? period_type
                         : ntypes > 0        ? raw_str(sample_types_[0].type)
                                             : std::string_view("unknown"));
  }
  if ((period_type == "space" || period_unit == "bytes") && period_ > 1)
    p.sampling_period = period_;

  // --- drop/keep frames
  std::optional<std::regex> drop_rx, keep_rx;
  if (drop_frames_ != 0) {
    try {
      // libstdc++'s regex compiler and matcher recurse once per pattern/subject character: a
      // hostile pattern or name overflows the stack (SIGSEGV). pprof's own patterns are about
      // 1 KiB and its names (arguments cut off) far shorter than these caps.
      if (raw_str(drop_frames_).size() > kMaxFramesPattern ||
          raw_str(keep_frames_).size() > kMaxFramesPattern ||
          has_nested_quantifier(raw_str(drop_frames_)) || has_nested_quantifier(raw_str(keep_frames_)))
        throw std::regex_error(std::regex_constants::error_complexity);
      drop_rx.emplace("^(" + std::string(raw_str(drop_frames_)) + ")$", std::regex::ECMAScript);
      if (keep_frames_ != 0)
        keep_rx.emplace("^(" + std::string(raw_str(keep_frames_)) + ")$", std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      // RE2 syntax is close to ECMAScript but not equal: an expression we cannot compile is
      // our limitation, not a corrupt file, so keep the frames and say so.
      drop_rx.reset();
      keep_rx.reset();
      p.warnings.push_back(fmt::format(
          "pprof: drop_frames/keep_frames not applied: cannot compile '{}'",
          raw_str(drop_frames_)));
    }
  }

  // --- mappings and functions: check their string references
  for (auto& [id, m] : mappings_) {
    check_string(m.filename, m.offset, "Mapping.filename");
    check_string(m.build_id, m.offset, "Mapping.build_id");
  }
  for (auto& [id, f] : functions_) {
    check_string(f.name, f.offset, "Function.name");
    check_string(f.system_name, f.offset, "Function.system_name");
    check_string(f.filename, f.offset, "Function.filename");
  }

  // --- locations -> frames, lazily (only locations that samples use)
  struct LocFrames {
    uint32_t begin = 0, count = 0;  // into loc_frames
    bool prune = false;             // drop_frames matched the location's outermost line
    bool prune_beneath = false;     // matched an inlined line: frames were trimmed
  };
  std::vector<core::FrameId> loc_frames;
  // Location id -> its LocFrames (index + 1; 0 = not built yet): a flat table for the dense
  // ids that Go and pprof write (1..N), a map for anything beyond.
  std::vector<LocFrames> loc_cache;
  uint64_t max_dense_id = 0;
  for (const auto& [id, loc] : locations_) max_dense_id = std::max(max_dense_id, id);
  max_dense_id = std::min<uint64_t>(max_dense_id, 4 * uint64_t(locations_.size()) + 1024);
  std::vector<uint32_t> dense_slot(max_dense_id + 1, 0);
  std::unordered_map<uint64_t, uint32_t> sparse_slot;
  auto slot_of = [&](uint64_t loc_id) -> uint32_t& {
    return loc_id <= max_dense_id ? dense_slot[loc_id] : sparse_slot[loc_id];
  };
  // Locations without lines whose address lies outside their mapping (a malformed profile).
  uint64_t outside_mapping = 0;
  struct Outside {
    uint64_t location_id = 0, address = 0;
    const RawMapping* mapping = nullptr;
  } first_outside;
  std::unordered_map<uint64_t, bool> drop_cache;  // function id -> dropped
  auto dropped = [&](uint64_t function_id) {
    auto [it, fresh] = drop_cache.try_emplace(function_id, false);
    if (fresh) {
      const auto& fn = functions_.at(function_id);
      const auto name = raw_str(fn.name);
      if (!name.empty() && simplify_function(name).size() <= kMaxFramesSubject) {
        const auto simple = simplify_function(name);
        const std::string s(simple);
        it->second = std::regex_match(s, *drop_rx) && !(keep_rx && std::regex_match(s, *keep_rx));
      }
    }
    return it->second;
  };
  auto frames_of = [&](uint64_t loc_id, uint64_t sample_offset) -> const LocFrames& {
    if (const uint32_t slot = slot_of(loc_id); slot != 0) return loc_cache[slot - 1];
    auto found = locations_.find(loc_id);
    if (found == locations_.end())
      fail(sample_offset,
           fmt::format("Sample: expected a Location id, got {} (no such location)", loc_id));
    const RawLocation& loc = found->second;
    const RawMapping* mapping = nullptr;
    if (loc.mapping_id != 0) {
      auto m = mappings_.find(loc.mapping_id);
      if (m == mappings_.end())
        fail(loc.offset, fmt::format("Location: expected a Mapping id, got {} (no such mapping)",
                                     loc.mapping_id));
      mapping = &m->second;
    }
    const core::StringId module = mapping ? str(p, mapping->filename) : 0;
    LocFrames lf;
    lf.begin = static_cast<uint32_t>(loc_frames.size());
    uint32_t first_line = 0;
    const uint32_t n = loc.lines_count;
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t fid = lines_[loc.lines_begin + i].function_id;
      if (fid != 0 && !functions_.count(fid))
        fail(loc.offset, fmt::format("Line: expected a Function id, got {} (no such function)",
                                     fid));
    }
    if (drop_rx) {
      // pprof's Prune: scan the lines from the outermost; the first one dropped decides.
      for (uint32_t i = n; i-- > 0;) {
        const uint64_t fid = lines_[loc.lines_begin + i].function_id;
        if (fid != 0 && dropped(fid)) {
          if (i == n - 1) {
            lf.prune = true;
          } else {
            lf.prune_beneath = true;
            first_line = i + 1;
          }
          break;
        }
      }
    }
    if (n == 0) {
      // Unsymbolized: the identity is module + offset in the file. An address outside its
      // mapping ([start, limit) as pprof has it; [start, ...) when the limit is not above the
      // start) has no offset in that file: it keeps its address and no module, so that
      // symbolization cannot read it as an offset and name it wrongly (pprof's offset wraps
      // around and finds nothing).
      core::Frame f;
      f.address = loc.address;
      if (mapping && loc.address >= mapping->memory_start &&
          (mapping->memory_limit <= mapping->memory_start ||
           loc.address < mapping->memory_limit)) {
        f.module = module;
        f.address = loc.address - mapping->memory_start + mapping->file_offset;
      } else if (mapping && outside_mapping++ == 0) {
        first_outside = {loc_id, loc.address, mapping};
      }
      loc_frames.push_back(p.frames.intern(f));
    }
    for (uint32_t i = first_line; i < n; ++i) {
      const RawLine& line = lines_[loc.lines_begin + i];
      core::Frame f;
      if (line.function_id != 0) {
        const RawFunction& fn = functions_.at(line.function_id);
        f.function = str(p, fn.name != 0 ? fn.name : fn.system_name);
        f.file = str(p, fn.filename);
      }
      f.module = module;
      f.line = line.line > 0 && line.line <= int64_t(UINT32_MAX) ? uint32_t(line.line) : 0;
      f.address = loc.address;
      f.inlined = i + 1 < n;
      loc_frames.push_back(p.frames.intern(f));
    }
    lf.count = static_cast<uint32_t>(loc_frames.size()) - lf.begin;
    loc_cache.push_back(lf);
    slot_of(loc_id) = static_cast<uint32_t>(loc_cache.size());
    return loc_cache.back();
  };

  // --- samples
  core::Snapshot snap;
  snap.label = std::string(file_name(path_));
  if (time_nanos_ != 0) {
    snap.time = double(time_nanos_) / 1e9;
    p.time_unit = core::TimeUnit::Seconds;
  }
  core::SampleFolder samples;
  std::vector<core::FrameId> frames;
  // Size the tables once, for the case where every sample is its own stack (Go writes one
  // sample per distinct stack): a location yields at most one frame per line (one when it
  // has none), pruning only removes frames. An untouched reservation costs address space only.
  uint64_t frame_refs = 0;
  for (uint64_t id = 0; id < location_refs_.size(); ++id) {
    if (location_refs_[id] == 0) continue;
    auto loc = locations_.find(id);  // a missing id fails below, at its sample
    if (loc != locations_.end())
      frame_refs += location_refs_[id] * std::max<uint64_t>(1, loc->second.lines_count);
  }
  if (uncounted_location_refs_ > 0) {  // ids too large to count: as many as the longest location
    uint64_t max_frames_per_location = 1;
    for (const auto& [id, loc] : locations_)
      max_frames_per_location = std::max<uint64_t>(max_frames_per_location, loc.lines_count);
    frame_refs += uncounted_location_refs_ * max_frames_per_location;
  }
  // Frames to come: at most one per line of each location (one when it has none).
  uint64_t frame_bound = p.frames.size();
  for (const auto& [id, loc] : locations_) frame_bound += std::max<uint64_t>(1, loc.lines_count);
  // A hint, so bounded by the input's size (hostile line counts must not reserve gigabytes).
  p.stacks.reserve(sample_count_, size_t(std::min<uint64_t>(frame_refs, 2 * data_.size())),
                   /*wide=*/frame_bound > UINT16_MAX + uint64_t(1));
  snap.samples.reserve(sample_count_);
  // The Profile's fields again (decode_profile validated them all), for the samples. Bytes of
  // a run of consecutive samples are never read again: their pages go back as we pass them.
  constexpr size_t kReleaseEvery = size_t(1) << 20;
  Cursor top(&path_, data_, 0, data_.size(), "Profile");
  size_t run_begin = 0;  // where the current run of consecutive Sample fields began
  while (!top.at_end()) {
    const Key k = top.key();
    if (k.field != 2) {
      top.skip(k);
      run_begin = top.pos();
      continue;
    }
    auto [fields_begin, fields_end] = top.length_delimited(k);
    const SampleRange range{fields_begin, fields_end, k.offset};
    if (pages_ && k.offset - run_begin >= kReleaseEvery) {
      pages_->release(run_begin, k.offset);
      run_begin = k.offset;
    }
    reread_sample(range);
    const std::span<const uint64_t> ids = loc_scratch_;
    // Resolve first (this validates every id), then prune from the root like pprof: keep
    // everything up to the first user frame, cut at the first pruned location after it.
    size_t keep_from = 0;  // locations [keep_from, end) remain, leaf side cut
    bool found_user = false;
    for (size_t i = ids.size(); i-- > 0;) {
      const uint32_t slot = slot_of(ids[i]);  // the common case, inline: already built
      const LocFrames& lf = slot != 0 ? loc_cache[slot - 1] : frames_of(ids[i], range.offset);
      if (!drop_rx) continue;
      if (!lf.prune && !lf.prune_beneath) {
        found_user = true;
        continue;
      }
      if (!found_user) continue;
      keep_from = lf.prune ? i + 1 : i;
      break;
    }
    frames.clear();
    for (size_t i = keep_from; i < ids.size(); ++i) {
      const LocFrames& lf = loc_cache[slot_of(ids[i]) - 1];
      for (uint32_t f = lf.begin; f < lf.begin + lf.count; ++f) frames.push_back(loc_frames[f]);
    }
    const core::StackId stack = p.stacks.intern(frames);
    // A new sample starts at zero, so adding with the overflow check covers both cases.
    core::Values& sum = samples.values_of(snap, stack);
    for (size_t i = 0; i < ntypes; ++i)
      if (column_metric[i] &&
          __builtin_add_overflow(sum[*column_metric[i]], val_scratch_[i], &sum[*column_metric[i]]))
        fail(range.offset, fmt::format("Sample: expected values whose sum fits in 64 bits, got "
                                       "an overflow in value {}", i));
  }
  for (const auto& smp : snap.samples)
    for (size_t i = 0; i < core::kMetricCount; ++i)
      if (__builtin_add_overflow(snap.total.v[i], smp.values.v[i], &snap.total.v[i]))
        fail(0, "Profile: expected a total that fits in 64 bits, got an overflow");
  p.snapshots.push_back(std::move(snap));

  if (outside_mapping > 0)
    p.warnings.push_back(fmt::format(
        "pprof: {} location{} without lines lie{} outside {} mapping (the first: location {}, "
        "address 0x{:x}, mapping {}): left unsymbolized, with no module",
        outside_mapping, outside_mapping == 1 ? "" : "s", outside_mapping == 1 ? "s" : "",
        outside_mapping == 1 ? "its" : "their", first_outside.location_id, first_outside.address,
        first_outside.mapping->memory_limit > first_outside.mapping->memory_start
            ? fmt::format("0x{:x}-0x{:x}", first_outside.mapping->memory_start,
                          first_outside.mapping->memory_limit)
            : fmt::format("from 0x{:x}", first_outside.mapping->memory_start)));

  // --- diff_base marker
  uint64_t base_samples = 0;
  for (const auto& l : labels_)
    if (raw_str(l.key) == "pprof::base" && raw_str(l.str) == "true") base_samples += l.samples;
  if (base_samples > 0)
    p.warnings.push_back(fmt::format(
        "pprof: {} samples are labelled pprof::base=true (a -diff_base output): they hold the "
        "base profile negated, so the values are the differences",
        base_samples));
  return p;
}

// Fields of Profile with their wire types, to tell protobuf from text in sniff_pprof.
constexpr int kProfileWire[16] = {-1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, -2, 0, 0};

}  // namespace

bool sniff_pprof(std::string_view head) {
  // The head must parse as a run of Profile fields with their schema's wire types (unknown
  // field numbers are not accepted here): text formats die on their first bytes ('h' is
  // field 13 as a varint, then 'e' is a one-byte varint, then 'a' = field 12 with wire 1).
  // A field cut off by the end of the head counts as fine.
  size_t pos = 0, fields = 0;
  auto varint = [&](uint64_t& v) -> int {  // 1 ok, 0 end of head, -1 bad
    v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
      if (pos >= head.size()) return 0;
      const auto b = static_cast<uint8_t>(head[pos++]);
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return 1;
    }
    return -1;
  };
  while (pos < head.size() && fields < 64) {
    uint64_t key = 0;
    int r = varint(key);
    if (r <= 0) return r == 0 && fields > 0;
    const uint64_t field = key >> 3, wire = key & 7;
    if (field == 0 || field > 15) return false;
    const int expected = kProfileWire[field];
    if (expected == -2 ? (wire != 0 && wire != 2) : wire != uint64_t(expected)) return false;
    uint64_t v = 0;
    r = varint(v);
    if (r < 0) return false;
    if (r == 0) return true;
    if (wire == 2) {
      if (v > head.size() - pos) return true;  // runs past the head: cannot tell more
      pos += static_cast<size_t>(v);
    }
    ++fields;
  }
  return fields > 0;
}

core::Profile read_pprof(ByteStream& in, const ReadOptions&) {
  // Read straight into one buffer, sized by the input's hint when there is one (a gzip
  // trailer's ISIZE): no doubling, no copy. Its pages are touched only as bytes arrive, so a
  // wrong hint costs address space, not memory; build() gives the samples' pages back.
  PageBuffer data(std::max<size_t>(size_t(4) << 20, size_t(in.size_hint()) + 1));
  for (;;) {
    if (data.size() == data.capacity()) data.grow();
    const size_t k = in.read(data.tail(), data.capacity() - data.size());
    if (k == 0) break;
    data.commit(k);
  }
  if (data.size() == 0)
    throw core::InputError(in.path(), "pprof: expected a profile, got an empty input");
  Decoder d(in.path(), std::string_view(data.data(), data.size()), &data);
  d.decode_profile();
  return d.build();
}

}  // namespace memleak::formats
