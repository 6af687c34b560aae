// Tests of formats/symbols: addr2line's output parsed exactly, ELF load maps read from real
// files and refused from broken ones, and search paths split as PPROF_BINARY_PATH is.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "formats/symbols/addr2line.h"
#include "formats/symbols/elf_file.h"
#include "formats/symbols/symbolize.h"

using namespace memleak::formats::symbols;

// A function of this binary to find again by its address, as a profile would record it.
extern "C" __attribute__((noinline)) int memleak_symbols_test_probe(int x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}

namespace {

// The offset in this binary's file of the byte at runtime address `addr`, from
// /proc/self/maps (what a profile's MAPPED_LIBRARIES section holds).
uint64_t file_offset_of(uint64_t addr) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long start = 0, end = 0, offset = 0;
    char perms[8] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %7s %lx", &start, &end, perms, &offset) != 4) continue;
    if (addr >= start && addr < end) return addr - start + offset;
  }
  return 0;
}

}  // namespace

TEST_CASE("parse_addr2line_output: inlined chains, unknown frames, discriminators, ./ prefixes") {
  const std::vector<uint64_t> addrs = {0x401644, 0x9e9a9, 0x271c9, 0x5000};
  const std::string out =
      "0x0000000000401644\n"
      "copy_name\n"
      "././orderbook.c:31 (discriminator 2)\n"
      "trade_log_append\n"
      "././orderbook.c:58\n"
      "0x000000000009e9a9\n"
      "__GI___strdup\n"
      "./string/./string/strdup.c:42\n"
      "0x00000000000271c9\n"
      "__libc_init_first\n"
      "??:?\n"
      "0x0000000000005000\n"
      "??\n"
      "??:0\n";
  const SourceChains chains = parse_addr2line_output(out, addrs);
  REQUIRE(chains.size() == 4);
  CHECK(chains[0] == std::vector<SourceFrame>{{"copy_name", "orderbook.c", 31},
                                              {"trade_log_append", "orderbook.c", 58}});
  CHECK(chains[1] == std::vector<SourceFrame>{{"__GI___strdup", "string/string/strdup.c", 42}});
  CHECK(chains[2] == std::vector<SourceFrame>{{"__libc_init_first", "", 0}});
  CHECK(chains[3].empty());
}

TEST_CASE("parse_addr2line_output: output of another shape is an error, not a guess") {
  const std::vector<uint64_t> addrs = {0x10, 0x20};
  CHECK_THROWS_WITH_AS(
      parse_addr2line_output("", addrs),
      "addr2line: expected '0x0000000000000010' at output line 1, got 'end of output'",
      SymbolizerError);
  CHECK_THROWS_WITH_AS(
      parse_addr2line_output("0x0000000000000010\nf\nf.c:1\n0x0000000000000030\n??\n??:0\n", addrs),
      "addr2line: expected a file:line after output line 6", SymbolizerError);
  CHECK_THROWS_WITH_AS(
      parse_addr2line_output("0x0000000000000010\n0x0000000000000020\n??\n??:0\n", addrs),
      "addr2line: no frame for address 0x0000000000000010", SymbolizerError);
  CHECK_THROWS_WITH_AS(parse_addr2line_output("0x0000000000000010\nf\n", addrs),
                       "addr2line: expected a file:line after output line 2", SymbolizerError);
}

