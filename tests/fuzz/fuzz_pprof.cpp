// Fuzz target: the pprof reader alone (--input-format pprof), so no input is lost to detection.
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  memleak::fuzz::read_and_check(data, size, "pprof");
  return 0;
}
