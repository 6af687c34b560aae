#include "core/frame_list.h"

#include <fmt/format.h>

namespace memleak::core {

namespace {

std::string_view basename(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

FrameSource::FrameSource(const Profile& profile)
    : profile_(profile), kinds_(new std::atomic<uint8_t>[profile.frames.size()]) {
  for (size_t i = 0; i < profile.frames.size(); ++i)
    kinds_[i].store(kUnclassified, std::memory_order_relaxed);
}

FrameKind FrameSource::kind(FrameId id) const {
  uint8_t k = kinds_[id].load(std::memory_order_relaxed);
  if (k == kUnclassified) {
    const Frame& f = profile_.frames[id];
    const auto& s = profile_.strings;
    k = uint8_t(classify_frame(s[f.function], s[f.file], s[f.module]));
    kinds_[id].store(k, std::memory_order_relaxed);
  }
  return FrameKind(k);
}

const SiteFrame FrameList::operator[](size_t i) const {
  if (owned_) return (*owned_)[i];
  const Frame& f = frame(i);
  const auto& s = source_->profile().strings;
  SiteFrame out;
  out.function = std::string(s[f.function]);
  out.file = std::string(s[f.file]);
  out.line = f.line;
  out.module = std::string(s[f.module]);
  out.address = f.address;
  out.inlined = f.inlined;
  out.program = source_->kind(ids_[i]) == FrameKind::Program;
  return out;
}

std::vector<SiteFrame> FrameList::resolve() const {
  std::vector<SiteFrame> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.push_back((*this)[i]);
  return out;
}

std::string_view FrameList::function(size_t i) const {
  return owned_ ? std::string_view((*owned_)[i].function)
                : source_->profile().strings[frame(i).function];
}

std::string_view FrameList::file(size_t i) const {
  return owned_ ? std::string_view((*owned_)[i].file) : source_->profile().strings[frame(i).file];
}

std::string_view FrameList::module(size_t i) const {
  return owned_ ? std::string_view((*owned_)[i].module)
                : source_->profile().strings[frame(i).module];
}

uint32_t FrameList::line(size_t i) const { return owned_ ? (*owned_)[i].line : frame(i).line; }

bool FrameList::program(size_t i) const {
  return owned_ ? (*owned_)[i].program : source_->kind(ids_[i]) == FrameKind::Program;
}

size_t FrameList::first_program() const {
  size_t i = 0;
  while (i < size() && !program(i)) ++i;
  return i;
}

FrameList FrameList::first(size_t n) const {
  if (owned_) return FrameList(std::vector<SiteFrame>(owned_->begin(), owned_->begin() + long(n)));
  return FrameList(source_, ids_.first(n));
}

bool operator==(const FrameList& a, const FrameList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return false;
  return true;
}

std::string display_function(const SiteFrame& f) {
  if (!f.function.empty()) return f.function;
  if (!f.module.empty()) return fmt::format("{}+{:#x}", basename(f.module), f.address);
  return "???";
}

std::string display_function(const FrameList& frames, size_t i) {
  if (!frames.function(i).empty()) return std::string(frames.function(i));
  return display_function(frames[i]);
}

}  // namespace memleak::core
