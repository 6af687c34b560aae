/* A program for tests/e2e/symbolize.sh: its functions are what the synthetic heap dumps'
 * addresses point into. Never run; only compiled, so that addr2line has a real binary with
 * real line tables to name them from. */
#include <stdlib.h>
#include <string.h>

static char* keep[1024];
static int kept;

__attribute__((noinline)) void record_order(const char* memo) {
  keep[kept++ % 1024] = strdup(memo); /* the leak: never freed */
}

__attribute__((noinline)) void* cache_line(size_t n) {
  return malloc(n); /* a bounded cache: filled once */
}

int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) record_order(argv[i]);
  free(cache_line(64));
  return 0;
}
