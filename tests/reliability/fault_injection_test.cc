// Copyright 2026 The cyclegc Authors.
//
// Fault injection: the heap's allocator throws std::bad_alloc at its n-th
// allocation, for every n of a scenario. gc::Make must report the failure to
// its caller and change nothing; a failure inside Finalize() is reported and
// dropped; afterwards the heap stays consistent (kDebugVerify around every
// collection), no live object is freed and, once every reference is
// dropped, nothing leaks and the allocator has no memory out.
//
// The scenarios are random programs (random_program.h), checked against the
// oracle after every operation, and one hand-written scenario.

#include <cstdint>
#include <cstdio>
#include <new>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/reliability/random_program.h"
#include "tests/test_types.h"

namespace gc_reliability {
namespace {

TEST(FaultInjectionTest, EveryAllocationOfRandomProgramsMayFail) {
  constexpr uint64_t kFirstSeed = 500'000;
  constexpr int kScenarios = 300;
  ProgramStats stats;
  int64_t points = 0;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kScenarios; ++seed) {
    const std::vector<uint8_t> bytes = ProgramForSeed(seed);
    ProgramStats clean;
    ASSERT_TRUE(RunProgram(bytes, &clean).ok()) << "seed " << seed;
    for (int64_t n = 1; n <= clean.allocations; ++n) {
      CrashContext context(absl::StrCat("random program seed ", seed,
                                        " failing allocation ", n));
      const absl::Status status =
          RunProgram(bytes, &stats, {.fail_allocation = n});
      ASSERT_TRUE(status.ok()) << "seed " << seed << ", allocation " << n
                               << " fails: " << status.message();
      ++points;
    }
  }
  std::printf("%lld failure points; %s\n", static_cast<long long>(points),
              stats.ToString().c_str());
  EXPECT_EQ(stats.failed_allocations, points);
  EXPECT_GT(points, 1000);
}

// Counts what is out; throws at allocation `fail_at`.
class FailingAllocator : public gc::Allocator {
 public:
  void* Allocate(std::size_t size) override {
    if (++allocations == fail_at) throw std::bad_alloc();
    ++outstanding;
    return ::operator new(size);
  }
  void Deallocate(void* memory) noexcept override {
    --outstanding;
    ::operator delete(memory);
  }
  int64_t fail_at = -1;
  int64_t allocations = 0;
  int64_t outstanding = 0;
};

int64_t constructed = 0;
int64_t destroyed = 0;

// A tracked node that counts its life; optionally resurrects once.
class Counted : public gc::Object {
 public:
  explicit Counted(bool resurrect = false) : resurrect_(resurrect) {
    ++constructed;
  }
  ~Counted() override { ++destroyed; }
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Counted>& edge : edges) visitor.Visit(edge);
  }
  void Finalize() override {
    if (resurrect_) saved.push_back(gc::Ref<Counted>(this));
  }
  static std::vector<gc::Ref<Counted>> saved;
  std::vector<gc::Ref<Counted>> edges;

 private:
  bool resurrect_;
};
std::vector<gc::Ref<Counted>> Counted::saved;

class Sink : public gc::Object {  // ordered destruction
 public:
  Sink() { ++constructed; }
  ~Sink() override { ++destroyed; }
  bool RequiresOrderedDestruction() const override { return ordered; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<gc::Object> next;
  bool ordered = true;
};

// Builds rings, a resurrecting cycle, an ordered cycle and weak references,
// collecting in between; every Make may be the one that fails.
void Scenario(gc::Heap& heap, std::vector<gc::Ref<Sink>>& sinks,
              int64_t& callbacks) {
  gc::Ref<Counted> keep = gc::Make<Counted>();
  gc::WeakRef<Counted> watch(keep,
                             [&](const gc::WeakRef<Counted>&) { ++callbacks; });
  for (int ring = 0; ring < 3; ++ring) {
    gc::Ref<Counted> first = gc::Make<Counted>(ring == 1);
    gc::Ref<Counted> last = first;
    for (int i = 0; i < 4; ++i) {
      last->edges.push_back(gc::Make<Counted>());
      last = last->edges.back();
    }
    last->edges.push_back(first);
    if (ring == 2) keep->edges.push_back(first);  // stays alive
    heap.Collect(ring % 3);
  }
  gc::Ref<Sink> sink = gc::Make<Sink>();
  sinks.push_back(sink);
  sinks.push_back(gc::Make<Sink>());
  sink->next = sinks.back();
  sinks.back()->next = sink;  // an ordered cycle
  heap.Collect();
  keep.reset();
  heap.Collect();
}

TEST(FaultInjectionTest, HandWrittenScenarioFailsAtEveryAllocation) {
  int64_t total = -1;
  for (int64_t n = 0; total < 0 || n <= total; ++n) {
    FailingAllocator allocator;
    allocator.fail_at = n == 0 ? -1 : n;
    constructed = destroyed = 0;
    int64_t callbacks = 0;
    {
      gc::Heap heap;
      ASSERT_TRUE(heap.SetAllocator(&allocator).ok());
      heap.SetDebug(gc::kDebugVerify);
      gc_test::Lines errors;
      heap.SetErrorReporter(errors.Sink());
      std::vector<gc::Ref<Sink>> sinks;
      bool failed = false;
      {
        gc::HeapScope scope(heap);
        try {
          Scenario(heap, sinks, callbacks);
        } catch (const std::bad_alloc&) {
          failed = true;
        }
        // Live objects are exactly those constructed and not destroyed.
        EXPECT_EQ(heap.LiveObjects(), constructed - destroyed) << "n=" << n;
        heap.Collect();  // verifies the heap
        for (gc::Ref<Sink>& sink : sinks) sink->ordered = false;
        sinks.clear();
        Counted::saved.clear();
        heap.Garbage().clear();
        heap.Collect();
        Counted::saved.clear();
        heap.Collect();
      }
      EXPECT_EQ(failed, n != 0) << "gc::Make must report allocation " << n;
      EXPECT_EQ(heap.LiveObjects(), 0) << "n=" << n;
      EXPECT_TRUE(errors.lines.empty()) << "n=" << n;
    }
    EXPECT_EQ(destroyed, constructed) << "n=" << n;
    EXPECT_EQ(allocator.outstanding, 0) << "n=" << n;
    if (n == 0) {
      total = allocator.allocations;
      EXPECT_EQ(callbacks, 1);
    }
  }
  EXPECT_GE(total, 18);
}

}  // namespace
}  // namespace gc_reliability
