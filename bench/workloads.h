// Copyright 2026 The cyclegc Authors.
//
// File: bench/workloads.h
// -----------------------------------------------------------------------------
//
// The peer workloads, written once for every C++ peer (cyclegc,
// std::shared_ptr, Boehm GC, cppgc). Each workload is a template over a
// *policy* `P` that says how the peer allocates, points and collects.
// bench/peer_cpython.py mirrors the same shapes in Python, with the same random
// number generator.
//
// A policy provides:
//
//   template <typename N> struct Base;      // base of node type N (CRTP)
//   template <typename N> struct LeafBase;  // base of an acyclic, untraced type
//   template <typename N> using Ptr;        // a strong handle held in locals
//   template <typename N> using Edge;       // a strong edge held in a node
//   template <typename N> using Back;       // parent / prev pointer field
//   template <typename N> using Vec;        // a vector of strong edges
//   template <typename N> using Roots;      // a vector-like root set (local)
//   template <typename N> static Ptr<N> New();
//   static constexpr bool kStrongBack;      // Back<N> is a strong edge
//   static constexpr bool kCollects;        // has a collector at all
//   static constexpr bool kHasYoung;        // can collect its young alone
//   static void Collect();                  // full collection
//   static void CollectYoung();             // REQUIRES: kHasYoung
//   static void SetAutomatic(bool on);      // automatic collection on / off
//
// A node type reports its strong edges through `ForEachEdge`; each policy's
// `Base<N>` turns that into the peer's tracing hook (if it has one).
//
// Collections report their durations to `Pauses()`; the final clean-up
// collection of a churn workload is booked apart (`final_ms`), so that the
// longest pause is the longest collection the workload itself caused.
//
// Invariants (cppgc needs them; the others do not mind): every new object is
// stored in a traced field or a root before the next allocation, and a root
// set is built before the objects it holds.

#ifndef CYCLEGC_BENCH_WORKLOADS_H_
#define CYCLEGC_BENCH_WORKLOADS_H_

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bench {

// --- Shared helpers ----------------------------------------------------------

// splitmix64; bench/peer_cpython.py implements the same sequence.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for n far below 2^64.
  uint32_t Below(uint64_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

// Keeps the compiler from dropping a value (and an allocation behind it).
template <typename T>
inline void DoNotOptimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// CPU time (user + system, all threads) the process has spent, in seconds.
// The machine is shared with other jobs: CPU time varies less than wall time
// with the load, and for these single-threaded programs it is the time they
// would take alone. Workload times use it; collection pauses do not (see
// PauseSeconds).
inline double CpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) +
         static_cast<double>(now.tv_nsec) * 1e-9;
}

// Monotonic wall time in seconds (cheap: no system call); for spans too
// short to be preempted often, see YoungNextToOld.
inline double WallSeconds() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) +
         static_cast<double>(now.tv_nsec) * 1e-9;
}

// The clock of collection pauses (every peer's hook) and of the young
// collections of workload 6: the monotonic wall clock, read without a system
// call. Reading the CPU-time clock is a system call (about 4 us on the
// virtual machine the results come from): twice per collection it was a third
// of a young collection's figure, and a tenth of the collecting peers' tree
// churn time (thousands of collections), which the peers without a collector
// do not pay. A pause is too short to be preempted often; the published runs
// are on an otherwise idle machine.
inline double PauseSeconds() { return WallSeconds(); }

class Stopwatch {
 public:
  Stopwatch() : start_(CpuSeconds()) {}
  double Seconds() const { return CpuSeconds() - start_; }

 private:
  double start_;
};

// Collections seen by the peer's own hook, timed by PauseSeconds.
struct PauseLog {
  int64_t collections = 0;
  double max_ms = 0;    // longest collection, the final clean-up excluded
  double total_ms = 0;  // all collections
  double final_ms = 0;  // the final clean-up collection(s)
  bool final_phase = false;

