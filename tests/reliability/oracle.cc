// Copyright 2026 The cyclegc Authors.

#include "tests/reliability/oracle.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace gc_reliability {
namespace {

// The oracle checks its own invariants; a broken one is a bug of the test.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

Oracle::Oracle(int roots, int external_weaks)
    : weaks_(external_weaks), roots_(roots, -1) {}

int Oracle::Reserve() {
  objects_.emplace_back();
  return static_cast<int>(objects_.size()) - 1;
}

int Oracle::NewToken() {
  fired_.push_back(0);
  return static_cast<int>(fired_.size()) - 1;
}

int Oracle::Create(int id, bool tracked, bool has_finalizer, bool ordered_type,
                   FinalAction action, int child) {
  ModelObject& object = objects_[id];
  Require(!object.created);
  object.created = object.alive = true;
  object.tracked = tracked;
  object.has_finalizer = has_finalizer;
  object.ordered_type = object.ordered = ordered_type;
  object.action = action;
  object.child = child;
  object.rc = 1;
  ++live_;
  if (!tracked) return -1;
  object.gen = 0;
  ++count_[0];
  if (count_[0] <= threshold_[0] || !enabled_ || threshold_[0] == 0 ||
      collecting_) {
    return -1;
  }
  const int generation = AutomaticGeneration();
  if (generation >= 0) Collect(generation);
  return generation;
}

int Oracle::AutomaticGeneration() const {
  for (int g = 2; g >= 0; --g) {
    if (count_[g] <= threshold_[g]) continue;
    if (g == 2 && long_lived_pending_ <= long_lived_total_ / 4) continue;
    return g;
  }
  return -1;
}

void Oracle::IncRef(int id) {
  Require(objects_[id].alive);
  ++objects_[id].rc;
}

void Oracle::DecRef(int id) {
  release_stack_.push_back(id);
  Release(release_stack_);
  if (!collecting_) FlushCallbacks();
}

// Drops one reference per entry of `pending`, killing what reaches zero.
void Oracle::Release(std::vector<int>& pending) {
  while (!pending.empty()) {
    const int id = pending.back();
    pending.pop_back();
    ModelObject& object = objects_[id];
    Require(object.rc > 0);
    if (--object.rc == 0 && object.alive) Kill(id, /*by_collector=*/false);
  }
}

// Marks `id` dead: expires weak references to it, destroys its own weak
// reference and queues its edges for release.
void Oracle::Kill(int id, bool by_collector) {
  ModelObject& object = objects_[id];
  object.alive = false;
  --live_;
  if (object.tracked && count_[0] > 0) --count_[0];
  for (ModelWeak& weak : weaks_) {
    if (weak.target != id) continue;
    weak.target = -1;
    if (weak.token >= 0) weak.pending = true;
  }
  if (object.inner_weak >= 0) {
    weaks_[object.inner_weak] = ModelWeak{.holder = id};
  }
  object.collected = by_collector;
  for (int edge : object.edges) release_stack_.push_back(edge);
  object.edges.clear();
}

// Runs due callbacks of weak references whose holder is still alive.
void Oracle::FlushCallbacks() {
  for (ModelWeak& weak : weaks_) {
    if (!weak.pending) continue;
    weak.pending = false;
    if (weak.holder >= 0 && !objects_[weak.holder].alive) continue;
    ++fired_[weak.token];
    weak.token = -1;  // one-shot
  }
}

void Oracle::AddEdge(int from, int to) {
  IncRef(to);
  objects_[from].edges.push_back(to);
}

void Oracle::RemoveEdge(int from, int index) {
  std::vector<int>& edges = objects_[from].edges;
  const int to = edges[index];
  edges.erase(edges.begin() + index);
  DecRef(to);
}

void Oracle::SetRoot(int slot, int id) {
  if (id >= 0) IncRef(id);
  const int old = std::exchange(roots_[slot], id);
  if (old >= 0) DecRef(old);
}

void Oracle::SetOrdered(int id, bool ordered) {
  ModelObject& object = objects_[id];
  object.ordered = object.ordered_type && ordered;
}

void Oracle::AssignWeak(int slot, int target, int token) {
  ModelWeak& weak = weaks_[slot];
  weak.target = target;
  weak.token = token;
  weak.pending = false;
}

void Oracle::RepointWeak(int slot, int target) {
  weaks_[slot].target = target;
  weaks_[slot].pending = false;
}

int Oracle::InnerWeak(int holder) {
  ModelObject& object = objects_[holder];
  if (object.inner_weak < 0) {
    object.inner_weak = static_cast<int>(weaks_.size());
    weaks_.push_back(ModelWeak{.holder = holder});
  }
  return object.inner_weak;
}

void Oracle::Move(std::vector<int>& from, int id) {
  auto it = std::find(from.begin(), from.end(), id);
  Require(it != from.end());
  from.erase(it);
  DecRef(id);
}

void Oracle::DropSaved(int id) { Move(saved_, id); }
void Oracle::DropGarbage(int id) { Move(garbage_, id); }

void Oracle::Freeze() {
  for (ModelObject& object : objects_) {
    if (object.alive && object.tracked) object.gen = kPermanent;
  }
  count_ = {};
}

void Oracle::Unfreeze() {
  for (ModelObject& object : objects_) {
    if (object.alive && object.tracked && object.gen == kPermanent) {
      object.gen = 2;
    }
  }
}

std::vector<int> Oracle::LiveIds() const {
  std::vector<int> ids;
  for (size_t id = 0; id < objects_.size(); ++id) {
    if (objects_[id].alive) ids.push_back(static_cast<int>(id));
  }
  return ids;
}

std::vector<ModelCollection> Oracle::TakeCollections() {
  return std::exchange(collections_, {});
}

void Oracle::Closure(const std::vector<char>& set, std::vector<int> starts,
                     std::vector<char>& reached) const {
  for (int id : starts) reached[id] = 1;
  while (!starts.empty()) {
    const int id = starts.back();
    starts.pop_back();
    for (int to : objects_[id].edges) {
      if (set[to] && !reached[to]) {
        reached[to] = 1;
        starts.push_back(to);
      }
    }
  }
}

std::vector<char> Oracle::Reachable(const std::vector<int>& members) const {
  std::vector<char> in_set(objects_.size());
  std::vector<int64_t> refs(objects_.size());
  for (int id : members) {
    in_set[id] = 1;
    refs[id] = objects_[id].rc;
  }
  for (int id : members) {
    for (int to : objects_[id].edges) {
      if (in_set[to]) Require(--refs[to] >= 0);
    }
  }
  std::vector<int> starts;
  for (int id : members) {
    if (refs[id] > 0) starts.push_back(id);
  }
  std::vector<char> reached(objects_.size());
  Closure(in_set, std::move(starts), reached);
  return reached;
}

void Oracle::OrderLikeHeap(std::vector<int>& ids) {
  if (finalize_order_ == nullptr) return;
  std::vector<char> waiting(objects_.size());
  for (int id : ids) waiting[id] = 1;
  std::vector<int> ordered;
  while (ordered.size() < ids.size() &&
         finalize_cursor_ < finalize_order_->size()) {
    const int id = (*finalize_order_)[finalize_cursor_++];
    if (!waiting[id]) continue;  // a difference Check() reports
    waiting[id] = 0;
    ordered.push_back(id);
  }
  for (int id : ids) {
    if (waiting[id]) ordered.push_back(id);
  }
  ids = std::move(ordered);
}

int64_t Oracle::Collect(int generation) {
  Require(!collecting_);
  collecting_ = true;
  const int survivors_gen = std::min(generation + 1, 2);
  if (generation < 2) ++count_[generation + 1];
  for (int g = 0; g <= generation; ++g) count_[g] = 0;
  ModelCollection info{.generation = generation};

  std::vector<int> candidates;
  for (size_t id = 0; id < objects_.size(); ++id) {
    const ModelObject& object = objects_[id];
    if (object.alive && object.tracked && object.gen <= generation) {
      candidates.push_back(static_cast<int>(id));
    }
  }
  info.candidates = static_cast<int64_t>(candidates.size());
  const std::vector<char> reachable = Reachable(candidates);
  std::vector<int> unreachable;
  int64_t survivors = 0;
  for (int id : candidates) {
    if (reachable[id]) {
      objects_[id].gen = survivors_gen;
      ++survivors;
    } else {
      unreachable.push_back(id);
    }
  }
  if (generation == 1) long_lived_pending_ += survivors;
  if (generation == 2) {
    long_lived_pending_ = 0;
    long_lived_total_ = survivors;
  }

  // Ordered destruction: those objects and all they reach are uncollectable.
  std::vector<char> in_unreachable(objects_.size());
  std::vector<int> ordered;
  for (int id : unreachable) {
    in_unreachable[id] = 1;
    if (objects_[id].ordered) ordered.push_back(id);
  }
  std::vector<char> kept(objects_.size());
  Closure(in_unreachable, std::move(ordered), kept);
  std::vector<int> rest;
  for (int id : unreachable) {
    if (!kept[id]) {
      rest.push_back(id);
      continue;
    }
    garbage_.push_back(id);
    ++objects_[id].rc;
    objects_[id].gen = survivors_gen;
    ++info.uncollectable;
  }

  // Weak references to the garbage expire before finalizers run.
  std::vector<char> in_rest(objects_.size());
  for (int id : rest) in_rest[id] = 1;
  for (ModelWeak& weak : weaks_) {
    if (weak.target < 0 || !in_rest[weak.target]) continue;
    weak.target = -1;
    if (weak.token >= 0) weak.pending = true;
  }

  std::vector<int> finalizers;
  for (int id : rest) {
    if (objects_[id].has_finalizer && !objects_[id].finalized) {
      finalizers.push_back(id);
    }
  }
  OrderLikeHeap(finalizers);
  const bool finalized_any = !finalizers.empty();
  for (int id : finalizers) {
    ModelObject& object = objects_[id];
    object.finalized = true;
    if (object.action == FinalAction::kResurrect) {
      saved_.push_back(id);
      ++object.rc;
    } else if (object.action == FinalAction::kAllocate && !Allocate()) {
      ++expected_errors_;  // the heap reports the exception and goes on
    } else if (object.action == FinalAction::kAllocate) {
      const int child = object.child;
      Create(child, /*tracked=*/true, false, false, FinalAction::kNothing);
      saved_.push_back(child);  // takes Create's reference
    }
  }
  if (finalized_any) {
    const std::vector<char> resurrected = Reachable(rest);
    std::vector<int> dead;
    for (int id : rest) {
      if (resurrected[id]) {
        objects_[id].gen = survivors_gen;
      } else {
        dead.push_back(id);
      }
    }
    rest = std::move(dead);
  }

  info.collected = static_cast<int64_t>(rest.size());
  for (int id : rest) {
    if (save_all_) {
      garbage_.push_back(id);
      ++objects_[id].rc;
      objects_[id].gen = survivors_gen;
    } else {
      Kill(id, /*by_collector=*/true);
    }
  }
  Release(release_stack_);
  for (int id : rest) Require(save_all_ || objects_[id].rc == 0);

  collecting_ = false;
  FlushCallbacks();
  collections_.push_back(info);
  ModelStats& totals = totals_[generation];
  ++totals.collections;
  totals.collected += info.collected;
  totals.uncollectable += info.uncollectable;
  totals.candidates += info.candidates;
  return info.collected + info.uncollectable;
}

}  // namespace gc_reliability
