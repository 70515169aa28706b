// Copyright 2026 The cyclegc Authors.
//
// Random programs with the pause budget on (budget_program.h).

#include "tests/reliability/budget_program.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gc/gc.h"

namespace gc_reliability {
namespace {

class World;

class BNode final : public gc::Object {
 public:
  BNode(World* world, int id, bool resurrects);
  ~BNode() override;
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<BNode>& edge : edges) visitor.Visit(edge);
  }
  void Finalize() override;

  std::array<gc::Ref<BNode>, 3> edges;
  World* world;
  int id;
  bool resurrects;
};

// splitmix64: the same numbers on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : Next() % n; }

 private:
  uint64_t state_;
};

class World {
 public:
  static constexpr size_t kRoots = 8;
  static constexpr size_t kWeaks = 6;

  // Live BNodes by address (constructed, not destroyed), with their ids.
  absl::flat_hash_map<const BNode*, int> live;
  std::array<gc::Ref<BNode>, kRoots> roots;
  std::vector<gc::Ref<BNode>> saved;  // resurrected by finalizers
  // Held by the operation under way (a ring being made), and the object
  // gc::Make is making (its Ref is not returned yet): reachable too.
  gc::Ref<BNode> scratch;
  BNode* making = nullptr;
  std::array<gc::WeakRef<BNode>, kWeaks> weaks;
  std::array<int, kWeaks> weak_targets = {-1, -1, -1, -1, -1, -1};  // -1: none
  absl::flat_hash_set<int> frozen;         // ids in the permanent generation
  absl::flat_hash_set<int> garbage_at_start;
  absl::flat_hash_set<int> revived;
  // Garbage a finalizer made reachable again, and all it reached: its weak
  // references were cleared before the finalizers ran (as in CPython).
  absl::flat_hash_set<int> weak_cleared;
  bool round_open = false;
  std::string failure;
  BudgetProgramStats stats;
  int next_id = 0;

  void Fail(std::string what) {
    if (failure.empty()) failure = std::move(what);
  }

  // Everything reachable from the roots and the saved list (and from
  // `from`, if given, alone), by id; a freed object met on the way fails.
  absl::flat_hash_set<int> Reach(std::vector<BNode*>* nodes = nullptr,
                                 BNode* from = nullptr) {
    absl::flat_hash_set<int> seen;
    std::vector<BNode*> stack;
    auto push = [&](BNode* node) {
      if (node == nullptr) return;
      auto it = live.find(node);
      if (it == live.end()) {
        Fail("a reachable object was freed");
        return;
      }
      if (!seen.insert(it->second).second) return;
      stack.push_back(node);
      if (nodes != nullptr) nodes->push_back(node);
    };
    if (from != nullptr) {
      push(from);
    } else {
      for (auto& root : roots) push(root.get());
      for (auto& node : saved) push(node.get());
      push(scratch.get());
      push(making);
    }
    while (!stack.empty()) {
      BNode* node = stack.back();
      stack.pop_back();
      for (auto& edge : node->edges) push(edge.get());
    }
    return seen;
  }

  // `node` and all it reaches are reachable again (a Lock, a finalizer).
  void Revive(BNode* node) {
    if (!round_open) return;
    for (int id : Reach(nullptr, node)) {
      if (garbage_at_start.contains(id) && revived.insert(id).second) {
        ++stats.revived;
      }
    }
  }

  void RoundStarts() {
    round_open = true;
    garbage_at_start.clear();
    revived.clear();
    const absl::flat_hash_set<int> reachable = Reach();
    // The permanent generation is no collection's: what it holds stays.
    absl::flat_hash_set<int> held_by_frozen;
    for (const auto& [node, id] : live) {
      if (!frozen.contains(id)) continue;
      for (int reached : Reach(nullptr, const_cast<BNode*>(node))) {
        held_by_frozen.insert(reached);
      }
    }
    for (const auto& [node, id] : live) {
      if (!reachable.contains(id) && !held_by_frozen.contains(id)) {
        garbage_at_start.insert(id);
      }
    }
  }

