// Fuzz target: format detection and decompression (read_profile without --input-format), as
// `memleak show FILE` runs it: gzip/zstd sniffing, every reader's sniff(), then the reader
// that claimed the input.
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  memleak::fuzz::read_and_check(data, size, "");
  return 0;
}
