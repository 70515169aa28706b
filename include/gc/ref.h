// Copyright 2026 The cyclegc Authors.
//
// File: gc/ref.h
// -----------------------------------------------------------------------------
//
// `gc::Ref<T>` is a strong, reference-counted pointer to a managed object. It
// is one pointer wide and uses no atomic operations: a heap, and the objects
// on it, belong to one thread at a time. When the last `Ref` to an object
// goes, the object is destroyed at once (deterministic destruction, as with
// `std::shared_ptr`); destroying a long chain is iterative, never recursive.
//
// Example:
//
//   gc::Ref<Node> a = gc::Make<Node>(1);  // refcount 1
//   gc::Ref<Node> b = a;                  // refcount 2
//   gc::Ref<gc::Object> o = a;            // implicit upcast
//   gc::Ref<Node> c = gc::StaticRefCast<Node>(o);
//   gc::Ref<Leaf> none = gc::DynamicRefCast<Leaf>(o);  // null: wrong type
//   a->value = 2;
//   a.reset();
//
// `gc::Ref<T>(this)` makes a new strong reference from inside a member
// function of a live managed object (also inside its constructor, its
// `Finalize()` and its `Trace`-free member functions). It fails loudly on an
// object that was not made by `gc::Make` or whose destructor is running.
//
// `Ref`s are hashable (`AbslHashValue`, `std::hash`) and compare by address.

#ifndef CYCLEGC_INCLUDE_GC_REF_H_
#define CYCLEGC_INCLUDE_GC_REF_H_

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

#include "gc/object.h"

namespace gc {

template <typename T>
class Ref;
template <typename T>
class WeakRef;
class Visitor;

namespace internal {
struct AdoptTag {};
inline constexpr AdoptTag kAdopt{};
struct RefAccess;
}  // namespace internal

template <typename T>
class Ref {
 public:
  using element_type = T;

  constexpr Ref() noexcept = default;
  constexpr Ref(std::nullptr_t) noexcept {}  // NOLINT: implicit from nullptr

  // A new strong reference to a live managed object (for example `this`).
  explicit Ref(T* raw) : ptr_(ToObject(raw)) {
    if (ptr_ != nullptr) {
      internal::CheckAdoptable(ptr_);
      internal::ObjectAccess::IncRef(ptr_);
    }
  }

  Ref(const Ref& other) noexcept : ptr_(other.ptr_) { IncRefIfSet(); }
  Ref(Ref&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}

  // Implicit upcast.
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  Ref(const Ref<U>& other) noexcept  // NOLINT: implicit upcast
      : ptr_(other.ptr_) {
    IncRefIfSet();
  }
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  Ref(Ref<U>&& other) noexcept  // NOLINT: implicit upcast
      : ptr_(std::exchange(other.ptr_, nullptr)) {}

  ~Ref() { DecRefIfSet(); }

  Ref& operator=(const Ref& other) noexcept {
    Ref(other).swap(*this);
    return *this;
  }
  Ref& operator=(Ref&& other) noexcept {
    Ref(std::move(other)).swap(*this);
    return *this;
  }
  Ref& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }

  // Drops the reference (which may destroy the object) and becomes null.
  void reset() noexcept {
    Object* old = std::exchange(ptr_, nullptr);
    if (old != nullptr) internal::ObjectAccess::DecRef(old);
  }
  void swap(Ref& other) noexcept { std::swap(ptr_, other.ptr_); }

  T* get() const noexcept { return ptr_ ? static_cast<T*>(ptr_) : nullptr; }
  T& operator*() const noexcept { return *get(); }
  T* operator->() const noexcept { return get(); }
  explicit operator bool() const noexcept { return ptr_ != nullptr; }

  template <typename U>
  bool operator==(const Ref<U>& other) const noexcept {
    return ptr_ == other.ptr_;
  }
  bool operator==(std::nullptr_t) const noexcept { return ptr_ == nullptr; }
  template <typename U>
  bool operator<(const Ref<U>& other) const noexcept {
    return std::less<const Object*>()(ptr_, other.ptr_);
  }

  template <typename H>
  friend H AbslHashValue(H h, const Ref& ref) {
    return H::combine(std::move(h), static_cast<const void*>(ref.ptr_));
  }

 private:
  template <typename U>
  friend class Ref;
  friend class Visitor;
  friend struct internal::RefAccess;

  Ref(internal::AdoptTag, Object* adopted) noexcept : ptr_(adopted) {}

  static Object* ToObject(T* raw) { return raw; }
  void IncRefIfSet() const noexcept {
    if (ptr_ != nullptr) internal::ObjectAccess::IncRef(ptr_);
  }
  void DecRefIfSet() noexcept {
    if (ptr_ != nullptr) internal::ObjectAccess::DecRef(ptr_);
  }

  // The managed object, as its `gc::Object` base. Every `Ref<T>` has this one
  // layout, which lets the collector reset any of them.
  Object* ptr_ = nullptr;
};

namespace internal {
// The library's access to a `Ref`'s representation. Not for users.
struct RefAccess {
  template <typename T>
  static Ref<T> Adopt(Object* object) {
    return Ref<T>(kAdopt, object);
  }
  // A new strong reference to an object that already has one.
  template <typename T>
  static Ref<T> Share(Object* object) {
    if (object != nullptr) ObjectAccess::IncRef(object);
    return Ref<T>(kAdopt, object);
  }
  template <typename T>
  static Object* Get(const Ref<T>& ref) {
    return ref.ptr_;
  }
  // Makes `ref` null without dropping its reference (now the caller's).
  template <typename T>
  static Object* Release(Ref<T>& ref) {
    return std::exchange(ref.ptr_, nullptr);
  }
};
}  // namespace internal

// `static_cast` for references: REQUIRES the object to be a `T`.
template <typename T, typename U>
Ref<T> StaticRefCast(const Ref<U>& ref) {
  static_assert(std::is_base_of_v<U, T> || std::is_base_of_v<T, U>,
                "StaticRefCast needs related types");
  return internal::RefAccess::Share<T>(internal::RefAccess::Get(ref));
}

// `dynamic_cast` for references: null when the object is not a `T`.
template <typename T, typename U>
Ref<T> DynamicRefCast(const Ref<U>& ref) {
  if (dynamic_cast<T*>(ref.get()) == nullptr) return nullptr;
  return internal::RefAccess::Share<T>(internal::RefAccess::Get(ref));
}

}  // namespace gc

template <typename T>
struct std::hash<gc::Ref<T>> {
  size_t operator()(const gc::Ref<T>& ref) const noexcept {
    return std::hash<const void*>()(ref.get());
  }
};

#endif  // CYCLEGC_INCLUDE_GC_REF_H_
