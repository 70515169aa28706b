// Copyright 2026 The cyclegc Authors.
//
// object_cost: what one managed object costs, in bytes and in time, next to
// std::make_shared. Each object holds three references to objects made before
// it (numbers i/2, i/3 and i/4: acyclic, and no long chains). Four kinds:
//   * untracked: a gc::Object without Trace, which the collector never sees;
//   * tracked: the same with a Trace, as every type that may form a cycle;
//   * tracked, collector off: the same with automatic collection disabled;
//   * std::make_shared: a struct of three std::shared_ptr.
//
// Bytes come from the allocators' own accounting, not from sizeof: managed
// objects from a counting gc::Allocator installed with Heap::SetAllocator,
// everything else (std::make_shared, the collector's generation lists) from
// this program's counting operator new. Both measure each block with
// malloc_usable_size, and both pay the same few nanoseconds per allocation
// for it, so the rates compare fairly. Rates are objects per second of this
// thread's CPU time, the best of three runs: on a busy machine, wall-clock
// rates would measure the other processes too.
//
//   bazel run -c opt //examples:object_cost [-- --large]

#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <vector>

#include "absl/strings/str_format.h"
#include "examples/example_util.h"
#include "gc/gc.h"

// Every operator new of this program, counted. Never destroyed, so that it
// works during static destruction too.
example::CountingAllocator& OperatorNew() {
  alignas(example::CountingAllocator) static unsigned char
      storage[sizeof(example::CountingAllocator)];
  static example::CountingAllocator* const counter =
      ::new (storage) example::CountingAllocator();
  return *counter;
}
void* operator new(std::size_t size) {
  return OperatorNew().Allocate(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* memory) noexcept {
  if (memory != nullptr) OperatorNew().Deallocate(memory);
}
void operator delete[](void* memory) noexcept { ::operator delete(memory); }
void operator delete(void* memory, std::size_t) noexcept {
  ::operator delete(memory);
}
void operator delete[](void* memory, std::size_t) noexcept {
  ::operator delete(memory);
}

namespace {

class Untracked : public gc::Object {  // no Trace: never tracked
 public:
  Untracked(gc::Ref<Untracked> a, gc::Ref<Untracked> b, gc::Ref<Untracked> c)
      : a(std::move(a)), b(std::move(b)), c(std::move(c)) {}
  gc::Ref<Untracked> a, b, c;
};

class Tracked : public gc::Object {
 public:
  Tracked(gc::Ref<Tracked> a, gc::Ref<Tracked> b, gc::Ref<Tracked> c)
      : a(std::move(a)), b(std::move(b)), c(std::move(c)) {}
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(a);
    visitor.Visit(b);
    visitor.Visit(c);
  }
  gc::Ref<Tracked> a, b, c;
};

struct Shared {
  std::shared_ptr<Shared> a, b, c;
};

// What making `objects` objects took, from the two counting allocators.
struct Cost {
  int64_t objects = 0;
  int64_t new_requested = 0;   // by operator new while creating
  int64_t new_live = 0;        // operator new blocks still held after it
  int64_t heap_requested = 0;  // by the heap's allocator (managed kinds)
  int64_t heap_live = 0;
  int64_t collections = 0;  // automatic, while creating
  absl::Duration create, destroy;
};

// Makes `n` objects with `make_one(a, b, c)`, object i referring to objects
// i/2, i/3 and i/4; measures; then drops them all.
template <typename Handle, typename MakeOne>
Cost CreateAndDrop(int64_t n, MakeOne make_one,
                   const example::CountingAllocator* heap_allocator = nullptr,
                   const gc::Heap* heap = nullptr) {
  Cost cost;
  cost.objects = n;
  std::vector<Handle> objects;
  objects.reserve(n);  // before counting: the handles are not the objects
  const int64_t requested_before = OperatorNew().requested_bytes();
  const int64_t live_before = OperatorNew().live_bytes();
  example::CpuStopwatch create;
  objects.push_back(make_one(Handle(), Handle(), Handle()));
  for (int64_t i = 1; i < n; ++i) {
    objects.push_back(make_one(objects[i / 2], objects[i / 3], objects[i / 4]));
  }
  cost.create = create.Elapsed();
  cost.new_requested = OperatorNew().requested_bytes() - requested_before;
  cost.new_live = OperatorNew().live_bytes() - live_before;
  if (heap_allocator != nullptr) {
    cost.heap_requested = heap_allocator->requested_bytes();
    cost.heap_live = heap_allocator->live_bytes();
  }
  if (heap != nullptr) {
    for (const gc::GenerationStats& g : heap->GetStats()) {
      cost.collections += g.collections;
    }
  }
  example::CpuStopwatch destroy;
  objects = {};
  cost.destroy = destroy.Elapsed();
  return cost;
}

template <typename T>
Cost ManagedCost(int64_t n, bool collector_on) {
  // [START counting_heap]
  example::CountingAllocator allocator;  // outlives the heap's objects
  gc::Heap heap;
  gc::HeapScope scope(heap);  // gc::Make allocates on `heap` in this scope
  if (!heap.SetAllocator(&allocator).ok()) std::abort();  // before any object
  // [END counting_heap]
  if (!collector_on) heap.Disable();
  return CreateAndDrop<gc::Ref<T>>(
      n,
      [](gc::Ref<T> a, gc::Ref<T> b, gc::Ref<T> c) {
        return gc::Make<T>(std::move(a), std::move(b), std::move(c));
      },
      &allocator, &heap);
}

Cost SharedCost(int64_t n) {
  using Handle = std::shared_ptr<Shared>;
  return CreateAndDrop<Handle>(n, [](Handle a, Handle b, Handle c) {
    return std::make_shared<Shared>(
        Shared{std::move(a), std::move(b), std::move(c)});
  });
}

// The fastest of three runs of `measure` (the bytes are the same each time).
template <typename Measure>
Cost BestOfThree(Measure measure) {
  Cost best = measure();
  for (int run = 1; run < 3; ++run) {
    const Cost cost = measure();
    best.create = std::min(best.create, cost.create);
    best.destroy = std::min(best.destroy, cost.destroy);
  }
  return best;
}

std::string PerObject(int64_t bytes, int64_t objects) {
  return absl::StrFormat("%.1f B", static_cast<double>(bytes) / objects);
}

void AddRow(example::Table& table, const char* kind, std::size_t size,
            const Cost& cost) {
  const bool managed = cost.heap_requested > 0;
  const double n = static_cast<double>(cost.objects);
  table.AddRow(
      {kind, example::Count(cost.objects), absl::StrFormat("%d B", size),
       PerObject(managed ? cost.heap_requested : cost.new_requested,
                 cost.objects),
       PerObject(managed ? cost.heap_live : cost.new_live, cost.objects),
       managed ? PerObject(cost.new_live, cost.objects) : "-",
       example::PerSecond(n / absl::ToDoubleSeconds(cost.create)),
       example::PerSecond(n / absl::ToDoubleSeconds(cost.destroy)),
       example::Count(cost.collections)});
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false;
  example::ParseFlags(argc, argv, "object_cost: what one managed object costs.",
                      {{"--large", "also make 10,000,000 objects", &large}});
  std::vector<int64_t> sizes = {100'000, 1'000'000};
  if (large) sizes.push_back(10'000'000);
  example::Table table({"kind", "objects", "sizeof", "allocated",
                        "malloc block", "lists", "created", "destroyed",
                        "collections"});
  for (int64_t n : sizes) {
    AddRow(table, "untracked gc::Object", sizeof(Untracked),
           BestOfThree([n] { return ManagedCost<Untracked>(n, true); }));
    AddRow(table, "tracked gc::Object", sizeof(Tracked),
           BestOfThree([n] { return ManagedCost<Tracked>(n, true); }));
    AddRow(table, "tracked, collector off", sizeof(Tracked),
           BestOfThree([n] { return ManagedCost<Tracked>(n, false); }));
    AddRow(table, "std::make_shared", sizeof(Shared),
           BestOfThree([n] { return SharedCost(n); }));
  }
  example::PrintHeading("object_cost: one object holding three references");
  table.Print();
  example::PrintNote(
      "Per object. sizeof: the C++ type; allocated: what its allocation "
      "asked for (collector header or shared_ptr control block included); "
      "malloc block: the usable size malloc gave it; lists: the collector's "
      "other memory (its generation lists), net. created, destroyed: objects "
      "per second of CPU time, the best of three runs. collections: "
      "automatic ones while creating.");
  return 0;
}