TEST_CASE("run_addr2line names this test binary's own functions") {
  // The unit test binary is an ELF with debug info (RelWithDebInfo): its load map turns the
  // file offset of a function (from the process's mappings, as a heap dump records them)
  // into the address addr2line expects.
  std::string why;
  const auto map = read_elf_load_map("/proc/self/exe", why);
  REQUIRE_MESSAGE(map, why);
  const uint64_t runtime = reinterpret_cast<uint64_t>(&memleak_symbols_test_probe);
  const auto vaddr = map->vaddr_of(file_offset_of(runtime) + 4);
  REQUIRE(vaddr.has_value());
  char exe[4096] = {};
  REQUIRE(readlink("/proc/self/exe", exe, sizeof exe - 1) > 0);
  const SourceChains chains = run_addr2line(exe, std::vector<uint64_t>{*vaddr, 0});
  REQUIRE(chains.size() == 2);
  REQUIRE(chains[0].size() == 1);
  CHECK(chains[0][0].function == "memleak_symbols_test_probe");
  CHECK(chains[0][0].file.ends_with("tests/unit/test_symbols.cpp"));
  CHECK(chains[0][0].line > 0);
  CHECK(chains[1].empty());  // address 0 is nobody's
  bool executable = false;
  for (const auto& s : map->segments) executable = executable || s.executable;
  CHECK(executable);
  // Offsets past every segment's file bytes belong to no segment.
  uint64_t end = 0;
  for (const auto& s : map->segments) end = std::max(end, s.file_offset + s.file_size);
  CHECK_FALSE(map->vaddr_of(end + 4096).has_value());
  // A segment's first byte maps to its vaddr.
  CHECK(map->vaddr_of(map->segments.back().file_offset) == map->segments.back().vaddr);
}

namespace {

// An addr2line that hangs (as one looping in a binary's debug information would), first on
// PATH while the object lives. It sleeps for a day: were it not killed, the test would hang
// until ctest's time limit fails it.
class HangingAddr2line {
 public:
  HangingAddr2line()
      : dir_(std::filesystem::temp_directory_path() /
             fmt::format("memleak-a2l-{}", ::getpid())),
        old_path_(std::getenv("PATH") ? std::getenv("PATH") : "") {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "addr2line") << "#!/bin/sh\nexec sleep 86400\n";
    std::filesystem::permissions(dir_ / "addr2line", std::filesystem::perms::owner_all);
    ::setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
  }
  ~HangingAddr2line() {
    ::setenv("PATH", old_path_.c_str(), 1);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  HangingAddr2line(const HangingAddr2line&) = delete;
  HangingAddr2line& operator=(const HangingAddr2line&) = delete;

 private:
  std::filesystem::path dir_;
  std::string old_path_;
};

}  // namespace

TEST_CASE("run_addr2line stops an addr2line that writes nothing") {
  const HangingAddr2line hanging;
  std::string message;
  try {
    run_addr2line("/proc/self/exe", std::vector<uint64_t>{0x1000}, std::chrono::milliseconds(300));
  } catch (const SymbolizerError& e) {
    message = e.what();
  }
  CHECK(message == "addr2line wrote nothing for 0.3 s and was stopped");
}

TEST_CASE("SymbolCache: a binary whose addr2line failed fails at once after") {
  const HangingAddr2line hanging;
  SymbolCache cache(std::chrono::milliseconds(300));
  std::vector<std::string> messages;
  for (const uint64_t address : {0x1000, 0x2000}) {
    try {
      cache.resolve("/proc/self/exe", std::vector<uint64_t>{address});
    } catch (const SymbolizerError& e) {
      messages.push_back(e.what());
    }
  }
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == "addr2line wrote nothing for 0.3 s and was stopped");
  CHECK(messages[1] == messages[0]);
  CHECK(cache.runs() == 1);
}

TEST_CASE("read_elf_load_map refuses what is not a usable ELF file") {
  std::string why;
  CHECK_FALSE(read_elf_load_map("/nonexistent/prog", why));
  CHECK(why == "cannot open: No such file or directory");

  char name[] = "/tmp/memleak-elf-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  close(fd);
  auto write = [&](const std::string& bytes) { std::ofstream(name, std::ios::binary) << bytes; };
  write("#!/bin/sh\necho not an ELF file\n");
  CHECK_FALSE(read_elf_load_map(name, why));
  CHECK(why == "not an ELF file");
  auto head_of_this_binary = [](size_t n) {
    std::ifstream self("/proc/self/exe", std::ios::binary);
    std::string head(n, '\0');
    self.read(head.data(), std::streamsize(n));
    return head;
  };
  write(head_of_this_binary(20));  // a real ELF identification, then nothing
  CHECK_FALSE(read_elf_load_map(name, why));
  CHECK(why == "truncated ELF header");
  write(head_of_this_binary(64));  // a whole header; its program headers lie past the end
  CHECK_FALSE(read_elf_load_map(name, why));
  CHECK(why == "truncated program headers");
  std::string big_endian = "\x7f" "ELF\x02\x02\x01";
  big_endian.resize(64, '\0');
  write(big_endian);
  CHECK_FALSE(read_elf_load_map(name, why));
  CHECK(why == "not a little-endian ELF file");
  std::remove(name);
}

