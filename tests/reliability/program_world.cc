// Copyright 2026 The cyclegc Authors.

#include "tests/reliability/program_world.h"

namespace gc_reliability {

TestObject::TestObject(World* world, int id, FinalAction action, int child)
    : world_(world), id_(id), action_(action), child_(child) {
  Record& record = world_->records[id_];
  record.raw = this;
  record.created = record.alive = true;
}

TestObject::~TestObject() {
  Record& record = world_->records[id_];
  ++record.destroyed;
  record.alive = false;
  record.raw = nullptr;
  for (const gc::Ref<gc::Object>& edge : edges) {
    if (!edge) record.destroyed_broken = true;
  }
}

void TestObject::RunFinalizer() {
  {
    Record& record = world_->records[id_];
    ++record.finalize_calls;
    world_->finalize_order.push_back(id_);
    for (const gc::Ref<gc::Object>& edge : edges) {
      if (!edge) record.finalized_broken = true;
    }
    // A collection is running: a nested one must return at once.
    if (gc::Heap::Current().Collect() != 0) record.nested_collect = true;
  }
  if (action_ == FinalAction::kResurrect) {
    world_->saved.push_back(gc::Ref<gc::Object>(this));
  } else if (action_ == FinalAction::kAllocate) {
    world_->saved.push_back(gc::Make<Tracked>(world_, child_));
  }
}

void Tracked::Trace(gc::Visitor& visitor) {
  for (gc::Ref<gc::Object>& edge : edges) visitor.Visit(edge);
}

}  // namespace gc_reliability
