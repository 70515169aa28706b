// Copyright 2026 The cyclegc Authors.
//
// The per-heap free lists (include/gc/internal/heap_core.h,
// gc/internal/chunks.h): chunks that become entirely free go back to the
// system, and under `--config=asan_pool` a free block is poisoned.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gc/gc.h"
#include "gc/internal/heap_state.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using gc::internal::ChunkPool;
using gc::internal::HeapState;

// Whether small objects come from the free lists in this build (plain ASan
// builds give each object its own allocation).
constexpr bool kPooled = gc::internal::SizeClassFor(32) != 0;

int64_t Chunks(gc::Heap& heap) {
  return HeapState::FromHeap(heap)->chunks.count;
}

// The process's resident set, in KiB (VmRSS).
int64_t RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// `pairs` garbage 2-cycles of Links, made with automatic collection off.
void MakeGarbageCycles(gc::Heap& heap, int pairs) {
  heap.Disable();
  for (int i = 0; i < pairs; ++i) {
    gc::Ref<Link> a = gc::Make<Link>();
    gc::Ref<Link> b = gc::Make<Link>();
    a->next = b;
    b->next = a;
  }
  heap.Enable();
}

TEST(FreeListTest, EntirelyFreeChunksGoBackAfterASpike) {
  if (!kPooled) GTEST_SKIP() << "this build pools nothing";
  gc::Heap heap;
  gc::HeapScope scope(heap);
  std::vector<gc::Ref<Leaf>> leaves;
  for (int i = 0; i < 1000; ++i) leaves.push_back(gc::Make<Leaf>());
  const int64_t chunks_before = Chunks(heap);
  const int64_t rss_before = RssKb();
  MakeGarbageCycles(heap, 500000);  // 1,000,000 tracked objects
  const int64_t chunks_peak = Chunks(heap);
  const int64_t rss_peak = RssKb();
  EXPECT_EQ(heap.Collect(), 1000000);
  // Each later full collection unmaps up to kMostReleased of the chunks no
  // allocation needed since the one before.
  const int64_t chunks_freed = Chunks(heap);
  for (int i = 0; i < 4; ++i) heap.Collect();
  EXPECT_EQ(chunks_freed, chunks_peak);  // not unmapped while still needed
  const int64_t chunks_after = Chunks(heap);
  const int64_t rss_after = RssKb();
  std::printf(
      "chunks %lld -> %lld -> %lld; RSS %lld -> %lld -> %lld KiB\n",
      static_cast<long long>(chunks_before),
      static_cast<long long>(chunks_peak), static_cast<long long>(chunks_after),
      static_cast<long long>(rss_before), static_cast<long long>(rss_peak),
      static_cast<long long>(rss_after));
  EXPECT_GT(chunks_peak, chunks_before + 100);
  // The spares, and the chunk the Links' size class allocates from.
  EXPECT_LE(chunks_after, chunks_before + ChunkPool::kSpareChunks + 1);
#if !defined(__SANITIZE_ADDRESS__)
  // At least 80% of the spike's growth went back to the system. (Exact
  // figures depend on malloc; bench/rss_spike prints them.)
  EXPECT_LE(rss_after - rss_before, (rss_peak - rss_before) / 5);
#endif
  for (const gc::Ref<Leaf>& leaf : leaves) ASSERT_NE(leaf, nullptr);
}

TEST(FreeListTest, ChunksWithLiveObjectsStayAndServeAgain) {
  if (!kPooled) GTEST_SKIP() << "this build pools nothing";
  gc::Heap heap;
  gc::HeapScope scope(heap);
  std::vector<gc::Ref<Leaf>> leaves;
  for (int i = 0; i < 100000; ++i) leaves.push_back(gc::Make<Leaf>());
  const int64_t chunks_full = Chunks(heap);
  // Keep one object in 50: every chunk keeps some.
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (i % 50 != 0) leaves[i] = nullptr;
  }
  EXPECT_EQ(Chunks(heap), chunks_full);
  // Their free blocks serve new objects before any new chunk is mapped.
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (i % 50 != 0) leaves[i] = gc::Make<Leaf>();
  }
  EXPECT_EQ(Chunks(heap), chunks_full);
  leaves.clear();
  EXPECT_EQ(Chunks(heap), chunks_full);  // spares, kept until collections
  heap.Collect();  // from here on, spares no allocation needs go back
  heap.Collect();
  EXPECT_LE(Chunks(heap), ChunkPool::kSpareChunks + 1);
}

#if defined(CYCLEGC_POISON_FREE_BLOCKS)
TEST(FreeListDeathTest, TouchingAFreeBlockIsReported) {
  gc::Heap heap;
  gc::HeapScope scope(heap);
  gc::Ref<Leaf> keep = gc::Make<Leaf>();  // the chunk stays mapped
  gc::Ref<Leaf> leaf = gc::Make<Leaf>();
  Leaf* stale = leaf.get();
  leaf = nullptr;  // its block is free (and poisoned)
  EXPECT_DEATH(
      {
        volatile int* payload = &stale->payload;
        std::printf("%d\n", *payload);
      },
      "use-after-poison");
}
#endif

}  // namespace
}  // namespace gc_test
