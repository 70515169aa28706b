// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/program_world.h
// -----------------------------------------------------------------------------
//
// The managed types random programs allocate, and the `World` that records
// what happened to them (constructions, destructions, finalizer runs, weak
// callbacks, collections). The world outlives the heap, so that whatever the
// heap's destruction still does is recorded safely.
//
// Types (`Finalize` and `RequiresOrderedDestruction` are overridden only
// where the name says so, which is what sets their collector bits):
//
//   TestObject          untracked (no Trace); its edges act as external refs
//   Tracked             Trace visits every edge
//   Finalizable         + Finalize: records, then resurrects or allocates
//   Ordered             + RequiresOrderedDestruction() returns `ordered`
//   FinalizableOrdered  both

#ifndef CYCLEGC_TESTS_RELIABILITY_PROGRAM_WORLD_H_
#define CYCLEGC_TESTS_RELIABILITY_PROGRAM_WORLD_H_

#include <string>
#include <vector>

#include "gc/gc.h"
#include "tests/reliability/oracle.h"

namespace gc_reliability {

class TestObject;

// What happened to one object id.
struct Record {
  TestObject* raw = nullptr;  // while alive
  bool created = false;
  bool alive = false;
  int destroyed = 0;
  int finalize_calls = 0;
  bool destroyed_broken = false;  // a null edge when its destructor ran
  bool finalized_broken = false;  // a null edge when Finalize() ran
  bool nested_collect = false;    // Collect() in Finalize() did not return 0
};

struct World {
  std::vector<Record> records;
  std::vector<int> fired;           // weak callbacks run, per token
  std::vector<int> finalize_order;  // ids, as Finalize() runs
  std::vector<ModelCollection> collections;
  std::vector<std::string> errors;  // error reports and misbehaviour
  // Where finalizers store what they resurrect or allocate. Last member:
  // destroyed first, while `records` still exists.
  std::vector<gc::Ref<gc::Object>> saved;
};

class TestObject : public gc::Object {
 public:
  TestObject(World* world, int id, FinalAction action = FinalAction::kNothing,
             int child = -1);
  ~TestObject() override;

  int id() const { return id_; }

  std::vector<gc::Ref<gc::Object>> edges;
  gc::WeakRef<gc::Object> inner_weak;
  bool ordered = true;

 protected:
  void RunFinalizer();

 private:
  World* world_;
  int id_;
  FinalAction action_;
  int child_;
};

class Tracked : public TestObject {
 public:
  using TestObject::TestObject;
  void Trace(gc::Visitor& visitor) override;
};

class Finalizable : public Tracked {
 public:
  using Tracked::Tracked;
  void Finalize() override { RunFinalizer(); }
};

class Ordered : public Tracked {
 public:
  using Tracked::Tracked;
  bool RequiresOrderedDestruction() const override { return ordered; }
};

class FinalizableOrdered : public Finalizable {
 public:
  using Finalizable::Finalizable;
  bool RequiresOrderedDestruction() const override { return ordered; }
};

// The id of a reference's object (all objects of a program are TestObjects).
inline int IdOf(const gc::Ref<gc::Object>& ref) {
  return ref ? static_cast<const TestObject*>(ref.get())->id() : -1;
}

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_PROGRAM_WORLD_H_
