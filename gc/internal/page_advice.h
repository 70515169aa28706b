// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/page_advice.h
// -----------------------------------------------------------------------------
//
// Hints to the kernel about memory the library is about to write, so that
// its first touch costs fewer page faults. A first touch of a page is a
// fault (a trap, then a zeroed page): under a microsecond on bare metal,
// 15 to 50 us on the VM the benchmarks run on, where first touches of the
// collector's scratch were half of a collection of 1,000,000 garbage
// objects (bench/results/profile.md). Both are hints: where the kernel does
// not support one, the pages fault as usual.

#ifndef CYCLEGC_GC_INTERNAL_PAGE_ADVICE_H_
#define CYCLEGC_GC_INTERNAL_PAGE_ADVICE_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace gc::internal {

// Faults in the whole pages of [begin, begin + bytes) for writing, with one
// system call. For memory written in full at once (a new chunk's blocks).
inline void PopulateForWrite(void* begin, std::size_t bytes) noexcept {
  madvise(begin, bytes, MADV_POPULATE_WRITE);
}

// Scratch this large or larger is backed by transparent huge pages (see
// AdviseHugePages): one fault per 2 MiB instead of 512.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
inline constexpr std::size_t kHugeScratchBytes = kHugePageBytes;

// Asks for transparent huge pages over the 2 MiB-aligned part of
// [begin, begin + bytes), if `bytes` is at least kHugeScratchBytes. A huge
// page becomes resident whole at its first touch, so the resident size
// rounds up by less than 2 MiB, no more than the scratch's own size: meant
// for new, untouched storage of scratch in proportion to a large heap (the
// unreachable list: 2 MiB of 8-byte slots means 256K candidates, a heap of
// 10 MB or more).
inline void AdviseHugePages(void* begin, std::size_t bytes) noexcept {
  if (bytes < kHugeScratchBytes) return;
  const uintptr_t address = reinterpret_cast<uintptr_t>(begin);
  const uintptr_t first = (address + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t last = (address + bytes) & ~(kHugePageBytes - 1);
  if (last > first) {
    madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
}

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_PAGE_ADVICE_H_
