// SiteKey: a site's symbolic identity, stored as ids of its frames' texts.
//
// A site is known by the text of its frames, joined: each frame's text is its function (or
// module+offset when unsymbolized), '\x1d', its file's basename and, for line granularity,
// ":LINE"; frames are joined by '\x1f', and a caller path (core/drilldown.h) continues its
// site's key after '\x1e'. That text is the key's meaning: keys are equal, and are ordered
// (the last tie-break of the ranking), as their texts are.
//
// Why not the text itself: with --granularity stack every distinct stack is a site, and a
// pprof pair of 400k samples with deep random stacks has 800k of them, each key ~2 KB of
// text: building, copying and holding 1.6 GB of keys was most of an 11 s, 2.3 GB diff. A key
// made by alignment is instead a run of 32-bit ids into a KeyTable that holds each distinct
// frame text once (a frame's text is made once per frame, not once per site that has it);
// comparing two keys walks their texts piece by piece, skipping the pieces they share.
//
// A key can also hold its text directly (keys made from text: "(others)", tests, rows of
// reports built by hand); keys of both kinds compare by text, and == is text equality.
// Keys of one KeyTable are equal exactly when their ids are, because no piece holds a
// separator byte: the aligner writes those bytes of names as '?' (core/sites.cpp), so that a
// name with a separator in it cannot make two different frame sequences one site.
//
// Contract: a KeyTable is append-only (pieces never move: views of them stay valid); keys
// hold it by shared_ptr, so it lives as long as any key into it. Building keys
// (KeyTable::intern, SiteKey::make) is single-threaded; reading and comparing finished keys
// is safe from any number of threads. Pieces passed to intern() hold no '\x1e' or '\x1f'.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/flat_index.h"

namespace memleak::core {

class KeyTable {
 public:
  // The id of a frame's text, added on first use.
  uint32_t intern(std::string_view piece);
  std::string_view piece(uint32_t id) const { return pieces_[id]; }
  // ids of the keys made with this table, back to back (SiteKey points into it).
  const uint32_t* ids(size_t offset) const { return ids_.data() + offset; }

 private:
  friend class SiteKey;
  std::deque<std::string> pieces_;  // (a deque: pieces stay put as it grows)
  FlatIndex<uint32_t> index_;
  std::vector<uint32_t> ids_;
};

class SiteKey {
 public:
  // The id that stands for the '\x1e' before a caller path's frames.
  static constexpr uint32_t kCallerMark = UINT32_MAX;

  SiteKey() = default;
  // A key that holds its text.
  SiteKey(std::string text) : text_(std::move(text)) {}  // NOLINT: a text is a key
  SiteKey(const char* text) : text_(text) {}             // NOLINT

  // A key of `table` whose ids are `ids` (frame-text ids and kCallerMark), added to the
  // table's store of ids.
  static SiteKey make(const std::shared_ptr<KeyTable>& table, const std::vector<uint32_t>& ids);

  // The key's text (allocates for keys of a table).
  std::string text() const;
  // A caller path's key (core/drilldown.h) continues its site's: whether this one does, the
  // text of its site's part (the text before the '\x1e'; all of it for a site's key), and, for
  // a key of a table, how many of its ids are the site's (those before kCallerMark).
  bool has_caller() const;
  std::string site_text() const;
  uint32_t site_size() const;
  bool empty() const { return table_ ? size_ == 0 : text_.empty(); }

  // The key's ids, for keys of a table: valid until the next SiteKey::make() on that table.
  // A key that holds its text has none (nullptr and 0, whatever its text).
  const uint32_t* ids() const { return table_ ? table_->ids(offset_) : nullptr; }
  uint32_t size() const { return size_; }
  const KeyTable* table() const { return table_.get(); }

  friend bool operator==(const SiteKey& a, const SiteKey& b);
  friend bool operator<(const SiteKey& a, const SiteKey& b) { return compare(a, b) < 0; }
  // <0, 0 or >0 as a's text is before, equal to or after b's.
  static int compare(const SiteKey& a, const SiteKey& b);

 private:
  std::shared_ptr<const KeyTable> table_;
  size_t offset_ = 0;
  uint32_t size_ = 0;
  std::string text_;
};

}  // namespace memleak::core
