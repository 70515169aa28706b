// Copyright 2026 The cyclegc Authors.

#include "gc/internal/owner.h"

#include <sstream>
#include <string>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"
#include "gc/internal/heap_core.h"

namespace gc::internal {

std::string ThreadName(std::thread::id id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

namespace {

[[noreturn]] void FailOffOwner(const HeapState& heap, const std::string& what,
                               std::thread::id owner) {
  const std::string line = absl::StrCat(
      "gc: ", what, " on thread ", ThreadName(std::this_thread::get_id()),
      ", but heap #", heap.id_bits >> kHeapIdShift, " belongs to thread ",
      ThreadName(owner),
      ". A heap and its objects belong to one thread at a time (gc::Ref "
      "counts without atomics); to hand a heap over, install it with a "
      "gc::HeapScope on the new thread after the old one stopped using it");
  FatalError(line);
}

bool OnOwner(const HeapState& heap, std::thread::id* owner) {
  if (heap.owner() == nullptr) return true;  // detached: nobody owns it
  *owner = heap.owner_thread.load(std::memory_order_relaxed);
  return *owner == std::this_thread::get_id();
}

}  // namespace

void CheckOwner(const HeapState& heap, const char* what,
                const Object* object) {
  std::thread::id owner;
  if (OnOwner(heap, &owner)) return;
  FailOffOwner(heap,
               object == nullptr
                   ? std::string(what)
                   : absl::StrCat(what, " (a ", TypeName(*object), ")"),
               owner);
}

void CheckMakeOwner(HeapCore* core, const std::type_info& type) {
  const HeapState& heap = *HeapState::FromCore(core);
  std::thread::id owner;
  if (OnOwner(heap, &owner)) return;
  FailOffOwner(heap, absl::StrCat("gc::Make<", TypeName(type), ">"),
               owner);
}

void CheckRefOwner(const Object* object) {
  const HeapState* heap = HeapState::Of(*object);
  std::thread::id owner;
  if (heap == nullptr || OnOwner(*heap, &owner)) return;
  FailOffOwner(*heap,
               absl::StrCat("a gc::Ref to a ", TypeName(*object),
                            " was copied or dropped"),
               owner);
}

}  // namespace gc::internal
