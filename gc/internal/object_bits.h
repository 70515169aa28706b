// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/object_bits.h
// -----------------------------------------------------------------------------
//
// The bits of a managed object's header word (after the refcount; see
// gc/object.h): their layout, which feature owns each bit, and named tests
// and setters, so that the library reads `ObjectBits::IsDying(bits)` rather
// than a mask. The bits that the public headers' inline code needs are in
// include/gc/internal/header_bits.h; the rest are the library's alone.
//
// Bit budget (32 bits; each owned by one feature, 18..19 free):
//
//   | bits   | name              | owner: meaning                           |
//   |--------|-------------------|------------------------------------------|
//   | 0..2   | list (ListId)     | heap lists: which list holds it (0: none)|
//   | 3      | kHasHeader        | allocation: made with a GcHeader         |
//   | 4      | kHasWeak          | weak references: it has a weak cell      |
//   | 5      | kFinalized        | finalizers: Finalize() has run           |
//   | 6      | kDying            | lifetime: refcount reached zero          |
//   | 7      | kManaged          | allocation: made by gc::Make             |
//   | 8      | kHasFinalizer     | finalizers: its type overrides Finalize()|
//   | 9      | kMayRequireOrder  | ordered destruction: type may require it |
//   | 10     | kMarked           | collector: the mark bit (see below)      |
//   | 11     | kWidePrefix       | allocation: GcHeader padded to 16 bytes  |
//   | 12..15 | size class        | free lists: the list it came from        |
//   | 16     | kInRound          | pause budget: a member of the round      |
//   | 17     | kAcyclic          | allocation: its type promised no cycles  |
//   | 18..19 | (free)            | for coming work                          |
//   | 20..31 | heap id           | heap registry: its heap (4095 at most)   |
//
// Room for coming work. ListId uses 3 bits for 5 lists (values 5-7 free, no
// bit). Bits 18..19 are free (the heap id went from 16 to 12 bits, 4095
// heaps alive at once; the registry, gc/internal/heap_state.cc, fails
// clearly when it is full). Next, the size class (bits 12..15) can move
// into the GcHeader for tracked objects' memory. Weak references keep their
// ring's cell outside the header bits (gc/internal/weak_cell.h): only
// kHasWeak is theirs, and it means "has a weak cell"; an object with a
// GcHeader (tracked, or of an acyclic type) keeps its cell's index in the
// header's second word (`weak_cell`).
//
// kInRound (gc/internal/round.h): set on the objects a round of an
// incremental full collection examines, from the slice that gathers them
// until the round lets go of them; a death (or Isolate) of such an object
// tells the round (HeapState::OnTrackedDeath), which then forgets it. Never
// set on a heap without a round under way. While it is set, the GcHeader's
// second word holds the member's index in the round unless the object has a
// weak cell (gc/internal/gc_header.h).
//
// The mark bit (kMarked) has one meaning per phase of a collection
// (gc/internal/collector.h), each with its own name below:
//
//   * kUnreached, steps 3-4 (and 8, over the unreachable list): set when
//     trial deletion first meets a candidate (its scratch count then holds its
//     refcount), cleared when the candidate is reached from outside. After
//     step 4 it is set on the garbage only; LinkUnreachable clears it (the
//     full protocol), or it stays set into the sweep (kUnswept).
//   * kKeptForOrder, step 5: set on every unreachable object reached from
//     one that requires ordered destruction; those go back to the
//     generations (MoveToSurvivors clears it).
//   * kUnswept, step 9 in place: set on the garbage that the sweep has not
//     destroyed yet (Release leaves its deaths to the sweep); the sweep
//     clears it object by object.
//   * kVisited, outside collections: gc::Isolate's walk (gc/isolate.cc)
//     sets it on each object of the graph it meets and clears it on every
//     one of them before Isolate returns, whatever the outcome.
//
// Between collections no object has it set (the verifier checks this), and
// an object dying mid-collection has it cleared by Release.

#ifndef CYCLEGC_GC_INTERNAL_OBJECT_BITS_H_
#define CYCLEGC_GC_INTERNAL_OBJECT_BITS_H_

#include <cstddef>
#include <cstdint>

#include "gc/internal/gc_header.h"
#include "gc/internal/header_bits.h"
#include "gc/object.h"

