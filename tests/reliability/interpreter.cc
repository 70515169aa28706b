// Copyright 2026 The cyclegc Authors.
//
// The operations of random programs: each changes the heap and the oracle the
// same way, and logs one line of the program's trace.

#include "tests/reliability/interpreter.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace gc_reliability {
namespace {

constexpr size_t kMaxEdges = 12;

const char* const kKindNames[] = {"untracked", "tracked", "finalizable",
                                  "ordered", "finalizable+ordered"};
const char* const kActionNames[] = {"", " (finalizer does nothing)",
                                    " (finalizer resurrects)",
                                    " (finalizer allocates)"};

const char* ActionName(bool finalizable, FinalAction action) {
  return kActionNames[finalizable ? 1 + static_cast<int>(action) : 0];
}

std::string Name(int id) { return id < 0 ? "null" : absl::StrCat("#", id); }

}  // namespace

void* ScheduledAllocator::Allocate(std::size_t size) {
  if (++allocations_ == fail_at_) {
    ++failed_;
    throw std::bad_alloc();
  }
  void* memory = ::operator new(size);
  ++outstanding_;
  return memory;
}

void ScheduledAllocator::Deallocate(void* memory) noexcept {
  --outstanding_;
  ::operator delete(memory);
}

Interpreter::Interpreter(const ProgramOptions& options)
    : allocator_(options.fail_allocation),
      scope_(heap_),
      oracle_(kRoots, kWeaks) {
  World* world = &world_;
  if (options.default_allocator && options.fail_allocation != -1) {
    Fail("the default allocator cannot be made to fail");
  }
  if (const absl::Status status = options.default_allocator
                                      ? absl::OkStatus()
                                      : heap_.SetAllocator(&allocator_);
      !status.ok()) {
    Fail(status.ToString());
  }
  oracle_.SetFailingAllocation(options.fail_allocation);
  oracle_.FollowFinalizeOrder(&world_.finalize_order);
  heap_.SetDebug(gc::kDebugVerify);
  heap_.SetReportSink([](std::string_view) {});
  heap_.SetErrorReporter([world](std::string_view line) {
    world->errors.push_back("error report: " + std::string(line));
  });
  heap_.AddCallback([world](gc::Phase phase, const gc::CollectionInfo& info) {
    if (phase != gc::Phase::kStop) return;
    world->collections.push_back(
        {info.generation, info.collected, info.uncollectable, info.candidates});
  });
  // Low thresholds, so that automatic collections run from the start.
  SetThreshold({8, 3, 3});
  trace_.clear();
}

Interpreter::~Interpreter() {
  if (ok()) return;  // Teardown() emptied the heap
  // Drop everything the program holds; never touch an object whose
  // destructor ran (`alive` is set by the objects themselves).
  for (gc::Ref<gc::Object>& root : roots_) root.reset();
  for (gc::WeakRef<gc::Object>& weak : weaks_) weak = {};
  for (int round = 0; round < 3; ++round) {
    world_.saved.clear();
    heap_.Garbage().clear();
    for (Record& record : world_.records) {
      if (!record.alive) continue;
      record.raw->ordered = false;
      std::vector<gc::Ref<gc::Object>> edges = std::move(record.raw->edges);
      record.raw->edges.clear();
    }
    heap_.Unfreeze();
    heap_.SetDebug(gc::kDebugVerify);
    heap_.Collect();
  }
}

void Interpreter::Fail(std::string message) {
  if (ok()) failure_ = std::move(message);
}

void Interpreter::Log(std::string line) {
  trace_.push_back(absl::StrCat(trace_.size(), ": ", line));
}

int Interpreter::PickLive(uint8_t choice) const {
  const std::vector<int> live = oracle_.LiveIds();
  return live.empty() ? -1 : live[choice % live.size()];
}

TestObject* Interpreter::Raw(int id) {
  Record& record = world_.records[id];
  if (!record.alive) {
    Fail(absl::StrCat("object #", id, " is dead but the oracle says alive"));
    return nullptr;
  }
  return record.raw;
}

gc::Ref<gc::Object> Interpreter::MakeKind(int kind, int id, FinalAction action,
                                          int child) {
  switch (kind) {
    case 0:
      return gc::Make<TestObject>(&world_, id);
    case 1:
      return gc::Make<Tracked>(&world_, id);
    case 2:
      return gc::Make<Finalizable>(&world_, id, action, child);
    case 3:
      return gc::Make<Ordered>(&world_, id);
    default:
      return gc::Make<FinalizableOrdered>(&world_, id, action, child);
  }
}

