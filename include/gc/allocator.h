// Copyright 2026 The cyclegc Authors.
//
// File: gc/allocator.h
// -----------------------------------------------------------------------------
//
// `gc::Allocator` is where a heap gets the memory of its objects. By default
// a heap uses `::operator new` and `::operator delete`; a heap can be given
// another allocator (a size-class allocator, an arena, a counting or failing
// allocator for tests) with `gc::Heap::SetAllocator` while it holds no object.
//
// Example:
//
//   class CountingAllocator : public gc::Allocator {
//    public:
//     void* Allocate(std::size_t size) override {
//       ++allocations;
//       return ::operator new(size);
//     }
//     void Deallocate(void* memory) noexcept override {
//       ::operator delete(memory);
//     }
//     int64_t allocations = 0;
//   };

#ifndef CYCLEGC_INCLUDE_GC_ALLOCATOR_H_
#define CYCLEGC_INCLUDE_GC_ALLOCATOR_H_

#include <cstddef>

#include "gc/config.h"  // first gc header: stops below C++20

namespace gc {

class Allocator {
 public:
  virtual ~Allocator() = default;

  // Returns `size` bytes aligned for any fundamental type, or throws
  // (`std::bad_alloc` or any other exception): `gc::Make` then destroys
  // nothing, changes nothing, and rethrows to its caller.
  virtual void* Allocate(std::size_t size) = 0;

  // Frees memory returned by `Allocate`. Runs inside object destruction:
  // must not throw, and must not touch managed objects.
  virtual void Deallocate(void* memory) noexcept = 0;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_ALLOCATOR_H_
