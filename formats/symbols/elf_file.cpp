#include "formats/symbols/elf_file.h"

#include <elf.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace memleak::formats::symbols {

namespace {

// Program headers of either class, read field by field into one shape.
template <typename Ehdr, typename Phdr>
std::optional<ElfLoadMap> read_loads(std::ifstream& in, uint64_t file_size, std::string& why) {
  Ehdr eh{};
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh)) {
    why = "truncated ELF header";
    return std::nullopt;
  }
  if (eh.e_phnum == 0) {
    why = "no program headers";
    return std::nullopt;
  }
  if (eh.e_phentsize != sizeof(Phdr)) {
    why = "unexpected program header size";
    return std::nullopt;
  }
  const uint64_t table_end = uint64_t(eh.e_phoff) + uint64_t(eh.e_phnum) * sizeof(Phdr);
  if (eh.e_phoff == 0 || table_end > file_size) {
    why = "truncated program headers";
    return std::nullopt;
  }
  ElfLoadMap map;
  in.seekg(std::streamoff(eh.e_phoff));
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Phdr ph{};
    if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) {
      why = "truncated program headers";
      return std::nullopt;
    }
    if (ph.p_type != PT_LOAD) continue;
    map.segments.push_back({ph.p_offset, ph.p_filesz, ph.p_vaddr, (ph.p_flags & PF_X) != 0});
  }
  if (map.segments.empty()) {
    why = "no loadable segment";
    return std::nullopt;
  }
  return map;
}

}  // namespace

std::optional<uint64_t> ElfLoadMap::vaddr_of(uint64_t file_offset) const {
  for (const LoadSegment& s : segments)
    if (file_offset >= s.file_offset && file_offset - s.file_offset < s.file_size)
      return s.vaddr + (file_offset - s.file_offset);
  return std::nullopt;
}

std::optional<ElfLoadMap> read_elf_load_map(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::string("cannot open: ") + std::strerror(errno);
    return std::nullopt;
  }
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (end < 0) {
    why = "cannot read";
    return std::nullopt;
  }
  const uint64_t size = uint64_t(end);
  unsigned char ident[EI_NIDENT] = {};
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(ident), EI_NIDENT) ||
      std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    why = "not an ELF file";
    return std::nullopt;
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    why = "not a little-endian ELF file";
    return std::nullopt;
  }
  if (ident[EI_CLASS] == ELFCLASS64) return read_loads<Elf64_Ehdr, Elf64_Phdr>(in, size, why);
  if (ident[EI_CLASS] == ELFCLASS32) return read_loads<Elf32_Ehdr, Elf32_Phdr>(in, size, why);
  why = "unknown ELF class";
  return std::nullopt;
}

}  // namespace memleak::formats::symbols
