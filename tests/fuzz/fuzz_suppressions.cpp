// Fuzz target: the suppressions parser (`memleak check --suppressions FILE`) and the
// LeakSanitizer-style matcher its rules feed.
#include <string_view>

#include "core/gate.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  memleak::fuzz::expecting_input_errors([&] {
    const auto rules = memleak::core::parse_suppressions("fuzz.supp", text);
    // Match every rule against a few names and against the input itself (the head only: the
    // matcher is O(pattern x name) by design, and names are short in practice).
    static constexpr std::string_view kNames[] = {
        "", "malloc", "std::vector<int>::push_back", "/usr/lib/libc.so.6", "^$*"};
    const std::string_view head = text.substr(0, 1024);
    size_t n = 0;
    for (const auto& r : rules) {
      if (++n > 64) break;
      (void)r.text();
      for (auto name : kNames) (void)memleak::core::suppression_matches(r, name);
      (void)memleak::core::suppression_matches(r, head);
    }
  });
  return 0;
}
