#include "formats/symbols/symbolize.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "formats/paths.h"
#include "formats/symbols/addr2line.h"
#include "formats/symbols/elf_file.h"

namespace memleak::formats::symbols {

namespace {

// One module's unsymbolized frames and the offsets they stand for.
struct ModuleWork {
  std::vector<core::FrameId> frames;
  std::vector<uint64_t> offsets;  // distinct, sorted
};

struct Found {
  std::string path;
  ElfLoadMap map;
};

// The first candidate file that is an ELF whose loaded bytes hold every offset; else why not.
std::optional<Found> find_binary(const std::string& recorded, const std::string& profile_path,
                                 const SymbolOptions& options,
                                 const std::vector<uint64_t>& offsets, std::string& why) {
  const std::string name(file_name(recorded));
  std::vector<std::string> candidates;
  for (const auto& dir : options.search_path) candidates.push_back(dir + "/" + name);
  if (profile_path != "-")
    candidates.push_back(std::string(directory_of(profile_path)) + "/" + name);
  if (recorded.starts_with("/")) candidates.push_back(recorded);
  why = "not found";
  for (const auto& path : candidates) {
    if (!is_regular_file(path)) continue;
    std::string bad;
    auto map = read_elf_load_map(path, bad);
    if (!map) {
      why = fmt::format("{}: {}", path, bad);
      continue;
    }
    const bool holds_all = std::all_of(offsets.begin(), offsets.end(), [&](uint64_t off) {
      return map->vaddr_of(off).has_value();
    });
    if (!holds_all) {
      why = fmt::format("{}: addresses outside its loaded segments (another build?)", path);
      continue;
    }
    return Found{path, std::move(*map)};
  }
  return std::nullopt;
}

}  // namespace

SourceChains SymbolCache::resolve(const std::string& binary, std::span<const uint64_t> vaddrs) {
  Binary* entry = nullptr;
  {
    std::lock_guard lock(mutex_);
    entry = &binaries_[binary];
  }
  std::lock_guard turn(entry->mutex);
  std::vector<uint64_t> missing;
  for (uint64_t a : vaddrs)
    if (!entry->chains.count(a)) missing.push_back(a);
  if (!missing.empty()) {
    if (entry->failed) throw SymbolizerError(*entry->failed);
    {
      std::lock_guard lock(mutex_);
      ++runs_;
    }
    SourceChains fresh;
    try {
      fresh = run_addr2line(binary, missing, silence_limit_);
    } catch (const SymbolizerError& e) {
      entry->failed = e.what();
      throw;
    }
    for (size_t i = 0; i < missing.size(); ++i) entry->chains[missing[i]] = std::move(fresh[i]);
  }
  SourceChains out;
  out.reserve(vaddrs.size());
  for (uint64_t a : vaddrs) out.push_back(entry->chains.at(a));
  return out;
}

size_t SymbolCache::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

std::vector<std::string> split_search_path(const std::string& list) {
  std::vector<std::string> dirs;
  size_t begin = 0;
  while (begin <= list.size()) {
    const auto colon = list.find(':', begin);
    const auto end = colon == std::string::npos ? list.size() : colon;
    if (end > begin) dirs.push_back(list.substr(begin, end - begin));
    if (colon == std::string::npos) break;
    begin = colon + 1;
  }
  return dirs;
}

void symbolize(core::Profile& profile, const std::string& profile_path,
               const SymbolOptions& options) {
  if (!options.enabled) return;
  // Modules by name (std::map: the same order, hence the same ids and warning, every run).
  std::map<std::string, ModuleWork> modules;
  for (size_t i = 0; i < profile.frames.size(); ++i) {
    const core::Frame& f = profile.frames[core::FrameId(i)];
    if (f.function != 0 || f.module == 0) continue;
    const std::string_view module = profile.strings[f.module];
    // Kernel pseudo-files ([vdso], [vsyscall]) have no file to read.
    if (module.empty() || module.front() == '[') continue;
    ModuleWork& w = modules[std::string(module)];
    w.frames.push_back(core::FrameId(i));
    w.offsets.push_back(f.address);
  }
  if (modules.empty()) return;

  std::vector<std::vector<core::Frame>> with(profile.frames.size());
  std::vector<std::string> failed;
  for (auto& [recorded, work] : modules) {
    std::sort(work.offsets.begin(), work.offsets.end());
    work.offsets.erase(std::unique(work.offsets.begin(), work.offsets.end()), work.offsets.end());
    std::string why;
    const auto found = find_binary(recorded, profile_path, options, work.offsets, why);
    if (!found) {
      failed.push_back(fmt::format("{} ({})", file_name(recorded), why));
      continue;
    }
    std::vector<uint64_t> vaddrs;
    for (uint64_t off : work.offsets) vaddrs.push_back(*found->map.vaddr_of(off));
    SourceChains chains;
    try {
      chains = options.cache ? options.cache->resolve(found->path, vaddrs)
                             : run_addr2line(found->path, vaddrs);
    } catch (const SymbolizerError& e) {
      failed.push_back(fmt::format("{} ({})", file_name(recorded), e.what()));
      continue;
    }
    for (core::FrameId id : work.frames) {
      const core::Frame unsymbolized = profile.frames[id];
      const size_t at = size_t(
          std::lower_bound(work.offsets.begin(), work.offsets.end(), unsymbolized.address) -
          work.offsets.begin());
      const auto& chain = chains[at];
      for (size_t k = 0; k < chain.size(); ++k) {
        core::Frame f = unsymbolized;
        f.function = chain[k].function.empty() ? 0 : profile.strings.intern(chain[k].function);
        f.file = chain[k].file.empty() ? 0 : profile.strings.intern(chain[k].file);
        f.line = chain[k].line;
        f.inlined = k + 1 < chain.size();
        with[id].push_back(f);
      }
    }
  }
  core::replace_frames(profile, with);
  if (!failed.empty()) {
    std::string list;
    for (const auto& f : failed) list += (list.empty() ? "" : ", ") + f;
    profile.warnings.push_back(fmt::format(
        "addresses left unsymbolized in {} module{}: {}; give the binaries' directory with "
        "--symbol-path",
        failed.size(), failed.size() == 1 ? "" : "s", list));
  }
}

}  // namespace memleak::formats::symbols
