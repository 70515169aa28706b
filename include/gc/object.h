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
// Tracked objects carry 8 more bytes in front of the object (`GcHeader`,
// gc/internal/gc_header.h): their slot in the generation that holds them and
// the collector's scratch count. Bookkeeping beyond the vtable pointer is
// thus 8 bytes for untracked objects and 16 bytes for tracked ones.
//
//   | bits   | name              | meaning                                  |
//   |--------|-------------------|------------------------------------------|
//   | 0..2   | list              | which heap list holds it (0 = untracked) |
//   | 3      | kHasHeader        | allocated with a GcHeader (traced type)  |
//   | 4      | kHasWeak          | weak references point at it              |
//   | 5      | kFinalized        | Finalize() has run                       |
//   | 6      | kDying            | refcount reached zero; being destroyed   |
//   | 7      | kManaged          | created by gc::Make                      |
//   | 8      | kHasFinalizer     | its type overrides Finalize()            |
//   | 9      | kMayRequireOrder  | its type overrides RequiresOrdered...()  |
//   | 10     | kMarked           | collector scratch mark                   |
//   | 11     | kWidePrefix       | GcHeader padded to 16 bytes (alignment)  |
//   | 12..15 | size class        | heap free list it came from (0: none)    |
//   | 16..31 | heap id           | index of its heap in the heap registry   |

#ifndef CYCLEGC_INCLUDE_GC_OBJECT_H_
#define CYCLEGC_INCLUDE_GC_OBJECT_H_

#include <cstdint>

#include "absl/base/optimization.h"
#include "gc/config.h"  // first gc header: stops below C++20

namespace gc {

class Object;
class Visitor;

namespace internal {

// Which list of its heap holds a tracked object (bits 0..2).
enum ListId : uint32_t {
  kListNone = 0,         // untracked
  kListGenerations = 1,  // generations 2, 1 and 0, as consecutive segments
  kListBorn = 2,         // made during a collection; generation 0 after it
  kListPermanent = 3,    // frozen
  kListUnreachable = 4,  // garbage found by the running collection
};
inline constexpr int kNumLists = 5;
inline constexpr uint32_t kListMask = 0x7;
inline constexpr uint32_t kHasHeader = 1u << 3;
inline constexpr uint32_t kHasWeak = 1u << 4;
inline constexpr uint32_t kFinalized = 1u << 5;
inline constexpr uint32_t kDying = 1u << 6;
inline constexpr uint32_t kManaged = 1u << 7;
inline constexpr uint32_t kHasFinalizer = 1u << 8;
inline constexpr uint32_t kMayRequireOrder = 1u << 9;
inline constexpr uint32_t kMarked = 1u << 10;
inline constexpr uint32_t kWidePrefix = 1u << 11;
inline constexpr int kSizeClassShift = 12;
inline constexpr uint32_t kSizeClassMask = 0xfu << kSizeClassShift;
inline constexpr int kHeapIdShift = 16;
inline constexpr uint32_t kHeapIdMask = 0xffffu << kHeapIdShift;

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
  // exactly once. A type that does not override `Trace` is untracked.
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
