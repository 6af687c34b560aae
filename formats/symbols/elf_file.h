// Where an ELF file's bytes are loaded: turns offsets in the file (what a profile's mapping
// gives: address - mapping start + mapping offset) into the virtual addresses that the
// file's symbols and line tables use (what addr2line takes).
//
// Only the ELF header and program headers are read, with every offset and size checked
// against the file's length: a file that is not ELF, is truncated or lies about its tables
// is reported, never trusted. Little-endian ELF32 and ELF64 (x86, x86-64, ARM, AArch64,
// RISC-V: the machines profiles come from).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace memleak::formats::symbols {

struct LoadSegment {
  uint64_t file_offset = 0;
  uint64_t file_size = 0;
  uint64_t vaddr = 0;
  bool executable = false;
};

struct ElfLoadMap {
  std::vector<LoadSegment> segments;  // PT_LOAD entries, in file order

  // The virtual address of the byte at `file_offset`, if a loaded segment holds it.
  std::optional<uint64_t> vaddr_of(uint64_t file_offset) const;
};

// Reads `path`'s load map. On failure returns nullopt and says why in `why` ("not an ELF
// file", "truncated program headers", "cannot open: No such file or directory", ...).
std::optional<ElfLoadMap> read_elf_load_map(const std::string& path, std::string& why);

}  // namespace memleak::formats::symbols