  void Record(double ms) {
    ++collections;
    total_ms += ms;
    if (final_phase) {
      final_ms += ms;
    } else {
      max_ms = std::max(max_ms, ms);
    }
  }
};
inline PauseLog& Pauses() {
  static PauseLog log;
  return log;
}

// What one workload run reports. `figure` is its headline number in `unit`
// (the one ratios are taken of); `time_s` the whole timed part.
struct Result {
  double time_s = 0;
  double figure = 0;
  std::string unit = "s";
  std::string skipped;  // non-empty: the peer cannot run this workload
  std::vector<std::pair<std::string, double>> extra;
};

inline Result Skipped(std::string why) {
  Result result;
  result.skipped = std::move(why);
  return result;
}

// A raw pointer from any handle or field type.
template <typename X>
auto Raw(const X& x) {
  if constexpr (std::is_pointer_v<X>) {
    return x;
  } else if constexpr (requires { x.get(); }) {
    return x.get();
  } else {
    return x.Get();  // cppgc::Member
  }
}

// The pointer types of a peer whose handles are smart pointers (cyclegc,
// std::shared_ptr): `Strong<N>` everywhere, `Weak<N>` for back pointers when
// `kStrong` is false.
template <template <typename> class Strong, template <typename> class Weak,
          bool kStrong>
struct SmartPointerTypes {
  template <typename N>
  using Ptr = Strong<N>;
  template <typename N>
  using Edge = Strong<N>;
  template <typename N>
  using Back = std::conditional_t<kStrong, Strong<N>, Weak<N>>;
  template <typename N>
  using Vec = std::vector<Strong<N>>;
  template <typename N>
  using Roots = std::vector<Strong<N>>;

  static constexpr bool kStrongBack = kStrong;
};

// --- Node types
// ----------------------------------------------------------------

template <typename P>
struct TreeNode : P::template Base<TreeNode<P>> {
  typename P::template Back<TreeNode> parent;
  typename P::template Vec<TreeNode> children;
  template <typename F>
  void ForEachEdge(F&& visit) {
    if constexpr (P::kStrongBack) visit(parent);
    for (auto& child : children) visit(child);
  }
};

template <typename P>
struct BinNode : P::template Base<BinNode<P>> {
  typename P::template Back<BinNode> parent;
  typename P::template Edge<BinNode> left;
  typename P::template Edge<BinNode> right;
  template <typename F>
  void ForEachEdge(F&& visit) {
    if constexpr (P::kStrongBack) visit(parent);
    visit(left);
    visit(right);
  }
};

template <typename P>
struct ListNode : P::template Base<ListNode<P>> {
  typename P::template Edge<ListNode> next;
  typename P::template Back<ListNode> prev;
  template <typename F>
  void ForEachEdge(F&& visit) {
    visit(next);
    if constexpr (P::kStrongBack) visit(prev);
  }
};

template <typename P>
struct GraphNode : P::template Base<GraphNode<P>> {
  typename P::template Vec<GraphNode> edges;
  template <typename F>
  void ForEachEdge(F&& visit) {
    for (auto& edge : edges) visit(edge);
  }
};

template <typename P>
struct Leaf : P::template LeafBase<Leaf<P>> {
  int64_t payload = 0;
};

template <typename P, typename N>
using PtrOf = typename P::template Ptr<N>;
template <typename P, typename N>
using RootsOf = typename P::template Roots<N>;

// Times a collection that cleans up after a churn workload.
template <typename P>
double FinalCollect() {
  if constexpr (!P::kCollects) {
    return 0;
  } else {
    Pauses().final_phase = true;
    Stopwatch watch;
    P::Collect();
    Pauses().final_phase = false;
    return watch.Seconds();
  }
}

// Ends a churn workload: the final clean-up collection, inside the timing.
template <typename P>
Result ChurnResult(const Stopwatch& watch, double nodes) {
  Result result;
  result.extra.emplace_back("final_gc_ms", FinalCollect<P>() * 1e3);
  result.time_s = result.figure = watch.Seconds();
  result.extra.emplace_back("nodes", nodes);
  return result;
}

