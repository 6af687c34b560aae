// Fuzz target: the heaptrack reader (--input-format heaptrack). Besides the default sliced
// read, @peak and @t= take their own replay paths through the trace, so each input is read
// three ways.
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  memleak::fuzz::read_and_check(data, size, "heaptrack");
  memleak::fuzz::read_and_check(data, size, "heaptrack", "@peak");
  memleak::fuzz::read_and_check(data, size, "heaptrack", "@t=0.5");
  return 0;
}
