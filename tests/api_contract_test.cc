// Copyright 2026 The cyclegc Authors.
//
// The snippets of the API contract, compiled as written (in the order the
// contract gives them) and checked for what its comments say. Where a
// comment and the code disagree, the test says so.

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gc/gc.h"
#include "gtest/gtest.h"

namespace api_contract {
namespace {

class Node : public gc::Object {
 public:
  explicit Node(int v) : value(v) {}
  int value;
  gc::Ref<Node> parent;                 // strong edge
  std::vector<gc::Ref<Node>> children;  // strong edges
  gc::WeakRef<Node> sibling;            // weak edge: never traced

  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
};

class Leaf : public gc::Object {  // no Trace: untracked
 public:
  int payload = 0;
};

class Lazarus;
inline gc::Ref<Lazarus> saved;  // declared before its use in Finalize()

class Lazarus : public gc::Object {
 public:
  void Finalize() override { saved = gc::Ref<Lazarus>(this); }  // resurrects
  void Trace(gc::Visitor& v) override { v.Visit(self_loop); }
  gc::Ref<Lazarus> self_loop;
};

class Flusher : public gc::Object {
 public:
  bool RequiresOrderedDestruction() const override { return true; }
  void Trace(gc::Visitor& v) override { v.Visit(sink); }
  gc::Ref<gc::Object> sink;
};

class ApiContractTest : public ::testing::Test {
 protected:
  ApiContractTest() : scope_(own_) {}
  gc::Heap own_;
  gc::HeapScope scope_;
};

TEST_F(ApiContractTest, References) {
  gc::Ref<Node> a = gc::Make<Node>(1);  // refcount 1
  EXPECT_EQ(gc::RefCount(*a), 1);
  gc::Ref<Node> b = a;  // refcount 2
  EXPECT_EQ(gc::RefCount(*a), 2);
  gc::Ref<gc::Object> o = a;  // implicit upcast
  gc::Ref<Node> c = gc::StaticRefCast<Node>(o);
  gc::Ref<Leaf> none = gc::DynamicRefCast<Leaf>(o);  // null: wrong type
  EXPECT_EQ(none, nullptr);
  Node* raw = a.get();
  Node& r = *a;
  a->value = 2;
  EXPECT_EQ(raw, &r);
  EXPECT_EQ(raw->value, 2);
  EXPECT_TRUE(static_cast<bool>(a));
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(a != nullptr);
  a.reset();
  b = nullptr;
  int64_t n = gc::RefCount(*c);
  // The contract's comment says "1 here: only c", but `o` (the upcast copy
  // above) still holds the object too: c and o.
  EXPECT_EQ(n, 2);
  o.reset();
  EXPECT_EQ(gc::RefCount(*c), 1);
  absl::flat_hash_set<gc::Ref<Node>> set;  // hashable and comparable
  set.insert(c);
  EXPECT_TRUE(set.contains(c));

  gc::WeakRef<Node> w = c;          // does not keep the node alive
  EXPECT_EQ(gc::RefCount(*c), 2);   // c and the set
  gc::Ref<Node> strong = w.Lock();  // null once the node is gone
  EXPECT_EQ(strong, c);
  bool gone = w.expired();
  EXPECT_FALSE(gone);
  a = gc::Make<Node>(3);
  w = a;  // re-point at another object
  EXPECT_EQ(w.Lock(), a);
  gc::WeakRef<Node> empty;  // expired from the start
  EXPECT_TRUE(empty.expired());
  int calls = 0;
  {
    gc::WeakRef<Node> watched(c, [&](const gc::WeakRef<Node>& self) {
      // Runs once, after the referent died; self.Lock() is null here.
      EXPECT_EQ(self.Lock(), nullptr);
      ++calls;
    });
    strong.reset();
    set.clear();
    c.reset();
    EXPECT_EQ(calls, 1);
  }
  a.reset();
  EXPECT_TRUE(w.expired());
}

TEST_F(ApiContractTest, HeapAndThresholds) {
  gc::Heap& heap = gc::Heap::Current();
  EXPECT_EQ(&heap, &own_);
  gc::Heap own;
  {
    gc::HeapScope scope(own);  // own is current on this thread until scope ends
    gc::Ref<Node> x = gc::Make<Node>(7);  // lives in own
    EXPECT_EQ(own.LiveObjects(), 1);
  }
  std::array<int64_t, 3> t = heap.GetThreshold();  // default {700, 10, 10}
  EXPECT_EQ(t, (std::array<int64_t, 3>{700, 10, 10}));
  absl::Status s = heap.SetThreshold(10000, 10, 10);  // all three
  absl::Status s0 = heap.SetThreshold(2000);          // threshold 0 only
  absl::Status bad = heap.SetThreshold(-1, 10, 10);   // InvalidArgument
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s0.ok());
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(heap.GetThreshold(), (std::array<int64_t, 3>{2000, 10, 10}));
  std::array<int64_t, 3> count = heap.GetCount();
  EXPECT_EQ(count[0], 0);
  heap.Disable();
  heap.Enable();
  bool on = heap.IsEnabled();
  EXPECT_TRUE(on);
  int64_t found = heap.Collect();   // full collection (generation 2)
  int64_t young = heap.Collect(0);  // generation 0 only
  EXPECT_EQ(found + young, 0);
}

TEST_F(ApiContractTest, CallbacksAndStatistics) {
  gc::Heap& heap = gc::Heap::Current();
  // Three live tracked objects: each full collection examines them.
  std::vector<gc::Ref<Node>> live = {gc::Make<Node>(1), gc::Make<Node>(2),
                                     gc::Make<Node>(3)};
  std::vector<gc::Phase> phases;
  gc::CallbackId id =
      heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
        phases.push_back(phase);
        if (phase == gc::Phase::kStart) {
          EXPECT_EQ(info.collected + info.uncollectable, 0);
          EXPECT_EQ(info.candidates, 0);
          EXPECT_EQ(info.duration, absl::ZeroDuration());
        } else {
          EXPECT_EQ(info.candidates, 3);
        }
        EXPECT_EQ(info.generation, 2);
      });
  std::vector<absl::Duration> durations;  // of both collections
  gc::CallbackId timer =
      heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
        if (phase == gc::Phase::kStop) durations.push_back(info.duration);
      });
  heap.Collect();
  heap.RemoveCallback(id);
  heap.Collect();
  heap.RemoveCallback(timer);
  EXPECT_EQ(phases,
            (std::vector<gc::Phase>{gc::Phase::kStart, gc::Phase::kStop}));
  std::array<gc::GenerationStats, 3> stats = heap.GetStats();
  EXPECT_EQ(stats[2].collections, 2);
  EXPECT_EQ(stats[2].collected + stats[2].uncollectable, 0);
  EXPECT_EQ(stats[2].candidates, 6);
  ASSERT_EQ(durations.size(), 2u);
  EXPECT_EQ(stats[2].total_duration, durations[0] + durations[1]);
}

