// Copyright 2026 The cyclegc Authors.

#include "gc/internal/type_sizes.h"

#include <new>

namespace gc::internal {

void TypeSizes::NoteSlow(const std::type_info* type,
                         std::size_t size) noexcept {
  try {
    sizes_.GetOrInsert(type) = static_cast<uint32_t>(size);
    last_ = type;
  } catch (const std::bad_alloc&) {
    // Unknown for now; the next object of this type tries again.
  }
}

}  // namespace gc::internal