// --- 1. Tree churn
// -------------------------------------------------------------

inline constexpr int kTreeDepth = 5;
inline constexpr int kFanOut = 6;

// A tree of depth 5: 6 top nodes (held by `tree`), each with 6 children per
// node down to depth 5: 9,330 nodes (tests/seed_workload_test.cc). Built
// depth first with an explicit stack.
template <typename P>
void GrowTree(RootsOf<P, TreeNode<P>>& tree) {
  using Node = TreeNode<P>;
  std::vector<std::pair<PtrOf<P, Node>, int>> stack;
  for (int i = 0; i < kFanOut; ++i) {
    tree.push_back(P::template New<Node>());
    stack.emplace_back(tree.back(), 1);
  }
  while (!stack.empty()) {
    auto [node, depth] = std::move(stack.back());
    stack.pop_back();
    if (depth == kTreeDepth) continue;
    node->children.reserve(kFanOut);
    for (int i = 0; i < kFanOut; ++i) {
      PtrOf<P, Node> child = P::template New<Node>();
      child->parent = node;
      node->children.push_back(child);
      stack.emplace_back(std::move(child), depth + 1);
    }
  }
}

// For n in 0..19, n trees, each dropped at once: 1,772,700 nodes.
template <typename P>
Result TreeChurn() {
  Stopwatch watch;
  for (int n = 0; n < 20; ++n) {
    for (int t = 0; t < n; ++t) {
      RootsOf<P, TreeNode<P>> tree;
      GrowTree<P>(tree);
    }
  }
  return ChurnResult<P>(watch, 190.0 * 9330);
}

// --- 2. Binary trees with parent pointers
// ---------------------------------------

// Builds a complete binary tree of `depth` levels below `roots[slot]`
// (breadth first, explicit queue), every node pointing at its parent.
template <typename P>
void BinaryTree(RootsOf<P, BinNode<P>>& roots, size_t slot, int depth) {
  using Node = BinNode<P>;
  roots[slot] = P::template New<Node>();
  std::vector<PtrOf<P, Node>> level{roots[slot]};
  std::vector<PtrOf<P, Node>> next;
  for (int d = 0; d < depth; ++d) {
    next.clear();
    for (const PtrOf<P, Node>& node : level) {
      PtrOf<P, Node> left = P::template New<Node>();
      left->parent = node;
      node->left = left;
      PtrOf<P, Node> right = P::template New<Node>();
      right->parent = node;
      node->right = right;
      next.push_back(std::move(left));
      next.push_back(std::move(right));
    }
    level.swap(next);
  }
}

// Counts the nodes (the benchmark's "check"), iteratively.
template <typename N>
int64_t Check(N* root) {
  int64_t count = 0;
  std::vector<N*> stack{root};
  while (!stack.empty()) {
    N* node = stack.back();
    stack.pop_back();
    ++count;
    if (N* left = Raw(node->left)) stack.push_back(left);
    if (N* right = Raw(node->right)) stack.push_back(right);
  }
  return count;
}

// The Benchmarks Game's binary-trees with depths 4..max_depth (16): a stretch
// tree, a long-lived tree, and 2^(max - d + 4) trees of each even depth d.
template <typename P>
Result BinaryTrees(int max_depth) {
  constexpr int kMinDepth = 4;
  Stopwatch watch;
  int64_t checked = 0;
  RootsOf<P, BinNode<P>> roots(2);         // 0: long-lived, 1: the current tree
  BinaryTree<P>(roots, 1, max_depth + 1);  // stretch tree
  checked += Check(Raw(roots[1]));
  roots[1] = nullptr;
  BinaryTree<P>(roots, 0, max_depth);
  for (int d = kMinDepth; d <= max_depth; d += 2) {
    const int64_t iterations = int64_t{1} << (max_depth - d + kMinDepth);
    for (int64_t i = 0; i < iterations; ++i) {
      BinaryTree<P>(roots, 1, d);
      checked += Check(Raw(roots[1]));
      roots[1] = nullptr;
    }
  }
  checked += Check(Raw(roots[0]));
  roots[0] = nullptr;
  return ChurnResult<P>(watch, static_cast<double>(checked));
}

