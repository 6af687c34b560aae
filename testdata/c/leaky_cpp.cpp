// leaky_cpp: a small C++ program with two leaks among non-leaking noise, for memleak's tests.
//
// Leaks (grow every iteration, never freed):
//   Registry::add()      a std::vector<std::string> member that only grows (a container leak)
//   make_session()       `new Session` whose pointer is dropped (a plain leak)
// Noise (does not grow):
//   build_dictionary()   a std::vector<std::string> filled once at start-up and kept (startup)
//   render()             a temporary std::vector<char> of 8 KiB per iteration (churn)
//   LruCache::put()      a std::map capped at 12 entries of 2 KiB (bounded cache)
//   Batch::fill()/clear() 150 KiB of buffers, released a few iterations later (burst)
//
// Usage: leaky_cpp [ITERATIONS]   (default 40; sleeps 10 ms per iteration)
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Session {
  int id;
  char scratch[200];
};

class Registry {
 public:
  void add(int i) { names_.push_back("client-" + std::to_string(i) + std::string(100, 'x')); }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
};

class LruCache {
 public:
  void put(int key) {
    entries_[key] = std::string(2048, 'c');
    if (entries_.size() > kCapacity) entries_.erase(entries_.begin());
  }

 private:
  static constexpr size_t kCapacity = 12;
  std::map<int, std::string> entries_;
};

class Batch {
 public:
  void fill() {
    for (int i = 0; i < 30; ++i) buffers_.push_back(std::make_unique<char[]>(5120));
  }
  void clear() {
    buffers_.clear();
    buffers_.shrink_to_fit();
  }

 private:
  std::vector<std::unique_ptr<char[]>> buffers_;
};

std::vector<std::string> build_dictionary() {
  std::vector<std::string> words;
  words.reserve(300);
  for (int i = 0; i < 300; ++i) words.push_back(std::string(48, static_cast<char>('a' + i % 26)));
  return words;
}

Session* make_session(int i) {
  auto* s = new Session;
  s->id = i;
  return s;  // the caller drops it
}

size_t render(int i) {
  std::vector<char> frame(8192, static_cast<char>(i));
  return frame.size();
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 40;
  const auto dictionary = build_dictionary();
  // Never deleted, so that the leaked container is still there at exit (as in a real leak).
  Registry& registry = *new Registry;
  LruCache cache;
  Batch batch;
  size_t rendered = 0;
  for (int i = 0; i < iterations; ++i) {
    registry.add(i);
    make_session(i);
    rendered += render(i);
    cache.put(i);
    if (i == iterations / 4) batch.fill();
    if (i == iterations / 4 + 4) batch.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return dictionary.size() + registry.size() + rendered > 0 ? 0 : 1;
}
