#include "core/site_key.h"

#include <algorithm>
#include <cstring>

#include "core/hash.h"

namespace memleak::core {

namespace {

constexpr std::string_view kFrameSeparator = "\x1f";
constexpr std::string_view kCallerSeparator = "\x1e";

// A key's text as a run of pieces: for a key of a table, each frame's text, preceded by
// '\x1f' unless it comes first, and '\x1e' for kCallerMark; else the key's own text.
class Pieces {
 public:
  Pieces(const SiteKey& key, std::string_view text) : key_(key), text_(text) {}

  // The next piece, or false at the end.
  bool next(std::string_view& out) {
    if (!key_.table()) {
      if (done_text_) return false;
      done_text_ = true;
      out = text_;
      return true;
    }
    if (i_ >= key_.size()) return false;
    const uint32_t id = key_.ids()[i_];
    if (id == SiteKey::kCallerMark) {
      out = kCallerSeparator;
      ++i_;
      return true;
    }
    if (i_ > 0 && !separated_) {
      separated_ = true;
      out = kFrameSeparator;
      return true;
    }
    separated_ = false;
    ++i_;
    out = key_.table()->piece(id);
    return true;
  }

 private:
  const SiteKey& key_;
  std::string_view text_;
  uint32_t i_ = 0;
  bool separated_ = false;  // the '\x1f' before frame i_ was given
  bool done_text_ = false;
};

}  // namespace

uint32_t KeyTable::intern(std::string_view piece) {
  const uint64_t h = hash_bytes(piece);
  const uint32_t found = index_.find(h, [&](uint32_t id) { return pieces_[id] == piece; });
  if (found != FlatIndex<uint32_t>::kNone) return found;
  const auto id = static_cast<uint32_t>(pieces_.size());
  pieces_.emplace_back(piece);
  index_.add(h, id);
  return id;
}

SiteKey SiteKey::make(const std::shared_ptr<KeyTable>& table, const std::vector<uint32_t>& ids) {
  SiteKey k;
  k.offset_ = table->ids_.size();
  k.size_ = static_cast<uint32_t>(ids.size());
  table->ids_.insert(table->ids_.end(), ids.begin(), ids.end());
  k.table_ = table;
  return k;
}

std::string SiteKey::text() const {
  if (!table_) return text_;
  std::string out;
  Pieces pieces(*this, text_);
  for (std::string_view p; pieces.next(p);) out += p;
  return out;
}

bool SiteKey::has_caller() const {
  return table_ ? site_size() < size_ : text_.find(kCallerSeparator) != std::string::npos;
}

std::string SiteKey::site_text() const {
  std::string t = text();
  t.resize(std::min(t.size(), t.find(kCallerSeparator)));
  return t;
}

uint32_t SiteKey::site_size() const {
  if (!table_) return 0;
  const uint32_t* begin = ids();
  return uint32_t(std::find(begin, begin + size_, kCallerMark) - begin);
}

bool operator==(const SiteKey& a, const SiteKey& b) {
  if (a.table_ && a.table_ == b.table_)
    return a.size_ == b.size_ &&
           std::equal(a.ids(), a.ids() + a.size_, b.ids());
  if (!a.table_ && !b.table_) return a.text_ == b.text_;
  return SiteKey::compare(a, b) == 0;
}

int SiteKey::compare(const SiteKey& a, const SiteKey& b) {
  if (!a.table_ && !b.table_) return a.text_.compare(b.text_);
  Pieces pa(a, a.text_), pb(b, b.text_);
  std::string_view ca, cb;
  bool more_a = pa.next(ca), more_b = pb.next(cb);
  while (true) {
    while (more_a && ca.empty()) more_a = pa.next(ca);
    while (more_b && cb.empty()) more_b = pb.next(cb);
    if (!more_a || !more_b) return more_a ? 1 : more_b ? -1 : 0;
    // Pieces of one table that are the same piece: nothing to compare.
    if (ca.data() == cb.data() && ca.size() == cb.size()) {
      ca = {};
      cb = {};
      continue;
    }
    const size_t n = std::min(ca.size(), cb.size());
    if (const int c = std::memcmp(ca.data(), cb.data(), n); c != 0) return c < 0 ? -1 : 1;
    ca.remove_prefix(n);
    cb.remove_prefix(n);
  }
}

}  // namespace memleak::core
