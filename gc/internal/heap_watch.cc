// Copyright 2026 The cyclegc Authors.

#include "gc/internal/heap_watch.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"

namespace gc::internal {

// Owned by the callback (copies of it share the guard); dies when the heap
// drops the callback.
struct HeapWatch::Guard {
  HeapWatch* watch;  // null once the watch removed the callback itself
  const char* what;

  ~Guard() {
    if (watch == nullptr) return;
#ifndef NDEBUG
    FatalError(absl::StrCat("gc::", what,
                            " outlived its gc::Heap (or its collection "
                            "callback was removed): destroy it before the "
                            "heap"));
#endif
    watch->heap_gone_ = true;
  }
};

HeapWatch::HeapWatch(Heap& heap, const char* what,
                     CollectionCallback on_collection)
    : heap_(&heap) {
  auto guard = std::make_shared<Guard>(Guard{nullptr, what});
  guard_ = guard.get();
  id_ = heap.AddCallback(  // if this throws, the guard dies unarmed
      [guard = std::move(guard), on_collection = std::move(on_collection)](
          Phase phase, const CollectionInfo& info) {
        if (on_collection) on_collection(phase, info);
      });
  guard_->watch = this;  // armed: the heap holds the callback
}

HeapWatch::~HeapWatch() {
  if (heap_gone_) return;
  guard_->watch = nullptr;  // what follows is no misuse
  heap_->RemoveCallback(id_);
}

}  // namespace gc::internal
