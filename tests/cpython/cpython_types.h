// Copyright 2026 The cyclegc Authors.
//
// File: tests/cpython/cpython_types.h
// -----------------------------------------------------------------------------
//
// Managed types that stand in for the Python objects of CPython's
// Lib/test/test_gc.py and Lib/test/test_finalization.py: a list, a dict, a
// tuple, an "uncollectable" pair (a legacy finalizer, here an object that
// requires ordered destruction) and a detector that notices when a
// collection happened (test_gc.py's GC_Detector).

#ifndef CYCLEGC_TESTS_CPYTHON_CPYTHON_TYPES_H_
#define CYCLEGC_TESTS_CPYTHON_CPYTHON_TYPES_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gc/gc.h"
#include "tests/test_types.h"

namespace gc_test::cpython {

// What the probes of one test did: test_finalization.py's class-wide lists.
struct Log {
  std::vector<int> finalized;  // ids, in the order Finalize() ran
  std::vector<int> destroyed;  // ids, in the order destructors ran
  // Ids of objects that a finalizer dropped the last reference to before
  // their own Finalize() ran (see Chained::BreakLinks).
  std::vector<int> killed;
  std::vector<gc::Ref<gc::Object>> survivors;  // resurrected objects
  std::vector<std::string> errors;             // failed sanity checks
};

// `ids` in ascending order (the order of finalizers is not specified).
inline std::vector<int> SortedIds(std::vector<int> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// What a probe's Finalize() does after recording itself.
enum class Effect {
  kNone,
  kResurrect,  // stores a reference to itself in Log::survivors
  kSuicide,    // breaks its own links (SuicidalSelfCycle, SuicidalChained)
};

// test_finalization.py's SimpleBase: Finalize() records the call, checks
// that the object is intact, then applies its side effect; the destructor
// records the death. Probe itself has no Trace: it is untracked (NonGC).
class Probe : public gc::Object {
 public:
  Probe(Log* log, int id, Effect effect = Effect::kNone)
      : log_(log), id_(id), effect_(effect) {}
  ~Probe() override { log_->destroyed.push_back(id_); }

  void Finalize() override {
    log_->finalized.push_back(id_);
    CheckSanity();
    if (effect_ == Effect::kResurrect) {
      log_->survivors.push_back(gc::Ref<gc::Object>(this));
    } else if (effect_ == Effect::kSuicide) {
      BreakLinks();
    }
  }

  int id() const { return id_; }

 protected:
  virtual void CheckSanity() {}
  virtual void BreakLinks() {}
  void Expect(bool ok, const char* what) {
    if (!ok) log_->errors.push_back(std::to_string(id_) + ": " + what);
  }
  Log* log() const { return log_; }

 private:
  Log* log_;
  int id_;
  Effect effect_;
};

// test_finalization.py's SelfCycleBase family: a probe that references
// itself (MakeSelfCycle) or nothing.
class SelfCycle : public Probe {
 public:
  using Probe::Probe;
  void Trace(gc::Visitor& visitor) override { visitor.Visit(ref); }
  gc::Ref<SelfCycle> ref;

 protected:
  void CheckSanity() override { Expect(ref.get() == this, "ref is not self"); }
  void BreakLinks() override { ref.reset(); }
};

inline gc::Ref<SelfCycle> MakeSelfCycle(Log* log, int id,
                                        Effect effect = Effect::kNone) {
  gc::Ref<SelfCycle> s = gc::Make<SelfCycle>(log, id, effect);
  s->ref = s;
  return s;
}

// A test whose probes write to `log_`. At its end no finalizer found a
// broken object, and the resurrected objects are dropped before HeapTest's
// leak check.
class ProbeTest : public HeapTest {
 protected:
  void TearDown() override {
    EXPECT_TRUE(log_.errors.empty()) << log_.errors[0];
    log_.survivors.clear();
    HeapTest::TearDown();
  }
  Log log_;
};

// A Python list: a growable sequence of strong references to anything.
class List : public gc::Object {
 public:
  explicit List(Counters* c = nullptr) : counters(c) {}
  ~List() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<gc::Object>& item : items) visitor.Visit(item);
  }
  std::vector<gc::Ref<gc::Object>> items;
  Counters* counters;
};

