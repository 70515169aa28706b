// Copyright 2026 The cyclegc Authors.
//
// What is alive and what grows: Heap::CountByType and gc::GrowthTracker.

#include <algorithm>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gc/growth_tracker.h"
#include "gc/heap.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/heap_watch.h"

namespace gc {
namespace {

using internal::HeapState;

struct TypeTally {
  int64_t count = 0;
  uint32_t some_bits = 0;  // an object's bits: the fallback size class
};

// The live tracked objects of `heap` by dynamic type (one pass).
absl::flat_hash_map<const std::type_info*, TypeTally> TallyByType(
    const HeapState& heap) {
  absl::flat_hash_map<const std::type_info*, TypeTally> tally;
  // The generations, the permanent generation, and (during a collection)
  // the objects born meanwhile; not a running collection's garbage.
  for (internal::ListId list : {internal::kListGenerations, internal::kListBorn,
                                internal::kListPermanent}) {
    for (const Object* object : heap.lists[list]) {
      if (object == nullptr) continue;
      TypeTally& entry = tally[&typeid(*object)];
      ++entry.count;
      entry.some_bits = internal::ObjectAccess::Bits(*object);
    }
  }
  return tally;
}

// Bytes per object of `type`: the size noted when objects of it were made;
// if that could not be noted (out of memory), the pool block it came from.
int64_t BytesPerObject(const HeapState& heap, const std::type_info& type,
                       uint32_t bits) {
  const uint32_t noted = heap.type_sizes.Find(type);
  if (noted != 0) return noted;
  const uint32_t size_class = internal::SizeClassOf(bits);
  return static_cast<int64_t>(internal::BlockBytes(size_class));
}

}  // namespace

std::string TypeNameOf(const Object& object) {
  return internal::TypeName(object);
}

std::vector<TypeCount> Heap::CountByType() const {
  // Types with the same name (e.g. a vtable in two shared objects) merge.
  absl::flat_hash_map<std::string, TypeCount> by_name;
  for (const auto& [type, tally] : TallyByType(*state_)) {
    std::string name = internal::TypeName(*type);
    TypeCount& row = by_name[name];
    row.type_name = std::move(name);
    row.count += tally.count;
    row.bytes += tally.count * BytesPerObject(*state_, *type, tally.some_bits);
  }
  std::vector<TypeCount> census;
  census.reserve(by_name.size());
  for (auto& [name, row] : by_name) census.push_back(std::move(row));
  std::sort(census.begin(), census.end(),
            [](const TypeCount& a, const TypeCount& b) {
              return a.count != b.count ? a.count > b.count
                                        : a.type_name < b.type_name;
            });
  return census;
}

GrowthTracker::GrowthTracker(Heap& heap)
    : heap_(heap),
      watch_(std::make_unique<internal::HeapWatch>(heap, "GrowthTracker",
                                                   CollectionCallback())) {
  Update();
}

GrowthTracker::~GrowthTracker() = default;

std::vector<TypeGrowth> GrowthTracker::Update() {
  if (!watch_->heap_alive()) return {};  // misuse, tolerated in release builds
  absl::flat_hash_map<std::string, int64_t> now;
  std::vector<TypeGrowth> grown;
  for (TypeCount& row : heap_.CountByType()) {
    auto last = last_.find(row.type_name);
    const int64_t before = last == last_.end() ? 0 : last->second;
    if (row.count > before) {
      grown.push_back({row.type_name, row.count, row.count - before});
    }
    now.emplace(std::move(row.type_name), row.count);
  }
  std::sort(grown.begin(), grown.end(),
            [](const TypeGrowth& a, const TypeGrowth& b) {
              return a.delta != b.delta ? a.delta > b.delta
                                        : a.type_name < b.type_name;
            });
  last_ = std::move(now);
  return grown;
}

}  // namespace gc