void Interpreter::Make(int kind, FinalAction action, int slot, int holder) {
  if (oracle_.live() >= kMaxLive) {
    Log("make: skipped, too many live objects");
    return;
  }
  auto reserve = [this] {
    world_.records.emplace_back();
    return oracle_.Reserve();
  };
  const bool finalizable = kind == 2 || kind == 4;
  if (!finalizable) action = FinalAction::kNothing;
  const int id = reserve();
  const int child = action == FinalAction::kAllocate ? reserve() : -1;
  Log(absl::StrCat("make ", kKindNames[kind], " #", id,
                   ActionName(finalizable, action), " -> ",
                   holder >= 0 ? absl::StrCat("edge of #", holder)
                               : absl::StrCat("root[", slot, "]")));
  const bool allocates = oracle_.Allocate();
  gc::Ref<gc::Object> fresh;
  try {
    fresh = MakeKind(kind, id, action, child);
  } catch (const std::bad_alloc&) {
    // Make reports the failure and changes nothing (Check() verifies).
    Log(absl::StrCat("  (make #", id, " failed: bad_alloc)"));
    if (allocates) Fail("gc::Make threw bad_alloc; its allocation succeeded");
    return;
  }
  if (!allocates) {
    return Fail("gc::Make did not report the failed allocation");
  }
  oracle_.Create(id, kind != 0, finalizable, kind >= 3, action, child);
  if (holder < 0) {
    roots_[slot] = fresh;
    oracle_.SetRoot(slot, id);
  } else if (oracle_.objects()[holder].alive) {  // an automatic collection
    TestObject* raw = Raw(holder);               // may have freed it
    if (raw == nullptr) return;
    raw->edges.push_back(fresh);
    oracle_.AddEdge(holder, id);
  }
  fresh.reset();
  oracle_.DecRef(id);
}

void Interpreter::AddEdge(int from, int to) {
  if (from < 0 || Raw(from) == nullptr ||
      Raw(from)->edges.size() >= kMaxEdges) {
    return;
  }
  Log(absl::StrCat("edge #", from, " -> #", to));
  Raw(from)->edges.push_back(gc::Ref<gc::Object>(Raw(to)));
  oracle_.AddEdge(from, to);
}

void Interpreter::RemoveEdge(int from, uint8_t choice) {
  if (from < 0 || Raw(from) == nullptr || Raw(from)->edges.empty()) return;
  std::vector<gc::Ref<gc::Object>>& edges = Raw(from)->edges;
  const size_t index = choice % edges.size();
  Log(absl::StrCat("remove edge ", index, " of #", from, " (to ",
                   Name(IdOf(edges[index])), ")"));
  gc::Ref<gc::Object> old = std::move(edges[index]);
  edges.erase(edges.begin() + static_cast<std::ptrdiff_t>(index));
  old.reset();
  oracle_.RemoveEdge(from, static_cast<int>(index));
}

void Interpreter::SetRoot(int slot, int id) {
  Log(absl::StrCat("root[", slot, "] = ", Name(id)));
  roots_[slot] = id < 0 ? nullptr : gc::Ref<gc::Object>(Raw(id));
  oracle_.SetRoot(slot, id);
}

gc::WeakRef<gc::Object> Interpreter::NewWeak(int target, int token) {
  const gc::Ref<gc::Object> ref =
      target < 0 ? nullptr : gc::Ref<gc::Object>(Raw(target));
  if (token < 0) return gc::WeakRef<gc::Object>(ref);
  World* world = &world_;
  return gc::WeakRef<gc::Object>(
      ref, [world, token](const gc::WeakRef<gc::Object>& self) {
        ++world->fired[token];
        if (!self.expired() || self.Lock()) {
          world->errors.push_back(
              absl::StrCat("weak callback ", token, " sees its referent"));
        }
      });
}

void Interpreter::AssignWeak(int slot, int target, bool with_callback) {
  int token = -1;
  if (with_callback) {
    token = oracle_.NewToken();
    world_.fired.push_back(0);
  }
  Log(absl::StrCat("weak[", slot, "] = WeakRef(", Name(target),
                   with_callback ? absl::StrCat(", callback ", token) : "",
                   ")"));
  weaks_[slot] = NewWeak(target, token);
  oracle_.AssignWeak(slot, target, token);
}

void Interpreter::RepointWeak(int slot, int target) {
  Log(absl::StrCat("weak[", slot, "] re-pointed at ", Name(target)));
  if (target < 0) {
    weaks_[slot].reset();
  } else {
    weaks_[slot] = gc::Ref<gc::Object>(Raw(target));
  }
  oracle_.RepointWeak(slot, target);
}

void Interpreter::LockWeak(int slot, int root) {
  Log(absl::StrCat("root[", root, "] = weak[", slot, "].Lock()"));
  roots_[root] = weaks_[slot].Lock();
  oracle_.SetRoot(root, oracle_.weaks()[slot].target);
}

