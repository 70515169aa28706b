// Copyright 2026 The cyclegc Authors.
//
// Fault injection one level down: ::operator new itself (which the library
// uses for its lists, tables and the reaper's stack, and the default
// allocator for objects) throws std::bad_alloc at its n-th call while a
// scenario runs, for every n. The heap must stay consistent (kDebugVerify),
// free nothing live and leak nothing once the references are dropped.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

// Armed: the countdown-th ::operator new call from now throws. Failing:
// every call throws from then on, until `failing` is reset.
int64_t countdown = 0;
bool armed = false;
bool failing = false;

void* Allocate(std::size_t size) {
  if (armed && --countdown == 0) {
    armed = false;
    if (!failing) throw std::bad_alloc();
  }
  if (failing && !armed) throw std::bad_alloc();
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept {
  std::free(memory);
}

namespace gc_test {
namespace {

// A scenario that allocates objects and collects garbage rings; any
// ::operator new may fail. (Weak references and kDebugVerify have the tests
// below.)
void Scenario(gc::Heap& heap, Counters& counters) {
  gc::Ref<Link> keep = MakeRing(5, &counters);
  for (int i = 0; i < 3; ++i) {
    MakeRing(100, &counters);  // garbage at once
    heap.Collect(i);
  }
  keep.reset();
  heap.Collect();
}

TEST(GlobalOomTest, EveryOperatorNewMayFail) {
  int64_t failures = 0;
  for (int64_t n = 1; n < 100'000; ++n) {
    Counters counters;
    bool threw = false;
    {
      gc::Heap heap;
      Lines errors;
      heap.SetErrorReporter(errors.Sink());
      {
        gc::HeapScope scope(heap);
        countdown = n;
        armed = true;
        try {
          Scenario(heap, counters);
        } catch (const std::bad_alloc&) {
          threw = true;
        }
        const bool fired = !armed;
        armed = false;
        if (!fired) break;  // the scenario makes fewer than n allocations
        ++failures;
        heap.Collect();
        EXPECT_EQ(heap.LiveObjects(), 0) << "n=" << n;
      }
    }
    (void)threw;
  }
  // Small objects come from the heap's free lists, carved from 64 KiB
  // chunks, so only some allocations reach ::operator new here; the heap
  // allocator's own failures are covered by fault_injection_test.
  EXPECT_GT(failures, 10);
  std::printf("%lld failure points\n", static_cast<long long>(failures));
}

// A failed allocation while a weak reference is made (its entry in the
// heap's weak reference table) leaves the heap usable: the table is
// exception-safe (gc/internal/pointer_map.h). Each n fails the nth
// ::operator new of the weak reference's construction.
TEST(GlobalOomTest, FailedAllocationInWeakRefLeavesHeapUsable) {
  int64_t threw = 0;
  for (int64_t n = 1; n <= 4; ++n) {
    gc::Heap heap;
    gc::HeapScope scope(heap);
    gc::Ref<Link> target = gc::Make<Link>();
    countdown = n;
    armed = true;
    try {
      gc::WeakRef<Link> weak(target);
    } catch (const std::bad_alloc&) {
      ++threw;
    }
    armed = false;
    gc::WeakRef<Link> weak(target);  // the table is used again
    EXPECT_EQ(weak.Lock(), target);
    target.reset();
    EXPECT_TRUE(weak.expired());
  }
  EXPECT_GE(threw, 1);
}

// The same in gc::Make under kDebugVerify (which also records the object's
// size): whichever allocation fails, Make either succeeds or throws with
// nothing made, and the heap stays usable.
TEST(GlobalOomTest, FailedAllocationInMakeUnderVerifyLeavesHeapUsable) {
  int64_t threw = 0;
  for (int64_t n = 1; n <= 8; ++n) {
    gc::Heap heap;
    heap.SetDebug(gc::kDebugVerify);
    gc::HeapScope scope(heap);
    countdown = n;
    armed = true;
    try {
      gc::Make<Link>();
    } catch (const std::bad_alloc&) {
      ++threw;
    }
    armed = false;
    EXPECT_EQ(heap.LiveObjects(), 0);
    gc::Ref<Link> ring = MakeRing(3);
    ring.reset();
    EXPECT_EQ(heap.Collect(), 3);
  }
  EXPECT_GE(threw, 1);
}

// An error reporter that counts the lines containing `needle`. It allocates
// nothing, so it works while every allocation fails.
gc::TextSink CountLinesWith(std::string_view needle, int64_t* count) {
  return [needle, count](std::string_view line) {
    *count += line.find(needle) != std::string_view::npos;
  };
}

// Collects `heap` while only the first `allowed` ::operator new calls
// succeed.
void CollectFailingAfter(gc::Heap& heap, int64_t allowed) {
  failing = true;
  countdown = allowed + 1;
  armed = true;
  heap.Collect();
  failing = false;
  armed = false;
}

// An untracked object that counts its destruction and holds a tracked one.
class Payload : public gc::Object {
 public:
  explicit Payload(Counters* c) : counters(c), inner(gc::Make<Link>(c)) {}
  ~Payload() override { ++counters->destroyed; }
  Counters* counters;
  gc::Ref<Link> inner;
};

// A ring node that also holds an untracked payload. Its Trace reports the
// payload and the payload's own reference, in one batch: a payload that dies
// at once must not be read again through that second slot.
class Holder : public gc::Object {
 public:
  explicit Holder(Counters* c) : counters(c), payload(gc::Make<Payload>(c)) {}
  ~Holder() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(next);
    visitor.Visit(payload);
    if (payload != nullptr) visitor.Visit(payload->inner);
  }
  Counters* counters;
  gc::Ref<Holder> next;
  gc::Ref<Payload> payload;
};

// Breaking the cycles of a large garbage ring defers hundreds of deaths at
// once. When the reaper's stack cannot grow, no death is lost: each of the
// first `allowed` allocations of the collection succeeds, every later one
// fails, and still every object of the ring and its payloads is destroyed,
// by this collection or the next.
TEST(GlobalOomTest, DeathsDeferredWithoutMemoryAreNotLost) {
  constexpr int kRing = 300;
  for (int64_t allowed = 0; allowed < 64; ++allowed) {
    Counters counters;
    gc::Heap heap;
    Lines errors;
    heap.SetErrorReporter(errors.Sink());
    gc::HeapScope scope(heap);
    {
      gc::Ref<Holder> first = gc::Make<Holder>(&counters);
      gc::Ref<Holder> last = first;
      for (int i = 1; i < kRing; ++i) {
        last->next = gc::Make<Holder>(&counters);
        last = last->next;
      }
      last->next = first;
    }
    CollectFailingAfter(heap, allowed);
    heap.Collect();
    EXPECT_EQ(counters.destroyed, 3 * kRing) << "allowed=" << allowed;
    EXPECT_EQ(heap.LiveObjects(), 0) << "allowed=" << allowed;
  }
}

// Garbage with a weak reference takes the collector's full protocol, which
// needs room to move any of it back to the generations. Whichever allocation
// of the collection fails first (every later one fails too), the garbage is
// either all destroyed or all kept, intact, and the next collection with
// memory destroys it; the weak reference expires exactly when it goes.
TEST(GlobalOomTest, GarbageWithWeakRefsIsCollectedWholeOrKept) {
  constexpr int kRing = 300;
  int64_t kept = 0;
  for (int64_t allowed = 0; allowed < 32; ++allowed) {
    Counters counters;
    gc::Heap heap;
    int64_t oom_reports = 0;
    heap.SetErrorReporter(CountLinesWith("out of memory", &oom_reports));
    gc::HeapScope scope(heap);
    gc::WeakRef<Link> weak(MakeRing(kRing, &counters));
    CollectFailingAfter(heap, allowed);
    if (counters.destroyed == 0) {
      ++kept;
      EXPECT_FALSE(weak.expired()) << "allowed=" << allowed;
      EXPECT_EQ(oom_reports, 1) << "allowed=" << allowed;
      EXPECT_EQ(heap.LiveObjects(), kRing) << "allowed=" << allowed;
    } else {
      EXPECT_EQ(counters.destroyed, kRing) << "allowed=" << allowed;
      EXPECT_TRUE(weak.expired()) << "allowed=" << allowed;
    }
    heap.SetDebug(gc::kDebugVerify);
    heap.Collect();
    EXPECT_EQ(counters.destroyed, kRing) << "allowed=" << allowed;
    EXPECT_TRUE(weak.expired()) << "allowed=" << allowed;
    EXPECT_EQ(heap.LiveObjects(), 0) << "allowed=" << allowed;
  }
  EXPECT_GT(kept, 2);  // the collection needed memory at several points
}

// Holds a reference its Trace does not report (kDebugVerify warns).
class Hider : public gc::Object {
 public:
  void Trace(gc::Visitor&) override {}
  gc::Ref<Link> hidden;
};

// Under kDebugVerify a collection also checks every candidate for references
// hidden from Trace, building type names and sets as it warns. Out of memory
// that check is skipped and reported; it never escapes from Collect(), and
// nothing is collected wrongly.
TEST(GlobalOomTest, VerifierOutOfMemoryStaysInsideCollect) {
  int64_t skipped = 0;
  for (int64_t allowed = 0; allowed < 16; ++allowed) {
    Counters counters;
    gc::Heap heap;
    heap.SetDebug(gc::kDebugVerify);
    int64_t oom_reports = 0;
    heap.SetErrorReporter(CountLinesWith("out of memory", &oom_reports));
    gc::HeapScope scope(heap);
    gc::Ref<Hider> hider = gc::Make<Hider>();
    hider->hidden = gc::Make<Link>(&counters);
    MakeRing(10, &counters);  // garbage
    EXPECT_NO_THROW(CollectFailingAfter(heap, allowed))
        << "allowed=" << allowed;
    skipped += oom_reports;
    EXPECT_EQ(counters.destroyed == 0 || counters.destroyed == 10, true)
        << "allowed=" << allowed;
    heap.Collect();
    EXPECT_EQ(counters.destroyed, 10) << "allowed=" << allowed;
    ASSERT_NE(hider->hidden, nullptr);
    hider.reset();
    heap.Collect();
    EXPECT_EQ(counters.destroyed, 11) << "allowed=" << allowed;
    EXPECT_EQ(heap.LiveObjects(), 0) << "allowed=" << allowed;
  }
  EXPECT_GT(skipped, 0);
}

// A traced object whose Trace throws.
class ThrowingTrace : public gc::Object {
 public:
  void Trace(gc::Visitor&) override { throw std::runtime_error("no trace"); }
};

// A collection reports a throwing Trace by name ("exception in Trace() of
// <type address>"). Out of memory, building that name fails; the report
// falls back to a fixed text and nothing escapes from Collect().
TEST(GlobalOomTest, ThrowingTraceReportedOutOfMemoryStaysInsideCollect) {
  int64_t reports = 0;
  for (int64_t allowed = 0; allowed < 16; ++allowed) {
    gc::Heap heap;
    heap.SetErrorReporter(CountLinesWith("exception in", &reports));
    gc::HeapScope scope(heap);
    gc::Ref<ThrowingTrace> thrower = gc::Make<ThrowingTrace>();
    EXPECT_NO_THROW(CollectFailingAfter(heap, allowed))
        << "allowed=" << allowed;
    EXPECT_EQ(heap.LiveObjects(), 1) << "allowed=" << allowed;
  }
  EXPECT_GT(reports, 0);
}

// A node with many children: tracing it grows the collector's mark stack.
class Fan : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Link>& child : children) visitor.Visit(child);
  }
  std::vector<gc::Ref<Link>> children;
};

