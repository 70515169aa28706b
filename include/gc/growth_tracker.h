// Copyright 2026 The cyclegc Authors.
//
// File: gc/growth_tracker.h
// -----------------------------------------------------------------------------
//
// `gc::GrowthTracker` answers "what grows?" (objgraph's show_growth): each
// `Update()` lists the types whose number of live tracked objects rose since
// the tracker last looked, largest rise first.
//
// Example:
//
//   gc::GrowthTracker growth(heap);          // first look: now
//   RunOneRound();
//   for (const gc::TypeGrowth& g : growth.Update()) {
//     std::printf("%s %lld (+%lld)\n", g.type_name.c_str(),
//                 (long long)g.count, (long long)g.delta);
//   }
//
// The tracker holds no references (it remembers counts by type name), so it
// never keeps an object alive. Types that shrank or stayed are not listed.
// Each look is a census (`Heap::CountByType`): linear in the tracked objects.
//
// REQUIRES: the tracker does not outlive its heap (checked in debug builds:
// destroying the heap first fails loudly). Use it on the heap's thread.

#ifndef CYCLEGC_INCLUDE_GC_GROWTH_TRACKER_H_
#define CYCLEGC_INCLUDE_GC_GROWTH_TRACKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gc/heap.h"
#include "gc/leak_hunt_types.h"

namespace gc {

namespace internal {
class HeapWatch;
}  // namespace internal

class GrowthTracker {
 public:
  // Takes the first look now.
  explicit GrowthTracker(Heap& heap);
  GrowthTracker(const GrowthTracker&) = delete;
  GrowthTracker& operator=(const GrowthTracker&) = delete;
  ~GrowthTracker();

  // Looks again: the types whose count rose since the last look, largest
  // rise first (ties by name). The next Update compares with this look.
  std::vector<TypeGrowth> Update();

 private:
  Heap& heap_;
  std::unique_ptr<internal::HeapWatch> watch_;
  absl::flat_hash_map<std::string, int64_t> last_;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_GROWTH_TRACKER_H_
