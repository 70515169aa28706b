// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/gc_header.h
// -----------------------------------------------------------------------------
//
// The collector's header of a tracked object. Not part of the public API.
//
// A traced type is allocated with this header in front of it:
//
//   | allocation offset | contents                                        |
//   |-------------------|-------------------------------------------------|
//   | 0 (or 8: padding) | GcHeader { index, weak_cell/gc_refs } (8 bytes) |
//   | 8 (or 16)         | the object: vtable pointer, refcount, bits, ... |
//
// The padding exists only for over-aligned types (alignof > 8, kWidePrefix).
//
// Invariants:
//   * While the object is tracked, `lists[list]` of its heap state holds it at
//     position `index` (list = the low bits of the object's header bits).
//   * The second word has three owners, one at a time. Outside trial
//     deletion (steps 3-4 of a collection) it is `weak_cell`: while the
//     object has kHasWeak, the index of its weak cell (gc/internal/
//     weak_cell.h); otherwise, while the object is a member of a round of
//     the pause budget (kInRound, gc/internal/round.h), `round_member`: its
//     index in the round (a member with a cell has that index parked in its
//     heap's weak cell table, gc/internal/weak_cells.h, which moves it when
//     a cell comes or goes); otherwise it means nothing. While trial
//     deletion examines the object it is `gc_refs`, the collection's scratch
//     count; trial deletion saves the words of the objects it examines first
//     (those with kHasWeak or kInRound) and puts them back before it returns
//     (gc/internal/trial_deletion.cc), and no weak reference is made, copied
//     or dropped meanwhile (only Trace runs).

#ifndef CYCLEGC_INCLUDE_GC_INTERNAL_GC_HEADER_H_
#define CYCLEGC_INCLUDE_GC_INTERNAL_GC_HEADER_H_

#include <cstddef>
#include <cstdint>

#include "gc/object.h"

namespace gc::internal {

struct GcHeader {
  uint32_t index;
  union {
    uint32_t weak_cell;     // outside trial deletion, with kHasWeak
    uint32_t round_member;  // outside trial deletion, kInRound only
    uint32_t gc_refs;       // during trial deletion
  };
};
static_assert(sizeof(GcHeader) == 8);

// Bytes in front of a traced object: its GcHeader, padded to 16 bytes if
// `wide` (kWidePrefix). The one definition of the prefix size.
constexpr std::size_t PrefixSizeFor(bool wide) {
  return wide ? 16 : sizeof(GcHeader);
}
// Whether a traced type of the given alignment needs the wide prefix.
constexpr bool NeedsWidePrefix(std::size_t alignment) {
  return alignment > sizeof(GcHeader);
}
// Bytes in front of a traced object of the given alignment.
constexpr std::size_t PrefixSize(std::size_t alignment) {
  return PrefixSizeFor(NeedsWidePrefix(alignment));
}

// REQUIRES: `object` has kHasHeader.
inline GcHeader* HeaderOf(Object* object) {
  return reinterpret_cast<GcHeader*>(object) - 1;
}

}  // namespace gc::internal

#endif  // CYCLEGC_INCLUDE_GC_INTERNAL_GC_HEADER_H_
