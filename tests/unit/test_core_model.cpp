// Tests of core/model.h's tables: interning after their indexes were dropped (readers drop
// them when done), and append_snapshots (massif's parts joined).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/model.h"

using namespace memleak::core;

TEST_CASE("memleak::core::drop_indexes keeps ids and interning") {
  Profile p;
  std::vector<FrameId> frames;
  for (int i = 0; i < 3000; ++i) {  // enough to grow the stack index a few times
    Frame f;
    f.function = p.strings.intern("f" + std::to_string(i));
    f.line = uint32_t(i);
    frames.push_back(p.frames.intern(f));
  }
  std::vector<StackId> stacks;
  for (int i = 0; i + 2 < 3000; ++i)
    stacks.push_back(p.stacks.intern(std::vector<FrameId>{frames[size_t(i)], frames[size_t(i) + 2]}));
  drop_indexes(p);
  // Known values: the same ids; new values: the next ids.
  CHECK(p.strings.intern("f17") == p.frames[frames[17]].function);
  CHECK(p.strings.intern("") == 0);
  const size_t strings_before = p.strings.size();
  CHECK(p.strings.intern("new") == strings_before);
  Frame f;
  f.function = p.strings.intern("f2999");
  f.line = 2999;
  CHECK(p.frames.intern(f) == frames[2999]);
  f.line = 1;
  const FrameId new_frame = p.frames.intern(f);
  CHECK(new_frame == p.frames.size() - 1);
  CHECK(new_frame == frames.size());
  CHECK(p.stacks.intern(std::vector<FrameId>{frames[100], frames[102]}) == stacks[100]);
  CHECK(p.stacks.intern(std::vector<FrameId>{frames[0], frames[2]}) == stacks[0]);
  const StackId next = p.stacks.intern(std::vector<FrameId>{frames[1]});
  CHECK(next == stacks.size());
  CHECK(p.stacks[next].size() == 1);
  CHECK(p.stacks[stacks[5]][1] == frames[7]);
}

TEST_CASE("memleak::core::append_snapshots re-interns and keeps one sample per stack") {
  auto frame = [](Profile& p, const std::string& name) {
    Frame f;
    f.function = p.strings.intern(name);
    return p.frames.intern(f);
  };
  Profile a, b;
  const FrameId a_main = frame(a, "main"), a_leak = frame(a, "leak");
  Snapshot sa;
  sa.samples.push_back({a.stacks.intern(std::vector<FrameId>{a_leak, a_main}), {}});
  sa.samples[0].values[Metric::LiveBytes] = 10;
  a.snapshots.push_back(sa);
  // b's tables number the same frames differently, and hold one a does not have.
  const FrameId b_other = frame(b, "other"), b_leak = frame(b, "leak"), b_main = frame(b, "main");
  Snapshot sb;
  sb.label = "b@1";
  sb.samples.push_back({b.stacks.intern(std::vector<FrameId>{b_other, b_main}), {}});
  sb.samples.push_back({b.stacks.intern(std::vector<FrameId>{b_leak, b_main}), {}});
  sb.samples[0].values[Metric::LiveBytes] = 5;
  sb.samples[1].values[Metric::LiveBytes] = 20;
  b.snapshots.push_back(sb);
  b.warnings.push_back("from b");
  append_snapshots(a, std::move(b));
  REQUIRE(a.snapshots.size() == 2);
  CHECK(a.snapshots[1].label == "b@1");
  const auto& joined = a.snapshots[1].samples;
  REQUIRE(joined.size() == 2);
  CHECK(joined[1].stack == a.snapshots[0].samples[0].stack);  // the same stack, a's id
  CHECK(joined[1].values[Metric::LiveBytes] == 20);
  const auto other = a.stacks[joined[0].stack];
  REQUIRE(other.size() == 2);
  CHECK(a.strings[a.frames[other[0]].function] == "other");
  CHECK(other[1] == a_main);
  CHECK(a.warnings == std::vector<std::string>{"from b"});
}
