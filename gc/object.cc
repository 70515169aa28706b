// Copyright 2026 The cyclegc Authors.

#include "gc/object.h"

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/weak_ref_list.h"
#include "gc/make.h"

namespace gc {
namespace internal {

constinit thread_local uint32_t tls_pending_bits = 0;

void RefCountOverflow(const Object* object) {
  FatalError(absl::StrCat(
      "gc: reference count overflow on a ", TypeName(*object),
      " (or on an object being destroyed). More than 4 billion references "
      "are unlikely: the likely cause is a data race, a gc::Ref copied or "
      "dropped on two threads at once. A heap and its objects belong to one "
      "thread; debug builds and kDebugVerify check it"));
}

void CheckAdoptable(const Object* object) {
  const uint32_t bits = ObjectAccess::Bits(*object);
  if (!ObjectBits::IsManaged(bits)) {
    FatalError(absl::StrCat("gc::Ref: a ", TypeName(*object),
                            " not made by gc::Make cannot be referenced"));
  }
  if (ObjectBits::IsDying(bits)) {
    FatalError(absl::StrCat("gc::Ref: a ", TypeName(*object),
                            " whose destructor is running cannot be "
                            "referenced again"));
  }
}

void DetachWeakRefsOnUnwind(Object* object) {
  WeakRefList::ClearAll(*HeapState::Of(*object), object);
}

void BadObjectLayout(const char* type_name) {
  FatalError(absl::StrCat("gc::Make: traced type ", type_name,
                          " must derive from gc::Object through its first "
                          "base class"));
}

}  // namespace internal

Object::~Object() {
  // Only an object whose constructor threw gets here with weak references.
  if ((bits_ & internal::kHasWeak) != 0) {
    internal::DetachWeakRefsOnUnwind(this);
  }
}

void Object::Trace(Visitor&) {}
void Object::Finalize() {}
bool Object::RequiresOrderedDestruction() const { return false; }

bool IsFinalized(const Object& object) {
  return (internal::ObjectAccess::Bits(object) & internal::kFinalized) != 0;
}

bool IsTracked(const Object& object) {
  return (internal::ObjectAccess::Bits(object) & internal::kListMask) != 0;
}

}  // namespace gc