TEST_F(ApiContractTest, FinalizersResurrectionAndUncollectable) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Ref<Lazarus> x = gc::Make<Lazarus>();
  x->self_loop = x;
  Lazarus* raw = x.get();
  x.reset();
  EXPECT_EQ(heap.Collect(), 0);  // resurrected: survives
  ASSERT_EQ(saved.get(), raw);
  bool done = gc::IsFinalized(*saved);
  bool tracked = gc::IsTracked(*saved);
  EXPECT_TRUE(done);
  EXPECT_TRUE(tracked);
  saved.reset();
  EXPECT_EQ(heap.Collect(), 1);  // finalized once: collected now
  EXPECT_EQ(saved, nullptr);

  gc::Ref<Flusher> f = gc::Make<Flusher>();
  f->sink = f;
  f.reset();
  EXPECT_EQ(heap.Collect(), 1);
  std::vector<gc::Ref<gc::Object>>& garbage = heap.Garbage();
  ASSERT_EQ(garbage.size(), 1u);
  EXPECT_EQ(heap.GetStats()[2].uncollectable, 1);
  gc::StaticRefCast<Flusher>(garbage[0])->sink.reset();
  garbage.clear();
  EXPECT_EQ(heap.LiveObjects(), 0);
}

TEST_F(ApiContractTest, DebuggingAndIntrospection) {
  gc::Heap& heap = gc::Heap::Current();
  heap.SetReportSink([](std::string_view) {});
  heap.SetDebug(gc::kDebugStats | gc::kDebugSaveAll);  // values as CPython:
  EXPECT_EQ(gc::kDebugStats, 1);
  EXPECT_EQ(gc::kDebugCollectable, 2);
  EXPECT_EQ(gc::kDebugUncollectable, 4);
  EXPECT_EQ(gc::kDebugSaveAll, 32);
  EXPECT_EQ(gc::kDebugLeak, 2 | 4 | 32);
  int flags = heap.GetDebug();
  EXPECT_EQ(flags, 33);
  heap.SetDebug(0);
  gc::Ref<Node> x = gc::Make<Node>(1);
  gc::Ref<Node> holder = gc::Make<Node>(2);
  holder->children.push_back(x);
  heap.Freeze();
  heap.Unfreeze();
  int64_t frozen = heap.GetFreezeCount();
  EXPECT_EQ(frozen, 0);
  std::vector<gc::Ref<gc::Object>> all = heap.GetObjects();  // every tracked
  std::vector<gc::Ref<gc::Object>> young = heap.GetObjects(0);
  std::vector<gc::Ref<gc::Object>> in = heap.GetReferrers(*x);
  std::vector<gc::Ref<gc::Object>> out = heap.GetReferents(*holder);
  EXPECT_EQ(all.size(), 2u);
  EXPECT_TRUE(young.empty());  // unfrozen objects are in generation 2
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0], holder);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], x);
}

