// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/type_sizes.h
// -----------------------------------------------------------------------------
//
// `TypeSizes`: the allocation size of each tracked type made on a heap, so
// that `Heap::CountByType` can say how much memory the objects of a type
// take without any per-object bookkeeping. `gc::Make<T>` always asks for
// the same size for a given `T` (the GcHeader and `sizeof(T)`), so one entry
// per dynamic type is enough.
//
// `Note` runs on every tracked allocation (from `Track`); its fast path is
// one comparison with the type noted last.
//
// Example:
//
//   sizes.Note(*object, 8 + sizeof(T));         // in Track
//   uint32_t bytes = sizes.Find(typeid(*object)); // 0: never noted
//
// Invariants:
//   * `last_` is null or a key of `sizes_`.

#ifndef CYCLEGC_GC_INTERNAL_TYPE_SIZES_H_
#define CYCLEGC_GC_INTERNAL_TYPE_SIZES_H_

#include <cstddef>
#include <cstdint>
#include <typeinfo>

#include "absl/base/optimization.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/pointer_map.h"
#include "gc/object.h"

namespace gc::internal {

class TypeSizes {
 public:
  // Notes that an object of `object`'s dynamic type takes `size` bytes
  // (allocation prefix included). Never throws: when the table cannot grow,
  // the size stays unknown (Find returns 0) and a later call retries.
  void Note(const Object& object, std::size_t size) noexcept {
    const std::type_info* type = &typeid(object);
    if (ABSL_PREDICT_TRUE(type == last_)) return;
    NoteSlow(type, size);
  }

  // The size noted for `type`, or 0 if none was.
  uint32_t Find(const std::type_info& type) const {
    const uint32_t* size = sizes_.Find(&type);
    return size == nullptr ? 0 : *size;
  }

 private:
  void NoteSlow(const std::type_info* type, std::size_t size) noexcept;

  PointerMap<uint32_t> sizes_;
  const std::type_info* last_ = nullptr;
};

// The bytes an allocation of a traced object of `object_size` bytes asks
// for, given the object's header bits (the GcHeader prefix included).
inline std::size_t TracedAllocationSize(uint32_t bits,
                                        std::size_t object_size) {
  return object_size + PrefixSizeFor((bits & kWidePrefix) != 0);
}

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_TYPE_SIZES_H_
