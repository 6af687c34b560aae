// StringTable: interned strings with dense ids. Id 0 is always "" and means "unknown".
// Strings are stored once; ids are stable for the table's lifetime.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/hash.h"

namespace memleak::core {

using StringId = uint32_t;

class StringTable {
 public:
  StringTable();
  StringTable(const StringTable&) = delete;  // index_ holds views into storage_
  StringTable& operator=(const StringTable&) = delete;
  StringTable(StringTable&&) = default;
  StringTable& operator=(StringTable&&) = default;

  StringId intern(std::string_view s);
  // Frees the lookup index (a reader is done; the strings stay). intern() rebuilds it.
  void drop_index() { decltype(index_)().swap(index_); }
  std::string_view operator[](StringId id) const { return storage_[id]; }
  size_t size() const { return storage_.size(); }

 private:
  std::deque<std::string> storage_;  // deque: element addresses never move
  std::unordered_map<std::string_view, StringId, BytesHash> index_;
};

}  // namespace memleak::core
