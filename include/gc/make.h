// Copyright 2026 The cyclegc Authors.
//
// File: gc/make.h
// -----------------------------------------------------------------------------
//
// `gc::Make<T>(args...)` creates a managed object on the current heap
// (`gc::Heap::Current()`) and returns the only strong reference to it.
//
// Example:
//
//   gc::Ref<Node> node = gc::Make<Node>(42);
//
// If `T` overrides `Trace`, the object is tracked: it enters generation 0,
// `count[0]` grows by one, and an automatic collection may run before `Make`
// returns (the new object is referenced and survives it). Otherwise, or if
// `T` promises acyclic (`static constexpr bool kAcyclic = true`, see
// gc/object.h), it is untracked and costs a reference count only.
//
// `Make` reports failure to its caller: an exception thrown by the heap's
// allocator or by `T`'s constructor propagates, and nothing is leaked or
// tracked.
//
// REQUIRES: `T` derives from `gc::Object` (a tracked `T` through its first
// base class, which `Make` checks). A `Trace` that `T` declares must override
// `gc::Object::Trace`, `void Trace(gc::Visitor&)`: one with another
// signature (`const`, another parameter) would leave the object tracked but
// never traced, so `Make` rejects it at compile time. In debug builds (no
// NDEBUG) `Make` fails loudly when the current heap belongs to another thread.

#ifndef CYCLEGC_INCLUDE_GC_MAKE_H_
#define CYCLEGC_INCLUDE_GC_MAKE_H_

#include <new>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "gc/internal/gc_header.h"
#include "gc/internal/heap_core.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {
namespace internal {

// A type overrides a virtual member when `&T::member` names a member of a
// class other than `gc::Object`.
template <typename T>
constexpr bool kIsTraced =
    !std::is_same_v<decltype(&T::Trace), void (Object::*)(Visitor&)>;
// A type promises acyclic with `static constexpr bool kAcyclic = true`
// (gc/object.h); a derived type may take the promise back with false.
template <typename T>
constexpr bool kIsAcyclic = [] {
  if constexpr (requires { T::kAcyclic; }) {
    static_assert(std::is_same_v<std::remove_cv_t<decltype(T::kAcyclic)>,
                                 bool>,
                  "gc::Make<T>: T::kAcyclic must be a static constexpr bool");
    return T::kAcyclic;
  } else {
    return false;
  }
}();
template <typename T>
constexpr bool kHasFinalizerOverride =
    !std::is_same_v<decltype(&T::Finalize), void (Object::*)()>;
template <typename T>
constexpr bool kHasOrderOverride =
    !std::is_same_v<decltype(&T::RequiresOrderedDestruction),
                    bool (Object::*)() const>;

// True for `&C::Trace` when it overrides `gc::Object::Trace`.
template <typename Member>
constexpr bool kOverridesTrace = false;
template <typename C>
constexpr bool kOverridesTrace<void (C::*)(Visitor&)> =
    std::is_base_of_v<Object, C>;
template <typename C>
constexpr bool kOverridesTrace<void (C::*)(Visitor&) noexcept> =
    std::is_base_of_v<Object, C>;

template <typename T>
constexpr uint32_t TypeBits() {
  uint32_t bits = kManaged;
  if (kIsTraced<T>) bits |= kHasHeader;
  if (kIsTraced<T> && NeedsWidePrefix(alignof(T))) bits |= kWidePrefix;
  if (kIsTraced<T> && kIsAcyclic<T>) bits |= kAcyclic;
  if (kHasFinalizerOverride<T>) bits |= kHasFinalizer;
  if (kHasOrderOverride<T>) bits |= kMayRequireOrder;
  return bits;
}

// Fails loudly: a traced type whose gc::Object base is not at offset 0.
[[noreturn]] void BadObjectLayout(const char* type_name);
// Fails loudly unless this thread owns the heap of `core` (see
// gc/internal/owner.h); debug builds only.
void CheckMakeOwner(HeapCore* core, const std::type_info& type);

}  // namespace internal

template <typename T, typename... Args>
Ref<T> Make(Args&&... args) {
  static_assert(std::is_base_of_v<Object, T>,
                "gc::Make<T>: T must derive from gc::Object");
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                "gc::Make<T>: over-aligned types are not supported");
  static_assert(!internal::kIsTraced<T> ||
                    internal::kOverridesTrace<decltype(&T::Trace)>,
                "gc::Make<T>: T::Trace does not override gc::Object::Trace, "
                "so the collector would never call it; declare it as "
                "`void Trace(gc::Visitor& visitor) override` (not const)");
  constexpr bool kTraced = internal::kIsTraced<T>;
  constexpr std::size_t kPrefix =
      kTraced ? internal::PrefixSize(alignof(T)) : 0;
  constexpr std::size_t kSize = kPrefix + sizeof(T);
  internal::HeapCore* core = internal::CurrentHeapCore();
#ifndef NDEBUG
  internal::CheckMakeOwner(core, typeid(T));
#endif
  const uint32_t size_class =
      core->allocator == nullptr ? internal::SizeClassFor(kSize) : 0;
  char* memory =
      static_cast<char*>(internal::AllocateOn(core, kSize, size_class));
  internal::tls_pending_bits = internal::TypeBits<T>() | core->id_bits |
                               size_class << internal::kSizeClassShift;
  T* typed;
  try {
    typed = ::new (memory + kPrefix) T(std::forward<Args>(args)...);
  } catch (...) {
    internal::tls_pending_bits = 0;
    internal::DeallocateOn(core, memory, size_class);
    throw;
  }
  Object* object = typed;
  ++core->live_objects;
  Ref<T> ref = internal::RefAccess::Adopt<T>(object);
  if constexpr (kTraced) {
    if (static_cast<void*>(object) != static_cast<void*>(typed)) {
      internal::BadObjectLayout(typeid(T).name());
    }
    if constexpr (!internal::kIsAcyclic<T>) {
      internal::Track(core, object,
                      sizeof(T));  // if this throws, `ref` frees the object
    }
  }
  return ref;
}

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_MAKE_H_
