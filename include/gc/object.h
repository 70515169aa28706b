// Copyright 2026 The cyclegc Authors.
//
// File: gc/object.h
// -----------------------------------------------------------------------------
//
// `gc::Object` is the base class of every managed type. A managed object is
// reference counted: it is destroyed the moment its last `gc::Ref` goes. A type
// that can take part in a reference cycle reports its strong edges by
// overriding `Trace`; such a type is *tracked* by its heap's cycle collector.
// A type that does not override `Trace` can never be part of a cycle, is not
// tracked, and pays nothing for the collector beyond its reference count.
//
// Example:
//
//   class Node : public gc::Object {
//    public:
//     gc::Ref<Node> parent;                 // strong edge
//     std::vector<gc::Ref<Node>> children;  // strong edges
//     void Trace(gc::Visitor& visitor) override {
//       visitor.Visit(parent);
//       for (gc::Ref<Node>& child : children) visitor.Visit(child);
//     }
//   };
//
//   gc::Ref<Node> root = gc::Make<Node>();
//
// Acyclic types. A traced type whose objects can never be on a cycle of
// strong references (a tree whose back pointers are `gc::WeakRef`s, say)
// may promise so, and is then not tracked: the collector never examines
// its objects, which cost what a `std::shared_ptr`'s do (a reference count,
// and a weak cell once weakly referenced). Its `Trace` still serves
// `gc::Isolate`, which moves what it reaches.
//
//   class TreeNode : public gc::Object {
//    public:
//     static constexpr bool kAcyclic = true;  // the promise
//     gc::WeakRef<TreeNode> parent;             // weak: no cycle upward
//     std::vector<gc::Ref<TreeNode>> children;  // strong, downward only
//     void Trace(gc::Visitor& visitor) override {
//       for (gc::Ref<TreeNode>& child : children) visitor.Visit(child);
//     }
//   };
//
// A cycle through objects of acyclic types breaks the promise: it is never
// collected (reference counting alone cannot free it), exactly like a cycle
// of `std::shared_ptr`s; nothing is freed while referenced. Such objects
// count in `Heap::LiveObjects()` but, untracked, are not listed by the
// introspection and leak-hunting calls, and `Finalize` (which runs on
// cyclic garbage) never runs for them. A type derived
// from an acyclic one inherits the promise and may take it back with
// `static constexpr bool kAcyclic = false;`. `kAcyclic` must be a
// `static constexpr bool` (gc::Make checks it at compile time).
//
// Managed objects are created only by `gc::Make<T>(...)`; they have identity
// and are neither copyable nor movable. A tracked type must derive from
// `gc::Object` through its first (or only) base class, so that the collector's
// per-object header sits right before the `gc::Object` subobject.
//
// Object header layout (all objects; the vtable pointer comes first):
//
//   | bytes | field     | meaning                                          |
//   |-------|-----------|--------------------------------------------------|
//   | 0..3  | refcount  | strong references (`gc::Ref`s) to the object      |
//   | 4..7  | bits      | see the bit table below                          |
//
// Traced objects carry 8 more bytes in front of the object (`GcHeader`,
// gc/internal/gc_header.h): their slot in the generation that holds them and
// the collector's scratch count (for an acyclic type: unused but for the
// weak cell's index). Bookkeeping beyond the vtable pointer is thus 8 bytes
// for objects of types without `Trace` and 16 bytes for traced ones. The
// bits are the library's (gc/internal/object_bits.h has their layout).

#ifndef CYCLEGC_INCLUDE_GC_OBJECT_H_
#define CYCLEGC_INCLUDE_GC_OBJECT_H_

#include <cstdint>

#include "absl/base/optimization.h"
#include "gc/config.h"  // first gc header: stops below C++20
#include "gc/internal/header_bits.h"