// A Python dict with int keys.
class Dict : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (auto& [key, value] : items) visitor.Visit(value);
  }
  absl::flat_hash_map<int, gc::Ref<gc::Object>> items;
};

// A Python tuple: its items are fixed when it is made.
class Tuple : public gc::Object {
 public:
  explicit Tuple(std::vector<gc::Ref<gc::Object>> items)
      : items_(std::move(items)) {}
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<gc::Object>& item : items_) visitor.Visit(item);
  }
  const gc::Ref<gc::Object>& operator[](size_t i) const { return items_[i]; }

 private:
  std::vector<gc::Ref<gc::Object>> items_;
};

// test_gc.py's Uncollectable: two partners that reference each other and
// both have a legacy finalizer. cyclegc's counterpart of a legacy finalizer
// is RequiresOrderedDestruction(): the collector never breaks such a cycle
// and leaves it in Heap::Garbage().
class Uncollectable : public gc::Object {
 public:
  explicit Uncollectable(Counters* c = nullptr) : counters(c) {}
  ~Uncollectable() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  bool RequiresOrderedDestruction() const override { return true; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(partner); }

  // Makes a pair of partners and drops it: two objects of cyclic garbage.
  static void MakeGarbagePair(Counters* counters = nullptr) {
    gc::Ref<Uncollectable> a = gc::Make<Uncollectable>(counters);
    a->partner = gc::Make<Uncollectable>(counters);
    a->partner->partner = a;
  }

  gc::Ref<Uncollectable> partner;
  Counters* counters;
};

// Breaks the partner cycles of the Uncollectables in `garbage` and removes
// them from it (test_gc.py's GCCallbackTests clean-up). Returns how many it
// removed.
inline int64_t ReleaseUncollectables(
    std::vector<gc::Ref<gc::Object>>& garbage) {
  int64_t removed = 0;
  std::vector<gc::Ref<gc::Object>> kept;
  for (gc::Ref<gc::Object>& object : garbage) {
    if (gc::Ref<Uncollectable> u = gc::DynamicRefCast<Uncollectable>(object)) {
      u->partner.reset();
      ++removed;
    } else {
      kept.push_back(std::move(object));
    }
  }
  garbage = std::move(kept);
  return removed;
}

// test_gc.py's C1055820: a node in a self-loop, cyclic garbage once the
// returned reference goes.
inline gc::Ref<Node> MakeSelfLoop(int i, Counters* counters = nullptr) {
  gc::Ref<Node> node = gc::Make<Node>(i, counters);
  node->parent = node;
  return node;
}

// test_gc.py's GC_Detector: a piece of cyclic garbage whose weak reference
// callback notes that a collection freed it. Made on the current heap.
class GcDetector {
 public:
  GcDetector() {
    watch_ = gc::WeakRef<Node>(
        MakeSelfLoop(666),
        [this](const gc::WeakRef<Node>&) { happened_ = true; });
  }
  GcDetector(const GcDetector&) = delete;
  GcDetector& operator=(const GcDetector&) = delete;

  bool happened() const { return happened_; }

 private:
  bool happened_ = false;
  gc::WeakRef<Node> watch_;
};

// Allocates tracked junk (kept in `junk`) until `detector` saw a collection
// or `limit` allocations were made; returns the number of allocations.
// `each` runs before every allocation (to check that nothing happened yet).
template <typename Check>
int AllocateUntilCollected(const GcDetector& detector, int limit,
                           std::vector<gc::Ref<gc::Object>>& junk, Check each) {
  int i = 0;
  while (!detector.happened() && i < limit) {
    each();
    ++i;
    junk.push_back(gc::Make<List>());
  }
  return i;
}

}  // namespace gc_test::cpython

#endif  // CYCLEGC_TESTS_CPYTHON_CPYTHON_TYPES_H_