  void RoundEnds() {
    round_open = false;
    ++stats.rounds;
    absl::flat_hash_set<int> alive;
    for (const auto& [node, id] : live) alive.insert(id);
    const absl::flat_hash_set<int> reachable = Reach();
    for (int id : garbage_at_start) {
      if (alive.contains(id) && !revived.contains(id) &&
          !reachable.contains(id)) {
        std::string referrers;
        const BNode* self = nullptr;
        for (const auto& [node, nid] : live) {
          if (nid == id) self = node;
        }
        for (const auto& [node, nid] : live) {
          for (const auto& e : node->edges) {
            if (e.get() == self) absl::StrAppend(&referrers, " #", nid);
          }
        }
        Fail(absl::StrCat("object #", id,
                          " was garbage when the round started and "
                          "survived it (refcount ",
                          gc::RefCount(*self), ", held by", referrers, ")"));
      }
    }
  }

  // Weak references expire only when their object is unreachable.
  void CheckWeaks() {
    const absl::flat_hash_set<int> reachable = Reach();
    for (size_t i = 0; i < kWeaks; ++i) {
      if (weak_targets[i] >= 0 && weaks[i].expired() &&
          reachable.contains(weak_targets[i]) &&
          !weak_cleared.contains(weak_targets[i])) {
        Fail(absl::StrCat("a weak reference to reachable object #",
                          weak_targets[i], " expired"));
      }
    }
  }
};

BNode::BNode(World* w, int i, bool r) : world(w), id(i), resurrects(r) {
  world->live.emplace(this, id);
  world->making = this;
}

BNode::~BNode() { world->live.erase(this); }

void BNode::Finalize() {
  if (!resurrects) return;
  world->saved.push_back(gc::Ref<BNode>(this));
  ++world->stats.resurrected;
  for (int id : world->Reach(nullptr, this)) world->weak_cleared.insert(id);
  world->Revive(this);
}

constexpr absl::Duration kSlices[] = {
    absl::Nanoseconds(1), absl::Microseconds(10), absl::Milliseconds(1)};

// One random operation.
void Operate(World& world, gc::Heap& heap, Random& random) {
  std::vector<BNode*> nodes;
  world.Reach(&nodes);
  auto any = [&]() -> BNode* {
    return nodes.empty() ? nullptr : nodes[random.Below(nodes.size())];
  };
  auto& root = world.roots[random.Below(World::kRoots)];
  const size_t edge = random.Below(3);
  switch (random.Below(20)) {
    case 0:
    case 1:
    case 2: {  // a new object, with edges to reachable ones
      gc::Ref<BNode> node =
          gc::Make<BNode>(&world, world.next_id++, random.Below(8) == 0);
      for (auto& e : node->edges) {
        if (random.Below(2) == 0) e = gc::Ref<BNode>(any());
      }
      root = std::move(node);
      break;
    }
    case 3:
    case 4:
    case 5: {  // an edge between reachable objects (or cleared)
      if (BNode* from = any()) from->edges[edge] = gc::Ref<BNode>(any());
      break;
    }
    case 6:
    case 7: {  // a Ref moved from one object to another: no count changes
      BNode* to = any();
      BNode* from = any();
      if (to != nullptr && from != nullptr) {
        to->edges[edge] = std::move(from->edges[random.Below(3)]);
      }
      break;
    }
    case 8:
    case 9:  // the last reference to what the round may have examined
      root.reset();
      break;
    case 10:
      root = world.roots[random.Below(World::kRoots)];
      break;
    case 11: {  // a weak reference to a reachable object
      const size_t i = random.Below(World::kWeaks);
      BNode* target = any();
      world.weaks[i] = gc::WeakRef<BNode>(gc::Ref<BNode>(target));
      world.weak_targets[i] = target == nullptr ? -1 : world.live[target];
      break;
    }
    case 12: {  // locking one: garbage may become reachable again
      gc::Ref<BNode> locked = world.weaks[random.Below(World::kWeaks)].Lock();
      if (locked != nullptr) world.Revive(locked.get());
      root = std::move(locked);
      break;
    }
    case 13:
    case 14:
      heap.Step(kSlices[random.Below(3)]);
      break;
    case 15:
      heap.ScheduleCollection();
      break;
    case 16: {  // a ring nobody holds: cyclic garbage
      const size_t n = 1 + random.Below(4);
      gc::Ref<BNode> extra(random.Below(3) == 0 ? any() : nullptr);
      world.scratch =
          gc::Make<BNode>(&world, world.next_id++, random.Below(6) == 0);
      BNode* last = world.scratch.get();
      for (size_t i = 1; i < n; ++i) {
        last->edges[0] = gc::Make<BNode>(&world, world.next_id++, false);
        last = last->edges[0].get();
      }
      last->edges[1] = world.scratch;
      last->edges[2] = std::move(extra);
      world.scratch.reset();
      break;
    }
    case 17:
      if (!world.saved.empty()) {
        world.saved.erase(
            world.saved.begin() +
            static_cast<std::ptrdiff_t>(random.Below(world.saved.size())));
      }
      break;
    case 18:
      switch (random.Below(6)) {
        case 0:
          heap.Collect(static_cast<int>(random.Below(3)));
          break;
        case 1:
          heap.Freeze();
          for (const auto& [node, id] : world.live) world.frozen.insert(id);
          break;
        case 2:
          heap.Unfreeze();
          world.frozen.clear();
          break;
        case 3:
          if (!heap.SetPauseBudget(kSlices[random.Below(2)]).ok()) {
            world.Fail("SetPauseBudget failed");
          }
          break;
        default:
          heap.Step(absl::Milliseconds(5));
          break;
      }
      break;
    default: {  // allocation alone drives the automatic collections
      gc::Ref<BNode> node = gc::Make<BNode>(&world, world.next_id++, false);
      node->edges[0] = gc::Ref<BNode>(any());
      if (random.Below(2) == 0) root = std::move(node);
      break;
    }
  }
}

}  // namespace