namespace gc {

class Object;
class Visitor;

namespace internal {

// Bits that `gc::Make` hands to the `gc::Object` constructor it is about to
// run (0 outside `gc::Make`: such an object is not managed).
extern constinit thread_local uint32_t tls_pending_bits;

// Called when a reference count reaches zero: destroys the object (deferred
// while another destruction is running on this thread).
void Release(Object* object);
[[noreturn]] void RefCountOverflow(const Object* object);
// Fails loudly unless this thread owns the heap of the tracked `object`
// (debug builds only; see gc/internal/owner.h).
void CheckRefOwner(const Object* object);
// Checks that `object` may be given a new strong reference from a raw
// pointer (managed, not being destroyed); fails loudly otherwise.
void CheckAdoptable(const Object* object);
// Unlinks weak references left on an object whose constructor threw.
void DetachWeakRefsOnUnwind(Object* object);

// The library's access to an object's header. Not for users.
struct ObjectAccess {
  static uint32_t& Bits(Object& o);
  static uint32_t Bits(const Object& o);
  static uint32_t& RefCountField(Object& o);
  static uint32_t RefCountField(const Object& o);
  static void IncRef(Object* o);
  static void DecRef(Object* o);
};

}  // namespace internal

// The base of every managed type. See the file comment.
class Object {
 public:
  Object() noexcept;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  // Runs when the last strong reference goes, or when the collector breaks a
  // garbage cycle (then some `gc::Ref` members may already be null).
  virtual ~Object();

  // Reports every strong `gc::Ref` this object owns to `visitor`, each
  // exactly once. A type that does not override `Trace` is untracked (so is
  // one that promises acyclic: see "Acyclic types" above).
  //
  // REQUIRES: only calls `visitor.Visit(...)`. Trace must not allocate,
  // drop references or call into the heap; the collector calls it while it
  // counts references and again to break garbage cycles (the visitor then
  // resets each visited reference). Exceptions are caught and reported; the
  // collection then keeps every object it was examining.
  virtual void Trace(Visitor& visitor);

  // Runs at most once per object, on cyclic garbage, before any reference of
  // that garbage is reset (PEP 442). It may resurrect the object by storing
  // a `gc::Ref<T>(this)` somewhere reachable. Exceptions are reported through
  // the heap's error reporter and dropped.
  virtual void Finalize();

  // True for an object whose destructor uses what it references: the
  // collector never breaks a garbage cycle through it; it appends such an
  // object and everything it reaches to `gc::Heap::Garbage()` instead.
  virtual bool RequiresOrderedDestruction() const;

 private:
  friend struct internal::ObjectAccess;

  uint32_t refcount_ = 1;  // the reference that gc::Make hands out
  uint32_t bits_;
};

// The current number of strong references to `object`.
inline int64_t RefCount(const Object& object) {
  return internal::ObjectAccess::RefCountField(object);
}

// True once `object`'s `Finalize()` has run.
bool IsFinalized(const Object& object);

// True while `object` is tracked by its heap's cycle collector.
bool IsTracked(const Object& object);

// --- Implementation details --------------------------------------------------

inline Object::Object() noexcept : bits_(internal::tls_pending_bits) {
  internal::tls_pending_bits = 0;
}

namespace internal {

inline uint32_t& ObjectAccess::Bits(Object& o) { return o.bits_; }
inline uint32_t ObjectAccess::Bits(const Object& o) { return o.bits_; }
inline uint32_t& ObjectAccess::RefCountField(Object& o) { return o.refcount_; }
inline uint32_t ObjectAccess::RefCountField(const Object& o) {
  return o.refcount_;
}
inline void ObjectAccess::IncRef(Object* o) {
#ifndef NDEBUG
  if ((o->bits_ & kHasHeader) != 0) CheckRefOwner(o);
#endif
  if (ABSL_PREDICT_FALSE(++o->refcount_ == 0)) RefCountOverflow(o);
}
inline void ObjectAccess::DecRef(Object* o) {
#ifndef NDEBUG
  if ((o->bits_ & kHasHeader) != 0) CheckRefOwner(o);
#endif
  if (--o->refcount_ == 0) Release(o);
}

}  // namespace internal
}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_OBJECT_H_