TEST_F(ApiContractTest, LeakHuntingAndPictures) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Ref<Node> holder = gc::Make<Node>(0);
  holder->children.push_back(gc::Make<Node>(1));
  gc::Ref<Leaf> leaf = gc::Make<Leaf>();  // untracked: not in the census
  gc::Ref<Flusher> flusher = gc::Make<Flusher>();
  heap.Freeze();  // the permanent generation counts too

  // What is alive, by type: tracked objects (all generations and the
  // permanent one), most numerous first, ties by name.
  std::vector<gc::TypeCount> census = heap.CountByType();
  // census[0].type_name ("Node", demangled), census[0].count, census[0].bytes
  ASSERT_EQ(census.size(), 2u);
  EXPECT_EQ(census[0].type_name, "api_contract::(anonymous namespace)::Node");
  EXPECT_EQ(census[0].count, 2);
  EXPECT_EQ(census[0].bytes, 2 * static_cast<int64_t>(8 + sizeof(Node)));
  EXPECT_EQ(census[1].type_name,
            "api_contract::(anonymous namespace)::Flusher");
  heap.Unfreeze();

  // What grows: the types whose count rose since the tracker last looked.
  gc::GrowthTracker growth(heap);                       // first look: now
  holder->children.push_back(gc::Make<Node>(2));
  flusher.reset();                                      // shrank: not listed
  std::vector<gc::TypeGrowth> grown = growth.Update();  // largest rise first
  // grown[0].type_name, grown[0].count (now), grown[0].delta (the rise)
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].count, 3);
  EXPECT_EQ(grown[0].delta, 1);

  // Why is x still alive?
  gc::Ref<Node> x = holder->children[1];
  std::vector<gc::Ref<gc::Object>> chain = heap.FindRootPath(*x);
  // chain.front(): a tracked object referenced from outside the tracked
  // objects; each element holds the next through its Trace; chain.back() == x.
  ASSERT_EQ(chain.size(), 1u);  // x itself: this Ref is outside
  x.reset();
  chain.clear();  // its Ref to x would count as one from outside
  chain = heap.FindRootPath(*holder->children[1]);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain.front(), holder);
  EXPECT_EQ(chain.back(), holder->children[1]);
  x = holder->children[1];

  // A picture of x and what is near it, as Graphviz DOT text.
  absl::StatusOr<std::string> dot = heap.ToDot({x}, gc::DotOptions{.depth = 2});
  ASSERT_TRUE(dot.ok()) << dot.status();
  EXPECT_EQ(dot->rfind("digraph", 0), 0u);
  EXPECT_NE(dot->find("->"), std::string::npos);

  // A timeline of the collections from now on, as a Chrome trace (JSON).
  gc::CollectionTimeline timeline(heap);
  heap.Collect(0);
  absl::Status written = timeline.WriteChromeTrace("/tmp/gc_trace.json");
  EXPECT_TRUE(written.ok()) << written;
  ASSERT_EQ(timeline.records().size(), 1u);
  EXPECT_EQ(timeline.records()[0].generation, 0);
}

