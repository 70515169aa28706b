// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/header_bits.h
// -----------------------------------------------------------------------------
//
// The bits of a managed object's header word that the public headers' inline
// code reads or sets (gc::Make, gc::Ref). Not part of the public API. The
// whole layout, the bits only the library uses and which feature owns each
// bit (the bit budget) are in gc/internal/object_bits.h.

#ifndef CYCLEGC_INCLUDE_GC_INTERNAL_HEADER_BITS_H_
#define CYCLEGC_INCLUDE_GC_INTERNAL_HEADER_BITS_H_

#include <cstdint>

#include "gc/config.h"  // first gc header: stops below C++20

namespace gc::internal {

// Allocated with a GcHeader in front (a traced type).
inline constexpr uint32_t kHasHeader = 1u << 3;
// Some weak reference points at it: it has a weak cell
// (gc/internal/weak_cell.h).
inline constexpr uint32_t kHasWeak = 1u << 4;
// Its reference count reached zero: it is being destroyed.
inline constexpr uint32_t kDying = 1u << 6;
// Made by gc::Make.
inline constexpr uint32_t kManaged = 1u << 7;
// The type overrides Finalize().
inline constexpr uint32_t kHasFinalizer = 1u << 8;
// The type overrides RequiresOrderedDestruction().
inline constexpr uint32_t kMayRequireOrder = 1u << 9;
// The GcHeader is padded to 16 bytes (an over-aligned type).
inline constexpr uint32_t kWidePrefix = 1u << 11;
// The type promises it is acyclic (`static constexpr bool kAcyclic = true`,
// gc/object.h): traced, with a GcHeader, but never tracked.
inline constexpr uint32_t kAcyclic = 1u << 17;
// The heap free list the memory came from (0: none).
inline constexpr int kSizeClassShift = 12;
inline constexpr uint32_t kSizeClassMask = 0xfu << kSizeClassShift;
// The index of the object's heap in the heap registry (12 bits: 4095 heaps
// alive at once; id 0 is never given out).
inline constexpr int kHeapIdShift = 20;
inline constexpr uint32_t kHeapIdMask = 0xfffu << kHeapIdShift;
inline constexpr uint32_t kMaxHeapId = kHeapIdMask >> kHeapIdShift;

}  // namespace gc::internal

#endif  // CYCLEGC_INCLUDE_GC_INTERNAL_HEADER_BITS_H_