// --- 3. Random graph churn
// -----------------------------------------------------

inline constexpr int kGraphRoots = 50;
inline constexpr uint64_t kGraphSeed = 42;

// A random node: a random root, then 0..3 random steps along edges. Null if
// the root slot is empty.
template <typename P>
PtrOf<P, GraphNode<P>> Walk(RootsOf<P, GraphNode<P>>& roots, Rng& rng) {
  PtrOf<P, GraphNode<P>> node = roots[rng.Below(kGraphRoots)];
  if (node == nullptr) return node;
  for (uint32_t steps = rng.Below(4); steps > 0; --steps) {
    if (node->edges.empty()) break;
    node = node->edges[rng.Below(node->edges.size())];
  }
  return node;
}

// 50 root slots, then `ops` operations chosen uniformly: allocate a node (into
// an empty root slot, else as an edge of that root), add an edge between two
// random nodes, drop a root, drop a random edge. Ends by dropping the roots
// and a full collection (timed).
template <typename P>
Result GraphChurn(int64_t ops) {
  using Node = GraphNode<P>;
  Stopwatch watch;
  Rng rng(kGraphSeed);
  RootsOf<P, Node> roots(kGraphRoots);
  for (int i = 0; i < kGraphRoots; ++i) roots[i] = P::template New<Node>();
  int64_t allocated = kGraphRoots;
  for (int64_t op = 0; op < ops; ++op) {
    switch (rng.Below(4)) {
      case 0: {
        const uint32_t slot = rng.Below(kGraphRoots);
        if (Raw(roots[slot]) == nullptr) {
          roots[slot] = P::template New<Node>();
        } else {
          roots[slot]->edges.push_back(P::template New<Node>());
        }
        ++allocated;
        break;
      }
      case 1: {
        PtrOf<P, Node> from = Walk<P>(roots, rng);
        PtrOf<P, Node> to = Walk<P>(roots, rng);
        if (from != nullptr && to != nullptr) from->edges.push_back(to);
        break;
      }
      case 2:
        roots[rng.Below(kGraphRoots)] = nullptr;
        break;
      default: {
        PtrOf<P, Node> node = Walk<P>(roots, rng);
        if (node == nullptr || node->edges.empty()) break;
        const uint32_t i = rng.Below(node->edges.size());
        node->edges[i] = std::move(node->edges.back());
        node->edges.pop_back();
        break;
      }
    }
  }
  for (int i = 0; i < kGraphRoots; ++i) roots[i] = nullptr;
  return ChurnResult<P>(watch, static_cast<double>(allocated));
}

// --- 4. Doubly linked lists
// -------------------------------------------------------

// 30 lists of 4,096 nodes, each built and then dropped.
template <typename P>
Result LinkedLists() {
  using Node = ListNode<P>;
  constexpr int kLists = 30;
  constexpr int kLength = 4096;
  Stopwatch watch;
  for (int l = 0; l < kLists; ++l) {
    RootsOf<P, Node> head(1);
    head[0] = P::template New<Node>();
    PtrOf<P, Node> tail = head[0];
    for (int i = 1; i < kLength; ++i) {
      PtrOf<P, Node> node = P::template New<Node>();
      tail->next = node;
      node->prev = tail;
      tail = std::move(node);
    }
  }
  return ChurnResult<P>(watch, double{kLists} * kLength);
}

// --- 5. Full collection of a live heap, and of garbage 2-cycles
// ---------------------