// When the mark stack cannot grow while a Trace reports edges, the
// collection keeps everything and says it ran out of memory (not that the
// Trace threw); nothing it examined is destroyed.
TEST(GlobalOomTest, MarkStackOutOfMemoryKeepsEverythingAndSaysSo) {
  constexpr int kChildren = 1000;
  int64_t oom_while_tracing = 0;
  for (int64_t allowed = 0; allowed < 8; ++allowed) {
    Counters counters;
    gc::Heap heap;
    int64_t trace_threw = 0;
    heap.SetErrorReporter([&](std::string_view line) {
      oom_while_tracing +=
          line.find("out of memory while tracing") != std::string_view::npos;
      trace_threw += line.find("exception in") != std::string_view::npos;
    });
    gc::HeapScope scope(heap);
    gc::Ref<Fan> fan = gc::Make<Fan>();
    fan->children.reserve(kChildren);
    for (int i = 0; i < kChildren; ++i) {
      fan->children.push_back(gc::Make<Link>(&counters));
    }
    heap.Collect();  // the mark stack's storage is given back after this
    CollectFailingAfter(heap, allowed);
    EXPECT_EQ(trace_threw, 0) << "allowed=" << allowed;
    EXPECT_EQ(counters.destroyed, 0) << "allowed=" << allowed;
    EXPECT_EQ(heap.LiveObjects(), kChildren + 1) << "allowed=" << allowed;
    fan.reset();
    heap.Collect();
    EXPECT_EQ(counters.destroyed, kChildren) << "allowed=" << allowed;
  }
  EXPECT_GT(oom_while_tracing, 0);
}

// Destroying heaps never allocates: a heap gives its id back into room
// reserved when the id was first given out. More heaps than the process has
// had at once so far, destroyed while every allocation fails.
TEST(GlobalOomTest, HeapsDestroyedWhileAllocationsFail) {
  std::vector<std::unique_ptr<gc::Heap>> heaps;
  heaps.reserve(2000);
  for (int i = 0; i < 2000; ++i) heaps.push_back(std::make_unique<gc::Heap>());
  failing = true;
  armed = false;
  heaps.clear();
  failing = false;
  gc::Heap heap;  // ids are handed out again
  gc::HeapScope scope(heap);
  EXPECT_EQ(heap.Collect(), 0);
}

}  // namespace
}  // namespace gc_test
