// Copyright 2026 The cyclegc Authors.
//
// Tombstones cost bounded work: a death outside a collection visits at most
// kCompactionSlotsPerDeath slots of its list, a collection at most its own
// slots and that many per death it caused, and the compaction keeps every
// object in its generation (see "Lists" in gc/internal/heap_state.h).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

#include "gc/gc.h"
#include "gc/internal/heap_state.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using gc::internal::HeapState;
using gc::internal::kListGenerations;

class CompactionTest : public HeapTest {
 protected:
  HeapState& State() { return *HeapState::FromHeap(heap_); }
  const HeapState::Compaction& Cursor() {
    return State().compaction[kListGenerations];
  }
  size_t Slots() { return State().lists[kListGenerations].size(); }

  // Slots the compaction visited since the cursor was `before` (and the list
  // had `slots_before` slots).
  size_t Visited(const HeapState::Compaction& before, size_t slots_before) {
    const HeapState::Compaction& now = Cursor();
    if (before.active)
      return (now.active ? now.read : slots_before) - before.read;
    return now.active ? now.read : 0;
  }

  std::set<gc::Object*> Generation(int g) {
    std::set<gc::Object*> out;
    for (const gc::Ref<gc::Object>& object : heap_.GetObjects(g)) {
      out.insert(object.get());
    }
    return out;
  }

  static std::vector<gc::Ref<Link>> MakeLinks(int n) {
    std::vector<gc::Ref<Link>> links;
    for (int i = 0; i < n; ++i) links.push_back(gc::Make<Link>());
    return links;
  }
};

TEST_F(CompactionTest, EachDeathVisitsABoundedNumberOfSlots) {
  heap_.Disable();
  constexpr int kOld = 200000;
  std::vector<gc::Ref<Link>> old = MakeLinks(kOld);
  Collect();
  ASSERT_EQ(Slots(), size_t{kOld});
  size_t longest = 0;
  int started = 0;
  int finished = 0;
  for (gc::Ref<Link>& link : old) {
    const HeapState::Compaction before = Cursor();
    const size_t slots_before = Slots();
    link = nullptr;  // dies: a tombstone in generation 2
    longest = std::max(longest, Visited(before, slots_before));
    started += !before.active && Cursor().active;
    finished += before.active && !Cursor().active;
  }
  EXPECT_LE(longest, HeapState::kCompactionSlotsPerDeath);
  EXPECT_GE(started, 1);
  EXPECT_GE(finished, 1);
  // What the compactions freed: the list is far below its peak.
  EXPECT_LT(Slots(), size_t{kOld} / 2);
  EXPECT_EQ(State().tombstones[kListGenerations],
            static_cast<int64_t>(Slots()));
}

TEST_F(CompactionTest, AYoungCollectionVisitsItsSlotsAndEightPerDeath) {
  heap_.Disable();
  constexpr int kOld = 100000;
  std::vector<gc::Ref<Node>> old;
  for (int k = 0; k < kOld; ++k) old.push_back(gc::Make<Node>());
  Collect();
  // Kill old objects until a compaction runs, then stop it early on.
  size_t i = 0;
  while (!Cursor().active) old[i++] = nullptr;
  ASSERT_LT(Cursor().read, size_t{1000});
  // Young garbage that also kills 100 old objects as it dies: 100 times
  // a 2-cycle of Nodes, one holding an old Node.
  std::vector<gc::Ref<Node>> young;
  for (int k = 0; k < 100; ++k) {
    gc::Ref<Node> a = gc::Make<Node>();
    gc::Ref<Node> b = gc::Make<Node>();
    a->parent = b;
    b->parent = a;
    a->children.push_back(std::move(old[i++]));
    young.push_back(std::move(a));
  }
  const gc::Ref<Link> survivor = gc::Make<Link>();
  young.clear();  // garbage now, its cycles need the collector
  const HeapState::Compaction before = Cursor();
  const size_t slots_before = Slots();
  const size_t young_begin = State().GenerationBegin(0);
  EXPECT_EQ(Collect(0), 200);
  // 200 young deaths, 100 old ones.
  EXPECT_LE(Visited(before, slots_before),
            300 * HeapState::kCompactionSlotsPerDeath);
  EXPECT_TRUE(Cursor().active);
  // The collected slots lost their tombstones at once: only the survivor is
  // left after the old generations.
  EXPECT_EQ(Slots(), young_begin + 1);
  EXPECT_EQ(State().lists[kListGenerations].back(), survivor.get());
}

