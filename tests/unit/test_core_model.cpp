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

TEST_CASE("memleak::core::StackTable stores 16-bit ids until one does not fit, then widens") {
  StackTable t;
  std::vector<std::vector<FrameId>> stacks;
  std::vector<StackId> ids;
  for (FrameId i = 0; i < 2000; ++i) {
    // Ids up to the largest 16-bit one, in stacks of 1..5 frames.
    std::vector<FrameId> s;
    for (FrameId k = 0; k <= i % 5; ++k) s.push_back((i * 33 + k * 7919) % 65536);
    stacks.push_back(s);
    ids.push_back(t.intern(s));
  }
  stacks.push_back({65535, 0, 65535});
  ids.push_back(t.intern(stacks.back()));
  CHECK_FALSE(t.wide());
  const size_t before = t.size();
  // The first id past 16 bits widens the table; every stack reads back the same.
  stacks.push_back({1, 65536, 2});
  ids.push_back(t.intern(stacks.back()));
  CHECK(t.wide());
  CHECK(t.size() == before + 1);
  stacks.push_back({UINT32_MAX - 1});
  ids.push_back(t.intern(stacks.back()));
  for (size_t i = 0; i < stacks.size(); ++i) {
    const StackView v = t[ids[i]];
    CHECK(std::vector<FrameId>(v.begin(), v.end()) == stacks[i]);
    CHECK(t.intern(stacks[i]) == ids[i]);  // known stacks keep their ids, before and after
  }
  t.drop_index();
  for (size_t i = 0; i < stacks.size(); ++i) CHECK(t.intern(stacks[i]) == ids[i]);
  // Views: subspans, first, back, and a stack compared with its narrow twin.
  const StackView v = t[ids[2001]];
  CHECK(v.subspan(1, 2).size() == 2);
  CHECK(v.subspan(1, 2)[0] == 65536);
  CHECK(v.first(1).back() == 1);
  StackTable narrow;
  const std::vector<FrameId> small = {3, 4, 5};
  const StackId a = narrow.intern(small);
  CHECK(narrow.intern(t[t.intern(small)]) == a);  // a wide view of the same ids is the same stack
  // A reader that expects wide ids starts wide; one that did not expect them still gets them.
  StackTable reserved;
  reserved.reserve(4, 16, /*wide=*/true);
  CHECK(reserved.wide());
  const StackId r = reserved.intern(small);
  CHECK(std::vector<FrameId>(reserved[r].begin(), reserved[r].end()) == small);
  StackTable late;
  late.reserve(4, 16);
  CHECK_FALSE(late.wide());
  late.intern(small);
  late.reserve(4, 16, /*wide=*/true);  // not empty: widened by the first wide id instead
  CHECK_FALSE(late.wide());
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

TEST_CASE("memleak::core::replace_frames expands frames and merges stacks that become equal") {
  Profile p;
  auto frame = [&](const char* module, uint64_t address, const char* function = nullptr) {
    Frame f;
    f.module = p.strings.intern(module);
    f.address = address;
    if (function) f.function = p.strings.intern(function);
    return p.frames.intern(f);
  };
  const FrameId a = frame("bin", 0x10), b = frame("bin", 0x20), main_fn = frame("bin", 0x30, "main");
  const StackId s_a = p.stacks.intern(std::vector<FrameId>{a, main_fn});
  const StackId s_b = p.stacks.intern(std::vector<FrameId>{b, main_fn});
  const StackId s_main = p.stacks.intern(std::vector<FrameId>{main_fn});
  Snapshot snap;
  auto values = [](int64_t bytes) {
    Values v;
    v[Metric::LiveBytes] = bytes;
    return v;
  };
  snap.samples = {{s_a, values(100)}, {s_b, values(20)}, {s_main, values(3)}};
  snap.total = sum_samples(snap);
  p.snapshots.push_back(snap);

  // 0x10 becomes an inlined helper inside leak(); 0x20 becomes the very same two frames, so
  // s_a and s_b become one stack (the contract for any caller; symbolization keeps each
  // frame's address, so there it happens only when a reader interned an address twice).
  Frame helper, leak;
  helper.function = p.strings.intern("helper");
  helper.inlined = true;
  leak.function = p.strings.intern("leak");
  std::vector<std::vector<Frame>> with(p.frames.size());
  with[a] = {helper, leak};
  with[b] = {helper, leak};
  replace_frames(p, with);

  const Snapshot& s = p.snapshots[0];
  REQUIRE(s.samples.size() == 2);
  CHECK(s.total[Metric::LiveBytes] == 123);
  CHECK(sum_samples(s)[Metric::LiveBytes] == 123);
  const StackView merged = p.stacks[s.samples[0].stack];
  REQUIRE(merged.size() == 3);
  CHECK(p.strings[p.frames[merged[0]].function] == "helper");
  CHECK(p.frames[merged[0]].inlined);
  CHECK(p.strings[p.frames[merged[1]].function] == "leak");
  CHECK(merged[2] == main_fn);
  CHECK(s.samples[0].values[Metric::LiveBytes] == 120);
  const StackView untouched = p.stacks[s.samples[1].stack];
  REQUIRE(untouched.size() == 1);
  CHECK(untouched[0] == main_fn);
  CHECK(s.samples[1].values[Metric::LiveBytes] == 3);
}

TEST_CASE("memleak::core::replace_frames with nothing to replace leaves the profile as it is") {
  Profile p;
  Frame f;
  f.module = p.strings.intern("bin");
  const FrameId id = p.frames.intern(f);
  const StackId stack = p.stacks.intern(std::vector<FrameId>{id});
  Snapshot snap;
  snap.samples = {{stack, Values{}}};
  p.snapshots.push_back(snap);
  replace_frames(p, std::vector<std::vector<Frame>>(p.frames.size()));
  CHECK(p.stacks.size() == 1);
  CHECK(p.snapshots[0].samples[0].stack == stack);
}
