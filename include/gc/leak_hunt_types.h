// Copyright 2026 The cyclegc Authors.
//
// File: gc/leak_hunt_types.h
// -----------------------------------------------------------------------------
//
// The plain values that the leak-hunting calls of `gc::Heap` return or take:
// `gc::TypeCount` (`Heap::CountByType`), `gc::TypeGrowth`
// (`gc::GrowthTracker::Update`) and `gc::DotOptions` (`Heap::ToDot`).
//
// Example:
//
//   for (const gc::TypeCount& row : heap.CountByType()) {
//     std::printf("%-20s %8lld %10lld B\n", row.type_name.c_str(),
//                 (long long)row.count, (long long)row.bytes);
//   }
//   absl::StatusOr<std::string> dot =
//       heap.ToDot({x}, gc::DotOptions{.depth = 3, .referrers = false});

#ifndef CYCLEGC_INCLUDE_GC_LEAK_HUNT_TYPES_H_
#define CYCLEGC_INCLUDE_GC_LEAK_HUNT_TYPES_H_

#include <cstdint>
#include <string>

#include "gc/object.h"

namespace gc {

// The demangled C++ name of `object`'s dynamic type, as CountByType and the
// heap's reports name it (e.g. "app::Node").
std::string TypeNameOf(const Object& object);

// The live tracked objects of one type (`Heap::CountByType`).
struct TypeCount {
  std::string type_name;  // the demangled C++ name, e.g. "app::Node"
  int64_t count = 0;      // objects
  int64_t bytes = 0;      // what their allocations asked for, GcHeader included
};

// A type whose count rose (`GrowthTracker::Update`).
struct TypeGrowth {
  std::string type_name;
  int64_t count = 0;  // objects now
  int64_t delta = 0;  // the rise since the tracker last looked (> 0)
};

// What `Heap::ToDot` draws. The picture holds the given objects and the
// tracked objects within `depth` edges of them, following the directions
// asked for, at most `max_nodes` of them.
struct DotOptions {
  int depth = 2;            // edges from the given objects; >= 0
  bool referents = true;    // follow what an object's Trace visits
  bool referrers = true;    // follow the tracked objects that hold it
  int64_t max_nodes = 500;  // >= 1; the picture says when it was cut
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_LEAK_HUNT_TYPES_H_
