// Copyright 2026 The cyclegc Authors.
//
// File: gc/gc.h
// -----------------------------------------------------------------------------
//
// cyclegc: reference-counted managed objects, destroyed the moment their last
// reference goes, plus a generational cycle collector (CPython's design) that
// finds and frees the garbage cycles reference counting leaks. This header
// gives the whole public API:
//
//   gc/object.h     gc::Object, the base of managed types; RefCount
//   gc/ref.h        gc::Ref<T>, StaticRefCast, DynamicRefCast
//   gc/weak_ref.h   gc::WeakRef<T>
//   gc/visitor.h    gc::Visitor, what Trace reports edges to
//   gc/make.h       gc::Make<T>(args...)
//   gc/heap.h       gc::Heap, gc::HeapScope, collection callbacks and stats
//   gc/allocator.h  gc::Allocator, where a heap gets memory
//   gc/leak_hunt_types.h   gc::TypeCount, gc::TypeGrowth, gc::DotOptions
//   gc/growth_tracker.h    gc::GrowthTracker, what grows between looks
//   gc/collection_timeline.h  gc::CollectionTimeline, a Chrome trace
//   gc/scoped.h     gc::ScopedCallback, gc::ScopedReportSink
//   gc/function.h   gc::Function<Sig>, a callable whose Refs Trace sees
//   gc/handle.h     gc::Handle<T>, gc::Share: objects held by other threads
//   gc/isolate.h    gc::Isolate, gc::Isolated<T>: graphs moved between heaps
//
// Example:
//
//   #include "gc/gc.h"
//
//   class Node : public gc::Object {
//    public:
//     gc::Ref<Node> parent;
//     std::vector<gc::Ref<Node>> children;
//     void Trace(gc::Visitor& visitor) override {
//       visitor.Visit(parent);
//       for (gc::Ref<Node>& child : children) visitor.Visit(child);
//     }
//   };
//
//   gc::Ref<Node> root = gc::Make<Node>();
//   root->children.push_back(gc::Make<Node>());
//   root->children[0]->parent = root;   // a cycle
//   root.reset();                       // unreachable now
//   gc::Heap::Current().Collect();      // frees both nodes

#ifndef CYCLEGC_INCLUDE_GC_GC_H_
#define CYCLEGC_INCLUDE_GC_GC_H_

#include "gc/allocator.h"
#include "gc/collection_timeline.h"
#include "gc/growth_tracker.h"
#include "gc/function.h"
#include "gc/handle.h"
#include "gc/heap.h"
#include "gc/isolate.h"
#include "gc/leak_hunt_types.h"
#include "gc/make.h"
#include "gc/object.h"
#include "gc/ref.h"
#include "gc/scoped.h"
#include "gc/visitor.h"
#include "gc/weak_ref.h"

#endif  // CYCLEGC_INCLUDE_GC_GC_H_
