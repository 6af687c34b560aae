#include "core/strings.h"

namespace memleak::core {

StringTable::StringTable() {
  storage_.emplace_back();
  index_.emplace(std::string_view(storage_.back()), 0);
}

StringId StringTable::intern(std::string_view s) {
  if (index_.empty())  // dropped: "" is always in it otherwise
    for (size_t id = 0; id < storage_.size(); ++id)
      index_.emplace(std::string_view(storage_[id]), StringId(id));
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  const auto id = static_cast<StringId>(storage_.size());
  storage_.emplace_back(s);
  index_.emplace(std::string_view(storage_.back()), id);
  return id;
}

}  // namespace memleak::core
