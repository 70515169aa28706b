// Copyright 2026 The cyclegc Authors.
//
// The comparison of the heap with the oracle after every operation of a
// random program. The first difference fails the program.

#include <algorithm>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/reliability/interpreter.h"

namespace gc_reliability {
namespace {

std::vector<int> SortedIds(const std::vector<gc::Ref<gc::Object>>& refs) {
  std::vector<int> ids;
  for (const gc::Ref<gc::Object>& ref : refs) ids.push_back(IdOf(ref));
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<int> Sorted(std::vector<int> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string Ids(const std::vector<int>& ids) {
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

std::string Describe(const ModelCollection& c) {
  return absl::StrCat("gen ", c.generation, ": ", c.collected, " collected, ",
                      c.uncollectable, " uncollectable, ", c.candidates,
                      " candidates");
}

std::string Describe(const std::vector<ModelCollection>& collections) {
  std::vector<std::string> parts;
  for (const ModelCollection& c : collections) parts.push_back(Describe(c));
  return absl::StrCat("[", absl::StrJoin(parts, "; "), "]");
}

}  // namespace

void Interpreter::Check() {
  if (ok()) CheckObjects();
  if (ok()) CheckReferences();
  if (ok()) CheckHeap();
  // The only errors expected: finalizers whose allocation failed.
  bool errors_ok =
      static_cast<int64_t>(world_.errors.size()) == oracle_.expected_errors();
  for (const std::string& error : world_.errors) {
    errors_ok &= absl::StrContains(error, "exception in Finalize()");
  }
  if (!errors_ok) {
    Fail(absl::StrCat(oracle_.expected_errors(),
                      " error reports expected; got:\n",
                      absl::StrJoin(world_.errors, "\n")));
  }
}

// Life, deaths, finalizers, reference counts and edges of every object.
void Interpreter::CheckObjects() {
  const std::vector<ModelObject>& objects = oracle_.objects();
  for (size_t id = 0; id < objects.size() && ok(); ++id) {
    const ModelObject& m = objects[id];
    const Record& r = world_.records[id];
    auto fail = [&](const std::string& what) {
      Fail(absl::StrCat("object #", id, ": ", what));
    };
    const int destroyed = m.created && !m.alive ? 1 : 0;
    if (r.created != m.created || r.alive != m.alive) {
      fail(absl::StrCat("alive ", r.alive, ", oracle says ", m.alive));
    } else if (r.destroyed != destroyed) {
      fail(absl::StrCat("destructor ran ", r.destroyed, " times, expected ",
                        destroyed));
    } else if (r.finalize_calls != (m.finalized ? 1 : 0)) {
      fail(absl::StrCat("Finalize() ran ", r.finalize_calls,
                        " times, oracle says finalized=", m.finalized));
    } else if (r.destroyed_broken && !m.collected) {
      // Only the collector resets references, and only of cyclic garbage.
      fail("destroyed with reset references, but it was not garbage");
    } else if (r.finalized_broken) {
      fail("Finalize() saw a reset reference");
    } else if (r.nested_collect) {
      fail("Collect() inside Finalize() did not return 0");
    }
    if (!ok() || !m.alive) continue;
    const TestObject& object = *r.raw;
    std::vector<int> edges;
    for (const gc::Ref<gc::Object>& edge : object.edges) {
      edges.push_back(IdOf(edge));
    }
    if (gc::RefCount(object) != m.rc) {
      fail(absl::StrCat("refcount ", gc::RefCount(object), ", oracle says ",
                        m.rc));
    } else if (gc::IsTracked(object) != m.tracked) {
      fail(absl::StrCat("tracked ", gc::IsTracked(object)));
    } else if (gc::IsFinalized(object) != m.finalized) {
      fail(absl::StrCat("IsFinalized ", gc::IsFinalized(object)));
    } else if (edges != m.edges) {
      fail(absl::StrCat("edges ", Ids(edges), ", oracle says ", Ids(m.edges)));
    }
  }
  if (ok() && heap_.LiveObjects() != oracle_.live()) {
    Fail(absl::StrCat("LiveObjects() ", heap_.LiveObjects(), ", oracle says ",
                      oracle_.live()));
  }
}

// Roots, the saved list, Garbage(), weak references and their callbacks.
void Interpreter::CheckReferences() {
  for (int slot = 0; slot < kRoots; ++slot) {
    if (IdOf(roots_[slot]) != oracle_.roots()[slot]) {
      return Fail(absl::StrCat("root[", slot, "] holds ", IdOf(roots_[slot])));
    }
  }
  if (SortedIds(world_.saved) != Sorted(oracle_.saved())) {
    return Fail(absl::StrCat("saved ", Ids(SortedIds(world_.saved)),
                             ", oracle says ", Ids(Sorted(oracle_.saved()))));
  }
  if (SortedIds(heap_.Garbage()) != Sorted(oracle_.garbage())) {
    return Fail(absl::StrCat("Garbage() ", Ids(SortedIds(heap_.Garbage())),
                             ", oracle says ", Ids(Sorted(oracle_.garbage()))));
  }
  const std::vector<ModelWeak>& weaks = oracle_.weaks();
  for (size_t slot = 0; slot < weaks.size(); ++slot) {
    const ModelWeak& m = weaks[slot];
    const gc::WeakRef<gc::Object>* weak = nullptr;
    if (m.holder < 0) {
      weak = &weaks_[slot];
    } else if (oracle_.objects()[m.holder].alive) {
      weak = &world_.records[m.holder].raw->inner_weak;
    } else {
      continue;  // died with its holder
    }
    const int locked = IdOf(weak->Lock());
    if (weak->expired() != (m.target < 0) || locked != m.target) {
      return Fail(absl::StrCat("weak slot ", slot, " (holder ", m.holder,
                               ") expired=", weak->expired(), " locks ", locked,
                               ", oracle says ", m.target));
    }
  }
  if (world_.fired != oracle_.fired()) {
    return Fail(absl::StrCat("weak callbacks ran ", Ids(world_.fired),
                             " times (per token), oracle says ",
                             Ids(oracle_.fired())));
  }
}

// Collections, counts, generations and statistics.
void Interpreter::CheckHeap() {
  const std::vector<ModelCollection> expected = oracle_.TakeCollections();
  if (world_.collections != expected) {
    return Fail(absl::StrCat("collections ", Describe(world_.collections),
                             ", oracle says ", Describe(expected)));
  }
  world_.collections.clear();
  if (heap_.GetCount() != oracle_.count()) {
    const std::array<int64_t, 3> count = heap_.GetCount();
    return Fail(absl::StrCat("GetCount() ", count[0], ",", count[1], ",",
                             count[2], ", oracle says ", oracle_.count()[0],
                             ",", oracle_.count()[1], ",", oracle_.count()[2]));
  }
  std::array<std::vector<int>, 4> generations;
  for (int id : oracle_.LiveIds()) {
    const ModelObject& object = oracle_.objects()[id];
    if (object.tracked) generations[object.gen].push_back(id);
  }
  for (int g = 0; g < 3; ++g) {
    const std::vector<int> ids = SortedIds(heap_.GetObjects(g));
    if (ids != generations[g]) {
      return Fail(absl::StrCat("generation ", g, " holds ", Ids(ids),
                               ", oracle says ", Ids(generations[g])));
    }
  }
  if (heap_.GetFreezeCount() !=
      static_cast<int64_t>(generations[kPermanent].size())) {
    return Fail(absl::StrCat("GetFreezeCount() ", heap_.GetFreezeCount(),
                             ", oracle says ", Ids(generations[kPermanent])));
  }
  const std::array<gc::GenerationStats, 3> stats = heap_.GetStats();
  for (int g = 0; g < 3; ++g) {
    const ModelStats& m = oracle_.totals()[g];
    if (stats[g].collections != m.collections ||
        stats[g].collected != m.collected ||
        stats[g].uncollectable != m.uncollectable ||
        stats[g].candidates != m.candidates) {
      return Fail(absl::StrCat("GetStats()[", g, "] differs from the oracle"));
    }
  }
}

}  // namespace gc_reliability
