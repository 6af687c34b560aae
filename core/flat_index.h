// FlatIndex: finds entries stored elsewhere by their hash, in one flat table.
//
// Open addressing with linear probing over one array of (hash, entry) slots, a power of two
// at most half full. A lookup probes slots in a row and asks the caller to compare only where
// the full hash matches; there is no node per entry to allocate, chase or free (node-based
// maps were the cache misses of the alignment and of the massif reader, perf). The keys stay
// with the caller (its entries name them): the index holds no copy.
//
// Users: core/sites.cpp (series by key), formats/massif (frames by tree-line text).
// core::StackTable keeps a table of its own: it stores 4-byte ids per slot and its hashes per
// stack, a quarter of these slots' memory for the 800k stacks of a large pprof pair, and it
// drops and rebuilds its index (drop_indexes).
//
// Contract: Entry is an unsigned integer type; its largest value marks empty slots and is
// never added. add() is for entries not in the index yet (find first). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

namespace memleak::core {

template <class Entry>
class FlatIndex {
  static_assert(std::is_unsigned_v<Entry>);

 public:
  static constexpr Entry kNone = std::numeric_limits<Entry>::max();

  explicit FlatIndex(size_t initial_slots = 64) : slots_(round_up(initial_slots)) {}

  // The first entry with hash `h` for which `same(entry)` holds, or kNone.
  template <class Same>
  Entry find(uint64_t h, Same&& same) const {
    for (size_t i = h & mask(); slots_[i].entry != kNone; i = (i + 1) & mask())
      if (slots_[i].hash == h && same(slots_[i].entry)) return slots_[i].entry;
    return kNone;
  }

  void add(uint64_t h, Entry entry) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place({h, entry});
    ++size_;
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    Entry entry = kNone;
  };
  static size_t round_up(size_t n) {
    size_t size = 2;
    while (size < n) size *= 2;
    return size;
  }
  size_t mask() const { return slots_.size() - 1; }
  void place(const Slot& s) {
    size_t i = s.hash & mask();
    while (slots_[i].entry != kNone) i = (i + 1) & mask();
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.entry != kNone) place(s);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace memleak::core