void Interpreter::InnerWeak(int holder, int target) {
  if (holder < 0 || Raw(holder) == nullptr) return;
  const int slot = oracle_.InnerWeak(holder);
  const int token = oracle_.NewToken();
  world_.fired.push_back(0);
  Log(absl::StrCat("#", holder, ".inner_weak = WeakRef(", Name(target),
                   ", callback ", token, ")"));
  Raw(holder)->inner_weak = NewWeak(target, token);
  oracle_.AssignWeak(slot, target, token);
}

void Interpreter::SetOrdered(int id, bool ordered) {
  if (id < 0 || Raw(id) == nullptr) return;
  Log(absl::StrCat("#", id, ".ordered = ", ordered));
  Raw(id)->ordered = ordered;
  oracle_.SetOrdered(id, ordered);
}

void Interpreter::Collect(int generation) {
  Log(absl::StrCat("Collect(", generation, ")"));
  const int64_t found = heap_.Collect(generation);
  const int64_t expected = oracle_.Collect(generation);
  if (found != expected) {
    Fail(absl::StrCat("Collect(", generation, ") returned ", found,
                      ", oracle says ", expected));
  }
}

void Interpreter::SetThreshold(std::array<int64_t, 3> threshold) {
  Log(absl::StrCat("SetThreshold(", threshold[0], ", ", threshold[1], ", ",
                   threshold[2], ")"));
  const absl::Status status =
      heap_.SetThreshold(threshold[0], threshold[1], threshold[2]);
  if (!status.ok()) Fail(status.ToString());
  oracle_.SetThreshold(threshold);
}

void Interpreter::SetEnabled(bool enabled) {
  Log(enabled ? "Enable()" : "Disable()");
  if (enabled) {
    heap_.Enable();
  } else {
    heap_.Disable();
  }
  oracle_.SetEnabled(enabled);
}

void Interpreter::Freeze(bool freeze) {
  Log(freeze ? "Freeze()" : "Unfreeze()");
  if (freeze) {
    heap_.Freeze();
    oracle_.Freeze();
  } else {
    heap_.Unfreeze();
    oracle_.Unfreeze();
  }
}

void Interpreter::DropListEntry(bool garbage, uint8_t choice) {
  std::vector<gc::Ref<gc::Object>>& list =
      garbage ? heap_.Garbage() : world_.saved;
  if (list.empty()) return;
  const size_t index = choice % list.size();
  const int id = IdOf(list[index]);
  Log(absl::StrCat("drop ", garbage ? "Garbage()" : "saved", "[", index, "] (",
                   Name(id), ")"));
  gc::Ref<gc::Object> old = std::move(list[index]);
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(index));
  old.reset();
  if (garbage) {
    oracle_.DropGarbage(id);
  } else {
    oracle_.DropSaved(id);
  }
}

void Interpreter::SetDebugFlags(uint8_t choice) {
  int flags = gc::kDebugVerify;
  if ((choice & 1) != 0) flags |= gc::kDebugStats;
  if ((choice & 2) != 0) flags |= gc::kDebugCollectable;
  if ((choice & 4) != 0) flags |= gc::kDebugUncollectable;
  const bool save_all = (choice & 0x18) == 0x18;
  if (save_all) flags |= gc::kDebugSaveAll;
  Log(absl::StrCat("SetDebug(", flags, ")"));
  heap_.SetDebug(flags);
  oracle_.SetSaveAll(save_all);
}

void Interpreter::Teardown() {
  Log("teardown");
  for (int slot = 0; slot < kRoots; ++slot) SetRoot(slot, -1);
  for (int slot = 0; slot < kWeaks; ++slot) AssignWeak(slot, -1, false);
  SetDebugFlags(0);
  Freeze(false);
  for (int round = 0; round < 4 && ok(); ++round) {
    while (!world_.saved.empty()) DropListEntry(false, 0);
    while (!heap_.Garbage().empty()) DropListEntry(true, 0);
    // Break cycles through untracked objects, allow ordered ones to go.
    for (int id : oracle_.LiveIds()) {
      if (!oracle_.objects()[id].alive) continue;  // died meanwhile
      if (!oracle_.objects()[id].tracked) {
        while (ok() && oracle_.objects()[id].alive &&
               !oracle_.objects()[id].edges.empty()) {
          RemoveEdge(id, 0);
        }
      } else if (oracle_.objects()[id].ordered) {
        SetOrdered(id, false);
      }
    }
    Check();
    if (oracle_.live() == 0) break;
    Collect(2);
    Check();
  }
  if (ok() && (oracle_.live() != 0 || heap_.LiveObjects() != 0 ||
               allocator_.outstanding() != 0)) {
    Fail(absl::StrCat("after teardown ", heap_.LiveObjects(),
                      " objects live on (the oracle has ", oracle_.live(),
                      "); ", allocator_.outstanding(),
                      " allocations not freed"));
  }
}

}  // namespace gc_reliability
