#include "core/model.h"

#include <algorithm>

namespace memleak::core {

namespace {
inline size_t mix(size_t h, uint64_t v) {
  // boost::hash_combine's mixing step, widened to 64 bits.
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}
size_t hash_frames(StackView frames) {
  return frames.visit([](auto ids) {
    size_t h = ids.size();
    for (const FrameId f : ids) h = mix(h, f);
    return h;
  });
}

bool same_frames(StackView a, StackView b) {
  if (a.size() != b.size()) return false;
  return a.visit([&](auto x) {
    return b.visit([&](auto y) { return std::equal(x.begin(), x.end(), y.begin()); });
  });
}
}  // namespace

size_t FrameHash::operator()(const Frame& f) const noexcept {
  size_t h = mix(f.function, f.file);
  h = mix(h, f.module);
  h = mix(h, f.line);
  h = mix(h, f.address);
  return mix(h, f.inlined);
}

FrameId FrameTable::intern(const Frame& f) {
  if (index_.size() != frames_.size())  // dropped
    for (size_t id = 0; id < frames_.size(); ++id) index_.emplace(frames_[id], FrameId(id));
  if (auto it = index_.find(f); it != index_.end()) return it->second;
  const auto id = static_cast<FrameId>(frames_.size());
  frames_.push_back(f);
  index_.emplace(f, id);
  return id;
}

namespace {
// A stack's hash for the slot table; a final multiply spreads the low bits that index it.
uint64_t stack_hash(StackView frames) {
  return uint64_t(hash_frames(frames)) * 0x9e3779b97f4a7c15ULL;
}
}  // namespace

void StackTable::grow() {
  // At least twice the slots of the stacks (a rebuild after drop_index starts from none).
  size_t size = slots_.empty() ? 1024 : slots_.size() * 2;
  while (size < 2 * (hashes_.size() + 1)) size *= 2;
  std::vector<uint32_t> slots(size, 0);
  const size_t mask = slots.size() - 1;
  for (size_t id = 0; id < hashes_.size(); ++id) {
    size_t i = size_t(hashes_[id] >> 20) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = static_cast<uint32_t>(id + 1);
  }
  slots_ = std::move(slots);
}

void StackTable::reserve(size_t stacks, size_t frames, bool wide) {
  if (wide && !wide_ && narrow_frames_.empty()) widen();
  if (wide_) {
    wide_frames_.reserve(frames);
  } else {
    narrow_frames_.reserve(frames);
  }
  offsets_.reserve(stacks + 1);
  hashes_.reserve(stacks);
}

void StackTable::drop_index() {
  std::vector<uint64_t>().swap(hashes_);
  std::vector<uint32_t>().swap(slots_);
}

void StackTable::widen() {
  wide_frames_.reserve(std::max(narrow_frames_.capacity(), narrow_frames_.size() + 1));
  wide_frames_.assign(narrow_frames_.begin(), narrow_frames_.end());
  std::vector<uint16_t>().swap(narrow_frames_);
  wide_ = true;
}

StackId StackTable::intern(StackView frames) {
  if (hashes_.size() != size()) {  // dropped: rehash every stack, then index them again
    hashes_.clear();
    for (StackId id = 0; id < size(); ++id) hashes_.push_back(stack_hash((*this)[id]));
    slots_.clear();
    grow();
  }
  const uint64_t h = stack_hash(frames);
  if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  size_t i = size_t(h >> 20) & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    const StackId candidate = slots_[i] - 1;
    if (hashes_[candidate] != h) continue;
    if (same_frames((*this)[candidate], frames)) return candidate;
  }
  const auto id = static_cast<StackId>(size());
  if (!wide_ && frames.visit([](auto ids) {
        return std::any_of(ids.begin(), ids.end(), [](FrameId f) { return f > UINT16_MAX; });
      }))
    widen();
  frames.visit([&](auto ids) {
    if (wide_) {
      wide_frames_.insert(wide_frames_.end(), ids.begin(), ids.end());
    } else {  // every id fits in 16 bits (checked above)
      narrow_frames_.insert(narrow_frames_.end(), ids.begin(), ids.end());
    }
  });
  offsets_.push_back(static_cast<uint32_t>(wide_ ? wide_frames_.size() : narrow_frames_.size()));
  hashes_.push_back(h);
  slots_[i] = id + 1;
  return id;
}