TEST_F(ApiContractTest, PauseBudget) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Ref<Node> cycle = gc::Make<Node>(1);
  cycle->parent = cycle;
  gc::WeakRef<Node> watch(cycle);
  cycle.reset();  // cyclic garbage

  absl::Status on = heap.SetPauseBudget(absl::Milliseconds(1));  // zero: off (the default)
  absl::Duration budget = heap.GetPauseBudget();
  heap.ScheduleCollection();                     // a full collection is due now
  bool more = heap.Step(absl::Milliseconds(2));  // at an idle point: collection work now
  int64_t overruns = heap.GetStats()[2].overruns;  // pauses longer than the budget

  EXPECT_TRUE(on.ok()) << on;
  EXPECT_EQ(budget, absl::Milliseconds(1));
  while (more) more = heap.Step(absl::Milliseconds(2));
  EXPECT_FALSE(heap.Step(absl::Milliseconds(2)));  // no round under way or due
  EXPECT_EQ(watch.Lock(), nullptr);  // collected by the end of the round
  EXPECT_EQ(heap.GetStats()[2].collections, 1);
  EXPECT_GE(heap.GetStats()[2].overruns, overruns);
  EXPECT_EQ(heap.SetPauseBudget(absl::Milliseconds(-1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(heap.GetPauseBudget(), absl::Milliseconds(1));  // unchanged
}

std::atomic<bool> seen_local{true};  // what the worker below saw

TEST_F(ApiContractTest, ThreadsHandlesAndMovingAGraph) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Heap other_heap;  // made here: this thread owns it too
  gc::Ref<Node> node = gc::Make<Node>(1);
  gc::Ref<Node> root = gc::Make<Node>(2);
  root->children.push_back(gc::Make<Node>(3));
  root->children[0]->parent = root;  // a cycle inside the graph

  // A handle: any thread may hold, copy and drop it; only the owner of the
  // object's heap may use the object.
  gc::Handle<Node> h = gc::Share(node);       // on the owning thread
  std::thread worker([h] {                    // copied into another thread
    gc::Handle<Node> copy = h;  // copy and drop: one atomic operation each
    bool local = copy.IsLocal();              // false here
    seen_local.store(local);  // (for the check below)
  });
  worker.join();
  gc::Ref<Node> back = h.Get();               // on the owning thread only
  int64_t released = heap.DrainRemote();  // handles whose last copy died elsewhere

  EXPECT_FALSE(seen_local.load());
  EXPECT_EQ(back, node);
  EXPECT_EQ(released, 0);  // h still lives here: no last copy died elsewhere
  std::thread([last = std::move(h)] {}).join();  // now the last one does
  EXPECT_EQ(gc::RefCount(*node), 3);  // node, back, the handle's (queued)
  EXPECT_EQ(heap.DrainRemote(), 1);
  EXPECT_EQ(gc::RefCount(*node), 2);

  // Moving a whole graph to another heap (another thread's).
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_TRUE(iso.ok()) << iso.status();
  EXPECT_EQ(root, nullptr);
  EXPECT_EQ(heap.LiveObjects(), 1);  // node only
  // ... hand *iso to the other thread (it is movable, not copyable) ...
  gc::Ref<Node> adopted = other_heap.Adopt(std::move(*iso));  // on other_heap's owner
  EXPECT_EQ(other_heap.LiveObjects(), 2);
  EXPECT_EQ(adopted->children[0]->value, 3);

  // Refused: an object of the graph referenced from outside.
  gc::Ref<Node> outside = adopted->children[0];
  absl::StatusOr<gc::Isolated<Node>> refused = gc::Isolate(std::move(adopted));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(adopted, nullptr);  // still holds the object
  outside.reset();
  adopted.reset();
  EXPECT_EQ(other_heap.Collect(), 2);
}

}  // namespace
}  // namespace api_contract
