// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/pointer_map.h
// -----------------------------------------------------------------------------
//
// `PointerMap<V>`: a small open-addressing hash map from object addresses to
// trivially copyable values, for the heap's side tables (weak reference list
// heads, object sizes). Its one promise beyond a map's: when an insertion
// cannot allocate, it throws std::bad_alloc and the map is unchanged (the
// new table is allocated before anything is touched), so that a failed
// allocation never corrupts a heap.
//
// Linear probing at a load factor of at most 1/2; erasure shifts later
// entries back, so there are no tombstones.
//
// Example:
//
//   PointerMap<uint32_t> sizes;
//   sizes.GetOrInsert(object) = 40;   // may throw; then nothing changed
//   if (const uint32_t* size = sizes.Find(object)) ...
//   sizes.Erase(object);

#ifndef CYCLEGC_GC_INTERNAL_POINTER_MAP_H_
#define CYCLEGC_GC_INTERNAL_POINTER_MAP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "gc/internal/check.h"

namespace gc::internal {

template <typename V>
class PointerMap {
  static_assert(std::is_trivially_copyable_v<V>);

 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  V* Find(const void* key) {
    if (size_ == 0) return nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return &slots_[i].value;
      if (slots_[i].key == nullptr) return nullptr;
    }
  }
  const V* Find(const void* key) const {
    return const_cast<PointerMap*>(this)->Find(key);
  }
  bool Contains(const void* key) const { return Find(key) != nullptr; }

  // The value for `key` (REQUIRES: non-null), inserted as V{} if absent.
  // Throws std::bad_alloc, changing nothing, if the table cannot grow.
  V& GetOrInsert(const void* key) {
    CYCLEGC_DCHECK(key != nullptr);
    if (V* value = Find(key)) return *value;
    if (2 * (size_ + 1) > capacity_) Grow();
    size_t i = Home(key);
    while (slots_[i].key != nullptr) i = (i + 1) & mask_;
    slots_[i].key = key;
    slots_[i].value = V{};
    ++size_;
    return slots_[i].value;
  }

  // Makes room for `n` entries in all, so that inserting up to that many
  // allocates nothing. Throws std::bad_alloc, changing nothing, if the
  // table cannot grow.
  void Reserve(size_t n) {
    while (2 * n > capacity_) Grow();
  }

  // Removes `key`; false if it was absent.
  bool Erase(const void* key) {
    if (size_ == 0) return false;
    size_t hole = Home(key);
    while (slots_[hole].key != key) {
      if (slots_[hole].key == nullptr) return false;
      hole = (hole + 1) & mask_;
    }
    slots_[hole].key = nullptr;
    --size_;
    // Shift back later entries of the cluster that may move into the hole.
    for (size_t j = (hole + 1) & mask_; slots_[j].key != nullptr;
         j = (j + 1) & mask_) {
      const size_t home = Home(slots_[j].key);
      const bool stays =
          hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (stays) continue;
      slots_[hole] = slots_[j];
      slots_[j].key = nullptr;
      hole = j;
    }
    return true;
  }

  // Calls f(key, value) for every entry.
  template <typename F>
  void ForEach(F f) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].key != nullptr) f(slots_[i].key, slots_[i].value);
    }
  }

 private:
  struct Slot {
    const void* key;
    V value;
  };

  size_t Home(const void* key) const {
    uint64_t x = reinterpret_cast<uintptr_t>(key);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<size_t>(x) & mask_;
  }

  void Grow() {
    const size_t capacity = capacity_ == 0 ? 16 : 2 * capacity_;
    std::unique_ptr<Slot[]> old(new Slot[capacity]());  // may throw: no change
    old.swap(slots_);
    const size_t old_capacity = capacity_;
    capacity_ = capacity;
    mask_ = capacity - 1;
    for (size_t i = 0; i < old_capacity; ++i) {
      if (old[i].key == nullptr) continue;
      size_t j = Home(old[i].key);
      while (slots_[j].key != nullptr) j = (j + 1) & mask_;
      slots_[j] = old[i];
    }
  }

  std::unique_ptr<Slot[]> slots_;
  size_t capacity_ = 0;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_POINTER_MAP_H_