TEST_CASE("LoadSegment: offsets map into the segment that holds them") {
  ElfLoadMap map;
  map.segments = {{0x0, 0x600, 0x0, false}, {0x1000, 0x300, 0x401000, true}};
  CHECK(map.vaddr_of(0x10) == 0x10);
  CHECK(map.vaddr_of(0x1644 - 0x400) == 0x401244);
  CHECK(map.vaddr_of(0x12ff) == 0x4012ff);
  CHECK_FALSE(map.vaddr_of(0x1300).has_value());  // one past the segment's file bytes
  CHECK_FALSE(map.vaddr_of(0x800).has_value());   // between segments
}

TEST_CASE("split_search_path splits at colons and skips empty entries") {
  CHECK(split_search_path("") == std::vector<std::string>{});
  CHECK(split_search_path("/a") == std::vector<std::string>{"/a"});
  CHECK(split_search_path("/a::b:") == std::vector<std::string>{"/a", "b"});
}

TEST_CASE("SymbolCache runs addr2line only for addresses it has not been asked about") {
  std::string why;
  const auto map = read_elf_load_map("/proc/self/exe", why);
  REQUIRE_MESSAGE(map, why);
  const uint64_t runtime = reinterpret_cast<uint64_t>(&memleak_symbols_test_probe);
  const uint64_t probe = *map->vaddr_of(file_offset_of(runtime) + 4);
  char exe[4096] = {};
  REQUIRE(readlink("/proc/self/exe", exe, sizeof exe - 1) > 0);

  SymbolCache cache;
  const SourceChains first = cache.resolve(exe, std::vector<uint64_t>{probe, 0});
  CHECK(cache.runs() == 1);
  REQUIRE(first.at(0).size() == 1);
  CHECK(first[0][0].function == "memleak_symbols_test_probe");

  // Known addresses are answered without addr2line (none can be found now), in the order
  // asked; a new one needs addr2line, whose failure is reported, and nothing is kept.
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", "/nonexistent", 1);
  const SourceChains again = cache.resolve(exe, std::vector<uint64_t>{0, probe});
  CHECK(again == SourceChains{first[1], first[0]});
  CHECK(cache.runs() == 1);
  CHECK_THROWS_WITH_AS(cache.resolve(exe, std::vector<uint64_t>{probe, probe + 1}),
                       "cannot run addr2line (No such file or directory; it is in Debian's "
                       "binutils)",
                       SymbolizerError);
  setenv("PATH", path.c_str(), 1);
  CHECK(cache.runs() == 2);
  // From then on this binary fails at once, with the same error (known addresses still
  // answered); another binary is not affected.
  CHECK_THROWS_WITH_AS(cache.resolve(exe, std::vector<uint64_t>{probe + 1}),
                       "cannot run addr2line (No such file or directory; it is in Debian's "
                       "binutils)",
                       SymbolizerError);
  CHECK(cache.runs() == 2);
  CHECK(cache.resolve(exe, std::vector<uint64_t>{probe}) == SourceChains{first[0]});
  const std::string copy = (std::filesystem::temp_directory_path() /
                            fmt::format("memleak-symbols-copy-{}", ::getpid())).string();
  std::filesystem::copy_file(exe, copy, std::filesystem::copy_options::overwrite_existing);
  const SourceChains other = cache.resolve(copy, std::vector<uint64_t>{probe});
  std::filesystem::remove(copy);
  CHECK(cache.runs() == 3);
  REQUIRE(other.at(0).size() == 1);
  CHECK(other[0][0].function == "memleak_symbols_test_probe");
}