// A live tree of `n` nodes with parent pointers and fan-out 6, below
// `roots[0]`, built breadth first. Only the root is held from outside.
template <typename P>
void LiveTree(RootsOf<P, TreeNode<P>>& roots, int64_t n) {
  using Node = TreeNode<P>;
  roots[0] = P::template New<Node>();
  std::vector<PtrOf<P, Node>> queue{roots[0]};
  queue.reserve(static_cast<size_t>(n));
  for (size_t next = 0; static_cast<int64_t>(queue.size()) < n; ++next) {
    PtrOf<P, Node> parent = queue[next];
    for (int i = 0; i < kFanOut && static_cast<int64_t>(queue.size()) < n;
         ++i) {
      PtrOf<P, Node> child = P::template New<Node>();
      child->parent = parent;
      parent->children.push_back(child);
      queue.push_back(std::move(child));
    }
  }
}

// A live tree of `n` nodes of LiveTree's shape, whose nodes are all made
// first and then linked in a random order: a node's parent and children lie
// anywhere in the heap, not next to it. Held from outside: the root and
// `roots.size() - 1` nodes picked at random.
inline constexpr uint64_t kShuffleSeed = 7;
template <typename P>
void ShuffledLiveTree(RootsOf<P, TreeNode<P>>& roots, size_t held, int64_t n) {
  using Node = TreeNode<P>;
  const size_t count = static_cast<size_t>(n);
  std::vector<PtrOf<P, Node>> nodes;
  nodes.reserve(count);
  for (size_t i = 0; i < count; ++i) nodes.push_back(P::template New<Node>());
  Rng rng(kShuffleSeed);
  for (size_t i = count - 1; i > 0; --i) {
    std::swap(nodes[i], nodes[rng.Below(i + 1)]);
  }
  for (size_t i = 1; i < count; ++i) {
    nodes[i]->parent = nodes[(i - 1) / kFanOut];
    nodes[(i - 1) / kFanOut]->children.push_back(nodes[i]);
  }
  roots[0] = nodes[0];
  for (size_t k = 1; k < held; ++k) roots[k] = nodes[rng.Below(count)];
}

// Median duration of `runs` full collections, in seconds.
template <typename P>
double MedianCollect(int runs) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    Stopwatch watch;
    P::Collect();
    times.push_back(watch.Seconds());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Full collection of a live heap of `n` nodes: ns per object (median of 3).
// `shuffled`: linked in a random order (ShuffledLiveTree), else breadth
// first in allocation order (LiveTree).
inline constexpr size_t kShuffledHeld = 8;
template <typename P>
Result FullLive(int64_t n, bool shuffled = false) {
  if constexpr (!P::kCollects) {
    return Skipped("no collector");
  } else {
    RootsOf<P, TreeNode<P>> roots(shuffled ? kShuffledHeld : 1);
    P::SetAutomatic(false);
    if (shuffled) {
      ShuffledLiveTree<P>(roots, kShuffledHeld, n);
    } else {
      LiveTree<P>(roots, n);
    }
    P::SetAutomatic(true);
    Result result;
    result.time_s = MedianCollect<P>(3);
    result.figure = result.time_s * 1e9 / static_cast<double>(n);
    result.unit = "ns/object";
    for (size_t k = 0; k < (shuffled ? kShuffledHeld : 1); ++k) {
      roots[k] = nullptr;
    }
    return result;
  }
}

// Collection of `n` objects in n/2 garbage 2-cycles: ns per object.
template <typename P>
Result GarbageCycles(int64_t n) {
  using Node = ListNode<P>;
  if constexpr (!P::kCollects) {
    return Skipped("no collector (the cycles leak)");
  } else {
    RootsOf<P, Node> roots(1);
    P::SetAutomatic(false);
    for (int64_t i = 0; i < n / 2; ++i) {
      roots[0] = P::template New<Node>();
      PtrOf<P, Node> other = P::template New<Node>();
      roots[0]->next = other;
      other->next = roots[0];
    }
    roots[0] = nullptr;
    P::SetAutomatic(true);
    Stopwatch watch;
    P::Collect();
    Result result;
    result.time_s = watch.Seconds();
    result.figure = result.time_s * 1e9 / static_cast<double>(n);
    result.unit = "ns/object";
    return result;
  }
}

// --- 6. Young collection next to an old heap
// ------------------------------------------