void BudgetProgramStats::Add(const BudgetProgramStats& other) {
  programs += other.programs;
  operations += other.operations;
  rounds += other.rounds;
  pauses += other.pauses;
  collected += other.collected;
  revived += other.revived;
  resurrected += other.resurrected;
}

std::string BudgetProgramStats::ToString() const {
  return absl::StrCat(programs, " programs, ", operations, " operations, ",
                      rounds, " rounds in ", pauses, " pauses, ", collected,
                      " collected by them, ", revived, " revived, ",
                      resurrected, " resurrected");
}

absl::Status RunBudgetProgram(uint64_t seed, BudgetProgramStats* stats,
                              int operations) {
  Random random(seed);
  World world;
  std::string errors;
  {
    gc::Heap heap;
    gc::HeapScope scope(heap);
    heap.SetDebug(gc::kDebugVerify);
    heap.SetErrorReporter(
        [&](std::string_view line) { errors.append(line).append("\n"); });
    if (!heap.SetPauseBudget(kSlices[random.Below(2)]).ok() ||
        !heap.SetThreshold(10 + static_cast<int64_t>(random.Below(30)), 3, 3)
             .ok()) {
      return absl::InternalError("settings refused");
    }
    heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
      if (info.pause == 0) return;
      if (phase == gc::Phase::kStart) {
        if (info.pause == 1) world.RoundStarts();
        return;
      }
      ++world.stats.pauses;
      world.stats.collected += info.collected;
      if (info.round_finished) world.RoundEnds();
    });
    int op = 0;
    for (; op < operations && world.failure.empty(); ++op) {
      Operate(world, heap, random);
      world.making = nullptr;
      world.CheckWeaks();
    }
    world.stats.operations += op;
    if (world.failure.empty()) {
      // The end: no roots; finalizers may resurrect, so a few rounds.
      world.roots = {};
      world.weaks = {};
      world.weak_targets.fill(-1);
      heap.Unfreeze();
      world.frozen.clear();
      for (int i = 0; i < 4; ++i) {
        world.saved.clear();
        heap.Collect();
      }
      if (!world.live.empty()) {
        world.Fail(absl::StrCat(world.live.size(),
                                " objects left after the last Collect()"));
      }
    }
    world.stats.programs = 1;
    if (stats != nullptr) stats->Add(world.stats);
    if (!world.failure.empty()) {
      return absl::InternalError(absl::StrCat("budget program seed ", seed,
                                              ", operation ", op, ": ",
                                              world.failure));
    }
  }
  if (!errors.empty()) {
    return absl::InternalError(
        absl::StrCat("budget program seed ", seed, " reported: ", errors));
  }
  return absl::OkStatus();
}

}  // namespace gc_reliability