void drop_indexes(Profile& profile) {
  profile.strings.drop_index();
  profile.frames.drop_index();
  profile.stacks.drop_index();
}

void replace_frames(Profile& profile, const std::vector<std::vector<Frame>>& with) {
  // Frame id -> the ids standing in its place (interned once per replaced frame).
  std::vector<std::vector<FrameId>> ids(std::min(with.size(), profile.frames.size()));
  bool any = false;
  for (size_t i = 0; i < ids.size(); ++i)
    for (const Frame& f : with[i]) {
      ids[i].push_back(profile.frames.intern(f));
      any = true;
    }
  if (!any) return;
  StackTable stacks;
  std::vector<StackId> stack_of(profile.stacks.size());
  std::vector<FrameId> frames;
  for (size_t s = 0; s < stack_of.size(); ++s) {
    frames.clear();
    for (FrameId f : profile.stacks[StackId(s)]) {
      if (f < ids.size() && !ids[f].empty())
        frames.insert(frames.end(), ids[f].begin(), ids[f].end());
      else
        frames.push_back(f);
    }
    stack_of[s] = stacks.intern(frames);
  }
  profile.stacks = std::move(stacks);
  std::unordered_map<StackId, size_t> sample_of;  // new stack -> its sample in the snapshot
  for (Snapshot& snap : profile.snapshots) {
    sample_of.clear();
    std::vector<StackSample> merged;
    merged.reserve(snap.samples.size());
    for (const StackSample& sample : snap.samples) {
      const StackId stack = stack_of[sample.stack];
      auto [it, fresh] = sample_of.try_emplace(stack, merged.size());
      if (fresh) {
        merged.push_back({stack, sample.values});
        continue;
      }
      merged[it->second].values += sample.values;
    }
    snap.samples = std::move(merged);
  }
}

void release_samples(Profile& profile) {
  for (Snapshot& s : profile.snapshots) std::vector<StackSample>().swap(s.samples);
}

void append_snapshots(Profile& into, Profile&& from) {
  std::vector<StringId> string_of(from.strings.size());
  for (size_t i = 0; i < string_of.size(); ++i)
    string_of[i] = into.strings.intern(from.strings[StringId(i)]);
  std::vector<FrameId> frame_of(from.frames.size());
  for (size_t i = 0; i < frame_of.size(); ++i) {
    Frame f = from.frames[FrameId(i)];
    f.function = string_of[f.function];
    f.file = string_of[f.file];
    f.module = string_of[f.module];
    frame_of[i] = into.frames.intern(f);
  }
  std::vector<StackId> stack_of(from.stacks.size());
  std::vector<FrameId> frames;
  for (size_t i = 0; i < stack_of.size(); ++i) {
    frames.clear();
    for (FrameId f : from.stacks[StackId(i)]) frames.push_back(frame_of[f]);
    stack_of[i] = into.stacks.intern(frames);
  }
  // Distinct stacks stay distinct (interning is by value, and the maps are one-to-one), so
  // every snapshot still has one sample per stack.
  for (Snapshot& snap : from.snapshots) {
    for (StackSample& sample : snap.samples) sample.stack = stack_of[sample.stack];
    into.snapshots.push_back(std::move(snap));
  }
  for (auto& w : from.warnings) into.warnings.push_back(std::move(w));
}

std::string_view time_unit_name(TimeUnit u) {
  switch (u) {
    case TimeUnit::None: return "none";
    case TimeUnit::Seconds: return "s";
    case TimeUnit::Instructions: return "instructions";
    case TimeUnit::Bytes: return "bytes";
  }
  return "none";
}

Values sum_samples(const Snapshot& s) {
  Values total;
  for (const auto& sample : s.samples) total += sample.values;
  return total;
}

}  // namespace memleak::core
