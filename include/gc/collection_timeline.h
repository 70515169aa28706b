// Copyright 2026 The cyclegc Authors.
//
// File: gc/collection_timeline.h
// -----------------------------------------------------------------------------
//
// `gc::CollectionTimeline` records every collection of a heap while it
// lives, automatic or by hand, and writes them as a Chrome trace (the Trace
// Event Format, JSON) that Perfetto UI (https://ui.perfetto.dev) and
// chrome://tracing open: one bar per collection, and a counter track with
// the live objects of each generation after it.
//
// Example:
//
//   gc::CollectionTimeline timeline(heap);   // records from now on
//   RunTheProgram();
//   absl::Status written = timeline.WriteChromeTrace("/tmp/gc_trace.json");
//   if (!written.ok()) std::fprintf(stderr, "%s\n",
//   written.ToString().c_str());
//
// The trace is `{"traceEvents": [...]}`: one complete event (`"ph": "X"`)
// per collection, named "collect generation G", whose `args` hold the
// generation, collected, uncollectable and candidates (objects examined)
// and the generation sizes afterwards; and one counter event (`"ph": "C"`,
// "live tracked objects") per collection with the sizes of generations 0,
// 1, 2 and of the permanent generation. `ts` and `dur` are microseconds
// since the timeline was made; `pid` is the process, `tid` the heap's id.
//
// Recording costs a collection callback: a few hundred nanoseconds and one
// `CollectionRecord` per collection. The generation sizes are counts the
// heap keeps anyway, not a walk of the heap.
//
// REQUIRES: the timeline does not outlive its heap (checked in debug builds:
// destroying the heap first fails loudly). Use it on the heap's thread.

#ifndef CYCLEGC_INCLUDE_GC_COLLECTION_TIMELINE_H_
#define CYCLEGC_INCLUDE_GC_COLLECTION_TIMELINE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gc/heap.h"

namespace gc {

namespace internal {
class HeapWatch;
}  // namespace internal

// One collection as the timeline saw it.
struct CollectionRecord {
  absl::Duration start;     // since the timeline was made
  absl::Duration duration;  // as CollectionInfo::duration
  int generation = 0;
  int64_t collected = 0;
  int64_t uncollectable = 0;
  int64_t candidates = 0;
  // Live tracked objects in generations 0, 1, 2 after the collection.
  std::array<int64_t, 3> generation_sizes{};
  int64_t permanent = 0;  // in the permanent (frozen) generation
};

class CollectionTimeline {
 public:
  // Records every collection of `heap` from now until destroyed.
  explicit CollectionTimeline(Heap& heap);
  CollectionTimeline(const CollectionTimeline&) = delete;
  CollectionTimeline& operator=(const CollectionTimeline&) = delete;
  ~CollectionTimeline();

  // The collections recorded so far, oldest first.
  const std::vector<CollectionRecord>& records() const { return records_; }

  // The trace as JSON text (see the file comment).
  std::string ChromeTraceJson() const;

  // Writes ChromeTraceJson() to `path` (replacing the file). A path that
  // cannot be written gives an error naming it and the reason; the
  // recording goes on either way.
  absl::Status WriteChromeTrace(std::string_view path) const;

 private:
  void OnCollection(Phase phase, const CollectionInfo& info);

  Heap& heap_;
  absl::Time origin_;
  absl::Duration pending_start_;
  std::vector<CollectionRecord> records_;
  std::unique_ptr<internal::HeapWatch> watch_;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_COLLECTION_TIMELINE_H_
