/* leaky_c: a small C program with two leaks among non-leaking noise, for memleak's tests.
 *
 * Leaks (grow every iteration, never freed):
 *   leak_event()     malloc(256) whose pointer is dropped: a plain leak
 *   history_append() a realloc'ed array of records that only grows
 * Noise (does not grow):
 *   load_config()    64 KiB allocated once at start-up and kept (startup)
 *   churn()          4 KiB allocated and freed in the same iteration (churn)
 *   cache_put()      a 16-slot ring of 1 KiB entries: fills, then replaces (bounded cache)
 *   burst_begin()/burst_end()  200 KiB in 50 blocks, freed a few iterations later (burst)
 *
 * Usage: leaky_c [ITERATIONS]   (default 40; sleeps 10 ms per iteration)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kCacheSlots = 16, kBurstBlocks = 50 };

static char* config;
static char* cache[kCacheSlots];
static char* burst[kBurstBlocks];
static long* history;
static size_t history_len;

static void load_config(void) {
  config = malloc(64 * 1024);
  memset(config, 1, 64 * 1024);
}

static void leak_event(int i) {
  char* event = malloc(256);
  memset(event, i, 256);
  /* the pointer is dropped here */
}

static void history_append(long value) {
  history = realloc(history, (history_len + 1) * 64 * sizeof(long));
  memset(history + history_len * 64, 0, 64 * sizeof(long));
  history[history_len * 64] = value;
  ++history_len;
}

static void churn(int i) {
  char* tmp = malloc(4096);
  memset(tmp, i, 4096);
  free(tmp);
}

static void cache_put(int i) {
  const int slot = i % kCacheSlots;
  free(cache[slot]);
  cache[slot] = malloc(1024);
  memset(cache[slot], i, 1024);
}

static void burst_begin(void) {
  for (int b = 0; b < kBurstBlocks; ++b) burst[b] = calloc(1, 4096);
}

static void burst_end(void) {
  for (int b = 0; b < kBurstBlocks; ++b) {
    free(burst[b]);
    burst[b] = NULL;
  }
}

static void pause_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? atoi(argv[1]) : 40;
  load_config();
  for (int i = 0; i < iterations; ++i) {
    leak_event(i);
    history_append(i);
    churn(i);
    cache_put(i);
    if (i == iterations / 4) burst_begin();
    if (i == iterations / 4 + 4) burst_end();
    pause_ms(10);
  }
  return config[0] == 1 ? 0 : 1;
}
