// Copyright 2026 The cyclegc Authors.

#include "gc/internal/heap_state.h"

#include "gc/internal/remote_releases.h"  // ~HeapState deletes `remote`

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "gc/internal/collector.h"
#include "gc/internal/owner.h"

namespace gc::internal {
namespace {

// Ids in use; id 0 is never given out (it marks unmanaged objects).
std::mutex& RegistryMutex() {
  static std::mutex* mutex = new std::mutex;
  return *mutex;
}
std::vector<uint32_t>& FreeIds() {
  static std::vector<uint32_t>* ids = new std::vector<uint32_t>;
  return *ids;
}
uint32_t next_unused_id = 1;

void PrintLine(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

}  // namespace

HeapState* HeapState::registry_[1 << 16];

HeapState::HeapState(Heap* heap) : owner(heap) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (!FreeIds().empty()) {
    id_ = FreeIds().back();
    FreeIds().pop_back();
  } else if (next_unused_id < (1u << 16)) {
    // Room for every id ever given out, so that returning one (in the
    // destructor) never allocates. May throw: nothing taken yet.
    FreeIds().reserve(next_unused_id);
    id_ = next_unused_id++;
  } else {
    std::fprintf(stderr,
                 "gc::Heap: more than 65535 heaps alive at once; cannot make "
                 "another\n");
    std::abort();
  }
  id_bits = id_ << kHeapIdShift;
  registry_[id_] = this;
}

HeapState::~HeapState() {
  OrphanExiledChunks(*this);  // gc/isolate.h: blocks of objects that moved
  ReleaseAllChunks(chunks);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  registry_[id_] = nullptr;
  FreeIds().push_back(id_);
}

void HeapState::Link(Object* object, ListId list) {
  std::vector<Object*>& slots = lists[list];
  slots.push_back(object);  // may throw: nothing changed yet
  HeaderOf(object)->index = static_cast<uint32_t>(slots.size() - 1);
  uint32_t& bits = ObjectAccess::Bits(*object);
  bits = (bits & ~kListMask) | list;
  if (list == kListGenerations) ++generation_live[0];  // appended: the end
}

void HeapState::LinkReserved(Object* object, ListId list) {
  // push_back within capacity does not allocate, hence does not throw.
  Link(object, list);
}

void HeapState::Unlink(Object* object) {
  uint32_t& bits = ObjectAccess::Bits(*object);
  const ListId list = static_cast<ListId>(bits & kListMask);
  if (list == kListGenerations) {
    --generation_live[GenerationOfSlot(HeaderOf(object)->index)];
  }
  lists[list][HeaderOf(object)->index] = nullptr;
  ++tombstones[list];
  bits &= ~kListMask;
  if (!collecting_lists) StepCompaction(list, kCompactionSlotsPerDeath);
}

void HeapState::StepCompaction(ListId list, size_t budget) {
  Compaction& c = compaction[list];
  if (!c.active) {
    const int64_t dead = tombstones[list];
    if (dead <= 1024 || dead * 2 <= static_cast<int64_t>(lists[list].size())) {
      return;
    }
    c = Compaction{0, 0, true};
  }
  if (Slide(list, c, budget)) c.active = false;
}

void HeapState::FinishCompactionPast(ListId list, size_t from) {
  Compaction& c = compaction[list];
  if (c.active && c.read > from) {
    Slide(list, c, SIZE_MAX);
    c.active = false;
  }
}

void HeapState::CompactFrom(ListId list, size_t from) {
  FinishCompactionPast(list, from);
  if (from >= lists[list].size()) return;
  Compaction suffix{from, from, true};
  Slide(list, suffix, SIZE_MAX);
}

bool HeapState::Slide(ListId list, Compaction& c, size_t budget) {
  std::vector<Object*>& slots = lists[list];
  const bool generations = list == kListGenerations;
  const size_t end =
      budget < slots.size() - c.read ? c.read + budget : slots.size();
  for (; c.read < end; ++c.read) {
    if (generations) {
      if (gen1_begin == c.read) gen1_begin = c.write;
      if (gen0_begin == c.read) gen0_begin = c.write;
    }
    Object* object = slots[c.read];
    if (object == nullptr) continue;
    if (c.write != c.read) {
      slots[c.write] = object;
      slots[c.read] = nullptr;
      HeaderOf(object)->index = static_cast<uint32_t>(c.write);
    }
    ++c.write;
  }
  if (c.read < slots.size()) return false;
  if (generations) {  // a boundary at the end of the list
    gen1_begin = std::min(gen1_begin, c.write);
    gen0_begin = std::min(gen0_begin, c.write);
  }
  tombstones[list] -= static_cast<int64_t>(slots.size() - c.write);
  slots.resize(c.write);
  return true;
}

int64_t HeapState::GenerationSize(int g) const {
  int64_t size = 0;
  const std::vector<Object*>& slots = lists[kListGenerations];
  for (size_t i = GenerationBegin(g); i < GenerationEnd(g); ++i) {
    size += slots[i] != nullptr;
  }
  return size;
}

void HeapState::AdoptBorn() {
  std::vector<Object*>& born = lists[kListBorn];
  if (born.empty()) return;
  std::vector<Object*>& generations = lists[kListGenerations];
  try {
    ReserveGrowing(generations, generations.size() + born.size());
  } catch (const std::bad_alloc&) {
    return;  // they stay in kListBorn, tracked; the next collection retries
  }
  for (Object* object : born) {
    if (object != nullptr) LinkReserved(object, kListGenerations);
  }
  born.clear();
  tombstones[kListBorn] = 0;
}

void HeapState::OnTrackedDeath(Object* object) {
  Unlink(object);
  if (!object_sizes.empty()) object_sizes.Erase(object);
  if (count[0] > 0) --count[0];
}

int HeapState::ChooseAutomaticGeneration() const {
  for (int g = 2; g >= 0; --g) {
    if (count[g] <= threshold[g]) continue;
    // A full collection only when enough objects await it (amortised cost).
    if (g == 2 && long_lived_pending <= long_lived_total / 4) continue;
    return g;
  }
  return -1;
}

void HeapState::MaybeCollectAutomatically() {
  if (count[0] <= threshold[0] || !enabled || threshold[0] == 0 || collecting ||
      owner == nullptr) {
    return;
  }
  int generation = ChooseAutomaticGeneration();
  if (generation >= 0) RunCollection(*this, generation);
}

namespace {
// Calls `sink` (if set) with `line`; stderr if unset or if it throws.
void SendLine(const TextSink& sink, std::string_view line, const char* name) {
  if (sink) {
    try {
      sink(line);
      return;
    } catch (...) {
      std::fprintf(stderr, "gc: the %s threw; the line was:\n", name);
    }
  }
  PrintLine(line);
}
}  // namespace

void HeapState::Report(std::string_view line) const {
  SendLine(report_sink, line, "report sink");
}

void HeapState::ReportError(std::string_view line) const {
  SendLine(error_reporter, line, "error reporter");
}

void HeapState::ReportException(std::string_view where) const {
  try {
    throw;
  } catch (const std::exception& e) {
    ReportError([&] {
      return absl::StrCat("gc: exception in ",
                          absl::string_view(where.data(), where.size()), ": ",
                          e.what());
    });
  } catch (...) {
    ReportError([&] {
      return absl::StrCat("gc: unknown exception in ",
                          absl::string_view(where.data(), where.size()));
    });
  }
}

void Track(HeapCore* core, Object* object, std::size_t size) {
  HeapState* heap = HeapState::FromCore(core);
  heap->type_sizes.Note(*object, TracedAllocationSize(
                                     ObjectAccess::Bits(*object), size));
  heap->Link(object, heap->collecting_lists ? kListBorn : kListGenerations);
  if ((heap->debug & kDebugVerify) != 0) {
    CheckOwner(*heap, "gc::Make", object);  // aborts off the owner
    try {
      heap->object_sizes.GetOrInsert(object) = static_cast<uint32_t>(size);
    } catch (const std::bad_alloc&) {
      // Only the verifier's scan of this object is lost.
    }
  }
  ++heap->count[0];
  heap->MaybeCollectAutomatically();
}

bool HeapState::FirstReport(std::string_view key) {
  try {
    return reported_once.emplace(key).second;
  } catch (const std::bad_alloc&) {
    return true;
  }
}

std::string TypeName(const Object& object) { return TypeName(typeid(object)); }

std::string TypeName(const std::type_info& type) {
  const char* mangled = type.name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get())
                                  : std::string(mangled);
}

}  // namespace gc::internal