namespace gc::internal {

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
inline constexpr uint32_t kFinalized = 1u << 5;
inline constexpr uint32_t kMarked = 1u << 10;
inline constexpr uint32_t kInRound = 1u << 16;
inline constexpr uint32_t kFreeBits = 0x3u << 18;
// The list and heap bits together: `(bits & kListAndHeapMask) == (list |
// heap.id_bits)` tests "in list `list` of this heap" in one comparison.
inline constexpr uint32_t kListAndHeapMask = kListMask | kHeapIdMask;

// Every bit has one owner (see the budget above).
static_assert((kListMask ^ kHasHeader ^ kHasWeak ^ kFinalized ^ kDying ^
               kManaged ^ kHasFinalizer ^ kMayRequireOrder ^ kMarked ^
               kWidePrefix ^ kSizeClassMask ^ kInRound ^ kAcyclic ^ kFreeBits ^
               kHeapIdMask) == 0xffffffffu);
static_assert((kListMask | kHasHeader | kHasWeak | kFinalized | kDying |
               kManaged | kHasFinalizer | kMayRequireOrder | kMarked |
               kWidePrefix | kSizeClassMask | kInRound | kAcyclic | kFreeBits |
               kHeapIdMask) == 0xffffffffu);
static_assert(kNumLists - 1 <= static_cast<int>(kListMask));

// Named tests and setters of the header bits.
struct ObjectBits {
  // The header word of `object`.
  static uint32_t& Of(Object& object) { return ObjectAccess::Bits(object); }
  static uint32_t Of(const Object& object) {
    return ObjectAccess::Bits(object);
  }

  static ListId List(uint32_t bits) {
    return static_cast<ListId>(bits & kListMask);
  }
  static bool IsTracked(uint32_t bits) { return (bits & kListMask) != 0; }
  static void SetList(uint32_t& bits, ListId list) {
    bits = (bits & ~kListMask) | list;
  }
  static void Untrack(uint32_t& bits) { bits &= ~kListMask; }

  static bool HasHeader(uint32_t bits) { return (bits & kHasHeader) != 0; }
  // Its type promised acyclic: a GcHeader, but never tracked.
  static bool IsAcyclic(uint32_t bits) { return (bits & kAcyclic) != 0; }
  static bool IsManaged(uint32_t bits) { return (bits & kManaged) != 0; }
  static bool IsDying(uint32_t bits) { return (bits & kDying) != 0; }
  static bool HasWeak(uint32_t bits) { return (bits & kHasWeak) != 0; }
  static void SetHasWeak(uint32_t& bits) { bits |= kHasWeak; }
  static void ClearHasWeak(uint32_t& bits) { bits &= ~kHasWeak; }
  static void SetDying(uint32_t& bits) { bits |= kDying; }
  static void SetFinalized(uint32_t& bits) { bits |= kFinalized; }
  // The heap id bits (compare with HeapState::id_bits).
  static uint32_t HeapBits(uint32_t bits) { return bits & kHeapIdMask; }
  // Moves the object to the heap whose id bits are `id_bits`.
  static void SetHeapBits(uint32_t& bits, uint32_t id_bits) {
    bits = (bits & ~kHeapIdMask) | id_bits;
  }
  static bool IsWide(uint32_t bits) { return (bits & kWidePrefix) != 0; }
  static bool HasFinalizer(uint32_t bits) {
    return (bits & kHasFinalizer) != 0;
  }
  static bool IsFinalized(uint32_t bits) { return (bits & kFinalized) != 0; }
  static bool MayRequireOrder(uint32_t bits) {
    return (bits & kMayRequireOrder) != 0;
  }

  // The mark bit, one name per meaning (see above).
  static constexpr uint32_t kUnreached = kMarked;
  static constexpr uint32_t kKeptForOrder = kMarked;
  static constexpr uint32_t kUnswept = kMarked;
  static bool IsUnreached(uint32_t bits) { return (bits & kUnreached) != 0; }
  static void SetUnreached(uint32_t& bits) { bits |= kUnreached; }
  static void SetReached(uint32_t& bits) { bits &= ~kUnreached; }
  static bool IsKeptForOrder(uint32_t bits) {
    return (bits & kKeptForOrder) != 0;
  }
  static bool IsUnswept(uint32_t bits) { return (bits & kUnswept) != 0; }
  static constexpr uint32_t kVisited = kMarked;
  static bool IsVisited(uint32_t bits) { return (bits & kVisited) != 0; }
  static void SetVisited(uint32_t& bits) { bits |= kVisited; }
  static void SetSwept(uint32_t& bits) { bits &= ~kUnswept; }
  // Clears whichever meaning the mark bit has (an object leaving the
  // collection's hands).
  static void ClearMark(uint32_t& bits) { bits &= ~kMarked; }
  static bool IsMarked(uint32_t bits) { return (bits & kMarked) != 0; }

  // A member of the round under way (gc/internal/round.h).
  static bool InRound(uint32_t bits) { return (bits & kInRound) != 0; }
  static void SetInRound(uint32_t& bits) { bits |= kInRound; }
  static void ClearInRound(uint32_t& bits) { bits &= ~kInRound; }

  // Bytes in front of the object (its GcHeader and padding; 0 without one).
  static std::size_t PrefixSize(uint32_t bits) {
    return HasHeader(bits) ? PrefixSizeFor(IsWide(bits)) : 0;
  }
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_OBJECT_BITS_H_