TEST_F(CompactionTest, ObjectsKeepTheirGenerations) {
  heap_.Disable();
  std::vector<gc::Ref<Link>> gen2 = MakeLinks(30000);
  Collect();
  std::vector<gc::Ref<Link>> gen1 = MakeLinks(30000);
  Collect(0);
  std::vector<gc::Ref<Link>> gen0 = MakeLinks(30000);
  // Two of every three objects of each generation die, in turns, until a
  // compaction has gone past the start of generation 0.
  auto passed_young = [&] {
    return Cursor().active && Cursor().read > State().GenerationBegin(0);
  };
  for (size_t i = 0; i < 30000 && !passed_young(); i += 3) {
    for (auto* generation : {&gen2, &gen1, &gen0}) {
      (*generation)[i] = nullptr;
      (*generation)[i + 1] = nullptr;
    }
  }
  ASSERT_TRUE(passed_young());
  auto alive = [](const std::vector<gc::Ref<Link>>& links) {
    std::set<gc::Object*> out;
    for (const gc::Ref<Link>& link : links) {
      if (link != nullptr) out.insert(link.get());
    }
    return out;
  };
  EXPECT_EQ(Generation(2), alive(gen2));
  EXPECT_EQ(Generation(1), alive(gen1));
  EXPECT_EQ(Generation(0), alive(gen0));
  // A young collection first finishes a compaction that reached its slots,
  // and then examines no empty slot.
  gc::CollectionInfo seen;
  ScopedCallback callback(heap_,
                          [&](gc::Phase phase, const gc::CollectionInfo& info) {
                            if (phase == gc::Phase::kStop) seen = info;
                          });
  Collect(0);
  EXPECT_FALSE(Cursor().active);
  EXPECT_EQ(seen.candidates, static_cast<int64_t>(alive(gen0).size()));
  EXPECT_EQ(Generation(2), alive(gen2));
  std::set<gc::Object*> promoted = alive(gen1);
  promoted.merge(alive(gen0));
  EXPECT_EQ(Generation(1), promoted);
  EXPECT_EQ(Generation(0).size(), 0u);
}

// HoleEnd bounds the tombstones from above: a young collection whose slots
// hold none leaves them as they are (and the bound below them), one whose
// slots hold some drops them, and deaths raise it.
TEST_F(CompactionTest, HoleEndBoundsTheTombstones) {
  heap_.Disable();
  std::vector<gc::Ref<Link>> old = MakeLinks(1000);
  Collect();
  EXPECT_EQ(State().HoleEnd(kListGenerations), 0u);
  old[10] = nullptr;
  old[500] = nullptr;  // too few tombstones for a compaction
  EXPECT_EQ(State().HoleEnd(kListGenerations), 501u);
  std::vector<gc::Ref<Link>> young = MakeLinks(100);
  const size_t young_begin = State().GenerationBegin(0);
  const std::vector<gc::Object*> before = State().lists[kListGenerations];
  Collect(0);
  EXPECT_EQ(State().lists[kListGenerations], before);  // nothing slid
  EXPECT_EQ(State().HoleEnd(kListGenerations), 501u);
  // Young deaths: the next young collection drops their tombstones.
  std::vector<gc::Ref<Link>> newer = MakeLinks(100);
  const size_t newer_begin = State().GenerationBegin(0);
  newer[0] = nullptr;
  newer[50] = nullptr;
  EXPECT_EQ(State().HoleEnd(kListGenerations), newer_begin + 51);
  Collect(0);
  EXPECT_EQ(Slots(), newer_begin + 98);
  EXPECT_EQ(State().HoleEnd(kListGenerations), newer_begin);
  EXPECT_EQ(State().tombstones[kListGenerations], 2);
  EXPECT_EQ(State().lists[kListGenerations][10], nullptr);
  EXPECT_EQ(State().lists[kListGenerations][500], nullptr);
  EXPECT_EQ(young_begin, 1000u);
  // A full collection drops the rest.
  Collect();
  EXPECT_EQ(State().tombstones[kListGenerations], 0);
  EXPECT_EQ(State().HoleEnd(kListGenerations), 0u);
  EXPECT_EQ(Slots(), size_t{998 + 100 + 98});
}

}  // namespace
}  // namespace gc_test