// A live tree of `old` nodes promoted to the oldest generation, then 15,000
// rounds of: replace each object of a ring of 700 (drop it, timed alone,
// then make a new one: each lives one round, so 10,500,000 deaths outside
// collections), make 350 garbage 2-cycles, and run a young collection
// (timed in CPU time). Microseconds per young collection, and the longest young
// collection and the longest single drop.
//
// Long enough to cross every threshold of the collector's list compaction
// (gc/internal/heap_state.h), which starts once empty slots outnumber the
// objects: with 10,000,000 old objects, the ring's deaths alone outnumber
// them after 14,287 rounds (the collections' garbage adds as many again on
// a collector that leaves its empty slots).
inline constexpr int kYoungRounds = 15000;
inline constexpr int kYoungPairs = 350;
inline constexpr int kYoungRing = 700;
inline constexpr int kYoungDropGroup = 35;  // divides kYoungRing

template <typename P>
Result YoungNextToOld(int64_t old) {
  using Node = ListNode<P>;
  if constexpr (!P::kHasYoung) {
    return Skipped(P::kCollects ? "no young-generation collection"
                                : "no collector");
  } else {
    P::SetAutomatic(false);
    RootsOf<P, TreeNode<P>> old_roots(1);
    if (old > 0) LiveTree<P>(old_roots, old);
    RootsOf<P, Node> ring(kYoungRing);
    for (auto& slot : ring) slot = P::template New<Node>();
    P::Collect();           // the old heap moves to the oldest generation
    Pauses() = PauseLog{};  // only the young collections count
    RootsOf<P, Node> roots(1);
    double total = 0;
    double longest = 0;
    double longest_drop = 0;
    for (int round = 0; round < kYoungRounds; ++round) {
      // A drop takes tens of nanoseconds: each is timed by the cheap wall
      // clock, and each group of kYoungDropGroup drops (and remakes) by CPU
      // time. A drop counts as the smaller of its wall time and the CPU time
      // of its group: one the machine preempted does not count, a stall
      // does.
      for (size_t group = 0; group < ring.size(); group += kYoungDropGroup) {
        double longest_wall = 0;
        const double group_start = CpuSeconds();
        for (size_t i = group; i < group + kYoungDropGroup; ++i) {
          const double start = WallSeconds();
          ring[i] = nullptr;  // dies
          longest_wall = std::max(longest_wall, WallSeconds() - start);
          ring[i] = P::template New<Node>();
        }
        longest_drop = std::max(
            longest_drop, std::min(longest_wall, CpuSeconds() - group_start));
      }
      for (int i = 0; i < kYoungPairs; ++i) {
        roots[0] = P::template New<Node>();
        PtrOf<P, Node> other = P::template New<Node>();
        roots[0]->next = other;
        other->next = roots[0];
      }
      roots[0] = nullptr;
      const double start = PauseSeconds();
      P::CollectYoung();
      const double seconds = PauseSeconds() - start;
      total += seconds;
      longest = std::max(longest, seconds);
    }
    P::SetAutomatic(true);
    Result result;
    result.time_s = total;
    result.figure = total * 1e6 / kYoungRounds;
    result.unit = "us/collection";
    result.extra.emplace_back("longest_us", longest * 1e6);
    result.extra.emplace_back("longest_drop_us", longest_drop * 1e6);
    return result;
  }
}

// --- 7. Acyclic allocate-and-drop
// ---------------------------------------------------

// `n` times: allocate a small untraced object, read it, drop it. ns per op.
template <typename P>
Result AcyclicChurn(int64_t n) {
  Stopwatch watch;
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    PtrOf<P, Leaf<P>> leaf = P::template New<Leaf<P>>();
    leaf->payload = i;
    DoNotOptimize(leaf);
    sum += leaf->payload;
  }
  DoNotOptimize(sum);
  Result result;
  result.time_s = watch.Seconds();
  result.figure = result.time_s * 1e9 / static_cast<double>(n);
  result.unit = "ns/op";
  return result;
}

}  // namespace bench

#endif  // CYCLEGC_BENCH_WORKLOADS_H_
